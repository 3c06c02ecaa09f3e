// The 2-D linear-region engine without LPs (cnn/plane_regions.hpp): the same patterns as the LP engine on random and
// degenerate networks and on slices, with and without a box; patterns at an exact grid of points among its regions;
// exact polygons that tile the window; certificates from its proofs that need no LP and pass the independent checker;
// far-away regions, strips and single lines in all of R^2; the same output on any number of threads.
#include "cnn/linear_regions.hpp"
#include "cnn/plane_geometry.hpp"
#include "cnn/plane_regions.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/slice.hpp"

#include "arrangement/errors.hpp"
#include "verify/certificate_check.hpp"

#include "tests/degenerate_networks.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <set>

using namespace chamber;
using chamber::testing::degenerate_network;
using chamber::testing::signs_at;

namespace {

LayerSpec linear(std::size_t units) { return LayerSpec{false, units, 1, 1, 1, 1}; }

struct PlaneRun {
  std::vector<PlaneRegion> regions;
  PlaneRegionStats stats;
};

PlaneRun plane_run(const IntegerNetwork& network, std::optional<Box> box = std::nullopt, bool keep_proofs = false,
                   unsigned threads = 1) {
  PlaneRun run;
  PlaneRegionEnumerator enumerator(network, PlaneRegionOptions{RunControl{}, box, keep_proofs, threads});
  enumerator.run([&](PlaneRegion&& region) { run.regions.push_back(std::move(region)); });
  run.stats = enumerator.stats();
  return run;
}

std::set<std::string> lp_patterns(const IntegerNetwork& network, std::optional<Box> box) {
  LinearRegionEnumerator enumerator(network, LinearRegionOptions{RunControl{}, false, box, false, 1, NetworkEngine::lp});
  std::set<std::string> patterns;
  enumerator.run([&](const LinearRegion& region) { patterns.insert(region.pattern); });
  return patterns;
}

std::set<std::string> patterns_of(const std::vector<PlaneRegion>& regions) {
  std::set<std::string> patterns;
  for (const PlaneRegion& r : regions) patterns.insert(r.region.pattern);
  return patterns;
}

/*! twice the signed area of a polygon. */
Rational twice_area(const std::vector<std::pair<Rational, Rational>>& polygon) {
  Rational twice = 0;
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const auto& [u1, v1] = polygon[i];
    const auto& [u2, v2] = polygon[(i + 1) % polygon.size()];
    twice += u1 * v2 - u2 * v1;
  }
  return twice;
}

/*! whether (u, v) is strictly inside a counter-clockwise convex polygon. */
bool strictly_inside(const std::vector<std::pair<Rational, Rational>>& polygon, const RationalVector& x) {
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const auto& [u1, v1] = polygon[i];
    const auto& [u2, v2] = polygon[(i + 1) % polygon.size()];
    const Rational cross = (u2 - u1) * (x[1] - v1) - (v2 - v1) * (x[0] - u1);
    if (cross <= 0) return false;
  }
  return true;
}

/*! checks every region: distinct patterns, the witness has the pattern and lies in its convex CCW polygon, and the
 * polygons tile the window (exact areas add up). Returns the patterns. */
std::set<std::string> check_regions(const IntegerNetwork& network, const PlaneRun& run) {
  std::set<std::string> patterns = patterns_of(run.regions);
  REQUIRE(patterns.size() == run.regions.size());
  Rational total = 0;
  for (const PlaneRegion& r : run.regions) {
    INFO("pattern " << r.region.pattern);
    CHECK(signs_at(network, r.region.pattern, r.region.witness) == r.region.pattern);
    const RationalVector x = r.region.witness.to_rationals();
    CHECK(strictly_inside(r.polygon, x));
    const Rational twice = twice_area(r.polygon);
    CHECK(twice > 0);
    total += twice;
  }
  const Rational side = run.stats.proof_window.hi - run.stats.proof_window.lo;
  CHECK(total == 2 * side * side);
  CHECK(run.stats.regions == run.regions.size());
  if (!run.stats.cells_per_layer.empty()) CHECK(run.stats.cells_per_layer.back() == run.regions.size());
  return patterns;
}


}  // namespace

TEST_CASE("the true cell behind a window polygon: a vertex outside the window makes it grow", "[plane][geometry]") {
  // The wedge between L1: 3 − u + 8v > 0 and L2: 3 − u − 8v > 0 (neurons 0 and 1 of 3), vertex (3, 0), open to the
  // left.
  const std::size_t neurons = 3;
  const plane::Facet l1{3, -1, 8, 0}, l2{3, -1, -8, 1};
  auto cut = [](const plane::ConvexCell& polygon, const plane::Facet& line) {
    plane::Scratch scratch;
    std::vector<int> signs;
    for (const auto& p : polygon.start) signs.push_back(plane::side(line, *p, scratch));
    plane::ConvexCell plus, minus;
    plane::split(polygon, signs, line, plus, minus);
    return plus;
  };
  const std::vector<plane::Facet> constraints{l1, l2};
  for (int radius : {1, 4}) {
    INFO("window (-" << radius << ", " << radius << ")");
    const Box window{Rational(-radius), Rational(radius)};
    const plane::ConvexCell polygon = cut(cut(plane::square(window, neurons), l1), l2);
    REQUIRE(polygon.facets.size() == (radius == 1 ? 4u : 3u));
    REQUIRE(plane::touches_boundary(polygon, window));
    const plane::TrueCell cell = plane::true_cell(polygon, constraints, window, neurons);
    if (radius == 1) {  // every form is ≥ 0 on the wedge, but its vertex lies outside
      REQUIRE(cell.reach);
      CHECK(*cell.reach == 3);
      continue;
    }
    REQUIRE(!cell.reach);
    REQUIRE(cell.cell.facets.size() == 2);
    const std::size_t corner = cell.cell.start[0] ? 0 : 1;
    REQUIRE(cell.cell.start[corner]);
    CHECK(!cell.cell.start[1 - corner]);
    const plane::HomogeneousPoint& v = *cell.cell.start[corner];
    CHECK(Rational(v.x, v.z) == 3);
    CHECK(v.y == 0);
    CHECK(plane::is_facet(cell.cell, l1));
    // u < 5 carries no edge; at the vertex (3, 0) its normal (−1, 0) is (L1 + L2) / 2: 2·(5 − u) = L1 + L2 + 4.
    plane::Scratch scratch;
    const plane::Facet g{5, -1, 0, 7};
    CHECK(!plane::is_facet(cell.cell, g));
    const NonFacetProof proof = plane::non_facet_proof(cell.cell, g, scratch);
    CHECK(proof.hyperplane == 7);
    CHECK(proof.constraints == std::vector<std::size_t>{7, 0, 1});
    CHECK(proof.sides == std::vector<int>{-1, 1, 1});
    REQUIRE(proof.multipliers.size() == 3);
    CHECK(proof.multipliers[0] == 2 * proof.multipliers[1]);
    CHECK(proof.multipliers[1] == proof.multipliers[2]);
    // A line that cuts the wedge (u > 0 is negative on part of it) makes the window grow to where it cuts.
    const std::vector<plane::Facet> cutting{l1, l2, plane::Facet{5, 1, 0, 2}};
    const plane::TrueCell cut_cell = plane::true_cell(polygon, cutting, window, neurons);
    REQUIRE(cut_cell.reach);
    CHECK(*cut_cell.reach == 5);
  }
}

TEST_CASE("plane regions equal the LP engine's on random and degenerate 2-D networks", "[plane]") {
  const Box box{Rational(-3, 2), Rational(2)};
  std::size_t networks = 0, regions = 0;
  for (std::uint64_t seed = 1; seed <= 120; ++seed) {
    const std::vector<std::size_t> widths = seed % 3 == 0   ? std::vector<std::size_t>{4, 3, 3}
                                            : seed % 3 == 1 ? std::vector<std::size_t>{5, 4}
                                                            : std::vector<std::size_t>{3, 3, 2};
    const IntegerNetwork network = integer_network(degenerate_network(seed, widths));
    INFO("seed " << seed);
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(box)}) {
      const PlaneRun run = plane_run(network, domain);
      CHECK(check_regions(network, run) == lp_patterns(network, domain));
      if (domain) CHECK(run.stats.windows == 1);
      ++networks;
      regions += run.regions.size();
    }
  }
  CHECK(networks == 240);
  CHECK(regions > 2000);
}

TEST_CASE("plane regions of slices of higher-dimensional networks equal the LP engine's", "[plane][slice]") {
  const WeightDistribution weights = parse_weight_distribution("int:-3:3");
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    const Network network = random_network({1, 1, 4}, {linear(4), linear(3)}, seed, weights);
    const IntegerNetwork slice = slice_network(network, random_plane(4, seed));
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(Box{Rational(-1), Rational(2)})}) {
      const PlaneRun run = plane_run(slice, domain);
      CHECK(check_regions(slice, run) == lp_patterns(slice, domain));
    }
  }
  // He weights (dyadic rationals, large integer scales after integer_network).
  const Network network = random_network({1, 2, 2}, {linear(5), linear(4)}, 3, parse_weight_distribution("he:8"));
  const IntegerNetwork slice = slice_network(network, random_plane(4, 11));
  CHECK(patterns_of(plane_run(slice).regions) == lp_patterns(slice, std::nullopt));
}

TEST_CASE("patterns at an exact grid of points are among the plane regions", "[plane]") {
  const Box box{Rational(-5), Rational(5)};
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    const Network network = degenerate_network(seed, {3, 3}, 3);
    const IntegerNetwork integer = integer_network(network);
    const PlaneRun boxed = plane_run(integer, box);
    const std::set<std::string> in_box = patterns_of(boxed.regions);
    const std::set<std::string> everywhere = patterns_of(plane_run(integer).regions);
    for (const PlaneRegion& r : boxed.regions)
      CHECK(activation_pattern(network, r.region.witness.to_rationals()) == r.region.pattern);
    std::size_t grid_points = 0;
    for (int i = -29; i <= 29; ++i)
      for (int j = -29; j <= 29; ++j) {
        const RationalVector x{Rational(i, 6), Rational(j, 6)};
        const std::string pattern = activation_pattern(network, x);
        // A point on a neuron's line (a '0' whose form is not constant) is in no region.
        const std::vector<IntegerVector> forms = all_forms(integer, pattern);
        bool on_line = false;
        for (std::size_t k = 0; k < forms.size(); ++k) on_line = on_line || (pattern[k] == '0' && !is_constant(forms[k]));
        if (on_line) continue;
        ++grid_points;
        INFO("grid point " << x[0] << ", " << x[1]);
        CHECK(in_box.count(pattern) == 1);
        CHECK(everywhere.count(pattern) == 1);
      }
    CHECK(grid_points > 2000);
  }
}

TEST_CASE("certificates from plane regions need no LP and pass the checker", "[plane][certificate]") {
  for (std::uint64_t seed = 1; seed <= 24; ++seed) {
    INFO("seed " << seed);
    const Network network = degenerate_network(seed, seed % 2 ? std::vector<std::size_t>{4, 4} : std::vector<std::size_t>{3, 3, 3});
    const IntegerNetwork integer = integer_network(network);
    for (const std::optional<Box>& domain :
         {std::optional<Box>(), std::optional<Box>(Box{Rational(-1), Rational(3, 2)})}) {
      const PlaneRun run = plane_run(integer, domain, true);
      NetworkCertificateBuilder builder(network, domain, false);
      for (const PlaneRegion& r : run.regions) {
        for (const NonFacetProof& proof : r.region.proofs)
          for (std::size_t reference : proof.constraints)
            if (!domain) CHECK(reference < integer.neurons());  // in all of R^2 only neurons
        builder.add_region(r.region);
      }
      builder.complete(RunControl{});
      CHECK(builder.stats().lp_solves == 0);
      const verify::CheckReport report = verify::check_certificate(builder.to_json());
      INFO(report.reason);
      CHECK(report.valid);
      CHECK(report.regions == run.regions.size());
    }
  }
}

TEST_CASE("all of R^2: far-away regions, strips, one line, no line", "[plane]") {
  // A network of linear layers given by rows (b, a1, ..., an) over each layer's input.
  auto network_of = [](const std::vector<std::vector<RationalVector>>& layers) {
    Network network;
    network.input = Shape{1, 1, 2};
    std::size_t in = 2;
    for (const std::vector<RationalVector>& rows : layers) {
      Linear fc;
      fc.out_features = rows.size();
      fc.in_features = in;
      for (const RationalVector& row : rows) {
        fc.bias.push_back(row[0]);
        fc.weight.insert(fc.weight.end(), row.begin() + 1, row.end());
      }
      network.layers.emplace_back(std::move(fc));
      in = rows.size();
    }
    return network;
  };
  // The LP engine's patterns, and a certificate from the proofs that needs no LP and checks.
  auto check_everywhere = [](const Network& network) {
    const IntegerNetwork integer = integer_network(network);
    const PlaneRun run = plane_run(integer, std::nullopt, true);
    CHECK(check_regions(integer, run) == lp_patterns(integer, std::nullopt));
    NetworkCertificateBuilder builder(network, std::nullopt, false);
    for (const PlaneRegion& r : run.regions) builder.add_region(r.region);
    builder.complete(RunControl{});
    CHECK(builder.stats().lp_solves == 0);
    const verify::CheckReport report = verify::check_certificate(builder.to_json());
    INFO(report.reason);
    CHECK(report.valid);
    return run;
  };
  SECTION("regions far from the origin: a triangle near (10^6, −10^6), then a second layer bending there") {
    const Rational big(1000000);
    const PlaneRun run = check_everywhere(
        network_of({{{-big, 1, 0}, {big, 0, 1}, {Rational(-5), -1, -1}}, {{Rational(1), 1, -1, 2}, {Rational(-7), 0, 1, 1}}}));
    CHECK(run.stats.proof_window.hi > big);
  }
  SECTION("a bounded second-layer triangle far outside the first window") {
    // Layer 0 is u, v; on the quadrant u, v > 0 layer 1 cuts the triangle (1000, 1000), (2000, 1000), (1000, 2000).
    const PlaneRun run = check_everywhere(network_of(
        {{{Rational(0), 1, 0}, {Rational(0), 0, 1}},
         {{Rational(-1000), 1, 0}, {Rational(-1000), 0, 1}, {Rational(3000), -1, -1}}}));
    CHECK(run.stats.windows > 1);
    CHECK(run.stats.proof_window.hi > 2000);
    // The quadrant cut by three lines in general position (7), u > 0 > v and v > 0 > u cut at 1000 and 3000 (3 each),
    // and u, v < 0 (1).
    CHECK(run.regions.size() == 7 + 3 + 3 + 1);
  }
  SECTION("parallel lines only: strips, and a second layer that adds parallel lines far away") {
    CHECK(check_everywhere(network_of({{{Rational(0), 1, 0}, {Rational(-3), 1, 0}, {Rational(5), -2, 0}}})).regions.size() == 4);
    check_everywhere(network_of({{{Rational(0), 1, 2}, {Rational(-1), 2, 4}}, {{Rational(-1000), 1, 0}, {Rational(-999), 1, 1}}}));
  }
  SECTION("one line, no line") {
    CHECK(check_everywhere(network_of({{{Rational(7, 3), Rational(-2, 5), 1}}})).regions.size() == 2);
    CHECK(check_everywhere(network_of({{{Rational(7), 0, 0}, {Rational(0), 0, 0}}})).regions.size() == 1);
  }
  SECTION("a second-layer vertex far outside the first window") {
    // Layer 0 crosses near the origin; a layer-1 line through (u, v) = (300, 0) only exists where both are active.
    const PlaneRun run = check_everywhere(network_of({{{Rational(0), 1, 0}, {Rational(0), 0, 1}, {Rational(1), 1, 1}},
                                                      {{Rational(-300), 1, 0, 0}, {Rational(-300), 1, 1, 3}}}));
    CHECK(run.stats.windows > 1);
    CHECK(run.stats.proof_window.hi > 300);
  }
  SECTION("no hidden layer: one region") {
    const PlaneRun run = plane_run(integer_network(2, {}));
    REQUIRE(run.regions.size() == 1);
    CHECK(run.regions[0].region.pattern.empty());
  }
}

TEST_CASE("plane regions are the same on 1 and 3 threads", "[plane][threads]") {
  for (std::uint64_t seed : {1u, 2u}) {
    const IntegerNetwork network = integer_network(
        random_network({1, 1, 2}, {linear(8), linear(6), linear(4)}, seed, parse_weight_distribution("int:-4:4")));
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(Box{Rational(-2), Rational(2)})}) {
      const PlaneRun one = plane_run(network, domain, true, 1), three = plane_run(network, domain, true, 3);
      REQUIRE(one.regions.size() == three.regions.size());
      CHECK(one.regions.size() > 50);
      for (std::size_t r = 0; r < one.regions.size(); ++r) {
        const LinearRegion &a = one.regions[r].region, &b = three.regions[r].region;
        CHECK(a.pattern == b.pattern);
        CHECK(a.witness.coordinates == b.witness.coordinates);
        CHECK(one.regions[r].polygon == three.regions[r].polygon);
        REQUIRE(a.proofs.size() == b.proofs.size());
        for (std::size_t p = 0; p < a.proofs.size(); ++p) {
          CHECK(a.proofs[p].hyperplane == b.proofs[p].hyperplane);
          CHECK(a.proofs[p].constraints == b.proofs[p].constraints);
          CHECK(a.proofs[p].sides == b.proofs[p].sides);
          CHECK(a.proofs[p].multipliers == b.proofs[p].multipliers);
        }
      }
      CHECK(one.stats.cells_per_layer == three.stats.cells_per_layer);
      CHECK(one.stats.proof_window.hi == three.stats.proof_window.hi);
    }
  }
}

TEST_CASE("plane regions: bad input and limits", "[plane]") {
  const Network network = random_network({1, 1, 3}, {linear(3)}, 1, parse_weight_distribution("int:-2:2"));
  CHECK_THROWS_AS(PlaneRegionEnumerator(integer_network(network), PlaneRegionOptions{}), InputError);
  const IntegerNetwork plane_network =
      integer_network(random_network({1, 1, 2}, {linear(6), linear(4)}, 1, parse_weight_distribution("int:-3:3")));
  for (unsigned threads : {1u, 3u}) {
    PlaneRegionOptions options;
    options.control.max_regions = 5;
    options.threads = threads;
    PlaneRegionEnumerator enumerator(plane_network, options);
    std::size_t passed = 0;
    CHECK_THROWS_AS(enumerator.run([&](PlaneRegion&&) { ++passed; }), LimitReached);
    CHECK(passed == 0);  // all of R^2: nothing is passed on before the window is proven
    options.box = Box{Rational(-1), Rational(1)};
    PlaneRegionEnumerator boxed(plane_network, options);
    passed = 0;
    CHECK_THROWS_AS(boxed.run([&](PlaneRegion&&) { ++passed; }), LimitReached);
    CHECK(passed == 5);
  }
}

TEST_CASE("timing: a 2-16-16-16 network, plane engine against the LP engine", "[plane][.slow]") {
  // The network of `chamber random --input 1x1x2 --linear 16 --linear 16 --linear 16 --seed 1 --weights he:16`.
  const Network network =
      random_network({1, 1, 2}, {linear(16), linear(16), linear(16)}, 1, parse_weight_distribution("he:16"));
  const IntegerNetwork integer = integer_network(network);
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); };
  // Builds the certificate (timed), then checks it (timed apart).
  auto certify = [&](const std::vector<LinearRegion>& regions, const char* engine) {
    Clock::time_point start = Clock::now();
    NetworkCertificateBuilder builder(network, std::nullopt, false);
    for (const LinearRegion& r : regions) builder.add_region(r);
    builder.complete(RunControl{});
    const double build = seconds(start);
    start = Clock::now();
    const verify::CheckReport report = verify::check_certificate(builder.to_json());
    CHECK(report.valid);
    std::cout << "  " << engine << " certificate: built in " << build << " s with " << builder.stats().lp_solves
              << " LPs, " << builder.stats().enumeration_proofs << " enumeration proofs; to_json + check "
              << seconds(start) << " s\n";
  };
  for (unsigned threads : {1u, 2u}) {
    const Clock::time_point start = Clock::now();
    const PlaneRun run = plane_run(integer, std::nullopt, true, threads);
    std::cout << "plane engine, " << threads << " thread(s): " << run.regions.size() << " regions in "
              << seconds(start) << " s (window (-" << run.stats.proof_window.hi << ", " << run.stats.proof_window.hi
              << "), " << run.stats.windows << " window(s), " << run.stats.proofs << " proofs)\n";
    if (threads > 1) continue;
    std::vector<LinearRegion> regions;
    for (const PlaneRegion& r : run.regions) regions.push_back(r.region);
    certify(regions, "plane");
  }
  const Clock::time_point start = Clock::now();
  LinearRegionEnumerator enumerator(integer, LinearRegionOptions{RunControl{}, false, std::nullopt, true, 1, NetworkEngine::lp});
  std::vector<LinearRegion> regions;
  enumerator.run([&](const LinearRegion& region) { regions.push_back(region); });
  std::cout << "LP engine: " << regions.size() << " regions in " << seconds(start) << " s with "
            << enumerator.stats().lp_solves << " LPs\n";
  certify(regions, "LP");
}

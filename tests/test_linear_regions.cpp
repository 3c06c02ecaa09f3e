// Exact linear regions of networks: against the arrangement engine (one layer), against an independent brute force
// over activation patterns with one LP each (several layers, boxes, dead neurons; every engine: auto, lp, cone, hybrid
// and plane on 2-D inputs), the paper's Table 1 and Table 2,
// certificates accepted by the independent checker and tampered ones rejected, sampling below the exact count.
#include "cnn/formulas.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/points.hpp"
#include "cnn/slice.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/sampling.hpp"

#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/lp.hpp"
#include "verify/certificate_check.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace chamber;
using nlohmann::json;

namespace {

LayerSpec conv(std::size_t filters, std::size_t kh, std::size_t kw, std::size_t stride = 1) {
  return LayerSpec{true, filters, kh, kw, stride, stride};
}
LayerSpec linear(std::size_t units) { return LayerSpec{false, units, 1, 1, 1, 1}; }

std::vector<LinearRegion> regions_of(const Network& network, std::optional<Box> box = std::nullopt,
                                     bool exact_lp = false, bool keep_proofs = true,
                                     NetworkEngine engine = NetworkEngine::automatic) {
  LinearRegionEnumerator enumerator(network, LinearRegionOptions{RunControl{}, exact_lp, box, keep_proofs, 1, engine});
  std::vector<LinearRegion> regions;
  enumerator.run([&](const LinearRegion& region) { regions.push_back(region); });
  return regions;
}

/*! the independent count: every activation pattern, with forms computed from the rational affine rows (not from
 * the enumerator's integer network), decided by one strict-feasibility LP each. */
std::set<std::string> brute_force_patterns(const Network& network, std::optional<Box> box = std::nullopt) {
  const std::size_t n = network.input_dimension();
  std::set<std::string> found;
  // forms over (1, x) of the current layer's inputs.
  std::vector<RationalVector> identity;
  for (std::size_t i = 0; i < n; ++i) {
    RationalVector e(n + 1, 0);
    e[i + 1] = 1;
    identity.push_back(e);
  }
  std::vector<RationalVector> constraints;  // oriented: > 0 on the cell
  if (box)
    for (std::size_t i = 0; i < n; ++i) {
      RationalVector lower(n + 1, 0), upper(n + 1, 0);
      lower[0] = -box->lo;
      lower[i + 1] = 1;
      upper[0] = box->hi;
      upper[i + 1] = -1;
      constraints.push_back(lower);
      constraints.push_back(upper);
    }
  std::function<void(std::size_t, const std::vector<RationalVector>&, std::string)> layer_step;
  std::function<void(std::size_t, std::size_t, const std::vector<RationalVector>&, std::vector<RationalVector>&,
                     std::string)>
      neuron_step;
  auto feasible = [&] {
    if (constraints.empty()) return true;
    std::vector<Hyperplane> rows;
    for (const RationalVector& c : constraints) rows.push_back(Hyperplane::from_rationals(c));
    MergeReport merge;
    Arrangement arrangement(n, rows, &merge);
    std::map<std::size_t, int> sign_of;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      int s = merge.reversed[i] ? -1 : 1;
      auto [it, inserted] = sign_of.emplace(merge.merged_index[i], s);
      if (!inserted && it->second != s) return false;  // both sides of one hyperplane
    }
    std::vector<SignCondition> conditions;
    for (auto [h, s] : sign_of) conditions.push_back({h, s});
    StrictFeasibilitySolver solver(arrangement);
    return solver.solve(conditions).feasible;
  };
  layer_step = [&](std::size_t layer, const std::vector<RationalVector>& inputs, std::string pattern) {
    if (layer == network.layers.size()) {
      if (feasible()) found.insert(pattern);
      return;
    }
    std::vector<RationalVector> forms;
    for (const RationalVector& row : affine_rows(network, layer)) {
      RationalVector form(n + 1, 0);
      form[0] = row[0];
      for (std::size_t i = 1; i < row.size(); ++i)
        for (std::size_t c = 0; c <= n; ++c) form[c] += row[i] * inputs[i - 1][c];
      forms.push_back(form);
    }
    std::vector<RationalVector> outputs;
    neuron_step(layer, 0, forms, outputs, pattern);
  };
  neuron_step = [&](std::size_t layer, std::size_t k, const std::vector<RationalVector>& forms,
                    std::vector<RationalVector>& outputs, std::string pattern) {
    if (k == forms.size()) {
      layer_step(layer + 1, outputs, pattern);
      return;
    }
    const RationalVector& f = forms[k];
    bool constant = true;
    for (std::size_t c = 1; c <= n; ++c) constant = constant && f[c] == 0;
    const RationalVector zero(n + 1, 0);
    if (constant) {
      outputs.push_back(f[0] > 0 ? f : zero);
      neuron_step(layer, k + 1, forms, outputs, pattern + (f[0] > 0 ? '+' : f[0] < 0 ? '-' : '0'));
      outputs.pop_back();
      return;
    }
    for (int s : {1, -1}) {
      RationalVector oriented = f;
      if (s < 0)
        for (Rational& v : oriented) v = -v;
      constraints.push_back(oriented);
      outputs.push_back(s > 0 ? f : zero);
      neuron_step(layer, k + 1, forms, outputs, pattern + (s > 0 ? '+' : '-'));
      outputs.pop_back();
      constraints.pop_back();
    }
  };
  layer_step(0, identity, std::string());
  return found;
}

std::set<std::string> patterns_of(const std::vector<LinearRegion>& regions) {
  std::set<std::string> patterns;
  for (const LinearRegion& r : regions) patterns.insert(r.pattern);
  return patterns;
}

json certify(const Network& network, const std::vector<LinearRegion>& regions, std::optional<Box> box = std::nullopt) {
  NetworkCertificateBuilder builder(network, box, false);
  for (const LinearRegion& r : regions) builder.add_region(r);
  builder.complete(RunControl{});
  // Proven on three threads, the certificate is the same, Farkas numbering included.
  NetworkCertificateBuilder threaded(network, box, false);
  for (const LinearRegion& r : regions) threaded.add_region(r);
  threaded.complete(RunControl{}, 3);
  REQUIRE(threaded.to_json() == builder.to_json());
  CHECK(threaded.stats().lp_solves == builder.stats().lp_solves);
  return builder.to_json();
}

std::size_t count_and_check(const Network& network, std::optional<Box> box, NetworkEngine engine,
                            const std::set<std::string>& brute);

/*! enumerates with every engine that applies, compares with the brute force, and checks the certificates; returns
 * the count. */
std::size_t count_and_check(const Network& network, std::optional<Box> box = std::nullopt) {
  const std::set<std::string> brute = brute_force_patterns(network, box);
  std::vector<NetworkEngine> engines{NetworkEngine::automatic, NetworkEngine::lp, NetworkEngine::cone,
                                     NetworkEngine::hybrid};
  if (network.input_dimension() == 2) engines.push_back(NetworkEngine::plane);
  std::size_t count = 0;
  for (NetworkEngine engine : engines) {
    INFO("engine " << to_string(engine));
    count = count_and_check(network, box, engine, brute);
  }
  return count;
}

/*! enumerates with `engine`, compares with the brute force, and checks the certificate. */
std::size_t count_and_check(const Network& network, std::optional<Box> box, NetworkEngine engine,
                            const std::set<std::string>& brute) {
  std::vector<LinearRegion> regions = regions_of(network, box, false, true, engine);
  const std::set<std::string> patterns = patterns_of(regions);
  REQUIRE(patterns.size() == regions.size());
  CHECK(patterns == brute);
  for (const LinearRegion& r : regions) {
    const RationalVector x = r.witness.to_rationals();
    // The witness has the region's pattern (neurons identically 0 on the region show '0' there too).
    CHECK(activation_pattern(network, x) == r.pattern);
    if (box)
      for (const Rational& v : x) CHECK((box->lo < v && v < box->hi));
  }
  // With the enumeration's Farkas proofs, and with every non-facet proven by a fresh LP.
  verify::CheckReport report = verify::check_certificate(certify(network, regions, box));
  INFO(report.reason);
  CHECK(report.valid);
  CHECK(report.regions == regions.size());
  for (LinearRegion& r : regions) r.proofs.clear();
  verify::CheckReport without = verify::check_certificate(certify(network, regions, box));
  INFO(without.reason);
  CHECK(without.valid);
  return regions.size();
}

}  // namespace

TEST_CASE("one layer: the linear regions are the regions of the first-layer arrangement", "[linear_regions]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    for (const char* weights : {"int:-2:2", "int:-9:9"}) {
      Network network = random_network({1, 3, 3}, {conv(2, 2, 2)}, seed, parse_weight_distribution(weights));
      Network fc = random_network({1, 1, 3}, {linear(5)}, seed, parse_weight_distribution(weights));
      for (const Network* net : {&network, &fc}) {
        LayerArrangement first = first_layer_arrangement(*net);
        const Integer expected = characteristic_polynomial(first.arrangement).regions();
        INFO("seed " << seed << " weights " << weights);
        CHECK(Integer(static_cast<unsigned long>(regions_of(*net).size())) == expected);
      }
    }
  }
}

TEST_CASE("multi-layer counts equal the brute force over activation patterns; certificates check",
          "[linear_regions]") {
  SECTION("conv -> conv, conv -> linear, linear -> linear, small integers (dead and constant neurons)") {
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      const WeightDistribution small = parse_weight_distribution("int:-2:2");
      INFO("seed " << seed);
      count_and_check(random_network({1, 1, 4}, {conv(2, 1, 2), conv(2, 1, 2)}, seed, small));
      count_and_check(random_network({1, 2, 2}, {conv(2, 2, 1), linear(3)}, seed, small));
      count_and_check(random_network({1, 1, 2}, {linear(3), linear(3)}, seed, small));
      count_and_check(random_network({1, 1, 2}, {linear(2), linear(2), linear(2)}, seed, small));
    }
  }
  SECTION("He weights rounded to 6 bits (dyadic rationals)") {
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
      count_and_check(random_network({1, 1, 3}, {linear(3), linear(3)}, seed, parse_weight_distribution("he:6")));
  }
  SECTION("inside a box") {
    const Box box{Rational(-1), Rational(2)};
    for (std::uint64_t seed = 1; seed <= 3; ++seed)
      count_and_check(random_network({1, 1, 2}, {linear(3), linear(2)}, seed, parse_weight_distribution("int:-3:3")),
                      box);
  }
}

TEST_CASE("a dead neuron does not split; an all-zero layer gives one region", "[linear_regions]") {
  // Layer 1: x and -x; layer 2: relu(x) + relu(-x) - 1 = |x| - 1 and a neuron with zero weights and bias 0.
  Network network;
  network.input = Shape{1, 1, 1};
  Linear first{2, 1, {Rational(1), Rational(-1)}, {Rational(0), Rational(0)}};
  Linear second{2, 2, {Rational(1), Rational(1), Rational(0), Rational(0)}, {Rational(-1), Rational(0)}};
  network.layers = {first, second};
  std::vector<LinearRegion> regions = regions_of(network);
  CHECK(patterns_of(regions) == std::set<std::string>{"+-+0", "+--0", "-+-0", "-++0"});
  CHECK(count_and_check(network) == 4);
  Network dead;
  dead.input = Shape{1, 1, 2};
  dead.layers = {Linear{2, 2, std::vector<Rational>(4, Rational(0)), {Rational(1), Rational(0)}}};
  std::vector<LinearRegion> one = regions_of(dead);
  REQUIRE(one.size() == 1);
  CHECK(one[0].pattern == "+0");
  CHECK(count_and_check(dead) == 1);
}

TEST_CASE("the certificate's counts: neighbours, enumeration proofs and LPs add up", "[linear_regions][certificate]") {
  const Network network = random_network({1, 1, 3}, {linear(4), linear(3)}, 2, parse_weight_distribution("int:-3:3"));
  for (bool keep_proofs : {true, false}) {
    INFO("enumeration proofs kept: " << keep_proofs);
    const std::vector<LinearRegion> regions = regions_of(network, std::nullopt, false, keep_proofs, NetworkEngine::lp);
    NetworkCertificateBuilder builder(network, std::nullopt, false);
    for (const LinearRegion& r : regions) builder.add_region(r);
    builder.complete(RunControl{}, 2);
    const NetworkCertificateStats& stats = builder.stats();
    CHECK(stats.neighbour_links > 0);
    CHECK(stats.blocked > 0);
    CHECK(stats.blocked == stats.enumeration_proofs + stats.lp_solves);
    if (keep_proofs)
      CHECK(stats.enumeration_proofs > 0);
    else
      CHECK((stats.enumeration_proofs == 0 && stats.lp_solves > 0));
  }
}

TEST_CASE("exact LP path and certified float path give the same regions", "[linear_regions]") {
  Network network = random_network({1, 1, 5}, {conv(2, 1, 2), linear(3)}, 3, parse_weight_distribution("int:-3:3"));
  std::vector<LinearRegion> fast = regions_of(network), exact = regions_of(network, std::nullopt, true);
  CHECK(patterns_of(fast) == patterns_of(exact));
}

TEST_CASE("Table 1: input 1x3, d1 filters 1x2 at random weights give (1 + d1)(1 + d1^2)", "[linear_regions]") {
  for (std::size_t d1 = 1; d1 <= 8; ++d1) {
    Network network = random_network({1, 1, 3}, {conv(d1, 1, 2)}, 7, parse_weight_distribution("int:-1000000:1000000"));
    const std::size_t expected = (1 + d1) * (1 + d1 * d1);
    INFO("d1 = " << d1);
    CHECK(regions_of(network).size() == expected);
    CHECK(eq4({1, 1, 3}, {d1, 1, 2, 1, 1}) == Integer(static_cast<unsigned long>(expected)));
  }
}

TEST_CASE("Table 2: input 1x4, 2 filters then d2 filters 1x2: exact counts below (9), their maximum above (8)",
          "[linear_regions]") {
  // The lower bound (8) is about the maximum over weights: one random weight choice may fall below it (the second
  // layer reads ReLU outputs, and many of its neurons are dead on many cells), the best of a few reaches it.
  for (std::size_t d2 = 1; d2 <= 4; ++d2) {
    const std::vector<ConvSpec> layers{{2, 1, 2, 1, 1}, {d2, 1, 2, 1, 1}};
    Integer best = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
      Network network = random_network({1, 1, 4}, {conv(2, 1, 2), conv(d2, 1, 2)}, seed,
                                       parse_weight_distribution("int:-1000000:1000000"));
      const Integer exact(static_cast<unsigned long>(regions_of(network).size()));
      INFO("d2 = " << d2 << ", seed " << seed << ", exact " << exact);
      CHECK(exact <= theorem5_upper({1, 1, 4}, layers));
      if (exact > best) best = exact;
    }
    INFO("d2 = " << d2 << ", best " << best);
    CHECK(theorem5_lower({1, 1, 4}, layers) <= best);
  }
}

TEST_CASE("tampered network certificates are rejected", "[linear_regions]") {
  Network network = random_network({1, 1, 3}, {linear(3), linear(2)}, 5, parse_weight_distribution("int:-3:3"));
  std::vector<LinearRegion> regions = regions_of(network);
  REQUIRE(regions.size() >= 3);
  const json good = certify(network, regions);
  REQUIRE(verify::check_certificate(good).valid);

  json missing = good;
  missing["regions"].erase(missing["regions"].begin() + 1);
  missing["region_count"] = missing["regions"].size();
  CHECK_FALSE(verify::check_certificate(missing).valid);

  json wrong_count = good;
  wrong_count["region_count"] = regions.size() + 1;
  CHECK_FALSE(verify::check_certificate(wrong_count).valid);

  json moved = good;
  moved["regions"][0]["witness"] = moved["regions"][1]["witness"];
  CHECK_FALSE(verify::check_certificate(moved).valid);

  json other_weights = good;
  other_weights["network"]["layers"][0]["bias"][0] = "1000";
  CHECK_FALSE(verify::check_certificate(other_weights).valid);

  if (!good["farkas"].empty()) {
    json bad_multiplier = good;
    bad_multiplier["farkas"][0]["multipliers"][0] = "0";
    CHECK_FALSE(verify::check_certificate(bad_multiplier).valid);
  }
}

TEST_CASE("the sampled number of patterns never exceeds the exact count", "[linear_regions]") {
  Network network = random_network({1, 3, 3}, {conv(2, 2, 2)}, 1, parse_weight_distribution("he:10"));
  const std::size_t exact = regions_of(network).size();
  SampleResult sampled = sample_patterns(network, SampleOptions{20000, 3, 1, RunControl{}});
  CHECK(sampled.samples == 20000);
  CHECK(sampled.distinct_patterns <= exact);
  CHECK(sampled.distinct_patterns > exact / 4);  // a coarse sanity check: sampling finds many regions
  SampleResult again = sample_patterns(network, SampleOptions{20000, 3, 1, RunControl{}});
  CHECK(again.distinct_patterns == sampled.distinct_patterns);
}

TEST_CASE("box text is checked", "[linear_regions]") {
  CHECK(parse_box("-1,1/2", "--box").hi == Rational(1, 2));
  CHECK_THROWS_AS(parse_box("1,1", "--box"), InputError);
  CHECK_THROWS_AS(parse_box("1", "--box"), InputError);
  CHECK_THROWS_AS(parse_box("a,b", "--box"), InputError);
}

TEST_CASE("Table 2 networks at large random weights agree with the brute force", "[linear_regions][.slow]") {
  for (std::size_t d2 = 2; d2 <= 4; ++d2)
    for (std::uint64_t seed = 1; seed <= 2; ++seed) {
      INFO("d2 = " << d2 << ", seed " << seed);
      Network network = random_network({1, 1, 4}, {conv(2, 1, 2), conv(d2, 1, 2)}, seed,
                                       parse_weight_distribution("int:-1000000:1000000"));
      CHECK(patterns_of(regions_of(network)) == brute_force_patterns(network));
    }
}

TEST_CASE("one fully connected layer at random weights reaches Theorem 1", "[linear_regions]") {
  for (std::size_t units = 1; units <= 7; ++units) {
    Network network = random_network({1, 1, 3}, {linear(units)}, units, parse_weight_distribution("int:-1000000:1000000"));
    INFO(units << " units");
    CHECK(Integer(static_cast<unsigned long>(regions_of(network).size())) == theorem1(3, units));
  }
}

TEST_CASE("a 1-D input MLP: regions are intervals between exact breakpoints", "[linear_regions]") {
  // Layer 1: x, x - 1, x - 3; layer 2: relu(x) - 2 relu(x - 1) + relu(x - 3) - 1/2 (a hat minus 1/2) and its negation.
  Network network;
  network.input = Shape{1, 1, 1};
  network.layers = {Linear{3, 1, {Rational(1), Rational(1), Rational(1)}, {Rational(0), Rational(-1), Rational(-3)}},
                    Linear{2, 3, {Rational(1), Rational(-2), Rational(1), Rational(-1), Rational(2), Rational(-1)},
                           {Rational(-1, 2), Rational(1, 2)}}};
  std::vector<LinearRegion> regions = regions_of(network);
  // The hat is x - 1/2 on [0, 1], 3/2 - x on [1, 3], and constant outside (-1/2 left, -3/2 right): breakpoints
  // 0, 1, 3 from layer 1 and 1/2, 3/2 where the hat crosses 1/2 — six intervals.
  const std::vector<Rational> expected{Rational(0), Rational(1, 2), Rational(1), Rational(3, 2), Rational(3)};
  CHECK(breakpoints_1d(integer_network(network), regions, std::nullopt) == expected);
  CHECK(regions.size() == expected.size() + 1);
  CHECK(count_and_check(network) == 6);
  const Box box{Rational(1, 4), Rational(2)};
  CHECK(breakpoints_1d(integer_network(network), regions_of(network, box), box) ==
        std::vector<Rational>{Rational(1, 2), Rational(1), Rational(3, 2)});
}

TEST_CASE("points are located in the region whose witness they are; boundary points in none", "[linear_regions][points]") {
  const WeightDistribution small = parse_weight_distribution("int:-2:2");
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    for (const Network& network : {random_network({1, 2, 2}, {conv(2, 2, 1), linear(3)}, seed, small),
                                   random_network({1, 1, 2}, {linear(3), linear(3)}, seed, small)}) {
      const IntegerNetwork integer = integer_network(network);
      std::vector<LinearRegion> regions = regions_of(network);
      std::vector<InputPoint> witnesses;
      for (const LinearRegion& region : regions) {
        CHECK(pattern_at(integer, region.witness.to_rationals()) == region.pattern);
        witnesses.push_back({witnesses.size() + 1, region.witness.to_rationals()});
      }
      // Every witness twice: one region each, found in enumeration order.
      std::vector<InputPoint> twice = witnesses;
      twice.insert(twice.end(), witnesses.begin(), witnesses.end());
      const PointsReport report = locate_points(integer, twice, std::nullopt);
      CHECK(report.points == 2 * regions.size());
      CHECK(report.patterns.size() == regions.size());
      for (const auto& lines : report.lines) CHECK(lines.size() == 2);
      CHECK(report.on_boundary.empty());
    }
  }
  // x on the hyperplane of the first neuron of relu(x - 1/2), relu(-x): a boundary point; others inside.
  Network network;
  network.input = Shape{1, 1, 1};
  network.layers = {Linear{2, 1, {Rational(1), Rational(-1)}, {Rational(-1, 2), Rational(0)}}};
  const IntegerNetwork integer = integer_network(network);
  CHECK_FALSE(pattern_at(integer, {Rational(1, 2)}));
  CHECK(pattern_at(integer, {Rational(1)}) == std::string("+-"));
  CHECK(pattern_at(integer, {Rational(1, 4)}) == std::string("--"));
  const PointsReport report =
      locate_points(integer, {{1, {Rational(1, 2)}}, {2, {Rational(3)}}, {3, {Rational(-5)}}}, Box{Rational(-1), Rational(4)});
  CHECK(report.on_boundary == std::vector<std::size_t>{1});
  CHECK(report.outside_box == std::vector<std::size_t>{3});
  CHECK(report.patterns == std::vector<std::string>{"+-"});
}

TEST_CASE("a slice through the whole input plane has the network's regions in the window", "[linear_regions][slice]") {
  const WeightDistribution small = parse_weight_distribution("int:-3:3");
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    const Network network = random_network({1, 1, 2}, {linear(4), linear(3)}, seed, small);
    const Box window{Rational(-2), Rational(3)};
    // P0 = 0, P1 = e1, P2 = e2: (u, v) = x.
    const Plane plane = plane_through({Rational(0), Rational(0)}, {Rational(1), Rational(0)}, {Rational(0), Rational(1)});
    const Slice slice = compute_slice(network, plane, window, RunControl{});
    std::set<std::string> patterns;
    for (const SlicePolygon& polygon : slice.polygons) patterns.insert(polygon.pattern);
    CHECK(patterns == patterns_of(regions_of(network, window)));
    // The polygons tile the window: their exact areas add up to its area.
    Rational total = 0;
    for (const SlicePolygon& polygon : slice.polygons) {
      const auto& v = polygon.vertices;
      Rational twice = 0;
      for (std::size_t i = 0; i < v.size(); ++i) {
        const auto& [u1, v1] = v[i];
        const auto& [u2, v2] = v[(i + 1) % v.size()];
        twice += u1 * v2 - u2 * v1;
      }
      CHECK(twice > 0);
      total += twice / 2;
    }
    CHECK(total == Rational(25));
  }
  CHECK_THROWS_AS(plane_through({Rational(0), Rational(0)}, {Rational(1), Rational(1)}, {Rational(2), Rational(2)}),
                  InputError);
}

// The cone engine (cnn/cone_regions.hpp: cells by double description, no LPs) and the hybrid (the first layer by the
// LP engine, the later layers by cones inside each of its cells): the same patterns as the LP engine on random and
// degenerate networks of 1 to 5 inputs and on small CNNs, with and without a box, and as the 2-D engine on 2-D inputs;
// witnesses strictly inside their regions; certificates from their proofs that pass the independent checker (with no
// LP for the cone engine); cells too large for cones handed to the LP engine with the same result; the same output on
// any number of threads.
#include "cnn/cone_regions.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"

#include "arrangement/errors.hpp"
#include "verify/certificate_check.hpp"

#include "tests/degenerate_networks.hpp"
#include "tests/trials.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace chamber;
using chamber::testing::degenerate_network;
using chamber::testing::signs_at;
using chamber::testing::linear_layer;

namespace {

const std::vector<NetworkEngine> cone_engines{NetworkEngine::cone, NetworkEngine::hybrid};

struct Run {
  std::vector<LinearRegion> regions;
  LinearRegionStats stats;
};

Run run(const IntegerNetwork& network, NetworkEngine engine, std::optional<Box> box = std::nullopt,
        bool keep_proofs = false, unsigned threads = 1, std::size_t max_rays = 4096) {
  LinearRegionOptions options{RunControl{}, false, box, keep_proofs, threads, engine};
  options.max_rays = max_rays;
  LinearRegionEnumerator enumerator(network, options);
  Run result;
  enumerator.run([&](const LinearRegion& region) { result.regions.push_back(region); });
  result.stats = enumerator.stats();
  return result;
}

/*! checks distinct patterns, witnesses strictly inside their regions (and the box); returns the patterns. */
std::set<std::string> checked_patterns(const IntegerNetwork& network, const Run& r, const std::optional<Box>& box) {
  std::set<std::string> patterns;
  for (const LinearRegion& region : r.regions) {
    INFO("pattern " << region.pattern);
    CHECK(signs_at(network, region.pattern, region.witness) == region.pattern);
    if (box)
      for (const Rational& x : region.witness.to_rationals()) CHECK((box->lo < x && x < box->hi));
    patterns.insert(region.pattern);
  }
  CHECK(patterns.size() == r.regions.size());
  CHECK(r.stats.regions == r.regions.size());
  return patterns;
}

std::set<std::string> patterns_of(const Run& r) {
  std::set<std::string> patterns;
  for (const LinearRegion& region : r.regions) patterns.insert(region.pattern);
  return patterns;
}

}  // namespace

TEST_CASE("cone regions equal the LP engine's on random and degenerate networks of 1 to 5 inputs", "[cone]") {
  const Box box{Rational(-3, 2), Rational(2)};
  std::size_t networks = 0, regions = 0;
  for (std::uint64_t seed = 1; seed <= 90; ++seed) {
    const std::size_t input = seed % 5 == 0 ? 1 : seed % 5 == 1 ? 4 : seed % 5 == 4 ? 5 : 3;
    const std::vector<std::size_t> widths = seed % 3 == 0   ? std::vector<std::size_t>{4, 3, 3}
                                            : seed % 3 == 1 ? std::vector<std::size_t>{5, 4}
                                                            : std::vector<std::size_t>{3, 3, 2};
    const IntegerNetwork network = integer_network(degenerate_network(seed, widths, 2, input));
    INFO("seed " << seed << ", input " << input);
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(box)}) {
      const std::set<std::string> lp = patterns_of(run(network, NetworkEngine::lp, domain));
      for (NetworkEngine engine : cone_engines) {
        INFO("engine " << to_string(engine));
        const Run cones = run(network, engine, domain);
        CHECK(cones.stats.engine == engine);
        if (engine == NetworkEngine::cone) CHECK(cones.stats.lp_solves == 0);
        CHECK(cones.stats.fallback_cells == 0);
        CHECK(checked_patterns(network, cones, domain) == lp);
        CHECK(cones.stats.cells_per_layer.back() == cones.regions.size());
        ++networks;
        regions += cones.regions.size();
      }
    }
  }
  CHECK(networks == 360);
  CHECK(regions > 4000);
}

TEST_CASE("cone regions of CNNs and He-weighted MLPs equal the LP engine's", "[cone]") {
  const WeightDistribution big = parse_weight_distribution("int:-1000000:1000000");
  const std::vector<Network> networks{
      random_network({1, 3, 3}, {LayerSpec{true, 2, 2, 2, 1, 1}}, 1, big),
      random_network({1, 3, 3}, {LayerSpec{true, 2, 2, 2, 1, 1}, linear_layer(4)}, 2, parse_weight_distribution("he:16")),
      random_network({2, 2, 3}, {LayerSpec{true, 3, 2, 2, 1, 1}}, 3, big),
      random_network({1, 1, 3}, {linear_layer(8), linear_layer(6)}, 1, parse_weight_distribution("he:16")),
      random_network({1, 4, 4}, {LayerSpec{true, 2, 2, 2, 2, 2}, LayerSpec{true, 2, 2, 2, 1, 1}}, 1,
                     parse_weight_distribution("he:16"))};
  for (std::size_t i = 0; i < networks.size(); ++i) {
    INFO("network " << i);
    const IntegerNetwork network = integer_network(networks[i]);
    const std::set<std::string> lp = patterns_of(run(network, NetworkEngine::lp));
    for (NetworkEngine engine : cone_engines) {
      INFO("engine " << to_string(engine));
      const Run cones = run(network, engine);
      CHECK(cones.stats.engine == engine);
      CHECK(checked_patterns(network, cones, std::nullopt) == lp);
      for (const LinearRegion& region : cones.regions)
        CHECK(activation_pattern(networks[i], region.witness.to_rationals()) == region.pattern);
    }
  }
}

TEST_CASE("cone regions equal the 2-D engine's on 2-D inputs", "[cone][plane]") {
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    const IntegerNetwork network = integer_network(degenerate_network(seed, {4, 4, 3}));
    for (const std::optional<Box>& domain :
         {std::optional<Box>(), std::optional<Box>(Box{Rational(-1), Rational(3, 2)})}) {
      const Run cones = run(network, NetworkEngine::cone, domain), plane = run(network, NetworkEngine::plane, domain);
      CHECK(plane.stats.engine == NetworkEngine::plane);
      CHECK(checked_patterns(network, cones, domain) == patterns_of(plane));
    }
  }
}

TEST_CASE("certificates from cone and hybrid regions pass the checker", "[cone][certificate]") {
  std::size_t regions = 0;
  std::uint64_t certificate_lps[2] = {0, 0};
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    INFO("seed " << seed);
    const std::size_t input = 3 + seed % 2;
    const Network network = degenerate_network(seed, seed % 2 ? std::vector<std::size_t>{4, 4} : std::vector<std::size_t>{3, 3, 3},
                                               2, input);
    const IntegerNetwork integer = integer_network(network);
    for (const std::optional<Box>& domain :
         {std::optional<Box>(), std::optional<Box>(Box{Rational(-1), Rational(3, 2)})}) {
      for (NetworkEngine engine : cone_engines) {
        INFO("engine " << to_string(engine));
        const Run cones = run(integer, engine, domain, true);
        NetworkCertificateBuilder builder(network, domain, false);
        for (const LinearRegion& region : cones.regions) builder.add_region(region);
        builder.complete(RunControl{});
        certificate_lps[engine == NetworkEngine::hybrid] += builder.stats().lp_solves;
        const verify::CheckReport report = verify::check_certificate(builder.to_json());
        INFO(report.reason);
        CHECK(report.valid);
        CHECK(report.regions == cones.regions.size());
        regions += cones.regions.size();
      }
    }
  }
  CHECK(certificate_lps[0] == 0);  // the cone engine proves every non-facet itself
  CHECK(regions > 1000);
}

TEST_CASE("cells too large for the cone engine go to the LP engine, with the same regions", "[cone]") {
  std::uint64_t fallback_cells[2] = {0, 0};
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    const Network network = degenerate_network(seed, {5, 4, 3}, 2, 3);
    const IntegerNetwork integer = integer_network(network);
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(Box{Rational(-1), Rational(2)})}) {
      const std::set<std::string> lp = patterns_of(run(integer, NetworkEngine::lp, domain));
      for (NetworkEngine engine : cone_engines) {
        INFO("engine " << to_string(engine));
        const Run small = run(integer, engine, domain, true, 1, domain ? 8 : 5);
        fallback_cells[engine == NetworkEngine::hybrid] += small.stats.fallback_cells;
        CHECK(checked_patterns(integer, small, domain) == lp);
        NetworkCertificateBuilder builder(network, domain, false);
        for (const LinearRegion& region : small.regions) builder.add_region(region);
        builder.complete(RunControl{});
        const verify::CheckReport report = verify::check_certificate(builder.to_json());
        INFO(report.reason);
        CHECK(report.valid);
      }
    }
  }
  CHECK(fallback_cells[0] > 20);
  CHECK(fallback_cells[1] > 10);
  // A box with more vertices than max_rays: the automatic choice is the LP engine.
  const IntegerNetwork wide = integer_network(degenerate_network(1, {3}, 2, 13));
  CHECK_THROWS_AS(run(wide, NetworkEngine::cone, Box{Rational(-1), Rational(1)}), LimitReached);
}

TEST_CASE("cone regions are the same on 1 and 3 threads", "[cone][threads]") {
  // Seed 1 alone in the sanitizer tree (each seed takes about 50 s there).
  for (std::uint64_t seed = 1, seeds = static_cast<std::uint64_t>(test::trials(2, 1)); seed <= seeds; ++seed) {
    const IntegerNetwork network = integer_network(random_network(
        {1, 1, 3}, {linear_layer(8), linear_layer(6), linear_layer(4)}, seed, parse_weight_distribution("int:-4:4")));
    for (const std::optional<Box>& domain : {std::optional<Box>(), std::optional<Box>(Box{Rational(-2), Rational(2)})}) {
      for (const auto& [engine, max_rays] : {std::pair{NetworkEngine::cone, std::size_t{4096}},
                                             std::pair{NetworkEngine::cone, std::size_t{12}},
                                             std::pair{NetworkEngine::hybrid, std::size_t{4096}},
                                             std::pair{NetworkEngine::hybrid, std::size_t{12}}}) {
        INFO("engine " << to_string(engine) << ", max_rays " << max_rays);
        const Run one = run(network, engine, domain, true, 1, max_rays);
        const Run three = run(network, engine, domain, true, 3, max_rays);
        REQUIRE(one.regions.size() == three.regions.size());
        CHECK(one.regions.size() > 50);
        for (std::size_t r = 0; r < one.regions.size(); ++r) {
          const LinearRegion &a = one.regions[r], &b = three.regions[r];
          CHECK(a.pattern == b.pattern);
          CHECK(a.witness.coordinates == b.witness.coordinates);
          REQUIRE(a.proofs.size() == b.proofs.size());
          for (std::size_t p = 0; p < a.proofs.size(); ++p) {
            CHECK(a.proofs[p].constraints == b.proofs[p].constraints);
            CHECK(a.proofs[p].multipliers == b.proofs[p].multipliers);
          }
        }
        CHECK(one.stats.cells_per_layer == three.stats.cells_per_layer);
        CHECK(one.stats.fallback_cells == three.stats.fallback_cells);
      }
    }
  }
}

TEST_CASE("cone regions: the region limit", "[cone]") {
  const IntegerNetwork network =
      integer_network(random_network({1, 1, 3}, {linear_layer(6), linear_layer(4)}, 1, parse_weight_distribution("int:-3:3")));
  for (const auto& [engine, threads] : {std::pair{NetworkEngine::cone, 1u}, std::pair{NetworkEngine::cone, 3u},
                                         std::pair{NetworkEngine::hybrid, 1u}, std::pair{NetworkEngine::hybrid, 3u}}) {
    LinearRegionOptions options{RunControl{}, false, std::nullopt, false, threads, engine};
    options.control.max_regions = 5;
    LinearRegionEnumerator enumerator(network, options);
    std::size_t passed = 0;
    CHECK_THROWS_AS(enumerator.run([&](const LinearRegion&) { ++passed; }), LimitReached);
    // The cone engine passes exactly the limit; the hybrid stops already when the first layer has more cells.
    if (engine == NetworkEngine::cone)
      CHECK(passed == 5);
    else
      CHECK(passed <= 5);
  }
}

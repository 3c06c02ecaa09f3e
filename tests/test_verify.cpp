// Tests of the independent certificate checker, on hand-written certificates (docs/certificate.md): valid ones are
// accepted, and removing any region or blocked pair breaks the closure. The checker is tested alone: nothing here
// comes from the enumerator. Tampered certificates: test_verify_tampered.cpp; reading fields: test_verify_input.cpp.
#include "verify_arrangements.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

using namespace chamber::test::verify_arrangements;

TEST_CASE("hand-written certificates are accepted with their sizes", "[verify]") {
  struct Known {
    const char* name;
    json (*make)();
    std::size_t dimension, hyperplanes, regions, farkas;
  };
  const Known known = GENERATE(values<Known>({
      {"x = 0", point_on_a_line, 1, 1, 2, 0},
      {"two lines", two_lines, 2, 2, 4, 0},
      {"three lines", three_lines, 2, 3, 7, 1},
      {"central lines", central_lines, 2, 3, 6, 2},
  }));
  INFO(known.name);
  const CheckReport report = check_certificate(known.make());
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  CHECK(report.kind == chamber::verify::CertificateKind::arrangement);
  CHECK(report.dimension == known.dimension);
  CHECK(report.hyperplanes == known.hyperplanes);
  CHECK(report.regions == known.regions);
  CHECK(report.farkas == known.farkas);
}

TEST_CASE("equivalent spellings of a valid certificate are accepted", "[verify]") {
  json certificate = three_lines();
  SECTION("kind may be absent") { certificate.erase("kind"); }
  SECTION("JSON integers instead of strings") {
    certificate["arrangement"]["hyperplanes"] = {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}};
    certificate["regions"][0]["witness"] = {1, 1};
    certificate["farkas"][0]["multipliers"] = {1, 1, 1};
  }
  SECTION("non-canonical fractions and scaled multipliers") {
    certificate["regions"][1]["witness"] = {"2/6", "4/12"};
    certificate["regions"][0]["witness"] = {"0005/5", "1"};
    certificate["farkas"][0]["multipliers"] = {"1/2", "2/4", "3/6"};
  }
  SECTION("one Farkas entry per blocked pair, and an unused valid entry") {
    certificate["farkas"].push_back({{"hyperplanes", {0, 1, 2}}, {"signs", "--+"}, {"multipliers", {"7", "7", "7"}}});
    certificate["regions"][4]["blocked"] = {{1, 1}};
    certificate["farkas"].push_back({{"hyperplanes", {0, 1, 2}}, {"signs", "--+"}, {"multipliers", {"1", "1", "1"}}});
  }
  SECTION("unknown extra keys are ignored") { certificate["statistics"] = {{"lp_calls", 12}}; }
  require_valid(certificate);
}

TEST_CASE("generated families are accepted", "[verify]") {
  SECTION("points on a line, with many shared Farkas entries") {
    const int m = GENERATE(1, 2, 3, 7, 20);
    INFO("m = " << m);
    const json certificate = points_on_a_line(m);
    const CheckReport report = check_certificate(certificate);
    INFO("reason: " << report.reason);
    REQUIRE(report.valid);
    REQUIRE(report.regions == static_cast<std::size_t>(m + 1));
  }
  SECTION("coordinate hyperplanes") {
    const int n = GENERATE(1, 4, 10);
    INFO("n = " << n);
    const CheckReport report = check_certificate(coordinate_hyperplanes(n));
    INFO("reason: " << report.reason);
    REQUIRE(report.valid);
    REQUIRE(report.regions == (std::size_t{1} << n));
  }
}

TEST_CASE("removing any region breaks the closure", "[verify]") {
  SECTION("three lines") {
    const std::size_t k = GENERATE(range(0, 7));
    json certificate = three_lines();
    remove_region(certificate, k);
    require_rejected(certificate, "is not a region and no Farkas entry is given");
  }
  SECTION("central lines") {
    const std::size_t k = GENERATE(range(0, 6));
    json certificate = central_lines();
    remove_region(certificate, k);
    require_rejected(certificate, "is not a region and no Farkas entry is given");
  }
  SECTION("points on a line") {
    const std::size_t k = GENERATE(range(0, 8));
    json certificate = points_on_a_line(7);
    remove_region(certificate, k);
    require_rejected(certificate, "is not a region and no Farkas entry is given");
  }
  SECTION("the exact reason names region, hyperplane and neighbour") {
    json certificate = three_lines();
    remove_region(certificate, 1);  // ++-, the neighbour of +++ across hyperplane 2
    require_rejected(certificate, "regions[0]: hyperplane 2: neighbour ++- is not a region and no Farkas entry is given");
  }
}

TEST_CASE("removing any blocked pair breaks the closure", "[verify]") {
  json certificate = points_on_a_line(6);
  std::vector<std::pair<std::size_t, std::size_t>> pairs;  // (region, position in its blocked list)
  for (std::size_t k = 0; k < certificate["regions"].size(); ++k)
    for (std::size_t t = 0; t < certificate["regions"][k]["blocked"].size(); ++t) pairs.emplace_back(k, t);
  REQUIRE(pairs.size() == 30);  // 5 at each end region, 4 at each of the 5 inner ones
  const std::size_t chosen = GENERATE(range(0, 30));
  const auto [k, t] = pairs[chosen];
  const int hyperplane = certificate["regions"][k]["blocked"][t][0];
  certificate["regions"][k]["blocked"].erase(t);
  require_rejected(certificate, "regions[" + std::to_string(k) + "]: hyperplane " + std::to_string(hyperplane) +
                                    ": neighbour ");
}

TEST_CASE("an arrangement without hyperplanes has one region", "[verify]") {
  json certificate = json::parse(R"({
    "format": "chamber-certificate", "version": 1,
    "arrangement": {"dimension": 2, "hyperplanes": []},
    "region_count": 1,
    "regions": [{"signs": "", "witness": ["0", "0"], "blocked": []}],
    "farkas": []
  })");
  require_valid(certificate);
  SECTION("and not two") {
    certificate["regions"].push_back(certificate["regions"][0]);
    certificate["region_count"] = 2;
    require_rejected(certificate, "regions[0] and regions[1] have the same sign vector");
  }
}

TEST_CASE("a large certificate checks in seconds", "[verify][.slow]") {
  const json certificate = coordinate_hyperplanes(17);  // 131072 regions x 17 hyperplanes
  const auto start = std::chrono::steady_clock::now();
  const CheckReport report = check_certificate(certificate);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("checked " << report.regions << " regions in " << seconds << " s");
  REQUIRE(report.valid);
  REQUIRE(seconds < 30);
}

// Tests of the independent certificate checker, on hand-written certificates (docs/certificate.md).
// The checker is tested alone: nothing here comes from the enumerator.
#include "verify/certificate_check.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

using chamber::verify::check_certificate;
using chamber::verify::CheckReport;
using nlohmann::json;

namespace {

// --- Hand-written certificates, each complete and valid -------------------------------------------------------------

/// x = 0 in R^1: two regions.
json point_on_a_line() {
  return json::parse(R"({
    "format": "chamber-certificate", "version": 1, "kind": "arrangement",
    "arrangement": {"dimension": 1, "hyperplanes": [["0", "1"]]},
    "region_count": 2,
    "regions": [
      {"signs": "+", "witness": ["1"], "blocked": []},
      {"signs": "-", "witness": ["-1"], "blocked": []}
    ],
    "farkas": []
  })");
}

/// x = 0, y = 0 in R^2: four quadrants.
json two_lines() {
  return json::parse(R"({
    "format": "chamber-certificate", "version": 1, "kind": "arrangement",
    "arrangement": {"dimension": 2, "hyperplanes": [["0", "1", "0"], ["0", "0", "1"]]},
    "region_count": 4,
    "regions": [
      {"signs": "++", "witness": ["1", "1"], "blocked": []},
      {"signs": "+-", "witness": ["1", "-1"], "blocked": []},
      {"signs": "-+", "witness": ["-1", "1"], "blocked": []},
      {"signs": "--", "witness": ["-1", "-1"], "blocked": []}
    ],
    "farkas": []
  })");
}

/// x = 0, y = 0, x + y = 1 in R^2: seven regions; (-,-,+) is empty (x < 0, y < 0, x + y > 1), proven by
/// -1·(x) - 1·(y) + 1·(x + y - 1) = -1 < 0, and blocks the three regions next to it.
json three_lines() {
  return json::parse(R"({
    "format": "chamber-certificate", "version": 1, "kind": "arrangement",
    "arrangement": {"dimension": 2, "hyperplanes": [["0", "1", "0"], ["0", "0", "1"], ["-1", "1", "1"]]},
    "region_count": 7,
    "regions": [
      {"signs": "+++", "witness": ["1", "1"], "blocked": []},
      {"signs": "++-", "witness": ["1/3", "1/3"], "blocked": []},
      {"signs": "+-+", "witness": ["3", "-1"], "blocked": [[0, 0]]},
      {"signs": "+--", "witness": ["1", "-1"], "blocked": []},
      {"signs": "-++", "witness": ["-1", "3"], "blocked": [[1, 0]]},
      {"signs": "-+-", "witness": ["-1", "1"], "blocked": []},
      {"signs": "---", "witness": ["-1", "-1"], "blocked": [[2, 0]]}
    ],
    "farkas": [
      {"hyperplanes": [0, 1, 2], "signs": "--+", "multipliers": ["1", "1", "1"]}
    ]
  })");
}

/// x = 0, y = 0, x = y in R^2 (central): six sectors; (-,+,+) and (+,-,-) are empty, each with multipliers (1, 1, 1).
json central_lines() {
  return json::parse(R"({
    "format": "chamber-certificate", "version": 1, "kind": "arrangement",
    "arrangement": {"dimension": 2, "hyperplanes": [["0", "1", "0"], ["0", "0", "1"], ["0", "1", "-1"]]},
    "region_count": 6,
    "regions": [
      {"signs": "+++", "witness": ["2", "1"], "blocked": [[0, 0]]},
      {"signs": "++-", "witness": ["1", "2"], "blocked": [[1, 1]]},
      {"signs": "-+-", "witness": ["-1", "1"], "blocked": [[2, 0]]},
      {"signs": "---", "witness": ["-2", "-1"], "blocked": [[0, 1]]},
      {"signs": "--+", "witness": ["-1", "-2"], "blocked": [[1, 0]]},
      {"signs": "+-+", "witness": ["1", "-1"], "blocked": [[2, 1]]}
    ],
    "farkas": [
      {"hyperplanes": [0, 1, 2], "signs": "-++", "multipliers": ["1", "1", "1"]},
      {"hyperplanes": [0, 1, 2], "signs": "+--", "multipliers": ["1", "1", "1"]}
    ]
  })");
}

// --- Generated families ---------------------------------------------------------------------------------------------

/// The points x = 1, ..., m in R^1 (rows [-t, 1]): m + 1 intervals. Region r (0..m) is x in (r, r + 1) with witness
/// r + 1/2; every hyperplane other than r - 1 and r is blocked by a two-row Farkas entry "x < a + 1 and x > b + 1"
/// with a < b, shared between regions.
json points_on_a_line(int m) {
  json certificate = {{"format", "chamber-certificate"}, {"version", 1}, {"kind", "arrangement"}};
  json rows = json::array();
  for (int t = 1; t <= m; ++t) rows.push_back(json::array({-t, 1}));  // JSON integers, not strings
  certificate["arrangement"] = {{"dimension", 1}, {"hyperplanes", rows}};
  json regions = json::array();
  json farkas = json::array();
  std::map<std::pair<int, int>, int> entry_of_pair;
  auto entry = [&](int a, int b) {
    auto [found, is_new] = entry_of_pair.emplace(std::make_pair(a, b), static_cast<int>(farkas.size()));
    if (is_new) farkas.push_back({{"hyperplanes", {a, b}}, {"signs", "-+"}, {"multipliers", {1, 1}}});
    return found->second;
  };
  for (int r = 0; r <= m; ++r) {
    std::string signs;
    for (int j = 0; j < m; ++j) signs += j < r ? '+' : '-';
    json blocked = json::array();
    for (int j = 0; j < m; ++j) {
      if (j < r - 1) blocked.push_back({j, entry(j, r - 1)});
      if (j > r) blocked.push_back({j, entry(r, j)});
    }
    regions.push_back({{"signs", signs}, {"witness", {std::to_string(2 * r + 1) + "/2"}}, {"blocked", blocked}});
  }
  certificate["region_count"] = m + 1;
  certificate["regions"] = regions;
  certificate["farkas"] = farkas;
  return certificate;
}

/// The coordinate hyperplanes x_i = 0 in R^n: 2^n orthants, no Farkas entries.
json coordinate_hyperplanes(int n) {
  json rows = json::array();
  for (int i = 0; i < n; ++i) {
    json row = json::array({"0"});
    for (int c = 0; c < n; ++c) row.push_back(c == i ? "1" : "0");
    rows.push_back(row);
  }
  json regions = json::array();
  for (long mask = 0; mask < (1L << n); ++mask) {
    std::string signs;
    json witness = json::array();
    for (int i = 0; i < n; ++i) {
      const bool is_positive = (mask >> i) & 1;
      signs += is_positive ? '+' : '-';
      witness.push_back(is_positive ? "1/2" : "-3");
    }
    regions.push_back({{"signs", signs}, {"witness", witness}, {"blocked", json::array()}});
  }
  return {{"format", "chamber-certificate"}, {"version", 1}, {"kind", "arrangement"},
          {"arrangement", {{"dimension", n}, {"hyperplanes", rows}}}, {"region_count", 1L << n},
          {"regions", regions},  {"farkas", json::array()}};
}

// --- Helpers --------------------------------------------------------------------------------------------------------

void require_valid(const json& certificate) {
  const CheckReport report = check_certificate(certificate);
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  REQUIRE(report.reason.empty());
}

void require_rejected(const json& certificate, const std::string& fragment) {
  const CheckReport report = check_certificate(certificate);
  INFO("reason: " << report.reason);
  REQUIRE_FALSE(report.valid);
  REQUIRE_THAT(report.reason, Catch::Matchers::Contains(fragment));
}

void remove_region(json& certificate, std::size_t k) {
  certificate["regions"].erase(k);
  certificate["region_count"] = certificate["regions"].size();
}

}  // namespace

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
  CHECK(report.kind == "arrangement");
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

namespace {

/// One way to spoil a valid certificate, and a fragment the reason must contain.
struct Tamper {
  const char* name;
  json (*make)();
  std::function<void(json&)> change;
  std::string fragment;
};

const std::vector<Tamper>& tampers() {
  static const std::vector<Tamper> table = {
      // Check 2: witnesses and distinct sign vectors.
      {"witness moved outside its region", three_lines, [](json& c) { c["regions"][1]["witness"] = {"1", "1"}; },
       "regions[1]: witness violates hyperplane 2 (sign - expected, value 1)"},
      {"witness on a hyperplane", three_lines, [](json& c) { c["regions"][1]["witness"] = {"1/2", "1/2"}; },
       "regions[1]: witness violates hyperplane 2 (sign - expected, value 0)"},
      {"witness off by a fraction", three_lines, [](json& c) { c["regions"][0]["witness"] = {"1/4", "1/4"}; },
       "regions[0]: witness violates hyperplane 2 (sign + expected, value -1/2)"},
      {"sign flipped in a signs string", three_lines, [](json& c) { c["regions"][0]["signs"] = "-++"; },
       "regions[0]: witness violates hyperplane 0 (sign - expected, value 1)"},
      {"duplicated region", three_lines,
       [](json& c) {
         c["regions"].push_back(c["regions"][3]);
         c["region_count"] = 8;
       },
       "regions[3] and regions[7] have the same sign vector"},
      // Check 3: Farkas entries.
      {"Farkas multiplier changed", three_lines,
       [](json& c) { c["farkas"][0]["multipliers"] = {"1", "2", "1"}; },
       "farkas[0]: combination of normals is not zero (coordinate 2 = -1)"},
      {"Farkas multiplier changed by a fraction", three_lines,
       [](json& c) { c["farkas"][0]["multipliers"] = {"1", "1", "1/2"}; },
       "farkas[0]: combination of normals is not zero (coordinate 1 = -1/2)"},
      {"Farkas entry of a feasible system", three_lines,
       [](json& c) {
         c["farkas"].push_back({{"hyperplanes", {0, 1, 2}}, {"signs", "++-"}, {"multipliers", {"1", "1", "1"}}});
       },
       "farkas[1]: constant term 1 > 0"},
      {"Farkas signs flipped", central_lines, [](json& c) { c["farkas"][0]["signs"] = "+--"; },
       "regions[0]: blocked [0, 0]: farkas[0] sign of hyperplane 0 is +, neighbour has -"},
      {"negative multiplier", three_lines, [](json& c) { c["farkas"][0]["multipliers"][1] = "-1"; },
       "farkas[0].multipliers[1]: multiplier -1 is not positive"},
      {"zero multiplier", three_lines, [](json& c) { c["farkas"][0]["multipliers"][2] = "0/7"; },
       "farkas[0].multipliers[2]: multiplier 0 is not positive"},
      {"Farkas hyperplanes not increasing", three_lines, [](json& c) { c["farkas"][0]["hyperplanes"] = {0, 2, 1}; },
       "farkas[0].hyperplanes[2]: indices not strictly increasing (1 after 2)"},
      {"Farkas hyperplane repeated", three_lines, [](json& c) { c["farkas"][0]["hyperplanes"] = {0, 0, 1}; },
       "farkas[0].hyperplanes[1]: indices not strictly increasing (0 after 0)"},
      {"Farkas without hyperplanes", three_lines,
       [](json& c) { c["farkas"][0] = {{"hyperplanes", json::array()}, {"signs", ""}, {"multipliers", json::array()}}; },
       "farkas[0].hyperplanes: empty"},
      {"Farkas hyperplane out of range", three_lines, [](json& c) { c["farkas"][0]["hyperplanes"] = {0, 1, 3}; },
       "farkas[0].hyperplanes[2]: hyperplane index 3 out of range (3 available)"},
      {"Farkas signs too short", three_lines, [](json& c) { c["farkas"][0]["signs"] = "--"; },
       "farkas[0].signs: length 2, expected 3"},
      {"Farkas multipliers too short", three_lines, [](json& c) { c["farkas"][0]["multipliers"] = {"1", "1"}; },
       "farkas[0].multipliers: length 2, expected 3"},
      {"Farkas entry not an object", three_lines, [](json& c) { c["farkas"][0] = json::array({0, 1, 2}); },
       "farkas[0]: not a JSON object"},
      {"Farkas key missing", three_lines, [](json& c) { c["farkas"][0].erase("signs"); },
       "farkas[0]: missing key 'signs'"},
      // Check 4: closure and blocked pairs.
      {"blocked pair removed", three_lines, [](json& c) { c["regions"][6]["blocked"] = json::array(); },
       "regions[6]: hyperplane 2: neighbour --+ is not a region and no Farkas entry is given"},
      {"blocked pair pointing at the wrong Farkas entry", central_lines,
       [](json& c) { c["regions"][0]["blocked"] = {{0, 1}}; },
       "regions[0]: blocked [0, 1]: farkas[1] sign of hyperplane 0 is +, neighbour has -"},
      {"blocked pair on the wrong hyperplane", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{1, 0}}; },
       "regions[2]: blocked [1, 0]: farkas[0] sign of hyperplane 0 is -, neighbour has +"},
      {"hyperplane blocked twice", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{0, 0}, {0, 0}}; },
       "regions[2].blocked[1]: hyperplane 0 is blocked twice"},
      {"blocked hyperplane out of range", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{3, 0}}; },
       "regions[2].blocked[0][0]: hyperplane index 3 out of range (3 available)"},
      {"blocked hyperplane negative", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{-1, 0}}; },
       "regions[2].blocked[0][0]: hyperplane index -1 out of range"},
      {"blocked Farkas entry out of range", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{0, 1}}; },
       "regions[2].blocked[0][1]: farkas entry index 1 out of range (1 available)"},
      {"blocked index not an integer", three_lines, [](json& c) { c["regions"][2]["blocked"] = json::array({json::array({"0", 0})}); },
       "regions[2].blocked[0][0]: not a hyperplane index"},
      {"blocked entry not a pair", three_lines, [](json& c) { c["regions"][2]["blocked"] = {{0, 0, 0}}; },
       "regions[2].blocked[0]: expected a pair [hyperplane, farkas entry]"},
      {"blocked list missing", three_lines, [](json& c) { c["regions"][2].erase("blocked"); },
       "regions[2]: missing key 'blocked'"},
      // Check 5 and the header.
      {"wrong region_count", three_lines, [](json& c) { c["region_count"] = 5; }, "region_count 5 but 7 regions listed"},
      {"region_count as a string", three_lines, [](json& c) { c["region_count"] = "7"; },
       "region_count: expected a JSON integer >= 0"},
      {"no regions", point_on_a_line,
       [](json& c) {
         c["regions"] = json::array();
         c["region_count"] = 0;
       },
       "regions: empty"},
      {"wrong format", two_lines, [](json& c) { c["format"] = "chamber-network"; },
       "format: expected \"chamber-certificate\", found \"chamber-network\""},
      {"missing format", two_lines, [](json& c) { c.erase("format"); }, "missing key 'format'"},
      {"wrong version", two_lines, [](json& c) { c["version"] = 2; }, "version: expected 1, found 2"},
      {"version as a string", two_lines, [](json& c) { c["version"] = "1"; }, "version: expected 1, found \"1\""},
      {"unsupported kind", two_lines, [](json& c) { c["kind"] = "polytope"; },
       "unsupported certificate kind 'polytope'"},
      {"kind not a string", two_lines, [](json& c) { c["kind"] = 1; }, "kind: not a string"},
      {"not an object", two_lines, [](json& c) { c = json::array({1, 2}); }, "certificate: not a JSON object"},
      // Check 1: the arrangement.
      {"zero normal", three_lines, [](json& c) { c["arrangement"]["hyperplanes"][1] = {"1", "0", "0"}; },
       "arrangement.hyperplanes[1]: zero normal"},
      {"proportional hyperplanes, negative factor", three_lines,
       [](json& c) { c["arrangement"]["hyperplanes"].push_back({"0", "-2", "0"}); },
       "hyperplanes 0 and 3 are proportional (duplicate)"},
      {"proportional hyperplanes, positive factor", three_lines,
       [](json& c) { c["arrangement"]["hyperplanes"].push_back({"-3", "3", "3"}); },
       "hyperplanes 2 and 3 are proportional (duplicate)"},
      {"hyperplane row too short", three_lines, [](json& c) { c["arrangement"]["hyperplanes"][0] = {"0", "1"}; },
       "arrangement.hyperplanes[0]: length 2, expected 3"},
      {"fraction in a hyperplane", three_lines, [](json& c) { c["arrangement"]["hyperplanes"][2][0] = "-1/2"; },
       "arrangement.hyperplanes[2][0]: not an integer"},
      {"float in a hyperplane", three_lines, [](json& c) { c["arrangement"]["hyperplanes"][2][1] = 1.0; },
       "arrangement.hyperplanes[2][1]: not an integer"},
      {"zero dimension", point_on_a_line, [](json& c) { c["arrangement"]["dimension"] = 0; },
       "arrangement.dimension: expected a JSON integer >= 1, found 0"},
      {"dimension as a string", point_on_a_line, [](json& c) { c["arrangement"]["dimension"] = "1"; },
       "arrangement.dimension: expected a JSON integer >= 1"},
      {"missing arrangement", two_lines, [](json& c) { c.erase("arrangement"); }, "missing key 'arrangement'"},
      {"missing dimension", two_lines, [](json& c) { c["arrangement"].erase("dimension"); },
       "arrangement: missing key 'dimension'"},
      {"hyperplanes not an array", two_lines, [](json& c) { c["arrangement"]["hyperplanes"] = "x"; },
       "arrangement.hyperplanes: not an array"},
      // Shapes of regions.
      {"signs too short", three_lines, [](json& c) { c["regions"][0]["signs"] = "++"; },
       "regions[0].signs: length 2, expected 3"},
      {"bad sign character", three_lines, [](json& c) { c["regions"][4]["signs"] = "-x+"; },
       "regions[4].signs[1]: bad sign character 'x' (expected + or -)"},
      {"signs not a string", three_lines, [](json& c) { c["regions"][0]["signs"] = {"+", "+", "+"}; },
       "regions[0].signs: not a string of signs"},
      {"witness too short", three_lines, [](json& c) { c["regions"][5]["witness"] = {"1"}; },
       "regions[5].witness: length 1, expected 2"},
      {"witness not an array", three_lines, [](json& c) { c["regions"][5]["witness"] = "1"; },
       "regions[5].witness: not an array"},
      {"region not an object", three_lines, [](json& c) { c["regions"][3] = "+--"; }, "regions[3]: not a JSON object"},
      {"regions not an array", three_lines, [](json& c) { c["regions"] = json::object(); }, "regions: not an array"},
      {"missing regions", three_lines, [](json& c) { c.erase("regions"); }, "missing key 'regions'"},
      {"missing farkas", two_lines, [](json& c) { c.erase("farkas"); }, "missing key 'farkas'"},
  };
  return table;
}

}  // namespace

TEST_CASE("tampered certificates are rejected with a precise reason", "[verify]") {
  const std::size_t index = GENERATE(range(std::size_t{0}, tampers().size()));
  const Tamper& tamper = tampers()[index];
  INFO(tamper.name);
  json certificate = tamper.make();
  require_valid(certificate);  // the base is valid: the change alone is what the checker rejects
  tamper.change(certificate);
  require_rejected(certificate, tamper.fragment);
}

TEST_CASE("numbers are integers or fractions and nothing else", "[verify]") {
  SECTION("rejected spellings name the field") {
    const json bad = GENERATE(json(1.5), json(1.0), json(true), json(nullptr), json("abc"), json("1.5"), json("1e3"),
                              json("1/-2"), json("+1"), json(" 1"), json("1 "), json(""), json("1/"), json("/2"),
                              json("--1"), json("1/2/3"), json("0x10"), json::array({1}), json::object());
    INFO("value " << bad.dump());
    json certificate = three_lines();
    certificate["regions"][0]["witness"][1] = bad;
    require_rejected(certificate, "regions[0].witness[1]: not an integer or fraction");
  }
  SECTION("a zero denominator is named as such") {
    json certificate = three_lines();
    certificate["farkas"][0]["multipliers"][0] = "1/0";
    require_rejected(certificate, "farkas[0].multipliers[0]: fraction with zero denominator");
  }
  SECTION("big integers are exact") {
    // The witness (10^30 + 1, -10^30) of +-+ has x + y - 1 = 0 exactly: on the hyperplane, so it is rejected;
    // adding one to x moves it inside.
    json certificate = three_lines();
    certificate["regions"][2]["witness"] = {"1000000000000000000000000000001", "-1000000000000000000000000000000"};
    require_rejected(certificate, "regions[2]: witness violates hyperplane 2 (sign + expected, value 0)");
    certificate["regions"][2]["witness"][0] = "1000000000000000000000000000002";
    require_valid(certificate);
  }
  SECTION("large unsigned JSON integers are exact") {
    json certificate = three_lines();
    certificate["regions"][0]["witness"] = {json(std::uint64_t{18446744073709551615u}), json(1)};
    require_valid(certificate);
  }
}

TEST_CASE("input rows must match the certificate's hyperplanes", "[verify]") {
  using Rows = std::vector<std::vector<mpz_class>>;
  const json certificate = three_lines();
  SECTION("scaled, negated and repeated rows are accepted") {
    const Rows rows = {{0, 2, 0}, {0, 0, -5}, {3, -3, -3}, {0, -1, 0}};
    const CheckReport report = check_certificate(certificate, rows);
    INFO("reason: " << report.reason);
    REQUIRE(report.valid);
  }
  SECTION("rows in another order are accepted") {
    const Rows rows = {{-1, 1, 1}, {0, 1, 0}, {0, 0, 1}};
    REQUIRE(check_certificate(certificate, rows).valid);
  }
  struct Mismatch {
    const char* name;
    Rows rows;
    std::string fragment;
  };
  const Mismatch mismatch = GENERATE(values<Mismatch>({
      {"a row missing", {{0, 1, 0}, {0, 0, 1}}, "certificate hyperplane 2 does not occur in the input"},
      {"no rows", {}, "certificate hyperplane 0 does not occur in the input"},
      {"an extra row", {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}, {1, 1, 0}},
       "input row 3 is not a hyperplane of the certificate"},
      {"same normal, other constant", {{1, 1, 0}, {0, 0, 1}, {-1, 1, 1}},
       "input row 0 is not a hyperplane of the certificate"},
      {"a zero row", {{0, 1, 0}, {0, 0, 0}, {0, 0, 1}, {-1, 1, 1}}, "input row 1 is not a hyperplane of the certificate"},
      {"a row of the wrong length", {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1, 0}},
       "input row 2 is not a hyperplane of the certificate (4 entries, expected 3)"},
  }));
  INFO(mismatch.name);
  const CheckReport report = check_certificate(certificate, mismatch.rows);
  INFO("reason: " << report.reason);
  REQUIRE_FALSE(report.valid);
  REQUIRE_THAT(report.reason, Catch::Matchers::Contains(mismatch.fragment));
}

TEST_CASE("a report carries the sizes known before the failure", "[verify]") {
  json certificate = three_lines();
  certificate["regions"][6]["witness"] = {"1", "1"};
  const CheckReport report = check_certificate(certificate);
  REQUIRE_FALSE(report.valid);
  CHECK(report.kind == "arrangement");
  CHECK(report.dimension == 2);
  CHECK(report.hyperplanes == 3);
  CHECK(report.regions == 7);
  CHECK(report.farkas == 1);
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

TEST_CASE("a non-ASCII sign character is reported as a byte", "[verify]") {
  json certificate = two_lines();
  certificate["regions"][0]["signs"] = "\xc3\xa9";  // U+00E9 in UTF-8: two bytes, so the length (2) passes
  require_rejected(certificate, "regions[0].signs[0]: bad sign character byte 0xc3 (expected + or -)");
}

namespace {

/// Collects a pointer to every member of every object in `value`.
void collect_members(const json& value, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      out.push_back(at / key);
      collect_members(child, at / key, out);
    }
  } else if (value.is_array()) {
    for (std::size_t k = 0; k < value.size(); ++k) collect_members(value[k], at / k, out);
  }
}

}  // namespace

TEST_CASE("malformed content gives a verdict with a path, never an exception", "[verify]") {
  const json base = GENERATE(three_lines(), central_lines());
  std::vector<json::json_pointer> members;
  collect_members(base, json::json_pointer(), members);
  REQUIRE(members.size() > 20);
  SECTION("every key except kind is required") {
    for (const json::json_pointer& pointer : members) {
      if (pointer.back() == "kind") continue;
      json certificate = base;
      certificate[pointer.parent_pointer()].erase(pointer.back());
      INFO("erased " << pointer.to_string());
      CheckReport report;
      REQUIRE_NOTHROW(report = check_certificate(certificate));
      INFO("reason: " << report.reason);
      REQUIRE_FALSE(report.valid);
      REQUIRE_THAT(report.reason, Catch::Matchers::Contains("missing key '" + pointer.back() + "'"));
    }
  }
  SECTION("any value replaced by an odd one") {
    const json odd = GENERATE(json(nullptr), json(1.5), json(-1), json(std::uint64_t{1} << 63), json("x"),
                              json::array(), json::object(), json(true));
    const json flat = base.flatten();
    for (const auto& [where, value] : flat.items()) {
      json certificate = base;
      certificate[json::json_pointer(where)] = odd;
      INFO("replaced " << where << " by " << odd.dump());
      CheckReport report;
      REQUIRE_NOTHROW(report = check_certificate(certificate));
      INFO("reason: " << report.reason);
      if (!report.valid) {
        REQUIRE_FALSE(report.reason.empty());
        REQUIRE_THAT(report.reason, !Catch::Matchers::StartsWith("malformed certificate"));
      }
    }
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

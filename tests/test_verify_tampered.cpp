// Tests of the independent certificate checker: every way in the table to spoil a valid hand-written certificate
// (verify_arrangements.hpp) is rejected with a precise reason.
#include "verify_arrangements.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

using namespace chamber::test::verify_arrangements;

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

// The degeneracy report on small arrangements whose degeneracies are known by construction.
#include "arrangement/degeneracy.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

using namespace chamber;

namespace {

/*! reads .arr text and builds its report. */
DegeneracyReport report_of(const std::string& text, std::size_t max_examples = 10) {
  std::istringstream in(text);
  ArrFile file = read_arr(in, "test.arr");
  return degeneracy_report(file, intersection_lattice(file.arrangement), max_examples);
}

bool mentions(const DegeneracyReport& report, const std::string& word) {
  for (const std::string& reason : report.reasons)
    if (reason.find(word) != std::string::npos) return true;
  return false;
}

using Indices = std::vector<std::size_t>;

}  // namespace

TEST_CASE("lines in general position are reported as such", "[degeneracy]") {
  // A triangle plus a fourth line, no two parallel, no three through a point.
  DegeneracyReport report = report_of("2 4\n0 1 0\n0 0 1\n-1 1 1\n5 1 -3\n");
  CHECK(report.general_position);
  CHECK(report.reasons.empty());
  CHECK(report.dimension == 2);
  CHECK(report.hyperplanes == 4);
  CHECK(report.rank == 2);
  CHECK_FALSE(report.central);
  CHECK(report.flats_per_rank == Indices{1, 4, 6});
  CHECK(report.general_position_flats_per_rank == std::vector<Integer>{1, 4, 6});
  CHECK(report.duplicate_lines.empty());
  CHECK(report.parallel_classes.empty());
  CHECK(report.excess_flats.empty());
  CHECK(report.empty_dependent_subsets.empty());
  nlohmann::json json = to_json(report);
  CHECK(json["general_position"] == true);
  CHECK(json["reasons"].empty());
  CHECK(to_text(report).find("general position: yes") != std::string::npos);
}

TEST_CASE("duplicates are reported with their file lines, also when reversed or rationally scaled", "[degeneracy]") {
  DegeneracyReport report = report_of(
      "# three copies of x = 1 and one of y = 0\n"
      "2 5\n"
      "-1 1 0\n"
      "0 0 1\n"
      "2 -2 0\n"      // reversed orientation, scaled by −2
      "-1/2 1/2 0\n"  // scaled by 1/2
      "0 0 -3\n");
  CHECK(report.input_hyperplanes == 5);
  CHECK(report.hyperplanes == 2);
  REQUIRE(report.duplicate_lines.size() == 2);
  CHECK(report.duplicate_lines[0] == Indices{3, 5, 6});
  CHECK(report.duplicate_lines[1] == Indices{4, 7});
  CHECK_FALSE(report.general_position);  // the two distinct lines alone would be
  CHECK(report.flats_per_rank == Indices{1, 2, 1});
  CHECK(mentions(report, "lines 3, 5, 6"));
  nlohmann::json json = to_json(report);
  CHECK(json["duplicates"][0] == nlohmann::json({3, 5, 6}));
  CHECK(json["input_hyperplanes"] == 5);
  CHECK(json["hyperplanes"] == 2);
}

TEST_CASE("parallel classes group distinct hyperplanes with proportional normals", "[degeneracy]") {
  DegeneracyReport report = report_of("2 5\n0 1 0\n0 0 1\n-1 2 0\n3 -1 0\n-1 0 1\n");
  REQUIRE(report.parallel_classes.size() == 2);
  CHECK(report.parallel_classes[0] == Indices{0, 2, 3});
  CHECK(report.parallel_classes[1] == Indices{1, 4});
  CHECK_FALSE(report.general_position);
  CHECK(report.flats_per_rank == Indices{1, 5, 6});  // a 3 × 2 grid of points
  CHECK(report.general_position_flats_per_rank == std::vector<Integer>{1, 5, 10});
  CHECK(mentions(report, "parallel"));
  CHECK(report.empty_dependent_subsets.empty());  // parallel pairs are not listed there
}

TEST_CASE("three lines through a point are an excess flat of rank 2", "[degeneracy]") {
  DegeneracyReport report = report_of("2 4\n-1 1 0\n-1 0 1\n-2 1 1\n7 1 -5\n");  // lines 0..2 through (1, 1)
  CHECK_FALSE(report.general_position);
  CHECK_FALSE(report.central);
  REQUIRE(report.excess_flats.size() == 1);
  CHECK(report.excess_flats[0].rank == 2);
  CHECK(report.excess_flats[0].hyperplanes == Indices{0, 1, 2});
  CHECK(report.excess_flats_per_rank == Indices{0, 0, 1});
  CHECK(mentions(report, "excess"));
  nlohmann::json json = to_json(report);
  CHECK(json["excess_flats"]["per_rank"] == nlohmann::json({0, 0, 1}));
  CHECK(json["excess_flats"]["examples"][0]["hyperplanes"] == nlohmann::json({0, 1, 2}));
}

TEST_CASE("a prism (dependent normals, no common point) is an empty dependent subset", "[degeneracy]") {
  // x = 0, y = 0, x + y = 1 in Q^3, and z = 0 which meets everything.
  DegeneracyReport report = report_of("3 4\n0 1 0 0\n0 0 1 0\n-1 1 1 0\n0 0 0 1\n");
  CHECK_FALSE(report.general_position);
  CHECK_FALSE(report.central);
  CHECK(report.parallel_classes.empty());
  CHECK(report.excess_flats.empty());
  REQUIRE(report.empty_dependent_subsets.size() == 1);
  CHECK(report.empty_dependent_subsets[0] == Indices{0, 1, 2});
  CHECK(report.empty_dependent_search_complete);
  CHECK(mentions(report, "no common point"));
  CHECK(mentions(report, "bounded search"));
  CHECK(report.flats_per_rank == Indices{1, 4, 6, 3});
  CHECK(to_text(report).find("bounded") != std::string::npos);
}

TEST_CASE("a minimal empty set of four hyperplanes in Q^4 is found; non-minimal ones are not listed", "[degeneracy]") {
  // x1, x2, x3 = 0 and x1 + x2 + x3 = 1: every three meet, all four do not. Adding x1 = 5 makes
  // parallel pairs, whose supersets are not minimal.
  DegeneracyReport report = report_of("4 5\n0 1 0 0 0\n0 0 1 0 0\n0 0 0 1 0\n-1 1 1 1 0\n-5 1 0 0 0\n");
  REQUIRE(report.empty_dependent_subsets.size() == 2);
  CHECK(report.empty_dependent_subsets[0] == Indices{0, 1, 2, 3});
  CHECK(report.empty_dependent_subsets[1] == Indices{1, 2, 3, 4});
  CHECK(report.parallel_classes == std::vector<Indices>{{0, 4}});
}

TEST_CASE("central arrangements are detected, also off the origin", "[degeneracy]") {
  SECTION("three planes through (1, 2, 3)") {
    DegeneracyReport report = report_of("3 3\n-1 1 0 0\n-2 0 1 0\n-6 1 1 1\n");
    CHECK(report.central);
    CHECK(report.general_position);  // three independent planes
  }
  SECTION("resonance R_3: central, rank 3, many excess flats") {
    DegeneracyReport report = report_of("3 7\n0 1 0 0\n0 0 1 0\n0 1 1 0\n0 0 0 1\n0 1 0 1\n0 0 1 1\n0 1 1 1\n");
    CHECK(report.central);
    CHECK(report.rank == 3);
    CHECK_FALSE(report.general_position);
    CHECK(report.flats_per_rank == Indices{1, 7, 9, 1});  // 9 distinct lines through 0
    CHECK(report.excess_flats_per_rank[3] == 1);
    CHECK(report.empty_dependent_subsets.empty());
    nlohmann::json json = to_json(report);
    CHECK(json["central"] == true);
    CHECK(json["rank"] == 3);
  }
  SECTION("a triangle is not central") { CHECK_FALSE(report_of("2 3\n0 1 0\n0 0 1\n-1 1 1\n").central); }
}

TEST_CASE("max_examples bounds the listed examples, not the counts", "[degeneracy]") {
  // Six lines through the origin in the plane, and x = 1, y = 1 making further triple points.
  DegeneracyReport report =
      report_of("2 8\n0 1 0\n0 0 1\n0 1 1\n0 1 -1\n0 1 2\n0 2 1\n-1 1 0\n-1 0 1\n", 1);
  CHECK(report.excess_flats.size() == 1);
  std::size_t total = 0;
  for (std::size_t count : report.excess_flats_per_rank) total += count;
  CHECK(total >= 2);
}

TEST_CASE("the JSON report has every documented key and big values fit their type", "[degeneracy]") {
  DegeneracyReport report = report_of("2 3\n0 1 0\n0 0 1\n-1 1 1\n");
  nlohmann::json json = to_json(report);
  for (const char* key : {"general_position", "dimension", "input_hyperplanes", "hyperplanes", "central", "rank",
                          "duplicates", "parallel_classes", "excess_flats", "empty_dependent_subsets",
                          "flats_per_rank", "general_position_flats_per_rank", "reasons"})
    CHECK(json.contains(key));
  CHECK(json["general_position_flats_per_rank"] == nlohmann::json({1, 3, 3}));
  // C(m, k) beyond 64 bits is written as a string.
  DegeneracyReport big;
  big.general_position_flats_per_rank.push_back(Integer("123456789012345678901234567890"));
  CHECK(to_json(big)["general_position_flats_per_rank"][0] == "123456789012345678901234567890");
}

// The .arr reader and writer: accepted syntax, duplicate merging, and every error naming file:line.
#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

using namespace chamber;

namespace {

ArrFile read_text(const std::string& text) {
  std::istringstream in(text);
  return read_arr(in, "t.arr");
}

/*! returns the message of the InputError that reading `text` throws ("" if none). */
std::string error_of(const std::string& text) {
  try {
    read_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a file with comments, fractions and decimals reads exactly", "[arr]") {
  ArrFile file = read_text(
      "# a comment line\n"
      "\n"
      "2 3   # dimension and count\n"
      "0 1 0\n"
      "1/2 0.25 -1.5e0  # 1/2 + x/4 - 3y/2 = 0\n"
      "  -1   1   1\n");
  REQUIRE(file.arrangement.dimension() == 2);
  REQUIRE(file.arrangement.size() == 3);
  CHECK(file.arrangement[1].coefficients == IntegerVector{Integer(2), Integer(1), Integer(-6)});
  CHECK(file.input_lines == std::vector<std::size_t>{4, 5, 6});
  CHECK(file.merge.duplicates == 0);
}

TEST_CASE("duplicates are merged, also reversed or scaled, and reported", "[arr]") {
  ArrFile file = read_text("2 4\n1 1 0\n-2 -2 0\n0 0 1\n0.5 0.5 0\n");
  CHECK(file.input.size() == 4);
  CHECK(file.arrangement.size() == 2);
  CHECK(file.merge.duplicates == 2);
  CHECK(file.merge.merged_index == std::vector<std::size_t>{0, 0, 1, 0});
  CHECK(file.merge.reversed == std::vector<bool>{false, true, false, false});
  // The first occurrence keeps its orientation.
  CHECK(file.arrangement[0].coefficients == IntegerVector{Integer(1), Integer(1), Integer(0)});
}

TEST_CASE("an arrangement without hyperplanes is valid", "[arr]") {
  ArrFile file = read_text("3 0\n");
  CHECK(file.arrangement.dimension() == 3);
  CHECK(file.arrangement.size() == 0);
}

TEST_CASE("every malformed file names file, line and reason", "[arr]") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      {"", "t.arr:0: empty file"},
      {"# only a comment\n\n", "t.arr:2: empty file"},
      {"2\n", "t.arr:1: header must be 'n m'"},
      {"2 1 5\n", "t.arr:1: header must be 'n m'"},
      {"x 1\n", "t.arr:1: dimension n must be a non-negative integer, got 'x'"},
      {"-2 1\n", "t.arr:1: dimension n must be a non-negative integer"},
      {"2.5 1\n", "t.arr:1: dimension n must be a non-negative integer"},
      {"0 1\n", "t.arr:1: dimension n must be at least 1"},
      {"2 1/2\n", "t.arr:1: number of hyperplanes m must be a non-negative integer"},
      {"99999 1\n", "t.arr:1: dimension n 99999 exceeds the limit of 4096"},
      {"2 1000000000000000000000\n", "t.arr:1: number of hyperplanes m 1000000000000000000000 exceeds the limit"},
      {"2 1\n1 2\n", "t.arr:2: expected 3 numbers (b a1 .. a2), got 2"},
      {"2 1\n# c\n1 2 3 4\n", "t.arr:3: expected 3 numbers"},
      {"2 1\n1 2 abc\n", "t.arr:2: entry 3 'abc' is not a number"},
      {"2 1\n1 1/0 2\n", "t.arr:2: entry 2 '1/0' is not a number"},
      {"2 1\n5 0 0\n", "t.arr:2: zero normal vector"},
      {"2 1\n5 0/3 0.0\n", "t.arr:2: zero normal vector"},
      {"2 2\n1 1 0\n", "t.arr:2: header announces 2 hyperplanes, found 1"},
      {"2 1\n1 1 0\n2 0 1\n", "t.arr:3: more hyperplane rows than the 1 announced"},
  };
  for (const Case& c : cases) {
    INFO("input: " << c.text);
    std::string message = error_of(c.text);
    CHECK_THAT(message, Catch::Matchers::StartsWith(c.message));
  }
}

TEST_CASE("a missing file is an input error naming it", "[arr]") {
  CHECK_THROWS_WITH(read_arr_file("/nonexistent/x.arr"), Catch::Matchers::Contains("/nonexistent/x.arr: cannot open"));
}

TEST_CASE("write_arr round-trips", "[arr]") {
  ArrFile file = read_text("3 2\n1/3 1 0 -2/3\n7 0 5 0\n");
  std::ostringstream out;
  write_arr(out, file.arrangement, "round trip\nsecond line");
  CHECK(out.str() == "# round trip\n# second line\n3 2\n1 3 0 -2\n7 0 5 0\n");
  ArrFile again = read_text(out.str());
  REQUIRE(again.arrangement.size() == 2);
  CHECK(again.arrangement[0].coefficients == file.arrangement[0].coefficients);
  CHECK(again.arrangement[1].coefficients == file.arrangement[1].coefficients);
}

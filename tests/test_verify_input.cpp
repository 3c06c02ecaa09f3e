// Tests of the independent certificate checker's reading of a certificate: numbers, input rows, the sizes of a report,
// bytes in reasons, and malformed content (a verdict with a path, never an exception).
#include "verify_arrangements.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

using namespace chamber::test::verify_arrangements;

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
  CHECK(report.kind == chamber::verify::CertificateKind::arrangement);
  CHECK(report.dimension == 2);
  CHECK(report.hyperplanes == 3);
  CHECK(report.regions == 7);
  CHECK(report.farkas == 1);
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

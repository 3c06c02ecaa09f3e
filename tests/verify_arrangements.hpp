// Hand-written arrangement certificates (docs/certificate.md), each complete and valid, and the helpers of the
// checker's tests on them (test_verify*.cpp). The checker is tested alone: nothing here comes from the enumerator, and
// the tests_verify binary only sees the checker's include root (so this header is included by its relative name).
#pragma once

#include "verify/certificate_check.hpp"
#include "verify_stream.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace chamber::test::verify_arrangements {

using chamber::verify::check_certificate;
using chamber::verify::CheckReport;
using chamber::test::streamed_reports;
using nlohmann::json;

// --- Hand-written certificates, each complete and valid -------------------------------------------------------------

/// x = 0 in R^1: two regions.
inline json point_on_a_line() {
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
inline json two_lines() {
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
inline json three_lines() {
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
inline json central_lines() {
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
inline json points_on_a_line(int m) {
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
inline json coordinate_hyperplanes(int n) {
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

inline void require_valid(const json& certificate) {
  const CheckReport report = check_certificate(certificate);
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  REQUIRE(report.reason.empty());
  for (const CheckReport& streamed : streamed_reports(certificate)) {
    INFO("streamed: " << streamed.reason);
    REQUIRE(streamed.valid);
    REQUIRE(streamed.regions == report.regions);
    REQUIRE(streamed.farkas == report.farkas);
  }
}

inline void require_rejected(const json& certificate, const std::string& fragment) {
  const CheckReport report = check_certificate(certificate);
  INFO("reason: " << report.reason);
  REQUIRE_FALSE(report.valid);
  REQUIRE_THAT(report.reason, Catch::Matchers::Contains(fragment));
  // The streaming checker reaches the same verdict, with the same reason, whatever the order of the keys.
  for (const CheckReport& streamed : streamed_reports(certificate)) {
    INFO("streamed: " << streamed.reason);
    REQUIRE_FALSE(streamed.valid);
    REQUIRE(streamed.reason == report.reason);
  }
}

inline void remove_region(json& certificate, std::size_t k) {
  certificate["regions"].erase(k);
  certificate["region_count"] = certificate["regions"].size();
}

}  // namespace chamber::test::verify_arrangements

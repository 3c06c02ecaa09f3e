// Small ReLU networks built here as JSON and hand-written network certificates of them
// (docs/network-certificate.md), each complete and valid, and the helpers of the checker's tests on them
// (test_verify_network*.cpp). The checker is tested alone: nothing here comes from cnn/ or arrangement/, and the
// tests_verify binary only sees the checker's include root (so this header is included by its relative name).
#pragma once

#include "verify/certificate_check.hpp"
#include "verify/network_model.hpp"
#include "verify_stream.hpp"

#include <catch2/catch.hpp>
#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chamber::test::verify_networks {

using chamber::verify::check_certificate;
using chamber::verify::CheckReport;
using nlohmann::json;

// --- Building networks and certificates -----------------------------------------------------------------------------

inline json linear_layer(const json& weight, const json& bias) {
  return {{"type", "linear"}, {"out_features", bias.size()}, {"weight", weight}, {"bias", bias}};
}

// Lists are std::vector<json>: a braced list holding one json value would make a copy of it, not an array.
inline json network(const json& input_shape, const std::vector<json>& layers) {
  return {{"format", "chamber-network"}, {"version", 1}, {"input_shape", input_shape}, {"layers", layers}};
}

inline json region(const std::string& pattern, const json& witness, const json& blocked = json::array()) {
  return {{"pattern", pattern}, {"witness", witness}, {"blocked", blocked}};
}

inline json farkas(const json& conditions, const std::string& signs, const json& multipliers) {
  return {{"conditions", conditions}, {"signs", signs}, {"multipliers", multipliers}};
}

inline json certificate(const json& net, const json& box, std::size_t neurons, const std::vector<json>& regions,
                 const std::vector<json>& farkas_entries) {
  return {{"format", "chamber-certificate"},
          {"version", 1},
          {"kind", "network"},
          {"network", net},
          {"box", box},
          {"neurons", neurons},
          {"region_count", regions.size()},
          {"regions", regions},
          {"farkas", farkas_entries}};
}

/// (1) One linear layer on R^1: neurons x and x - 1, three regions. x < 0 and x > 1 are not next to each other:
/// the region "--" blocks the hyperplane of neuron 1 and "++" that of neuron 0, both with (-x) + (x - 1) = -1.
inline json two_points_on_a_line() {
  const json net = network({1, 1, 1}, {linear_layer({{1}, {1}}, {0, -1})});
  return certificate(net, nullptr, 2,
                     {region("--", {"-1"}, {{1, 0}}), region("+-", {"1/2"}), region("++", {"2"}, {{0, 0}})},
                     {farkas({0, 1}, "-+", {"1", "1"})});
}

/// (2) R^2, first layer x and y, second layer z = relu(x) + relu(y) - 1, which bends: x + y - 1 on the quadrant
/// "++", x - 1 on "+-", y - 1 on "-+" and the constant -1 on "--". Seven regions.
inline json bent_network() {
  return network({1, 1, 2}, {linear_layer({{1, 0}, {0, 1}}, {0, 0}), linear_layer({{1, 1}}, {-1})});
}

inline json bent_certificate() {
  // On "+-+" (x > 1, y < 0) the line x = 0 is no facet: (-x) + (x - 1) = -1. Likewise y = 0 on "-++".
  return certificate(bent_network(), nullptr, 3,
                     {region("+++", {"1", "1"}),
                      region("++-", {"1/4", "1/4"}),
                      region("+-+", {"2", "-1"}, {{0, 0}}),
                      region("+--", {"1/2", "-1"}),
                      region("-++", {"-1", "2"}, {{1, 1}}),
                      region("-+-", {"-1", "1/2"}),
                      region("---", {"-1", "-1"})},
                     {farkas({0, 2}, "-+", {"1", "1"}), farkas({1, 2}, "-+", {"1", "1"})});
}

/// (3) R^2, first layer x, y and a dead neuron (zero weights, zero bias); second layer z1 = relu(x), whose form is x
/// (the same hyperplane as neuron 0) or 0, and z2 = 5 relu(dead), always 0. Four regions, the quadrants; crossing
/// x = 0 flips neuron 0 and switches z1 between + and 0.
inline json dead_neuron_network() {
  return network({1, 1, 2}, {linear_layer({{1, 0}, {0, 1}, {0, 0}}, {0, 0, 0}),
                             linear_layer({{1, 0, 0}, {0, 0, 5}}, {0, 0})});
}

inline json dead_neuron_certificate() {
  return certificate(dead_neuron_network(), nullptr, 5,
                     {region("++0+0", {"1", "1"}), region("+-0+0", {"1", "-1"}), region("-+000", {"-1", "1"}),
                      region("--000", {"-1", "-1"})},
                     {});
}

/// Three layers on R^1: n0 = x; n1 = relu(n0) + 10, its own hyperplane x = -10 or the constant 10; n2 = relu(n1) - 10,
/// which is x (the hyperplane of n0, reached through n1 keeping +) or 0. Two regions, "+++" and "-+0"; on "+++" the
/// hyperplane x = -10 is cut off by -(x + 10) + x = -10.
inline json chain_certificate() {
  const json net = network({1, 1, 1}, {linear_layer({{1}}, {0}), linear_layer({{1}}, {10}), linear_layer({{1}}, {-10})});
  return certificate(net, nullptr, 3, {region("+++", {"1"}, json::array({json::array({1, 0})})), region("-+0", {"-1"})},
                     {farkas({1, 0}, "-+", {"1", "1"})});
}

/// (4) R^1 in the box (-1, 2): neurons x, x - 1, x - 3 (outside the box) and x + 1 (on the face x = -1). Three
/// regions; x - 3 > 0 is cut off by the face 2 - x > 0 (condition N + 1 = 5), x and x - 1 as in (1).
inline json box_network() { return network({1, 1, 1}, {linear_layer({{1}, {1}, {1}, {1}}, {0, -1, -3, 1})}); }

inline json box_certificate() {
  return certificate(box_network(), {"-1", "2"}, 4,
                     {region("---+", {"-1/2"}, {{1, 0}, {2, 1}}), region("+--+", {"1/2"}, {{2, 1}}),
                      region("++-+", {"3/2"}, {{0, 0}, {2, 1}})},
                     {farkas({0, 1}, "-+", {"1", "1"}), farkas({2, 5}, "++", {"1", "1"})});
}

/// A conv2d layer on a 1x1x2 input: two 1x1 filters (weights 1, biases 0 and -1) give the neurons x, y, x - 1, y - 1
/// (channel-major) and a 3 x 3 grid of regions. Far lines are cut off by (-(x)) + (x - 1) = -1 and the same in y.
inline json conv_grid_certificate() {
  const json conv = {{"type", "conv2d"},
                     {"out_channels", 2},
                     {"kernel_size", {1, 1}},
                     {"stride", {1, 1}},
                     {"weight", {{{{1}}}, {{{1}}}}},
                     {"bias", {0, -1}}};
  const std::vector<std::string> coordinate{"-1/2", "1/2", "3/2"};
  std::vector<json> regions;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      std::string pattern = {a >= 1 ? '+' : '-', b >= 1 ? '+' : '-', a == 2 ? '+' : '-', b == 2 ? '+' : '-'};
      json blocked = json::array();
      if (a == 0) blocked.push_back({2, 0});
      if (a == 2) blocked.push_back({0, 0});
      if (b == 0) blocked.push_back({3, 1});
      if (b == 2) blocked.push_back({1, 1});
      regions.push_back(region(pattern, {coordinate[a], coordinate[b]}, blocked));
    }
  return certificate(network({1, 1, 2}, {conv}), nullptr, 4, regions,
                     {farkas({0, 2}, "-+", {"1", "1"}), farkas({1, 3}, "-+", {"1", "1"})});
}

/// A grid with k lines per axis: a 1x1 conv with k filters of weight 1 and biases 0, -1, ..., -(k - 1) on a 1x1x2
/// input, so 2k neurons and (k + 1)^2 regions; every line that is not next to a region is cut off by a Farkas entry.
inline json large_grid_certificate(int k) {
  json weight = json::array(), bias = json::array();
  for (int c = 0; c < k; ++c) {
    weight.push_back({{{1}}});
    bias.push_back(-c);
  }
  const json conv = {{"type", "conv2d"}, {"out_channels", k}, {"kernel_size", 1}, {"weight", weight}, {"bias", bias}};
  // Neuron 2c + j is x_j - c. In the interval a (c < a means the line c is on the left), the line c far on the left
  // (c <= a - 2) is cut off with the nearer line a - 1: -(x - c) + (x - (a - 1)) = c - a + 1 <= -1; far on the right
  // (c >= a + 1) with the line a: (x - c) - (x - a) = a - c <= -1.
  std::vector<json> farkas_entries;
  auto entry_index = [k](int j, int c, int a) { return static_cast<std::size_t>((j * k + c) * (k + 1) + a); };
  for (int j = 0; j < 2; ++j)
    for (int c = 0; c < k; ++c)
      for (int a = 0; a <= k; ++a) {
        if (c <= a - 2)
          farkas_entries.push_back(farkas({2 * c + j, 2 * (a - 1) + j}, "-+", {"1", "1"}));
        else if (c >= a + 1)
          farkas_entries.push_back(farkas({2 * c + j, 2 * a + j}, "+-", {"1", "1"}));
        else
          farkas_entries.push_back(farkas({2 * c + j}, "+", {"1"}));  // never used
      }
  std::vector<json> regions;
  for (int a0 = 0; a0 <= k; ++a0)
    for (int a1 = 0; a1 <= k; ++a1) {
      const int interval[2] = {a0, a1};
      std::string pattern(static_cast<std::size_t>(2 * k), '?');
      json blocked = json::array(), witness = json::array();
      for (int j = 0; j < 2; ++j) {
        witness.push_back(std::to_string(2 * interval[j] - 1) + "/2");
        for (int c = 0; c < k; ++c) {
          pattern[static_cast<std::size_t>(2 * c + j)] = c < interval[j] ? '+' : '-';
          if (c <= interval[j] - 2 || c >= interval[j] + 1) blocked.push_back({2 * c + j, entry_index(j, c, interval[j])});
        }
      }
      regions.push_back(region(pattern, witness, blocked));
    }
  return certificate(network({1, 1, 2}, {conv}), nullptr, static_cast<std::size_t>(2 * k), regions, farkas_entries);
}

// --- Helpers --------------------------------------------------------------------------------------------------------

/*! the parsed checker's report, after checking that the streaming checker agrees with it (validity, reason, sizes)
 * whatever the order of the keys in the file. */
inline CheckReport check(const json& cert, const json* network_file = nullptr, const std::string& name = "NET.json") {
  const CheckReport report = check_certificate(cert, std::nullopt, network_file, name);
  for (const CheckReport& streamed : chamber::test::streamed_reports(cert, network_file, name)) {
    INFO("parsed: " << report.reason << "\nstreamed: " << streamed.reason);
    CHECK(streamed.valid == report.valid);
    CHECK(streamed.reason == report.reason);
    if (report.valid) CHECK((streamed.regions == report.regions && streamed.farkas == report.farkas));
  }
  return report;
}

inline void require_valid(const json& cert, std::size_t regions, std::size_t neurons, std::size_t dimension) {
  const CheckReport report = check(cert);
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  REQUIRE(report.reason.empty());
  CHECK(report.kind == chamber::verify::CertificateKind::network);
  CHECK(report.regions == regions);
  CHECK(report.neurons == neurons);
  CHECK(report.dimension == dimension);
  CHECK(report.farkas == cert["farkas"].size());
}

inline void require_rejected(const json& cert, const std::vector<std::string>& fragments,
                             const json* network_file = nullptr) {
  const CheckReport report = check(cert, network_file);
  INFO("reason: " << report.reason);
  REQUIRE_FALSE(report.valid);
  for (const std::string& fragment : fragments) CHECK_THAT(report.reason, Catch::Matchers::Contains(fragment));
}

inline void remove_region(json& cert, std::size_t r) {
  cert["regions"].erase(r);
  cert["region_count"] = cert["regions"].size();
}

/// The exact value of a network number, which must be one.
inline mpq_class number(const json& value) {
  mpq_class result;
  const std::string why = chamber::verify::parse_network_number(value, result);
  INFO("value " << value.dump() << ": " << why);
  REQUIRE(why.empty());
  return result;
}

}  // namespace chamber::test::verify_networks

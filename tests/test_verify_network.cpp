// Tests of the checker for network certificates (docs/network-certificate.md), on hand-written certificates of small
// networks built here as JSON (verify_networks.hpp): valid ones are accepted, their regions are the patterns met by
// exact evaluation, the certificate's network is matched against a network file, and a large one checks quickly.
// The checker is tested alone: nothing here comes from cnn/ or arrangement/. Tampered certificates:
// test_verify_network_tampered.cpp; the network reader: test_verify_network_model.cpp.
#include "verify_networks.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace chamber::test::verify_networks;

namespace {

/// The activation pattern of the network at x, by exact evaluation with the true ReLU (linear layers only).
std::string pattern_at(const json& net, const std::vector<mpq_class>& x) {
  std::vector<mpq_class> input = x;
  std::string pattern;
  for (const json& layer : net["layers"]) {
    std::vector<mpq_class> output;
    for (std::size_t u = 0; u < layer["bias"].size(); ++u) {
      mpq_class value = number(layer["bias"][u]);
      for (std::size_t j = 0; j < input.size(); ++j) value += number(layer["weight"][u][j]) * input[j];
      pattern += sgn(value) > 0 ? '+' : sgn(value) < 0 ? '-' : '0';
      output.push_back(sgn(value) > 0 ? value : mpq_class(0));
    }
    input = output;
  }
  return pattern;
}

/// The patterns met at many points of a grid in the square (-s, s)^2 chosen off the lines of the test networks.
std::set<std::string> sampled_patterns(const json& net, int steps, const mpq_class& half_width) {
  std::set<std::string> patterns;
  for (int i = 0; i < steps; ++i)
    for (int j = 0; j < steps; ++j) {
      const mpq_class x = -half_width + 2 * half_width * mpq_class(2 * i + 1, 2 * steps) + mpq_class(1, 997);
      const mpq_class y = -half_width + 2 * half_width * mpq_class(2 * j + 1, 2 * steps) + mpq_class(1, 1009);
      patterns.insert(pattern_at(net, {x, y}));
    }
  return patterns;
}

std::set<std::string> certificate_patterns(const json& cert) {
  std::set<std::string> patterns;
  for (const json& r : cert["regions"]) patterns.insert(r["pattern"].get<std::string>());
  return patterns;
}

}  // namespace

TEST_CASE("valid network certificates are accepted", "[verify][network]") {
  SECTION("two neurons on a line") { require_valid(two_points_on_a_line(), 3, 2, 1); }
  SECTION("a bent second-layer neuron") { require_valid(bent_certificate(), 7, 3, 2); }
  SECTION("dead neurons and a second-layer neuron on a first-layer hyperplane") {
    require_valid(dead_neuron_certificate(), 4, 5, 2);
  }
  SECTION("a chain of layers through a neuron keeping +") { require_valid(chain_certificate(), 2, 3, 1); }
  SECTION("a box") { require_valid(box_certificate(), 3, 4, 1); }
  SECTION("a conv2d layer") { require_valid(conv_grid_certificate(), 9, 4, 2); }
  SECTION("proportional forms whose coefficients are multiples of the hash prime 2^61 - 1") {
    // x, (2^61 - 1) x and 2 (2^61 - 1) x are one hyperplane: crossing it flips all three.
    const json net = network({1, 1, 1}, {linear_layer({{1}, {2305843009213693951LL}, {"4611686018427387902"}}, {0, 0, 0})});
    require_valid(certificate(net, nullptr, 3, {region("---", {"-1"}), region("+++", {"1"})}, {}), 2, 3, 1);
  }
  SECTION("regions in any order") {
    json cert = bent_certificate();
    std::swap(cert["regions"][0], cert["regions"][6]);
    std::swap(cert["regions"][2], cert["regions"][3]);
    require_valid(cert, 7, 3, 2);
  }
  SECTION("numbers as JSON integers and scaled multipliers") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["witness"][0] = "3/7";
    cert["regions"][2]["witness"][0] = 5;
    cert["farkas"][0]["multipliers"] = {"3/2", "3/2"};
    require_valid(cert, 3, 2, 1);
  }
}

TEST_CASE("the hand-written regions are the patterns met by exact evaluation", "[verify][network]") {
  CHECK(sampled_patterns(bent_network(), 40, 3) == certificate_patterns(bent_certificate()));
  CHECK(sampled_patterns(dead_neuron_network(), 10, 3) == certificate_patterns(dead_neuron_certificate()));
}

TEST_CASE("a network certificate is matched against its network file", "[verify][network]") {
  const json cert = bent_certificate();
  SECTION("the same network, numbers written differently") {
    json file = bent_network();
    file["layers"][0]["weight"] = {{1.0, "0"}, {"0/5", "2/2"}};
    file["layers"][1]["bias"][0] = "-1.0";
    file["layers"][1]["in_features"] = 2;
    file["comment"] = "written by hand";
    const CheckReport report = check(cert, &file);
    INFO("reason: " << report.reason);
    CHECK(report.valid);
  }
  SECTION("a different bias") {
    json file = bent_network();
    file["layers"][1]["bias"][0] = 0.5;
    require_rejected(cert, {"the certificate's network is not NET.json", "layers[1].bias[0] is -1 in the certificate "
                            "and 1/2 in NET.json"},
                     &file);
  }
  SECTION("a different weight") {
    json file = bent_network();
    file["layers"][0]["weight"][1][0] = "1/1000";
    require_rejected(cert, {"layers[0].weight[1][0] is 0 in the certificate and 1/1000 in NET.json"}, &file);
  }
  SECTION("a different shape") {
    json file = bent_network();
    file["layers"].erase(1);
    require_rejected(cert, {"the number of layers is 2 in the certificate and 1 in NET.json"}, &file);
    file = two_points_on_a_line()["network"];
    require_rejected(cert, {"input_shape is [1, 1, 2] in the certificate and [1, 1, 1] in NET.json"}, &file);
  }
  SECTION("a malformed network file") {
    json file = bent_network();
    file["layers"][0]["bias"] = {0};
    require_rejected(cert, {"NET.json: layers[0].bias: length 1, expected 2"}, &file);
    file = json::array();
    require_rejected(cert, {"NET.json: top level: not a JSON object"}, &file);
  }
  SECTION("files for the other kind") {
    const json file = bent_network();
    json arrangement = {{"format", "chamber-certificate"}, {"version", 1}, {"kind", "arrangement"}};
    CHECK_THAT(check(arrangement, &file).reason, Catch::Matchers::Contains("kind 'arrangement'"));
    const CheckReport report = check_certificate(cert, std::vector<std::vector<mpz_class>>{});
    CHECK_FALSE(report.valid);
    CHECK_THAT(report.reason, Catch::Matchers::Contains("kind 'network'"));
  }
}

TEST_CASE("a network certificate with thousands of regions checks quickly", "[verify][network]") {
  const json cert = large_grid_certificate(50);  // 100 neurons, 2601 regions, ~250k blocked pairs
  const auto start = std::chrono::steady_clock::now();
  // The parsed check alone (check() would also run the streaming checker three times over: tested on the others).
  const CheckReport report = check_certificate(cert);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("checked " << report.regions << " regions of " << report.neurons << " neurons in " << seconds << " s");
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  CHECK(report.regions == 2601);
  CHECK(seconds < 20);
}

TEST_CASE("a read-out layer changes no region of a certificate", "[verify][network]") {
  json cert = bent_certificate();
  cert["network"]["readout"] = {{"out_features", 3}, {"weight", {{1}, {2}, {"-1/3"}}}, {"bias", {0, 1, 2}}};
  require_valid(cert, 7, 3, 2);
}

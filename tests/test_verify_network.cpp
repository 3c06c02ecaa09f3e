// Tests of the checker for network certificates (docs/network-certificate.md), on hand-written certificates of small
// networks built here as JSON. The checker is tested alone: nothing here comes from cnn/ or arrangement/.
#include "verify/certificate_check.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <limits>
#include <set>
#include <string>
#include <vector>

using chamber::verify::check_certificate;
using chamber::verify::CheckFailure;
using chamber::verify::CheckReport;
using chamber::verify::Form;
using chamber::verify::IntegerForm;
using chamber::verify::NetworkModel;
using nlohmann::json;

namespace {

// --- Building networks and certificates -----------------------------------------------------------------------------

json linear_layer(const json& weight, const json& bias) {
  return {{"type", "linear"}, {"out_features", bias.size()}, {"weight", weight}, {"bias", bias}};
}

// Lists are std::vector<json>: a braced list holding one json value would make a copy of it, not an array.
json network(const json& input_shape, const std::vector<json>& layers) {
  return {{"format", "chamber-network"}, {"version", 1}, {"input_shape", input_shape}, {"layers", layers}};
}

json region(const std::string& pattern, const json& witness, const json& blocked = json::array()) {
  return {{"pattern", pattern}, {"witness", witness}, {"blocked", blocked}};
}

json farkas(const json& conditions, const std::string& signs, const json& multipliers) {
  return {{"conditions", conditions}, {"signs", signs}, {"multipliers", multipliers}};
}

json certificate(const json& net, const json& box, std::size_t neurons, const std::vector<json>& regions,
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
json two_points_on_a_line() {
  const json net = network({1, 1, 1}, {linear_layer({{1}, {1}}, {0, -1})});
  return certificate(net, nullptr, 2,
                     {region("--", {"-1"}, {{1, 0}}), region("+-", {"1/2"}), region("++", {"2"}, {{0, 0}})},
                     {farkas({0, 1}, "-+", {"1", "1"})});
}

/// (2) R^2, first layer x and y, second layer z = relu(x) + relu(y) - 1, which bends: x + y - 1 on the quadrant
/// "++", x - 1 on "+-", y - 1 on "-+" and the constant -1 on "--". Seven regions.
json bent_network() {
  return network({1, 1, 2}, {linear_layer({{1, 0}, {0, 1}}, {0, 0}), linear_layer({{1, 1}}, {-1})});
}

json bent_certificate() {
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
json dead_neuron_network() {
  return network({1, 1, 2}, {linear_layer({{1, 0}, {0, 1}, {0, 0}}, {0, 0, 0}),
                             linear_layer({{1, 0, 0}, {0, 0, 5}}, {0, 0})});
}

json dead_neuron_certificate() {
  return certificate(dead_neuron_network(), nullptr, 5,
                     {region("++0+0", {"1", "1"}), region("+-0+0", {"1", "-1"}), region("-+000", {"-1", "1"}),
                      region("--000", {"-1", "-1"})},
                     {});
}

/// Three layers on R^1: n0 = x; n1 = relu(n0) + 10, its own hyperplane x = -10 or the constant 10; n2 = relu(n1) - 10,
/// which is x (the hyperplane of n0, reached through n1 keeping +) or 0. Two regions, "+++" and "-+0"; on "+++" the
/// hyperplane x = -10 is cut off by -(x + 10) + x = -10.
json chain_certificate() {
  const json net = network({1, 1, 1}, {linear_layer({{1}}, {0}), linear_layer({{1}}, {10}), linear_layer({{1}}, {-10})});
  return certificate(net, nullptr, 3, {region("+++", {"1"}, json::array({json::array({1, 0})})), region("-+0", {"-1"})},
                     {farkas({1, 0}, "-+", {"1", "1"})});
}

/// (4) R^1 in the box (-1, 2): neurons x, x - 1, x - 3 (outside the box) and x + 1 (on the face x = -1). Three
/// regions; x - 3 > 0 is cut off by the face 2 - x > 0 (condition N + 1 = 5), x and x - 1 as in (1).
json box_network() { return network({1, 1, 1}, {linear_layer({{1}, {1}, {1}, {1}}, {0, -1, -3, 1})}); }

json box_certificate() {
  return certificate(box_network(), {"-1", "2"}, 4,
                     {region("---+", {"-1/2"}, {{1, 0}, {2, 1}}), region("+--+", {"1/2"}, {{2, 1}}),
                      region("++-+", {"3/2"}, {{0, 0}, {2, 1}})},
                     {farkas({0, 1}, "-+", {"1", "1"}), farkas({2, 5}, "++", {"1", "1"})});
}

/// A conv2d layer on a 1x1x2 input: two 1x1 filters (weights 1, biases 0 and -1) give the neurons x, y, x - 1, y - 1
/// (channel-major) and a 3 x 3 grid of regions. Far lines are cut off by (-(x)) + (x - 1) = -1 and the same in y.
json conv_grid_certificate() {
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
json large_grid_certificate(int k) {
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

CheckReport check(const json& cert, const json* network_file = nullptr, const std::string& name = "NET.json") {
  return check_certificate(cert, std::nullopt, network_file, name);
}

void require_valid(const json& cert, std::size_t regions, std::size_t neurons, std::size_t dimension) {
  const CheckReport report = check(cert);
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  REQUIRE(report.reason.empty());
  CHECK(report.kind == "network");
  CHECK(report.regions == regions);
  CHECK(report.neurons == neurons);
  CHECK(report.dimension == dimension);
  CHECK(report.farkas == cert["farkas"].size());
}

void require_rejected(const json& cert, const std::vector<std::string>& fragments, const json* network_file = nullptr) {
  const CheckReport report = check(cert, network_file);
  INFO("reason: " << report.reason);
  REQUIRE_FALSE(report.valid);
  for (const std::string& fragment : fragments) CHECK_THAT(report.reason, Catch::Matchers::Contains(fragment));
}

void remove_region(json& cert, std::size_t r) {
  cert["regions"].erase(r);
  cert["region_count"] = cert["regions"].size();
}

mpq_class number(const json& value) {
  mpq_class result;
  const std::string why = chamber::verify::parse_network_number(value, result);
  INFO("value " << value.dump() << ": " << why);
  REQUIRE(why.empty());
  return result;
}

std::string number_error(const json& value) {
  mpq_class result;
  return chamber::verify::parse_network_number(value, result);
}

NetworkModel model(const json& net) {
  try {
    return chamber::verify::read_network_model(net, "network");
  } catch (const CheckFailure& failure) {
    FAIL("read_network_model: " << failure.reason);
  }
  return {};
}

std::string model_error(const json& net) {
  try {
    chamber::verify::read_network_model(net, "network");
  } catch (const CheckFailure& failure) {
    return failure.reason;
  }
  return "";
}

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

// --- Numbers and the network model ----------------------------------------------------------------------------------

TEST_CASE("network numbers are read exactly", "[verify][network]") {
  CHECK(number(json(0.1)) == mpq_class("3602879701896397/36028797018963968"));
  CHECK(number(json(0.5)) == mpq_class(1, 2));
  CHECK(number(json(-2.0)) == -2);
  CHECK(number(json(1e300)) == mpq_class(mpz_class(1e300)));
  CHECK(number(json(5e-324)) == mpq_class(mpz_class(1), mpz_class(1) << 1074));  // the smallest subnormal
  CHECK(number(json(7)) == 7);
  CHECK(number(json(-7)) == -7);
  CHECK(number(json("3/6")) == mpq_class(1, 2));
  CHECK(number(json("-3/4")) == mpq_class(-3, 4));
  CHECK(number(json("0.125")) == mpq_class(1, 8));
  CHECK(number(json("-1e-3")) == mpq_class(-1, 1000));
  CHECK(number(json("1.5E2")) == 150);
  CHECK(number(json(".5")) == mpq_class(1, 2));
  CHECK(number(json("5.")) == 5);
  CHECK(number(json("+2")) == 2);
  CHECK(number(json("12345678901234567890123")) == mpq_class("12345678901234567890123"));
  for (const json& bad : {json("abc"), json(""), json("1/0"), json("1/-2"), json("1e"), json("."), json("-"),
                          json("0x10"), json("1 "), json("inf"), json("nan"), json(true), json(nullptr),
                          json::array({1}), json("1e999999999"), json::object()})
    CHECK_FALSE(number_error(bad).empty());
  CHECK_FALSE(number_error(json(std::numeric_limits<double>::infinity())).empty());
}

TEST_CASE("the network model expands conv2d layers and computes forms", "[verify][network]") {
  // Input 1 x 2 x 3 (x0 x1 x2 / x3 x4 x5), two 2x2 filters with stride [1, 1]: each has outputs (0, 0) and (0, 1);
  // then a linear layer on the flattened 2 x 1 x 2 output.
  const json conv = {{"type", "conv2d"},
                     {"out_channels", 2},
                     {"kernel_size", {2, 2}},
                     {"stride", {1, 1}},
                     {"weight", {{{{1, 2}, {3, 4}}}, {{{"1/2", 0}, {0, -1}}}}},
                     {"bias", {1, 0.25}}};
  const json net = network({1, 2, 3}, {conv, linear_layer({{1, -1, 2, 0}}, {"-1/3"})});
  const NetworkModel m = model(net);
  REQUIRE(m.input_dimension == 6);
  REQUIRE(m.neurons() == 5);
  REQUIRE(m.layers[0].output_shape == chamber::verify::TensorShape{2, 1, 2});
  CHECK(m.layer_of(0) == 0);
  CHECK(m.layer_of(3) == 0);
  CHECK(m.layer_of(4) == 1);

  auto form = [](std::vector<mpq_class> values) { return Form(values.begin(), values.end()); };
  const std::vector<Form> forms = chamber::verify::neuron_forms(m, "+-+++");
  REQUIRE(forms.size() == 5);
  // filter 0 at (0, 0) reads x0 x1 / x3 x4; at (0, 1) reads x1 x2 / x4 x5.
  CHECK(forms[0] == form({1, 1, 2, 0, 3, 4, 0}));
  CHECK(forms[1] == form({1, 0, 1, 2, 0, 3, 4}));
  CHECK(forms[2] == form({mpq_class(1, 4), mpq_class(1, 2), 0, 0, 0, -1, 0}));
  CHECK(forms[3] == form({mpq_class(1, 4), 0, mpq_class(1, 2), 0, 0, 0, -1}));
  // The linear layer reads neurons 0 (+), 1 (-, so 0), 2 (+) and 3 (+): -1/3 + f0 + 2 f2.
  CHECK(forms[4] == form({mpq_class(-1, 3) + 1 + mpq_class(1, 2), 2, 2, 0, 3, 2, 0}));

  // The integer forms are form_scale[l] times the rational ones, for every pattern of the first layer.
  for (int mask = 0; mask < 16; ++mask) {
    std::string pattern;
    for (int k = 0; k < 4; ++k) pattern += (mask >> k) & 1 ? '+' : (k % 2 ? '-' : '0');
    pattern += '+';
    const std::vector<Form> rational = chamber::verify::neuron_forms(m, pattern);
    std::vector<IntegerForm> layer0, layer1;
    chamber::verify::layer_integer_forms(m, 0, pattern, {}, layer0);
    chamber::verify::layer_integer_forms(m, 1, pattern, layer0, layer1);
    for (std::size_t k = 0; k < 5; ++k) {
      const IntegerForm& integer = k < 4 ? layer0[k] : layer1[k - 4];
      const mpz_class& scale = m.form_scale[m.layer_of(k)];
      for (std::size_t i = 0; i <= 6; ++i) {
        mpq_class value(integer[i], scale);
        value.canonicalize();
        CHECK(value == rational[k][i]);
      }
    }
    // layer_forms from the previous layer's forms agrees with neuron_forms.
    const std::vector<Form> first(rational.begin(), rational.begin() + 4);
    CHECK(chamber::verify::layer_forms(m, 1, pattern, first)[0] == rational[4]);
  }
}

TEST_CASE("malformed networks are rejected naming the path", "[verify][network]") {
  const json good = bent_network();
  CHECK(model_error(good).empty());
  auto with = [&](auto edit) {
    json net = good;
    edit(net);
    return model_error(net);
  };
  using Catch::Matchers::Contains;
  CHECK_THAT(with([](json& n) { n["layers"][1]["weight"][0][1] = "abc"; }),
             Contains("network.layers[1].weight[0][1]: not a number"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["bias"][1] = true; }), Contains("network.layers[0].bias[1]: not a number"));
  CHECK_THAT(with([](json& n) { n["layers"][1]["weight"][0].push_back(1); }),
             Contains("network.layers[1].weight[0]: length 3, expected 2"));
  CHECK_THAT(with([](json& n) { n["format"] = "other"; }), Contains("network.format"));
  CHECK_THAT(with([](json& n) { n["version"] = 2; }), Contains("network.version"));
  CHECK_THAT(with([](json& n) { n["input_shape"] = {1, 2}; }), Contains("network.input_shape"));
  CHECK_THAT(with([](json& n) { n["input_shape"][2] = 0; }), Contains("network.input_shape[2]"));
  CHECK_THAT(with([](json& n) { n["layers"] = json::array(); }), Contains("network.layers: empty"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["type"] = "pool"; }), Contains("network.layers[0].type"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["strides"] = 1; }), Contains("network.layers[0].strides: unknown key"));
  CHECK_THAT(with([](json& n) { n["layers"][1]["in_features"] = 3; }), Contains("network.layers[1].in_features"));
  CHECK_THAT(with([](json& n) { n["layers"][1].erase("bias"); }), Contains("network.layers[1]: missing key 'bias'"));
  CHECK_THAT(with([](json& n) { n["layers"][1]["out_features"] = 0; }), Contains("network.layers[1].out_features"));
  const json conv = {{"type", "conv2d"}, {"out_channels", 1}, {"kernel_size", {1, 3}},
                     {"weight", {{{{1, 1, 1}}}}}, {"bias", {0}}};
  CHECK_THAT(with([&](json& n) { n["layers"][0] = conv; }), Contains("network.layers[0].kernel_size"));
  CHECK_THAT(with([&](json& n) { n["layers"].push_back(conv); }), Contains("conv2d layer after a linear layer"));
}

// --- Certificates ---------------------------------------------------------------------------------------------------

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

TEST_CASE("tampered network certificates are rejected with a reason", "[verify][network]") {
  SECTION("a missing region") {
    json cert = bent_certificate();
    remove_region(cert, 1);  // "++-"
    require_rejected(cert, {"neighbour ++- is not a region", "regions["});
  }
  SECTION("a missing region next to a dead neuron") {
    json cert = dead_neuron_certificate();
    remove_region(cert, 2);  // "-+000", the neighbour of "++0+0" across x = 0
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour -+000 is not a region"});
  }
  SECTION("a missing region across a chain of layers") {
    json cert = chain_certificate();
    remove_region(cert, 1);
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour -+0 is not a region"});
    cert = chain_certificate();
    remove_region(cert, 0);
    require_rejected(cert, {"regions[0]: the hyperplane of neuron 0: neighbour +++ is not a region"});
  }
  SECTION("a duplicated region") {
    json cert = two_points_on_a_line();
    cert["regions"].push_back(cert["regions"][1]);
    cert["region_count"] = 4;
    require_rejected(cert, {"regions[1] and regions[3] have the same pattern"});
  }
  SECTION("a wrong character: constant form") {
    json cert = bent_certificate();
    cert["regions"][6]["pattern"] = "--0";
    require_rejected(cert, {"regions[6].pattern[2]", "constant form -1", "must be '-'"});
  }
  SECTION("a wrong character: zero for a non-constant form") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["pattern"] = "+0";
    require_rejected(cert, {"regions[1].pattern[1]", "non-constant"});
  }
  SECTION("a wrong character: the witness is on the other side") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["pattern"] = "-+";
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 0"});
  }
  SECTION("a wrong character: zero forms must be '0'") {
    json cert = dead_neuron_certificate();
    cert["regions"][0]["pattern"] = "+++++";
    require_rejected(cert, {"regions[0].pattern[2]", "must be '0'"});
  }
  SECTION("a bad pattern character or length") {
    json cert = two_points_on_a_line();
    cert["regions"][2]["pattern"] = "+x";
    require_rejected(cert, {"regions[2].pattern[1]: bad character 'x'"});
    cert["regions"][2]["pattern"] = "+++";
    require_rejected(cert, {"regions[2].pattern: length 3, expected 2"});
  }
  SECTION("a witness outside its cell") {
    json cert = bent_certificate();
    cert["regions"][1]["witness"] = {"1", "1/2"};  // "++-" needs x + y < 1
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 2 has value 1/2, sign - expected"});
  }
  SECTION("a witness on a hyperplane") {
    json cert = two_points_on_a_line();
    cert["regions"][1]["witness"] = {"1"};
    require_rejected(cert, {"regions[1]: the witness is not in the cell: neuron 1 has value 0"});
  }
  SECTION("a witness outside the box") {
    json cert = box_certificate();
    cert["regions"][2]["witness"] = {"2"};
    require_rejected(cert, {"regions[2].witness[0]: 2 is not inside the box (-1, 2)"});
  }
  SECTION("a witness of the wrong length") {
    json cert = bent_certificate();
    cert["regions"][3]["witness"] = {"1"};
    require_rejected(cert, {"regions[3].witness: length 1, expected 2"});
  }
  SECTION("a bad Farkas multiplier") {
    json cert = two_points_on_a_line();
    cert["farkas"][0]["multipliers"] = {"2", "1"};
    require_rejected(cert, {"regions[", "farkas[0]: the combination of the linear parts is not zero"});
    cert["farkas"][0]["multipliers"] = {"0", "1"};
    require_rejected(cert, {"farkas[0].multipliers[0]: multiplier 0 is not positive"});
    cert["farkas"][0]["multipliers"] = {"1"};
    require_rejected(cert, {"farkas[0].multipliers: length 1, expected 2"});
  }
  SECTION("a Farkas entry whose constant term is positive") {
    json cert = box_certificate();
    cert["network"]["layers"][0]["bias"][2] = "-5/2";  // (x - 5/2) + (2 - x) = -1/2: still cut off
    require_valid(cert, 3, 4, 1);
    cert["network"]["layers"][0]["bias"][2] = "-7/4";  // the hyperplane x = 7/4 is now inside the box
    // Every region blocks it; the lowest one is named.
    require_rejected(cert, {"regions[0].blocked[1]: farkas[1]: the combination's constant term 1/4 > 0"});
  }
  SECTION("a Farkas entry with the wrong orientation") {
    json cert = two_points_on_a_line();
    // Valid for "--" and "++", but for "+-" neuron 1 is on its side -: the entry reads the other side.
    cert["regions"][1]["blocked"] = json::array({json::array({0, 0})});
    require_rejected(cert, {"regions[1].blocked[0]: farkas[0].signs[1]: + for neuron 1, expected -"});
  }
  SECTION("a Farkas entry with the region's side of the blocked hyperplane") {
    json cert = two_points_on_a_line();
    cert["farkas"].push_back(farkas({1, 0}, "--", {"1", "1"}));  // -(x - 1) - x: not zero anyway, orientation first
    cert["regions"][0]["blocked"] = json::array({json::array({1, 1})});
    require_rejected(cert, {"regions[0].blocked[0]: farkas[1].signs[0]: - for neuron 1 (on the blocked hyperplane"});
  }
  SECTION("a box face must have sign +") {
    json cert = box_certificate();
    cert["farkas"][1]["signs"] = "+-";
    require_rejected(cert, {"farkas[1].signs[1]: - for box face 1, expected +"});
  }
  SECTION("box faces without a box") {
    json cert = two_points_on_a_line();
    cert["farkas"][0]["conditions"] = {0, 2};
    require_rejected(cert, {"farkas[0].conditions[1]"});
  }
  SECTION("blocked pairs that name no hyperplane") {
    json cert = dead_neuron_certificate();
    cert["farkas"] = json::array({farkas({0}, "+", {"1"})});
    cert["regions"][0]["blocked"] = json::array({json::array({2, 0})});
    require_rejected(cert, {"regions[0].blocked[0]: neuron 2 has a constant form"});
    json boxed = box_certificate();
    boxed["regions"][0]["blocked"].push_back({3, 0});
    require_rejected(boxed, {"regions[0].blocked[2]: the hyperplane of neuron 3 is a face of the box"});
    json twice = two_points_on_a_line();
    twice["regions"][0]["blocked"].push_back({1, 0});
    require_rejected(twice, {"regions[0].blocked[1]: the hyperplane of neuron 1 is blocked twice"});
  }
  SECTION("a Farkas entry that is empty") {
    json cert = two_points_on_a_line();
    cert["farkas"][0] = farkas(json::array(), "", json::array());
    require_rejected(cert, {"farkas[0].conditions: empty"});
  }
  SECTION("a missing Farkas entry") {
    json cert = bent_certificate();
    cert["regions"][2]["blocked"] = json::array();
    require_rejected(cert, {"regions[2]: the hyperplane of neuron 0: neighbour --+ is not a region"});
  }
  SECTION("a wrong region_count") {
    json cert = bent_certificate();
    cert["region_count"] = 8;
    require_rejected(cert, {"region_count 8 but 7 regions listed"});
  }
  SECTION("wrong neurons") {
    json cert = bent_certificate();
    cert["neurons"] = 2;
    require_rejected(cert, {"neurons 2 but the network has 3 hidden neurons"});
  }
  SECTION("a float or garbage number in the certificate") {
    json cert = bent_certificate();
    cert["regions"][5]["witness"][1] = 0.5;
    require_rejected(cert, {"regions[5].witness[1]: not an integer or fraction"});
    cert = bent_certificate();
    cert["regions"][5]["witness"][1] = "half";
    require_rejected(cert, {"regions[5].witness[1]"});
    cert = two_points_on_a_line();
    cert["farkas"][0]["multipliers"][1] = 1.0;
    require_rejected(cert, {"farkas[0].multipliers[1]"});
  }
  SECTION("garbage in the network") {
    json cert = bent_certificate();
    cert["network"]["layers"][1]["weight"][0][0] = "one";
    require_rejected(cert, {"network.layers[1].weight[0][0]: not a number"});
  }
  SECTION("a changed weight makes the certificate wrong") {
    json cert = bent_certificate();
    cert["network"]["layers"][1]["bias"][0] = 1;  // z = relu(x) + relu(y) + 1 > 0 everywhere
    require_rejected(cert, {"regions["});
  }
  SECTION("bad top-level fields") {
    json cert = bent_certificate();
    cert.erase("box");
    require_rejected(cert, {"missing key 'box'"});
    cert = bent_certificate();
    cert["box"] = {"1", "1"};
    require_rejected(cert, {"box: lo = 1 is not below hi = 1"});
    cert = bent_certificate();
    cert["regions"] = json::array();
    cert["region_count"] = 0;
    require_rejected(cert, {"regions: empty"});
  }
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
  const CheckReport report = check(cert);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  WARN("checked " << report.regions << " regions of " << report.neurons << " neurons in " << seconds << " s");
  INFO("reason: " << report.reason);
  REQUIRE(report.valid);
  CHECK(report.regions == 2601);
  CHECK(seconds < 20);
}

// Tests of the checker's own network reader (verify/network_model.hpp): numbers read exactly, conv2d layers expanded,
// forms computed, malformed networks rejected naming the path. Nothing here comes from cnn/ or arrangement/.
#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"
#include "verify_networks.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

using chamber::verify::CheckFailure;
using chamber::verify::Form;
using chamber::verify::IntegerForm;
using chamber::verify::NetworkModel;
using namespace chamber::test::verify_networks;

namespace {

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

}  // namespace

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

TEST_CASE("a read-out layer is validated and left out of the model", "[verify][network]") {
  json with_readout = bent_network();
  with_readout["readout"] = {{"out_features", 2}, {"weight", {{1}, {"-1/2"}}}, {"bias", {0, 3}}};
  const NetworkModel plain = model(bent_network());
  const NetworkModel read = model(with_readout);
  CHECK(read.layers.size() == plain.layers.size());
  CHECK(read.neurons() == plain.neurons());
  CHECK(chamber::verify::network_difference(read, "a", plain, "b").empty());
  auto with = [&](auto edit) {
    json net = with_readout;
    edit(net);
    return model_error(net);
  };
  using Catch::Matchers::Contains;
  CHECK(with([](json& n) { n["readout"]["in_features"] = 1; }).empty());
  CHECK(with([](json& n) { n["readout"]["type"] = "linear"; }).empty());
  CHECK_THAT(with([](json& n) { n["readout"]["weight"][1].push_back(1); }),
             Contains("network.readout.weight[1]: length 2, expected 1"));
  CHECK_THAT(with([](json& n) { n["readout"]["in_features"] = 2; }), Contains("network.readout.in_features"));
  CHECK_THAT(with([](json& n) { n["readout"].erase("bias"); }), Contains("network.readout: missing key 'bias'"));
  CHECK_THAT(with([](json& n) { n["readout"]["bias"][0] = "x"; }), Contains("network.readout.bias[0]: not a number"));
  CHECK_THAT(with([](json& n) { n["readout"] = json::array(); }), Contains("network.readout: not a JSON object"));
  CHECK_THAT(with([](json& n) { n["readout"]["type"] = "conv2d"; }), Contains("network.readout.type"));
  CHECK_THAT(with([](json& n) { n["readout"]["relu"] = true; }), Contains("network.readout.relu: unknown key"));
}

TEST_CASE("the network model reads padding, dilation, groups and the affine layers", "[verify][network]") {
  using Catch::Matchers::Contains;
  auto conv = [](std::size_t k, const json& weight, const json& extra) {
    json layer = {{"type", "conv2d"}, {"out_channels", k}, {"weight", weight}, {"bias", json(std::vector<int>(k, 0))}};
    for (const auto& [key, value] : extra.items()) layer[key] = value;
    return layer;
  };
  const json ones3 = json::parse("[[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]");
  auto shape = [&](const json& input, const json& layer) { return model(network(input, {layer})).layers[0].output_shape; };
  using Shape = chamber::verify::TensorShape;
  // floor((n + 2p - d(f - 1) - 1)/s) + 1 per axis.
  CHECK(shape({1, 5, 5}, conv(1, ones3, {{"kernel_size", 3}, {"padding", 1}})) == Shape{1, 5, 5});
  CHECK(shape({1, 5, 5}, conv(1, ones3, {{"kernel_size", 3}, {"padding", 1}, {"stride", 2}})) == Shape{1, 3, 3});
  CHECK(shape({1, 5, 5}, conv(1, ones3, {{"kernel_size", 3}, {"dilation", 2}})) == Shape{1, 1, 1});
  CHECK(shape({1, 5, 6}, conv(1, json::parse("[[[[1, 1], [1, 1]]]]"),
                             {{"kernel_size", 2}, {"dilation", {2, 3}}, {"padding", {1, 0}}, {"stride", 2}})) ==
        Shape{1, 3, 2});
  CHECK(shape({2, 2, 2}, conv(4, json::parse("[[[[1]]], [[[1]]], [[[1]]], [[[1]]]]"),
                             {{"kernel_size", 1}, {"groups", 2}, {"padding", 1}})) == Shape{4, 4, 4});

  // Padding 1 with a 3x3 kernel 1..9 on a 2x2 input: output (0, 0) reads 5 x0 + 6 x1 + 8 x2 + 9 x3.
  const json padded = conv(1, json::parse("[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]"), {{"kernel_size", 3}, {"padding", 1}});
  auto form = [](std::vector<mpq_class> values) { return Form(values.begin(), values.end()); };
  std::vector<Form> forms = chamber::verify::neuron_forms(model(network({1, 2, 2}, {padded})), "++++");
  REQUIRE(forms.size() == 4);
  CHECK(forms[0] == form({0, 5, 6, 8, 9}));
  CHECK(forms[3] == form({0, 1, 2, 4, 5}));
  // Groups 2: each filter reads its own channel; dilation [1, 2]: x0 and x2.
  forms = chamber::verify::neuron_forms(
      model(network({2, 1, 1}, {conv(2, json::parse("[[[[3]]], [[[5]]]]"), {{"kernel_size", 1}, {"groups", 2}})})), "++");
  CHECK(forms == std::vector<Form>{form({0, 3, 0}), form({0, 0, 5})});
  forms = chamber::verify::neuron_forms(
      model(network({1, 1, 3}, {conv(1, json::parse("[[[[7, 11]]]]"), {{"kernel_size", {1, 2}}, {"dilation", {1, 2}}})})),
      "+");
  CHECK(forms == std::vector<Form>{form({0, 7, 0, 11})});
  // linear 2x + 1 without ReLU, batch-norm ((y - 1) * 3/2 + 1) with ReLU: one hidden layer, 3x + 1; then an
  // average pool (after a flatten it would be refused) feeding a second layer.
  json linear = linear_layer({{2}}, {1});
  linear["relu"] = false;
  const json bn = {{"type", "batchnorm"}, {"weight", {3}}, {"bias", {1}}, {"running_mean", {1}}, {"sigma", {2}},
                   {"relu", true}};
  NetworkModel m = model(network({1, 1, 1}, {linear, bn, linear_layer({{"1/3"}}, {0})}));
  REQUIRE(m.layers.size() == 2);
  REQUIRE(m.file_layers.size() == 3);
  forms = chamber::verify::neuron_forms(m, "++");
  CHECK(forms == std::vector<Form>{form({1, 3}), form({mpq_class(1, 3), 1})});
  // Average pooling (count_include_pad) before a conv: the window mean, padded windows divided by the whole area.
  const json pool = {{"type", "avgpool2d"}, {"kernel_size", 2}, {"stride", 1}, {"padding", 1}};
  m = model(network({1, 1, 1}, {pool, conv(1, json::parse("[[[[1, 1], [1, 1]]]]"), {{"kernel_size", 2}})}));
  forms = chamber::verify::neuron_forms(m, "+");
  CHECK(forms == std::vector<Form>{form({0, 1})});  // four windows, each x/4

  // Differences between two networks name the file layer and the field.
  json other = network({1, 1, 1}, {linear, bn, linear_layer({{"1/3"}}, {0})});
  other["layers"][1]["sigma"][0] = 3;
  CHECK(chamber::verify::network_difference(model(network({1, 1, 1}, {linear, bn, linear_layer({{"1/3"}}, {0})})),
                                            "A", model(other), "B") == "layers[1].sigma[0] is 2 in A and 3 in B");
  other = network({1, 2, 2}, {padded});
  other["layers"][0]["padding"] = {1, 0};
  other["layers"][0]["kernel_size"] = {3, 1};
  other["layers"][0]["weight"] = json::parse("[[[[1], [2], [3]]]]");
  CHECK_THAT(chamber::verify::network_difference(model(network({1, 2, 2}, {padded})), "A", model(other), "B"),
             Contains("layers[0].kernel_size is [3, 3] in A and [3, 1] in B"));
}

TEST_CASE("malformed padding, dilation, groups and affine layers are rejected naming the path", "[verify][network]") {
  using Catch::Matchers::Contains;
  const json base = network({2, 3, 3}, {json{{"type", "conv2d"}, {"out_channels", 2}, {"kernel_size", 1},
                                             {"weight", json::parse("[[[[1]], [[1]]], [[[1]], [[1]]]]")},
                                             {"bias", {0, 0}}}});
  auto with = [&](auto change) {
    json n = base;
    change(n);
    return model_error(n);
  };
  CHECK_THAT(with([](json& n) { n["layers"][0]["groups"] = 3; }),
             Contains("network.layers[0].groups: 3 does not divide both the 2 input channels and the 2 output channels"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["groups"] = 2; }),
             Contains("network.layers[0].weight[0]: length 2, expected 1"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["padding"] = -1; }), Contains("network.layers[0].padding"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["padding"] = {0, -1}; }), Contains("network.layers[0].padding[1]"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["dilation"] = 0; }), Contains("network.layers[0].dilation: must be at least 1"));
  CHECK_THAT(with([](json& n) {
               n["layers"][0]["kernel_size"] = 2;
               n["layers"][0]["dilation"] = 3;
               n["layers"][0]["weight"] = json::parse("[[[[1, 1], [1, 1]], [[1, 1], [1, 1]]], [[[1, 1], [1, 1]], [[1, 1], [1, 1]]]]");
             }),
             Contains("network.layers[0].kernel_size: a window of 4 along the height is larger than the input's 3"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["relu"] = 1; }), Contains("network.layers[0].relu: expected true or false"));
  CHECK_THAT(with([](json& n) { n["layers"][0]["relu"] = false; }), Contains("network.layers[0]: no ReLU follows this layer"));
  const json bn = {{"type", "batchnorm"}, {"weight", {1, 1}}, {"bias", {0, 0}}, {"running_mean", {0, 0}}, {"sigma", {1, 1}}};
  CHECK_THAT(with([&](json& n) { n["layers"].push_back(bn); }),
             Contains("network.layers[1]: no ReLU follows this layer, and there is no readout"));
  CHECK_THAT(with([&](json& n) {
               n["layers"][0]["relu"] = false;
               n["layers"].push_back(bn);
               n["layers"][1]["sigma"][1] = "-1/2";
               n["layers"][1]["relu"] = true;
             }),
             Contains("network.layers[1].sigma[1]: must be positive"));
  CHECK_THAT(with([&](json& n) {
               json b = bn;
               b["relu"] = true;
               n["layers"].push_back(b);
             }),
             Contains("network.layers[1].relu: ReLU after a batchnorm needs a conv2d or linear layer without ReLU"));
  CHECK_THAT(with([&](json& n) {
               n["layers"][0]["relu"] = false;
               n["layers"].push_back(n["layers"][0]);
             }),
             Contains("network.layers[1]: a second conv2d/linear layer without a ReLU after layers[0]"));
  CHECK_THAT(with([&](json& n) { n["layers"].insert(n["layers"].begin(), json{{"type", "avgpool2d"}, {"kernel_size", 4}}); }),
             Contains("network.layers[0].kernel_size: a window of 4 along the height is larger than the input's 3"));
  CHECK_THAT(with([&](json& n) { n["layers"].insert(n["layers"].begin(), json{{"type", "flatten"}}); }),
             Contains("network.layers[1]: a conv2d layer after a linear layer or a flatten is not supported"));
  CHECK_THAT(with([&](json& n) { n["layers"][0]["type"] = "minpool2d"; }), Contains("network.layers[0].type"));
  CHECK_THAT(with([&](json& n) { n["layers"].insert(n["layers"].begin(), json{{"type", "maxpool2d"}, {"kernel_size", 2}}); }),
             Contains("network.layers[0]: a maxpool2d needs a hidden layer with an activation before it"));
}

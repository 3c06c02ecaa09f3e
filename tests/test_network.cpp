// Network model and network files: shapes (Lemma 1), first-layer arrangement, exact forward pass, the reader's
// error messages (file: json path: reason), exact number conversion, round trip, reproducible random networks.
#include "cnn/network.hpp"
#include "cnn/random_network.hpp"

#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "cnn/architecture.hpp"
#include "verify/network_model.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <fstream>
#include <set>

using namespace chamber;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const std::string example_network = std::string(CHAMBER_TEST_DATA) + "/networks/cnn_3x3x1_f2x2_s1_c2.json";
const std::string example_arr = std::string(CHAMBER_TEST_DATA) + "/../../examples/cnn_3x3x1_f2x2_s1_c2.arr";

RationalVector rationals(std::initializer_list<const char*> texts) {
  RationalVector out;
  for (const char* t : texts) out.push_back(*parse_rational(t));
  return out;
}

/*! a valid conv -> linear network: input 1x3x3, conv 2 filters 2x2 (-> 2x2x2 = 8), linear 3 units. */
json base_network() {
  return json::parse(R"({
    "format": "chamber-network", "version": 1, "input_shape": [1, 3, 3],
    "layers": [
      {"type": "conv2d", "out_channels": 2, "kernel_size": [2, 2], "stride": [1, 1],
       "weight": [[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]]], "bias": [0, 1]},
      {"type": "linear", "out_features": 3,
       "weight": [[1,0,0,0,0,0,0,0], [0,1,0,0,0,0,0,0], [0,0,1,0,0,0,0,0]], "bias": [0, 0, 0]}
    ]})");
}

std::string temp_file(const std::string& leaf) {
  return (std::filesystem::temp_directory_path() / ("chamber_test_network_" + leaf)).string();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

}  // namespace

TEST_CASE("output shapes follow Lemma 1, with strides", "[network]") {
  Network net = random_network({3, 7, 9}, {{true, 4, 3, 2, 2, 3}, {true, 5, 2, 2, 1, 1}, {false, 6, 0, 0, 0, 0}}, 1,
                               parse_weight_distribution("int:-2:2"));
  std::vector<Shape> shapes = net.layer_shapes();
  REQUIRE(shapes.size() == 3);
  CHECK(shapes[0] == Shape{4, 3, 3});  // floor((7-3)/2)+1 = 3, floor((9-2)/3)+1 = 3
  CHECK(shapes[1] == Shape{5, 2, 2});
  CHECK(shapes[2] == Shape{6, 1, 1});
  CHECK(net.layer_input_shape(1) == Shape{4, 3, 3});
  CHECK(net.layer_output_shape(2) == Shape{6, 1, 1});
  CHECK(net.hidden_neurons() == 36 + 20 + 6);
  CHECK(net.input_dimension() == 3 * 7 * 9);
  CHECK(std::get<Linear>(net.layers[2]).in_features == 20);
  CHECK(output_shape({1, 5, 5}, Conv2d{1, 5, 5, 3, 3, {}, {}}) == Shape{1, 1, 1});
  CHECK(output_shape({2, 10, 6}, Conv2d{3, 4, 1, 3, 5, {}, {}}) == Shape{3, 3, 2});
}

TEST_CASE("affine rows of a strided conv read the CHW flattening", "[network]") {
  // input 2x3x4, one filter 2x2 with stride (1, 2): output 1x2x2.
  Conv2d conv{1, 2, 2, 1, 2, rationals({"1", "2", "3", "4", "5", "6", "7", "8"}), rationals({"-1"})};
  Network net{{2, 3, 4}, {conv}, std::nullopt};
  std::vector<RationalVector> rows = affine_rows(net, 0);
  REQUIRE(rows.size() == 4);
  // output position (1, 1) reads input rows 1..2, columns 2..3 of both channels.
  RationalVector expected(1 + 24, 0);
  expected[0] = -1;
  for (std::size_t c = 0; c < 2; ++c)
    for (std::size_t a = 0; a < 2; ++a)
      for (std::size_t b = 0; b < 2; ++b) expected[1 + (c * 3 + 1 + a) * 4 + 2 + b] = Rational(1 + c * 4 + a * 2 + b);
  CHECK(rows[3] == expected);
}

TEST_CASE("first-layer arrangement of the 1x3x3 / 2x2 / 2-filter conv equals the hand-written rows", "[network]") {
  Network net = read_network_file(example_network);
  LayerArrangement layer = first_layer_arrangement(net);
  REQUIRE(layer.arrangement.dimension() == 9);
  REQUIRE(layer.arrangement.size() == 8);
  CHECK(layer.constant_neurons.empty());
  CHECK(layer.merge.duplicates == 0);
  CHECK(layer.neuron_of_hyperplane == std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6, 7});
  // neurons are channel-major: filter 0 at positions (0,0), (0,1), (1,0), (1,1), then filter 1.
  CHECK(layer.arrangement[0].to_string() == "1 -3 4 0 -4 -1 0 0 0 0");  // primitive: gcd 4 divided out
  CHECK(layer.arrangement[1].to_string() == "1 0 -3 4 0 -4 -1 0 0 0");
  CHECK(layer.arrangement[4].to_string() == "-7 -13 11 0 8 10 0 0 0 0");
  CHECK(layer.arrangement[7].to_string() == "-7 0 0 0 0 -13 11 0 8 10");
  ArrFile file = read_arr_file(example_arr);
  std::multiset<std::string> from_network, from_file;
  for (const Hyperplane& h : layer.arrangement.hyperplanes()) from_network.insert(h.to_string());
  for (const Hyperplane& h : file.arrangement.hyperplanes()) from_file.insert(h.to_string());
  CHECK(from_network == from_file);
}

TEST_CASE("zero-weight neurons are constant, duplicates are merged and reported", "[network]") {
  json j = base_network();
  j["layers"][0]["weight"][1] = json::parse("[[[0, 0], [0, 0]]]");
  Network net = read_network(j, "t.json");
  LayerArrangement layer = first_layer_arrangement(net);
  CHECK(layer.constant_neurons == std::vector<std::size_t>{4, 5, 6, 7});
  CHECK(layer.neuron_of_hyperplane == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(layer.arrangement.size() == 4);

  // one filter repeated with the opposite sign: 8 hyperplanes, 4 distinct.
  j = base_network();
  j["layers"][0]["weight"][1] = json::parse("[[[-1, -2], [-3, -4]]]");
  j["layers"][0]["bias"] = json::parse("[1, -1]");
  layer = first_layer_arrangement(read_network(j, "t.json"));
  CHECK(layer.arrangement.size() == 4);
  CHECK(layer.merge.duplicates == 4);
  CHECK(layer.merge.merged_index[5] == 1);
  CHECK(layer.merge.reversed[5]);
}

TEST_CASE("JSON floats are read as their exact binary64 value; strings as exact rationals", "[network]") {
  json j = base_network();
  j["layers"][0]["weight"][0][0][0] = json::parse("[0.1, \"1/3\"]");
  j["layers"][0]["weight"][0][0][1] = json::parse("[\"0.125\", -2.5e-1]");
  j["layers"][0]["bias"] = json::parse("[\"-7/14\", 18446744073709551615]");
  Network net = read_network(j, "t.json");
  const auto& conv = std::get<Conv2d>(net.layers[0]);
  CHECK(conv.weight[0] == Rational("3602879701896397/36028797018963968"));
  CHECK(conv.weight[1] == Rational(1, 3));
  CHECK(conv.weight[2] == Rational(1, 8));
  CHECK(conv.weight[3] == Rational(-1, 4));
  CHECK(conv.bias[0] == Rational(-1, 2));
  CHECK(conv.bias[1] == Rational(Integer("18446744073709551615")));
}

TEST_CASE("exact forward pass and activation pattern of a conv -> linear net, by hand", "[network]") {
  // input 1x2x2; conv: 2 filters 1x2 (output 2x2x1): f0 = [1, -1], b0 = 0; f1 = [2, 1], b1 = -1/2;
  // linear on the CHW flattening (k0 i0, k0 i1, k1 i0, k1 i1): u0 = [1,1,1,1] - 3, u1 = [1,0,-1,0].
  json j = json::parse(R"({"format": "chamber-network", "version": 1, "input_shape": [1, 2, 2], "layers": [
      {"type": "conv2d", "out_channels": 2, "kernel_size": [1, 2], "stride": 1,
       "weight": [[[[1, -1]]], [[[2, 1]]]], "bias": [0, "-1/2"]},
      {"type": "linear", "out_features": 2, "weight": [[1, 1, 1, 1], [1, 0, -1, 0]], "bias": [-3, 0]}]})");
  Network net = read_network(j, "t.json");
  REQUIRE(net.layer_shapes() == std::vector<Shape>{{2, 2, 1}, {2, 1, 1}});
  // x = (x00, x01, x10, x11) = (3, 1, 0, 2): conv = (2, -2, 13/2, 3/2); ReLU (2, 0, 13/2, 3/2);
  // u0 = 2 + 13/2 + 3/2 - 3 = 7, u1 = 2 - 13/2 = -9/2.
  CHECK(pre_activations(net, rationals({"3", "1", "0", "2"})) == rationals({"2", "-2", "13/2", "3/2", "7", "-9/2"}));
  CHECK(activation_pattern(net, rationals({"3", "1", "0", "2"})) == "+-+++-");
  // x = (1, 1, 0, 0): conv = (0, 0, 5/2, -1/2); ReLU (0, 0, 5/2, 0); u0 = -1/2, u1 = -5/2.
  CHECK(pre_activations(net, rationals({"1", "1", "0", "0"})) == rationals({"0", "0", "5/2", "-1/2", "-1/2", "-5/2"}));
  CHECK(activation_pattern(net, rationals({"1", "1", "0", "0"})) == "00+---");
}

TEST_CASE("to_json / read round trip is exact", "[network]") {
  WeightDistribution he = parse_weight_distribution("he:20");
  Network net = random_network({2, 5, 4}, {{true, 3, 2, 2, 1, 2}, {false, 4, 0, 0, 0, 0}, {false, 2, 0, 0, 0, 0}}, 7, he);
  // a huge integer and a non-dyadic fraction must survive too.
  std::get<Linear>(net.layers[1]).weight[0] = Rational(Integer("123456789012345678901234567890"));
  std::get<Linear>(net.layers[1]).bias[0] = Rational(-22, 7);
  json j = to_json(net);
  CHECK(j["layers"][1]["weight"][0][0] == "123456789012345678901234567890");
  CHECK(j["layers"][1]["bias"][0] == "-22/7");
  CHECK(read_network(j, "t.json") == net);
  std::string path = temp_file("roundtrip.json");
  write_network_file(net, path);
  CHECK(read_network_file(path) == net);
  std::filesystem::remove(path);
  CHECK(read_network(to_json(read_network_file(example_network)), "t.json") == read_network_file(example_network));
}

TEST_CASE("random networks are reproducible and respect their distribution", "[network]") {
  std::vector<LayerSpec> layers{{true, 3, 2, 2, 1, 1}, {false, 5, 0, 0, 0, 0}};
  WeightDistribution integers = parse_weight_distribution("int:-9:9");
  CHECK(integers.kind == WeightDistribution::Integer);
  CHECK(integers.lo == -9);
  CHECK(integers.hi == 9);
  Network a = random_network({1, 4, 4}, layers, 42, integers);
  CHECK(to_json(a) == to_json(random_network({1, 4, 4}, layers, 42, integers)));
  CHECK(to_json(a) != to_json(random_network({1, 4, 4}, layers, 43, integers)));
  std::set<long> seen;
  for (const Layer& layer : a.layers) {
    const auto& weights = std::holds_alternative<Conv2d>(layer) ? std::get<Conv2d>(layer).weight
                                                                : std::get<Linear>(layer).weight;
    for (const Rational& w : weights) {
      CHECK(w.get_den() == 1);
      CHECK(w >= -9);
      CHECK(w <= 9);
      seen.insert(w.get_num().get_si());
    }
  }
  CHECK(seen.size() > 10);  // 12 + 45 draws from 19 values

  WeightDistribution he = parse_weight_distribution("he:8");
  CHECK(he.kind == WeightDistribution::He);
  CHECK(he.bits == 8);
  Network b = random_network({1, 6, 6}, {{true, 4, 3, 3, 1, 1}, {false, 8, 0, 0, 0, 0}}, 5, he);
  CHECK(to_json(b) == to_json(random_network({1, 6, 6}, {{true, 4, 3, 3, 1, 1}, {false, 8, 0, 0, 0, 0}}, 5, he)));
  std::size_t nonzero = 0;
  for (const Rational& w : std::get<Conv2d>(b.layers[0]).weight) {
    CHECK(Integer(256) % w.get_den() == 0);
    CHECK(abs(w) < 3);  // N(0, 2/36): |w| < 3 is over 12 standard deviations
    nonzero += sgn(w) != 0;
  }
  CHECK(nonzero > 20);
  // the generator itself is pinned: these values are part of the reproducibility contract.
  RandomBits bits(0);
  CHECK(bits.next() == 0x99ec5f36cb75f2b4ULL);
  CHECK(bits.uniform_integer(-3, 3) >= -3);
  CHECK(bits.uniform_integer(5, 5) == 5);
  // Gaussians too (values from an independent Python transcription of the same algorithm).
  RandomBits gauss(1);
  CHECK(gauss.gaussian() == 0x1.e267c87ac62ebp+0);
  CHECK(gauss.gaussian() == 0x1.4d55c9633557cp+0);
  CHECK(gauss.gaussian() == 0x1.c0d732ae4b3ddp-2);
}

TEST_CASE("weight distribution text is checked", "[network]") {
  CHECK(parse_weight_distribution("int:0:1").lo == 0);
  CHECK(to_string(parse_weight_distribution("int:-3:12")) == "int:-3:12");
  CHECK(to_string(parse_weight_distribution("he:16")) == "he:16");
  for (const char* bad : {"", "int", "int:3", "int:3:1", "int:a:b", "int:-1:1:2", "he:", "he:-1", "he:65", "gauss:2"})
    CHECK_THROWS_AS(parse_weight_distribution(bad), InputError);
  CHECK_THROWS_AS(random_network({1, 2, 2}, {{true, 1, 3, 3, 1, 1}}, 0, WeightDistribution{}), InputError);
  CHECK_THROWS_AS(random_network({1, 2, 2}, {{false, 1, 0, 0, 0, 0}, {true, 1, 1, 1, 1, 1}}, 0, WeightDistribution{}),
                  InputError);
}

// ------------------------------------------------------------------------------------------ malformed files

TEST_CASE("malformed: not JSON names the byte position", "[network]") {
  std::string path = temp_file("broken.json");
  write_text(path, "{\"format\": \"chamber-network\", \"version\": 1,, }");
  CHECK_THROWS_WITH(read_network_file(path), Contains(path + ": not valid JSON at byte 44"));
  std::filesystem::remove(path);
  CHECK_THROWS_WITH(read_network_file(temp_file("missing.json")), Contains("cannot open file"));
}

TEST_CASE("malformed: integers beyond 64 bits must be strings", "[network]") {
  json j = base_network();
  std::string text = j.dump();
  std::string needle = "\"bias\":[0,1]";
  REQUIRE(text.find(needle) != std::string::npos);
  text.replace(text.find(needle), needle.size(), "\"bias\":[0,123456789012345678901234567890]");
  std::string path = temp_file("bigint.json");
  write_text(path, text);
  CHECK_THROWS_WITH(read_network_file(path),
                    Contains(path + ": layers[0].bias[1]: integer 123456789012345678901234567890 does not fit"));
  std::filesystem::remove(path);
}

TEST_CASE("malformed: format, version, top level", "[network]") {
  CHECK_THROWS_WITH(read_network(json::array(), "t.json"), Contains("t.json: top level: expected a JSON object"));
  json j = base_network();
  j["format"] = "onnx";
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: format: expected \"chamber-network\""));
  j = base_network();
  j["version"] = 2;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: version: unsupported version 2"));
  j = base_network();
  j.erase("version");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: top level: missing field \"version\""));
  j = base_network();
  j["extra"] = 1;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: extra: unknown field in a network file"));
  j = base_network();
  j["input_shape"] = json::parse("[1, 3]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: input_shape: expected [channels, height, width]"));
  j["input_shape"] = json::parse("[1, 0, 3]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: input_shape[1]: must be at least 1, found 0"));
}

TEST_CASE("malformed: no layers", "[network]") {
  json j = base_network();
  j["layers"] = json::array();
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers: no layers"));
  j.erase("layers");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: top level: missing field \"layers\""));
}

TEST_CASE("malformed: unknown layer type is named", "[network]") {
  json j = base_network();
  j["layers"][1]["type"] = "relu";
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[1].type: unknown layer type string \"relu\""));
  j["layers"][1].erase("type");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[1]: missing field \"type\""));
  j = base_network();
  j["layers"][0]["dilations"] = 2;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].dilations: unknown field for a conv2d layer"));
}

TEST_CASE("malformed: missing fields", "[network]") {
  for (const char* field : {"out_channels", "kernel_size", "weight", "bias"}) {
    json j = base_network();
    j["layers"][0].erase(field);
    CHECK_THROWS_WITH(read_network(j, "t.json"),
                      Contains(std::string("t.json: layers[0]: missing field \"") + field + "\""));
  }
  for (const char* field : {"out_features", "weight", "bias"}) {
    json j = base_network();
    j["layers"][1].erase(field);
    CHECK_THROWS_WITH(read_network(j, "t.json"),
                      Contains(std::string("t.json: layers[1]: missing field \"") + field + "\""));
  }
}

TEST_CASE("malformed: wrong tensor shape at any depth", "[network]") {
  json j = base_network();
  j["layers"][0]["weight"].push_back(j["layers"][0]["weight"][0]);
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight: expected 2 entries (output channels), found 3"));
  j = base_network();
  j["layers"][0]["weight"][1].push_back(j["layers"][0]["weight"][1][0]);
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight[1]: expected 1 entries (input channels), found 2"));
  j = base_network();
  j["layers"][0]["weight"][1][0].push_back(json::parse("[1, 1]"));
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight[1][0]: expected 2 entries (kernel height), found 3"));
  j = base_network();
  j["layers"][0]["weight"][0][0][1] = json::parse("[1]");
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight[0][0][1]: expected 2 entries (kernel width), found 1"));
  j = base_network();
  j["layers"][0]["weight"][0][0][1][0] = json::parse("[1]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].weight[0][0][1][0]: expected a number"));
  j = base_network();
  j["layers"][0]["weight"][0][0] = 5;
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight[0][0]: expected an array of 2 entries (kernel height), found 5"));
  j = base_network();
  j["layers"][1]["weight"].erase(2);
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[1].weight: expected 3 entries (output features), found 2"));
}

TEST_CASE("malformed: missing or wrong bias", "[network]") {
  json j = base_network();
  j["layers"][0]["bias"] = json::parse("[1]");
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].bias: expected 2 entries (output channels), found 1"));
  j = base_network();
  j["layers"][1]["bias"] = 0;
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[1].bias: expected an array of 3 entries (output features), found 0"));
}

TEST_CASE("malformed: kernel larger than its input, stride 0, padding", "[network]") {
  json j = base_network();
  j["layers"][0]["kernel_size"] = json::parse("[4, 2]");
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].kernel_size: kernel 4x2 is larger than the 3x3 input of this layer"));
  j["layers"][0]["kernel_size"] = 0;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].kernel_size: kernel_size must be at least 1"));
  j = base_network();
  j["layers"][0]["stride"] = 0;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].stride: stride must be at least 1, found 0"));
  j["layers"][0]["stride"] = json::parse("[1, 0]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].stride: stride must be at least 1"));
  j["layers"][0]["stride"] = json::parse("[1, 1, 1]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].stride: expected stride as an integer"));
  j["layers"][0]["stride"] = -1;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].stride: stride must be at least 1, found -1"));
  j = base_network();
  j["layers"][0]["padding"] = -1;
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].padding: padding must be at least 0, found -1"));
  j["layers"][0]["padding"] = json::parse("[0, -2]");
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].padding[1]: padding must be at least 0, found -2"));
  j["layers"][0]["padding"] = 1;  // a 2x4x4 output: the linear layer after it no longer fits
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[1].weight[0]: expected 32 entries (input features: the flattened 2x4x4"));
  j["layers"][0]["padding"] = json::parse("[0, 0]");
  CHECK_NOTHROW(read_network(j, "t.json"));
  // PyTorch style: an int kernel_size and stride mean square.
  j = base_network();
  j["layers"][0]["kernel_size"] = 2;
  j["layers"][0]["stride"] = 1;
  CHECK(read_network(j, "t.json") == read_network(base_network(), "t.json"));
}

TEST_CASE("malformed: non-numeric entries", "[network]") {
  for (const char* bad : {"true", "null", "\"abc\"", "\"nan\"", "\"inf\"", "{}", "\"1/0\""}) {
    json j = base_network();
    j["layers"][0]["weight"][1][0][1][0] = json::parse(bad);
    CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].weight[1][0][1][0]: expected a"));
  }
  json j = base_network();
  j["layers"][1]["bias"][2] = "x";
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[1].bias[2]: expected a number"));
  j = base_network();
  j["layers"][0]["weight"][0][0][0][0] = std::numeric_limits<double>::quiet_NaN();  // only possible programmatically
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0].weight[0][0][0][0]: expected a finite"));
}

TEST_CASE("malformed: linear layer size mismatch", "[network]") {
  json j = base_network();
  j["layers"][1]["weight"][0].erase(7);
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[1].weight[0]: expected 8 entries (input features: the flattened 2x2x2 "
                             "output of layer 0), found 7"));
  j = base_network();
  j["layers"][1]["in_features"] = 9;
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[1].in_features: in_features 9 does not match the 8 entries"));
  j["layers"][1]["in_features"] = 8;
  CHECK_NOTHROW(read_network(j, "t.json"));
}

TEST_CASE("malformed: conv2d after a linear layer", "[network]") {
  json j = base_network();
  j["layers"].push_back(j["layers"][0]);
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[2]: conv2d after a linear layer or a flatten is not supported"));
}

TEST_CASE("malformed: absurd sizes are rejected before allocating", "[network]") {
  json j = base_network();
  j["input_shape"] = json::parse("[1000, 1000, 1000]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: input_shape: the input has more than 10000000"));
  j = base_network();
  j["input_shape"] = json::parse("[1, 3, 99999999999]");
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: input_shape[2]: 99999999999 exceeds the limit"));
  j = base_network();
  j["layers"][0]["out_channels"] = 5000000;
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: layers[0].weight: the weight tensor has more than 10000000 entries"));
  j = base_network();
  j["input_shape"] = json::parse("[1, 3000, 3000]");
  j["layers"][0]["kernel_size"] = 1;
  j["layers"][0]["out_channels"] = 2;
  CHECK_THROWS_WITH(read_network(j, "t.json"),
                    Contains("t.json: input_shape: the input dimension C*H*W = 9000000 exceeds the cap of 4096"));
  // The caps on hidden neurons times (n + 1), checked before the next layer is read: 64 x 64 inputs, 1x1 kernel.
  j = base_network();
  j["input_shape"] = json::parse("[1, 64, 64]");
  j["layers"] = json::array({json{{"type", "conv2d"}, {"out_channels", 8}, {"kernel_size", 1},
                                  {"weight", json::parse("[[[[1]]],[[[1]]],[[[1]]],[[[1]]],[[[1]]],[[[1]]],[[[1]]],[[[1]]]]")},
                                  {"bias", json::parse("[0,0,0,0,0,0,0,0]")}}});
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers[0]: the network has 32768 hidden neurons"));
  j = base_network();
  j["layers"] = json::array();
  for (int l = 0; l < 1025; ++l) j["layers"].push_back(json{{"type", "linear"}, {"out_features", 1}});
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("t.json: layers: 1025 layers exceed the cap of 1024"));
}

TEST_CASE("malformed: numbers over the caps are refused with the cap named", "[network]") {
  json j = base_network();
  j["layers"][0]["bias"][0] = "1e-1001";
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("bias[0]: string \"1e-1001\" refused: decimal exponent -1001 exceeds the cap"));
  j = base_network();
  j["layers"][0]["bias"][0] = "1/" + std::string(1300, '7');
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("bits exceeds the cap of 4096 bits"));
  j = base_network();
  j["layers"][0]["bias"][0] = std::string(2001, '7');
  CHECK_THROWS_WITH(read_network(j, "t.json"), Contains("a number of 2001 characters exceeds the cap of 2000"));
}

// ------------------------------------------------------------------------------------------ the read-out layer

TEST_CASE("a read-out layer is read, written exactly and drawn after the hidden layers", "[network][readout]") {
  json j = base_network();
  j["readout"] = json::parse(R"({"out_features": 2, "weight": [[1, "1/3", 0], [0.5, -1, "2e-3"]], "bias": [0, -7]})");
  const Network net = read_network(j, "t.json");
  REQUIRE(net.readout.has_value());
  CHECK(net.readout->out_features == 2);
  CHECK(net.readout->in_features == 3);
  CHECK(net.readout->weight == rationals({"1", "1/3", "0", "1/2", "-1", "1/500"}));
  CHECK(net.readout->bias == rationals({"0", "-7"}));
  CHECK(read_network(to_json(net), "t.json") == net);
  CHECK(to_json(net)["readout"]["weight"][0][1] == "1/3");
  // Without it the network differs only there, and its hidden layers are the same.
  const Network plain = read_network(base_network(), "t.json");
  CHECK(plain.layers == net.layers);
  CHECK_FALSE(plain == net);
  CHECK_FALSE(to_json(plain).contains("readout"));
  j["readout"]["type"] = "linear";
  j["readout"]["in_features"] = 3;
  CHECK(read_network(j, "t.json") == net);

  // chamber random --readout: the hidden layers are those of the same seed without it.
  const std::vector<LayerSpec> layers{{true, 2, 2, 2, 1, 1}, {false, 4, 0, 0, 0, 0}};
  for (const char* weights : {"int:-9:9", "he:8"}) {
    const WeightDistribution distribution = parse_weight_distribution(weights);
    const Network without = random_network({1, 3, 3}, layers, 11, distribution);
    const Network with = random_network({1, 3, 3}, layers, 11, distribution, 3);
    CHECK_FALSE(without.readout.has_value());
    REQUIRE(with.readout.has_value());
    CHECK(with.layers == without.layers);
    CHECK(with.readout->out_features == 3);
    CHECK(with.readout->in_features == 4);
    CHECK(with.readout->weight.size() == 12);
    CHECK(to_json(with) == to_json(random_network({1, 3, 3}, layers, 11, distribution, 3)));
    CHECK(to_json(with) != to_json(random_network({1, 3, 3}, layers, 12, distribution, 3)));
  }
}

TEST_CASE("malformed: a read-out of the wrong shape is refused naming its path", "[network][readout]") {
  auto error = [](const std::function<void(json&)>& edit) {
    json j = base_network();
    j["readout"] = json::parse(R"({"out_features": 2, "weight": [[1, 2, 3], [4, 5, 6]], "bias": [0, 1]})");
    edit(j);
    try {
      read_network(j, "t.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error([](json&) {}) == "no error");
  CHECK_THAT(error([](json& j) { j["readout"]["weight"][1] = {4, 5}; }),
             Contains("t.json: readout.weight[1]: expected 3 entries (input features: the flattened"));
  CHECK_THAT(error([](json& j) { j["readout"]["weight"].push_back({1, 1, 1}); }),
             Contains("t.json: readout.weight: expected 2 entries (output features), found 3"));
  CHECK_THAT(error([](json& j) { j["readout"]["in_features"] = 8; }),
             Contains("t.json: readout.in_features: in_features 8 does not match the 3 entries"));
  CHECK_THAT(error([](json& j) { j["readout"]["bias"] = {0}; }),
             Contains("t.json: readout.bias: expected 2 entries (output features), found 1"));
  CHECK_THAT(error([](json& j) { j["readout"].erase("weight"); }), Contains("t.json: readout: missing field \"weight\""));
  CHECK_THAT(error([](json& j) { j["readout"]["out_features"] = 0; }), Contains("t.json: readout.out_features"));
  CHECK_THAT(error([](json& j) { j["readout"]["weight"][0][2] = "x"; }),
             Contains("t.json: readout.weight[0][2]: expected a number"));
  CHECK_THAT(error([](json& j) { j["readout"]["relu"] = true; }), Contains("t.json: readout.relu: unknown field"));
  CHECK_THAT(error([](json& j) { j["readout"]["type"] = "conv2d"; }),
             Contains("t.json: readout.type: the read-out is a linear layer"));
  CHECK_THAT(error([](json& j) { j["readout"] = json::array(); }), Contains("t.json: readout: expected a linear read-out"));
}

// ------------------------------------------------------------------------------------------------------------------
// Padding, dilation, groups and the affine layers without ReLU (batchnorm, avgpool2d, flatten).

namespace {

/*! a conv2d layer object with weights all `value` (K x C/groups x kh x kw) and zero biases. */
json conv_layer(std::size_t k, std::size_t c_per_group, std::size_t kh, std::size_t kw, json extra = json::object()) {
  json weight = json::array();
  for (std::size_t f = 0; f < k; ++f) {
    json channels = json::array();
    for (std::size_t c = 0; c < c_per_group; ++c)
      channels.push_back(json(std::vector<std::vector<int>>(kh, std::vector<int>(kw, 1))));
    weight.push_back(channels);
  }
  json layer{{"type", "conv2d"}, {"out_channels", k}, {"kernel_size", {kh, kw}}, {"weight", weight},
             {"bias", std::vector<int>(k, 0)}};
  for (auto& [key, value] : extra.items()) layer[key] = value;
  return layer;
}

json net_of(std::vector<std::size_t> shape, std::vector<json> layers) {
  return json{{"format", "chamber-network"}, {"version", 1}, {"input_shape", shape}, {"layers", layers}};
}

/*! the library's pre-activations at x against the checker's forms (its own reader) under the pattern at x. */
void require_checker_agrees(const json& document, const Network& network, const RationalVector& x) {
  const std::vector<Rational> values = pre_activations(network, x);
  const std::string pattern = activation_pattern(network, x);
  const verify::NetworkModel model = verify::read_network_model(document, "");
  REQUIRE(model.neurons() == values.size());
  const std::vector<verify::Form> forms = verify::neuron_forms(model, pattern);
  for (std::size_t k = 0; k < forms.size(); ++k) {
    mpq_class value = forms[k][0];
    for (std::size_t i = 0; i < x.size(); ++i) value += forms[k][1 + i] * x[i];
    REQUIRE(value == values[k]);
  }
  // And the composed rows of every layer give the same values (with ReLU in between).
  RationalVector y = x;
  std::size_t next = 0;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    RationalVector z;
    for (const RationalVector& row : affine_rows(network, l)) {
      Rational v = row[0];
      for (std::size_t i = 1; i < row.size(); ++i) v += row[i] * y[i - 1];
      REQUIRE(v == values[next++]);
      z.push_back(sgn(v) > 0 ? v : Rational(0));
    }
    y = std::move(z);
  }
}

}  // namespace

TEST_CASE("conv2d output shapes with padding, dilation and groups, by hand", "[network][affine]") {
  auto shape_of = [](std::vector<std::size_t> input, json layer) {
    return read_network(net_of(input, {layer}), "t.json").layer_shapes().at(0);
  };
  // floor((n + 2p - d(f - 1) - 1)/s) + 1 per axis.
  CHECK(shape_of({1, 5, 5}, conv_layer(2, 1, 3, 3, {{"padding", 1}})) == Shape{2, 5, 5});
  CHECK(shape_of({1, 5, 5}, conv_layer(2, 1, 3, 3, {{"padding", 1}, {"stride", 2}})) == Shape{2, 3, 3});
  CHECK(shape_of({1, 5, 5}, conv_layer(1, 1, 3, 3, {{"dilation", 2}})) == Shape{1, 1, 1});
  CHECK(shape_of({1, 5, 5}, conv_layer(1, 1, 3, 3, {{"dilation", 2}, {"padding", 2}})) == Shape{1, 5, 5});
  CHECK(shape_of({1, 5, 6}, conv_layer(1, 1, 2, 2, {{"dilation", {2, 3}}, {"padding", {1, 0}}, {"stride", 2}})) ==
        Shape{1, 3, 2});  // (5 + 2 - 2 - 1)/2 + 1 = 3, (6 - 3 - 1)/2 + 1 = 2
  CHECK(shape_of({4, 3, 3}, conv_layer(6, 2, 2, 2, {{"groups", 2}, {"padding", 1}})) == Shape{6, 4, 4});
  CHECK(shape_of({1, 2, 1}, conv_layer(1, 1, 3, 3, {{"padding", 1}})) == Shape{1, 2, 1});
  // Average pooling: stride defaults to the kernel (PyTorch); padding at most half the kernel.
  const Network pooled = read_network(
      net_of({2, 5, 5}, {json{{"type", "avgpool2d"}, {"kernel_size", 2}}, conv_layer(1, 2, 1, 1),
                         json{{"type", "avgpool2d"}, {"kernel_size", 3}, {"stride", 1}, {"padding", 1},
                              {"relu", false}},
                         json{{"type", "flatten"}}, json{{"type", "linear"}, {"out_features", 1},
                                                         {"weight", {{1, 1, 1, 1}}}, {"bias", {0}}}}),
      "t.json");
  REQUIRE(pooled.layers.size() == 2);
  CHECK(pooled.layer_input_shape(0) == Shape{2, 5, 5});
  CHECK(pooled.layer_shapes() == std::vector<Shape>{Shape{1, 2, 2}, Shape{1, 1, 1}});
  CHECK(pooled.hidden_neurons() == 5);
}

TEST_CASE("affine rows of padded, dilated, grouped convs and batch-norm and pooling, by hand", "[network][affine]") {
  // Padding 1, a 3x3 kernel 1..9 on a 2x2 input: output (0, 0) reads input (a - 1, b - 1), i.e. weights [1][1],
  // [1][2], [2][1], [2][2] = 5, 6, 8, 9 on x0, x1, x2, x3.
  json padded = net_of({1, 2, 2}, {json{{"type", "conv2d"}, {"out_channels", 1}, {"kernel_size", 3}, {"padding", 1},
                                         {"weight", {{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}}}, {"bias", {"1/2"}}}});
  Network net = read_network(padded, "t.json");
  std::vector<RationalVector> rows = affine_rows(net, 0);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0] == rationals({"1/2", "5", "6", "8", "9"}));
  CHECK(rows[3] == rationals({"1/2", "1", "2", "4", "5"}));  // output (1, 1) reads input (a, b) for a, b < 2
  // Groups 2 on two channels with 1x1 kernels: each filter reads its own channel only.
  net = read_network(net_of({2, 1, 1}, {json{{"type", "conv2d"}, {"out_channels", 2}, {"kernel_size", 1},
                                             {"groups", 2}, {"weight", {{{{3}}}, {{{5}}}}}, {"bias", {0, 1}}}}),
                     "t.json");
  CHECK(affine_rows(net, 0) == std::vector<RationalVector>{rationals({"0", "3", "0"}), rationals({"1", "0", "5"})});
  // Dilation [1, 2] on a 1x1x3 input with a 1x2 kernel: x0 and x2.
  net = read_network(net_of({1, 1, 3}, {json{{"type", "conv2d"}, {"out_channels", 1}, {"kernel_size", {1, 2}},
                                             {"dilation", {1, 2}}, {"weight", {{{{7, 11}}}}}, {"bias", {0}}}}),
                     "t.json");
  CHECK(affine_rows(net, 0) == std::vector<RationalVector>{rationals({"0", "7", "0", "11"})});
  // linear 2x + 1, then batch-norm ((y - 1) * 3/2 + 1) with ReLU: 3x + 1.
  net = read_network(
      net_of({1, 1, 1}, {json{{"type", "linear"}, {"out_features", 1}, {"weight", {{2}}}, {"bias", {1}}, {"relu", false}},
                         json{{"type", "batchnorm"}, {"num_features", 1}, {"weight", {3}}, {"bias", {1}},
                              {"running_mean", {1}}, {"sigma", {2}}, {"relu", true}}}),
      "t.json");
  CHECK(affine_rows(net, 0) == std::vector<RationalVector>{rationals({"1", "3"})});
  CHECK(net.layers.size() == 1);
  // Average pooling before a linear layer: the mean of the window, composed.
  net = read_network(net_of({1, 2, 2}, {json{{"type", "avgpool2d"}, {"kernel_size", 2}},
                                        json{{"type", "linear"}, {"out_features", 1}, {"weight", {{4}}},
                                             {"bias", {0}}}}),
                     "t.json");
  CHECK(affine_rows(net, 0) == std::vector<RationalVector>{rationals({"0", "1", "1", "1", "1"})});
  CHECK(!beyond_closed_forms(net).empty());
}

TEST_CASE("the forward pass, the composed rows and the checker agree on networks with affine layers",
          "[network][affine]") {
  const json bn2 = {{"type", "batchnorm"},
                    {"weight", {"3/2", -1}},
                    {"bias", {"1/4", 0}},
                    {"running_mean", {1, "-1/2"}},
                    {"sigma", {"5/4", "1/3"}},
                    {"relu", true}};
  // Input 1x3x4; conv 3x3, padding 1, dilation [1, 2] -> 2x3x2, batch-norm, ReLU (12 neurons); grouped conv 2x2 ->
  // 2x2x1 (4 neurons); average pool 2x2, stride 1, padding 1 -> 2x3x2, flatten, linear (3 neurons).
  json conv = {{"type", "conv2d"}, {"out_channels", 2}, {"kernel_size", 3}, {"padding", 1}, {"dilation", {1, 2}},
               {"relu", false}, {"bias", {"1/3", -1}}};
  conv["weight"] = json::parse("[[[[1, -2, 3], [0, 1, -1], [2, 0, 1]]], [[[-1, 1, 0], [2, -3, 1], [0, 1, 1]]]]");
  json grouped = {{"type", "conv2d"}, {"out_channels", 2}, {"kernel_size", 2}, {"groups", 2}, {"bias", {0, "-1/5"}}};
  grouped["weight"] = json::parse(R"([[[[1, -1], [2, "1/2"]]], [[[-2, 1], [1, 1]]]])");
  const json pool = {{"type", "avgpool2d"}, {"kernel_size", 2}, {"stride", 1}, {"padding", 1}};
  std::vector<std::vector<int>> weight(3, std::vector<int>(12));
  for (std::size_t u = 0; u < 3; ++u)
    for (std::size_t j = 0; j < 12; ++j) weight[u][j] = static_cast<int>((u * 7 + j * 3) % 5) - 2;
  const json linear = {{"type", "linear"}, {"out_features", 3}, {"weight", weight}, {"bias", {1, -1, "1/7"}}};
  const json document = net_of({1, 3, 4}, {conv, bn2, grouped, pool, json{{"type", "flatten"}}, linear});
  const Network net = read_network(document, "t.json");
  REQUIRE(net.layers.size() == 3);
  CHECK(net.layer_shapes() == std::vector<Shape>{Shape{2, 3, 2}, Shape{2, 2, 1}, Shape{3, 1, 1}});
  CHECK(beyond_closed_forms(net) == "layer 0 (conv2d) has a batchnorm before its ReLU");
  // Round trip, exactly, through the file format.
  CHECK(read_network(to_json(net), "again") == net);
  CHECK(to_json(read_network(to_json(net), "again")) == to_json(net));
  // Closed forms do not apply: only Lemma 2, and the others marked with why.
  for (const ClosedForm& form : closed_forms(net)) {
    if (form.key == "lemma2") {
      CHECK(form.applies);
    } else {
      CHECK_FALSE(form.applies);
      CHECK_THAT(closed_form_text(form), Contains("does not apply: layer 0 (conv2d) has a batchnorm"));
    }
  }
  CHECK_THROWS_WITH(architecture_of(net), Contains("beyond a weight-free architecture"));
  RandomBits bits(5);
  for (int trial = 0; trial < 20; ++trial) {
    RationalVector x;
    for (std::size_t i = 0; i < net.input_dimension(); ++i) {
      x.push_back(Rational(static_cast<long>(bits.next() % 41) - 20, 4 + static_cast<unsigned long>(bits.next() % 5)));
      x.back().canonicalize();
    }
    require_checker_agrees(document, net, x);
  }
}

TEST_CASE("malformed: padding, dilation, groups and the affine layers are checked with their path", "[network][affine]") {
  auto error = [](const json& document) {
    try {
      read_network(document, "t.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK_THAT(error(net_of({3, 3, 3}, {conv_layer(2, 1, 1, 1, {{"groups", 3}})})),
             Contains("t.json: layers[0].groups: groups 3 must divide the 3 input channels and the 2 output channels"));
  CHECK_THAT(error(net_of({4, 3, 3}, {conv_layer(2, 4, 1, 1, {{"groups", 2}})})),
             Contains("t.json: layers[0].weight[0]: expected 2 entries (input channels per group: 4 / groups 2)"));
  CHECK_THAT(error(net_of({1, 3, 3}, {conv_layer(1, 1, 1, 1, {{"groups", 0}})})),
             Contains("t.json: layers[0].groups: must be at least 1"));
  CHECK_THAT(error(net_of({1, 4, 4}, {conv_layer(1, 1, 3, 3, {{"dilation", 2}})})),
             Contains("t.json: layers[0].kernel_size: dilated kernel extent 5x5 is larger than the 4x4 input"));
  CHECK_THAT(error(net_of({1, 2, 2}, {conv_layer(1, 1, 5, 3, {{"padding", 1}})})),
             Contains("t.json: layers[0].kernel_size: kernel 5x3 is larger than the 2x2 input of this layer padded to 4x4"));
  CHECK_THAT(error(net_of({1, 3, 3}, {conv_layer(1, 1, 1, 1, {{"dilation", 0}})})),
             Contains("t.json: layers[0].dilation: dilation must be at least 1, found 0"));
  CHECK_THAT(error(net_of({1, 3, 3}, {conv_layer(1, 1, 1, 1, {{"relu", "yes"}})})),
             Contains("t.json: layers[0].relu: expected true or false"));
  const json bn = {{"type", "batchnorm"}, {"weight", {1}}, {"bias", {0}}, {"running_mean", {0}}, {"sigma", {1}}};
  json bad = bn;
  bad["sigma"] = {0};
  CHECK_THAT(error(net_of({1, 2, 2}, {bad, conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[0].sigma[0]: sigma must be positive"));
  bad = bn;
  bad["num_features"] = 2;
  CHECK_THAT(error(net_of({1, 2, 2}, {bad, conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[0].num_features: num_features 2 does not match the 1 channels"));
  bad = bn;
  bad["running_var"] = {1};
  CHECK_THAT(error(net_of({1, 2, 2}, {bad, conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[0].running_var: unknown field for a batchnorm layer"));
  bad = bn;
  bad["relu"] = true;  // a ReLU after a batch-norm needs a main map without ReLU before it
  CHECK_THAT(error(net_of({1, 2, 2}, {conv_layer(1, 1, 1, 1), bad})),
             Contains("t.json: layers[1].relu: a batchnorm followed by ReLU must come after a conv2d or linear layer"));
  CHECK_THAT(error(net_of({1, 2, 2}, {conv_layer(1, 1, 1, 1, {{"relu", false}}), conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[1]: layers[0] has no ReLU: two conv2d/linear layers without a ReLU between"));
  CHECK_THAT(error(net_of({1, 2, 2}, {conv_layer(1, 1, 1, 1), bn})),
             Contains("t.json: layers[1]: no ReLU follows this layer: layers after the last ReLU only feed a "
                      "\"readout\""));
  CHECK_THAT(error(net_of({1, 2, 2}, {conv_layer(1, 1, 1, 1, {{"relu", false}})})),
             Contains("t.json: layers[0]: no ReLU follows this layer"));
  CHECK_THAT(error(net_of({1, 2, 2}, {json{{"type", "avgpool2d"}, {"kernel_size", 2}, {"padding", 2}},
                                      conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[0].padding: padding 2x2 is more than half the 2x2 kernel"));
  CHECK_THAT(error(net_of({1, 2, 2}, {json{{"type", "avgpool2d"}, {"kernel_size", 3}}, conv_layer(1, 1, 1, 1)})),
             Contains("t.json: layers[0].kernel_size: kernel 3x3 is larger than the 2x2 input of this layer"));
  CHECK_THAT(error(net_of({1, 2, 2}, {json{{"type", "flatten"}}, conv_layer(1, 4, 1, 1)})),
             Contains("t.json: layers[1]: conv2d after a linear layer or a flatten is not supported"));
  CHECK_THAT(error(net_of({1, 2, 2}, {json{{"type", "minpool2d"}}})),
             Contains("t.json: layers[0].type: unknown layer type string \"minpool2d\" (expected \"conv2d\", "
                      "\"linear\", \"maxout\", \"batchnorm\", \"avgpool2d\", \"maxpool2d\" or \"flatten\")"));
  CHECK_THAT(error(net_of({1, 2, 2}, {json{{"type", "maxpool2d"}, {"kernel_size", 2}}})),
             Contains("t.json: layers[0]: a maxpool2d needs a hidden layer with an activation before it"));
  // Steps after the last ReLU are read when a read-out follows them, and feed it.
  json document = net_of({1, 2, 2}, {conv_layer(1, 1, 1, 1), json{{"type", "avgpool2d"}, {"kernel_size", 2}}});
  document["readout"] = {{"out_features", 1}, {"weight", {{2}}}, {"bias", {0}}};
  const Network net = read_network(document, "t.json");
  REQUIRE(net.readout);
  CHECK(net.readout->before.size() == 1);
  CHECK(readout_rows(net) == std::vector<RationalVector>{rationals({"0", "1/2", "1/2", "1/2", "1/2"})});
  CHECK(read_network(to_json(net), "again") == net);
}

// Networks with LeakyReLU, PReLU, Hardtanh, ReLU6 and max pooling (docs/network-format.md, "Activations" and "Max
// pooling"): every engine against an
// independent brute force over the units' pieces (φ applied piece by piece, not through the neuron expansion the
// engines use), the exact forward pass at every witness, certificates accepted by the independent checker (which has
// its own reader and expansion) and tampered ones rejected, the file round trip and the reader's errors.
#include "cnn/formulas.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lp.hpp"
#include "verify/certificate_check.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

using namespace chamber;
using nlohmann::json;

namespace {

Activation leaky(const Rational& slope) { return Activation{Activation::Kind::leaky_relu, {slope}, 0, 0}; }
Activation prelu(std::vector<Rational> slopes) { return Activation{Activation::Kind::prelu, std::move(slopes), 0, 0}; }
Activation hardtanh(const Rational& lo, const Rational& hi) { return Activation{Activation::Kind::hardtanh, {}, lo, hi}; }
Activation relu6() { return Activation{Activation::Kind::relu6, {}, 0, 0}; }

void set_activation(Network& network, std::size_t layer, Activation activation) {
  std::visit([&](auto& main) { main.activation = std::move(activation); }, network.layers.at(layer));
}

/*! whether the open set {c(x) > 0 for every c in `constraints`} is nonempty: one exact strict-feasibility LP. */
bool feasible(std::size_t n, const std::vector<RationalVector>& constraints) {
  if (constraints.empty()) return true;
  std::vector<Hyperplane> rows;
  for (const RationalVector& c : constraints) rows.push_back(Hyperplane::from_rationals(c));
  MergeReport merge;
  Arrangement arrangement(n, rows, &merge);
  std::map<std::size_t, int> sign_of;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int s = merge.reversed[i] ? -1 : 1;
    auto [it, inserted] = sign_of.emplace(merge.merged_index[i], s);
    if (!inserted && it->second != s) return false;
  }
  std::vector<SignCondition> conditions;
  for (auto [h, s] : sign_of) conditions.push_back({h, s});
  StrictFeasibilitySolver solver(arrangement);
  return solver.solve(conditions).feasible;
}

/*! the independent count: for every unit, every piece of its activation (below t_1, between t_i and t_{i+1}, above
 * t_m), with the unit's output on that piece computed from φ's definition (a constant, z, or slope·z); a constant
 * unit takes the piece of its value. One LP per choice, pruning the empty prefixes. */
std::set<std::string> brute_force_patterns(const Network& network) {
  const std::size_t n = network.input_dimension();
  std::set<std::string> found;
  std::vector<RationalVector> constraints;
  std::vector<RationalVector> identity;
  for (std::size_t i = 0; i < n; ++i) {
    RationalVector e(n + 1, 0);
    e[i + 1] = 1;
    identity.push_back(e);
  }
  std::function<void(std::size_t, const std::vector<RationalVector>&, std::string)> layer_step;
  std::function<void(std::size_t, std::size_t, const std::vector<RationalVector>&, std::vector<RationalVector>&,
                     std::string)>
      unit_step;
  std::function<void(std::size_t, std::size_t, std::size_t, const std::vector<RationalVector>&,
                     std::vector<RationalVector>&, std::string)>
      max_step;
  layer_step = [&](std::size_t layer, const std::vector<RationalVector>& inputs, std::string pattern) {
    if (layer == network.layers.size()) {
      if (feasible(n, constraints)) found.insert(pattern);
      return;
    }
    std::vector<RationalVector> forms;
    for (const RationalVector& row : unit_rows(network, layer)) {
      RationalVector form(n + 1, 0);
      form[0] = row[0];
      for (std::size_t i = 1; i < row.size(); ++i)
        for (std::size_t c = 0; c <= n; ++c) form[c] += row[i] * inputs[i - 1][c];
      forms.push_back(form);
    }
    std::vector<RationalVector> outputs;
    if (is_max_layer(network.layers[layer])) {
      max_step(layer, 0, 0, forms, outputs, pattern);
      return;
    }
    unit_step(layer, 0, forms, outputs, pattern);
  };
  // A max unit: each piece c that is the largest (strictly above the others, or equal to a later one everywhere),
  // with output p_c; its slots read '0' for c and for pieces equal to it, '+' for the others.
  max_step = [&](std::size_t layer, std::size_t u, std::size_t slot, const std::vector<RationalVector>& pieces,
                 std::vector<RationalVector>& outputs, std::string pattern) {
    const std::vector<std::size_t> slots = max_slots(network, layer);
    if (u == slots.size()) {
      layer_step(layer + 1, outputs, pattern);
      return;
    }
    for (std::size_t c = slot; c < slot + slots[u]; ++c) {
      std::string characters;
      std::size_t pushed = 0;
      bool possible = true;
      for (std::size_t s = slot; s < slot + slots[u]; ++s) {
        RationalVector d = pieces[c];
        for (std::size_t i = 0; i <= n; ++i) d[i] -= pieces[s][i];
        bool constant = true;
        for (std::size_t i = 1; i <= n; ++i) constant = constant && d[i] == 0;
        if (constant) {
          possible = possible && (d[0] > 0 || (d[0] == 0 && s >= c));
          characters += d[0] == 0 ? '0' : '+';
          continue;
        }
        characters += '+';
        constraints.push_back(d);
        ++pushed;
      }
      if (possible && (pushed == 0 || feasible(n, constraints))) {
        outputs.push_back(pieces[c]);
        max_step(layer, u + 1, slot + slots[u], pieces, outputs, pattern + characters);
        outputs.pop_back();
      }
      constraints.resize(constraints.size() - pushed);
    }
  };
  unit_step = [&](std::size_t layer, std::size_t u, const std::vector<RationalVector>& forms,
                  std::vector<RationalVector>& outputs, std::string pattern) {
    if (u == forms.size()) {
      layer_step(layer + 1, outputs, pattern);
      return;
    }
    const Shape out = network.layer_output_shape(layer);
    const Activation& activation = activation_of(network.layers[layer]);
    const std::size_t channel = u / (out.height * out.width);
    // The pieces: (lower breakpoint or none, upper breakpoint or none, output form on the piece).
    std::vector<Rational> t;
    Rational slope = 0;  // below the first breakpoint (leaky/prelu)
    switch (activation.kind) {
      case Activation::Kind::relu: t = {0}; break;
      case Activation::Kind::leaky_relu: t = {0}, slope = activation.slope[0]; break;
      case Activation::Kind::prelu:
        t = {0}, slope = activation.slope[activation.slope.size() == 1 ? 0 : channel];
        break;
      case Activation::Kind::hardtanh: t = {activation.min_val, activation.max_val}; break;
      case Activation::Kind::relu6: t = {0, 6}; break;
    }
    const RationalVector& z = forms[u];
    bool constant = true;
    for (std::size_t c = 1; c <= n; ++c) constant = constant && z[c] == 0;
    for (std::size_t piece = 0; piece <= t.size(); ++piece) {
      // On piece p: z > t_i for i < p, z < t_i for i >= p.
      RationalVector output(n + 1, 0);
      if (t.size() == 1) {
        output = z;
        if (piece == 0)
          for (Rational& v : output) v *= slope;
      } else if (piece == 0) {
        output[0] = t[0];
      } else if (piece == 1) {
        output = z;
      } else {
        output[0] = t[1];
      }
      std::string characters;
      std::size_t pushed = 0;
      bool possible = true;
      for (std::size_t i = 0; i < t.size(); ++i) {
        RationalVector side = z;  // z − t_i, oriented to the piece's side
        side[0] -= t[i];
        if (constant) {
          const int s = sgn(side[0]);
          if (s == 0) {
            characters += '0';
            // z ≡ t_i: the output is φ(t_i), the same from both sides; count it on the piece above t_i only.
            possible = possible && piece == i + 1;
          } else {
            characters += s > 0 ? '+' : '-';
            possible = possible && ((s > 0) == (i < piece));
          }
          continue;
        }
        characters += i < piece ? '+' : '-';
        if (i >= piece)
          for (Rational& v : side) v = -v;
        constraints.push_back(side);
        ++pushed;
      }
      if (possible && (pushed == 0 || feasible(n, constraints))) {  // an empty prefix has no completion
        outputs.push_back(output);
        unit_step(layer, u + 1, forms, outputs, pattern + characters);
        outputs.pop_back();
      }
      constraints.resize(constraints.size() - pushed);
    }
  };
  layer_step(0, identity, std::string());
  return found;
}

std::vector<LinearRegion> regions_of(const Network& network, NetworkEngine engine, bool keep_proofs = true) {
  LinearRegionEnumerator enumerator(network, LinearRegionOptions{RunControl{}, false, std::nullopt, keep_proofs, 1,
                                                                 engine});
  std::vector<LinearRegion> regions;
  enumerator.run([&](const LinearRegion& region) { regions.push_back(region); });
  return regions;
}

json certify(const Network& network, const std::vector<LinearRegion>& regions) {
  NetworkCertificateBuilder builder(network, std::nullopt, false);
  for (const LinearRegion& r : regions) builder.add_region(r);
  builder.complete(RunControl{});
  return builder.to_json();
}

/*! every engine against the brute force, the forward pass at every witness, and the certificate; returns the count. */
std::size_t count_and_check(const Network& network) {
  const std::set<std::string> brute = brute_force_patterns(network);
  std::vector<NetworkEngine> engines{NetworkEngine::lp, NetworkEngine::cone, NetworkEngine::hybrid};
  if (network.input_dimension() == 2) engines.push_back(NetworkEngine::plane);
  if (std::any_of(network.layers.begin(), network.layers.end(), is_max_layer))
    engines = {NetworkEngine::lp, NetworkEngine::automatic};
  for (NetworkEngine engine : engines) {
    INFO("engine " << to_string(engine));
    const std::vector<LinearRegion> regions = regions_of(network, engine);
    std::set<std::string> patterns;
    for (const LinearRegion& r : regions) {
      patterns.insert(r.pattern);
      CHECK(activation_pattern(network, r.witness.to_rationals()) == r.pattern);
    }
    CHECK(patterns.size() == regions.size());
    CHECK(patterns == brute);
    const verify::CheckReport report = verify::check_certificate(certify(network, regions));
    INFO(report.reason);
    CHECK(report.valid);
    CHECK(report.regions == regions.size());
  }
  return brute.size();
}

LayerSpec linear_spec(std::size_t units) { return LayerSpec{false, units, 1, 1, 1, 1}; }
LayerSpec conv_spec(std::size_t filters, std::size_t k) { return LayerSpec{true, filters, k, k, 1, 1}; }

}  // namespace

TEST_CASE("leaky_relu and prelu networks: every engine equals the brute force; certificates check",
          "[activations]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Network network =
        random_network({1, 1, 2}, {linear_spec(3), linear_spec(3)}, seed, parse_weight_distribution("int:-3:3"));
    const std::size_t relu = count_and_check(network);
    set_activation(network, 0, leaky(Rational(1, 4)));
    const std::size_t leaky_count = count_and_check(network);
    // A negative slope folds the input back: the second layer sees a different map, so the count generally differs
    // from ReLU's, and no neuron of layer 0 is dead any more.
    set_activation(network, 0, prelu({Rational(-1, 2), Rational(1, 3), Rational(2)}));
    set_activation(network, 1, leaky(Rational(1, 10)));
    count_and_check(network);
    CHECK(relu >= 1);
    CHECK(leaky_count >= 1);
  }
  // PReLU on a conv layer: one slope per channel.
  Network conv = random_network({1, 3, 3}, {conv_spec(2, 2), linear_spec(2)}, 7, parse_weight_distribution("int:-2:2"));
  set_activation(conv, 0, prelu({Rational(1, 2), Rational(-1)}));
  count_and_check(conv);
}

TEST_CASE("hardtanh and relu6 networks: two neurons per unit, every engine equals the brute force; certificates check",
          "[activations]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Network network =
        random_network({1, 1, 2}, {linear_spec(3), linear_spec(2)}, seed, parse_weight_distribution("int:-3:3"));
    set_activation(network, 0, hardtanh(Rational(-1), Rational(1, 2)));
    CHECK(network.hidden_neurons() == 8);
    count_and_check(network);
    set_activation(network, 1, relu6());
    set_activation(network, 0, leaky(Rational(1, 3)));
    count_and_check(network);
  }
  // One unit z = x on R: hardtanh has 3 regions (x < lo, between, x > hi), patterns "--", "+-", "++".
  Network line;
  line.input = Shape{1, 1, 1};
  line.layers.push_back(Linear{1, 1, {Rational(1)}, {Rational(0)}, {}, {}, hardtanh(Rational(-2), Rational(3))});
  CHECK(brute_force_patterns(line) == std::set<std::string>{"--", "+-", "++"});
  CHECK(count_and_check(line) == 3);
  // Then a unit reading hardtanh's output: it is constant (clamped) on two of the three intervals.
  line.layers.push_back(Linear{1, 1, {Rational(1)}, {Rational(-1)}, {}, {}, {}});
  CHECK(count_and_check(line) == 4);  // -2 < x < 1 and 1 < x < 3 split by the second unit
}

TEST_CASE("activation networks round-trip through the file; bad activations are named", "[activations]") {
  Network network = random_network({1, 1, 2}, {linear_spec(2), linear_spec(2)}, 3, parse_weight_distribution("int:-3:3"));
  set_activation(network, 0, hardtanh(Rational(-1, 3), Rational(5)));
  set_activation(network, 1, prelu({Rational(1, 7), Rational(-2)}));
  const json text = to_json(network);
  CHECK(read_network(text, "net.json") == network);
  CHECK(text["layers"][0]["activation"]["type"] == "hardtanh");

  auto error_of = [](const std::string& activation) {
    json doc = json::parse(R"({"format":"chamber-network","version":1,"input_shape":[1,1,2],
      "layers":[{"type":"linear","out_features":2,"weight":[[1,0],[0,1]],"bias":[0,0]}]})");
    doc["layers"][0]["activation"] = json::parse(activation);
    try {
      read_network(doc, "net.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error_of(R"("tanh")").find("layers[0].activation: unknown activation \"tanh\"") != std::string::npos);
  CHECK(error_of(R"({"type":"hardtanh","min_val":1,"max_val":1})").find("min_val < max_val") != std::string::npos);
  CHECK(error_of(R"({"type":"prelu","weight":[1,2,3]})").find("expected 1 or 2 slopes") != std::string::npos);
  CHECK(error_of(R"({"type":"leaky_relu","slope":1})").find("slope") != std::string::npos);
  CHECK(error_of(R"("relu6")") == "accepted");
  CHECK(error_of(R"({"type":"leaky_relu"})") == "accepted");
}

TEST_CASE("tampered activation certificates are rejected", "[activations]") {
  Network network = random_network({1, 1, 2}, {linear_spec(3), linear_spec(2)}, 2, parse_weight_distribution("int:-3:3"));
  set_activation(network, 0, leaky(Rational(1, 4)));
  const std::vector<LinearRegion> regions = regions_of(network, NetworkEngine::lp);
  const json good = certify(network, regions);
  REQUIRE(verify::check_certificate(good).valid);
  // The same regions claimed for the ReLU network, or for another slope: the checker recomputes the forms.
  json as_relu = good;
  as_relu["network"]["layers"][0].erase("activation");
  CHECK_FALSE(verify::check_certificate(as_relu).valid);
  json other_slope = good;
  other_slope["network"]["layers"][0]["activation"]["negative_slope"] = "1/3";
  CHECK_FALSE(verify::check_certificate(other_slope).valid);
  json unknown = good;
  unknown["network"]["layers"][0]["activation"]["type"] = "swish";
  CHECK_FALSE(verify::check_certificate(unknown).valid);
}

namespace {

/*! input 1×H×W → conv (K filters kh×kw, padding p) → activation → maxpool (window wh×ww, stride t) → flatten →
 * linear U → ReLU. */
Network pooled(Shape input, std::size_t filters, std::size_t kh, std::size_t kw, std::size_t p, std::size_t wh,
               std::size_t ww, std::size_t t, std::size_t units, std::uint64_t seed) {
  Network network = random_network(input, {LayerSpec{true, filters, kh, kw, 1, 1}}, seed,
                                   parse_weight_distribution("int:-3:3"));
  Conv2d& conv = std::get<Conv2d>(network.layers[0]);
  conv.pad_h = conv.pad_w = p;
  network.layers.push_back(MaxPool2d{wh, ww, t, t, 0, 0, {}, {}, {}});
  const Network head = random_network({1, 1, network.layer_output_shape(1).size()}, {linear_spec(units)}, seed + 7,
                                      parse_weight_distribution("int:-3:3"));
  Linear linear = std::get<Linear>(head.layers[0]);
  linear.before = {Flatten{}};
  network.layers.push_back(std::move(linear));
  return network;
}

}  // namespace

TEST_CASE("max pooling: the LP engine equals the brute force over the pieces taken; certificates check",
          "[activations][maxpool]") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    // 1x2x2 input, one 2x2 filter with padding 1 (a 3x3 map), 2x2 pooling at stride 2 (one unit of 4 pieces), then
    // 2 units.
    const Network network = pooled({1, 2, 2}, 1, 2, 2, 1, 2, 2, 2, 2, seed);
    const std::size_t count = count_and_check(network);
    CHECK(count >= 2);
  }
  // Overlapping windows (stride 1) share pieces, so one hyperplane bounds several units' choices; with hardtanh
  // before the pooling, clamped pieces are equal constants and the first of them is taken.
  // 1x1x4 input, two 1x2 filters (1x3 maps), 1x2 pooling at stride 1: the units of a channel share the middle piece.
  Network overlapping = pooled({1, 1, 4}, 2, 1, 2, 0, 1, 2, 1, 2, 4);
  count_and_check(overlapping);
  std::get<Conv2d>(overlapping.layers[0]).activation = hardtanh(Rational(-1), Rational(1));
  count_and_check(overlapping);
  // The cone, hybrid and plane engines refuse max layers by name.
  CHECK_THROWS_WITH(regions_of(overlapping, NetworkEngine::cone), Catch::Contains("max-pooling"));
}

TEST_CASE("max pooling round-trips through the file; bad pooling is named", "[activations][maxpool]") {
  const Network network = pooled({1, 2, 2}, 1, 2, 2, 1, 2, 2, 2, 2, 5);
  const json text = to_json(network);
  CHECK(read_network(text, "net.json") == network);
  CHECK(text["layers"][1]["type"] == "maxpool2d");
  auto error_of = [](const std::string& layers) {
    json doc = json::parse(R"({"format":"chamber-network","version":1,"input_shape":[1,2,2]})");
    doc["layers"] = json::parse(layers);
    try {
      read_network(doc, "net.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  const std::string conv = R"({"type":"conv2d","out_channels":1,"kernel_size":1,"weight":[[[[1]]]],"bias":[0]})";
  CHECK(error_of("[" + conv + R"(,{"type":"maxpool2d","kernel_size":2}])") == "accepted");
  CHECK(error_of(R"([{"type":"maxpool2d","kernel_size":2}])").find("layers[0]: a maxpool2d needs a hidden layer") !=
        std::string::npos);
  CHECK(error_of("[" + conv + R"(,{"type":"maxpool2d","kernel_size":2,"relu":true}])").find("relu") !=
        std::string::npos);
  CHECK(error_of("[" + conv + R"(,{"type":"maxpool2d","kernel_size":2,"dilation":2}])").find("dilation") !=
        std::string::npos);
  CHECK(error_of("[" + conv + R"(,{"type":"maxpool2d","kernel_size":3}])").find("larger than") != std::string::npos);
}

TEST_CASE("tampered max-pooling certificates are rejected", "[activations][maxpool]") {
  const Network network = pooled({1, 2, 2}, 1, 2, 2, 1, 2, 2, 2, 2, 6);
  const std::vector<LinearRegion> regions = regions_of(network, NetworkEngine::lp);
  const json good = certify(network, regions);
  REQUIRE(verify::check_certificate(good).valid);
  // Another piece claimed for a unit: move the '0' of the first region's first max unit to a slot with '+'.
  json moved = good;
  std::string pattern = moved["regions"][0]["pattern"];
  const std::size_t first = network.layer_neurons(0);
  const std::size_t zero = pattern.find('0', first);
  const std::size_t plus = pattern.find('+', first);
  REQUIRE(zero < first + 4);
  REQUIRE(plus < first + 4);
  std::swap(pattern[zero], pattern[plus]);
  moved["regions"][0]["pattern"] = pattern;
  const verify::CheckReport report = verify::check_certificate(moved);
  CHECK_FALSE(report.valid);
  // A unit without any '0' (no piece taken), and a '-' in a slot.
  json none = good;
  std::string no_zero = none["regions"][0]["pattern"];
  for (std::size_t s = first; s < first + 4; ++s) no_zero[s] = '+';
  none["regions"][0]["pattern"] = no_zero;
  CHECK(verify::check_certificate(none).reason.find("has no '0'") != std::string::npos);
  json minus = good;
  std::string with_minus = minus["regions"][0]["pattern"];
  with_minus[plus] = '-';
  minus["regions"][0]["pattern"] = with_minus;
  CHECK(verify::check_certificate(minus).reason.find("found '-'") != std::string::npos);
  // One region left out: a neighbour across a choice hyperplane is missing.
  json missing = good;
  missing["regions"].erase(missing["regions"].begin());
  missing["region_count"] = missing["regions"].size();
  CHECK_FALSE(verify::check_certificate(missing).valid);
}

namespace {

/*! a maxout layer of `units` units of rank `rank` on `inputs` inputs, integer weights in [−3, 3] from `seed`. */
Maxout random_maxout(std::size_t units, std::size_t rank, std::size_t inputs, std::uint64_t seed) {
  const Network source = random_network({1, 1, inputs}, {linear_spec(units * rank)}, seed,
                                        parse_weight_distribution("int:-3:3"));
  const Linear& linear = std::get<Linear>(source.layers[0]);
  return Maxout{units, rank, inputs, linear.weight, linear.bias, {}, {}, {}};
}

}  // namespace

TEST_CASE("maxout networks: the LP engine equals the brute force; certificates check; Montufar's bounds hold",
          "[activations][maxout]") {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    // One layer on the plane: below Montufar et al.'s upper bound min(sum_j C(k^2 n1, j), k^n1), for every weight.
    Network single;
    single.input = Shape{1, 1, 2};
    single.layers.push_back(random_maxout(3, 3, 2, seed));
    const std::size_t count = count_and_check(single);
    CHECK(Integer(static_cast<unsigned long>(count)) <= maxout_single_upper(2, 3, 3));
    // Two layers (the second reads the first's maxima), and maxout after a ReLU layer.
    Network deep = single;
    deep.layers.push_back(random_maxout(2, 2, 3, seed + 10));
    count_and_check(deep);
    Network mixed = random_network({1, 1, 2}, {linear_spec(3)}, seed, parse_weight_distribution("int:-3:3"));
    mixed.layers.push_back(random_maxout(2, 3, 3, seed + 20));
    count_and_check(mixed);
  }
  // The file round trip, and a certificate whose maxout weight was changed.
  Network deep;
  deep.input = Shape{1, 1, 2};
  deep.layers.push_back(random_maxout(2, 3, 2, 9));
  deep.layers.push_back(random_maxout(2, 2, 2, 19));
  CHECK(read_network(to_json(deep), "net.json") == deep);
  const json good = certify(deep, regions_of(deep, NetworkEngine::lp));
  REQUIRE(verify::check_certificate(good).valid);
  json changed = good;
  changed["network"]["layers"][1]["bias"][0][0] = "1000";
  CHECK_FALSE(verify::check_certificate(changed).valid);
  // min(C(27, 0) + C(27, 1) + C(27, 2), 3^3) = min(379, 27); min(C(8, 0) + C(8, 1), 2^2) with n0 = 1: min(9, 4).
  CHECK(maxout_single_upper(2, 3, 3) == 27);
  CHECK(maxout_single_upper(1, 2, 2) == 4);
  CHECK(maxout_single_upper(1, 1, 5) == 5);  // a maxout unit on the line: at most its 5 pieces
  CHECK(maxout_single_lower(2, 3, 3) == 9);
  CHECK(maxout_deep_lower(3, 2, 2) == 16);
}

// Networks with LeakyReLU, PReLU, Hardtanh and ReLU6 (docs/network-format.md, "Activations"): every engine against an
// independent brute force over the units' pieces (φ applied piece by piece, not through the neuron expansion the
// engines use), the exact forward pass at every witness, certificates accepted by the independent checker (which has
// its own reader and expansion) and tampered ones rejected, the file round trip and the reader's errors.
#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lp.hpp"
#include "verify/certificate_check.hpp"

#include <catch2/catch.hpp>

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
 * unit takes the piece of its value. One LP per complete choice. */
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
    unit_step(layer, 0, forms, outputs, pattern);
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
      if (possible) {
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

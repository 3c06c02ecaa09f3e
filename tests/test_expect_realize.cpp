// chamber expect (eq. (5)), chamber realize (minimal 1-D networks) and formula's growth and per-parameter reports.
#include "cnn/analysis.hpp"
#include "cnn/expectation.hpp"
#include "cnn/formula_report.hpp"
#include "cnn/formulas.hpp"
#include "cnn/realize.hpp"

#include "arrangement/errors.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace chamber;

namespace {

Architecture architecture(const std::string& input, std::vector<std::string> conv, std::vector<std::string> linear = {}) {
  return parse_architecture(ArchitectureText{input, std::move(conv), std::move(linear)});
}

std::vector<Rational> rationals(std::initializer_list<const char*> texts) {
  std::vector<Rational> values;
  for (const char* text : texts) values.push_back(*parse_rational(text));
  return values;
}

Rational relu(const Rational& v) { return sgn(v) > 0 ? v : Rational(0); }

/*! evaluates the one-output read-out of `network` at x exactly, independently of realize.cpp. */
Rational evaluate(const Network& network, const Rational& x) {
  const Linear& hidden = std::get<Linear>(network.layers[0]);
  const Linear& readout = *network.readout;
  Rational y = readout.bias[0];
  for (std::size_t j = 0; j < hidden.out_features; ++j)
    y += readout.weight[j] * relu(hidden.weight[j] * x + hidden.bias[j]);
  return y;
}

/*! decides by brute force over the 2^k orientations whether k neurons (one per breakpoint) can realise f. */
bool k_neurons_suffice(const PiecewiseLinear& f) {
  const std::size_t k = f.breakpoints.size();
  for (std::size_t mask = 0; mask < (std::size_t{1} << k); ++mask) {
    Rational slope_at_minus_infinity = 0;
    for (std::size_t i = 0; i < k; ++i)
      if (mask >> i & 1) slope_at_minus_infinity -= f.slopes[i + 1] - f.slopes[i];
    if (slope_at_minus_infinity == f.slopes.front()) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("student_t_quantile matches the tabulated 97.5% quantiles", "[expect]") {
  CHECK(student_t_quantile(0.975, 1) == Approx(12.7062047).epsilon(1e-7));
  CHECK(student_t_quantile(0.975, 4) == Approx(2.7764451).epsilon(1e-7));
  CHECK(student_t_quantile(0.975, 9) == Approx(2.2621572).epsilon(1e-7));
  CHECK(student_t_quantile(0.975, 30) == Approx(2.0422725).epsilon(1e-7));
  CHECK(student_t_quantile(0.975, 100000) == Approx(1.959975).epsilon(1e-5));
  CHECK(student_t_quantile(0.5, 7) == Approx(0).margin(1e-10));
}

TEST_CASE("expect: the structural failure of eq. (4) shows a mean below it", "[expect]") {
  const Architecture a = architecture("1x3x3", {"2:2x2:1"});
  ExpectationOptions options;
  options.draws = 4;
  options.weights = parse_weight_distribution("int:-1000000:1000000");
  options.seed = 7;
  const ExpectationEstimate e = estimate_expectation(a, "1x3x3 conv 2:2x2:1", options, RunControl{});
  REQUIRE(e.counts.size() == 4);
  // Each count is the network analysis of chamber random's network of that seed.
  for (std::size_t i = 0; i < 4; ++i) {
    NetworkAnalysisOptions analysis;
    analysis.verdict = false;
    const Network network = random_network(a.input, a.layers, 7 + i, options.weights);
    CHECK(e.counts[i] == analyse_network(network, analysis, RunControl{}).stats.regions);
    CHECK(e.counts[i] <= 255);  // no weights give more (README, the verdict)
  }
  REQUIRE(e.eq4());
  CHECK(*e.eq4() == 256);
  CHECK(e.mean < Rational(256));
  CHECK(e.to_json()["mean_vs_eq4"] == "below");
  Rational sum = 0;
  for (std::uint64_t c : e.counts) sum += Rational(static_cast<unsigned long>(c));
  CHECK(e.mean == sum / 4);
  REQUIRE(e.variance);
  REQUIRE(e.interval);
  CHECK(e.interval->low <= e.mean.get_d());
  CHECK(e.mean.get_d() <= e.interval->high);
}

TEST_CASE("expect: Table 1 (input 1x3, 3 filters 1x2) has mean = eq. (4) = 40 at generic weights", "[expect]") {
  ExpectationOptions options;
  options.draws = 3;
  options.weights = parse_weight_distribution("int:-1000000:1000000");
  const ExpectationEstimate e = estimate_expectation(architecture("1x1x3", {"3:1x2:1"}), "t1", options, RunControl{});
  CHECK(e.mean == 40);
  CHECK(*e.variance == 0);
  CHECK(e.min == 40);
  CHECK(e.max == 40);
  CHECK(e.to_json()["mean_vs_eq4"] == "equal");
}

TEST_CASE("expect: bad draws are input errors", "[expect]") {
  ExpectationOptions options;
  options.draws = 0;
  CHECK_THROWS_AS(estimate_expectation(architecture("1x1x3", {"1:1x2:1"}), "x", options, RunControl{}), InputError);
  options.draws = max_expectation_draws + 1;
  CHECK_THROWS_AS(estimate_expectation(architecture("1x1x3", {"1:1x2:1"}), "x", options, RunControl{}), InputError);
}

TEST_CASE("eq. (4) as a polynomial in the number of filters equals eq4() for every d", "[formulas]") {
  const std::vector<std::pair<Shape, ConvSpec>> layers{
      {Shape{1, 1, 3}, ConvSpec{1, 1, 2, 1, 1}}, {Shape{1, 3, 3}, ConvSpec{1, 2, 2, 1, 1}},
      {Shape{2, 2, 3}, ConvSpec{1, 2, 2, 1, 1}}, {Shape{1, 4, 4}, ConvSpec{1, 2, 2, 2, 2}},
      {Shape{1, 1, 7}, ConvSpec{1, 1, 3, 1, 1}}};
  for (const auto& [input, conv] : layers) {
    const Eq4Polynomial polynomial = eq4_polynomial(input, conv);
    for (std::size_t d = 1; d <= 6; ++d) {
      ConvSpec with = conv;
      with.filters = d;
      CHECK(polynomial.value(d) == eq4(input, with));
    }
  }
  // Example 1: (1 + d)(1 + d^2) = d^3 + d^2 + d + 1: degree 3, leading coefficient 1.
  const Eq4Polynomial example1 = eq4_polynomial(Shape{1, 1, 3}, ConvSpec{1, 1, 2, 1, 1});
  CHECK(example1.degree == 3);
  CHECK(example1.leading_coefficient == 1);
  // Stride 2 with 2x2 kernels on 4x4 tiles the input: 4 disjoint fields of 4, eq. (4) = (Σ_{t≤4} C(d,t))^4,
  // leading term (d^4/4!)^4.
  const Eq4Polynomial tiled = eq4_polynomial(Shape{1, 4, 4}, ConvSpec{1, 2, 2, 2, 2});
  CHECK(tiled.degree == 16);
  CHECK(tiled.leading_coefficient == Rational(1, 331776));
  const std::optional<FilterGrowth> growth = filter_growth(architecture("1x1x3", {"2:1x2:1"}), 4);
  REQUIRE(growth);
  CHECK(growth->filters == std::vector<std::size_t>{2, 4, 8, 16});
  CHECK(growth->ratio[3] == Rational(4369, 4096));
  CHECK_FALSE(filter_growth(architecture("1x1x4", {"2:1x2:1", "2:1x2:1"})));
}

TEST_CASE("regions per parameter: CNN against the fully connected net of the same widths", "[formulas]") {
  const std::optional<RegionsPerParameter> r =
      regions_per_parameter(architecture("1x1x3", {"2:1x2:1"}), ExactDraw{}, RunControl{});
  REQUIRE(r);
  CHECK(r->cnn_parameters == 6);
  CHECK(r->fc_parameters == 16);
  CHECK(r->fc_widths == std::vector<std::size_t>{4});
  CHECK(*r->cnn_exact == 15);  // eq. (4) = (1 + 2)(1 + 4)
  CHECK(*r->fc_exact == 15);   // 4 generic lines... planes in R^3: Σ_{j≤3} C(4, j)
  const nlohmann::json json = r->to_json();
  CHECK(json["cnn"]["eq4"]["per_parameter"] == "5/2");
  CHECK(json["fully_connected"]["serra_upper"]["per_parameter"] == "15/16");
  CHECK_FALSE(regions_per_parameter(architecture("1x1x3", {"2:1x2:1"}, {"3"}), std::nullopt, RunControl{}));
}

TEST_CASE("realize: the minimal one-hidden-layer network, checked three ways", "[realize]") {
  struct Case {
    std::vector<Rational> breakpoints, slopes;
    Rational value_at_zero;
  };
  const std::vector<Case> cases{
      {rationals({"-1", "0", "2"}), rationals({"1", "-1", "2", "0"}), 0},
      {rationals({"1/3"}), rationals({"2", "5"}), Rational(7, 2)},           // one more neuron: no subset sums to -2
      {rationals({"1/3"}), rationals({"2", "0"}), -1},                       // the jump -2 = -s0: one neuron
      {rationals({"0"}), rationals({"0", "1"}), 0},                          // ReLU itself
      {rationals({"-2", "-1/2", "3/7", "5"}), rationals({"3", "1", "-2", "4", "9"}), Rational(-5, 3)},
      {rationals({"-3", "-1", "1", "3"}), rationals({"1", "3", "2", "5", "7"}), 1},
  };
  for (const Case& c : cases) {
    const PiecewiseLinear f = piecewise_from_slopes(c.breakpoints, c.slopes, c.value_at_zero);
    const Realization r = realize_1d(f, RunControl{});
    const bool k_suffice = k_neurons_suffice(f);
    CHECK(r.neurons == f.breakpoints.size() + (k_suffice ? 0 : 1));
    CHECK(r.extra_neuron == !k_suffice);
    CHECK(r.breakpoints_match);
    CHECK(r.values_match);
    CHECK(r.enumerated_breakpoints == f.breakpoints);
    CHECK(r.regions == f.breakpoints.size() + 1);
    // The network's own read-out, evaluated here, equals f on a grid and far out.
    for (int n = -40; n <= 40; ++n) {
      Rational x(n, 7);
      x.canonicalize();
      CHECK(evaluate(r.network, x) == f.value(x));
    }
    CHECK(evaluate(r.network, Rational(1000000)) == f.value(Rational(1000000)));
    CHECK(evaluate(r.network, Rational(-1000000)) == f.value(Rational(-1000000)));
    CHECK(f.value(0) == c.value_at_zero);
    // The file round trip keeps the network (readout included).
    CHECK(read_network(to_json(r.network), "realized") == r.network);
  }
}

TEST_CASE("realize: a points file gives the same function as its breakpoints and slopes", "[realize]") {
  const std::vector<std::pair<Rational, Rational>> points{{3, 0}, {0, 0}, {1, 1}, {2, 0}, {4, Rational(1, 2)}};
  const std::vector<std::string> where{"p:1", "p:2", "p:3", "p:4", "p:5"};
  const PiecewiseLinear f = piecewise_from_points(points, where);
  CHECK(f.breakpoints == rationals({"1", "2", "3"}));
  CHECK(f.slopes == rationals({"1", "-1", "0", "1/2"}));
  for (const auto& [x, y] : points) CHECK(f.value(x) == y);
  // Collinear points are merged: (0,0), (1,1), (2,2), (3,0) has one breakpoint, at 2.
  const PiecewiseLinear g = piecewise_from_points({{0, 0}, {1, 1}, {2, 2}, {3, 0}}, {"a", "b", "c", "d"});
  CHECK(g.breakpoints == rationals({"2"}));
  CHECK_THROWS_AS(piecewise_from_points({{0, 0}, {1, 1}, {2, 2}}, {"a", "b", "c"}), InputError);
  CHECK_THROWS_AS(piecewise_from_points({{0, 0}, {0, 1}, {2, 2}}, {"a", "b", "c"}), InputError);
  CHECK_THROWS_AS(piecewise_from_points({{0, 0}}, {"a"}), InputError);
}

TEST_CASE("realize: malformed functions are input errors", "[realize]") {
  CHECK_THROWS_AS(piecewise_from_slopes({}, rationals({"1"}), 0), InputError);
  CHECK_THROWS_AS(piecewise_from_slopes(rationals({"1", "1"}), rationals({"1", "2", "3"}), 0), InputError);
  CHECK_THROWS_AS(piecewise_from_slopes(rationals({"2", "1"}), rationals({"1", "2", "3"}), 0), InputError);
  CHECK_THROWS_AS(piecewise_from_slopes(rationals({"1"}), rationals({"1", "2", "3"}), 0), InputError);
  CHECK_THROWS_AS(piecewise_from_slopes(rationals({"1"}), rationals({"2", "2"}), 0), InputError);
}

TEST_CASE("realize: the function as chamber realize and the Python module give it", "[realize]") {
  PiecewiseLinearText text;
  text.breakpoints = "-1, 1/2, 2";
  text.slopes = "1,-1,2,0";
  text.value_at_zero = "3";
  const PiecewiseLinear f = parse_piecewise_linear(text);
  CHECK(f.breakpoints == rationals({"-1", "1/2", "2"}));
  CHECK(f.slopes == rationals({"1", "-1", "2", "0"}));
  CHECK(f.value_at_zero == 3);
  // The module's list of points, named by index.
  PiecewiseLinearText listed;
  listed.point_list = {{3, 0}, {0, 0}, {1, 1}, {2, 0}, {4, Rational(1, 2)}};
  CHECK(parse_piecewise_linear(listed).breakpoints == rationals({"1", "2", "3"}));
  listed.point_list = {{0, 0}, {1, 1}, {1, 2}};
  CHECK_THROWS_WITH(parse_piecewise_linear(listed), Catch::Contains("points[2]: x = 1 also at points[1]"));
  // Both forms, neither, half of one, and f(0) beside points are refused, naming the option.
  PiecewiseLinearText both = text;
  both.points = "p.csv";
  CHECK_THROWS_WITH(parse_piecewise_linear(both), Catch::StartsWith("give either"));
  CHECK_THROWS_WITH(parse_piecewise_linear(PiecewiseLinearText{}), Catch::StartsWith("give either"));
  PiecewiseLinearText half;
  half.slopes = "1,2";
  CHECK_THROWS_WITH(parse_piecewise_linear(half), "--breakpoints: required with --slopes");
  listed.value_at_zero = "1";
  CHECK_THROWS_WITH(parse_piecewise_linear(listed), Catch::StartsWith("--value-at-0: only with"));
  text.value_at_zero = "1,2";
  CHECK_THROWS_WITH(parse_piecewise_linear(text), "--value-at-0: expected one exact number");
}

TEST_CASE("formula_report: closed forms, eq. (4) as the filters grow and regions per parameter", "[formulas]") {
  const FormulaReport report = formula_report(architecture("1x1x3", {"2:1x2:1"}), "1x1x3", std::nullopt, RunControl{});
  const nlohmann::json json = report.to_json();
  CHECK(json["input"] == nlohmann::json{1, 1, 3});
  CHECK(json["hidden_neurons"] == 4);
  CHECK(json["eq4"] == 15);
  CHECK(json["eq4_growth"]["rows"][0]["eq4"] == 15);
  CHECK(json["regions_per_parameter"]["exact_draw"].is_null());
  CHECK(report.to_text().rfind("input 1x1x3 (dimension 3), 4 hidden neurons\n", 0) == 0);
  // Fully connected: no growth table, no per-parameter comparison.
  const nlohmann::json fc =
      formula_report(architecture("1x1x2", {}, {"4"}), "1x1x2", std::nullopt, RunControl{}).to_json();
  CHECK_FALSE(fc.contains("eq4_growth"));
  CHECK_FALSE(fc.contains("regions_per_parameter"));
}

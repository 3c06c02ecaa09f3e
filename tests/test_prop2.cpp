// Prop. 2 of Xiong et al.'s supplement decided on instances, polynomial dependency certificates, and the verdict on
// eq. (4): the 1×3×3 counterexample (255 < 256 for every weight choice), 1-D cases where eq. (4) holds generically
// and fails for special weights, two-channel cases, and a brute-force oracle over all neuron subsets.
#include "cnn/polynomial.hpp"
#include "cnn/prop2.hpp"
#include "cnn/random_network.hpp"
#include "cnn/verdict.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lattice.hpp"

#include "tests/trials.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

using namespace chamber;
using Catch::Matchers::Contains;

namespace {

const std::string example_network = std::string(CHAMBER_TEST_DATA) + "/networks/cnn_3x3x1_f2x2_s1_c2.json";

/*! returns the exact region count of the first layer by Zaslavsky (independent of the Prop. 2 search). */
Integer zaslavsky_count(const Network& network) {
  return characteristic_polynomial(first_layer_arrangement(network).arrangement).regions();
}

/*! returns a 1-D network: input 1×1×width, one 1×k filter per bias, weights row-major [filter][k]. */
Network conv1d(const std::vector<long>& weights, const std::vector<long>& biases, std::size_t width) {
  Conv2d conv;
  conv.out_channels = biases.size();
  conv.kernel_h = 1;
  conv.kernel_w = weights.size() / biases.size();
  for (long w : weights) conv.weight.emplace_back(w);
  for (long b : biases) conv.bias.emplace_back(b);
  return Network{Shape{1, 1, width}, {conv}, std::nullopt};
}

std::vector<std::size_t> range(std::size_t n) {
  std::vector<std::size_t> v(n);
  for (std::size_t k = 0; k < n; ++k) v[k] = k;
  return v;
}

/*! returns the rank of `rows` by plain Gaussian elimination over Q (the test's own, for the brute-force oracle). */
std::size_t rank_of(std::vector<RationalVector> rows) {
  std::size_t rank = 0;
  const std::size_t width = rows.empty() ? 0 : rows.front().size();
  for (std::size_t c = 0; c < width && rank < rows.size(); ++c) {
    std::size_t pivot = rank;
    while (pivot < rows.size() && sgn(rows[pivot][c]) == 0) ++pivot;
    if (pivot == rows.size()) continue;
    std::swap(rows[pivot], rows[rank]);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      if (r == rank || sgn(rows[r][c]) == 0) continue;
      const Rational factor = rows[r][c] / rows[rank][c];
      for (std::size_t k = 0; k < width; ++k) rows[r][k] -= factor * rows[rank][k];
    }
    ++rank;
  }
  return rank;
}

struct BruteForce {
  std::optional<std::size_t> smallest_i, smallest_ii;  // sizes of the smallest violations, if any
};

/*! decides (i) and (ii) by looking at every subset of neurons (at most ~12 neurons). */
BruteForce brute_force(const Network& network) {
  const auto [input, conv] = first_conv_architecture(network);
  const std::vector<RationalVector> affine = affine_rows(network, 0);  // (b, a)
  const std::size_t positions = affine.size() / conv.filters;
  BruteForce result;
  for (std::size_t mask = 1; mask < (std::size_t{1} << affine.size()); ++mask) {
    std::vector<RationalVector> normals, augmented;
    std::vector<std::size_t> t(positions, 0);
    for (std::size_t n = 0; n < affine.size(); ++n) {
      if (!(mask >> n & 1)) continue;
      ++t[n % positions];
      augmented.push_back(affine[n]);
      normals.emplace_back(affine[n].begin() + 1, affine[n].end());
    }
    const std::size_t size = normals.size();
    const bool in_k = in_KN(input, conv, t);
    const std::size_t rank_a = rank_of(normals);
    if (in_k && rank_a < size && (!result.smallest_i || size < *result.smallest_i)) result.smallest_i = size;
    if (!in_k && rank_a == rank_of(augmented) && (!result.smallest_ii || size < *result.smallest_ii))
      result.smallest_ii = size;
  }
  return result;
}

}  // namespace

TEST_CASE("polynomials: arithmetic, canonical form and text", "[prop2]") {
  const Polynomial x = Polynomial::variable(0), y = Polynomial::variable(1), z = Polynomial::variable(2);
  const std::vector<std::string> names{"x", "y", "z"};
  const Polynomial square = (x + y) * (x + y);
  CHECK(to_string(square, names) == "x^2 + 2*x*y + y^2");
  CHECK(square == x * x + y * x * Polynomial(Rational(2)) + y * y);
  CHECK(to_string((x - y) * (x + y), names) == "x^2 - y^2");
  CHECK((x * y - y * x).is_zero());
  CHECK((square - square).is_zero());
  CHECK(to_string(Polynomial(), names) == "0");
  CHECK(to_string(Polynomial(Rational(-3, 2)), names) == "-3/2");
  CHECK(to_string(z * Polynomial(Rational(1, 2)) - Polynomial(Rational(1)), names) == "1/2*z - 1");
  CHECK(to_string(-(x * x * z) + Polynomial(Rational(5)) * y, names) == "-x^2*z + 5*y");
  CHECK(square.degree() == 2);
  CHECK(square.is_homogeneous(2));
  CHECK_FALSE((square + x).is_homogeneous(2));
  CHECK(square.variable_count() == 2);
  CHECK(square.coefficient({1, 1}) == 2);
  CHECK(square.coefficient({1, 1, 0, 0}) == 2);  // trailing zeros do not matter
  CHECK(square.coefficient({0, 0, 1}) == 0);
  CHECK(square.evaluate({Rational(3), Rational(-5)}) == 4);
  CHECK_THROWS_AS(square.evaluate({Rational(3)}), std::invalid_argument);
  Polynomial p = x;
  p *= Rational(0);
  CHECK(p.is_zero());
  // Weight sharing, symbolically: two 2×2 filters p, q as polynomials in (u, v); q·p − p·q = 0.
  std::vector<Polynomial> pw, qw;
  for (std::size_t k = 0; k < 4; ++k) {
    pw.push_back(Polynomial::variable(k));
    qw.push_back(Polynomial::variable(4 + k));
  }
  CHECK(to_string(pw[0] * qw[3] - qw[3] * pw[0], weight_variable_names({1, 3, 3}, {2, 2, 2, 1, 1})) == "0");
  CHECK(to_string(qw[1] * pw[2], weight_variable_names({1, 3, 3}, {2, 2, 2, 1, 1})) == "w0[0][1][0]*w1[0][0][1]");
}

TEST_CASE("monomials_of_degree lists C(n + d - 1, d) monomials, highest exponents first", "[prop2]") {
  CHECK(monomials_of_degree(8, 0).size() == 1);
  CHECK(monomials_of_degree(8, 1).size() == 8);
  CHECK(monomials_of_degree(8, 2).size() == 36);
  CHECK(monomials_of_degree(8, 3).size() == 120);
  CHECK(monomials_of_degree(0, 0).size() == 1);
  CHECK(monomials_of_degree(0, 2).empty());
  const std::vector<Monomial> m = monomials_of_degree(2, 2);
  REQUIRE(m.size() == 3);
  CHECK(m[0] == Monomial{2});
  CHECK(m[1] == Monomial{1, 1});
  CHECK(m[2] == Monomial{0, 2});
  CHECK(degree(Monomial{1, 0, 3}) == 4);
}

TEST_CASE("1x3x3, two 2x2 filters: (i) fails for every weight choice, 255 < 256", "[prop2]") {
  const Network net = read_network_file(example_network);
  const Conv2d& conv = std::get<Conv2d>(net.layers.at(0));
  CHECK(conv.weight == RationalVector{-12, 16, -16, -4, -13, 11, 8, 10});
  CHECK(conv.bias == RationalVector{4, -7});
  const Integer exact = zaslavsky_count(net);
  CHECK(exact == 255);

  const Prop2Report report = check_prop2(net);
  CHECK(report.neurons == 8);
  CHECK(report.positions == 4);
  CHECK(report.condition_i == false);
  CHECK(report.condition_ii == true);  // every t with t_p ≤ 2 is in K_N: (ii) is vacuous
  REQUIRE(report.violation_i);
  const Prop2Violation& v = *report.violation_i;
  CHECK(v.condition == Prop2Condition::i);
  CHECK(v.neurons == range(8));
  CHECK(v.counts == std::vector<std::size_t>{2, 2, 2, 2});
  CHECK(v.rank == 7);
  CHECK(v.smallest_proven);
  REQUIRE(v.positions.size() == 8);
  CHECK(v.positions[0] == NeuronPosition{0, 0, 0});
  CHECK(v.positions[3] == NeuronPosition{0, 1, 1});
  CHECK(v.positions[6] == NeuronPosition{1, 1, 0});
  CHECK(violates_at(net, v));

  const std::optional<PolynomialDependency> dependency =
      structural_dependency({1, 3, 3}, {2, 2, 2, 1, 1}, v.neurons);
  REQUIRE(dependency);
  CHECK(dependency->verified);
  CHECK(dependency->degree == 1);
  CHECK(dependency->counts_in_KN);
  CHECK(dependency->counts == std::vector<std::size_t>{2, 2, 2, 2});
  CHECK(dependency->variables ==
        std::vector<std::string>{"w0[0][0][0]", "w0[0][0][1]", "w0[0][1][0]", "w0[0][1][1]", "w1[0][0][0]",
                                 "w1[0][0][1]", "w1[0][1][0]", "w1[0][1][1]"});
  // q·p − p·q = 0: the shift of p by (a, b) carries the weight q_ab, the shift of q by (a, b) carries −p_ab (up
  // to one common sign).
  const std::vector<std::string> expected{"-w1[0][0][0]", "-w1[0][0][1]", "-w1[0][1][0]", "-w1[0][1][1]",
                                          "w0[0][0][0]",  "w0[0][0][1]",  "w0[0][1][0]",  "w0[0][1][1]"};
  CHECK(dependency->coefficient_texts == expected);
  CHECK(verify_dependency({1, 3, 3}, {2, 2, 2, 1, 1}, *dependency));
  // The identity at the file's weights: Σ c_j(w) a_j(w) = 0 numerically.
  RationalVector w(conv.weight.begin(), conv.weight.end());
  const std::vector<RationalVector> rows = affine_rows(net, 0);
  for (std::size_t x = 1; x <= 9; ++x) {
    Rational sum = 0;
    for (std::size_t k = 0; k < 8; ++k) sum += dependency->coefficients[k].evaluate(w) * rows[k][x];
    CHECK(sum == 0);
  }

  const Eq4Verdict verdict = judge_eq4(net, exact);
  CHECK(verdict.eq4 == 256);
  CHECK(verdict.theorem1 == 256);  // 8 hyperplanes in R^9
  CHECK(verdict.lemma2 == 256);
  CHECK(verdict.verdict == Eq4Outcome::fails_structural);
  CHECK_THAT(verdict.conclusion, Contains("eq. (4) fails for every weight choice: exact 255 < 256"));
  CHECK_THAT(verdict.conclusion, Contains("{0, 1, 2, 3, 4, 5, 6, 7} (t = (2, 2, 2, 2) ∈ K_N)"));
  CHECK_THAT(verdict.conclusion, Contains("verified by expansion"));
  CHECK_THAT(verdict.conclusion, Contains("eq. (4) − 1 = 255"));
  REQUIRE(verdict.generic_counts.size() == 3);
  for (const GenericCount& c : verdict.generic_counts) CHECK(c.regions == 255);
  REQUIRE(verdict.structural.dependency);
  CHECK(verdict.structural.dependency->neurons == range(8));

  const nlohmann::json json = to_json(verdict);
  CHECK(json["eq4"] == 256);
  CHECK(json["exact"] == 255);
  CHECK(json["theorem1"] == 256);
  CHECK(json["lemma2"] == 256);
  CHECK(json["verdict"] == "fails-structural");
  CHECK(json["prop2"]["condition_i"] == false);
  CHECK(json["prop2"]["condition_ii"] == true);
  CHECK(json["prop2"]["violation"]["condition"] == "i");
  CHECK(json["prop2"]["violation"]["neurons"].size() == 8);
  CHECK(json["prop2"]["violation"]["positions"][7] == nlohmann::json::array({1, 1, 1}));
  CHECK(json["prop2"]["violation"]["counts"] == nlohmann::json::array({2, 2, 2, 2}));
  CHECK(json["prop2"]["subsets_examined"].get<std::uint64_t>() == report.subsets_examined());
  CHECK(json["generic_counts"].size() == 3);
  CHECK(json["generic_counts"][0]["regions"] == 255);
  CHECK(json["dependency"]["degree"] == 1);
  CHECK(json["dependency"]["verified"] == true);
  CHECK(json["dependency"]["coefficients"][4] == "w0[0][0][0]");
  CHECK(json["conclusion"] == verdict.conclusion);
}

TEST_CASE("a tampered dependency fails verification", "[prop2]") {
  const Shape input{1, 3, 3};
  const ConvSpec conv{2, 2, 2, 1, 1};
  const std::optional<PolynomialDependency> dependency = structural_dependency(input, conv, range(8));
  REQUIRE(dependency);
  REQUIRE(verify_dependency(input, conv, *dependency));

  PolynomialDependency changed = *dependency;
  changed.coefficients[2] += Polynomial::variable(5);  // −w1[0][1][0] + w1[0][0][1]
  CHECK_FALSE(verify_dependency(input, conv, changed));
  changed = *dependency;
  changed.coefficients[0] *= Rational(2);
  CHECK_FALSE(verify_dependency(input, conv, changed));
  changed = *dependency;
  changed.neurons[7] = 8;  // out of range (the layer has 8 neurons)
  CHECK_FALSE(verify_dependency(input, conv, changed));
  changed = *dependency;
  changed.neurons[7] = 6;  // repeated
  CHECK_FALSE(verify_dependency(input, conv, changed));
  changed = *dependency;
  for (Polynomial& c : changed.coefficients) c = Polynomial();
  CHECK_FALSE(verify_dependency(input, conv, changed));  // the zero combination proves nothing
  changed = *dependency;
  changed.coefficients.pop_back();
  CHECK_FALSE(verify_dependency(input, conv, changed));
  // Multiplying every coefficient by a common polynomial keeps a valid (higher-degree) certificate.
  changed = *dependency;
  for (Polynomial& c : changed.coefficients) c *= Polynomial::variable(0) + Polynomial(Rational(3));
  CHECK(verify_dependency(input, conv, changed));
}

TEST_CASE("judge_eq4 rejects counts that contradict Prop. 2 and networks it does not judge", "[prop2]") {
  const Network net = read_network_file(example_network);
  CHECK_THROWS_AS(judge_eq4(net, 257), InternalError);  // above the bound
  CHECK_THROWS_WITH(judge_eq4(net, 256), Contains("violate condition (i)"));  // a violation forces r < eq. (4)
  CHECK_THROWS_AS(judge_eq4(net, 256), InternalError);
  Network two_layers = net;
  two_layers.layers.push_back(Linear{1, 8, RationalVector(8, 1), RationalVector{0}});
  CHECK_THROWS_AS(judge_eq4(two_layers, 255), InputError);
  const Network linear{Shape{3, 1, 1}, {Linear{2, 3, RationalVector(6, 1), RationalVector(2, 0)}}, std::nullopt};
  CHECK_THROWS_AS(judge_eq4(linear, 4), InputError);
  CHECK_THROWS_AS(check_prop2(linear), InputError);
  CHECK_THROWS_AS(structural_dependency({1, 3, 3}, {2, 2, 2, 1, 1}, {0, 0}), InputError);
  CHECK_THROWS_AS(structural_dependency({1, 3, 3}, {2, 2, 2, 1, 1}, {9}), InputError);
}

TEST_CASE("1-D, three 1x3 filters on 7 inputs, random weights: eq. (4) = 13812 holds", "[prop2]") {
  const Network net =
      random_network({1, 1, 7}, {{true, 3, 1, 3, 1, 1}}, 5, parse_weight_distribution("int:-1000000:1000000"));
  const Integer exact = zaslavsky_count(net);
  CHECK(exact == 13812);
  const Prop2Report report = check_prop2(net);
  CHECK(report.condition_i == true);
  CHECK(report.condition_ii == true);
  CHECK_FALSE(report.violation_i);
  CHECK_FALSE(report.violation_ii);
  const Eq4Verdict verdict = judge_eq4(net, exact);
  CHECK(verdict.eq4 == 13812);
  CHECK(verdict.theorem1 == 16384);  // Σ_{j≤7} C(15, j)
  CHECK(verdict.verdict == Eq4Outcome::holds);
  CHECK(verdict.conclusion == "eq. (4) holds: exact 13812 = eq. (4)");
  CHECK(verdict.structural.condition_i_at_random == true);
  CHECK_FALSE(verdict.structural.dependency);
  for (const GenericCount& c : verdict.generic_counts) CHECK(c.regions == 13812);
  const nlohmann::json json = to_json(verdict);
  CHECK(json["prop2"]["violation"].is_null());
  CHECK(json["dependency"].is_null());
  CHECK(json["verdict"] == "holds");
}

TEST_CASE("1-D with a zero at a filter edge: fails for these weights only", "[prop2]") {
  // Filter 0 = (2, −3, 0): its neuron at position 1 has normal (0, 2, −3, 0, …) inside S_0, so it and the three
  // neurons at position 0 are four dependent normals in R^{S_0} although t = (3, 1, 0, 0, 0) ∈ K_N.
  const Network net = conv1d({2, -3, 0, 1, 4, -2, -3, 1, 5}, {1, -2, 3}, 7);
  const Integer exact = zaslavsky_count(net);
  CHECK(exact == 12227);
  const Eq4Verdict verdict = judge_eq4(net, exact);
  CHECK(verdict.verdict == Eq4Outcome::fails_nongeneric);
  CHECK(verdict.prop2.condition_i == false);
  REQUIRE(verdict.prop2.violation_i);
  CHECK(verdict.prop2.violation_i->neurons == std::vector<std::size_t>{0, 1, 5, 10});
  CHECK(verdict.prop2.violation_i->counts == std::vector<std::size_t>{3, 1, 0, 0, 0});
  CHECK(verdict.prop2.violation_i->rank == 3);
  CHECK(verdict.prop2.violation_i->smallest_proven);
  CHECK_FALSE(verdict.structural.dependency);
  CHECK_THAT(verdict.conclusion,
             Contains("eq. (4) fails for these weights (not generic): exact 12227 < 13812; neurons {0, 1, 5, 10} "
                      "(t = (3, 1, 0, 0, 0) ∈ K_N) are dependent at these weights but independent at random weights, "
                      "whose count is 13812"));
  const Network random = random_conv_layer({1, 1, 7}, {3, 1, 3, 1, 1}, 1, 1000000);
  CHECK_FALSE(violates_at(random, *verdict.prop2.violation_i));
}

TEST_CASE("1-D with zero biases: (i) holds, (ii) fails, not generic", "[prop2]") {
  // Generic normals, all hyperplanes through the origin: every set is consistent, so the smallest set with t ∉ K_N
  // violates (ii): five neurons on two adjacent positions (5 > |S_p ∪ S_p+1| = 4).
  const Network net = conv1d({7, -3, 11, 2, 9, -5, -8, 4, 6}, {0, 0, 0}, 7);
  const Integer exact = zaslavsky_count(net);
  CHECK(exact < 13812);
  const Eq4Verdict verdict = judge_eq4(net, exact);
  CHECK(verdict.prop2.condition_i == true);
  CHECK(verdict.prop2.condition_ii == false);
  REQUIRE(verdict.prop2.violation_ii);
  CHECK(verdict.prop2.violation_ii->condition == Prop2Condition::ii);
  CHECK(verdict.prop2.violation_ii->neurons.size() == 5);
  CHECK(verdict.prop2.violation_ii->smallest_proven);
  CHECK(verdict.verdict == Eq4Outcome::fails_nongeneric);
  CHECK_THAT(verdict.conclusion, Contains("∉ K_N) meet at these weights but not at random weights"));
  CHECK(to_json(verdict)["prop2"]["violation"]["condition"] == "ii");
}

TEST_CASE("two input channels: eq. (4) holds at random weights", "[prop2]") {
  const auto filters = GENERATE(std::size_t{2}, std::size_t{3});
  const Shape input{2, 3, 3};
  const ConvSpec conv{filters, 2, 2, 1, 1};
  const Network net = random_conv_layer(input, conv, 11, 1000000);
  const Integer exact = zaslavsky_count(net);
  CHECK(exact == eq4(input, conv));
  CHECK(exact == (filters == 2 ? 256 : 4096));
  const Eq4Verdict verdict = judge_eq4(net, exact);
  CHECK(verdict.verdict == Eq4Outcome::holds);
  CHECK(verdict.prop2.condition_i == true);
  CHECK(verdict.prop2.condition_ii == true);
  CHECK_FALSE(verdict.structural.dependency);
}

TEST_CASE("two input channels, three 2x2 filters on 4x4: a degree-2 dependency with t in K_N", "[prop2]") {
  // The syzygy of three filters over two channels (c_f = ± the 2×2 minors of the other two filters): 27 neurons,
  // t = 3 at each of the 9 positions, Σ t = 27 ≤ 32 inputs; eq. (4) over-counts here for every weight choice too.
  const Shape input{2, 4, 4};
  const ConvSpec conv{3, 2, 2, 1, 1};
  const std::optional<PolynomialDependency> dependency = structural_dependency(input, conv, range(27));
  REQUIRE(dependency);
  CHECK(dependency->degree == 2);
  CHECK(dependency->counts_in_KN);
  CHECK(dependency->counts == std::vector<std::size_t>(9, 3));
  CHECK(verify_dependency(input, conv, *dependency));
  for (const Polynomial& c : dependency->coefficients) CHECK(c.is_homogeneous(2));
  DependencyOptions low;
  low.max_degree = 1;
  CHECK_FALSE(structural_dependency(input, conv, range(27), low));
  Prop2Violation set;
  set.condition = Prop2Condition::i;
  set.neurons = range(27);
  CHECK(violates_at(random_conv_layer(input, conv, 4, 1000000), set));
}

TEST_CASE("find_structural_dependency: 2-D one channel yes, 1-D no", "[prop2]") {
  const StructuralSearch two_d = find_structural_dependency({1, 4, 4}, {2, 2, 2, 1, 1});
  REQUIRE(two_d.random_violation);
  REQUIRE(two_d.dependency);
  CHECK(two_d.dependency->neurons.size() == 8);
  CHECK(two_d.dependency->degree == 1);
  CHECK(two_d.dependency->counts_in_KN);
  CHECK(two_d.random_violation->smallest_proven);
  CHECK(two_d.condition_i_at_random == false);

  const StructuralSearch one_d = find_structural_dependency({1, 1, 7}, {3, 1, 3, 1, 1});
  CHECK(one_d.condition_i_at_random == true);
  CHECK_FALSE(one_d.random_violation);
  CHECK_FALSE(one_d.dependency);
  CHECK(one_d.subsets_examined > 0);
}

TEST_CASE("check_prop2 agrees with brute force, and r = eq. (4) iff (i) and (ii)", "[prop2]") {
  struct Architecture {
    Shape input;
    LayerSpec layer;
  };
  const std::vector<Architecture> architectures{
      {{1, 1, 5}, {true, 2, 1, 3, 1, 1}}, {{1, 3, 3}, {true, 2, 2, 2, 1, 1}}, {{1, 1, 6}, {true, 2, 1, 2, 1, 1}},
      {{1, 1, 7}, {true, 3, 1, 3, 1, 2}}, {{2, 2, 3}, {true, 3, 2, 2, 1, 1}}, {{1, 2, 4}, {true, 3, 2, 2, 1, 2}},
      {{1, 1, 5}, {true, 3, 1, 3, 1, 1}}, {{1, 3, 3}, {true, 3, 2, 2, 1, 1}}};
  // Small weights (−1..1, −2..2) make zero edges, parallel normals and concurrent hyperplanes common. The sanitizer
  // tree takes seeds 1 and 2 (one of each weight range) of every architecture.
  const auto seeds = static_cast<std::uint64_t>(test::trials(10, 2));
  for (const Architecture& a : architectures)
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      const Network net =
          random_network(a.input, {a.layer}, seed, parse_weight_distribution(seed % 2 == 1 ? "int:-1:1" : "int:-2:2"));
      const auto [input, conv] = first_conv_architecture(net);
      INFO("input " << a.input.channels << "x" << a.input.height << "x" << a.input.width << ", seed " << seed);
      const BruteForce truth = brute_force(net);
      const Prop2Report report = check_prop2(net);
      REQUIRE(report.condition_i.has_value());
      REQUIRE(report.condition_ii.has_value());
      CHECK(*report.condition_i == !truth.smallest_i);
      CHECK(*report.condition_ii == !truth.smallest_ii);
      if (report.violation_i) {
        CHECK(report.violation_i->neurons.size() == truth.smallest_i);
        CHECK(report.violation_i->smallest_proven);
        CHECK(violates_at(net, *report.violation_i));
        CHECK(in_KN(input, conv, report.violation_i->counts));
      }
      if (report.violation_ii) {
        CHECK(report.violation_ii->neurons.size() == truth.smallest_ii);
        CHECK(violates_at(net, *report.violation_ii));
        CHECK_FALSE(in_KN(input, conv, report.violation_ii->counts));
      }
      // The NBC argument: r = eq. (4) exactly when both conditions hold.
      const Integer exact = zaslavsky_count(net);
      CHECK((exact == eq4(input, conv)) == (*report.condition_i && *report.condition_ii));
      CHECK(exact <= eq4(input, conv));
    }
}

TEST_CASE("a search budget leaves a condition undecided, never guessed", "[prop2]") {
  const Network net = conv1d({7, -3, 11, 2, 9, -5, -8, 4, 6}, {0, 0, 0}, 7);
  Prop2Options tight;
  tight.max_subsets = 4;
  const Prop2Report report = check_prop2(net, tight);
  CHECK_FALSE(report.condition_i.has_value());
  CHECK_FALSE(report.condition_ii.has_value());
  CHECK(report.subsets_examined_i == 4);
  CHECK(report.subsets_examined_ii == 4);
  VerdictOptions options;
  options.prop2 = tight;
  const Eq4Verdict verdict = judge_eq4(net, zaslavsky_count(net), options);
  CHECK(verdict.verdict == Eq4Outcome::undecided);
  CHECK_THAT(verdict.conclusion, Contains("stopped after 8 subsets (budget 4 per condition)"));
  const nlohmann::json json = to_json(verdict);
  CHECK(json["prop2"]["condition_i"].is_null());
  CHECK(json["prop2"]["condition_ii"].is_null());

  // Dependent at random weights too, but no certificate within the degree cap: undecided, not "not generic".
  const Network example = read_network_file(example_network);
  VerdictOptions degree0;
  degree0.structural.dependency.max_degree = 0;
  const Eq4Verdict capped = judge_eq4(example, 255, degree0);
  CHECK(capped.verdict == Eq4Outcome::undecided);
  CHECK_FALSE(capped.structural.dependency);
  REQUIRE(capped.structural.random_violation);
  CHECK_THAT(capped.conclusion, Contains("are dependent at random weights (seed 1) too, but no polynomial dependency "
                                         "of degree ≤ 0 was found"));

  // A violation found before the budget runs out decides the condition, without a claim of minimality.
  Prop2Options some;
  some.max_subsets = 9;  // the first path 0, 1, …, 7 reaches the 8 dependent neurons after 8 tests
  const Prop2Report partial = check_prop2(example, some);
  CHECK(partial.condition_i == false);
  REQUIRE(partial.violation_i);
  CHECK_FALSE(partial.violation_i->smallest_proven);
}

// Proposition 2 of Xiong et al.'s supplement for one conv layer, decided exactly on an instance, and polynomial
// certificates that a set of neurons is linearly dependent for every choice of weights.
//
// Setting. The first layer is a conv2d with d1 filters and no padding. Its neurons are (filter f, output position p),
// numbered as the layer's output in CHW order: neuron = f·P + p, P = out_h·out_w, p = i·out_w + j. Neuron (f, p) has
// the hyperplane b_f + a·x = 0 whose normal a is filter f placed on the receptive field S_p (so a ∈ V_p = R^{S_p}).
// For a neuron set B, t(B) counts its neurons per position. K_N = {t : Σ_{p∈J} t_p ≤ |∪_{p∈J} S_p| for all J};
// eq. (4) = Σ_{t∈K_N} Π_p C(d1, t_p) = #{B : t(B) ∈ K_N}. Prop. 2: r ≤ eq. (4), with equality when
//   (i)  every B with t(B) ∈ K_N has linearly independent normals, and
//   (ii) every B with t(B) ∉ K_N has hyperplanes with an empty intersection.
//
// Why a violation of (i) costs a region (and why (i), (ii) are also necessary). By Whitney's theorem and the
// broken-circuit theorem, r equals the number of central NBC subsets of the arrangement, and each of them is
// linearly independent. An independent set of neurons has t(B) ∈ K_N (its normals at the positions J lie in
// Σ_{p∈J} V_p, of dimension |∪_{p∈J} S_p|). So r ≤ #{independent B} ≤ eq. (4), and a dependent B with t(B) ∈ K_N
// makes it r ≤ eq. (4) − 1. Likewise a central dependent set contains a central circuit, whose broken circuit is
// independent but not NBC, so (ii) failing (given (i)) also gives r ≤ eq. (4) − 1: r = eq. (4) iff (i) and (ii).
//
// Structural dependency. If a set T with t(T) ∈ K_N is dependent for EVERY choice of weights, eq. (4) over-counts
// for every weight choice. This is proven by an identity Σ_{j∈T} c_j(w) a_j(w) = 0 whose coefficients c_j are
// polynomials in the filter weights w, not all zero, checked by expanding the sum (every coordinate is the zero
// polynomial). Then rank < |T| on the Zariski-dense set where some c_j(w) ≠ 0, and rank deficiency (all maximal
// minors vanish) is a closed condition, so it holds for all w. Example: input 1×3×3, two 2×2 filters p, q: the 8
// neurons satisfy Σ_m q_m·(shift_m of p) − Σ_m p_m·(shift_m of q) = 0 (q·p − p·q = 0), t = (2,2,2,2) ∈ K_N, so
// every weight choice gives at most 255 < 256 = eq. (4) regions.
#pragma once

#include "cnn/formulas.hpp"
#include "cnn/network.hpp"
#include "cnn/polynomial.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! a neuron of a conv layer: its filter and its output position (row i, column j), 0-based. */
struct NeuronPosition {
  std::size_t filter = 0, i = 0, j = 0;
  bool operator==(const NeuronPosition&) const = default;
};

/*! which condition of Prop. 2: (i) neurons with t ∈ K_N are independent, (ii) neurons with t ∉ K_N have no
 * common point. */
enum class Prop2Condition { i, ii };

/*! returns "i" or "ii" (the JSON and text name). */
inline const char* to_string(Prop2Condition condition) { return condition == Prop2Condition::i ? "i" : "ii"; }

/*! a subset of neurons that violates condition (i) or (ii) of Prop. 2 at given weights. */
struct Prop2Violation {
  Prop2Condition condition = Prop2Condition::i;  // i: dependent, t ∈ K_N; ii: common point, t ∉ K_N
  std::vector<std::size_t> neurons;       // ascending, network numbering f·P + p
  std::vector<NeuronPosition> positions;  // (filter, i, j) of each neuron, same order
  std::vector<std::size_t> counts;        // t: neurons per output position, row-major
  std::size_t rank = 0;                   // rank of the normals
  bool smallest_proven = false;           // the search finished: no smaller violation of this condition exists
  std::string reason;                     // one sentence
};

/*! limits of the subset searches. */
struct Prop2Options {
  /*! subsets tested per condition (each test is one incremental elimination step). */
  std::uint64_t max_subsets = 2000000;
  bool check_i = true;
  bool check_ii = true;
};

/*! the decision of (i) and (ii) at one network's weights. A condition is empty (undecided) when its search ran
 * out of budget before finding a violation; a violation found is always a real one, smallest when
 * `smallest_proven`. */
struct Prop2Report {
  std::optional<bool> condition_i, condition_ii;
  std::optional<Prop2Violation> violation_i, violation_ii;
  std::uint64_t subsets_examined_i = 0, subsets_examined_ii = 0;
  std::size_t neurons = 0, positions = 0;

  std::uint64_t subsets_examined() const { return subsets_examined_i + subsets_examined_ii; }
};

/*! returns the layer of `network`'s first layer as an architecture (input shape and conv spec).
 * \throws InputError if the network has no layer or its first layer is not conv2d. */
std::pair<Shape, ConvSpec> first_conv_architecture(const Network& network);

/*! decides conditions (i) and (ii) of Prop. 2 for the first layer of `network` (a conv2d; later layers are
 * ignored) exactly, and finds a smallest violating subset of each by a branch-and-bound depth-first search over
 * independent (for (i)) or consistent (for (ii)) subsets with incremental fraction-free elimination.
 * \throws InputError if the first layer is not conv2d. */
Prop2Report check_prop2(const Network& network, const Prop2Options& options = {});

/*! returns whether `violation`'s neurons violate the same condition at `network`'s weights (for "i": their normals
 * are dependent; for "ii": their hyperplanes have a common point). The t ∈ K_N part depends on the architecture
 * only and is not re-decided. \throws InputError if the neuron indices do not fit the first layer. */
bool violates_at(const Network& network, const Prop2Violation& violation);

/*! a polynomial linear dependency Σ_j c_j(w) a_j(w) = 0 among the symbolic normals of a neuron set. */
struct PolynomialDependency {
  std::vector<std::size_t> neurons;           // ascending, network numbering
  std::vector<NeuronPosition> positions;      // (filter, i, j) of each neuron
  std::vector<std::size_t> counts;            // t of the neuron set
  bool counts_in_KN = false;                  // t ∈ K_N: then eq. (4) over-counts for every weight choice
  std::vector<std::string> variables;         // names of x_0, x_1, …: w{f}[c][a][b], every weight in storage order
  std::vector<Polynomial> coefficients;       // c_j, one per neuron
  std::vector<std::string> coefficient_texts;  // to_string(c_j, variables)
  unsigned degree = 0;                        // every c_j is homogeneous of this degree
  bool verified = false;                      // Σ c_j a_j expanded to the zero vector and some c_j ≠ 0
};

/*! limits of the search for polynomial coefficients. */
struct DependencyOptions {
  unsigned max_degree = 3;               // degrees 0..max_degree are tried, lowest first
  std::size_t max_unknowns = 60000;      // skip (stop at) a degree whose linear system has more unknowns
};

/*! returns the names w{f}[c][a][b] of the layer's weights in storage order ((f·C + c)·kh + a)·kw + b. */
std::vector<std::string> weight_variable_names(const Shape& input, const ConvSpec& conv);

/*! tries to prove that the normals of `neurons` are linearly dependent for every choice of weights: for
 * D = 0, 1, …, max_degree solves, exactly over Q, the linear system for coefficients c_j homogeneous of degree D
 * in the filter weights with Σ_j c_j a_j = 0 identically, takes a nonzero solution and verifies it by expansion.
 * Returns only a verified dependency; nothing when none of degree ≤ max_degree exists or the system is too large.
 * \throws InputError if a neuron index is out of range or repeated. */
std::optional<PolynomialDependency> structural_dependency(const Shape& input, const ConvSpec& conv,
                                                          const std::vector<std::size_t>& neurons,
                                                          const DependencyOptions& options = {});

/*! returns whether `dependency` is a valid certificate for the architecture: the neurons are distinct and in
 * range, there is one coefficient per neuron, not all zero, over the listed variables, and Σ_j c_j a_j expands to
 * the zero polynomial in every coordinate, the normals a_j being rebuilt here from the architecture. Does not
 * read `verified`. */
bool verify_dependency(const Shape& input, const ConvSpec& conv, const PolynomialDependency& dependency);

/*! options of the search for a dependency that holds for every weight choice. */
struct StructuralOptions {
  std::uint64_t seed = 1;          // of random_network
  long weight_bound = 1000000;     // weights and biases uniform integers in [−bound, bound]
  Prop2Options search;             // budget of the subset search (only condition (i) is searched)
  DependencyOptions dependency;
};

/*! the outcome of find_structural_dependency. */
struct StructuralSearch {
  std::uint64_t seed = 0;
  long weight_bound = 0;
  std::optional<bool> condition_i_at_random;         // (i) at the random weights; empty: budget exceeded
  std::optional<Prop2Violation> random_violation;     // a smallest dependent set with t ∈ K_N at random weights
  std::optional<PolynomialDependency> dependency;     // verified, for random_violation's neurons
  std::uint64_t subsets_examined = 0;
};

/*! returns the one-conv-layer network of the architecture with weights and biases uniform integers in
 * [−weight_bound, weight_bound] drawn by random_network from `seed`. */
Network random_conv_layer(const Shape& input, const ConvSpec& conv, std::uint64_t seed, long weight_bound);

/*! searches the architecture for a neuron set with t ∈ K_N that is dependent for every weight choice: finds a
 * smallest dependent set with t ∈ K_N at random integer weights (random_network, "int:−bound:bound", options.seed),
 * then tries structural_dependency on it. `dependency` is set only when verified; then max over weights of the
 * region count is at most eq. (4) − 1. */
StructuralSearch find_structural_dependency(const Shape& input, const ConvSpec& conv,
                                            const StructuralOptions& options = {});

}  // namespace chamber

// Is eq. (4) (Theorem 2 of Xiong et al.) right for a one-conv-layer network? The exact region count is the truth;
// this file says whether eq. (4) matches it and, when it does not, why: for every weight choice (a polynomial
// dependency among neurons with t ∈ K_N, verified by expansion), or only for these weights (not generic).
//
// The argument (see cnn/prop2.hpp): by Whitney's theorem and the broken-circuit (NBC) theorem the number of regions
// equals the number of central NBC subsets, each linearly independent; an independent set of neurons has t ∈ K_N,
// so r ≤ #{independent sets} ≤ eq. (4), and one dependent set with t ∈ K_N makes it r ≤ eq. (4) − 1. Likewise a
// central dependent set costs a region. Hence r = eq. (4) exactly when Prop. 2's conditions (i) and (ii) hold, which
// judge_eq4 cross-checks against the exact count it is given.
#pragma once

#include "cnn/network.hpp"
#include "cnn/prop2.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chamber {

/*! limits and random draws of judge_eq4. */
struct VerdictOptions {
  Prop2Options prop2;                             // the search at the given weights
  StructuralOptions structural;                   // the search for a dependency that holds for every weight choice
  std::vector<std::uint64_t> generic_seeds{1, 2, 3};  // random integer weights for the generic counts
  long generic_weight_bound = 1000000;            // weights and biases uniform in [−bound, bound]
  // A generic count is skipped when its χ needs more flats (lattice) and more states (sweep) than these.
  std::uint64_t generic_max_flats = 300000;
  std::uint64_t generic_max_states = 300000;
};

/*! the exact count (Zaslavsky) of the architecture at random integer weights drawn from `seed`. */
struct GenericCount {
  std::uint64_t seed = 0;
  Integer regions;
};

/*! what the verdict says about eq. (4) (see Eq4Verdict::verdict). */
enum class Eq4Outcome { holds, fails_structural, fails_nongeneric, undecided };

/*! returns the outcome's name in JSON and text: "holds", "fails-structural", "fails-nongeneric", "undecided". */
std::string to_string(Eq4Outcome outcome);

/*! the verdict on eq. (4) for one network. */
struct Eq4Verdict {
  Integer exact;     // the count judged (given)
  Integer eq4;       // Theorem 2, eq. (4)
  Integer theorem1;  // Σ_{j≤n} C(N, j), N neurons in R^n (general position)
  Integer lemma2;    // 2^N
  Prop2Report prop2;                         // (i) and (ii) at the given weights
  StructuralSearch structural;               // at random weights, with a verified dependency if one was found
  std::vector<GenericCount> generic_counts;  // one per VerdictOptions::generic_seeds within the budgets
  /*! "holds" (exact = eq. (4)); "fails-structural" (exact < eq. (4) and some neurons with t ∈ K_N are dependent
   * for every weight choice, so the maximum over weights is ≤ eq. (4) − 1); "fails-nongeneric" (exact < eq. (4),
   * no structural dependency, and a violation of (i) or (ii) at these weights that random weights do not share);
   * "undecided" (exact < eq. (4) and neither could be established, e.g. a search budget ran out). */
  Eq4Outcome verdict = Eq4Outcome::undecided;
  std::string conclusion;  // one line, with the numbers and the neurons
};

/*! judges eq. (4) for `network` (exactly one conv2d layer) given its exact region count `exact_regions`.
 * \throws InputError if the network is not a single conv2d layer.
 * \throws InternalError if the numbers contradict Prop. 2 (exact > eq. (4); exact = eq. (4) with a violation of
 * (i) or (ii) or a structural dependency; exact < eq. (4) with (i) and (ii) both holding; a generic count above
 * the bound). */
Eq4Verdict judge_eq4(const Network& network, const Integer& exact_regions, const VerdictOptions& options = {});

/*! returns the verdict as JSON. Big integers (exact, eq4, theorem1, lemma2, generic regions) are JSON integers when
 * they fit in 64 bits, else decimal strings (as the command line's --json output). */
nlohmann::json to_json(const Eq4Verdict& verdict);

/*! returns a violation as JSON: {condition, neurons, positions [[filter, i, j], …], counts, rank,
 * smallest_proven, reason}. */
nlohmann::json to_json(const Prop2Violation& violation);

/*! returns a dependency as JSON: {neurons, positions, counts, counts_in_KN, variables, coefficients (strings),
 * degree, verified}. */
nlohmann::json to_json(const PolynomialDependency& dependency);

}  // namespace chamber

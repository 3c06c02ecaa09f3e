// The verdict on eq. (4) for a one-conv-layer network.
#include "cnn/verdict.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/report_json.hpp"
#include "arrangement/sweep.hpp"
#include "cnn/formulas.hpp"

#include <algorithm>
#include <variant>

namespace chamber {

namespace {

nlohmann::json json_optional(const std::optional<bool>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string braces(const std::vector<std::size_t>& values) {
  std::string text;
  for (std::size_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
  return "{" + text + "}";
}

std::string tuple(const std::vector<std::size_t>& values) {
  std::string text;
  for (std::size_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
  return "(" + text + ")";
}

/*! returns "count is N" or "counts are a, b, c" for the generic counts (the random-weight exact counts). */
std::string generic_phrase(const std::vector<GenericCount>& counts) {
  if (counts.empty()) return "";
  bool all_equal = std::all_of(counts.begin(), counts.end(),
                               [&](const GenericCount& c) { return c.regions == counts.front().regions; });
  if (all_equal) return ", whose count is " + counts.front().regions.get_str();
  std::string text;
  for (const GenericCount& c : counts) text += (text.empty() ? "" : ", ") + c.regions.get_str();
  return ", whose counts are " + text;
}

std::string contradiction(const Eq4Verdict& v, const std::string& what) {
  return "Prop. 2 contradicted: exact count " + v.exact.get_str() + ", eq. (4) = " + v.eq4.get_str() + ", " + what;
}

}  // namespace

std::string to_string(Eq4Outcome outcome) {
  switch (outcome) {
    case Eq4Outcome::holds: return "holds";
    case Eq4Outcome::fails_structural: return "fails-structural";
    case Eq4Outcome::fails_nongeneric: return "fails-nongeneric";
    case Eq4Outcome::undecided: return "undecided";
  }
  throw InternalError("unknown eq. (4) outcome");
}

Eq4Verdict judge_eq4(const Network& network, const Integer& exact_regions, const VerdictOptions& options) {
  if (network.layers.size() != 1 || !std::holds_alternative<Conv2d>(network.layers.front()))
    throw InputError("judge_eq4: the network must be exactly one conv2d layer (it has " +
                     std::to_string(network.layers.size()) + " layers)");
  if (const std::string why = beyond_closed_forms(network); !why.empty())
    throw InputError("judge_eq4: eq. (4) does not apply: " + why);
  const auto [input, conv] = first_conv_architecture(network);
  Eq4Verdict v;
  v.exact = exact_regions;
  v.eq4 = eq4(input, conv);
  v.theorem1 = theorem1(network.input_dimension(), network.hidden_neurons());
  v.lemma2 = lemma2(network.hidden_neurons());
  if (v.exact > v.eq4) throw InternalError(contradiction(v, "the exact count exceeds the bound r ≤ eq. (4)"));

  v.prop2 = check_prop2(network, options.prop2);
  v.structural = find_structural_dependency(input, conv, options.structural);
  RunControl budget;
  budget.max_flats = options.generic_max_flats;
  budget.max_states = options.generic_max_states;
  for (std::uint64_t seed : options.generic_seeds) {
    const Network generic = random_conv_layer(input, conv, seed, options.generic_weight_bound);
    const LayerArrangement layer = first_layer_arrangement(generic);
    GenericCount count{seed, 0};
    try {
      count.regions = characteristic_polynomial_within(layer.arrangement, budget).regions();
    } catch (const LimitReached&) {
      continue;  // evidence only: a count beyond both budgets is left out
    }
    if (count.regions > v.eq4)
      throw InternalError(contradiction(v, "random weights (seed " + std::to_string(seed) + ") give " +
                                               count.regions.get_str() + " regions"));
    if (v.structural.dependency && count.regions == v.eq4)
      throw InternalError(contradiction(v, "random weights (seed " + std::to_string(seed) +
                                               ") reach eq. (4) despite a verified structural dependency"));
    v.generic_counts.push_back(std::move(count));
  }

  // r = eq. (4) iff (i) and (ii) hold (NBC argument in prop2.hpp): check that the exact count agrees.
  const std::optional<Prop2Violation>& found = v.prop2.violation_i ? v.prop2.violation_i : v.prop2.violation_ii;
  if (v.exact == v.eq4) {
    if (found)
      throw InternalError(contradiction(v, "but neurons " + braces(found->neurons) + " violate condition (" +
                                               to_string(found->condition) + "): " + found->reason));
    if (v.structural.dependency)
      throw InternalError(contradiction(v, "but neurons " + braces(v.structural.dependency->neurons) +
                                               " are dependent for every weight choice"));
    v.verdict = Eq4Outcome::holds;
    v.conclusion = "eq. (4) holds: exact " + v.exact.get_str() + " = eq. (4)";
    return v;
  }
  if (v.prop2.condition_i == true && v.prop2.condition_ii == true)
    throw InternalError(contradiction(v, "although conditions (i) and (ii) both hold at these weights"));
  if (v.structural.dependency && v.prop2.condition_i == true)
    throw InternalError(contradiction(v, "condition (i) holds at these weights, but neurons " +
                                             braces(v.structural.dependency->neurons) +
                                             " are dependent for every weight choice"));

  const std::string numbers = "exact " + v.exact.get_str() + " < " + v.eq4.get_str();
  if (const auto& dependency = v.structural.dependency) {
    std::string c;
    for (const std::string& text : dependency->coefficient_texts) c += (c.empty() ? "" : ", ") + text;
    v.verdict = Eq4Outcome::fails_structural;
    v.conclusion = "eq. (4) fails for every weight choice: " + numbers + ", dependent neurons " +
                   braces(dependency->neurons) + " (t = " + tuple(dependency->counts) +
                   " ∈ K_N), dependency Σ c_j·a_j = 0 with c = (" + c +
                   ") verified by expansion; by the NBC theorem the regions match independent sets of neurons, all "
                   "counted by eq. (4), which also counts this dependent set, so no weights give more than "
                   "eq. (4) − 1 = " +
                   Integer(v.eq4 - 1).get_str() + " regions";
    return v;
  }
  v.verdict = Eq4Outcome::undecided;
  if (const auto& persistent = v.structural.random_violation) {
    v.conclusion = "eq. (4) undecided: " + numbers + "; neurons " + braces(persistent->neurons) + " (t = " +
                   tuple(persistent->counts) + " ∈ K_N) are dependent at random weights (seed " +
                   std::to_string(v.structural.seed) + ") too, but no polynomial dependency of degree ≤ " +
                   std::to_string(options.structural.dependency.max_degree) + " was found";
    return v;
  }
  if (!found) {
    v.conclusion = "eq. (4) undecided: " + numbers + ", but the search for a violation of Prop. 2's conditions "
                   "stopped after " + std::to_string(v.prop2.subsets_examined()) + " subsets (budget " +
                   std::to_string(options.prop2.max_subsets) + " per condition) without finding one";
    return v;
  }
  const Network random = random_conv_layer(input, conv, v.structural.seed, v.structural.weight_bound);
  const bool persists = violates_at(random, *found);
  if (persists) {
    v.conclusion = "eq. (4) undecided: " + numbers + "; neurons " + braces(found->neurons) +
                   " violate condition (" + to_string(found->condition) +
                   ") at these weights and at random weights (seed " + std::to_string(v.structural.seed) +
                   "), but no dependency for every weight choice was proven";
    return v;
  }
  v.verdict = Eq4Outcome::fails_nongeneric;
  const std::string random_note = v.structural.condition_i_at_random == true
                                      ? ""
                                      : " (the search of (i) at random weights ran out of budget)";
  if (found->condition == Prop2Condition::i)
    v.conclusion = "eq. (4) fails for these weights (not generic): " + numbers + "; neurons " +
                   braces(found->neurons) + " (t = " + tuple(found->counts) +
                   " ∈ K_N) are dependent at these weights but independent at random weights" +
                   generic_phrase(v.generic_counts) + random_note;
  else
    v.conclusion = "eq. (4) fails for these weights (not generic): " + numbers + "; the hyperplanes of neurons " +
                   braces(found->neurons) + " (t = " + tuple(found->counts) +
                   " ∉ K_N) meet at these weights but not at random weights" + generic_phrase(v.generic_counts) +
                   random_note;
  return v;
}

nlohmann::json to_json(const Prop2Violation& violation) {
  nlohmann::json positions = nlohmann::json::array();
  for (const NeuronPosition& p : violation.positions) positions.push_back({p.filter, p.i, p.j});
  return {{"condition", to_string(violation.condition)},   {"neurons", violation.neurons},
          {"positions", positions},             {"counts", violation.counts},
          {"rank", violation.rank},             {"smallest_proven", violation.smallest_proven},
          {"reason", violation.reason}};
}

nlohmann::json to_json(const PolynomialDependency& dependency) {
  nlohmann::json positions = nlohmann::json::array();
  for (const NeuronPosition& p : dependency.positions) positions.push_back({p.filter, p.i, p.j});
  return {{"neurons", dependency.neurons},
          {"positions", positions},
          {"counts", dependency.counts},
          {"counts_in_KN", dependency.counts_in_KN},
          {"variables", dependency.variables},
          {"coefficients", dependency.coefficient_texts},
          {"degree", dependency.degree},
          {"verified", dependency.verified}};
}

nlohmann::json to_json(const Eq4Verdict& verdict) {
  const Prop2Report& report = verdict.prop2;
  nlohmann::json violations = nlohmann::json::array();
  if (report.violation_i) violations.push_back(to_json(*report.violation_i));
  if (report.violation_ii) violations.push_back(to_json(*report.violation_ii));
  nlohmann::json prop2 = {
      {"condition_i", json_optional(report.condition_i)},
      {"condition_ii", json_optional(report.condition_ii)},
      {"violation", violations.empty() ? nlohmann::json(nullptr) : violations.front()},
      {"violations", violations},
      {"subsets_examined", report.subsets_examined()},
  };
  const StructuralSearch& s = verdict.structural;
  nlohmann::json structural = {
      {"seed", s.seed},
      {"weight_bound", s.weight_bound},
      {"condition_i_at_random", json_optional(s.condition_i_at_random)},
      {"random_violation", s.random_violation ? to_json(*s.random_violation) : nlohmann::json(nullptr)},
      {"subsets_examined", s.subsets_examined},
  };
  nlohmann::json generic = nlohmann::json::array();
  for (const GenericCount& c : verdict.generic_counts)
    generic.push_back({{"seed", c.seed}, {"regions", json_integer(c.regions)}});
  return {{"exact", json_integer(verdict.exact)},
          {"eq4", json_integer(verdict.eq4)},
          {"theorem1", json_integer(verdict.theorem1)},
          {"lemma2", json_integer(verdict.lemma2)},
          {"prop2", prop2},
          {"structural_search", structural},
          {"verdict", to_string(verdict.verdict)},
          {"conclusion", verdict.conclusion},
          {"generic_counts", generic},
          {"dependency", s.dependency ? to_json(*s.dependency) : nlohmann::json(nullptr)}};
}

}  // namespace chamber

#include "arrangement/lp.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/float_lp.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>

// CGAL needs its gmpxx glue before the QP headers (is_zero on mpz_class).
#include <CGAL/gmpxx.h>
#include <CGAL/Gmpz.h>
#include <CGAL/QP_functions.h>
#include <CGAL/QP_models.h>

namespace chamber {

namespace {

using Exact = CGAL::Gmpz;
using Program = CGAL::Quadratic_program<Exact>;

Exact to_exact(const Integer& v) { return Exact(v.get_mpz_t()); }
Integer from_exact(const Exact& v) { return Integer(v.mpz()); }

/*! Bland's rule: the default pricing cycles forever on some degenerate programs (CGAL issue 5672;
 * seen here on generic_d4_m20), Bland's provably terminates. */
CGAL::Quadratic_program_options solver_options() {
  CGAL::Quadratic_program_options options;
  options.set_pricing_strategy(CGAL::QP_BLAND);
  return options;
}

}  // namespace

bool FarkasCertificate::verifies(const Arrangement& arrangement) const {
  if (conditions.empty() || conditions.size() != multipliers.size()) return false;
  IntegerVector combination(arrangement.dimension() + 1, 0);
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    if (multipliers[k] <= 0) return false;
    const IntegerVector& row = arrangement[conditions[k].hyperplane].coefficients;
    Integer weight = conditions[k].sign > 0 ? multipliers[k] : Integer(-multipliers[k]);
    for (std::size_t c = 0; c < row.size(); ++c)
      mpz_addmul(combination[c].get_mpz_t(), weight.get_mpz_t(), row[c].get_mpz_t());
  }
  for (std::size_t c = 1; c < combination.size(); ++c)
    if (combination[c] != 0) return false;
  return combination[0] <= 0;
}

bool exact_lp_forced() {
  static const bool forced = [] {
    const char* value = std::getenv("CHAMBER_EXACT_LP");
    return value != nullptr && std::string(value) == "1";
  }();
  return forced;
}

StrictFeasibilitySolver::StrictFeasibilitySolver(const Arrangement& arrangement, bool exact_only)
    : arrangement_(arrangement), use_float_(!exact_only && !exact_lp_forced()) {}

std::size_t FarkasPool::add(FarkasCertificate certificate) {
  std::string key;
  for (std::size_t k = 0; k < certificate.conditions.size(); ++k) {
    key += std::to_string(certificate.conditions[k].hyperplane);
    key += certificate.conditions[k].sign > 0 ? '+' : '-';
    key += certificate.multipliers[k].get_str();
    key += ',';
  }
  auto [it, inserted] = index_.emplace(std::move(key), entries_.size());
  if (inserted) entries_.push_back(std::move(certificate));
  return it->second;
}

FeasibilityResult StrictFeasibilitySolver::solve(const std::vector<SignCondition>& conditions) {
  ++solves_;
  if (use_float_) {
    if (std::optional<FeasibilityResult> proposed = certified_float_solve(arrangement_, conditions)) {
      ++(proposed->feasible ? counters_.float_witness : counters_.float_farkas);
      return std::move(*proposed);
    }
  }
  ++counters_.exact;
  return solve_exact(conditions);
}

FeasibilityResult StrictFeasibilitySolver::solve_exact(const std::vector<SignCondition>& conditions) {
  const std::size_t n = arrangement_.dimension();
  const std::size_t rows = conditions.size();
  // Variables: 0 = s, 1..n = y. Rows: one per condition, then s ≥ 1.
  Program lp(CGAL::LARGER, false, 0, false, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const IntegerVector& h = arrangement_[conditions[r].hyperplane].coefficients;
    for (std::size_t c = 0; c <= n; ++c) {
      if (h[c] == 0) continue;
      lp.set_a(static_cast<int>(c), static_cast<int>(r), to_exact(conditions[r].sign > 0 ? h[c] : Integer(-h[c])));
    }
    lp.set_b(static_cast<int>(r), Exact(1));
  }
  lp.set_a(0, static_cast<int>(rows), Exact(1));
  lp.set_b(static_cast<int>(rows), Exact(1));
  lp.set_c(0, Exact(1));
  // Make sure every variable is known to the program even when its column is all zero.
  lp.set_c(static_cast<int>(n), Exact(0));

  CGAL::Quadratic_program_solution<Exact> solution = CGAL::solve_linear_program(lp, Exact(), solver_options());
  FeasibilityResult result;
  if (solution.is_optimal()) {
    result.feasible = true;
    result.witness.coordinates.reserve(n + 1);
    auto it = solution.variable_numerators_begin();
    for (std::size_t c = 0; c <= n; ++c, ++it) result.witness.coordinates.push_back(from_exact(*it));
    if (result.witness.coordinates[0] < 0)
      for (Integer& v : result.witness.coordinates) v = -v;
    result.witness.normalize();
    if (result.witness.coordinates[0] <= 0) throw InternalError("LP witness has a non-positive homogenising coordinate");
    for (const SignCondition& condition : conditions)
      if (arrangement_[condition.hyperplane].side(result.witness) != condition.sign)
        throw InternalError("exact LP returned a witness outside its region (hyperplane " +
                            std::to_string(condition.hyperplane) + ")");
    return result;
  }
  if (!solution.is_infeasible()) throw InternalError("exact LP neither optimal nor infeasible");
  // CGAL's certificate for ≥ rows is λ ≤ 0 with λᵀA = 0 and λᵀb > 0; our multipliers are −λ.
  auto lambda = solution.infeasibility_certificate_begin();
  std::vector<std::pair<SignCondition, Integer>> terms;
  for (std::size_t r = 0; r < rows; ++r, ++lambda) {
    Integer value = -from_exact(*lambda);
    if (value < 0) throw InternalError("exact LP returned a Farkas multiplier of the wrong sign");
    if (value > 0) terms.emplace_back(conditions[r], value);
  }
  std::sort(terms.begin(), terms.end(),
            [](const auto& a, const auto& b) { return a.first.hyperplane < b.first.hyperplane; });
  for (auto& [condition, value] : terms) {
    result.farkas.conditions.push_back(condition);
    result.farkas.multipliers.push_back(std::move(value));
  }
  make_primitive(result.farkas.multipliers);
  if (!result.farkas.verifies(arrangement_)) throw InternalError("exact LP returned a Farkas certificate that does not verify");
  return result;
}

bool StrictFeasibilitySolver::has_recession_direction(const std::vector<SignCondition>& conditions) {
  const std::size_t n = arrangement_.dimension();
  const std::size_t rows = conditions.size();
  // Variables d_1..d_n (index 0..n-1), free. Rows: σ_j a_j·d ≥ 0, and Σ_j σ_j a_j·d = 1.
  Program lp(CGAL::LARGER, false, 0, false, 0);
  IntegerVector total(n, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const IntegerVector& h = arrangement_[conditions[r].hyperplane].coefficients;
    for (std::size_t c = 1; c <= n; ++c) {
      if (h[c] == 0) continue;
      Integer v = conditions[r].sign > 0 ? h[c] : Integer(-h[c]);
      total[c - 1] += v;
      lp.set_a(static_cast<int>(c - 1), static_cast<int>(r), to_exact(v));
    }
    lp.set_b(static_cast<int>(r), Exact(0));
  }
  for (std::size_t c = 0; c < n; ++c)
    if (total[c] != 0) lp.set_a(static_cast<int>(c), static_cast<int>(rows), to_exact(total[c]));
  lp.set_b(static_cast<int>(rows), Exact(1));
  lp.set_r(static_cast<int>(rows), CGAL::EQUAL);
  lp.set_c(static_cast<int>(n - 1), Exact(0));
  CGAL::Quadratic_program_solution<Exact> solution = CGAL::solve_linear_program(lp, Exact(), solver_options());
  if (solution.is_optimal()) return true;
  if (solution.is_infeasible()) return false;
  throw InternalError("exact recession LP neither optimal nor infeasible");
}

}  // namespace chamber

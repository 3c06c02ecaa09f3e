// Small helpers shared by the floating-point proposers (float_lp.cpp, bounded.cpp): a GLPK problem
// with an owner, and rows of integers scaled by powers of two so that any size fits a double. The
// floating-point side only proposes; every answer is checked exactly on the integer rows.
#pragma once

#include "arrangement/number.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace chamber::glpk {

struct ProblemDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
/*! a GLPK problem, deleted on scope exit. */
using Problem = std::unique_ptr<glp_prob, ProblemDeleter>;

/*! frees the calling thread's GLPK environment when the thread ends: GLPK allocates one per thread on first use and
 * keeps it otherwise (LeakSanitizer's report for every worker thread). Problems never outlive the function that made
 * them, so none is left when it runs. */
struct EnvironmentGuard {
  EnvironmentGuard() = default;
  EnvironmentGuard(const EnvironmentGuard&) = delete;
  EnvironmentGuard& operator=(const EnvironmentGuard&) = delete;
  ~EnvironmentGuard() { glp_free_env(); }
};

/*! returns a fresh problem (local to the calling function and thread). */
inline Problem make_problem() {
  thread_local EnvironmentGuard guard;  // constructed before the thread's first problem, destroyed at its exit
  (void)guard;
  return Problem(glp_create_prob());
}

/*! returns e with |v| < 2^e for every entry of `row` (the row's binary size). */
inline long row_exponent(const IntegerVector& row) {
  std::size_t bits = 0;
  for (const Integer& v : row) bits = std::max(bits, mpz_sizeinbase(v.get_mpz_t(), 2));
  return static_cast<long>(bits);
}

/*! returns v · 2^-exponent as a double (no overflow for any size; tiny values flush towards zero). */
inline double scaled(const Integer& v, long exponent) {
  long e = 0;
  const double mantissa = mpz_get_d_2exp(&e, v.get_mpz_t());
  return std::ldexp(mantissa, static_cast<int>(std::max(e - exponent, -2000L)));
}

/*! the simplex parameters of every proposer: quiet, with an iteration limit (a proposal that does
 * not come in time is simply not made). */
inline glp_smcp quiet_simplex() {
  glp_smcp parameters;
  glp_init_smcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  parameters.it_lim = 10000;
  return parameters;
}

/*! loads the sparse triplets (1-based, with GLPK's unused entry 0) into `lp`. */
inline void load_matrix(glp_prob* lp, const std::vector<int>& ia, const std::vector<int>& ja,
                        const std::vector<double>& values) {
  glp_load_matrix(lp, static_cast<int>(values.size() - 1), ia.data(), ja.data(), values.data());
}

}  // namespace chamber::glpk

#include "arrangement/bounded.hpp"

#include "arrangement/glpk_problem.hpp"
#include "arrangement/lattice.hpp"

#include <atomic>
#include <exception>
#include <thread>
#include <vector>

namespace chamber {

std::size_t normal_rank(const Arrangement& arrangement) { return arrangement_shape(arrangement).rank; }

bool no_region_bounded(const Arrangement& arrangement) {
  const ArrangementShape shape = arrangement_shape(arrangement);
  return shape.central || shape.rank < arrangement.dimension();
}

namespace {

int sign_of(char c) { return c == '+' ? 1 : -1; }

/*! the kernel of the normals, as an n × m matrix with columns a_j. */
RationalKernel normal_kernel(const Arrangement& arrangement) {
  const std::size_t n = arrangement.dimension(), m = arrangement.size();
  std::vector<IntegerVector> matrix(n, IntegerVector(m));
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t i = 0; i < n; ++i) matrix[i][j] = arrangement[j].coefficients[i + 1];
  return RationalKernel(std::move(matrix), m);
}

/*! returns σ a_j·v for an integer vector v of length n. */
Integer signed_product(const Arrangement& arrangement, std::size_t j, int sign, const IntegerVector& v) {
  Integer total = 0;
  const IntegerVector& row = arrangement[j].coefficients;
  for (std::size_t i = 0; i < v.size(); ++i) mpz_addmul(total.get_mpz_t(), row[i + 1].get_mpz_t(), v[i].get_mpz_t());
  return sign > 0 ? total : Integer(-total);
}

}  // namespace

BoundednessTester::BoundednessTester(const Arrangement& arrangement, bool exact_only)
    : arrangement_(arrangement),
      exact_solver_(arrangement, true),
      exact_only_(exact_only || exact_lp_forced()),
      all_unbounded_(no_region_bounded(arrangement)) {
  if (all_unbounded_ || exact_only_) return;
  normal_kernel_.emplace(normal_kernel(arrangement));
  for (std::size_t j = 0; j < arrangement.size(); ++j) {
    const IntegerVector& row = arrangement[j].coefficients;
    exponents_.push_back(glpk::row_exponent(row));
    std::vector<double>& scaled = scaled_normals_.emplace_back();
    for (std::size_t i = 1; i < row.size(); ++i) scaled.push_back(glpk::scaled(row[i], exponents_.back()));
  }
}

bool BoundednessTester::is_bounded(const std::string& signs) {
  if (all_unbounded_) return false;
  if (!exact_only_)
    if (std::optional<bool> decided = certified_float(signs)) return *decided;
  ++counters_.exact;
  std::vector<SignCondition> conditions;
  conditions.reserve(signs.size());
  for (std::size_t j = 0; j < signs.size(); ++j) conditions.push_back({j, sign_of(signs[j])});
  return !exact_solver_.has_recession_direction(conditions);
}

std::optional<bool> BoundednessTester::certified_float(const std::string& signs) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool try_bounded = bounded_first_ == (attempt == 0);
    if (try_bounded && certify_bounded(signs)) {
      bounded_first_ = true;
      ++counters_.float_bounded;
      return true;
    }
    if (!try_bounded && certify_unbounded(signs)) {
      bounded_first_ = false;
      ++counters_.float_unbounded;
      return false;
    }
  }
  return std::nullopt;
}

bool BoundednessTester::certify_bounded(const std::string& signs) {
  const std::size_t n = arrangement_.dimension(), m = arrangement_.size();
  if (normal_kernel_->dimension() == 0) return false;
  // Find u ≥ 1 with Σ_j σ_j 2^-e_j a_j u_j = 0; then w_j = σ_j 2^-e_j u_j is a Stiemke vector.
  glpk::Problem lp = glpk::make_problem();
  glp_add_rows(lp.get(), static_cast<int>(n));
  glp_add_cols(lp.get(), static_cast<int>(m));
  for (std::size_t i = 1; i <= n; ++i) glp_set_row_bnds(lp.get(), static_cast<int>(i), GLP_FX, 0.0, 0.0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> values{0.0};
  for (std::size_t j = 0; j < m; ++j) {
    const int column = static_cast<int>(j + 1);
    glp_set_col_bnds(lp.get(), column, GLP_LO, 1.0, 0.0);
    for (std::size_t i = 1; i <= n; ++i) {
      const double v = scaled_normals_[j][i - 1];
      if (v == 0.0) continue;
      ia.push_back(static_cast<int>(i));
      ja.push_back(column);
      values.push_back(sign_of(signs[j]) > 0 ? v : -v);
    }
  }
  glpk::load_matrix(lp.get(), ia, ja, values);
  const glp_smcp parameters = glpk::quiet_simplex();
  if (glp_simplex(lp.get(), &parameters) != 0 || glp_get_status(lp.get()) != GLP_OPT) return false;

  // Fix w at the free columns of the kernel, complete exactly, check every sign and Σ w_j a_j = 0.
  RationalVector free_values;
  for (std::size_t f : normal_kernel_->free_columns()) {
    Rational w(glp_get_col_prim(lp.get(), static_cast<int>(f + 1)));
    mpq_div_2exp(w.get_mpq_t(), w.get_mpq_t(), static_cast<mp_bitcnt_t>(exponents_[f]));
    free_values.push_back(sign_of(signs[f]) > 0 ? w : Rational(-w));
  }
  const IntegerVector w = to_integers(normal_kernel_->vector_from(free_values));
  for (std::size_t j = 0; j < m; ++j)
    if (sgn(w[j]) != sign_of(signs[j])) return false;
  IntegerVector combination(n, 0);
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t i = 0; i < n; ++i)
      mpz_addmul(combination[i].get_mpz_t(), w[j].get_mpz_t(), arrangement_[j].coefficients[i + 1].get_mpz_t());
  for (const Integer& c : combination)
    if (c != 0) return false;
  return true;
}

bool BoundednessTester::certify_unbounded(const std::string& signs) {
  const std::size_t n = arrangement_.dimension(), m = arrangement_.size();
  // Find d with σ_j 2^-e_j a_j·d ≥ 0 for all j and the sum of these rows = 1.
  glpk::Problem lp = glpk::make_problem();
  glp_add_rows(lp.get(), static_cast<int>(m + 1));
  glp_add_cols(lp.get(), static_cast<int>(n));
  for (std::size_t i = 1; i <= n; ++i) glp_set_col_bnds(lp.get(), static_cast<int>(i), GLP_FR, 0.0, 0.0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> values{0.0};
  std::vector<double> total(n, 0.0);
  for (std::size_t j = 0; j < m; ++j) {
    const int row = static_cast<int>(j + 1);
    glp_set_row_bnds(lp.get(), row, GLP_LO, 0.0, 0.0);
    for (std::size_t i = 1; i <= n; ++i) {
      double v = scaled_normals_[j][i - 1];
      if (v == 0.0) continue;
      if (sign_of(signs[j]) < 0) v = -v;
      ia.push_back(row);
      ja.push_back(static_cast<int>(i));
      values.push_back(v);
      total[i - 1] += v;
    }
  }
  const int normalisation = static_cast<int>(m + 1);
  glp_set_row_bnds(lp.get(), normalisation, GLP_FX, 1.0, 1.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (total[i] == 0.0) continue;
    ia.push_back(normalisation);
    ja.push_back(static_cast<int>(i + 1));
    values.push_back(total[i]);
  }
  glpk::load_matrix(lp.get(), ia, ja, values);
  const glp_smcp parameters = glpk::quiet_simplex();
  if (glp_simplex(lp.get(), &parameters) != 0 || glp_get_status(lp.get()) != GLP_OPT) return false;

  // d is fixed by the rows it is tight on: complete it exactly in their kernel, check every row.
  std::vector<IntegerVector> tight;
  for (std::size_t j = 0; j < m; ++j) {
    if (std::abs(glp_get_row_prim(lp.get(), static_cast<int>(j + 1))) > 1e-9) continue;
    tight.emplace_back(arrangement_[j].coefficients.begin() + 1, arrangement_[j].coefficients.end());
  }
  const RationalKernel kernel(std::move(tight), n);
  if (kernel.dimension() == 0) return false;
  RationalVector free_values;
  for (std::size_t f : kernel.free_columns()) free_values.emplace_back(glp_get_col_prim(lp.get(), static_cast<int>(f + 1)));
  const IntegerVector d = to_integers(kernel.vector_from(free_values));
  bool nonzero = false;
  for (const Integer& v : d) nonzero = nonzero || v != 0;
  if (!nonzero) return false;
  for (std::size_t j = 0; j < m; ++j)
    if (signed_product(arrangement_, j, sign_of(signs[j]), d) < 0) return false;
  return true;  // d ≠ 0 in the recession cone
}

std::uint64_t count_bounded(const Arrangement& arrangement, const std::vector<std::string>& signs, bool exact_only,
                            unsigned threads, BoundednessCounters& counters) {
  // Fixed chunks, each starting from the same state, so that the paths counted do not depend on `threads`.
  constexpr std::size_t chunk = 1024;
  const std::size_t chunks = (signs.size() + chunk - 1) / chunk;
  std::atomic<std::size_t> next{0};
  std::vector<std::uint64_t> bounded(std::max(1u, threads), 0);
  std::vector<BoundednessCounters> paths(bounded.size());
  std::vector<std::exception_ptr> errors(bounded.size());
  auto work = [&](std::size_t t) {
    try {
      for (std::size_t c = next++; c < chunks; c = next++) {
        BoundednessTester tester(arrangement, exact_only);
        for (std::size_t r = c * chunk; r < std::min(signs.size(), (c + 1) * chunk); ++r)
          if (tester.is_bounded(signs[r])) ++bounded[t];
        paths[t] += tester.counters();
      }
    } catch (...) {
      errors[t] = std::current_exception();
      next = chunks;
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < bounded.size() && t < chunks; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& thread : pool) thread.join();
  for (const std::exception_ptr& error : errors)
    if (error) std::rethrow_exception(error);
  std::uint64_t total = 0;
  for (std::size_t t = 0; t < bounded.size(); ++t) {
    total += bounded[t];
    counters += paths[t];
  }
  return total;
}

}  // namespace chamber

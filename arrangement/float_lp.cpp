#include "arrangement/float_lp.hpp"

#include "arrangement/glpk_problem.hpp"
#include "arrangement/kernel.hpp"

#include <algorithm>
#include <cmath>

namespace chamber {

namespace {

/*! entry `column` of the signed row s (b + a·x) of a condition, scaled by 2^-exponent. */
double coefficient(const Arrangement& arrangement, const SignCondition& c, std::size_t column, long exponent) {
  const double v = glpk::scaled(arrangement[c.hyperplane].coefficients[column], exponent);
  return c.sign > 0 ? v : -v;
}

/*! rounds x to multiples of 2^-k for growing k and returns the first rounding strictly inside
 * every condition (exact check), or nothing. */
std::optional<Point> round_witness(const Arrangement& arrangement, const std::vector<SignCondition>& conditions,
                                   const std::vector<double>& x) {
  const std::size_t n = x.size();
  Point p;
  p.coordinates.resize(n + 1);
  for (int k = 0; k <= 60; k += 4) {
    const double scale = std::ldexp(1.0, k);
    bool finite = true;
    p.coordinates[0] = Integer(1) << k;
    for (std::size_t i = 0; i < n; ++i) {
      double v = std::nearbyint(x[i] * scale);
      if (!std::isfinite(v)) finite = false;
      else p.coordinates[i + 1] = v;  // exact: v is an integer-valued double
    }
    if (!finite) return std::nullopt;
    bool inside = true;
    for (const SignCondition& c : conditions)
      if (arrangement[c.hyperplane].side(p) != c.sign) {
        inside = false;
        break;
      }
    if (inside) {
      p.normalize();
      return p;
    }
  }
  return std::nullopt;
}

/*! returns a Farkas certificate on `support` built from the float duals `y` (one per support row): the kernel of
 * the columns σ_j a_j has a basis v_t with 1 at free column f_t and 0 at the others, so λ = Σ_t y[f_t] v_t lies in
 * the kernel exactly (a double is an exact dyadic rational) and equals y when y does. It is accepted when λ ≥ 0,
 * λ ≠ 0 and the certificate verifies exactly; else nothing. */
std::optional<FarkasCertificate> farkas_from_support(const Arrangement& arrangement, std::vector<SignCondition> support,
                                                     const std::vector<double>& y) {
  const std::size_t n = arrangement.dimension();
  std::size_t k = support.size();
  if (k == 0) return std::nullopt;
  // The n × k matrix with columns σ_j a_j; λ is read off its kernel.
  std::vector<IntegerVector> m(n, IntegerVector(k));
  for (std::size_t j = 0; j < k; ++j) {
    const IntegerVector& row = arrangement[support[j].hyperplane].coefficients;
    for (std::size_t i = 0; i < n; ++i) m[i][j] = support[j].sign > 0 ? row[i + 1] : Integer(-row[i + 1]);
  }
  const RationalKernel kernel(std::move(m), k);
  if (kernel.dimension() == 0) return std::nullopt;
  RationalVector free_values;
  for (std::size_t f : kernel.free_columns()) free_values.emplace_back(y[f]);
  RationalVector v = kernel.vector_from(free_values);
  int sign = 0;
  for (const Rational& value : v) {
    if (sgn(value) < 0) return std::nullopt;
    sign = std::max(sign, sgn(value));
  }
  if (sign == 0) return std::nullopt;
  // Keep the conditions with λ_j > 0.
  std::vector<SignCondition> kept;
  RationalVector positive;
  for (std::size_t j = 0; j < k; ++j)
    if (sgn(v[j]) > 0) {
      kept.push_back(support[j]);
      positive.push_back(v[j]);
    }
  support = std::move(kept);
  v = std::move(positive);
  k = support.size();
  const IntegerVector multipliers = to_integers(v);
  FarkasCertificate certificate;
  std::vector<std::size_t> order(k);
  for (std::size_t j = 0; j < k; ++j) order[j] = j;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return support[a].hyperplane < support[b].hyperplane; });
  for (std::size_t j : order) {
    certificate.conditions.push_back(support[j]);
    certificate.multipliers.push_back(multipliers[j]);
  }
  make_primitive(certificate.multipliers);
  if (!certificate.verifies(arrangement)) return std::nullopt;
  return certificate;
}

}  // namespace

std::optional<FeasibilityResult> certified_float_solve(const Arrangement& arrangement,
                                                       const std::vector<SignCondition>& conditions) {
  const std::size_t n = arrangement.dimension();
  const std::size_t rows = conditions.size();
  // maximise t subject to σ_j (b_j + a_j·x) − t ≥ 0, t ≤ 1; columns x_1..x_n (free), t.
  glpk::Problem lp = glpk::make_problem();
  glp_set_obj_dir(lp.get(), GLP_MAX);
  glp_add_rows(lp.get(), static_cast<int>(rows));
  glp_add_cols(lp.get(), static_cast<int>(n + 1));
  for (std::size_t c = 1; c <= n; ++c) glp_set_col_bnds(lp.get(), static_cast<int>(c), GLP_FR, 0.0, 0.0);
  glp_set_col_bnds(lp.get(), static_cast<int>(n + 1), GLP_UP, 0.0, 1.0);
  glp_set_obj_coef(lp.get(), static_cast<int>(n + 1), 1.0);
  // Each row is scaled by a power of two to entries below 1 in size, so any integers fit in doubles.
  std::vector<int> ia{0}, ja{0};
  std::vector<double> values{0.0};
  std::vector<long> exponents(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const int row = static_cast<int>(r + 1);
    const long exponent = exponents[r] = glpk::row_exponent(arrangement[conditions[r].hyperplane].coefficients);
    glp_set_row_bnds(lp.get(), row, GLP_LO, -coefficient(arrangement, conditions[r], 0, exponent), 0.0);
    for (std::size_t c = 1; c <= n; ++c) {
      double v = coefficient(arrangement, conditions[r], c, exponent);
      if (v == 0.0) continue;
      ia.push_back(row);
      ja.push_back(static_cast<int>(c));
      values.push_back(v);
    }
    ia.push_back(row);
    ja.push_back(static_cast<int>(n + 1));
    values.push_back(-1.0);
  }
  glpk::load_matrix(lp.get(), ia, ja, values);
  const glp_smcp parameters = glpk::quiet_simplex();
  if (glp_simplex(lp.get(), &parameters) != 0 || glp_get_status(lp.get()) != GLP_OPT) return std::nullopt;

  const double t = glp_get_obj_val(lp.get());
  if (t > 1e-9) {
    std::vector<double> x(n);
    for (std::size_t c = 0; c < n; ++c) x[c] = glp_get_col_prim(lp.get(), static_cast<int>(c + 1));
    std::optional<Point> witness = round_witness(arrangement, conditions, x);
    if (!witness) return std::nullopt;
    FeasibilityResult result;
    result.feasible = true;
    result.witness = std::move(*witness);
    return result;
  }
  // t* ≤ 0 (up to rounding): the rows with nonzero dual prove it; rebuild their multipliers exactly.
  double largest = 0.0;
  std::vector<double> duals(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    duals[r] = std::fabs(glp_get_row_dual(lp.get(), static_cast<int>(r + 1)));
    largest = std::max(largest, duals[r]);
  }
  std::vector<SignCondition> support;
  std::vector<double> support_duals;
  for (std::size_t r = 0; r < rows; ++r)
    if (duals[r] > 1e-9 * largest) {
      support.push_back(conditions[r]);
      support_duals.push_back(std::ldexp(duals[r], static_cast<int>(std::max(-exponents[r], -2000L))));  // per integer row
    }
  std::optional<FarkasCertificate> farkas = farkas_from_support(arrangement, std::move(support), support_duals);
  if (!farkas) return std::nullopt;
  FeasibilityResult result;
  result.feasible = false;
  result.farkas = std::move(*farkas);
  return result;
}

}  // namespace chamber

#include "arrangement/simple_point.hpp"

#include "arrangement/errors.hpp"

namespace chamber {

namespace {

Integer floor_of(const Rational& x) {
  Integer q;
  mpz_fdiv_q(q.get_mpz_t(), x.get_num_mpz_t(), x.get_den_mpz_t());
  return q;
}

/*! the simplest rational in the open interval (low, high) with 0 ≤ low, high possibly unbounded. */
Rational simplest_nonnegative(const Rational& low, const std::optional<Rational>& high) {
  const Integer next = floor_of(low) + 1;  // the least integer above low
  if (!high || Rational(next) < *high) return Rational(next);
  // low and high lie in [f, f + 1] with f = floor(low): f + 1 / (simplest in (1/(high − f), 1/(low − f))).
  const Integer f = next - 1;
  const Rational below = *high - Rational(f);
  const Rational above_gap = low - Rational(f);
  const std::optional<Rational> upper = sgn(above_gap) == 0 ? std::nullopt : std::optional<Rational>(1 / above_gap);
  Rational result = Rational(f) + 1 / simplest_nonnegative(1 / below, upper);
  result.canonicalize();
  return result;
}

}  // namespace

Rational simplest_between(const std::optional<Rational>& low, const std::optional<Rational>& high) {
  if ((!low || sgn(*low) < 0) && (!high || sgn(*high) > 0)) return 0;
  if (low && sgn(*low) >= 0) return simplest_nonnegative(*low, high);
  // high ≤ 0: mirror.
  const std::optional<Rational> mirrored_high = low ? std::optional<Rational>(-*low) : std::nullopt;
  return -simplest_nonnegative(-*high, mirrored_high);
}

Point simple_point_inside(const std::vector<IntegerVector>& rows, const Point& inside) {
  RationalVector x = inside.to_rationals();
  const std::size_t n = x.size();
  // value[j] = b_j + a_j·x, kept up to date as coordinates change.
  std::vector<Rational> value(rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j) {
    Rational v(rows[j][0]);
    for (std::size_t i = 0; i < n; ++i)
      if (sgn(rows[j][i + 1]) != 0) v += Rational(rows[j][i + 1]) * x[i];
    if (sgn(v) <= 0) throw InternalError("simple_point_inside: the starting point is not strictly inside");
    value[j] = v;
  }
  Integer left, right;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < n; ++i) {
      // Row j allows x_i = t where (value_j − a_ji·x_i) + a_ji·t > 0, i.e. t > x_i − value_j / a_ji when a_ji > 0 and
      // t < x_i + value_j / |a_ji| when a_ji < 0: the tightest rows have the least value_j / |a_ji| on each side,
      // found by cross-multiplication (no gcd), and only their bounds are formed.
      const std::size_t none = rows.size();
      std::size_t tightest[2] = {none, none};  // [0]: a_ji > 0 (lower bounds), [1]: a_ji < 0 (upper bounds)
      for (std::size_t j = 0; j < rows.size(); ++j) {
        const Integer& a = rows[j][i + 1];
        if (sgn(a) == 0) continue;
        std::size_t& best = tightest[sgn(a) < 0];
        if (best != none) {
          // value_j / |a_j| < value_b / |a_b|  ⇔  num_j·den_b·|a_b| < num_b·den_j·|a_j| (values positive).
          const Integer& b = rows[best][i + 1];
          left = value[j].get_num() * value[best].get_den();
          mpz_mul(left.get_mpz_t(), left.get_mpz_t(), b.get_mpz_t());
          right = value[best].get_num() * value[j].get_den();
          mpz_mul(right.get_mpz_t(), right.get_mpz_t(), a.get_mpz_t());
          if (sgn(a) < 0) {  // both multipliers negative: flip both sides
            mpz_neg(left.get_mpz_t(), left.get_mpz_t());
            mpz_neg(right.get_mpz_t(), right.get_mpz_t());
          }
          if (left >= right) continue;
        }
        best = j;
      }
      std::optional<Rational> low, high;
      if (tightest[0] != none) low = x[i] - value[tightest[0]] / Rational(rows[tightest[0]][i + 1]);
      if (tightest[1] != none) high = x[i] - value[tightest[1]] / Rational(rows[tightest[1]][i + 1]);
      const Rational t = simplest_between(low, high);
      if (t == x[i]) continue;
      const Rational delta = t - x[i];
      for (std::size_t j = 0; j < rows.size(); ++j)
        if (sgn(rows[j][i + 1]) != 0) value[j] += Rational(rows[j][i + 1]) * delta;
      x[i] = t;
    }
  return Point::from_rationals(x);
}

}  // namespace chamber

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
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < n; ++i) {
      // Row j allows x_i = t where (value_j − a_ji·x_i) + a_ji·t > 0.
      std::optional<Rational> low, high;
      for (std::size_t j = 0; j < rows.size(); ++j) {
        const Integer& a = rows[j][i + 1];
        if (sgn(a) == 0) continue;
        Rational bound = x[i] - value[j] / Rational(a);  // the t where row j vanishes
        if (sgn(a) > 0) {
          if (!low || bound > *low) low = bound;
        } else if (!high || bound < *high) {
          high = bound;
        }
      }
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

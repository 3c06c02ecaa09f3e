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
  // Homogeneous integers throughout: x = z'/z0 with z0 > 0, and v_j = row_j·z = z0·(b_j + a_j·x), so the signs and
  // the ratios v_j / |a_ji| compare as integers; rationals are formed only for the two bounds of each coordinate.
  IntegerVector z = inside.coordinates;
  const std::size_t n = z.size() - 1;
  if (sgn(z[0]) < 0)
    for (Integer& c : z) mpz_neg(c.get_mpz_t(), c.get_mpz_t());
  std::vector<Integer> value(rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j) {
    value[j] = dot(rows[j], z);
    if (sgn(value[j]) <= 0 || sgn(z[0]) == 0)
      throw InternalError("simple_point_inside: the starting point is not strictly inside");
  }
  Integer left, right, g, old0, shift;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 1; i <= n; ++i) {
      // Row j allows x_i = t where (v_j − a_ji·z_i)/z0 + a_ji·t > 0, i.e. t > (z_i − v_j/a_ji)/z0 when a_ji > 0 and
      // t < (z_i + v_j/|a_ji|)/z0 when a_ji < 0: the tightest rows have the least v_j / |a_ji| on each side.
      const std::size_t none = rows.size();
      std::size_t tightest[2] = {none, none};  // [0]: a_ji > 0 (lower bounds), [1]: a_ji < 0 (upper bounds)
      for (std::size_t j = 0; j < rows.size(); ++j) {
        const Integer& a = rows[j][i];
        if (sgn(a) == 0) continue;
        std::size_t& best = tightest[sgn(a) < 0];
        if (best != none) {
          // v_j / |a_j| < v_b / |a_b|  ⇔  v_j·|a_b| < v_b·|a_j| (a_j and a_b of one sign: multiply by a_b·a_j's sign)
          const Integer& b = rows[best][i];
          mpz_mul(left.get_mpz_t(), value[j].get_mpz_t(), b.get_mpz_t());
          mpz_mul(right.get_mpz_t(), value[best].get_mpz_t(), a.get_mpz_t());
          if (sgn(a) < 0 ? left <= right : left >= right) continue;
        }
        best = j;
      }
      auto bound = [&](std::size_t j) {  // (z_i·a_j − v_j) / (a_j·z0)
        Rational t(z[i] * rows[j][i] - value[j], rows[j][i] * z[0]);
        t.canonicalize();
        return t;
      };
      std::optional<Rational> low, high;
      if (tightest[0] != none) low = bound(tightest[0]);
      if (tightest[1] != none) high = bound(tightest[1]);
      const Rational t = simplest_between(low, high);
      const Integer& p = t.get_num();
      const Integer& q = t.get_den();
      if (p * z[0] == q * z[i]) continue;
      // x_i ← p/q: z ← (q·z0, q·z_1, …, p·z0, …); then v_j ← q·v_j + a_ji·(p·z0 − q·z_i).
      old0 = z[0];
      shift = p * old0 - q * z[i];
      for (std::size_t j = 0; j < rows.size(); ++j) {
        value[j] *= q;
        mpz_addmul(value[j].get_mpz_t(), rows[j][i].get_mpz_t(), shift.get_mpz_t());
      }
      for (std::size_t k = 0; k <= n; ++k)
        if (k != i) z[k] *= q;
      z[i] = p * old0;
      g = 0;
      for (const Integer& c : z) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), c.get_mpz_t());
      if (g > 1) {
        for (Integer& c : z) mpz_divexact(c.get_mpz_t(), c.get_mpz_t(), g.get_mpz_t());
        for (Integer& v : value) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
      }
    }
  Point result;
  result.coordinates = std::move(z);
  result.normalize();
  return result;
}

}  // namespace chamber

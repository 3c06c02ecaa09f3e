// Hyperplanes and points in homogeneous integer coordinates.
//
// Convention (Sage/polymake): a hyperplane is the row (b, a1, ..., an) meaning b + a·x = 0, constant
// first. A point x ∈ Q^n is stored homogeneously as z = (z0, z1, ..., zn) with z0 > 0 and
// x_i = z_i / z0, so the value b + a·x has the sign of the integer dot product row·z.
#pragma once

#include "arrangement/number.hpp"

#include <cstddef>
#include <string>

namespace chamber {

/*! a point of Q^n in homogeneous integer coordinates (z0 > 0 first, then z1..zn). */
struct Point {
  IntegerVector coordinates;

  /*! builds the homogeneous form of `x` with the least positive common denominator as z0. */
  static Point from_rationals(const RationalVector& x);
  /*! returns x with x_i = z_i / z0. */
  RationalVector to_rationals() const;
  std::size_t dimension() const { return coordinates.empty() ? 0 : coordinates.size() - 1; }
  /*! divides by the gcd of all coordinates (keeps z0 > 0). */
  void normalize();
};

/*! returns Σ_i u_i v_i; the vectors have equal length. */
Integer dot(const IntegerVector& u, const IntegerVector& v);

/*! a hyperplane b + a·x = 0 stored as a primitive integer row (gcd 1), orientation as given. */
struct Hyperplane {
  IntegerVector coefficients;  // (b, a1, ..., an)

  /*! scales a rational row (b, a1..an) to the primitive integer row with the same orientation. */
  static Hyperplane from_rationals(const RationalVector& row);

  std::size_t dimension() const { return coefficients.size() - 1; }
  const Integer& constant() const { return coefficients[0]; }
  bool has_zero_normal() const;
  /*! returns the sign (-1, 0, 1) of b + a·x at `p`. */
  int side(const Point& p) const { return sign(dot(coefficients, p.coordinates)); }
  /*! returns the row with first nonzero entry positive: equal keys ⇔ same hyperplane as a set. */
  IntegerVector canonical_key() const;
  /*! returns "b a1 ... an". */
  std::string to_string() const;
};

}  // namespace chamber

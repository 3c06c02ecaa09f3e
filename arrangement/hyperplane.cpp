#include "arrangement/hyperplane.hpp"

namespace chamber {

Point Point::from_rationals(const RationalVector& x) {
  Integer denominator = common_denominator(x);
  Point p;
  p.coordinates.reserve(x.size() + 1);
  p.coordinates.push_back(denominator);
  for (const Rational& v : x) {
    Integer scaled = v.get_num() * (denominator / v.get_den());
    p.coordinates.push_back(scaled);
  }
  return p;
}

RationalVector Point::to_rationals() const {
  RationalVector x;
  x.reserve(dimension());
  for (std::size_t i = 1; i < coordinates.size(); ++i) {
    Rational v(coordinates[i], coordinates[0]);
    v.canonicalize();
    x.push_back(v);
  }
  return x;
}

void Point::normalize() { make_primitive(coordinates); }

Integer dot(const IntegerVector& u, const IntegerVector& v) {
  Integer sum = 0;
  for (std::size_t i = 0; i < u.size(); ++i) mpz_addmul(sum.get_mpz_t(), u[i].get_mpz_t(), v[i].get_mpz_t());
  return sum;
}

Hyperplane Hyperplane::from_rationals(const RationalVector& row) {
  Integer denominator = common_denominator(row);
  Hyperplane h;
  h.coefficients.reserve(row.size());
  for (const Rational& v : row) {
    Integer scaled = v.get_num() * (denominator / v.get_den());
    h.coefficients.push_back(scaled);
  }
  make_primitive(h.coefficients);
  return h;
}

bool Hyperplane::has_zero_normal() const {
  for (std::size_t i = 1; i < coefficients.size(); ++i)
    if (coefficients[i] != 0) return false;
  return true;
}

IntegerVector Hyperplane::canonical_key() const {
  IntegerVector key = coefficients;
  for (const Integer& v : key) {
    if (v == 0) continue;
    if (v < 0)
      for (Integer& w : key) w = -w;
    break;
  }
  return key;
}

std::string Hyperplane::to_string() const {
  std::string s;
  for (std::size_t i = 0; i < coefficients.size(); ++i) {
    if (i) s += ' ';
    s += coefficients[i].get_str();
  }
  return s;
}

}  // namespace chamber

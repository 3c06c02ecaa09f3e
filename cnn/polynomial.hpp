// Sparse multivariate polynomials with exact rational coefficients, used to write down and check, by
// expansion, polynomial identities among the weights of a conv layer (cnn/prop2.hpp).
//
// Conventions: variables are numbered 0, 1, …; their names live outside the polynomial and are passed to
// to_string. A monomial is its exponent vector without trailing zeros (so the constant monomial is the
// empty vector); a polynomial maps monomials to nonzero coefficients, ordered by degree, highest first,
// then lexicographically by exponents (x0 before x1), so that equal polynomials have equal representations.
#pragma once

#include "arrangement/number.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace chamber {

/*! an exponent vector, one entry per variable, without trailing zeros. */
using Monomial = std::vector<unsigned>;

/*! returns the total degree of `monomial`. */
unsigned degree(const Monomial& monomial);

/*! orders monomials by degree, highest first, then by exponent vectors (larger exponent of a lower-numbered
 * variable first). */
struct MonomialOrder {
  bool operator()(const Monomial& a, const Monomial& b) const;
};

/*! a polynomial Σ c_m x^m over Q with finitely many nonzero coefficients. */
class Polynomial {
 public:
  using Terms = std::map<Monomial, Rational, MonomialOrder>;

  /*! constructs the zero polynomial. */
  Polynomial() = default;
  /*! constructs the constant `value`. */
  explicit Polynomial(const Rational& value);

  /*! returns the polynomial x_index. */
  static Polynomial variable(std::size_t index);
  /*! returns the polynomial coefficient · x^monomial (trailing zeros of `monomial` are ignored). */
  static Polynomial term(Monomial monomial, const Rational& coefficient);

  /*! returns whether every coefficient is zero. */
  bool is_zero() const { return terms_.empty(); }
  /*! returns the total degree (0 for constants and for the zero polynomial). */
  unsigned degree() const;
  /*! returns whether every term has total degree `d` (true for the zero polynomial). */
  bool is_homogeneous(unsigned d) const;
  /*! returns the number of variables any term uses, i.e. 1 + the largest variable index (0 for constants). */
  std::size_t variable_count() const;
  /*! returns the nonzero terms. */
  const Terms& terms() const { return terms_; }
  /*! returns the coefficient of `monomial` (0 when absent). */
  Rational coefficient(const Monomial& monomial) const;

  /*! returns the value at `values` (one per variable, at least variable_count() of them). */
  Rational evaluate(const RationalVector& values) const;

  Polynomial& operator+=(const Polynomial& other);
  Polynomial& operator-=(const Polynomial& other);
  Polynomial& operator*=(const Polynomial& other);
  Polynomial& operator*=(const Rational& factor);

  friend Polynomial operator+(Polynomial a, const Polynomial& b) { return a += b; }
  friend Polynomial operator-(Polynomial a, const Polynomial& b) { return a -= b; }
  friend Polynomial operator*(const Polynomial& a, const Polynomial& b);
  friend Polynomial operator*(Polynomial a, const Rational& b) { return a *= b; }
  friend Polynomial operator-(Polynomial a) { return a *= Rational(-1); }
  bool operator==(const Polynomial& other) const { return terms_ == other.terms_; }

 private:
  /*! adds coefficient · x^monomial, dropping the term when it cancels; `monomial` has no trailing zeros. */
  void add_term(const Monomial& monomial, const Rational& coefficient);

  Terms terms_;
};

/*! returns `p` as text with the given variable names, highest degree first, e.g.
 * "w1[0][0][1]*w0[0][1][1] - 2*w0[0][0][0]^2 + 1/2"; "0" for the zero polynomial.
 * \pre names.size() >= p.variable_count(). */
std::string to_string(const Polynomial& p, const std::vector<std::string>& names);

/*! returns every monomial of total degree `d` in `variables` variables, in MonomialOrder. */
std::vector<Monomial> monomials_of_degree(std::size_t variables, unsigned d);

}  // namespace chamber

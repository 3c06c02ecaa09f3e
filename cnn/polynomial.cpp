// Sparse multivariate polynomials over Q.
#include "cnn/polynomial.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace chamber {

namespace {

/*! removes trailing zero exponents, the canonical form of a monomial. */
void trim(Monomial& monomial) {
  while (!monomial.empty() && monomial.back() == 0) monomial.pop_back();
}

/*! returns the product x^a · x^b. */
Monomial multiply(const Monomial& a, const Monomial& b) {
  Monomial product(std::max(a.size(), b.size()), 0);
  for (std::size_t i = 0; i < a.size(); ++i) product[i] += a[i];
  for (std::size_t i = 0; i < b.size(); ++i) product[i] += b[i];
  return product;  // trailing entries are nonzero in a or b, so no trailing zeros
}

/*! appends every monomial of degree `left` in variables first..variables−1 to `out`, with `prefix` fixed. */
void extend_monomials(std::size_t variables, std::size_t first, unsigned left, Monomial& prefix,
                      std::vector<Monomial>& out) {
  if (left == 0 || first == variables) {
    if (left != 0) return;
    Monomial m = prefix;
    trim(m);
    out.push_back(std::move(m));
    return;
  }
  for (unsigned e = left + 1; e-- > 0;) {
    prefix[first] = e;
    extend_monomials(variables, first + 1, left - e, prefix, out);
  }
  prefix[first] = 0;
}

}  // namespace

unsigned degree(const Monomial& monomial) {
  unsigned d = 0;
  for (unsigned e : monomial) d += e;
  return d;
}

bool MonomialOrder::operator()(const Monomial& a, const Monomial& b) const {
  const unsigned da = chamber::degree(a), db = chamber::degree(b);
  if (da != db) return da > db;
  const std::size_t n = std::max(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned ea = i < a.size() ? a[i] : 0;
    const unsigned eb = i < b.size() ? b[i] : 0;
    if (ea != eb) return ea > eb;
  }
  return false;
}

Polynomial::Polynomial(const Rational& value) {
  if (sgn(value) != 0) terms_.emplace(Monomial{}, value);
}

Polynomial Polynomial::variable(std::size_t index) {
  Monomial m(index + 1, 0);
  m[index] = 1;
  return term(std::move(m), Rational(1));
}

Polynomial Polynomial::term(Monomial monomial, const Rational& coefficient) {
  trim(monomial);
  Polynomial p;
  if (sgn(coefficient) != 0) p.terms_.emplace(std::move(monomial), coefficient);
  return p;
}

unsigned Polynomial::degree() const {
  // Terms are ordered by degree, highest first.
  return terms_.empty() ? 0 : chamber::degree(terms_.begin()->first);
}

bool Polynomial::is_homogeneous(unsigned d) const {
  return std::all_of(terms_.begin(), terms_.end(),
                     [d](const auto& entry) { return chamber::degree(entry.first) == d; });
}

std::size_t Polynomial::variable_count() const {
  std::size_t n = 0;
  for (const auto& entry : terms_) n = std::max(n, entry.first.size());
  return n;
}

Rational Polynomial::coefficient(const Monomial& monomial) const {
  Monomial m = monomial;
  trim(m);
  auto it = terms_.find(m);
  return it == terms_.end() ? Rational(0) : it->second;
}

Rational Polynomial::evaluate(const RationalVector& values) const {
  if (values.size() < variable_count())
    throw std::invalid_argument("Polynomial::evaluate: " + std::to_string(values.size()) + " values for " +
                                std::to_string(variable_count()) + " variables");
  Rational sum = 0;
  for (const auto& [monomial, c] : terms_) {
    Rational product = c;
    for (std::size_t i = 0; i < monomial.size(); ++i)
      for (unsigned e = 0; e < monomial[i]; ++e) product *= values[i];
    sum += product;
  }
  return sum;
}

void Polynomial::add_term(const Monomial& monomial, const Rational& coefficient) {
  if (sgn(coefficient) == 0) return;
  auto [it, inserted] = terms_.emplace(monomial, coefficient);
  if (inserted) return;
  it->second += coefficient;
  if (sgn(it->second) == 0) terms_.erase(it);
}

Polynomial& Polynomial::operator+=(const Polynomial& other) {
  for (const auto& [monomial, c] : other.terms_) add_term(monomial, c);
  return *this;
}

Polynomial& Polynomial::operator-=(const Polynomial& other) {
  for (const auto& [monomial, c] : other.terms_) {
    const Rational negated = -c;
    add_term(monomial, negated);
  }
  return *this;
}

Polynomial operator*(const Polynomial& a, const Polynomial& b) {
  Polynomial product;
  for (const auto& [ma, ca] : a.terms_)
    for (const auto& [mb, cb] : b.terms_) {
      const Rational c = ca * cb;
      product.add_term(multiply(ma, mb), c);
    }
  return product;
}

Polynomial& Polynomial::operator*=(const Polynomial& other) {
  *this = *this * other;
  return *this;
}

Polynomial& Polynomial::operator*=(const Rational& factor) {
  if (sgn(factor) == 0) {
    terms_.clear();
    return *this;
  }
  for (auto& entry : terms_) entry.second *= factor;
  return *this;
}

std::string to_string(const Polynomial& p, const std::vector<std::string>& names) {
  if (names.size() < p.variable_count())
    throw std::invalid_argument("to_string(Polynomial): " + std::to_string(names.size()) + " names for " +
                                std::to_string(p.variable_count()) + " variables");
  if (p.is_zero()) return "0";
  std::string text;
  for (const auto& [monomial, c] : p.terms()) {
    const bool negative = sgn(c) < 0;
    text += text.empty() ? (negative ? "-" : "") : (negative ? " - " : " + ");
    const Rational magnitude = abs(c);
    std::string factors;
    for (std::size_t i = 0; i < monomial.size(); ++i) {
      if (monomial[i] == 0) continue;
      if (!factors.empty()) factors += "*";
      factors += names[i];
      if (monomial[i] > 1) {
        factors += '^';
        factors += std::to_string(monomial[i]);
      }
    }
    if (factors.empty()) {
      text += to_string(magnitude);
    } else {
      if (magnitude != 1) text += to_string(magnitude) + "*";
      text += factors;
    }
  }
  return text;
}

std::vector<Monomial> monomials_of_degree(std::size_t variables, unsigned d) {
  std::vector<Monomial> out;
  if (variables == 0) {
    if (d == 0) out.emplace_back();
    return out;
  }
  Monomial prefix(variables, 0);
  extend_monomials(variables, 0, d, prefix, out);
  return out;
}

}  // namespace chamber

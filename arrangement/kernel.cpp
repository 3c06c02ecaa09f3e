#include "arrangement/kernel.hpp"

#include <utility>

namespace chamber {

namespace {

/*! divides `row` by the gcd of its entries. */
void divide_by_content(IntegerVector& row) {
  Integer g = 0;
  for (const Integer& v : row) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
  if (g <= 1) return;
  for (Integer& v : row) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
}

}  // namespace

RationalKernel::RationalKernel(std::vector<IntegerVector> m, std::size_t columns) : columns_(columns) {
  const std::size_t rows = m.size();
  std::size_t r = 0;
  Integer g, a, b;
  for (std::size_t col = 0; col < columns; ++col) {
    std::size_t pivot = r;
    while (pivot < rows && sgn(m[pivot][col]) == 0) ++pivot;
    if (pivot == rows) {
      free_.push_back(col);
      continue;
    }
    std::swap(m[pivot], m[r]);
    divide_by_content(m[r]);
    if (sgn(m[r][col]) < 0)
      for (Integer& v : m[r]) v = -v;
    // Row i ← a·row i − b·row r with a = p / g, b = f / g: column col becomes 0 (row r is 0 left of col).
    for (std::size_t i = 0; i < rows; ++i) {
      if (i == r || sgn(m[i][col]) == 0) continue;
      mpz_gcd(g.get_mpz_t(), m[r][col].get_mpz_t(), m[i][col].get_mpz_t());
      mpz_divexact(a.get_mpz_t(), m[r][col].get_mpz_t(), g.get_mpz_t());
      mpz_divexact(b.get_mpz_t(), m[i][col].get_mpz_t(), g.get_mpz_t());
      for (std::size_t c = 0; c < columns; ++c) {
        if (a != 1) m[i][c] *= a;
        if (c >= col) mpz_submul(m[i][c].get_mpz_t(), b.get_mpz_t(), m[r][c].get_mpz_t());
      }
      divide_by_content(m[i]);
    }
    pivots_.push_back(col);
    ++r;
  }
  m.resize(r);
  reduced_ = std::move(m);
}

RationalVector RationalKernel::vector_from(const RationalVector& free_values) const {
  RationalVector v(columns_, Rational(0));
  for (std::size_t t = 0; t < free_.size(); ++t) v[free_[t]] = free_values[t];
  // Row i reads p·x_pivot + Σ_f m_f x_f = 0.
  for (std::size_t i = 0; i < pivots_.size(); ++i) {
    Rational sum = 0;
    for (std::size_t t = 0; t < free_.size(); ++t)
      if (sgn(reduced_[i][free_[t]]) != 0 && sgn(free_values[t]) != 0) sum += reduced_[i][free_[t]] * free_values[t];
    v[pivots_[i]] = -sum / reduced_[i][pivots_[i]];
  }
  return v;
}

}  // namespace chamber

#include "arrangement/kernel.hpp"

#include <utility>

namespace chamber {

RationalKernel::RationalKernel(std::vector<RationalVector> m, std::size_t columns) : columns_(columns) {
  const std::size_t rows = m.size();
  std::size_t r = 0;
  for (std::size_t col = 0; col < columns; ++col) {
    std::size_t pivot = r;
    while (pivot < rows && m[pivot][col] == 0) ++pivot;
    if (pivot == rows) {
      free_.push_back(col);
      continue;
    }
    std::swap(m[pivot], m[r]);
    const Rational inverse = 1 / m[r][col];
    for (std::size_t c = col; c < columns; ++c) m[r][c] *= inverse;
    for (std::size_t i = 0; i < rows; ++i) {
      if (i == r || m[i][col] == 0) continue;
      const Rational factor = m[i][col];
      for (std::size_t c = col; c < columns; ++c) m[i][c] -= factor * m[r][c];
    }
    pivots_.push_back(col);
    ++r;
  }
  m.resize(r);
  reduced_ = std::move(m);
}

RationalVector RationalKernel::vector_from(const RationalVector& free_values) const {
  RationalVector v(columns_, Rational(0));
  for (std::size_t t = 0; t < free_.size(); ++t) {
    const Rational& c = free_values[t];
    if (sgn(c) == 0) continue;
    v[free_[t]] = c;
    for (std::size_t i = 0; i < pivots_.size(); ++i)
      if (sgn(reduced_[i][free_[t]]) != 0) v[pivots_[i]] -= c * reduced_[i][free_[t]];
  }
  return v;
}

}  // namespace chamber

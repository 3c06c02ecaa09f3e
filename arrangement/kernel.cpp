#include "arrangement/kernel.hpp"

#include <utility>

namespace chamber {

RationalKernel::RationalKernel(std::vector<IntegerVector> m, std::size_t columns)
    : reduced_(columns, 0, columns, EchelonBasis::Form::reduced) {
  for (IntegerVector& row : m) reduced_.insert(std::move(row));
  std::vector<bool> is_pivot(columns, false);
  for (std::size_t p : reduced_.pivots()) is_pivot[p] = true;
  for (std::size_t col = 0; col < columns; ++col)
    if (!is_pivot[col]) free_.push_back(col);
}

RationalVector RationalKernel::vector_from(const RationalVector& free_values) const {
  RationalVector v(reduced_.width(), Rational(0));
  for (std::size_t t = 0; t < free_.size(); ++t) v[free_[t]] = free_values[t];
  // Row i reads p·x_pivot + Σ_f m_f x_f = 0 (it is zero at the other pivots).
  for (std::size_t i = 0; i < reduced_.rank(); ++i) {
    const IntegerVector& row = reduced_.row(i);
    Rational sum = 0;
    for (std::size_t t = 0; t < free_.size(); ++t)
      if (sgn(row[free_[t]]) != 0 && sgn(free_values[t]) != 0) sum += row[free_[t]] * free_values[t];
    v[reduced_.pivot(i)] = -sum / row[reduced_.pivot(i)];
  }
  return v;
}

}  // namespace chamber

// The kernel of a rational matrix, parametrised by its free columns (reduced row echelon form).
// The floating-point proposers use it to turn an approximate vector into an exact one: fix the free
// coordinates to the proposal's (exact dyadic) values, solve for the pivot coordinates exactly.
#pragma once

#include "arrangement/number.hpp"

#include <cstddef>
#include <vector>

namespace chamber {

class RationalKernel {
 public:
  /*! the kernel of `matrix` (rows of equal length `columns`). */
  RationalKernel(std::vector<RationalVector> matrix, std::size_t columns);

  /*! the columns whose values parametrise the kernel, increasing. */
  const std::vector<std::size_t>& free_columns() const { return free_; }
  std::size_t dimension() const { return free_.size(); }

  /*! returns the kernel vector with value free_values[t] at free column t (exact). */
  RationalVector vector_from(const RationalVector& free_values) const;

 private:
  std::vector<RationalVector> reduced_;  // nonzero rows of the reduced row echelon form
  std::vector<std::size_t> pivots_;      // pivot column of each reduced row
  std::vector<std::size_t> free_;
  std::size_t columns_;
};

}  // namespace chamber

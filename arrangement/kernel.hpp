// The kernel of an integer matrix, parametrised by its free columns (a reduced row echelon form kept in integers:
// an EchelonBasis in reduced form, echelon.hpp).
// The floating-point proposers use it to turn an approximate vector into an exact one: fix the free
// coordinates to the proposal's (exact dyadic) values, solve for the pivot coordinates exactly.
#pragma once

#include "arrangement/echelon.hpp"
#include "arrangement/number.hpp"

#include <cstddef>
#include <vector>

namespace chamber {

class RationalKernel {
 public:
  /*! the kernel of `matrix` (rows of equal length `columns`). */
  RationalKernel(std::vector<IntegerVector> matrix, std::size_t columns);

  /*! the columns whose values parametrise the kernel, increasing. */
  const std::vector<std::size_t>& free_columns() const { return free_; }
  std::size_t dimension() const { return free_.size(); }

  /*! returns the kernel vector with value free_values[t] at free column t (exact). */
  RationalVector vector_from(const RationalVector& free_values) const;

 private:
  EchelonBasis reduced_;  // the row space; each row zero in every other row's pivot column
  std::vector<std::size_t> free_;
};

}  // namespace chamber

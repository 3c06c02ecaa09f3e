// Exact fraction-free elimination on integer rows: the one module where rows are reduced against each other.
//
// Two levels. The primitives of row_arithmetic.hpp (internal to the arrangement library) eliminate one column of a
// row with another row and normalise a row, on std::int64_t with overflow checks and on Integer; the lattice and
// the sweep call them directly on their flat row storage (their hot paths). Everything else uses this header:
//   - EchelonBasis, an incremental echelon basis of Integer rows built on those primitives (the degeneracy report,
//     the lattice's rank and centrality, RationalKernel in kernel.hpp, Prop. 2's subset searches);
//   - sparse_kernel_vector, the same elimination on sparse rows, for large sparse systems (Prop. 2's polynomial
//     dependencies).
// Elimination is fraction-free: row ← (e_p/g)·row − (row_p/g)·e with g = gcd(e_p, row_p), which is zero at column
// p; the rows of a basis are kept primitive (divided by the gcd of their entries) with a positive pivot.
//
// Every answer these give is a function of the row space alone, not of the order of the operations: the rank, which
// rows are dependent, whether a dependent row (b, a) is consistent, the pivot columns (the first nonzero columns of
// the row space's vectors) and the kernel vector with given free values. So callers may switch between them freely.
#pragma once

#include "arrangement/number.hpp"

#include <cstddef>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace chamber {

/*! an echelon basis of integer rows of one width, grown a row at a time. A row's pivot is its first nonzero column
 * inside the pivot range [pivot_begin, pivot_end); the columns outside it (e.g. the constant b of a row (b, a) or
 * (a, b)) never hold a pivot, so a row reduced to zero in the range but not outside is an inconsistent equation.
 * Every row is zero in the pivot columns of the rows before it (echelon form), or of all the other rows (reduced
 * form). */
class EchelonBasis {
 public:
  /*! the pivot of a row that is zero in the whole pivot range. */
  static constexpr std::size_t no_pivot = std::numeric_limits<std::size_t>::max();

  enum class Form {
    echelon,  // each row zero in the earlier rows' pivot columns; pop() allowed
    reduced,  // each row zero in every other row's pivot column (a reduced row echelon form in integers)
  };

  /*! an empty basis of rows of `width` entries whose pivots lie in columns [pivot_begin, pivot_end) ⊆ [0, width).
   * \throws std::invalid_argument if the range is not inside [0, width). */
  EchelonBasis(std::size_t width, std::size_t pivot_begin, std::size_t pivot_end, Form form = Form::echelon);

  /*! reduces `row` (of the basis's width) in place: afterwards it is zero in every pivot column of the basis, and
   * with the basis it spans the same space as before. It is not divided by its content. Returns its pivot, or
   * no_pivot when it is zero in the whole pivot range (dependent on the basis there).
   * \throws std::invalid_argument if `row` is not of the basis's width. */
  std::size_t reduce(IntegerVector& row) const;

  /*! adds `row`, a result of reduce() against this basis with pivot `pivot` (not no_pivot), divided by its content
   * and its pivot made positive. In the reduced form, also eliminates column `pivot` from the other rows (each then
   * made primitive again). \throws std::invalid_argument if `row` is not of the basis's width or `pivot` is not a
   * column of the pivot range where `row` is nonzero. */
  void push(IntegerVector row, std::size_t pivot);

  /*! reduces `row` and pushes it when it has a pivot; returns the pivot, or no_pivot (the basis unchanged). */
  std::size_t insert(IntegerVector row);

  /*! removes the row pushed last. Echelon form only (the reduced form has changed the other rows).
   * \throws std::logic_error on a basis in reduced form or an empty one. */
  void pop();

  /*! the number of rows, the rank of everything pushed. */
  std::size_t rank() const { return rows_.size(); }
  std::size_t width() const { return width_; }
  /*! the k-th row pushed (primitive, positive pivot) and its pivot column. */
  const IntegerVector& row(std::size_t k) const { return rows_[k]; }
  std::size_t pivot(std::size_t k) const { return pivots_[k]; }
  /*! the pivot columns, in the order of the rows. */
  const std::vector<std::size_t>& pivots() const { return pivots_; }

  /*! returns an estimate of the entry operations of the next reduce(), (rank + 1) · width, for work budgets. */
  std::size_t reduce_cost() const { return (rows_.size() + 1) * width_; }

 private:
  /*! throws std::invalid_argument unless `row` has `width_` entries. */
  void check_width(const IntegerVector& row) const;

  std::size_t width_, pivot_begin_, pivot_end_;
  Form form_;
  std::vector<IntegerVector> rows_;
  std::vector<std::size_t> pivots_;
};

/*! a sparse integer row: (column, value) pairs by increasing column, no value zero. */
using SparseIntegerRow = std::vector<std::pair<std::size_t, Integer>>;

/*! returns a nonzero kernel vector (integer, primitive) of the matrix with the sparse `rows` over `columns` columns,
 * or nothing when its columns are independent. Fraction-free sparse elimination (every row primitive, each row
 * reduced at its leading column until that column holds no pivot), then back substitution over Q with the last free
 * column set to 1 and the other free columns to 0: in practice the solution on the fewest pivot columns.
 * \throws std::invalid_argument if a row is not sorted, holds a zero or a column ≥ `columns`. */
std::optional<IntegerVector> sparse_kernel_vector(std::vector<SparseIntegerRow> rows, std::size_t columns);

}  // namespace chamber

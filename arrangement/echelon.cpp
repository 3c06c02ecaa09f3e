// Exact fraction-free elimination: EchelonBasis on the row_arithmetic.hpp primitives, and sparse kernel vectors.
#include "arrangement/echelon.hpp"

#include "arrangement/row_arithmetic.hpp"

#include <stdexcept>
#include <string>

namespace chamber {

static_assert(EchelonBasis::no_pivot == detail::no_pivot);

namespace {

/*! divides `row` by the gcd of its entries and makes its entry at `pivot` (nonzero) positive. */
void make_primitive_positive(IntegerVector& row, std::size_t pivot) {
  make_primitive(row);
  if (sgn(row[pivot]) < 0)
    for (Integer& v : row) mpz_neg(v.get_mpz_t(), v.get_mpz_t());
}

}  // namespace

EchelonBasis::EchelonBasis(std::size_t width, std::size_t pivot_begin, std::size_t pivot_end, Form form)
    : width_(width), pivot_begin_(pivot_begin), pivot_end_(pivot_end), form_(form) {
  if (pivot_begin > pivot_end || pivot_end > width)
    throw std::invalid_argument("EchelonBasis: pivot range [" + std::to_string(pivot_begin) + ", " +
                                std::to_string(pivot_end) + ") is not inside the " + std::to_string(width) +
                                " columns");
}

// In echelon form row k is zero at the pivots of rows 0..k−1, so eliminating in the order of the rows never brings
// back an entry at an earlier pivot; in reduced form any order would do.
std::size_t EchelonBasis::reduce(IntegerVector& row) const {
  check_width(row);
  detail::IntegerFactors factors;
  for (std::size_t k = 0; k < rows_.size(); ++k) {
    const std::size_t p = pivots_[k];
    if (sgn(row[p]) != 0) detail::eliminate(row.data(), rows_[k].data(), p, width_, factors);
  }
  for (std::size_t c = pivot_begin_; c < pivot_end_; ++c)
    if (sgn(row[c]) != 0) return c;
  return no_pivot;
}

// In reduced form the other rows are cleared at the new pivot, each by one elimination with the new row.
void EchelonBasis::push(IntegerVector row, std::size_t pivot) {
  check_width(row);
  if (pivot < pivot_begin_ || pivot >= pivot_end_ || sgn(row[pivot]) == 0)
    throw std::invalid_argument("EchelonBasis::push: column " + std::to_string(pivot) + " is not a pivot of the row");
  make_primitive_positive(row, pivot);
  if (form_ == Form::reduced) {
    // The new row is zero at every other pivot, so clearing its pivot column from a row keeps that row zero there.
    // The factor applied to the row is new_pivot / g > 0: its pivot stays positive.
    detail::IntegerFactors factors;
    for (IntegerVector& other : rows_) {
      if (sgn(other[pivot]) == 0) continue;
      detail::eliminate(other.data(), row.data(), pivot, width_, factors);
      make_primitive(other);
    }
  }
  rows_.push_back(std::move(row));
  pivots_.push_back(pivot);
}

std::size_t EchelonBasis::insert(IntegerVector row) {
  const std::size_t pivot = reduce(row);
  if (pivot != no_pivot) push(std::move(row), pivot);
  return pivot;
}

void EchelonBasis::check_width(const IntegerVector& row) const {
  if (row.size() != width_)
    throw std::invalid_argument("EchelonBasis: a row of " + std::to_string(row.size()) + " entries in a basis of width " +
                                std::to_string(width_));
}

void EchelonBasis::pop() {
  if (form_ != Form::echelon) throw std::logic_error("EchelonBasis::pop on a basis in reduced form");
  if (rows_.empty()) throw std::logic_error("EchelonBasis::pop on an empty basis");
  rows_.pop_back();
  pivots_.pop_back();
}

namespace {

/*! returns a·u − b·v (sparse, zeros dropped). */
SparseIntegerRow combine(const Integer& a, const SparseIntegerRow& u, const Integer& b, const SparseIntegerRow& v) {
  SparseIntegerRow out;
  out.reserve(u.size() + v.size());
  std::size_t i = 0, k = 0;
  while (i < u.size() || k < v.size()) {
    Integer value;
    std::size_t column;
    if (k == v.size() || (i < u.size() && u[i].first < v[k].first)) {
      column = u[i].first;
      value = a * u[i++].second;
    } else if (i == u.size() || v[k].first < u[i].first) {
      column = v[k].first;
      value = -(b * v[k++].second);
    } else {
      column = u[i].first;
      value = a * u[i++].second;
      value -= b * v[k++].second;
    }
    if (sgn(value) != 0) out.emplace_back(column, std::move(value));
  }
  return out;
}

/*! divides the values of `row` by their gcd. */
void make_sparse_primitive(SparseIntegerRow& row) {
  Integer g = 0;
  for (const auto& entry : row) {
    mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), entry.second.get_mpz_t());
    if (g == 1) return;
  }
  if (g == 0) return;
  for (auto& entry : row) mpz_divexact(entry.second.get_mpz_t(), entry.second.get_mpz_t(), g.get_mpz_t());
}

/*! checks that `row` is sorted by column, has no zero value and no column ≥ `columns`. */
void check_sparse_row(const SparseIntegerRow& row, std::size_t columns) {
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (row[k].first >= columns || sgn(row[k].second) == 0 || (k > 0 && row[k - 1].first >= row[k].first))
      throw std::invalid_argument("sparse_kernel_vector: the entry at column " + std::to_string(row[k].first) +
                                  " of a row is out of order, zero or beyond the " + std::to_string(columns) +
                                  " columns");
  }
}

}  // namespace

// Each row is reduced at its leading column by that column's pivot row until its lead holds no pivot; it then becomes
// that column's pivot row. Rows are kept primitive, so entries grow only by what the system forces.
std::optional<IntegerVector> sparse_kernel_vector(std::vector<SparseIntegerRow> rows, std::size_t columns) {
  std::vector<SparseIntegerRow> pivot_rows;
  std::vector<std::size_t> pivot_of(columns, EchelonBasis::no_pivot);  // the pivot row of each column
  for (SparseIntegerRow& row : rows) {
    check_sparse_row(row, columns);
    while (!row.empty()) {
      const std::size_t lead = row.front().first;
      if (pivot_of[lead] == EchelonBasis::no_pivot) {
        make_sparse_primitive(row);
        pivot_of[lead] = pivot_rows.size();
        pivot_rows.push_back(std::move(row));
        break;
      }
      const SparseIntegerRow& pivot = pivot_rows[pivot_of[lead]];
      Integer g;
      mpz_gcd(g.get_mpz_t(), pivot.front().second.get_mpz_t(), row.front().second.get_mpz_t());
      const Integer a = pivot.front().second / g;
      const Integer b = row.front().second / g;
      row = combine(a, row, b, pivot);
      make_sparse_primitive(row);
    }
  }
  if (pivot_rows.size() == columns) return std::nullopt;
  // The last free column gives the solution supported on the fewest pivot columns in practice. A pivot row's other
  // entries lie right of its lead, so solving from the last column down meets only values already set.
  std::size_t free_column = columns;
  while (pivot_of[--free_column] != EchelonBasis::no_pivot) {
  }
  RationalVector x(columns);
  x[free_column] = 1;
  for (std::size_t c = columns; c-- > 0;) {
    if (pivot_of[c] == EchelonBasis::no_pivot) continue;
    const SparseIntegerRow& row = pivot_rows[pivot_of[c]];
    Rational sum = 0;
    for (std::size_t k = 1; k < row.size(); ++k)
      if (sgn(x[row[k].first]) != 0) sum += Rational(row[k].second) * x[row[k].first];
    x[c] = -sum / Rational(row.front().second);
  }
  const Integer denominator = common_denominator(x);
  IntegerVector result(columns);
  for (std::size_t c = 0; c < columns; ++c) result[c] = x[c].get_num() * (denominator / x[c].get_den());
  make_primitive(result);
  return result;
}

}  // namespace chamber

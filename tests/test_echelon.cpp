// The exact elimination module (arrangement/echelon.hpp) and RationalKernel on it: hand examples, and random integer
// matrices against an independent textbook Gauss-Jordan elimination over Q written here.
#include "arrangement/echelon.hpp"
#include "arrangement/kernel.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

using namespace chamber;

namespace {

using Matrix = std::vector<IntegerVector>;
using Columns = std::vector<std::size_t>;

/*! the reduced row echelon form over Q of a matrix, by the textbook column-by-column Gauss-Jordan elimination:
 * the nonzero rows (pivot entries 1) and their pivot columns, increasing. */
struct RationalRref {
  std::vector<RationalVector> rows;
  Columns pivots;
};

/*! returns the reduced row echelon form of the columns [begin, end) of `m`'s rows; the other columns are carried
 * along (they never hold a pivot). */
RationalRref rational_rref(const Matrix& m, std::size_t width, std::size_t begin, std::size_t end) {
  std::vector<RationalVector> a;
  for (const IntegerVector& row : m) a.emplace_back(row.begin(), row.end());
  RationalRref out;
  std::size_t r = 0;
  for (std::size_t col = begin; col < end && r < a.size(); ++col) {
    std::size_t pick = r;
    while (pick < a.size() && a[pick][col] == 0) ++pick;
    if (pick == a.size()) continue;
    std::swap(a[pick], a[r]);
    const Rational lead = a[r][col];
    for (Rational& v : a[r]) v /= lead;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i == r || a[i][col] == 0) continue;
      const Rational factor = a[i][col];
      for (std::size_t c = 0; c < width; ++c) a[i][c] -= factor * a[r][c];
    }
    out.pivots.push_back(col);
    ++r;
  }
  a.resize(r);
  out.rows = std::move(a);
  return out;
}

/*! returns the rank over Q of the columns [begin, end) of `m`. */
std::size_t rational_rank(const Matrix& m, std::size_t width, std::size_t begin, std::size_t end) {
  return rational_rref(m, width, begin, end).pivots.size();
}

/*! returns M·v. */
RationalVector times(const Matrix& m, const RationalVector& v) {
  RationalVector out;
  for (const IntegerVector& row : m) {
    Rational sum = 0;
    for (std::size_t c = 0; c < row.size(); ++c) sum += row[c] * v[c];
    out.push_back(sum);
  }
  return out;
}

bool all_zero(const RationalVector& v) {
  return std::all_of(v.begin(), v.end(), [](const Rational& x) { return x == 0; });
}

/*! returns the gcd of the entries of `row`. */
Integer content(const IntegerVector& row) {
  Integer g = 0;
  for (const Integer& v : row) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
  return g;
}

/*! checks the invariants of a basis: primitive rows, positive pivots, each the first nonzero of its row in the pivot
 * range, and each row zero at the pivots of the earlier rows (echelon) or of all the others (reduced). */
void check_invariants(const EchelonBasis& basis, std::size_t begin, bool reduced) {
  for (std::size_t k = 0; k < basis.rank(); ++k) {
    const IntegerVector& row = basis.row(k);
    const std::size_t p = basis.pivot(k);
    CHECK(content(row) == 1);
    CHECK(sgn(row[p]) > 0);
    for (std::size_t c = begin; c < p; ++c) CHECK(sgn(row[c]) == 0);
    for (std::size_t j = 0; j < basis.rank(); ++j)
      if (j < k || (reduced && j != k)) CHECK(sgn(row[basis.pivot(j)]) == 0);
  }
}

/*! returns the pivots sorted. */
Columns sorted(Columns pivots) {
  std::sort(pivots.begin(), pivots.end());
  return pivots;
}

/*! a random rows × width integer matrix of rank at most `rank_bound` (rows beyond it are random combinations), with
 * small entries, a few zeros, and optionally entries beyond 64 bits. */
Matrix random_matrix(std::mt19937_64& rng, std::size_t rows, std::size_t width, std::size_t rank_bound, bool big) {
  std::uniform_int_distribution<int> entry(-3, 3), pick(0, 3);
  Matrix m;
  for (std::size_t i = 0; i < rows; ++i) {
    IntegerVector row(width);
    if (i < rank_bound) {
      for (Integer& v : row) v = pick(rng) == 0 ? 0 : entry(rng);
      if (big) row[i % width] *= Integer("123456789012345678901234567");
    } else {
      for (std::size_t k = 0; k < rank_bound; ++k) {
        const int factor = entry(rng);
        for (std::size_t c = 0; c < width; ++c) row[c] += factor * m[k][c];
      }
    }
    m.push_back(std::move(row));
  }
  std::shuffle(m.begin(), m.end(), rng);
  return m;
}

/*! returns the kernel vector sparse_kernel_vector promises, from the rational RREF: 1 at the last free column, 0 at
 * the other free columns, scaled to a primitive integer vector by a positive factor. */
std::optional<IntegerVector> expected_kernel_vector(const Matrix& m, std::size_t columns) {
  const RationalRref rref = rational_rref(m, columns, 0, columns);
  if (rref.pivots.size() == columns) return std::nullopt;
  std::set<std::size_t> pivots(rref.pivots.begin(), rref.pivots.end());
  std::size_t last_free = columns;
  while (pivots.count(--last_free)) {
  }
  RationalVector x(columns, Rational(0));
  x[last_free] = 1;
  for (std::size_t k = 0; k < rref.rows.size(); ++k) x[rref.pivots[k]] = -rref.rows[k][last_free];
  IntegerVector v = to_integers(x);
  make_primitive(v);
  return v;
}

/*! returns the rows of `m` as sparse rows. */
std::vector<SparseIntegerRow> sparse(const Matrix& m) {
  std::vector<SparseIntegerRow> rows;
  for (const IntegerVector& row : m) {
    SparseIntegerRow s;
    for (std::size_t c = 0; c < row.size(); ++c)
      if (sgn(row[c]) != 0) s.emplace_back(c, row[c]);
    rows.push_back(std::move(s));
  }
  return rows;
}

IntegerVector ints(std::initializer_list<long> values) {
  IntegerVector v;
  for (long x : values) v.emplace_back(x);
  return v;
}

}  // namespace

TEST_CASE("EchelonBasis: rank, pivots and dependent rows of a hand example", "[echelon]") {
  EchelonBasis basis(4, 0, 4);
  CHECK(basis.insert(ints({-2, -4, -6, 0})) == 0);
  CHECK(basis.row(0) == ints({1, 2, 3, 0}));  // primitive, positive pivot
  CHECK(basis.insert(ints({3, 6, 9, 0})) == EchelonBasis::no_pivot);  // a multiple
  CHECK(basis.rank() == 1);
  CHECK(basis.insert(ints({1, 2, 4, 5})) == 2);  // column 1 cancels with column 0
  CHECK(basis.row(1) == ints({0, 0, 1, 5}));
  CHECK(basis.insert(ints({2, 4, 7, 5})) == EchelonBasis::no_pivot);  // 2·row 0 + row 1
  IntegerVector row = ints({0, 7, 0, 0});
  CHECK(basis.reduce(row) == 1);
  CHECK(row == ints({0, 7, 0, 0}));  // not divided by its content
  basis.push(row, 1);
  CHECK(basis.row(2) == ints({0, 1, 0, 0}));
  CHECK(basis.rank() == 3);
  CHECK(basis.pivots() == Columns{0, 2, 1});
  CHECK(basis.reduce_cost() == 16);
  check_invariants(basis, 0, false);
  basis.pop();
  CHECK(basis.rank() == 2);
  CHECK(basis.pivots() == Columns{0, 2});
}

TEST_CASE("EchelonBasis: a dependent row reduced to a nonzero constant is an inconsistent equation", "[echelon]") {
  SECTION("rows (b, a), pivots in columns 1..n: x = 1, y = 1, then x + y = 2 through (1, 1), x + y = 3 not") {
    EchelonBasis basis(3, 1, 3);
    CHECK(basis.insert(ints({-1, 1, 0})) == 1);  // x = 1
    CHECK(basis.insert(ints({-1, 0, 1})) == 2);  // y = 1
    IntegerVector through = ints({-2, 1, 1});    // x + y = 2: through (1, 1)
    CHECK(basis.reduce(through) == EchelonBasis::no_pivot);
    CHECK(sgn(through[0]) == 0);
    IntegerVector missing = ints({-3, 1, 1});  // x + y = 3: misses (1, 1)
    CHECK(basis.reduce(missing) == EchelonBasis::no_pivot);
    CHECK(sgn(missing[0]) != 0);
    CHECK(basis.insert(ints({5, 0, 0})) == EchelonBasis::no_pivot);  // 5 = 0: no pivot outside the normal part
    CHECK(basis.rank() == 2);
  }
  SECTION("rows (a, b), pivots in columns 0..n−1: parallel planes in Q^3") {
    EchelonBasis basis(4, 0, 3);
    CHECK(basis.insert(ints({1, 2, 3, 4})) == 0);
    IntegerVector parallel = ints({2, 4, 6, 7});
    CHECK(basis.reduce(parallel) == EchelonBasis::no_pivot);
    CHECK(sgn(parallel[3]) != 0);
    IntegerVector same = ints({-3, -6, -9, -12});
    CHECK(basis.reduce(same) == EchelonBasis::no_pivot);
    CHECK(sgn(same[3]) == 0);
  }
}

TEST_CASE("EchelonBasis: the reduced form of a hand example", "[echelon]") {
  // RREF over Q of these rows: (1, 0, -1, 2), (0, 1, 2, -1).
  EchelonBasis basis(4, 0, 4, EchelonBasis::Form::reduced);
  CHECK(basis.insert(ints({1, 2, 3, 0})) == 0);
  CHECK(basis.insert(ints({4, 5, 6, 3})) == 1);
  CHECK(basis.insert(ints({7, 8, 9, 6})) == EchelonBasis::no_pivot);
  CHECK(basis.row(0) == ints({1, 0, -1, 2}));
  CHECK(basis.row(1) == ints({0, 1, 2, -1}));
  check_invariants(basis, 0, true);
  CHECK_THROWS_AS(basis.pop(), std::logic_error);
}

TEST_CASE("EchelonBasis: bad pivot ranges, rows and pops are refused", "[echelon]") {
  CHECK_THROWS_AS(EchelonBasis(3, 2, 1), std::invalid_argument);
  CHECK_THROWS_AS(EchelonBasis(3, 0, 4), std::invalid_argument);
  EchelonBasis empty(3, 0, 3);
  CHECK_THROWS_AS(empty.pop(), std::logic_error);
  IntegerVector short_row = ints({1, 2});
  CHECK_THROWS_AS(empty.reduce(short_row), std::invalid_argument);
  CHECK_THROWS_AS(empty.push(ints({0, 1, 2}), 0), std::invalid_argument);  // zero at the claimed pivot
  CHECK_THROWS_AS(empty.insert(ints({1, 2, 3, 4})), std::invalid_argument);
  EchelonBasis none(2, 1, 1);  // an empty pivot range: every row is dependent
  CHECK(none.insert(ints({1, 1})) == EchelonBasis::no_pivot);
}

TEST_CASE("RationalKernel and sparse_kernel_vector on hand examples", "[echelon]") {
  // x0 + x1 + x2 = 0, x1 − x3 = 0: free columns 2 and 3.
  const Matrix m{ints({1, 1, 1, 0}), ints({0, 1, 0, -1})};
  const RationalKernel kernel(m, 4);
  CHECK(kernel.free_columns() == Columns{2, 3});
  const RationalVector v = kernel.vector_from({Rational(1, 2), Rational(3)});
  CHECK(v == RationalVector{Rational(-7, 2), Rational(3), Rational(1, 2), Rational(3)});
  CHECK(all_zero(times(m, v)));
  // The last free column set to 1: (−1, 1, 0, 1).
  CHECK(sparse_kernel_vector(sparse(m), 4) == std::optional<IntegerVector>(ints({-1, 1, 0, 1})));
  // Independent columns: no kernel vector, kernel dimension 0.
  const Matrix square{ints({2, 1}), ints({1, 1})};
  CHECK(RationalKernel(square, 2).dimension() == 0);
  CHECK(!sparse_kernel_vector(sparse(square), 2));
  // No rows at all: every column is free.
  CHECK(RationalKernel({}, 3).free_columns() == Columns{0, 1, 2});
  CHECK(sparse_kernel_vector({}, 3) == std::optional<IntegerVector>(ints({0, 0, 1})));
  // Fractions in back substitution: 2x0 + 3x1 = 0 → (−3, 2).
  CHECK(sparse_kernel_vector({{{0, Integer(2)}, {1, Integer(3)}}}, 2) == std::optional<IntegerVector>(ints({-3, 2})));
  CHECK_THROWS_AS(sparse_kernel_vector({{{1, Integer(1)}, {0, Integer(1)}}}, 2), std::invalid_argument);
  CHECK_THROWS_AS(sparse_kernel_vector({{{0, Integer(0)}}}, 2), std::invalid_argument);
  CHECK_THROWS_AS(sparse_kernel_vector({{{2, Integer(1)}}}, 2), std::invalid_argument);
}

TEST_CASE("random integer matrices: the module agrees with rational Gauss-Jordan elimination", "[echelon]") {
  std::mt19937_64 rng(20240611);
  std::uniform_int_distribution<std::size_t> size(1, 7);
  std::size_t rank_deficient = 0, inconsistent = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const std::size_t rows = size(rng), width = size(rng) + 1;
    const std::size_t rank_bound = std::uniform_int_distribution<std::size_t>(0, std::min(rows, width))(rng);
    const bool big = trial % 5 == 0;
    const Matrix m = random_matrix(rng, rows, width, rank_bound, big);
    INFO("trial " << trial << ": " << rows << " x " << width << ", rank ≤ " << rank_bound);
    const RationalRref rref = rational_rref(m, width, 0, width);
    if (rref.pivots.size() < rows) ++rank_deficient;

    // Echelon form, all columns: rank, pivots, which prefixes raise the rank.
    EchelonBasis echelon(width, 0, width);
    for (std::size_t i = 0; i < rows; ++i) {
      const Matrix prefix(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(i + 1));
      const bool raises = rational_rank(prefix, width, 0, width) > echelon.rank();
      CHECK((echelon.insert(m[i]) != EchelonBasis::no_pivot) == raises);
    }
    CHECK(echelon.rank() == rref.pivots.size());
    CHECK(sorted(echelon.pivots()) == rref.pivots);
    check_invariants(echelon, 0, false);
    // pop() gives back the basis of the shorter prefix: popping and re-inserting the last row changes nothing.
    if (echelon.rank() > 0) {
      const IntegerVector last = echelon.row(echelon.rank() - 1);
      const std::size_t last_pivot = echelon.pivot(echelon.rank() - 1);
      echelon.pop();
      IntegerVector again = last;
      CHECK(echelon.reduce(again) == last_pivot);
      echelon.push(again, last_pivot);
      CHECK(echelon.row(echelon.rank() - 1) == last);
    }

    // Reduced form: each row is its RREF row scaled by its pivot entry.
    EchelonBasis reduced(width, 0, width, EchelonBasis::Form::reduced);
    for (const IntegerVector& row : m) reduced.insert(row);
    check_invariants(reduced, 0, true);
    REQUIRE(reduced.rank() == rref.pivots.size());
    for (std::size_t k = 0; k < reduced.rank(); ++k) {
      const std::size_t at = static_cast<std::size_t>(
          std::find(rref.pivots.begin(), rref.pivots.end(), reduced.pivot(k)) - rref.pivots.begin());
      REQUIRE(at < rref.pivots.size());
      for (std::size_t c = 0; c < width; ++c)
        CHECK(Rational(reduced.row(k)[c]) / Rational(reduced.row(k)[reduced.pivot(k)]) == rref.rows[at][c]);
    }

    // Rows (b, a): pivots in columns 1.., dependent rows with b ≠ 0 iff rank [A|b] > rank [A].
    EchelonBasis equations(width, 1, width);
    bool consistent = true;
    for (const IntegerVector& row : m) {
      IntegerVector reduced_row = row;
      const std::size_t pivot = equations.reduce(reduced_row);
      if (pivot != EchelonBasis::no_pivot) equations.push(reduced_row, pivot);
      else if (sgn(reduced_row[0]) != 0) consistent = false;
    }
    CHECK(equations.rank() == rational_rank(m, width, 1, width));
    CHECK(consistent == (rational_rank(m, width, 0, width) == rational_rank(m, width, 1, width)));
    if (!consistent) ++inconsistent;
    check_invariants(equations, 1, false);

    // RationalKernel: free columns outside the pivots, vectors in the kernel with the given free values.
    const RationalKernel kernel(m, width);
    Columns expected_free;
    for (std::size_t c = 0; c < width; ++c)
      if (std::find(rref.pivots.begin(), rref.pivots.end(), c) == rref.pivots.end()) expected_free.push_back(c);
    CHECK(kernel.free_columns() == expected_free);
    RationalVector free_values;
    for (std::size_t t = 0; t < kernel.dimension(); ++t)
      free_values.push_back(Rational(std::uniform_int_distribution<int>(-5, 5)(rng)) / static_cast<long>(t + 1));
    const RationalVector v = kernel.vector_from(free_values);
    CHECK(all_zero(times(m, v)));
    for (std::size_t t = 0; t < kernel.dimension(); ++t) CHECK(v[kernel.free_columns()[t]] == free_values[t]);

    // sparse_kernel_vector: in the kernel, and exactly the vector it promises.
    const std::optional<IntegerVector> x = sparse_kernel_vector(sparse(m), width);
    CHECK(x == expected_kernel_vector(m, width));
    if (x) CHECK(all_zero(times(m, RationalVector(x->begin(), x->end()))));
  }
  CHECK(rank_deficient > 50);  // the generator exercises dependent rows,
  CHECK(inconsistent > 20);    // and inconsistent equations
}

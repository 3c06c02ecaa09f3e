// Row arithmetic shared by the lattice code, on two number types: std::int64_t with overflow checks
// (the fast path) and Integer. Internal to the arrangement library.
//
// Rows are (b, a1, ..., an) as in hyperplane.hpp; a pivot is the first nonzero column of the normal
// part (columns 1..n), never column 0.
#pragma once

#include "arrangement/number.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>

namespace chamber::detail {

/*! signals that the machine-integer path left its range; the computation restarts on Integer. */
struct MachineOverflow {};

constexpr std::int64_t machine_limit = std::int64_t{1} << 62;
/*! the pivot of a row whose normal part is zero. */
constexpr std::size_t no_pivot = std::numeric_limits<std::size_t>::max();

/*! mixes `v` into the hash `h`. */
inline std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

/*! returns `v`, or throws MachineOverflow when |v| > 2^62 (so that negations and sums of two stay in range). */
inline std::int64_t checked(std::int64_t v) {
  if (v > machine_limit || v < -machine_limit) throw MachineOverflow{};
  return v;
}

/*! returns whether `v` is 0. */
inline bool is_zero(std::int64_t v) { return v == 0; }
inline bool is_zero(const Integer& v) { return sgn(v) == 0; }

/*! sets `target` to `value`; throws MachineOverflow when it does not fit the machine range. */
inline void assign(std::int64_t& target, const Integer& value) {
  if (!value.fits_slong_p()) throw MachineOverflow{};
  target = checked(value.get_si());
}
inline void assign(Integer& target, const Integer& value) { target = value; }

__extension__ typedef __int128 Wide;  // holds a product of two machine values exactly

/*! returns gcd(|a|, |b|). */
inline Wide wide_gcd(Wide a, Wide b) {
  __extension__ typedef unsigned __int128 UnsignedWide;
  UnsignedWide u = a < 0 ? -static_cast<UnsignedWide>(a) : static_cast<UnsignedWide>(a);
  UnsignedWide v = b < 0 ? -static_cast<UnsignedWide>(b) : static_cast<UnsignedWide>(b);
  while (v != 0) {
    UnsignedWide t = u % v;
    u = v;
    v = t;
  }
  return static_cast<Wide>(u);
}

/*! replaces `row` by (e[p]·row − row[p]·e) / gcd(e[p], row[p]), which is zero at column p; divides
 * by the content when an entry leaves the machine range (`wide` is scratch of `width` entries). */
inline void eliminate(std::int64_t* row, const std::int64_t* e, std::size_t p, std::size_t width, Wide* wide) {
  Wide row_factor = e[p], e_factor = row[p];
  if (e[p] != 1 && e[p] != -1) {  // pivots ±1 are common with 0/1 rows: skip the divisions
    std::int64_t g = std::gcd(row[p], e[p]);
    row_factor = e[p] / g;
    e_factor = row[p] / g;
  }
  bool in_range = true;
  for (std::size_t c = 0; c < width; ++c) {
    // |entries| ≤ 2^62, so the difference stays below 2^125 in magnitude.
    wide[c] = row_factor * row[c] - e_factor * e[c];
    in_range = in_range && wide[c] <= machine_limit && wide[c] >= -machine_limit;
  }
  if (in_range) {
    for (std::size_t c = 0; c < width; ++c) row[c] = static_cast<std::int64_t>(wide[c]);
    return;
  }
  // The primitive form of a partly reduced row is bounded by minors of the input (Cramer), so
  // dividing by the content usually brings it back in range.
  Wide content = 0;
  for (std::size_t c = 0; c < width; ++c) content = wide_gcd(content, wide[c]);
  for (std::size_t c = 0; c < width; ++c) {
    Wide value = wide[c] / content;
    if (value > machine_limit || value < -machine_limit) throw MachineOverflow{};
    row[c] = static_cast<std::int64_t>(value);
  }
}

/*! the gcd and the two factors of an Integer elimination, kept by a caller between eliminations (their limbs are
 * allocated once, not once per elimination). */
struct IntegerFactors {
  Integer g, row_factor, e_factor;
};

/*! replaces `row` by (e[p]·row − row[p]·e) / gcd(e[p], row[p]), which is zero at column p; `f` is scratch. Zero
 * entries and a factor 1 cost no multiplication (rows of conv layers are mostly zeros). */
inline void eliminate(Integer* row, const Integer* e, std::size_t p, std::size_t width, IntegerFactors& f) {
  mpz_gcd(f.g.get_mpz_t(), row[p].get_mpz_t(), e[p].get_mpz_t());
  mpz_divexact(f.row_factor.get_mpz_t(), e[p].get_mpz_t(), f.g.get_mpz_t());
  mpz_divexact(f.e_factor.get_mpz_t(), row[p].get_mpz_t(), f.g.get_mpz_t());
  const bool scale = f.row_factor != 1;
  for (std::size_t c = 0; c < width; ++c) {
    if (scale && sgn(row[c]) != 0) mpz_mul(row[c].get_mpz_t(), row[c].get_mpz_t(), f.row_factor.get_mpz_t());
    if (sgn(e[c]) != 0) mpz_submul(row[c].get_mpz_t(), f.e_factor.get_mpz_t(), e[c].get_mpz_t());
  }
}

/*! the same with scratch of its own (the signature of the machine-integer eliminate, for code on both types). */
inline void eliminate(Integer* row, const Integer* e, std::size_t p, std::size_t width, Wide* /*unused*/) {
  IntegerFactors f;
  eliminate(row, e, p, width, f);
}

/*! divides `row` by the gcd of its entries and makes its pivot (first nonzero of columns 1..) positive.
 * Returns the pivot column, or `no_pivot` (leaving the row as is) when the normal part is zero. */
inline std::size_t normalize(std::int64_t* row, std::size_t width) {
  std::size_t pivot = no_pivot;
  std::int64_t g = 0;
  for (std::size_t c = 0; c < width; ++c) {
    if (row[c] == 0) continue;
    if (pivot == no_pivot && c > 0) pivot = c;
    g = std::gcd(g, row[c]);
  }
  if (pivot == no_pivot) return no_pivot;
  if (row[pivot] < 0) g = -g;
  if (g != 1)
    for (std::size_t c = 0; c < width; ++c) row[c] /= g;
  return pivot;
}

inline std::size_t normalize(Integer* row, std::size_t width) {
  std::size_t pivot = no_pivot;
  Integer g = 0;
  for (std::size_t c = 0; c < width; ++c) {
    if (sgn(row[c]) == 0) continue;
    if (pivot == no_pivot && c > 0) pivot = c;
    mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), row[c].get_mpz_t());
  }
  if (pivot == no_pivot) return no_pivot;
  if (sgn(row[pivot]) < 0) g = -g;
  if (g != 1)
    for (std::size_t c = 0; c < width; ++c) mpz_divexact(row[c].get_mpz_t(), row[c].get_mpz_t(), g.get_mpz_t());
  return pivot;
}

/*! returns a hash of the row; equal rows hash equally. */
inline std::uint64_t hash_row(const std::int64_t* row, std::size_t width) {
  std::uint64_t h = width;
  for (std::size_t c = 0; c < width; ++c) h = mix(h, static_cast<std::uint64_t>(row[c]));
  return h;
}

inline std::uint64_t hash_row(const Integer* row, std::size_t width) {
  std::uint64_t h = width;
  // The low limb and the sign identify equal values; collisions are resolved by comparison.
  for (std::size_t c = 0; c < width; ++c)
    h = mix(h, static_cast<std::uint64_t>(mpz_getlimbn(row[c].get_mpz_t(), 0)) * 3 + 1 + sgn(row[c]));
  return h;
}

/*! returns whether the rows are equal entry by entry. */
inline bool equal_rows(const std::int64_t* u, const std::int64_t* v, std::size_t width) {
  return std::equal(u, u + width, v);
}
inline bool equal_rows(const Integer* u, const Integer* v, std::size_t width) {
  for (std::size_t c = 0; c < width; ++c)
    if (cmp(u[c], v[c]) != 0) return false;
  return true;
}

/*! adds `value` to `sum`; throws MachineOverflow when the sum leaves the machine range. */
inline void add_to(std::int64_t& sum, std::int64_t value) {
  if (__builtin_add_overflow(sum, value, &sum)) throw MachineOverflow{};
  checked(sum);
}
inline void add_to(Integer& sum, const Integer& value) { sum += value; }

/*! returns `v` as an Integer. */
inline Integer to_integer(std::int64_t v) { return Integer(static_cast<signed long>(v)); }
inline const Integer& to_integer(const Integer& v) { return v; }

}  // namespace chamber::detail

// Exact number types used everywhere a decision is made, and their text forms.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace chamber {

using Integer = mpz_class;
using Rational = mpq_class;
using IntegerVector = std::vector<Integer>;
using RationalVector = std::vector<Rational>;

/// Caps on one number of an input file or option (README, "Hostile input and faults"): a binary64 written exactly
/// needs at most 1,127 bits, so these are far above any real weight or coefficient and keep a short text from
/// becoming a huge number.
inline constexpr std::size_t max_number_characters = 2000;
inline constexpr long max_decimal_exponent = 1000;
inline constexpr std::size_t max_number_bits = 4096;  // numerator and denominator together

/*! parses an exact rational: an integer ("-12"), a fraction ("3/4"), or a decimal with optional
 * exponent ("0.125", "-1.5e-3", "2E4"). Returns nothing when `text` is not such a number (including
 * a zero or signed denominator) or exceeds one of the caps above; then `why`, when given, says which (empty when the
 * text is simply not a number). The result is canonical (lowest terms).
 */
std::optional<Rational> parse_rational(std::string_view text, std::string* why = nullptr);

/*! returns the bits of the numerator and the denominator of `value` together (the size of the number). */
std::size_t bit_size(const Rational& value);

/*! returns "p" for integers and "p/q" otherwise. */
std::string to_string(const Rational& value);
std::string to_string(const Integer& value);

/*! returns the sign of `value` as -1, 0 or 1. */
inline int sign(const Integer& value) { return sgn(value); }
inline int sign(const Rational& value) { return sgn(value); }

/*! returns the least common multiple of the denominators of `values` (1 for an empty list). */
Integer common_denominator(const RationalVector& values);

/*! returns `values` times their common denominator (a positive integer): the same direction, in integers. */
IntegerVector to_integers(const RationalVector& values);

/*! returns Σ a_i b_i over the common length of `a` and `b` (which must be equal). */
Rational dot(const RationalVector& a, const RationalVector& b);

/*! divides `values` by the gcd of its entries (no-op for the zero vector); keeps the sign. */
void make_primitive(IntegerVector& values);

}  // namespace chamber

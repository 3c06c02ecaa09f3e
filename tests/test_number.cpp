// Exact numbers, hyperplanes and points: parsing, canonical forms, signs.
#include "arrangement/hyperplane.hpp"
#include "arrangement/number.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/simple_point.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <vector>

using namespace chamber;

TEST_CASE("rationals parse exactly in every accepted spelling", "[number]") {
  CHECK(*parse_rational("12") == Rational(12));
  CHECK(*parse_rational("-12") == Rational(-12));
  CHECK(*parse_rational("+7") == Rational(7));
  CHECK(*parse_rational("6/8") == Rational(3, 4));
  CHECK(*parse_rational("-6/8") == Rational(-3, 4));
  CHECK(*parse_rational("0.125") == Rational(1, 8));
  CHECK(*parse_rational(".5") == Rational(1, 2));
  CHECK(*parse_rational("5.") == Rational(5));
  CHECK(*parse_rational("-1.5e-3") == Rational(-3, 2000));
  CHECK(*parse_rational("2E4") == Rational(20000));
  CHECK(*parse_rational("0.1") == Rational(1, 10));  // exact, not the binary64 nearest to 0.1
  Rational big = *parse_rational("123456789012345678901234567890/3");
  CHECK(big.get_num().get_str() == "41152263004115226300411522630");
  CHECK(big.get_den() == 1);
}

TEST_CASE("malformed numbers are rejected, not guessed", "[number]") {
  for (const char* text : {"", "-", "+", "abc", "1/0", "1/", "/2", "1/-2", "1/+2", "1.2.3", ".", "1e", "e5", "1e+",
                           "0x10", "1,5", "1 2", "inf", "nan", "--1", "+-1", "1/2/3", "1.5/2", "1e2.5", "1e999999999999999999999"})
    CHECK_FALSE(parse_rational(text).has_value());
}

TEST_CASE("to_string writes integers plainly and fractions as p/q", "[number]") {
  CHECK(to_string(Rational(-3, 4)) == "-3/4");
  CHECK(to_string(*parse_rational("8/4")) == "2");
  CHECK(to_string(Integer("-123456789012345678901234567890")) == "-123456789012345678901234567890");
}

TEST_CASE("make_primitive divides by the gcd and keeps the sign", "[number]") {
  IntegerVector v{Integer(-6), Integer(9), Integer(0), Integer(15)};
  make_primitive(v);
  CHECK(v == IntegerVector{Integer(-2), Integer(3), Integer(0), Integer(5)});
  IntegerVector zero{Integer(0), Integer(0)};
  make_primitive(zero);
  CHECK(zero == IntegerVector{Integer(0), Integer(0)});
  CHECK(common_denominator({Rational(1, 4), Rational(5, 6), Rational(2)}) == 12);
  CHECK(common_denominator({}) == 1);
}

TEST_CASE("hyperplanes are primitive integer rows with their orientation", "[number]") {
  Hyperplane h = Hyperplane::from_rationals({Rational(-1, 2), Rational(3, 4), Rational(0), Rational(-5, 4)});
  CHECK(h.coefficients == IntegerVector{Integer(-2), Integer(3), Integer(0), Integer(-5)});
  CHECK(h.to_string() == "-2 3 0 -5");
  CHECK_FALSE(h.has_zero_normal());
  CHECK(Hyperplane::from_rationals({Rational(3), Rational(0), Rational(0)}).has_zero_normal());
  // The canonical key identifies a hyperplane as a set: scaling by a negative factor keeps it.
  Hyperplane reversed = Hyperplane::from_rationals({Rational(1), Rational(-3, 2), Rational(0), Rational(5, 2)});
  CHECK(reversed.canonical_key() == h.canonical_key());
  Hyperplane other = Hyperplane::from_rationals({Rational(2), Rational(3), Rational(0), Rational(-5)});
  CHECK(other.canonical_key() != h.canonical_key());
}

TEST_CASE("points are homogeneous with a positive first coordinate", "[number]") {
  Point p = Point::from_rationals({Rational(1, 2), Rational(-2, 3), Rational(0)});
  CHECK(p.coordinates == IntegerVector{Integer(6), Integer(3), Integer(-4), Integer(0)});
  CHECK(p.to_rationals() == RationalVector{Rational(1, 2), Rational(-2, 3), Rational(0)});
  CHECK(p.dimension() == 3);
  // side(): sign of b + a·x evaluated exactly.
  Hyperplane h = Hyperplane::from_rationals({Rational(0), Rational(4), Rational(3), Rational(7)});  // 4x + 3y + 7z
  CHECK(h.side(p) == 0);  // 2 - 2 + 0
  Hyperplane g = Hyperplane::from_rationals({Rational(1, 1000), Rational(4), Rational(3), Rational(7)});
  CHECK(g.side(p) == 1);
  Point q;
  q.coordinates = {Integer(4), Integer(2), Integer(-6), Integer(8)};
  q.normalize();
  CHECK(q.coordinates == IntegerVector{Integer(2), Integer(1), Integer(-3), Integer(4)});
}

TEST_CASE("simplest_between: least denominator, then least absolute value, strictly inside", "[number][witness]") {
  auto q = [](const char* text) { return Rational(text); };
  CHECK(simplest_between(std::nullopt, std::nullopt) == 0);
  CHECK(simplest_between(q("-1/3"), q("1/2")) == 0);
  CHECK(simplest_between(q("0"), std::nullopt) == 1);
  CHECK(simplest_between(std::nullopt, q("0")) == -1);
  CHECK(simplest_between(q("2"), q("3")) == q("5/2"));
  CHECK(simplest_between(q("-3"), q("-2")) == q("-5/2"));
  CHECK(simplest_between(q("7/3"), q("12/5")) == q("19/8"));  // 2.333… < 2.375 < 2.4
  CHECK(simplest_between(q("1/3"), q("1/2")) == q("2/5"));
  CHECK(simplest_between(q("5/2"), std::nullopt) == 3);
  // Brute force over a grid of intervals: the answer is inside, and nothing with a smaller denominator is.
  for (int a = -12; a <= 12; ++a)
    for (int b = a + 1; b <= 13; ++b)
      for (int d = 1; d <= 4; ++d) {
        const Rational low(a, d), high(b, d + 1);
        if (!(low < high)) continue;
        const Rational t = simplest_between(low, high);
        INFO(low << " < " << t << " < " << high);
        CHECK((low < t && t < high));
        for (long den = 1; den < t.get_den().get_si(); ++den) {
          Rational above(low * den);
          Integer numerator;
          mpz_fdiv_q(numerator.get_mpz_t(), above.get_num_mpz_t(), above.get_den_mpz_t());
          CHECK(Rational(Integer(numerator + 1), Integer(den)) >= high);  // no fraction with denominator den lies strictly between
        }
      }
}

TEST_CASE("simple_point_inside keeps the point strictly inside and shortens it", "[number][witness]") {
  // The region x > 0, y > 0, x + y < 1 of three lines, from a witness with long coordinates.
  const std::vector<IntegerVector> rows = {{0, 1, 0}, {0, 0, 1}, {1, -1, -1}};
  const Point start = Point::from_rationals({Rational("123456789/987654321"), Rational("555555555/999999999")});
  const Point simple = simple_point_inside(rows, start);
  for (const IntegerVector& row : rows) CHECK(sign(dot(row, simple.coordinates)) > 0);
  CHECK(simple.to_rationals() == RationalVector{Rational(1, 3), Rational(1, 2)});
  // A starting point outside is a programming error.
  CHECK_THROWS_AS(simple_point_inside(rows, Point::from_rationals({Rational(2), Rational(2)})), InternalError);
}

// Enumeration against Zaslavsky on hundreds of random arrangements, generic and degenerate, with every
// enumeration's certificate checked by the independent checker.
#include "arrangement/lattice.hpp"
#include "arrangement/sweep.hpp"
#include "tests/certify.hpp"
#include "tests/families.hpp"
#include "tests/trials.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace chamber;
using namespace chamber::test;

namespace {

/*! a small deterministic generator (splitmix64), the same on every standard library. */
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /*! returns an integer in [lo, hi]. */
  long range(long lo, long hi) { return lo + static_cast<long>(next() % static_cast<std::uint64_t>(hi - lo + 1)); }
  /*! returns a random integer with `digits` decimal digits and a random sign. */
  Integer big(int digits) {
    std::string text(1, static_cast<char>('1' + next() % 9));
    for (int d = 1; d < digits; ++d) text += static_cast<char>('0' + next() % 10);
    Integer value(text);
    return next() % 2 ? value : Integer(-value);
  }

 private:
  std::uint64_t state_;
};

using BigRow = std::vector<Integer>;

/*! builds an arrangement from integer rows, skipping rows with a zero normal. */
Arrangement from_rows(std::size_t n, const std::vector<BigRow>& rows) {
  std::vector<Hyperplane> hyperplanes;
  for (const BigRow& row : rows) {
    RationalVector values(row.begin(), row.end());
    Hyperplane h = Hyperplane::from_rationals(values);
    if (!h.has_zero_normal()) hyperplanes.push_back(std::move(h));
  }
  return Arrangement(n, hyperplanes);
}

/*! a random normal with entries in [lo, hi], not zero. */
BigRow random_normal(Random& random, std::size_t n, long lo, long hi) {
  BigRow a(n);
  do {
    for (Integer& v : a) v = random.range(lo, hi);
  } while (std::all_of(a.begin(), a.end(), [](const Integer& v) { return v == 0; }));
  return a;
}

BigRow with_constant(const Integer& b, const BigRow& a) {
  BigRow row{b};
  row.insert(row.end(), a.begin(), a.end());
  return row;
}

/*! enumerates with certificate and compares with χ: regions, bounded regions, checker verdict. */
void compare(const Arrangement& arrangement, const std::string& label) {
  INFO(label << ": n = " << arrangement.dimension() << ", m = " << arrangement.size());
  Certified result = enumerate_and_check(arrangement, true, true);
  CharacteristicPolynomial chi = characteristic_polynomial(arrangement);
  REQUIRE(Integer(static_cast<unsigned long>(result.regions.size())) == chi.regions());
  REQUIRE(Integer(static_cast<unsigned long>(result.bounded)) == chi.bounded_regions());
  REQUIRE(characteristic_polynomial_by_sweep(arrangement).coefficients == chi.coefficients);
  INFO("checker: " << result.report.reason);
  REQUIRE(result.report.valid);
  REQUIRE(result.report.regions == result.regions.size());
  // The exact-only LP path finds the same regions (witnesses may differ) and bounded count.
  Certified exact = enumerate_and_check(arrangement, false, true, true);
  std::set<std::string> fast_signs, exact_signs;
  for (const Region& region : result.regions) fast_signs.insert(region.signs);
  for (const Region& region : exact.regions) exact_signs.insert(region.signs);
  REQUIRE(fast_signs == exact_signs);
  REQUIRE(exact.bounded == result.bounded);
}

}  // namespace

TEST_CASE("random small-integer arrangements (many zeros and coincidences)", "[random]") {
  Random random(1);
  for (int trial = 0; trial < 80; ++trial) {
    const std::size_t n = static_cast<std::size_t>(random.range(1, 4));
    const std::size_t m = static_cast<std::size_t>(random.range(1, n <= 2 ? 9 : 7));
    std::vector<BigRow> rows;
    for (std::size_t i = 0; i < m; ++i) rows.push_back(with_constant(random.range(-2, 2), random_normal(random, n, -2, 2)));
    compare(from_rows(n, rows), "small integers #" + std::to_string(trial));
  }
}

TEST_CASE("random 0/±1 arrangements", "[random]") {
  Random random(2);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = static_cast<std::size_t>(random.range(2, 4));
    const std::size_t m = static_cast<std::size_t>(random.range(2, 8));
    std::vector<BigRow> rows;
    for (std::size_t i = 0; i < m; ++i) rows.push_back(with_constant(random.range(-1, 1), random_normal(random, n, -1, 1)));
    compare(from_rows(n, rows), "0/±1 #" + std::to_string(trial));
  }
}

TEST_CASE("random arrangements with duplicates and parallel classes", "[random]") {
  Random random(3);
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t n = static_cast<std::size_t>(random.range(2, 4));
    std::vector<BigRow> rows;
    const int classes = static_cast<int>(random.range(2, 4));
    for (int c = 0; c < classes; ++c) {
      BigRow a = random_normal(random, n, -3, 3);
      const int copies = static_cast<int>(random.range(1, 3));
      for (int k = 0; k < copies; ++k) {
        Integer b = random.range(-3, 3);
        rows.push_back(with_constant(b, a));
        if (random.range(0, 2) == 0) {  // an exact duplicate, scaled by a negative factor
          Integer factor = random.range(-4, -1);
          BigRow scaled = with_constant(b * factor, a);
          for (std::size_t i = 1; i < scaled.size(); ++i) scaled[i] *= factor;
          rows.push_back(scaled);
        }
      }
    }
    compare(from_rows(n, rows), "parallels #" + std::to_string(trial));
  }
}

TEST_CASE("random arrangements with many hyperplanes through common points", "[random]") {
  Random random(4);
  // The sanitizer tree runs the first 4: trials #4 and #15 (16 and 18 hyperplanes in Q^4) take 130 s and 200 s there.
  for (int trial = 0, trials_run = trials(50, 4); trial < trials_run; ++trial) {
    const std::size_t n = static_cast<std::size_t>(random.range(2, 4));
    std::vector<BigRow> rows;
    const int centres = static_cast<int>(random.range(1, 3));
    for (int c = 0; c < centres; ++c) {
      BigRow p(n);
      for (Integer& v : p) v = random.range(-2, 2);
      const int through = static_cast<int>(random.range(static_cast<long>(n), static_cast<long>(n) + 3));
      for (int k = 0; k < through; ++k) {
        BigRow a = random_normal(random, n, -2, 2);
        Integer b = 0;
        for (std::size_t i = 0; i < n; ++i) b -= a[i] * p[i];
        rows.push_back(with_constant(b, a));
      }
    }
    compare(from_rows(n, rows), "concurrent #" + std::to_string(trial));
  }
}

TEST_CASE("random arrangements with 30-digit coefficients", "[random]") {
  Random random(5);
  for (int trial = 0; trial < 30; ++trial) {
    const std::size_t n = static_cast<std::size_t>(random.range(2, 3));
    const std::size_t m = static_cast<std::size_t>(random.range(3, 7));
    std::vector<BigRow> rows;
    for (std::size_t i = 0; i < m; ++i) {
      BigRow row(n + 1);
      for (Integer& v : row) v = random.big(30);
      rows.push_back(row);
    }
    compare(from_rows(n, rows), "30 digits, generic #" + std::to_string(trial));
  }
  for (int trial = 0; trial < 30; ++trial) {
    // Degenerate with huge numbers: lines through one point with 30-digit coordinates, plus a parallel pair.
    const std::size_t n = 2;
    BigRow p{random.big(30), random.big(30)};
    std::vector<BigRow> rows;
    for (int k = 0; k < 4; ++k) {
      BigRow a{random.big(30), random.big(2)};
      rows.push_back(with_constant(-(a[0] * p[0] + a[1] * p[1]), a));
    }
    BigRow a{random.big(30), random.big(30)};
    rows.push_back(with_constant(random.big(30), a));
    rows.push_back(with_constant(random.big(30), a));
    compare(from_rows(n, rows), "30 digits, degenerate #" + std::to_string(trial));
  }
}

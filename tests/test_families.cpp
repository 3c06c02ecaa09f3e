// The arrangement families of references.md by certified enumeration, against their known counts and χ.
#include "arrangement/arr_io.hpp"
#include "arrangement/lattice.hpp"
#include "tests/certify.hpp"
#include "tests/families.hpp"
#include "tests/trials.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace chamber;
using namespace chamber::test;

namespace {

/*! enumerates with certificate; checks the count, the bounded count, χ and the checker's verdict. */
void check_family(const Arrangement& arrangement, unsigned long regions, unsigned long bounded) {
  Certified result = enumerate_and_check(arrangement, true, true);
  CHECK(result.regions.size() == regions);
  CHECK(result.bounded == bounded);
  CharacteristicPolynomial chi = characteristic_polynomial(arrangement);
  CHECK(chi.regions() == regions);
  CHECK(chi.bounded_regions() == bounded);
  INFO("checker: " << result.report.reason);
  CHECK(result.report.valid);
  CHECK(result.report.regions == regions);
}

unsigned long factorial(unsigned long n) { return n <= 1 ? 1 : n * factorial(n - 1); }

unsigned long power(unsigned long base, unsigned long exponent) {
  unsigned long value = 1;
  while (exponent--) value *= base;
  return value;
}

}  // namespace

TEST_CASE("resonance arrangements R_2..R_4 (6, 32, 370 regions)", "[families]") {
  check_family(resonance(2), 6, 0);
  check_family(resonance(3), 32, 0);
  check_family(resonance(4), 370, 0);
}

TEST_CASE("resonance arrangement R_5 (11,292 regions)", "[families]") { check_family(resonance(5), 11292, 0); }

TEST_CASE("threshold arrangements T_2..T_4 (14, 104, 1,882 regions)", "[families]") {
  check_family(threshold(2), 14, 0);
  check_family(threshold(3), 104, 0);
  check_family(threshold(4), 1882, 0);
}

TEST_CASE("braid arrangements A_{n-1}: n! regions", "[families]") {
  for (unsigned long n = 2; n <= 5; ++n) {
    INFO("n = " << n);
    check_family(braid(n), factorial(n), 0);
  }
}

TEST_CASE("Shi arrangements: (n+1)^(n-1) regions", "[families]") {
  for (unsigned long n = 2; n <= 4; ++n) {
    INFO("n = " << n);
    check_family(shi(n), power(n + 1, n - 1), 0);
  }
}

TEST_CASE("coordinate arrangements: 2^n regions", "[families]") {
  for (unsigned long n = 1; n <= 6; ++n) {
    INFO("n = " << n);
    check_family(coordinate(n), power(2, n), 0);
  }
}

TEST_CASE("m generic hyperplanes in Q^n: Σ_{j≤n} C(m,j) regions, C(m−1,n) bounded", "[families]") {
  struct Case {
    std::size_t n, m;
    unsigned long regions, bounded;
  };
  for (const Case& c : {Case{1, 5, 6, 4}, Case{2, 6, 22, 10}, Case{3, 7, 64, 20}, Case{3, 8, 93, 35}, Case{4, 8, 163, 35}}) {
    INFO("n = " << c.n << ", m = " << c.m);
    check_family(moment_curve(c.n, c.m), c.regions, c.bounded);
  }
}

namespace {

void check_bench_instances(const std::string& size) {
  const std::vector<BenchInstance> instances = bench_instances();
  REQUIRE(instances.size() >= 16);
  for (const BenchInstance& instance : instances) {
    if (instance.size != size) continue;
    // The sanitizer tree leaves resonance5 to "resonance arrangement R_5 (11,292 regions)" above: the same rows in the
    // same order, 16 s there.
    if (sanitizer_tree() && instance.name == "resonance5") continue;
    INFO(instance.name);
    ArrFile file = read_arr_file(bench_file(instance.name));
    const bool bounded = instance.bounded != "-";
    Certified result = enumerate_and_check(file.arrangement, true, bounded);
    CHECK(std::to_string(result.regions.size()) == instance.regions);
    if (bounded) CHECK(std::to_string(result.bounded) == instance.bounded);
    INFO("checker: " << result.report.reason);
    CHECK(result.report.valid);
  }
}

}  // namespace

TEST_CASE("the shared small bench instances by certified enumeration", "[families][bench]") {
  check_bench_instances("small");
}

TEST_CASE("the shared large bench instances by certified enumeration", "[families][bench][.slow]") {
  check_bench_instances("large");
}

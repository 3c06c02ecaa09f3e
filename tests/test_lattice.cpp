// Intersection lattice and characteristic polynomial: exact invariants of known families, full χ(t)
// of small cases, the Möbius values against their definition, χ against Whitney's subset formula,
// and the shared bench instances against their published counts.
#include "arrangement/arr_io.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/sweep.hpp"
#include "tests/families.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace chamber;
using namespace chamber::test;

namespace {


/*! the coefficients of Π (t − root_k) · t^extra, highest degree first. */
std::vector<Integer> from_roots(const std::vector<long>& roots, std::size_t extra = 0) {
  std::vector<Integer> poly{Integer(1)};
  for (long root : roots) {
    std::vector<Integer> next(poly.size() + 1, Integer(0));
    for (std::size_t k = 0; k < poly.size(); ++k) {
      next[k] += poly[k];
      Integer term = poly[k] * root;
      next[k + 1] -= term;
    }
    poly = next;
  }
  poly.resize(poly.size() + extra, Integer(0));
  return poly;
}

Integer binomial(unsigned long m, unsigned long k) {
  Integer value;
  mpz_bin_uiui(value.get_mpz_t(), m, k);
  return value;
}

Integer power(long base, unsigned long exponent) {
  Integer value;
  mpz_ui_pow_ui(value.get_mpz_t(), static_cast<unsigned long>(base < 0 ? -base : base), exponent);
  return base < 0 && exponent % 2 ? Integer(-value) : value;
}

/*! the rank of the normals of `subset` and whether the hyperplanes meet, by rational elimination
 * (independent of the lattice code). */
struct SubsetShape {
  std::size_t rank = 0;
  bool meets = true;
};

SubsetShape subset_shape(const Arrangement& arrangement, const std::vector<std::size_t>& subset) {
  const std::size_t width = arrangement.dimension() + 1;
  std::vector<RationalVector> rows;
  for (std::size_t i : subset) {
    RationalVector row;
    for (const Integer& v : arrangement[i].coefficients) row.emplace_back(v);
    rows.push_back(row);
  }
  SubsetShape shape;
  std::size_t next_row = 0;
  for (std::size_t c = 1; c < width && next_row < rows.size(); ++c) {
    std::size_t found = next_row;
    while (found < rows.size() && rows[found][c] == 0) ++found;
    if (found == rows.size()) continue;
    std::swap(rows[found], rows[next_row]);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (k == next_row || rows[k][c] == 0) continue;
      Rational factor = rows[k][c] / rows[next_row][c];
      for (std::size_t col = 0; col < width; ++col) {
        Rational scaled = factor * rows[next_row][col];
        rows[k][col] -= scaled;
      }
    }
    ++next_row;
  }
  shape.rank = next_row;
  for (std::size_t k = next_row; k < rows.size(); ++k)
    if (rows[k][0] != 0) shape.meets = false;
  return shape;
}

/*! χ(t) by Whitney's formula: Σ over subsets B with a common point of (−1)^|B| t^{n − rank B}. */
std::vector<Integer> whitney_polynomial(const Arrangement& arrangement) {
  const std::size_t n = arrangement.dimension(), m = arrangement.size();
  std::vector<Integer> coefficients(n + 1, Integer(0));
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << m); ++mask) {
    std::vector<std::size_t> subset;
    for (std::size_t i = 0; i < m; ++i)
      if (mask >> i & 1U) subset.push_back(i);
    SubsetShape shape = subset_shape(arrangement, subset);
    if (!shape.meets) continue;
    if (subset.size() % 2)
      coefficients[shape.rank] -= 1;
    else
      coefficients[shape.rank] += 1;
  }
  return coefficients;
}

/*! checks every flat against its definition: its hyperplanes meet in a flat of the stated rank that
 * no other hyperplane contains; μ(X) = −Σ_{Y < X} μ(Y); no flat repeats; every subset's
 * intersection is a listed flat. */
void check_lattice_by_definition(const Arrangement& arrangement, const IntersectionLattice& lattice) {
  const std::size_t m = arrangement.size();
  REQUIRE(!lattice.flats.empty());
  CHECK(lattice.flats[0].rank == 0);
  CHECK(lattice.flats[0].hyperplanes.empty());
  CHECK(lattice.flats[0].mobius == 1);
  std::set<std::vector<std::size_t>> seen;
  for (std::size_t x = 0; x < lattice.flats.size(); ++x) {
    const Flat& flat = lattice.flats[x];
    if (x > 0) CHECK(lattice.flats[x - 1].rank <= flat.rank);
    CHECK(std::is_sorted(flat.hyperplanes.begin(), flat.hyperplanes.end()));
    CHECK(seen.insert(flat.hyperplanes).second);
    SubsetShape shape = subset_shape(arrangement, flat.hyperplanes);
    CHECK(shape.meets);
    CHECK(shape.rank == flat.rank);
    for (std::size_t i = 0; i < m; ++i) {
      if (std::binary_search(flat.hyperplanes.begin(), flat.hyperplanes.end(), i)) continue;
      std::vector<std::size_t> more = flat.hyperplanes;
      more.push_back(i);
      SubsetShape bigger = subset_shape(arrangement, more);
      CHECK((!bigger.meets || bigger.rank > flat.rank));  // H_i does not contain the flat
    }
    Integer sum = 0;
    for (std::size_t y = 0; y < lattice.flats.size(); ++y) {
      const Flat& below = lattice.flats[y];
      if (below.hyperplanes.size() < flat.hyperplanes.size() &&
          std::includes(flat.hyperplanes.begin(), flat.hyperplanes.end(), below.hyperplanes.begin(),
                        below.hyperplanes.end()))
        sum += below.mobius;
    }
    if (x > 0) CHECK(flat.mobius == -sum);
  }
  // Completeness: the closure of every meeting subset is listed (small m only).
  if (m <= 12) {
    for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << m); ++mask) {
      std::vector<std::size_t> subset;
      for (std::size_t i = 0; i < m; ++i)
        if (mask >> i & 1U) subset.push_back(i);
      SubsetShape shape = subset_shape(arrangement, subset);
      if (!shape.meets) continue;
      std::vector<std::size_t> closure;
      for (std::size_t i = 0; i < m; ++i) {
        std::vector<std::size_t> more = subset;
        more.push_back(i);
        SubsetShape bigger = subset_shape(arrangement, more);
        if (bigger.meets && bigger.rank == shape.rank) closure.push_back(i);
      }
      CHECK(seen.count(closure) == 1);
    }
  }
}

std::vector<Integer> integers(const std::vector<long>& values) {
  std::vector<Integer> out;
  for (long v : values) out.emplace_back(v);
  return out;
}

}  // namespace

TEST_CASE("resonance arrangements R_n have the published region counts", "[lattice]") {
  auto [n, regions] = GENERATE(table<std::size_t, long>({{2, 6}, {3, 32}, {4, 370}, {5, 11292}}));
  CharacteristicPolynomial chi = characteristic_polynomial(resonance(n));
  CHECK(chi.regions() == regions);
  CHECK(chi.bounded_regions() == 0);  // central
  CHECK(chi.rank() == n);
  CHECK(chi.evaluate(1) == 0);  // χ(1) = 0 for a nonempty central arrangement
}

TEST_CASE("threshold arrangements T_n have the published region counts", "[lattice]") {
  auto [n, regions] = GENERATE(table<std::size_t, long>({{2, 14}, {3, 104}, {4, 1882}}));
  CharacteristicPolynomial chi = characteristic_polynomial(threshold(n));
  CHECK(chi.regions() == regions);
  CHECK(chi.bounded_regions() == 0);
}

TEST_CASE("braid arrangement A_{n-1}: χ = t(t−1)…(t−n+1), n! regions", "[lattice]") {
  std::size_t n = GENERATE(2, 3, 4, 5, 6);
  CharacteristicPolynomial chi = characteristic_polynomial(braid_like(n, {0}));
  std::vector<long> roots;
  for (std::size_t k = 0; k < n; ++k) roots.push_back(static_cast<long>(k));
  CHECK(chi.coefficients == from_roots(roots));
  Integer factorial = 1;
  for (std::size_t k = 2; k <= n; ++k) factorial *= static_cast<unsigned long>(k);
  CHECK(chi.regions() == factorial);
  CHECK(chi.rank() == n - 1);
  CHECK(chi.bounded_regions() == 0);
}

TEST_CASE("braid A_2 in Q^3 has χ = t^3 − 3t^2 + 2t", "[lattice]") {
  CharacteristicPolynomial chi = characteristic_polynomial(braid_like(3, {0}));
  CHECK(chi.coefficients == integers({1, -3, 2, 0}));
  CHECK(to_string(chi) == "t^3 - 3*t^2 + 2*t");
}

TEST_CASE("Shi arrangement: χ = t(t−n)^{n−1}, (n+1)^{n−1} regions, none bounded in Q^n", "[lattice]") {
  std::size_t n = GENERATE(2, 3, 4, 5);
  CharacteristicPolynomial chi = characteristic_polynomial(braid_like(n, {0, 1}));
  std::vector<long> roots(n - 1, static_cast<long>(n));
  roots.push_back(0);
  CHECK(chi.coefficients == from_roots(roots));
  CHECK(chi.regions() == power(static_cast<long>(n) + 1, n - 1));
  // The normals e_i − e_j span only the sum-zero hyperplane: every region contains the line
  // R·(1, …, 1), so none is bounded; |χ(1)| = (n−1)^{n−1} counts the relatively bounded ones.
  CHECK(chi.rank() == n - 1);
  CHECK(chi.bounded_regions() == 0);
  CHECK(chi.relatively_bounded_regions() == power(static_cast<long>(n) - 1, n - 1));
}

TEST_CASE("coordinate arrangement: χ = (t−1)^n, 2^n regions", "[lattice]") {
  std::size_t n = GENERATE(1, 2, 3, 6, 10);
  CharacteristicPolynomial chi = characteristic_polynomial(coordinate(n));
  CHECK(chi.coefficients == from_roots(std::vector<long>(n, 1)));
  CHECK(chi.regions() == power(2, n));
  CHECK(chi.bounded_regions() == 0);
}

TEST_CASE("m generic hyperplanes: Σ_{j≤n} C(m,j) regions, C(m−1,n) bounded, χ = Σ (−1)^k C(m,k) t^{n−k}",
          "[lattice]") {
  auto [n, m] = GENERATE(table<std::size_t, std::size_t>({{1, 1}, {1, 5}, {2, 2}, {2, 3}, {2, 7}, {3, 3}, {3, 8}, {4, 10}, {5, 12}}));
  CharacteristicPolynomial chi = characteristic_polynomial(moment_curve(n, m));
  Integer regions = 0;
  for (std::size_t k = 0; k <= n; ++k) {
    Integer expected = binomial(m, k);
    if (k % 2) expected = -expected;
    CHECK(chi.coefficients[k] == (k <= m ? expected : Integer(0)));
    regions += binomial(m, k);
  }
  CHECK(chi.regions() == regions);
  CHECK(chi.bounded_regions() == (m >= n ? binomial(m - 1, n) : Integer(0)));
}

TEST_CASE("entries beyond 64 bits take the Integer path and give the same χ", "[lattice]") {
  Integer huge;
  mpz_ui_pow_ui(huge.get_mpz_t(), 10, 30);
  CharacteristicPolynomial small = characteristic_polynomial(moment_curve(4, 9));
  CharacteristicPolynomial big = characteristic_polynomial(moment_curve(4, 9, huge));
  CHECK(big.coefficients == small.coefficients);
  // Degenerate, with big entries: the Shi arrangement after the change of coordinates x1 = 10^30 y1.
  Arrangement shi = braid_like(4, {0, 1});
  std::vector<Hyperplane> rows;
  for (const Hyperplane& h : shi.hyperplanes()) {
    RationalVector row;
    for (const Integer& v : h.coefficients) row.emplace_back(v);
    row[1] *= Rational(huge);
    rows.push_back(Hyperplane::from_rationals(row));
  }
  CharacteristicPolynomial scaled = characteristic_polynomial(Arrangement(4, rows));
  CHECK(scaled.coefficients == characteristic_polynomial(shi).coefficients);
}

TEST_CASE("small planar and spatial cases have the right χ", "[lattice]") {
  SECTION("no hyperplanes: χ = t^n, one region, not bounded") {
    CharacteristicPolynomial chi = characteristic_polynomial(make_arrangement(3, {}));
    CHECK(chi.coefficients == integers({1, 0, 0, 0}));
    CHECK(chi.regions() == 1);
    CHECK(chi.bounded_regions() == 0);
    CHECK(chi.rank() == 0);
    CHECK(to_string(chi) == "t^3");
    IntersectionLattice lattice = intersection_lattice(make_arrangement(3, {}));
    REQUIRE(lattice.flats.size() == 1);
    CHECK(lattice.flats[0].mobius == 1);
  }
  SECTION("one hyperplane") {
    CharacteristicPolynomial chi = characteristic_polynomial(make_arrangement(2, {{3, 1, 2}}));
    CHECK(chi.coefficients == integers({1, -1, 0}));
    CHECK(chi.regions() == 2);
  }
  SECTION("n generic lines in the plane: χ = t^2 − n t + C(n,2)") {
    std::size_t lines = GENERATE(2, 3, 4, 6);
    CharacteristicPolynomial chi = characteristic_polynomial(moment_curve(2, lines));
    CHECK(chi.coefficients == std::vector<Integer>{1, -Integer(static_cast<unsigned long>(lines)), binomial(lines, 2)});
    CHECK(to_string(chi) == "t^2 - " + std::to_string(lines) + "*t + " + binomial(lines, 2).get_str());
  }
  SECTION("three lines through a point: χ = (t−1)(t−2), μ(point) = 2") {
    Arrangement lines = make_arrangement(2, {{-1, 1, 0}, {-1, 0, 1}, {-2, 1, 1}});  // all through (1, 1)
    CharacteristicPolynomial chi = characteristic_polynomial(lines);
    CHECK(chi.coefficients == integers({1, -3, 2}));
    CHECK(chi.regions() == 6);
    CHECK(chi.bounded_regions() == 0);
    IntersectionLattice lattice = intersection_lattice(lines);
    REQUIRE(lattice.flats.size() == 5);
    CHECK(lattice.flats.back().hyperplanes == std::vector<std::size_t>{0, 1, 2});
    CHECK(lattice.flats.back().mobius == 2);
  }
  SECTION("parallel lines: k + 1 strips, none bounded") {
    CharacteristicPolynomial chi = characteristic_polynomial(make_arrangement(2, {{0, 1, 0}, {-1, 1, 0}, {-5, 2, 0}}));
    CHECK(chi.coefficients == integers({1, -3, 0}));
    CHECK(chi.regions() == 4);
    CHECK(chi.bounded_regions() == 0);
    CHECK(chi.relatively_bounded_regions() == 2);
  }
  SECTION("a prism: three planes, pairwise meeting in parallel lines") {
    CharacteristicPolynomial chi = characteristic_polynomial(make_arrangement(3, {{0, 1, 0, 0}, {0, 0, 1, 0}, {-1, 1, 1, 0}}));
    CHECK(chi.coefficients == integers({1, -3, 3, 0}));
    CHECK(chi.regions() == 7);
    CHECK(chi.bounded_regions() == 0);
  }
  SECTION("a triangle and a point-free square grid") {
    CHECK(characteristic_polynomial(make_arrangement(2, {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}})).bounded_regions() == 1);
    CharacteristicPolynomial grid =
        characteristic_polynomial(make_arrangement(2, {{0, 1, 0}, {-1, 1, 0}, {0, 0, 1}, {-1, 0, 1}}));
    CHECK(grid.regions() == 9);
    CHECK(grid.bounded_regions() == 1);
  }
}

TEST_CASE("the lattice matches the definitions of flats and of μ", "[lattice]") {
  SECTION("resonance R_3 and R_4") {
    for (std::size_t n : {3, 4}) {
      Arrangement arrangement = resonance(n);
      check_lattice_by_definition(arrangement, intersection_lattice(arrangement));
    }
  }
  SECTION("threshold T_3, Shi in Q^3, and an affine arrangement with parallels") {
    for (const Arrangement& arrangement :
         {threshold(3), braid_like(3, {0, 1}),
          make_arrangement(3, {{0, 1, 0, 0}, {-1, 1, 0, 0}, {0, 0, 1, 0}, {-1, 1, 1, 0}, {-2, 1, 1, 1}, {0, 0, 0, 1},
                               {-1, 0, 1, 1}, {3, 2, -1, 1}})}) {
      IntersectionLattice lattice = intersection_lattice(arrangement);
      check_lattice_by_definition(arrangement, lattice);
      CHECK(characteristic_polynomial(lattice).coefficients == characteristic_polynomial(arrangement).coefficients);
    }
  }
}

TEST_CASE("χ from the lattice equals Whitney's subset sum on random degenerate arrangements", "[lattice]") {
  std::mt19937 random(20240611);
  for (int round = 0; round < 60; ++round) {
    std::size_t n = 2 + random() % 3;  // 2..4
    std::size_t m = 3 + random() % 8;  // 3..10
    std::vector<Row> rows;
    // Coefficients in −2..2 (constants in −1..1) make parallels, common points and dependencies likely.
    while (rows.size() < m) {
      Row row(n + 1);
      row[0] = static_cast<long>(random() % 3) - 1;
      bool zero_normal = true;
      for (std::size_t c = 1; c <= n; ++c) {
        row[c] = static_cast<long>(random() % 5) - 2;
        zero_normal = zero_normal && row[c] == 0;
      }
      if (!zero_normal) rows.push_back(row);
    }
    Arrangement arrangement = make_arrangement(n, rows);
    INFO("round " << round << ", n = " << n << ", m = " << arrangement.size());
    IntersectionLattice lattice = intersection_lattice(arrangement);
    CharacteristicPolynomial chi = characteristic_polynomial(lattice);
    CHECK(chi.coefficients == whitney_polynomial(arrangement));
    CHECK(characteristic_polynomial(arrangement).coefficients == chi.coefficients);
    CHECK(characteristic_polynomial_by_sweep(arrangement).coefficients == chi.coefficients);
    if (round < 15) check_lattice_by_definition(arrangement, lattice);
  }
}

TEST_CASE("a past deadline stops the lattice with LimitReached", "[lattice]") {
  RunControl control;
  control.deadline = RunControl::Clock::now() - std::chrono::seconds(1);
  CHECK_THROWS_AS(characteristic_polynomial(resonance(4), control), LimitReached);
  CHECK_THROWS_AS(intersection_lattice(resonance(4), control), LimitReached);
}

namespace {

void check_bench(const std::string& size) {
  std::vector<BenchInstance> instances = bench_instances();
  REQUIRE(!instances.empty());
  for (const BenchInstance& instance : instances) {
    if (instance.size != size) continue;
    INFO(instance.name);
    ArrFile file = read_arr_file(std::string(CHAMBER_SHARED_BENCH) + "/instances/" + instance.name + ".arr");
    CharacteristicPolynomial chi = characteristic_polynomial(file.arrangement);
    CHECK(chi.regions() == Integer(instance.regions));
    if (instance.bounded != "-") CHECK(chi.bounded_regions() == Integer(instance.bounded));
  }
}

}  // namespace

TEST_CASE("the shared bench instances (small) have their expected region counts", "[lattice][bench]") {
  check_bench("small");
}

TEST_CASE("the shared bench instances (large) have their expected region counts", "[.slow][lattice][bench]") {
  check_bench("large");
}

TEST_CASE("blocks of hyperplanes in disjoint variables: χ is the product, the flats multiply", "[lattice][blocks]") {
  std::mt19937_64 random(11);
  std::uniform_int_distribution<long> entry(-3, 3);
  for (int trial = 0; trial < 20; ++trial) {
    // Variables 0..1 and 3..5 carry two random arrangements, variable 2 none, variable 6 one hyperplane.
    const std::vector<std::vector<std::size_t>> groups = {{0, 1}, {3, 4, 5}, {6}};
    std::vector<Row> rows;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const int count = g == 2 ? 1 : 4;
      for (int k = 0; k < count; ++k) {
        Row row(8, 0);
        row[0] = entry(random);
        bool nonzero = false;
        for (std::size_t v : groups[g]) {
          row[v + 1] = entry(random);
          nonzero = nonzero || row[v + 1] != 0;
        }
        if (!nonzero) row[groups[g][0] + 1] = 1;
        rows.push_back(row);
      }
    }
    const Arrangement arrangement = make_arrangement(7, rows);
    const IntersectionLattice whole = intersection_lattice(arrangement);
    const CharacteristicPolynomial direct = characteristic_polynomial(whole);
    const LatticeSummary blocks = lattice_summary(arrangement);
    INFO("trial " << trial << ": χ = " << to_string(direct));
    CHECK(blocks.blocks >= 3);
    CHECK(blocks.chi.coefficients == direct.coefficients);
    CHECK(characteristic_polynomial(arrangement).coefficients == direct.coefficients);
    CHECK(blocks.flats == Integer(static_cast<unsigned long>(whole.flats.size())));
  }
  // One block: the same as before.
  const LatticeSummary braid4 = lattice_summary(braid(4));
  CHECK(braid4.blocks == 1);
  CHECK(braid4.chi.regions() == 24);
}

namespace {

/*! a 1-D convolution layer as an arrangement: `filters` rows of `kernel` entries slid with `stride` over `width`
 * inputs, each with its own bias; entries drawn from `entry` (small ranges make coincidences likely). */
Arrangement banded(std::mt19937_64& random, std::size_t width, std::size_t kernel, std::size_t stride,
                   std::size_t filters, std::uniform_int_distribution<long> entry) {
  std::vector<Row> rows;
  std::vector<Row> weights(filters, Row(kernel));
  for (Row& w : weights) {
    for (long& v : w) v = entry(random);
    if (std::all_of(w.begin(), w.end(), [](long v) { return v == 0; })) w[0] = 1;
  }
  for (std::size_t start = 0; start + kernel <= width; start += stride)
    for (const Row& w : weights) {
      Row row(width + 1, 0);
      row[0] = entry(random);
      for (std::size_t k = 0; k < kernel; ++k) row[start + k + 1] = w[k];
      rows.push_back(row);
    }
  return make_arrangement(width, rows);
}

}  // namespace

TEST_CASE("the sweep gives the lattice's χ on families, products and degenerate cases", "[lattice][sweep]") {
  for (const Arrangement& arrangement :
       {resonance(3), resonance(4), resonance(5), threshold(3), threshold(4), braid(5), shi(4), coordinate(6),
        make_arrangement(2, {{0, 1, 0}, {1, 1, 0}, {0, 0, 1}, {-2, 0, 1}, {0, 1, 1}, {1, 1, 1}}),
        make_arrangement(3, {{0, 1, 0, 0}, {0, 2, 0, 0}, {5, 0, 0, 1}})}) {
    const CharacteristicPolynomial chi = characteristic_polynomial(arrangement);
    INFO("n = " << arrangement.dimension() << ", m = " << arrangement.size() << ", χ = " << to_string(chi));
    SweepStats stats;
    CHECK(characteristic_polynomial_by_sweep(arrangement, {}, &stats).coefficients == chi.coefficients);
    CHECK(stats.max_states >= 1);
    CHECK(stats.max_open <= arrangement.dimension());
  }
  // No hyperplane: χ = t^n.
  const CharacteristicPolynomial empty = characteristic_polynomial_by_sweep(Arrangement(3, {}));
  CHECK(empty.coefficients == std::vector<Integer>{1, 0, 0, 0});
}

TEST_CASE("the sweep on banded (convolution) arrangements equals the lattice, with few open variables",
          "[lattice][sweep]") {
  std::mt19937_64 random(5);
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t kernel = 1 + trial % 3, stride = 1 + trial / 3 % 2, filters = 1 + trial / 6 % 3;
    const std::size_t width = kernel + 2 + static_cast<std::size_t>(trial / 2 % 4);
    // Odd trials: entries in −2..2 (repeated filters, parallel and concurrent hyperplanes); even: large entries.
    const auto entry = trial % 2 ? std::uniform_int_distribution<long>(-2, 2)
                                 : std::uniform_int_distribution<long>(-1000000, 1000000);
    const Arrangement arrangement = banded(random, width, kernel, stride, filters, entry);
    const CharacteristicPolynomial chi = characteristic_polynomial(arrangement);
    INFO("trial " << trial << ": width " << width << ", kernel " << kernel << ", stride " << stride << ", "
                  << filters << " filters, χ = " << to_string(chi));
    SweepStats stats;
    CHECK(characteristic_polynomial_by_sweep(arrangement, {}, &stats).coefficients == chi.coefficients);
    // The open variables are a window of the input: those of one receptive field and the next.
    CHECK(stats.max_open <= kernel + stride);
    if (arrangement.size() <= 12) CHECK(chi.coefficients == whitney_polynomial(arrangement));
  }
}

TEST_CASE("the sweep's state budget and the lattice-or-sweep choice", "[lattice][sweep]") {
  std::mt19937_64 random(8);
  const Arrangement arrangement = banded(random, 7, 3, 1, 2, std::uniform_int_distribution<long>(-1000000, 1000000));
  const CharacteristicPolynomial chi = characteristic_polynomial(arrangement);
  RunControl few_states;
  few_states.max_states = 10;
  CHECK_THROWS_AS(characteristic_polynomial_by_sweep(arrangement, few_states), LimitReached);
  // A lattice over budget falls back to the sweep; both over budget is LimitReached.
  RunControl few_flats;
  few_flats.max_flats = 10;
  CHECK(characteristic_polynomial_within(arrangement, few_flats).coefficients == chi.coefficients);
  few_flats.max_states = 10;
  CHECK_THROWS_AS(characteristic_polynomial_within(arrangement, few_flats), LimitReached);
  RunControl late;
  late.deadline = RunControl::Clock::now() - std::chrono::seconds(1);
  CHECK_THROWS_AS(characteristic_polynomial_by_sweep(resonance(6), late), LimitReached);
}

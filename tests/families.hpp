// Arrangement families with known counts and the shared bench instances, for the tests.
#pragma once

#include "arrangement/arrangement.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace chamber::test {

using Row = std::vector<long>;

/*! builds the arrangement of integer rows (b, a1..an) in Q^n. */
inline Arrangement make_arrangement(std::size_t n, const std::vector<Row>& rows) {
  std::vector<Hyperplane> hyperplanes;
  for (const Row& row : rows) {
    RationalVector values;
    for (long v : row) values.emplace_back(v);
    hyperplanes.push_back(Hyperplane::from_rationals(values));
  }
  return Arrangement(n, hyperplanes);
}

/*! the row of Σ_{i ∈ S} x_i + b = 0 in Q^n (S given as a bit mask over coordinates). */
inline Row subset_row(std::size_t n, unsigned mask, long b = 0) {
  Row row(n + 1, 0);
  row[0] = b;
  for (std::size_t i = 0; i < n; ++i)
    if (mask >> i & 1U) row[i + 1] = 1;
  return row;
}

/*! the resonance arrangement R_n: Σ_{i∈S} x_i = 0 for ∅ ≠ S ⊆ [n]. */
inline Arrangement resonance(std::size_t n) {
  std::vector<Row> rows;
  for (unsigned mask = 1; mask < (1U << n); ++mask) rows.push_back(subset_row(n, mask));
  return make_arrangement(n, rows);
}

/*! the threshold arrangement T_n in Q^{n+1}: x_0 + Σ_{i∈S} x_i = 0 for S ⊆ [n]. */
inline Arrangement threshold(std::size_t n) {
  std::vector<Row> rows;
  for (unsigned mask = 0; mask < (1U << n); ++mask) rows.push_back(subset_row(n + 1, 1U | mask << 1));
  return make_arrangement(n + 1, rows);
}

/*! x_i − x_j = c for i < j in Q^n, for each c in `constants`. */
inline Arrangement braid_like(std::size_t n, const std::vector<long>& constants) {
  std::vector<Row> rows;
  for (long c : constants)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        Row row(n + 1, 0);
        row[0] = -c;
        row[i + 1] = 1;
        row[j + 1] = -1;
        rows.push_back(row);
      }
  return make_arrangement(n, rows);
}

inline Arrangement coordinate(std::size_t n) {
  std::vector<Row> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back(subset_row(n, 1U << i));
  return make_arrangement(n, rows);
}

/*! m hyperplanes 1 + t x1 + t^2 x2 + ... + t^n xn = 0, t = 1..m: rows of a Vandermonde matrix, so
 * any n + 1 rows (and any n normals) are independent — general position. `scale` multiplies column
 * n, which keeps general position (a change of coordinates) and can push entries past 64 bits. */
inline Arrangement moment_curve(std::size_t n, std::size_t m, const Integer& scale = 1) {
  std::vector<Hyperplane> hyperplanes;
  for (std::size_t t = 1; t <= m; ++t) {
    RationalVector row;
    Integer power = 1;
    for (std::size_t k = 0; k <= n; ++k) {
      Integer value = k == n ? Integer(power * scale) : power;
      row.emplace_back(value);
      power *= static_cast<unsigned long>(t);
    }
    hyperplanes.push_back(Hyperplane::from_rationals(row));
  }
  return Arrangement(n, hyperplanes);
}

/*! the Shi arrangement in Q^n: x_i − x_j ∈ {0, 1} for i < j; (n+1)^{n−1} regions. */
inline Arrangement shi(std::size_t n) { return braid_like(n, {0, 1}); }

/*! the braid arrangement A_{n−1} in Q^n: x_i = x_j for i < j; n! regions. */
inline Arrangement braid(std::size_t n) { return braid_like(n, {0}); }

struct BenchInstance {
  std::string name;
  std::string regions, bounded, size;
};

/*! the instances of ../shared/bench/expected.txt. */
inline std::vector<BenchInstance> bench_instances() {
  std::ifstream in(std::string(CHAMBER_SHARED_BENCH) + "/expected.txt");
  std::vector<BenchInstance> instances;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    BenchInstance instance;
    if (fields >> instance.name >> instance.regions >> instance.bounded >> instance.size) instances.push_back(instance);
  }
  return instances;
}


/*! returns the path of a shared bench instance file. */
inline std::string bench_file(const std::string& name) {
  return std::string(CHAMBER_SHARED_BENCH) + "/instances/" + name + ".arr";
}

}  // namespace chamber::test

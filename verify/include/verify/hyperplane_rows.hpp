// The hyperplanes of an arrangement certificate, read independently of chamber::arrangement.
// Convention: a row [b, a1, ..., an] means the hyperplane b + a·x = 0.
#pragma once

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace chamber::verify {

using IntegerRow = std::vector<mpz_class>;

struct HyperplaneRows {
  std::size_t dimension = 0;      // n
  std::vector<IntegerRow> rows;   // m rows of n + 1 integers
};

/*! reads the `arrangement` object of a certificate (JSON path "arrangement").
 * \throws CheckFailure unless n >= 1, every row has n + 1 integers, every normal is nonzero and no two rows are
 *         proportional (docs/certificate.md, check 1). */
HyperplaneRows read_hyperplane_rows(const nlohmann::json& arrangement);

/*! returns a key that two nonzero rows share iff they are proportional (by a factor of either sign):
 * the row divided by the gcd of its entries, with its first nonzero entry made positive. */
std::string proportionality_key(const IntegerRow& row);

/*! checks that every input row is a nonzero multiple of a certificate row and every certificate row is hit.
 * \throws CheckFailure naming the first input row or certificate hyperplane that fails. */
void match_input_rows(const HyperplaneRows& certificate, const std::vector<IntegerRow>& input_rows);

}  // namespace chamber::verify

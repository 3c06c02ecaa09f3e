#include "verify/hyperplane_rows.hpp"

#include "verify/certificate_fields.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>

namespace chamber::verify {

HyperplaneRows read_hyperplane_rows(const nlohmann::json& arrangement) {
  const std::string path = "arrangement";
  HyperplaneRows result;
  const nlohmann::json& dimension = member(arrangement, "dimension", path);
  std::optional<std::uint64_t> n_value = json_natural(dimension);
  if (!n_value || *n_value < 1)
    fail("arrangement.dimension: expected a JSON integer >= 1, found " + describe(dimension));
  if (*n_value > max_dimension)
    fail("arrangement.dimension: " + std::to_string(*n_value) + " exceeds the cap of " + std::to_string(max_dimension));
  result.dimension = static_cast<std::size_t>(*n_value);
  const std::size_t n = result.dimension;

  const nlohmann::json& rows = require_array(member(arrangement, "hyperplanes", path), "arrangement.hyperplanes");
  result.rows.reserve(rows.size());
  for (std::size_t j = 0; j < rows.size(); ++j) {
    const std::string row_path = "arrangement.hyperplanes[" + std::to_string(j) + "]";
    const nlohmann::json& row = require_array(rows[j], n + 1, row_path, "b and one normal coordinate per dimension");
    IntegerRow values(n + 1);
    for (std::size_t c = 0; c <= n; ++c)
      read_integer(row[c], values[c], [&] { return row_path + "[" + std::to_string(c) + "]"; });
    bool is_zero_normal = true;
    for (std::size_t c = 1; c <= n && is_zero_normal; ++c) is_zero_normal = values[c] == 0;
    if (is_zero_normal) fail(row_path + ": zero normal");
    result.rows.push_back(std::move(values));
  }

  // Proportional rows would make two "regions" of the certificate the same cell counted twice.
  std::unordered_map<std::string, std::size_t> first_with_key;
  for (std::size_t j = 0; j < result.rows.size(); ++j) {
    auto [found, is_new] = first_with_key.emplace(proportionality_key(result.rows[j]), j);
    if (!is_new)
      fail("arrangement.hyperplanes: hyperplanes " + std::to_string(found->second) + " and " + std::to_string(j) +
           " are proportional (duplicate)");
  }
  return result;
}

std::string proportionality_key(const IntegerRow& row) {
  mpz_class divisor = 0;
  for (const mpz_class& value : row) mpz_gcd(divisor.get_mpz_t(), divisor.get_mpz_t(), value.get_mpz_t());
  if (divisor == 0) return "0";  // the zero row; no certificate row has this key
  for (const mpz_class& value : row)
    if (value != 0) {
      if (value < 0) divisor = -divisor;
      break;
    }
  std::string key;
  mpz_class reduced;
  for (const mpz_class& value : row) {
    mpz_divexact(reduced.get_mpz_t(), value.get_mpz_t(), divisor.get_mpz_t());
    key += reduced.get_str();
    key += ',';
  }
  return key;
}

void match_input_rows(const HyperplaneRows& certificate, const std::vector<IntegerRow>& input_rows) {
  std::unordered_map<std::string, std::size_t> row_of_key;
  for (std::size_t j = 0; j < certificate.rows.size(); ++j)
    row_of_key.emplace(proportionality_key(certificate.rows[j]), j);

  std::vector<bool> is_hit(certificate.rows.size(), false);
  for (std::size_t k = 0; k < input_rows.size(); ++k) {
    const std::string prefix = "input row " + std::to_string(k) + " is not a hyperplane of the certificate";
    if (input_rows[k].size() != certificate.dimension + 1)
      fail(prefix + " (" + std::to_string(input_rows[k].size()) + " entries, expected " +
           std::to_string(certificate.dimension + 1) + ")");
    auto found = row_of_key.find(proportionality_key(input_rows[k]));
    if (found == row_of_key.end()) fail(prefix);
    is_hit[found->second] = true;
  }
  for (std::size_t j = 0; j < is_hit.size(); ++j)
    if (!is_hit[j]) fail("certificate hyperplane " + std::to_string(j) + " does not occur in the input");
}

}  // namespace chamber::verify

// The independent certificate checker. Exact GMP evaluation only; it never links chamber::arrangement.
// The format and the argument are in docs/certificate.md.
#pragma once

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chamber::verify {

struct CheckReport {
  bool valid = false;
  std::string reason;  // why the certificate is invalid (names region k, hyperplane i, farkas f, or a field)
  std::string kind;
  std::size_t dimension = 0;
  std::size_t hyperplanes = 0;
  std::size_t regions = 0;
  std::size_t farkas = 0;
};

/*! checks a parsed certificate; `input_rows` (integer rows b a1..an of the original file), when given,
 * must each be a nonzero multiple of a certificate row, and every certificate row must be hit. */
CheckReport check_certificate(const nlohmann::json& certificate,
                              const std::optional<std::vector<std::vector<mpz_class>>>& input_rows = std::nullopt);

}  // namespace chamber::verify

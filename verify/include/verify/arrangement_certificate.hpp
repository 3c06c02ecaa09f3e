// The checker for certificates of kind "arrangement" (docs/certificate.md). Another kind goes in its own file
// and gets one branch in check_certificate.
#pragma once

#include "verify/certificate_check.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace chamber::verify {

/*! checks an "arrangement" certificate (checks 1-5 of docs/certificate.md) whose format and version are already
 * checked, and fills the sizes in `report` as they become known.
 * \throws CheckFailure with a reason naming the JSON path, region, hyperplane or Farkas entry at fault. */
void check_arrangement_certificate(const nlohmann::json& certificate,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                   CheckReport& report);

}  // namespace chamber::verify

// The sharded form of an "arrangement" certificate (docs/certificate.md, "Sharded certificates").
#pragma once

#include "verify/certificate_check.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace chamber::verify {

/*! checks the sharded certificate whose manifest (at `manifest_path`, parsed as `manifest`, format and kind already
 * read) lists its shards and completion file beside it: checks 1-5 of the single-file form, and every file's sha256,
 * order and parent. Fills the sizes in `report`. \throws CheckFailure naming the shard, line, region or entry. */
void check_sharded_arrangement(const std::string& manifest_path, const nlohmann::json& manifest,
                               const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                               CheckReport& report);

}  // namespace chamber::verify

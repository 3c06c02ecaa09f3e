// SHA-256 (FIPS 180-4): the hashes of datasets (manifest, rows) and of certificate shards.
#pragma once

#include <string>
#include <string_view>

namespace chamber::verify {

/*! returns the SHA-256 of `data` as 64 lowercase hex digits. */
std::string sha256_hex(std::string_view data);

}  // namespace chamber::verify

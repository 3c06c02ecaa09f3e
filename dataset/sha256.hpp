// SHA-256 (FIPS 180-4) of files and strings, for the hashes of datasets (manifest, rows).
#pragma once

#include <string>
#include <string_view>

namespace chamber::dataset {

/*! returns the SHA-256 of `data` as 64 lowercase hex digits. */
std::string sha256_hex(std::string_view data);

/*! returns the SHA-256 of the file at `path`. \throws InputError when it cannot be read. */
std::string sha256_file(const std::string& path);

}  // namespace chamber::dataset

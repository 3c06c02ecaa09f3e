// SHA-256 of files, for the hashes of datasets (manifest, rows); the digest itself is the checker's (verify/sha256.hpp).
#pragma once

#include "verify/sha256.hpp"

#include <string>

namespace chamber::dataset {

using verify::sha256_hex;

/*! returns the SHA-256 of the file at `path`. \throws InputError when it cannot be read. */
std::string sha256_file(const std::string& path);

}  // namespace chamber::dataset

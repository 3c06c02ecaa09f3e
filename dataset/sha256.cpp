#include "dataset/sha256.hpp"

#include "arrangement/input_limits.hpp"

namespace chamber::dataset {

std::string sha256_file(const std::string& path) { return sha256_hex(read_file(path)); }

}  // namespace chamber::dataset

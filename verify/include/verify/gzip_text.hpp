// Certificates may be stored gzip-compressed (datasets keep them so). The checker reads either form.
#pragma once

#include <cstddef>
#include <string>

namespace chamber::verify {

/// A gzip stream may inflate to at most this many times its compressed size, plus 16 MiB (the cap against bombs).
inline constexpr std::size_t max_inflation_ratio = 256;

/*! returns the bytes of the file at `path`, inflated when they start with the gzip magic (1f 8b).
 * \throws std::runtime_error naming the path when the file cannot be read or the gzip stream is corrupt. */
std::string read_maybe_gzip(const std::string& path);

/*! returns `bytes` inflated when they start with the gzip magic, else unchanged.
 * \throws std::runtime_error when the gzip stream is corrupt or truncated. */
std::string inflate_if_gzip(std::string bytes);

}  // namespace chamber::verify

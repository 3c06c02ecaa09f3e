// How many trials a randomized test runs: all of them in the Release tree, fewer in test.sh's sanitizer tree.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace chamber::test {

/*! true in test.sh's sanitizer tree (CHAMBER_SANITIZER_TREE=1): -O0 ASan + UBSan binaries, 10-50x slower. */
inline bool sanitizer_tree() {
  static const bool set = [] {
    const char* value = std::getenv("CHAMBER_SANITIZER_TREE");
    return value != nullptr && std::string_view(value) == "1";
  }();
  return set;
}

/*! the number of trials of a randomized test: `all` in the Release tree, which runs every trial; `sanitized` (at
 * most `all`) in the sanitizer tree, where a smaller sample of the same code paths is enough. Trials take their
 * seeds in order, so the sanitizer tree runs exactly the first `sanitized` trials of the Release tree. */
inline int trials(int all, int sanitized) { return sanitizer_tree() ? std::min(all, sanitized) : all; }

}  // namespace chamber::test

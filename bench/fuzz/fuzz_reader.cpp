// One libFuzzer harness per entry of the reader table (readers.hpp); CHAMBER_FUZZ_READER names the entry.
// An input that breaks the contract (an exception other than InputError/LimitReached escaping a reader, anything
// escaping a checker) is printed and aborts, so libFuzzer saves it as a crash; sanitizer reports, timeouts
// (-timeout) and memory (-rss_limit_mb, -malloc_limit_mb) are libFuzzer's own findings.
#include "bench/fuzz/readers.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#ifndef CHAMBER_FUZZ_READER
#error "CHAMBER_FUZZ_READER must name an entry of bench/fuzz/readers.cpp"
#endif

namespace {

const chamber::fuzz::Reader& the_reader() {
  static const chamber::fuzz::Reader* reader = [] {
    const chamber::fuzz::Reader* found = chamber::fuzz::find_reader(CHAMBER_FUZZ_READER);
    if (!found) {
      std::fprintf(stderr, "fuzz: no reader '%s' in the table\n", CHAMBER_FUZZ_READER);
      std::abort();
    }
    return found;
  }();
  return *reader;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  the_reader();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const chamber::fuzz::Reader& reader = the_reader();
  const chamber::fuzz::Result result =
      chamber::fuzz::run_reader(reader, std::string_view(reinterpret_cast<const char*>(data), size));
  if (!result.allowed) {
    std::fprintf(stderr, "\n==chamber-fuzz== FINDING in reader '%s' (%s): %s\n", reader.name, reader.description,
                 result.message.c_str());
    std::fflush(stderr);
    std::abort();
  }
  return 0;
}

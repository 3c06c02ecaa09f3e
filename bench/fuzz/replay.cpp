// fuzz_replay READER FILE...: runs one reader of the table (readers.hpp) on each file, in whatever build it is compiled
// in (Release: build/bin/fuzz_replay), and prints per file the outcome, the seconds and whether the contract held.
// bench/fuzz.sh uses it to time, without sanitizers, the inputs libFuzzer found slow in the instrumented build.
// Exit 0 when every file kept the contract, 1 otherwise, 2 on usage errors.
#include "bench/fuzz/readers.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: fuzz_replay READER FILE...\n");
    return 2;
  }
  const chamber::fuzz::Reader* reader = chamber::fuzz::find_reader(argv[1]);
  if (!reader) {
    std::fprintf(stderr, "fuzz_replay: no reader '%s'\n", argv[1]);
    return 2;
  }
  int status = 0;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "fuzz_replay: %s: cannot open\n", argv[i]);
      return 2;
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const auto start = std::chrono::steady_clock::now();
    const chamber::fuzz::Result result = chamber::fuzz::run_reader(*reader, bytes.str());
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s %s %.3f %s%s\n", argv[i], chamber::fuzz::to_string(result.outcome), seconds,
                result.allowed ? "ok" : "FINDING: ", result.allowed ? "" : result.message.c_str());
    if (!result.allowed) status = 1;
  }
  return status;
}

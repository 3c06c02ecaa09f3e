// Every reader of user input (bench/fuzz/readers.hpp, the table the fuzzers use) over every file of its seed corpus
// bench/fuzz/corpus/<reader>/ (real examples, hostile hand-made inputs and regression-* inputs found by fuzzing) and
// a fixed set of mutations of each: only the allowed outcomes may happen (read, InputError, LimitReached; a report
// from a checker). A contract break fails with the reader, the file, the mutation and what escaped.
#include "bench/fuzz/readers.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using chamber::fuzz::Reader;
using chamber::fuzz::Result;

namespace {

const fs::path corpus_root{CHAMBER_FUZZ_CORPUS};

/// The readers with a test case below (one each, so that CTest runs them in parallel).
constexpr std::array<const char*, 11> tested_readers{"arr",          "symmetry", "network", "arrangement_certificate",
                                                     "network_certificate", "dataset_spec", "box",
                                                     "through",      "points",  "architecture", "weights"};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<fs::path> seed_files(const std::string& reader) {
  std::vector<fs::path> files;
  const fs::path dir = corpus_root / reader;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

/// splitmix64: a fixed, portable sequence (the same mutations on every machine and every run).
struct Random {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }
};

std::uint64_t name_hash(const std::string& name) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ULL;
  return h;
}

/// Bytes and tokens that matter to the readers: JSON structure, number syntax, separators, extremes.
const std::vector<std::string> tokens{"[", "]", "{", "}", "\"", ",", ":", ";", "-", "/", ".", "e", "x", " ", "\n", "#",
                                      "0", "1", "9", "1e999", "-1e-99999", "99999999999999999999999", "1/0", "0/0",
                                      "null", "true", "[[[[[[[[", "\"p/q\"", std::string(1, '\0'), "\xff\xfe"};

/// one mutation of `seed`: 1 to 3 edits (bit flip, byte set, token insert, chunk delete, chunk duplicate, truncate).
std::string mutate(const std::string& seed, Random& random) {
  std::string s = seed;
  const std::size_t edits = 1 + random.below(3);
  for (std::size_t e = 0; e < edits; ++e) {
    const std::size_t pos = random.below(s.size() + 1);
    switch (random.below(6)) {
      case 0:
        if (!s.empty()) s[std::min(pos, s.size() - 1)] ^= static_cast<char>(1u << random.below(8));
        break;
      case 1: {
        const std::string& token = tokens[random.below(tokens.size())];
        if (!s.empty()) s[std::min(pos, s.size() - 1)] = token[0];
        break;
      }
      case 2: s.insert(pos, tokens[random.below(tokens.size())]); break;
      case 3: s.erase(pos, 1 + random.below(64)); break;
      case 4: {
        const std::string chunk = s.substr(pos, 1 + random.below(64));
        s.insert(pos, chunk);
        break;
      }
      default: s.resize(pos); break;
    }
  }
  return s;
}

/// mutations per seed: fewer for large seeds (certificates), so that the whole test stays within seconds.
std::size_t mutations_for(std::size_t bytes) {
  if (bytes > 64 * 1024) return 8;
  if (bytes > 8 * 1024) return 24;
  return 64;
}

void check_reader(const std::string& name) {
  const Reader* reader = chamber::fuzz::find_reader(name);
  REQUIRE(reader != nullptr);
  const std::vector<fs::path> files = seed_files(name);
  INFO("corpus " << (corpus_root / name).string());
  REQUIRE(!files.empty());
  std::map<std::string, std::size_t> outcomes;
  std::size_t inputs = 0;
  const auto start = std::chrono::steady_clock::now();
  auto run = [&](const std::string& bytes, const fs::path& file, const std::string& what) {
    const Result result = chamber::fuzz::run_reader(*reader, bytes);
    ++inputs;
    ++outcomes[chamber::fuzz::to_string(result.outcome)];
    if (!result.allowed) {
      FAIL_CHECK("reader " << name << ", " << file.filename().string() << ", " << what << " (" << bytes.size()
                           << " bytes): " << result.message);
    }
  };
  for (const fs::path& file : files) {
    const std::string seed = read_bytes(file);
    run(seed, file, "as is");
    // Truncations at fixed fractions, then random mutations from a seed fixed per file.
    for (std::size_t k = 1; k < 8 && !seed.empty(); ++k) run(seed.substr(0, seed.size() * k / 8), file, "truncated");
    Random random{name_hash(name + "/" + file.filename().string())};
    const std::size_t count = mutations_for(seed.size());
    for (std::size_t m = 0; m < count; ++m) run(mutate(seed, random), file, "mutation " + std::to_string(m));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ostringstream summary;
  for (const auto& [outcome, n] : outcomes) summary << ' ' << outcome << '=' << n;
  WARN("reader " << name << ": " << files.size() << " seeds, " << inputs << " inputs in " << seconds << " s:"
                 << summary.str());
}

}  // namespace

TEST_CASE("the reader table, the tests here and the corpus folders name the same readers", "[readers]") {
  std::set<std::string> table, tested(tested_readers.begin(), tested_readers.end()), folders;
  for (const Reader& reader : chamber::fuzz::readers()) table.insert(reader.name);
  for (const fs::directory_entry& entry : fs::directory_iterator(corpus_root))
    if (entry.is_directory()) folders.insert(entry.path().filename().string());
  CHECK(table == tested);
  CHECK(table == folders);
}

#define READER_TEST(name) \
  TEST_CASE("reader " name ": the seed corpus and its mutations keep the contract", "[readers]") { check_reader(name); }

READER_TEST("arr")
READER_TEST("symmetry")
READER_TEST("network")
READER_TEST("arrangement_certificate")
READER_TEST("network_certificate")
READER_TEST("dataset_spec")
READER_TEST("box")
READER_TEST("through")
READER_TEST("points")
READER_TEST("architecture")
READER_TEST("weights")

// The readers of user input, as one table: each takes the raw bytes of one input and runs the code the CLI runs on
// it. The libFuzzer harnesses (bench/fuzz/fuzz_reader.cpp, one executable per entry) and the ordinary reader test
// (tests/test_readers.cpp, every seed of bench/fuzz/corpus/<name>/ and fixed mutations of it) both use this table.
//
// The contract: a reader returns normally or throws chamber::InputError (exit 2) or chamber::LimitReached (exit 4);
// a certificate checker returns a report, valid or not, or rejects input that does not parse as check.cpp would.
// Anything else escaping (another std::exception, a nlohmann exception, a filesystem error, std::bad_alloc) is a
// finding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chamber::fuzz {

/*! what a reader did with an input that kept to the contract. */
enum class Outcome {
  accepted,  // read normally
  rejected,  // InputError (exit 2), or a certificate that does not parse (check.cpp's exit 2)
  limit,     // LimitReached (exit 4)
  valid,     // a certificate that checks
  invalid,   // a certificate that parses but does not check (exit 1)
};

struct Reader {
  const char* name;         // also the corpus folder bench/fuzz/corpus/<name>/ and the harness fuzz_<name>
  const char* description;  // the CLI entry it stands for
  /*! runs the reader on `bytes`; returns accepted, valid or invalid, or throws. */
  Outcome (*run)(std::string_view bytes);
  /*! true for the certificate checkers: an InputError or LimitReached escaping them is a finding too. */
  bool checker = false;
};

/*! every reader, in a fixed order. */
const std::vector<Reader>& readers();

/*! returns the reader called `name`, or nullptr. */
const Reader* find_reader(std::string_view name);

/*! the outcome of one input: `allowed` false is a finding, described in `message`. */
struct Result {
  bool allowed = true;
  Outcome outcome = Outcome::accepted;
  std::string message;  // the exception's type and what() (first 300 bytes) when not allowed; the reason otherwise
};

/*! runs `reader` on `bytes` and classifies what happened. */
Result run_reader(const Reader& reader, std::string_view bytes);

/*! returns "accepted", "rejected", ... */
const char* to_string(Outcome outcome);

}  // namespace chamber::fuzz

// Pieces shared by the subcommands: common options, limits, progress, JSON numbers.
#pragma once

#include "arrangement/bounded.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/number.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/run_control.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chamber::cli {

struct CommonOptions {
  bool json = false;
  bool quiet = false;
  std::optional<std::uint64_t> max_regions;
  std::optional<double> time_limit;  // seconds
  bool exact_lp = false;
  unsigned threads = 0;  // 0: all cores
};

/*! adds --json and --quiet; with `limits`, also --max-regions and --time-limit. */
void add_common_options(CLI::App& command, CommonOptions& options, bool limits);

/*! returns the bytes of the file at `path`. \throws InputError naming it when it cannot be read. */
std::string read_file(const std::string& path);

/*! returns `bytes` gzip-compressed (level 9, no name, time 0: the same bytes on every run). */
std::string gzip_bytes(const std::string& bytes);

/*! builds the run control (deadline from now, region limit, progress on stderr unless quiet). */
RunControl make_run_control(const CommonOptions& options);

/*! returns the number of threads to use: --threads, or every core when it is 0. */
unsigned thread_count(const CommonOptions& options);

/*! returns how the LPs were decided, for --json. */
nlohmann::json lp_paths_json(const LpCounters& counters);
/*! how boundedness was decided, as JSON. */
nlohmann::json boundedness_paths_json(const BoundednessCounters& counters);

/*! returns `value` as a JSON integer when it fits in 64 bits, else as a decimal string. */
nlohmann::json json_integer(const Integer& value);
/*! returns the values as a JSON array of json_integer (e.g. χ's coefficients). */
nlohmann::json json_integers(const std::vector<Integer>& values);

/*! returns seconds elapsed since `start`. */
double seconds_since(std::chrono::steady_clock::time_point start);

/*! returns χ(t) as text, e.g. "t^3 - 3t^2 + 2t". */
std::string polynomial_to_text(const std::vector<Integer>& coefficients_high_to_low);

}  // namespace chamber::cli

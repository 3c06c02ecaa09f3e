// Pieces shared by the subcommands: common options, limits, progress, JSON numbers.
#pragma once

#include "arrangement/bounded.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/number.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"
#include "arrangement/run_control.hpp"
#include "arrangement/shards.hpp"

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

/*! adds --checkpoint FILE, --checkpoint-every SECONDS and --resume FILE, and --job-budget N (search nodes per job);
 * `when` and `budget_when` say when they apply ("With --shards") and `kept` what a checkpoint keeps. */
void add_checkpoint_options(CLI::App& command, RunCheckpoints& checkpoints, std::uint64_t& job_budget,
                            const std::string& when, const std::string& kept, const std::string& budget_when);

/*! builds the run control (deadline from now, region limit, progress on stderr unless quiet). */
RunControl make_run_control(const CommonOptions& options);

/*! returns the number of threads to use: --threads, or every core when it is 0. */
unsigned thread_count(const CommonOptions& options);

}  // namespace chamber::cli

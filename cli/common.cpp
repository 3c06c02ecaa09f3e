#include "cli/common.hpp"

#include "arrangement/run_limits.hpp"

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

namespace chamber::cli {

namespace {

/*! accepts a number > 0 and says so plainly otherwise (CLI11's range message prints DBL_MAX). */
const CLI::Validator positive(
    [](std::string& text) -> std::string {
      try {
        std::size_t used = 0;
        double value = std::stod(text, &used);
        if (used == text.size() && value > 0) return {};
      } catch (const std::exception&) {
      }
      return "must be a number greater than 0, got '" + text + "'";
    },
    "> 0");

}  // namespace

void add_checkpoint_options(CLI::App& command, RunCheckpoints& checkpoints, std::uint64_t& job_budget,
                            const std::string& when, const std::string& kept, const std::string& budget_when) {
  command.add_option("--job-budget", job_budget, budget_when + ": search nodes per job (default " +
                                                     std::to_string(JobOptions{}.budget) + ")")
      ->check(CLI::PositiveNumber);
  command.add_option("--checkpoint", checkpoints.path,
                     when + ": keep a checkpoint in this file (" + kept +
                         " and the jobs left), so that a killed run can be continued with --resume");
  command.add_option("--checkpoint-every", checkpoints.every_seconds, "Seconds between checkpoints (default 300)")
      ->check(CLI::PositiveNumber);
  command.add_option("--resume", checkpoints.resume,
                     when + ": continue the run this checkpoint file describes (same arrangement; its job budget)");
}

void add_common_options(CLI::App& command, CommonOptions& options, bool limits) {
  command.add_flag("--json", options.json, "Print one JSON object on stdout");
  command.add_flag("-q,--quiet", options.quiet, "No progress lines on stderr");
  if (limits) {
    command.add_option("--max-regions", options.max_regions, "Stop (exit 4) after this many regions")
        ->check(positive);
    command.add_option("--time-limit", options.time_limit, "Stop (exit 4) after this many seconds")
        ->check(positive);
    command.add_option("--threads", options.threads,
                       "Threads for the search (default: all cores); results are identical for any number")
        ->check(CLI::Range(1u, 1024u));
    command.add_flag("--exact-lp", options.exact_lp,
                     "Decide every LP with CGAL's exact solver (no floating-point proposals; slower, same answers)");
  }
}

unsigned thread_count(const CommonOptions& options) { return resolve_threads(options.threads); }

RunControl make_run_control(const CommonOptions& options) {
  RunControl control = run_limits(options.time_limit, options.max_regions);
  if (!options.quiet) control.progress = [](const std::string& line) { std::cerr << "chamber: " << line << std::endl; };
  return control;
}

}  // namespace chamber::cli

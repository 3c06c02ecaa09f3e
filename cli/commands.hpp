// The subcommands of `chamber`; each registers its options and returns the exit code it ends with.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace chamber::cli {

/*! a registered subcommand and the function that runs it after parsing. */
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

/*! runs the command line `argv` (as `chamber` does; `program` names the binary in messages) and returns the exit
 * code: 0 success, 1 a check found a claim false, 2 bad input or usage, 3 internal inconsistency, 4 user limit,
 * 130/143 stopped by SIGINT/SIGTERM. */
int run(int argc, char** argv, const char* program = "chamber");

Command add_count_command(CLI::App& app);
Command add_enumerate_command(CLI::App& app);
Command add_check_command(CLI::App& app);
Command add_info_command(CLI::App& app);
Command add_cnn_command(CLI::App& app);
Command add_formula_command(CLI::App& app);
Command add_random_command(CLI::App& app);
Command add_sample_command(CLI::App& app);
Command add_slice_command(CLI::App& app);
Command add_line_command(CLI::App& app);
Command add_dataset_command(CLI::App& app);
Command add_plot_dataset_command(CLI::App& app);
Command add_expect_command(CLI::App& app);
Command add_realize_command(CLI::App& app);

}  // namespace chamber::cli

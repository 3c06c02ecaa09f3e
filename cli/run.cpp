// The `chamber` command line (also chamber-mpi's on its first rank): parses it, runs one subcommand, and maps errors
// to exit codes (0 success, 1 a check found a claim false, 2 bad input or usage, 3 internal inconsistency, 4 user
// limit, 130/143 stopped by SIGINT/SIGTERM).
#include "arrangement/errors.hpp"
#include "arrangement/output_file.hpp"
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <new>
#include <vector>

namespace chamber::cli {

int run(int argc, char** argv, const char* program) {
  CLI::App app{std::string(program) + ": exact regions of hyperplane arrangements and linear regions of ReLU networks, with certificates"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(program) + " 0.1.0");
  std::vector<cli::Command> commands{cli::add_count_command(app), cli::add_enumerate_command(app),
                                     cli::add_check_command(app), cli::add_info_command(app),
                                     cli::add_cnn_command(app),   cli::add_formula_command(app),
                                     cli::add_random_command(app), cli::add_sample_command(app),
                                     cli::add_slice_command(app), cli::add_dataset_command(app),
                                     cli::add_plot_dataset_command(app), cli::add_line_command(app),
                                     cli::add_expect_command(app), cli::add_realize_command(app)};
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const cli::Command& command : commands) known = known || command.app->get_name() == argv[1];
    if (!known) {
      std::cerr << program << ": error: unknown command '" << argv[1] << "' (commands: count, enumerate, check, info, cnn, formula, random, sample, slice, line, dataset, plot-dataset, expect, realize)"
                << std::endl;
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  install_stop_handlers();
  try {
    for (cli::Command& command : commands)
      if (command.app->parsed()) return command.run();
  } catch (const InputError& e) {
    std::cerr << program << ": error: " << e.what() << std::endl;
    return 2;
  } catch (const LimitReached& e) {
    std::cerr << program << ": stopped: " << e.what() << std::endl;
    return 4;
  } catch (const Interrupted& e) {
    std::cerr << program << ": stopped: " << e.what() << " (no partial output written)" << std::endl;
    return 128 + e.signal;
  } catch (const std::filesystem::filesystem_error& e) {
    // Every path chamber touches comes from the user (options, spec entries): a path the system refuses is bad input.
    std::cerr << program << ": error: " << e.path1().string() << ": " << e.code().message() << std::endl;
    return 2;
  } catch (const InternalError& e) {
    std::cerr << program << ": internal inconsistency: " << e.what() << std::endl;
    return 3;
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": out of memory" << std::endl;
    return 3;
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << e.what() << std::endl;
    return 3;
  }
  return 2;
}

}  // namespace chamber::cli

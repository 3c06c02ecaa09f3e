// chamber expect --input CxHxW --conv … --linear … --draws N --weights DIST [--seed S] [--json]: eq. (5) of Xiong et
// al. (eq. (4) is the expected region count over random weights) checked by exact counts over N weight draws.
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/expectation.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct ExpectOptions {
  ArchitectureText architecture;
  std::size_t draws = 0;
  std::string weights;
  std::uint64_t seed = 1;
  std::string engine = "auto";
  CommonOptions common;
};

int run_expect(const ExpectOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  ExpectationOptions expectation;
  expectation.draws = options.draws;
  expectation.weights = parse_weight_distribution(options.weights);
  expectation.seed = options.seed;
  expectation.engine = parse_network_engine(options.engine, "--engine");
  expectation.search.exact_lp = options.common.exact_lp;
  expectation.search.threads = thread_count(options.common);
  const ExpectationEstimate estimate =
      estimate_expectation(architecture, to_string(options.architecture), expectation, make_run_control(options.common));
  if (options.common.json)
    std::cout << estimate.to_json().dump(2) << std::endl;
  else
    std::cout << estimate.to_text();
  return 0;
}

}  // namespace

Command add_expect_command(CLI::App& app) {
  auto options = std::make_shared<ExpectOptions>();
  CLI::App* command = app.add_subcommand(
      "expect", "Estimate E[R] over random weights by exact counts (eq. (5) of Xiong et al.: E[R] = eq. (4))");
  add_architecture_options(*command, options->architecture);
  command->add_option("--draws", options->draws, "Number of weight draws N (seeds S .. S+N-1), each counted exactly")
      ->required();
  command->add_option("--weights", options->weights,
                      "int:LO:HI (uniform integers) or he:BITS (He Gaussian rounded to BITS binary digits), as "
                      "chamber random")
      ->required();
  command->add_option("--seed", options->seed, "Seed of the first draw (draw i uses seed S+i, as chamber random)")
      ->capture_default_str();
  command->add_option("--engine", options->engine, "Network engine: auto, lp, cone, hybrid or plane (as chamber cnn)")
      ->capture_default_str();
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_expect(*options); }};
}

}  // namespace chamber::cli

// chamber realize (--breakpoints b1,... --slopes s0,...,sk [--value-at-0 v] | --points FILE) [-o NET.json] [--json]:
// the one-hidden-layer ReLU network with the fewest neurons that computes a continuous piecewise-linear function on R,
// the argument that fewer cannot, and chamber's own enumeration of what it built (cnn/realize.hpp, docs/realize.md).
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/realize.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct RealizeOptions {
  PiecewiseLinearText function;
  std::string output;
  CommonOptions common;
};

int run_realize(const RealizeOptions& options) {
  const PiecewiseLinear f = parse_piecewise_linear(options.function);
  const Realization realization = realize_1d(f, make_run_control(options.common));
  if (!options.output.empty()) write_network_file(realization.network, options.output);
  if (options.common.json) {
    nlohmann::json out = realization.to_json();
    out["output"] = options.output.empty() ? nlohmann::json() : nlohmann::json(options.output);
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << realization.to_text();
    if (!options.output.empty())
      std::cout << "wrote " << options.output << " (input 1x1x1, linear " << realization.neurons
                << " units, a read-out of 1 output)\n";
  }
  return 0;
}

}  // namespace

Command add_realize_command(CLI::App& app) {
  auto options = std::make_shared<RealizeOptions>();
  CLI::App* command = app.add_subcommand(
      "realize", "The smallest one-hidden-layer ReLU network computing a piecewise-linear function on R (Qi & Wei)");
  command->add_option("--breakpoints", options->function.breakpoints,
                      "Breakpoints b1<...<bk, exact numbers separated by commas");
  command->add_option("--slopes", options->function.slopes, "Slopes s0,...,sk (s0 left of b1, sk right of bk)");
  command->add_option("--value-at-0", options->function.value_at_zero, "f(0) (default 0)");
  command->add_option("--points", options->function.points,
                      "A points file of (x, y) pairs: f interpolates them and continues the end pieces");
  command->add_option("-o,--output", options->output, "Write the network (with its read-out) to this file");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_realize(*options); }};
}

}  // namespace chamber::cli

// chamber realize (--breakpoints b1,... --slopes s0,...,sk [--value-at-0 v] | --points FILE) [-o NET.json] [--json]:
// the one-hidden-layer ReLU network with the fewest neurons that computes a continuous piecewise-linear function on R,
// the argument that fewer cannot, and chamber's own enumeration of what it built (cnn/realize.hpp, docs/realize.md).
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/points.hpp"
#include "cnn/realize.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct RealizeOptions {
  std::string breakpoints, slopes, value_at_zero, points, output;
  CommonOptions common;
};

PiecewiseLinear read_function(const RealizeOptions& options) {
  const bool by_slopes = !options.breakpoints.empty() || !options.slopes.empty();
  if (by_slopes == !options.points.empty())
    throw InputError("give either --breakpoints and --slopes (and optionally --value-at-0) or --points FILE");
  if (!by_slopes) {
    if (!options.value_at_zero.empty())
      throw InputError("--value-at-0: only with --breakpoints/--slopes (with --points the points fix the values)");
    const std::vector<InputPoint> read = read_points_file(options.points, 2);
    std::vector<std::pair<Rational, Rational>> points;
    std::vector<std::string> where;
    for (const InputPoint& p : read) {
      points.emplace_back(p.x[0], p.x[1]);
      where.push_back(options.points + ":" + std::to_string(p.line));
    }
    return piecewise_from_points(points, where);
  }
  if (options.breakpoints.empty()) throw InputError("--breakpoints: required with --slopes");
  if (options.slopes.empty()) throw InputError("--slopes: required with --breakpoints");
  Rational value_at_zero = 0;
  if (!options.value_at_zero.empty()) {
    const RationalVector value = parse_coordinates(options.value_at_zero, "--value-at-0");
    if (value.size() != 1) throw InputError("--value-at-0: expected one exact number");
    value_at_zero = value[0];
  }
  return piecewise_from_slopes(parse_coordinates(options.breakpoints, "--breakpoints"),
                               parse_coordinates(options.slopes, "--slopes"), value_at_zero);
}

int run_realize(const RealizeOptions& options) {
  const PiecewiseLinear f = read_function(options);
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
  command->add_option("--breakpoints", options->breakpoints, "Breakpoints b1<...<bk, exact numbers separated by commas");
  command->add_option("--slopes", options->slopes, "Slopes s0,...,sk (s0 left of b1, sk right of bk)");
  command->add_option("--value-at-0", options->value_at_zero, "f(0) (default 0)");
  command->add_option("--points", options->points,
                      "A points file of (x, y) pairs: f interpolates them and continues the end pieces");
  command->add_option("-o,--output", options->output, "Write the network (with its read-out) to this file");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_realize(*options); }};
}

}  // namespace chamber::cli

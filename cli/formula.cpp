// chamber formula --input CxHxW --conv K:KHxKW:S … --linear U …: every closed form and bound that applies to an
// architecture, without weights (references.md).
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/formula_report.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct FormulaOptions {
  ArchitectureText architecture;
  bool exact = false;
  std::uint64_t seed = 1;
  std::string weights = "int:-1000000:1000000";
  CommonOptions common;
};

int run_formula(const FormulaOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  std::optional<ExactDraw> draw;
  if (options.exact) draw = ExactDraw{options.seed, parse_weight_distribution(options.weights)};
  const FormulaReport report =
      formula_report(architecture, options.architecture.input, draw, make_run_control(options.common));
  if (options.common.json)
    std::cout << report.to_json().dump(2) << std::endl;
  else
    std::cout << report.to_text();
  return 0;
}

}  // namespace

Command add_formula_command(CLI::App& app) {
  auto options = std::make_shared<FormulaOptions>();
  CLI::App* command =
      app.add_subcommand("formula", "Closed forms and bounds for an architecture (eq. (4), Theorems 1, 5, bounds)");
  add_architecture_options(*command, options->architecture);
  command->add_flag("--exact", options->exact,
                    "Also count a CNN of conv layers and the fully connected net of the same widths exactly, at "
                    "random weights (--seed, --weights), for regions per parameter");
  command->add_option("--seed", options->seed, "Seed of the --exact draw")->capture_default_str();
  command->add_option("--weights", options->weights, "Weights of the --exact draw (as chamber random)")
      ->capture_default_str();
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_formula(*options); }};
}

}  // namespace chamber::cli

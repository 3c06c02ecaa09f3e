// chamber formula --input CxHxW --conv K:KHxKW:S … --linear U …: every closed form and bound that applies to an
// architecture, without weights (references.md).
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/formula_report.hpp"
#include "cnn/formulas.hpp"

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

/*! returns the growth table, or nothing with the reason in `note` when eq. (4)'s K_N is too large to enumerate. */
std::optional<FilterGrowth> growth_or_note(const Architecture& architecture, std::string& note) {
  try {
    return filter_growth(architecture);
  } catch (const LimitReached& cap) {
    note = cap.what();
    return std::nullopt;
  }
}

int run_formula(const FormulaOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  const std::size_t n0 = architecture.input.size();
  std::size_t hidden = 0;
  for (const Shape& shape : architecture.shapes()) hidden += shape.size();
  const std::vector<ClosedForm> forms = closed_forms(architecture);
  std::optional<ExactDraw> draw;
  if (options.exact) draw = ExactDraw{options.seed, parse_weight_distribution(options.weights)};
  std::string growth_note;
  const std::optional<FilterGrowth> growth = growth_or_note(architecture, growth_note);
  const std::optional<RegionsPerParameter> per_parameter =
      regions_per_parameter(architecture, draw, make_run_control(options.common));

  if (options.common.json) {
    nlohmann::json out;
    out["input"] = {architecture.input.channels, architecture.input.height, architecture.input.width};
    out["input_dimension"] = n0;
    out["layers"] = layers_json(architecture);
    out["hidden_neurons"] = hidden;
    for (const ClosedForm& f : forms) out[f.key] = closed_form_json(f);
    if (growth) out["eq4_growth"] = growth->to_json();
    else if (!growth_note.empty()) out["eq4_growth"] = {{"not_evaluated", growth_note}};
    if (per_parameter) out["regions_per_parameter"] = per_parameter->to_json();
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << "input " << options.architecture.input << " (dimension " << n0 << "), " << hidden
            << " hidden neurons\n";
  for (const ClosedForm& f : forms) std::cout << "  " << f.label << ": " << closed_form_text(f) << '\n';
  if (growth) std::cout << "  " << growth->to_text();
  else if (!growth_note.empty()) std::cout << "  eq. (4) as the number of filters grows: not evaluated: " << growth_note << '\n';
  if (per_parameter) std::cout << "  " << per_parameter->to_text();
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

// chamber formula --input CxHxW --conv K:KHxKW:S … --linear U …: every closed form and bound that applies to an
// architecture, without weights (references.md).
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/formulas.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct FormulaOptions {
  ArchitectureText architecture;
  CommonOptions common;
};

int run_formula(const FormulaOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  const std::size_t n0 = architecture.input.size();
  std::size_t hidden = 0;
  for (const Shape& shape : architecture.shapes()) hidden += shape.size();
  const std::vector<ClosedForm> forms = closed_forms(architecture);

  if (options.common.json) {
    nlohmann::json out;
    out["input"] = {architecture.input.channels, architecture.input.height, architecture.input.width};
    out["input_dimension"] = n0;
    out["layers"] = layers_json(architecture);
    out["hidden_neurons"] = hidden;
    for (const ClosedForm& f : forms) out[f.key] = closed_form_json(f);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << "input " << options.architecture.input << " (dimension " << n0 << "), " << hidden
            << " hidden neurons\n";
  for (const ClosedForm& f : forms) std::cout << "  " << f.label << ": " << closed_form_text(f) << '\n';
  return 0;
}

}  // namespace

Command add_formula_command(CLI::App& app) {
  auto options = std::make_shared<FormulaOptions>();
  CLI::App* command =
      app.add_subcommand("formula", "Closed forms and bounds for an architecture (eq. (4), Theorems 1, 5, bounds)");
  add_architecture_options(*command, options->architecture);
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_formula(*options); }};
}

}  // namespace chamber::cli

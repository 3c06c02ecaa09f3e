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
  ArchitectureOptions architecture;
  CommonOptions common;
};

/*! a named value with the reference it comes from, in print order. */
struct Entry {
  std::string key;
  std::string label;
  Integer value;
};

int run_formula(const FormulaOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  const std::vector<Shape> shapes = architecture.shapes();
  const InputShape input{architecture.input.channels, architecture.input.height, architecture.input.width};
  const std::vector<ConvSpec> convs = architecture.conv_layers();
  const std::vector<std::size_t> widths = architecture.linear_widths();
  const std::size_t n0 = architecture.input.size();
  std::size_t hidden = 0;
  for (const Shape& s : shapes) hidden += s.size();

  std::vector<Entry> entries;
  entries.push_back({"lemma2", "Lemma 2 (2^neurons)", lemma2(hidden)});
  // Parameters: the conv layers by the paper's count, then Σ U (in + 1) for the linear layers.
  Integer parameters = convs.empty() ? Integer(0) : cnn_parameters(input, convs);
  std::size_t in = convs.empty() ? n0 : shapes[convs.size() - 1].size();
  for (std::size_t u : widths) {
    parameters += Integer(static_cast<unsigned long>(u)) * static_cast<unsigned long>(in + 1);
    in = u;
  }
  entries.push_back({"parameters", "parameters", parameters});
  std::vector<std::size_t> same_widths;
  for (const Shape& s : shapes) same_widths.push_back(s.size());
  entries.push_back({"fc_parameters", "parameters of the fully connected net of the same widths",
                     fc_parameters(n0, same_widths)});
  if (convs.size() == 1 && widths.empty()) {
    entries.push_back({"eq4", "Theorem 2 eq. (4)", eq4(input, convs[0])});
    entries.push_back({"theorem1", "Theorem 1 (one FC layer of as many neurons)", theorem1(n0, hidden)});
  }
  if (convs.size() >= 2 && widths.empty()) {
    entries.push_back({"theorem5_lower", "Theorem 5 lower bound (8)", theorem5_lower(input, convs)});
    entries.push_back({"theorem5_upper", "Theorem 5 upper bound (9)", theorem5_upper(input, convs)});
  }
  if (convs.empty()) {
    if (widths.size() == 1) entries.push_back({"theorem1", "Theorem 1", theorem1(n0, widths[0])});
    entries.push_back({"montufar_lower", "Montufar et al. 2014 lower bound", montufar_lower(n0, widths)});
    entries.push_back({"serra_upper", "Serra et al. 2018 upper bound", serra_upper(n0, widths)});
  }
  if (!convs.empty() && !widths.empty())
    entries.push_back({"theorem1_fc", "Theorem 1 for one FC layer of all the hidden neurons", theorem1(n0, hidden)});

  if (options.common.json) {
    nlohmann::json out;
    out["input"] = {architecture.input.channels, architecture.input.height, architecture.input.width};
    out["input_dimension"] = n0;
    out["layers"] = layers_json(architecture);
    out["hidden_neurons"] = hidden;
    for (const Entry& e : entries) out[e.key] = json_integer(e.value);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << "input " << options.architecture.input << " (dimension " << n0 << "), " << hidden
            << " hidden neurons\n";
  for (const Entry& e : entries) std::cout << "  " << e.label << ": " << e.value.get_str() << '\n';
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

// chamber cnn NET.json: the exact number of linear regions of a ReLU network, with its certificate, beside every
// closed form that applies; for one conv layer also the Prop. 2 check and a verdict on eq. (4).
#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/analysis.hpp"

#include <fstream>
#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct CnnOptions {
  std::string network;
  std::string certificate;
  std::string arrangement;
  std::string regions;
  std::string box;
  std::string points;
  bool no_verdict = false;
  std::uint64_t prop2_budget = 2000000;
  std::optional<std::uint64_t> samples;
  double sigma = 3;
  std::uint64_t seed = 1;
  std::string engine = "auto";
  CommonOptions common;
};

int run_cnn(const CnnOptions& options) {
  const Network network = read_network_file(options.network);
  NetworkAnalysisOptions analysis;
  if (!options.box.empty()) analysis.box = parse_box(options.box, "--box");
  if (!options.points.empty()) analysis.points = read_points_file(options.points, network.input_dimension());
  analysis.points_file = options.points;
  analysis.verdict = !options.no_verdict;
  analysis.prop2_budget = options.prop2_budget;
  if (options.samples) analysis.sampling = SamplingRequest{*options.samples, options.sigma, options.seed};
  analysis.certificate = options.certificate;
  analysis.search = SearchOptions{options.common.exact_lp, thread_count(options.common)};
  analysis.engine = parse_network_engine(options.engine, "--engine");

  if (!options.arrangement.empty()) {
    LayerArrangement first = first_layer_arrangement(network);
    OutputFile out(options.arrangement);
    write_arr(out.stream(), first.arrangement,
              "first layer of " + options.network + " (" + std::to_string(first.merge.duplicates) +
                  " duplicate hyperplanes merged, " + std::to_string(first.constant_neurons.size()) +
                  " constant neurons left out)");
    out.commit();
  }
  std::optional<OutputFile> regions_out;
  if (!options.regions.empty()) regions_out.emplace(options.regions);
  NetworkAnalysis result = analyse_network(network, analysis, make_run_control(options.common),
                                           [&](const LinearRegion& region) {
                                             if (!regions_out) return;
                                             regions_out->stream()
                                                 << nlohmann::json{{"pattern", region.pattern},
                                                                   {"witness", json_rationals(region.witness.to_rationals())}}
                                                        .dump()
                                                 << '\n';
                                           });
  if (regions_out) regions_out->commit();
  result.network_file = options.network;

  if (options.common.json) {
    std::cout << result.to_json().dump(2) << std::endl;
    return 0;
  }
  std::cout << options.network << ": input " << shape_text(network.input) << "; " << result.layers_text << " ("
            << result.hidden_neurons << " hidden neurons)\n";
  std::cout << "linear regions: " << result.stats.regions
            << (analysis.box ? " in the box (" + options.box + ")^n" : std::string()) << " (exact; "
            << result.stats.lp_solves << " LPs)\n";
  for (const ClosedForm& f : result.closed_forms) std::cout << "  " << f.label << ": " << closed_form_text(f) << '\n';
  if (const std::optional<Eq4Verdict>& verdict = result.verdict) {
    auto condition = [](const std::optional<bool>& c) { return !c ? "undecided" : *c ? "holds" : "fails"; };
    std::cout << "  Prop. 2: condition (i) " << condition(verdict->prop2.condition_i) << ", condition (ii) "
              << condition(verdict->prop2.condition_ii) << '\n';
    std::cout << "verdict: " << to_string(verdict->verdict) << " - " << verdict->conclusion << '\n';
  }
  if (result.breakpoints) std::cout << "breakpoints: " << json_rationals(*result.breakpoints).dump() << '\n';
  if (result.sampled)
    std::cout << "sampled: " << result.sampled->distinct_patterns << " patterns in " << result.sampled->samples
              << " samples (a lower bound)\n";
  if (const std::optional<PointsReport>& located = result.located) {
    std::cout << "points: " << located->points << " in " << located->patterns.size() << " distinct regions of "
              << result.stats.regions;
    if (!located->on_boundary.empty()) std::cout << ", " << located->on_boundary.size() << " on a boundary";
    if (!located->outside_box.empty()) std::cout << ", " << located->outside_box.size() << " outside the box";
    std::cout << '\n';
    constexpr std::size_t shown = 10;
    for (std::size_t r = 0; r < std::min(shown, located->patterns.size()); ++r)
      std::cout << "  " << located->patterns[r] << ": " << located->lines[r].size()
                << (located->lines[r].size() == 1 ? " point\n" : " points\n");
    if (located->patterns.size() > shown)
      std::cout << "  ... " << located->patterns.size() - shown << " more regions (--json lists them all)\n";
  }
  if (result.certificate)
    std::cout << "certificate: " << options.certificate << " (" << result.certificate->regions << " regions, "
              << result.certificate->farkas_entries << " Farkas entries); verify with: chamber check "
              << options.certificate << '\n';
  return 0;
}

}  // namespace

Command add_cnn_command(CLI::App& app) {
  auto options = std::make_shared<CnnOptions>();
  CLI::App* command =
      app.add_subcommand("cnn", "Exact linear regions of a ReLU network (conv2d/linear), with closed forms and verdicts");
  command->add_option("NETWORK", options->network, "Network file (JSON, format chamber-network)")->required();
  command->add_option("--certificate", options->certificate, "Write a certificate that `chamber check` verifies");
  command->add_option("--arrangement", options->arrangement, "Write the first layer's arrangement as .arr");
  command->add_option("--regions", options->regions, "Write every region (pattern, witness) as JSON lines");
  command->add_option("--box", options->box, "Count only regions meeting the open box LO < x_i < HI (LO,HI)");
  command->add_option("--points", options->points,
                      "Also report which regions these inputs fall into (CSV: one point per line, exact numbers)");
  command->add_option("--engine", options->engine,
                      "auto: the exact 2-D engine on 2-D inputs, the LP engine on one layer, else hybrid; lp: always "
                      "the LP engine; cone: the cone engine (double description, no LPs; the LP engine for cells too "
                      "large for it); hybrid: the first layer by the LP engine, the later layers by the cone engine "
                      "inside each of its cells; plane: the 2-D engine (no LPs)")
      ->capture_default_str();
  command->add_flag("--no-verdict", options->no_verdict, "Skip the Prop. 2 search and the eq. (4) verdict");
  command->add_option("--prop2-budget", options->prop2_budget,
                      "Subsets the Prop. 2 searches may test per condition before reporting 'undecided'")
      ->capture_default_str();
  command->add_option("--samples", options->samples, "Also run the sampling estimate with this many samples");
  command->add_option("--sigma", options->sigma, "Sampling: standard deviation of the inputs")->capture_default_str();
  command->add_option("--seed", options->seed, "Sampling: seed")->capture_default_str();
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_cnn(*options); }};
}

}  // namespace chamber::cli

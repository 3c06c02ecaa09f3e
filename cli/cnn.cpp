// chamber cnn NET.json: the exact number of linear regions of a ReLU network, with its certificate, beside every
// closed form that applies; for one conv layer also the Prop. 2 check and a verdict on eq. (4).
#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/formulas.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/points.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/sampling.hpp"
#include "cnn/verdict.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <unordered_set>

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
  CommonOptions common;
};

int run_cnn(const CnnOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = read_network_file(options.network);
  std::optional<Box> box;
  if (!options.box.empty()) box = parse_box(options.box, "--box");
  RunControl control = make_run_control(options.common);
  const bool one_conv = network.layers.size() == 1 && std::holds_alternative<Conv2d>(network.layers[0]);
  std::vector<InputPoint> points;
  if (!options.points.empty()) points = read_points_file(options.points, network.input_dimension());

  if (!options.arrangement.empty()) {
    LayerArrangement first = first_layer_arrangement(network);
    OutputFile out(options.arrangement);
    write_arr(out.stream(), first.arrangement,
              "first layer of " + options.network + " (" + std::to_string(first.merge.duplicates) +
                  " duplicate hyperplanes merged, " + std::to_string(first.constant_neurons.size()) +
                  " constant neurons left out)");
    out.commit();
  }

  LinearRegionEnumerator enumerator(network,
                                    LinearRegionOptions{control, options.common.exact_lp, box, !options.certificate.empty(),
                                                        thread_count(options.common)});
  std::optional<NetworkCertificateBuilder> builder;
  if (!options.certificate.empty()) builder.emplace(network, box, options.common.exact_lp);
  std::optional<OutputFile> regions_out;
  if (!options.regions.empty()) regions_out.emplace(options.regions);
  const bool one_dimensional = network.input_dimension() == 1;
  std::vector<LinearRegion> kept;
  std::unordered_set<std::string> enumerated_patterns;  // only with --points, to cross-check the points' regions
  enumerator.run([&](const LinearRegion& region) {
    if (!points.empty()) enumerated_patterns.insert(region.pattern);
    if (builder) builder->add_region(region);
    if (regions_out) {
      nlohmann::json witness = nlohmann::json::array();
      for (const Rational& v : region.witness.to_rationals()) witness.push_back(to_string(v));
      regions_out->stream() << nlohmann::json{{"pattern", region.pattern}, {"witness", witness}}.dump() << '\n';
    }
    if (one_dimensional) kept.push_back(region);
  });
  if (regions_out) regions_out->commit();
  const LinearRegionStats& stats = enumerator.stats();
  const Integer regions(static_cast<unsigned long>(stats.regions));
  if (builder) {
    builder->complete(control, thread_count(options.common));
    OutputFile out(options.certificate);
    builder->write(out.stream());
    out.commit();
  }

  nlohmann::json out;
  out["network"] = options.network;
  out["regions"] = stats.regions;
  out["input_dimension"] = network.input_dimension();
  out["hidden_neurons"] = network.hidden_neurons();
  const Architecture architecture = architecture_of(network);
  const std::vector<ClosedForm> forms = closed_forms(architecture);
  out["layers"] = layers_json(architecture);
  out["cells_per_layer"] = stats.cells_per_layer;
  out["box"] = box ? nlohmann::json::array({to_string(box->lo), to_string(box->hi)}) : nlohmann::json();
  out["lp_solves"] = stats.lp_solves;
  out["lp_paths"] = lp_paths_json(stats.lp_paths);
  for (const ClosedForm& f : forms) out[f.key] = closed_form_json(f);

  std::optional<nlohmann::json> verdict;
  if (one_conv && !box && !options.no_verdict) {
    VerdictOptions verdict_options;
    verdict_options.prop2.max_subsets = options.prop2_budget;
    verdict_options.structural.search.max_subsets = options.prop2_budget;
    verdict = to_json(judge_eq4(network, regions, verdict_options));
    for (const auto& [key, value] : verdict->items()) out[key] = value;
  }
  if (one_dimensional) {
    nlohmann::json breakpoints = nlohmann::json::array();
    for (const Rational& point : breakpoints_1d(enumerator.integer_form(), kept, box)) breakpoints.push_back(to_string(point));
    out["breakpoints"] = breakpoints;
  }
  std::optional<SampleResult> sampled;
  if (options.samples) {
    SampleOptions sample{*options.samples, options.sigma, options.seed, control};
    sampled = sample_patterns(network, sample);
    out["sampled"] = {{"samples", sampled->samples},
                      {"sigma", options.sigma},
                      {"seed", options.seed},
                      {"distinct_patterns", sampled->distinct_patterns}};
    if (sampled->distinct_patterns > stats.regions)
      throw InternalError("sampling found " + std::to_string(sampled->distinct_patterns) +
                          " activation patterns, more than the exact count " + std::to_string(stats.regions));
  }
  std::optional<PointsReport> located;
  if (!points.empty()) {
    located = locate_points(enumerator.integer_form(), points, box);
    for (const std::string& pattern : located->patterns)
      if (!enumerated_patterns.count(pattern))
        throw InternalError("a point's region " + pattern + " is not among the enumerated regions");
    nlohmann::json regions_met = nlohmann::json::array();
    for (std::size_t r = 0; r < located->patterns.size(); ++r)
      regions_met.push_back({{"pattern", located->patterns[r]}, {"points", located->lines[r].size()},
                             {"lines", located->lines[r]}});
    out["points"] = {{"file", options.points},
                     {"points", located->points},
                     {"distinct_regions", located->patterns.size()},
                     {"on_boundary", located->on_boundary},
                     {"outside_box", located->outside_box},
                     {"regions", regions_met}};
  }
  if (builder) {
    out["certificate"] = options.certificate;
    out["certificate_lp_solves"] = builder->stats().lp_solves;
    out["certificate_enumeration_proofs"] = builder->stats().enumeration_proofs;
    out["certificate_lp_paths"] = lp_paths_json(builder->stats().lp_paths);
    out["farkas_entries"] = builder->farkas_entries();
  }
  out["seconds"] = seconds_since(start);

  if (options.common.json) {
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << options.network << ": input " << network.input.channels << "x" << network.input.height << "x"
            << network.input.width << "; " << describe_layers(network) << " (" << network.hidden_neurons()
            << " hidden neurons)\n";
  std::cout << "linear regions: " << stats.regions << (box ? " in the box (" + options.box + ")^n" : std::string())
            << " (exact; " << stats.lp_solves << " LPs)\n";
  for (const ClosedForm& f : forms) std::cout << "  " << f.label << ": " << closed_form_text(f) << '\n';
  if (verdict) {
    const nlohmann::json& prop2 = (*verdict)["prop2"];
    auto condition = [](const nlohmann::json& c) { return c.is_null() ? "undecided" : c.get<bool>() ? "holds" : "fails"; };
    std::cout << "  Prop. 2: condition (i) " << condition(prop2["condition_i"]) << ", condition (ii) "
              << condition(prop2["condition_ii"]) << '\n';
    std::cout << "verdict: " << (*verdict)["verdict"].get<std::string>() << " - "
              << (*verdict)["conclusion"].get<std::string>() << '\n';
  }
  if (one_dimensional) std::cout << "breakpoints: " << out["breakpoints"].dump() << '\n';
  if (sampled)
    std::cout << "sampled: " << sampled->distinct_patterns << " patterns in " << sampled->samples
              << " samples (a lower bound)\n";
  if (located) {
    std::cout << "points: " << located->points << " in " << located->patterns.size() << " distinct regions of "
              << stats.regions;
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
  if (builder)
    std::cout << "certificate: " << options.certificate << " (" << builder->regions() << " regions, "
              << builder->farkas_entries() << " Farkas entries); verify with: chamber check " << options.certificate
              << '\n';
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

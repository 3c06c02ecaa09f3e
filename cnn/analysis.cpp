#include "cnn/analysis.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"

#include <chrono>
#include <unordered_set>
#include <variant>

namespace chamber {

NetworkAnalysis analyse_network(const Network& network, const NetworkAnalysisOptions& options,
                                const RunControl& control, const std::function<void(const LinearRegion&)>& sink) {
  const auto start = std::chrono::steady_clock::now();
  NetworkAnalysis result;
  result.input_dimension = network.input_dimension();
  result.hidden_neurons = network.hidden_neurons();
  result.input = network.input;
  result.layers_text = describe_layers(network);
  result.layers = layers_json(network);
  result.closed_forms = closed_forms(network);
  result.box = options.box;
  // The verdict on eq. (4) needs one conv layer of the paper's kind (no padding, dilation, groups, batch-norm, pooling).
  const bool one_conv = network.layers.size() == 1 && std::holds_alternative<Conv2d>(network.layers[0]) &&
                        beyond_closed_forms(network).empty();
  const bool certify = !options.certificate.empty();

  LinearRegionEnumerator enumerator(
      network, LinearRegionOptions{control, options.search.exact_lp, options.box, certify, options.search.threads,
                                   options.engine});
  std::optional<NetworkCertificateBuilder> builder;
  if (certify) builder.emplace(network, options.box, options.search.exact_lp);
  const bool one_dimensional = network.input_dimension() == 1;
  std::vector<LinearRegion> kept;
  std::unordered_set<std::string> enumerated_patterns;  // only with points, to cross-check the points' regions
  enumerator.run([&](const LinearRegion& region) {
    if (!options.points.empty()) enumerated_patterns.insert(region.pattern);
    if (builder) builder->add_region(region);
    if (sink) sink(region);
    if (one_dimensional) kept.push_back(region);
  });
  result.stats = enumerator.stats();
  if (builder) {
    builder->complete(control, options.search.threads);
    OutputFile out(options.certificate);
    builder->write(out.stream());
    out.commit();
    result.certificate = NetworkCertificateSummary{options.certificate, builder->regions(), builder->farkas_entries(),
                                                   builder->stats()};
  }
  if (one_conv && !options.box && options.verdict) {
    VerdictOptions verdict_options;
    verdict_options.prop2.max_subsets = options.prop2_budget;
    verdict_options.structural.search.max_subsets = options.prop2_budget;
    result.verdict = judge_eq4(network, Integer(static_cast<unsigned long>(result.stats.regions)), verdict_options);
  }
  if (one_dimensional) result.breakpoints = breakpoints_1d(enumerator.integer_form(), kept, options.box);
  if (options.sampling) {
    result.sampling = options.sampling;
    result.sampled = sample_patterns(
        network, SampleOptions{options.sampling->samples, options.sampling->sigma, options.sampling->seed, control});
    if (result.sampled->distinct_patterns > result.stats.regions)
      throw InternalError("sampling found " + std::to_string(result.sampled->distinct_patterns) +
                          " activation patterns, more than the exact count " + std::to_string(result.stats.regions));
  }
  if (!options.points.empty()) {
    result.points_file = options.points_file;
    result.located = locate_points(enumerator.integer_form(), options.points, options.box);
    for (const std::string& pattern : result.located->patterns)
      if (!enumerated_patterns.count(pattern))
        throw InternalError("a point's region " + pattern + " is not among the enumerated regions");
  }
  result.seconds = seconds_since(start);
  return result;
}

nlohmann::json NetworkAnalysis::to_json() const {
  nlohmann::json out;
  out["network"] = network_file;
  out["regions"] = stats.regions;
  out["input_dimension"] = input_dimension;
  out["hidden_neurons"] = hidden_neurons;
  out["layers"] = layers;
  out["cells_per_layer"] = stats.cells_per_layer;
  out["box"] = box ? nlohmann::json::array({to_string(box->lo), to_string(box->hi)}) : nlohmann::json();
  out["engine"] = chamber::to_string(stats.engine);
  out["lp_solves"] = stats.lp_solves;
  out["lp_paths"] = lp_paths_json(stats.lp_paths);
  if (stats.engine == NetworkEngine::cone || stats.engine == NetworkEngine::hybrid)
    out["cone_engine"] = {{"max_rays", stats.max_rays},
                          {"fallback_cells", stats.fallback_cells},
                          {"vertex_lps", stats.vertex_lps}};
  add_closed_forms_json(out, closed_forms);
  if (verdict) {
    const nlohmann::json judged = chamber::to_json(*verdict);
    for (const auto& [key, value] : judged.items()) out[key] = value;
  }
  if (breakpoints) out["breakpoints"] = json_rationals(*breakpoints);
  if (sampled)
    out["sampled"] = {{"samples", sampled->samples},
                      {"sigma", sampling->sigma},
                      {"seed", sampling->seed},
                      {"distinct_patterns", sampled->distinct_patterns}};
  if (located) {
    nlohmann::json regions_met = nlohmann::json::array();
    for (std::size_t r = 0; r < located->patterns.size(); ++r)
      regions_met.push_back({{"pattern", located->patterns[r]}, {"points", located->lines[r].size()},
                             {"lines", located->lines[r]}});
    out["points"] = {{"file", points_file},
                     {"points", located->points},
                     {"distinct_regions", located->patterns.size()},
                     {"on_boundary", located->on_boundary},
                     {"outside_box", located->outside_box},
                     {"regions", regions_met}};
  }
  if (certificate) {
    out["certificate"] = certificate->path;
    out["certificate_lp_solves"] = certificate->stats.lp_solves;
    out["certificate_enumeration_proofs"] = certificate->stats.enumeration_proofs;
    out["certificate_lp_paths"] = lp_paths_json(certificate->stats.lp_paths);
    out["farkas_entries"] = certificate->farkas_entries;
  }
  out["seconds"] = seconds;
  return out;
}

}  // namespace chamber

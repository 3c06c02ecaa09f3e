// One row of a dataset: the network or arrangement of an instance, its exact count (two ways where both apply, the
// comparison in count_disagreement), the closed forms, the verdict, the sampling estimates and the certificate.
#include "dataset/dataset.hpp"

#include "arrangement/certificate.hpp"
#include "arrangement/count.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"
#include "cnn/architecture.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/sampling.hpp"
#include "cnn/verdict.hpp"
#include "dataset/sha256.hpp"
#include "dataset/store.hpp"

#include <algorithm>
#include <sstream>

namespace chamber::dataset {

namespace fs = std::filesystem;

namespace {

/*! the closed forms that get their own column (null where they do not apply). */
const std::vector<std::string>& closed_form_columns() {
  static const std::vector<std::string> columns = {"lemma2",         "eq4",         "theorem1",    "theorem5_lower",
                                                   "theorem5_upper", "montufar_lower", "serra_upper", "theorem1_fc"};
  return columns;
}

/*! computes one row of an arrangement: regions by Zaslavsky (block by block) and, up to max_enumerated_regions, by
 * enumeration with a certificate (both must agree), bounded regions, χ(t), the published count. */
Row compute_arrangement_row(const Spec& spec, const Instance& instance, const fs::path& out_dir) {
  const auto start = std::chrono::steady_clock::now();
  const ArrFile file = read_arr_file(instance.file);
  const Arrangement& arrangement = file.arrangement;
  const std::string stored = "arrangements/" + instance.id + ".arr";
  write_file_atomically((out_dir / stored).string(), read_file(instance.file));
  RunControl control;
  const LatticeSummary lattice = lattice_summary(arrangement, control);
  const Integer regions = lattice.chi.regions();
  const bool enumerate = regions <= Integer(static_cast<unsigned long>(spec.max_enumerated_regions));
  const bool certify = enumerate && spec.certificates == Spec::Certificates::all;
  std::optional<std::uint64_t> enumerated, lp_solves;
  std::string certificate_sha;
  const std::string certificate_name = "certificates/" + instance.id + ".json.gz";
  if (enumerate) {
    RegionEnumerator enumerator(arrangement, EnumerationOptions{control, certify, false, 1});
    CertificateBuilder builder(arrangement);
    std::vector<std::string> signs;
    enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
      if (certify) builder.add_region(region, blocked);
      signs.push_back(region.signs);
    });
    enumerated = enumerator.stats().regions;
    lp_solves = enumerator.stats().lp_solves;
    BoundednessCounters paths;
    const std::string disagreement =
        count_disagreement(Integer(static_cast<unsigned long>(*enumerated)),
                           Integer(static_cast<unsigned long>(count_bounded(arrangement, signs, false, 1, paths))),
                           lattice.chi);
    if (!disagreement.empty()) throw InternalError(instance.id + ": " + disagreement);
    if (certify) {
      builder.complete(enumerator.solver(), enumerator.farkas(), control);
      std::ostringstream text;
      builder.write(text, enumerator.farkas());
      certificate_sha = write_hashed(out_dir / certificate_name, gzip_bytes(text.str()));
    }
  }
  Row row;
  row["schema_version"] = schema_version;
  row["index"] = instance.index;
  row["id"] = instance.id;
  row["source"] = "arrangement";
  row["label"] = instance.label;
  row["arrangement_source"] = instance.file_in_spec;
  row["arrangement"] = stored;
  row["arrangement_sha256"] = sha256_file((out_dir / stored).string());
  row["dimension"] = arrangement.dimension();
  row["hyperplanes"] = arrangement.size();
  row["regions"] = json_integer(regions);
  row["method"] = enumerate ? "enumeration+zaslavsky" : "zaslavsky";
  row["bounded_regions"] = json_integer(lattice.chi.bounded_regions());
  row["characteristic_polynomial"] = json_integers(lattice.chi.coefficients);
  row["flats"] = json_integer(lattice.flats);
  row["published_regions"] = instance.published_regions ? json_integer(Integer(*instance.published_regions)) : nlohmann::json(nullptr);
  row["agrees_with_published"] =
      instance.published_regions ? nlohmann::json(Integer(*instance.published_regions) == regions) : nlohmann::json(nullptr);
  row["certificate"] = certify ? nlohmann::json(certificate_name) : nlohmann::json(nullptr);
  row["certificate_sha256"] = certify ? nlohmann::json(certificate_sha) : nlohmann::json(nullptr);
  row["lp_solves"] = lp_solves ? nlohmann::json(*lp_solves) : nlohmann::json(nullptr);
  row["seconds"] = seconds_since(start);
  return row;
}

}  // namespace

Row compute_row(const Spec& spec, const Instance& instance, const fs::path& out_dir) {
  if (instance.arrangement) return compute_arrangement_row(spec, instance, out_dir);
  const auto start = std::chrono::steady_clock::now();
  const fs::path network_path = out_dir / "networks" / (instance.id + ".json");
  Network network;
  if (instance.architecture) {
    const Architecture architecture = parse_architecture(*instance.architecture);
    network = random_network(architecture.input, architecture.layers, instance.seed,
                             parse_weight_distribution(instance.weights));
    const fs::path temporary = network_path.string() + ".tmp";
    write_network_file(network, temporary.string());
    fs::rename(temporary, network_path);
  } else {
    network = read_network_file(instance.file);
    write_file_atomically(network_path.string(), read_file(instance.file));
  }
  const bool one_layer = network.layers.size() == 1;
  const bool one_conv =
      one_layer && std::holds_alternative<Conv2d>(network.layers[0]) && beyond_closed_forms(network).empty();

  // One layer without a box: its regions are those of its hyperplane arrangement, counted by Zaslavsky's theorem
  // (block by block). They are also enumerated, with a certificate, up to max_enumerated_regions, and both counts
  // must agree. Deeper networks are enumerated up to the same limit.
  RunControl control;
  std::optional<CharacteristicPolynomial> chi;
  bool chi_over_budget = false;  // the lattice exceeded max_flats, and the sweep max_sweep_states
  if (one_layer && !spec.box) {
    RunControl budget = control;
    budget.max_flats = spec.max_flats;  // beyond it the sweep, beyond both the enumeration (deterministic either way)
    budget.max_states = spec.max_sweep_states;
    try {
      chi = characteristic_polynomial_within(first_layer_arrangement(network).arrangement, budget);
    } catch (const LimitReached&) {
      chi_over_budget = true;
    }
  }
  std::map<std::string, Integer> forms;
  for (const ClosedForm& f : closed_forms(network))
    if (f.value) forms[f.key] = *f.value;
  // With eq4-failures and no χ, the certificate is built and kept only if the enumerated count differs from eq. (4).
  const bool certify = spec.certificates == Spec::Certificates::all ||
                       (spec.certificates == Spec::Certificates::eq4_failures && forms.count("eq4") &&
                        (!chi || chi->regions() != forms["eq4"]));
  // A failure of eq. (4) known from χ is enumerated and certified up to max_certified_regions.
  const std::uint64_t enumeration_limit =
      spec.certificates == Spec::Certificates::eq4_failures && certify && chi
          ? std::max(spec.max_enumerated_regions, spec.max_certified_regions)
          : spec.max_enumerated_regions;
  // An arrangement has at least as many regions as flats (r = Σ_X |μ(X)| with every μ(X) ≠ 0, Zaslavsky), so one whose
  // lattice exceeded max_flats ≥ the enumeration limit has more regions than the limit: its enumeration could only
  // stop there, and is skipped (the same over-limit row, without the wasted search).
  const bool beyond_enumeration = chi_over_budget && spec.max_flats >= enumeration_limit;
  const bool enumerate =
      !beyond_enumeration && (!chi || chi->regions() <= Integer(static_cast<unsigned long>(enumeration_limit)));
  std::optional<std::uint64_t> enumerated;
  std::optional<LinearRegionStats> stats;
  std::optional<NetworkCertificateBuilder> builder;
  std::string certificate_sha;
  const std::string certificate_name = "certificates/" + instance.id + ".json.gz";
  if (enumerate) {
    RunControl limited = control;
    limited.max_regions = enumeration_limit;
    LinearRegionEnumerator enumerator(network, LinearRegionOptions{limited, false, spec.box, certify, 1});
    if (certify) builder.emplace(network, spec.box, false);
    try {
      enumerator.run([&](const LinearRegion& region) {
        if (builder) builder->add_region(region);
      });
      enumerated = enumerator.stats().regions;
      stats = enumerator.stats();
    } catch (const LimitReached&) {
      builder.reset();  // over the limit: no count, no certificate
    }
    if (enumerated && chi) {
      const std::string disagreement =
          count_disagreement(Integer(static_cast<unsigned long>(*enumerated)), std::nullopt, *chi);
      if (!disagreement.empty()) throw InternalError(instance.id + ": " + disagreement);
    }
    if (builder && !chi && spec.certificates == Spec::Certificates::eq4_failures && enumerated &&
        Integer(static_cast<unsigned long>(*enumerated)) == forms["eq4"])
      builder.reset();
    if (builder) {
      builder->complete(control);
      std::ostringstream text;
      builder->write(text);
      certificate_sha = write_hashed(out_dir / certificate_name, gzip_bytes(text.str()));
    }
  }
  std::optional<Integer> regions;
  if (chi) regions = chi->regions();
  else if (enumerated) regions = Integer(static_cast<unsigned long>(*enumerated));
  const char* method = enumerated && chi ? "enumeration+zaslavsky" : enumerated ? "enumeration" : chi ? "zaslavsky"
                                                                                                    : "over-limit";

  Row row;
  row["schema_version"] = schema_version;
  row["index"] = instance.index;
  row["id"] = instance.id;
  row["source"] = instance.architecture ? "random" : "file";
  row["architecture"] = instance.architecture ? to_string(*instance.architecture) : describe_layers(network);
  row["input"] = shape_text(network.input);
  row["layers"] = describe_layers(network);
  row["hidden_neurons"] = network.hidden_neurons();
  row["seed"] = instance.architecture ? nlohmann::json(instance.seed) : nlohmann::json(nullptr);
  row["weights"] = instance.architecture ? nlohmann::json(instance.weights) : nlohmann::json(nullptr);
  row["network_source"] = instance.architecture ? nlohmann::json(nullptr) : nlohmann::json(instance.file_in_spec);
  row["network"] = "networks/" + instance.id + ".json";
  row["network_sha256"] = sha256_file(network_path.string());
  row["box"] = spec.box ? nlohmann::json(spec.box_text) : nlohmann::json(nullptr);
  row["regions"] = regions ? json_integer(*regions) : nlohmann::json(nullptr);
  row["method"] = method;
  // Bounded regions are defined here for one layer without a box: those of its hyperplane arrangement, |χ(1)|.
  row["bounded_regions"] = chi ? json_integer(chi->bounded_regions()) : nlohmann::json(nullptr);
  for (const std::string& key : closed_form_columns())
    row[key] = forms.count(key) ? json_integer(forms[key]) : nlohmann::json(nullptr);
  // The verdict needs eq. (4), which is left null beyond its evaluation cap (cnn/formulas.hpp max_eq4_flow_work).
  if (one_conv && !spec.box && regions && forms.count("eq4")) {
    VerdictOptions verdict_options;
    verdict_options.prop2.max_subsets = spec.prop2_budget;
    verdict_options.structural.search.max_subsets = spec.prop2_budget;
    // Its counts at random weights (evidence beside the verdict, which does not depend on them) stay within the
    // spec's budgets for χ.
    verdict_options.generic_max_flats = std::min(verdict_options.generic_max_flats, spec.max_flats);
    verdict_options.generic_max_states = std::min(verdict_options.generic_max_states, spec.max_sweep_states);
    // They depend on the architecture alone (their seeds are fixed), as do the checks made with them: computed for the
    // first instance of an architecture only, not again for its other weights and seeds (three χ each).
    if (instance.architecture && instance.index > 0 && spec.instances[instance.index - 1].architecture &&
        to_string(*spec.instances[instance.index - 1].architecture) == to_string(*instance.architecture))
      verdict_options.generic_seeds.clear();
    row["verdict"] = to_json(judge_eq4(network, *regions, verdict_options))["verdict"];
  } else {
    row["verdict"] = nullptr;
  }
  for (std::uint64_t budget : spec.samples) {
    const SampleResult sampled = sample_patterns(network, SampleOptions{budget, spec.sigma, spec.sample_seed, control});
    if (regions && Integer(static_cast<unsigned long>(sampled.distinct_patterns)) > *regions)
      throw InternalError(instance.id + ": sampling found more patterns than regions");
    row["sampled_" + std::to_string(budget)] = sampled.distinct_patterns;
  }
  row["certificate"] = builder ? nlohmann::json(certificate_name) : nlohmann::json(nullptr);
  row["certificate_sha256"] = builder ? nlohmann::json(certificate_sha) : nlohmann::json(nullptr);
  row["lp_solves"] = stats ? nlohmann::json(stats->lp_solves) : nlohmann::json(nullptr);
  row["certificate_lp_solves"] = builder ? nlohmann::json(builder->stats().lp_solves) : nlohmann::json(nullptr);
  row["seconds"] = seconds_since(start);  // timing: the only field that differs between runs
  return row;
}

}  // namespace chamber::dataset

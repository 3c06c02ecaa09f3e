// chamber dataset SPEC.json --out DIR [--jobs N]: a sweep of networks (architectures x weight distributions x seeds,
// and/or network files) with one row of exact ground truth per network; chamber dataset --verify DIR re-checks it.
// The row schema and the spec are documented in data/SCHEMA.md.
//
// Resumable: every finished instance appends one complete line to DIR/rows.jsonl (its network and certificate files
// are written first, each by rename, so a file is whole or absent). A rerun reads the complete lines, drops a torn
// last line, and computes only what is missing. The final rows.jsonl (sorted by index), rows.csv, summary.md and
// manifest.json are each written to a temporary file and renamed.
#include "arrangement/arr_io.hpp"
#include "arrangement/bounded.hpp"
#include "arrangement/certificate.hpp"
#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/sweep.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/sha256.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/sampling.hpp"
#include "cnn/verdict.hpp"
#include "verify/certificate_check.hpp"
#include "verify/gzip_text.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace chamber::cli {

namespace {

namespace fs = std::filesystem;
using Row = nlohmann::ordered_json;

constexpr int kSchemaVersion = 1;

struct DatasetOptions {
  std::string spec;
  std::string out;
  std::string verify;
  unsigned jobs = 1;
  CommonOptions common;
};

/*! one network of the sweep. */
struct Instance {
  std::size_t index = 0;
  std::string id;
  // Random networks: an architecture, a weight distribution and a seed.
  std::optional<ArchitectureOptions> architecture;
  std::string weights;
  std::uint64_t seed = 0;
  // Network files (path as resolved, and as written in the spec).
  std::string file, file_in_spec;
  // Arrangement files (.arr), with a label and the published number of regions when known.
  bool arrangement = false;
  std::string label;
  std::optional<std::string> published_regions;
};

struct Spec {
  nlohmann::json json;  // as read, for the manifest
  std::vector<Instance> instances;
  std::optional<Box> box;
  std::string box_text;
  std::vector<std::uint64_t> samples;
  double sigma = 3;
  std::uint64_t sample_seed = 1;
  std::uint64_t prop2_budget = 200000;
  /*! which networks get a certificate: all, none, or only those whose exact count differs from eq. (4). */
  enum class Certificates { all, none, eq4_failures } certificates = Certificates::all;
  std::uint64_t max_enumerated_regions = 100000;
  std::uint64_t max_flats = 1000000;
  std::uint64_t max_sweep_states = 2000000;
  std::uint64_t max_certified_regions = 0;  // 0: max_enumerated_regions
};

std::string architecture_text(const ArchitectureOptions& a) {
  std::string text = a.input;
  for (const std::string& c : a.conv) text += " conv " + c;
  for (const std::string& l : a.linear) text += " linear " + l;
  return text;
}

/*! a file-name-safe version of `text`: letters, digits, '.', '-' and '_' kept, anything else '-'. */
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_') ? c : '-';
  return out;
}

/*! reads and checks a spec; every error names the spec file and the field. */
Spec read_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open file");
  Spec spec;
  try {
    spec.json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(path + ": not valid JSON: " + e.what());
  }
  const nlohmann::json& j = spec.json;
  auto fail = [&](const std::string& field, const std::string& why) { throw InputError(path + ": " + field + ": " + why); };
  if (!j.is_object()) fail("(top level)", "expected an object");
  static const std::set<std::string> known = {"format",  "version", "architectures", "seeds",        "weights",
                                              "networks", "box",    "samples",       "sigma",        "sample_seed",
                                              "prop2_budget", "certificates", "description",
                                              "max_enumerated_regions", "arrangements", "max_flats",
                                              "max_sweep_states", "max_certified_regions"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) fail(key, "unknown field");
  if (j.value("format", "") != "chamber-dataset-spec") fail("format", "expected \"chamber-dataset-spec\"");
  if (!j.contains("version") || j["version"] != 1) fail("version", "expected 1");
  auto sizes = [&](const char* key) {
    std::vector<std::uint64_t> values;
    if (!j.contains(key)) return values;
    if (!j[key].is_array()) fail(key, "expected an array of non-negative integers");
    for (std::size_t i = 0; i < j[key].size(); ++i) {
      if (!j[key][i].is_number_unsigned()) fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a non-negative integer");
      values.push_back(j[key][i].get<std::uint64_t>());
    }
    return values;
  };
  const std::vector<std::uint64_t> seeds = sizes("seeds");
  spec.samples = sizes("samples");
  for (std::uint64_t s : spec.samples)
    if (s == 0 || s > 100000000) fail("samples", "each budget must be between 1 and 10^8");
  std::vector<std::string> weights;
  if (j.contains("weights")) {
    if (!j["weights"].is_array()) fail("weights", "expected an array of distributions (\"int:LO:HI\" or \"he:BITS\")");
    for (std::size_t i = 0; i < j["weights"].size(); ++i) {
      const std::string field = "weights[" + std::to_string(i) + "]";
      if (!j["weights"][i].is_string()) fail(field, "expected a string");
      try {
        parse_weight_distribution(j["weights"][i].get<std::string>());
      } catch (const InputError& e) {
        fail(field, e.what());
      }
      weights.push_back(j["weights"][i].get<std::string>());
    }
  }
  if (j.contains("architectures")) {
    const nlohmann::json& list = j["architectures"];
    if (!list.is_array()) fail("architectures", "expected an array");
    if (!list.empty() && (seeds.empty() || weights.empty()))
      fail("architectures", "random networks need \"seeds\" and \"weights\" too");
    for (std::size_t a = 0; a < list.size(); ++a) {
      const std::string field = "architectures[" + std::to_string(a) + "]";
      const nlohmann::json& entry = list[a];
      if (!entry.is_object()) fail(field, "expected an object {\"input\": \"CxHxW\", \"conv\": [...], \"linear\": [...]}");
      for (const auto& [key, value] : entry.items())
        if (key != "input" && key != "conv" && key != "linear") fail(field + "." + key, "unknown field");
      ArchitectureOptions options;
      if (!entry.contains("input") || !entry["input"].is_string()) fail(field + ".input", "expected \"CxHxW\"");
      options.input = entry["input"].get<std::string>();
      for (const char* key : {"conv", "linear"}) {
        if (!entry.contains(key)) continue;
        if (!entry[key].is_array()) fail(field + "." + key, "expected an array of strings");
        for (const nlohmann::json& v : entry[key]) {
          if (!v.is_string()) fail(field + "." + key, "expected an array of strings");
          (std::string(key) == "conv" ? options.conv : options.linear).push_back(v.get<std::string>());
        }
      }
      try {
        parse_architecture(options);
      } catch (const InputError& e) {
        fail(field, e.what());
      }
      for (const std::string& w : weights)
        for (std::uint64_t seed : seeds) {
          Instance instance;
          instance.architecture = options;
          instance.weights = w;
          instance.seed = seed;
          instance.index = spec.instances.size();
          instance.id = slug(architecture_text(options) + "_" + w + "_s" + std::to_string(seed));
          spec.instances.push_back(std::move(instance));
        }
    }
  }
  if (j.contains("networks")) {
    if (!j["networks"].is_array()) fail("networks", "expected an array of network file paths (relative to the spec)");
    for (std::size_t i = 0; i < j["networks"].size(); ++i) {
      const std::string field = "networks[" + std::to_string(i) + "]";
      if (!j["networks"][i].is_string()) fail(field, "expected a path");
      Instance instance;
      instance.file_in_spec = j["networks"][i].get<std::string>();
      const fs::path file = fs::path(path).parent_path() / instance.file_in_spec;
      if (!fs::is_regular_file(file)) fail(field, "no such file: " + file.string());
      instance.file = file.string();
      instance.index = spec.instances.size();
      instance.id = slug("file_" + fs::path(instance.file_in_spec).stem().string());
      spec.instances.push_back(std::move(instance));
    }
  }
  if (j.contains("arrangements")) {
    if (!spec.instances.empty()) fail("arrangements", "a dataset holds networks or arrangements, not both");
    if (!j["arrangements"].is_array()) fail("arrangements", "expected an array of {\"file\", \"label\", \"published_regions\"}");
    for (std::size_t i = 0; i < j["arrangements"].size(); ++i) {
      const std::string field = "arrangements[" + std::to_string(i) + "]";
      const nlohmann::json& entry = j["arrangements"][i];
      if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string())
        fail(field, "expected {\"file\": \"path.arr\", \"label\": \"...\", \"published_regions\": \"N\"}");
      for (const auto& [key, value] : entry.items())
        if (key != "file" && key != "label" && key != "published_regions") fail(field + "." + key, "unknown field");
      Instance instance;
      instance.arrangement = true;
      instance.file_in_spec = entry["file"].get<std::string>();
      const fs::path file = fs::path(path).parent_path() / instance.file_in_spec;
      if (!fs::is_regular_file(file)) fail(field + ".file", "no such file: " + file.string());
      instance.file = file.string();
      instance.label = entry.value("label", fs::path(instance.file_in_spec).stem().string());
      if (entry.contains("published_regions")) {
        const nlohmann::json& published = entry["published_regions"];
        const std::string text = published.is_string() ? published.get<std::string>() : published.dump();
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          fail(field + ".published_regions", "expected a non-negative integer");
        instance.published_regions = text;
      }
      instance.index = spec.instances.size();
      instance.id = slug(fs::path(instance.file_in_spec).stem().string());
      spec.instances.push_back(std::move(instance));
    }
  }
  if (spec.instances.empty())
    fail("(top level)", "no instances: give architectures (with seeds and weights), networks or arrangements");
  // Ids carry their index, so equal descriptions (a seed listed twice) stay apart.
  for (Instance& instance : spec.instances) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%04zu-", instance.index);
    instance.id = prefix + instance.id;
  }
  if (j.contains("box")) {
    if (!j["box"].is_string()) fail("box", "expected \"LO,HI\"");
    spec.box_text = j["box"].get<std::string>();
    spec.box = parse_box(spec.box_text, path + ": box");
  }
  if (j.contains("sigma")) {
    if (!j["sigma"].is_number() || !(j["sigma"].get<double>() > 0)) fail("sigma", "expected a positive number");
    spec.sigma = j["sigma"].get<double>();
  }
  // Counts and budgets: `positive` ones must be at least 1.
  auto read_count = [&](const char* key, std::uint64_t& target, bool positive) {
    if (!j.contains(key)) return;
    if (!j[key].is_number_unsigned() || (positive && j[key].get<std::uint64_t>() == 0))
      fail(key, positive ? "expected a positive integer" : "expected a non-negative integer");
    target = j[key].get<std::uint64_t>();
  };
  read_count("sample_seed", spec.sample_seed, false);
  read_count("prop2_budget", spec.prop2_budget, false);
  read_count("max_enumerated_regions", spec.max_enumerated_regions, true);
  read_count("max_flats", spec.max_flats, true);
  read_count("max_sweep_states", spec.max_sweep_states, true);
  read_count("max_certified_regions", spec.max_certified_regions, true);
  if (j.contains("certificates")) {
    const nlohmann::json& c = j["certificates"];
    if (c == true) spec.certificates = Spec::Certificates::all;
    else if (c == false) spec.certificates = Spec::Certificates::none;
    else if (c == "eq4-failures") spec.certificates = Spec::Certificates::eq4_failures;
    else fail("certificates", "expected true, false or \"eq4-failures\"");
  }
  return spec;
}

/*! writes `content` to `path` whole or not at all: a temporary file, flushed to disk, renamed over `path`. */
void write_atomically(const fs::path& path, const std::string& content) {
  const fs::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(temporary.string() + ": cannot open for writing");
    out << content;
    out.flush();
    if (!out) throw InputError(temporary.string() + ": write error");
  }
  const int fd = ::open(temporary.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  fs::rename(temporary, path);
}

/*! writes `content` to `path` atomically and returns its sha256. */
std::string write_hashed(const fs::path& path, const std::string& content) {
  write_atomically(path, content);
  return sha256_hex(content);
}

/*! the closed forms that get their own column (null where they do not apply). */
const std::vector<std::string>& closed_form_columns() {
  static const std::vector<std::string> columns = {"lemma2",         "eq4",         "theorem1",    "theorem5_lower",
                                                   "theorem5_upper", "montufar_lower", "serra_upper", "theorem1_fc"};
  return columns;
}

/*! computes one row: the network (written), its exact regions with certificate (written), closed forms, verdict,
 * sampling. Timing goes last, in its own field. */
Row compute_arrangement_row(const Spec& spec, const Instance& instance, const fs::path& out_dir);

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
    write_atomically(network_path, read_file(instance.file));
  }
  const bool one_layer = network.layers.size() == 1;
  const bool one_conv = one_layer && std::holds_alternative<Conv2d>(network.layers[0]);

  // One layer without a box: its regions are those of its hyperplane arrangement, counted by Zaslavsky's theorem
  // (block by block). They are also enumerated, with a certificate, up to max_enumerated_regions, and both counts
  // must agree. Deeper networks are enumerated up to the same limit.
  RunControl control;
  std::optional<CharacteristicPolynomial> chi;
  if (one_layer && !spec.box) {
    RunControl budget = control;
    budget.max_flats = spec.max_flats;  // beyond it the sweep, beyond both the enumeration (deterministic either way)
    budget.max_states = spec.max_sweep_states;
    try {
      chi = characteristic_polynomial_within(first_layer_arrangement(network).arrangement, budget);
    } catch (const LimitReached&) {
    }
  }
  std::map<std::string, Integer> forms;
  for (const ClosedForm& f : closed_forms(architecture_of(network))) forms[f.key] = f.value;
  // With eq4-failures and no χ, the certificate is built and kept only if the enumerated count differs from eq. (4).
  const bool certify = spec.certificates == Spec::Certificates::all ||
                       (spec.certificates == Spec::Certificates::eq4_failures && forms.count("eq4") &&
                        (!chi || chi->regions() != forms["eq4"]));
  // A failure of eq. (4) known from χ is enumerated and certified up to max_certified_regions.
  const std::uint64_t enumeration_limit =
      spec.certificates == Spec::Certificates::eq4_failures && certify && chi
          ? std::max(spec.max_enumerated_regions, spec.max_certified_regions)
          : spec.max_enumerated_regions;
  const bool enumerate = !chi || chi->regions() <= Integer(static_cast<unsigned long>(enumeration_limit));
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
    if (enumerated && chi && Integer(static_cast<unsigned long>(*enumerated)) != chi->regions())
      throw InternalError(instance.id + ": enumeration finds " + std::to_string(*enumerated) + " regions, Zaslavsky " +
                          chi->regions().get_str());
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
  row["schema_version"] = kSchemaVersion;
  row["index"] = instance.index;
  row["id"] = instance.id;
  row["source"] = instance.architecture ? "random" : "file";
  row["architecture"] = instance.architecture ? architecture_text(*instance.architecture) : describe_layers(network);
  row["input"] = std::to_string(network.input.channels) + "x" + std::to_string(network.input.height) + "x" +
                 std::to_string(network.input.width);
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
  if (one_conv && !spec.box && regions) {
    VerdictOptions verdict_options;
    verdict_options.prop2.max_subsets = spec.prop2_budget;
    verdict_options.structural.search.max_subsets = spec.prop2_budget;
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

/*! computes one row of an arrangement: regions by Zaslavsky (block by block) and, up to max_enumerated_regions, by
 * enumeration with a certificate (both must agree), bounded regions, χ(t), the published count. */
Row compute_arrangement_row(const Spec& spec, const Instance& instance, const fs::path& out_dir) {
  const auto start = std::chrono::steady_clock::now();
  const ArrFile file = read_arr_file(instance.file);
  const Arrangement& arrangement = file.arrangement;
  const std::string stored = "arrangements/" + instance.id + ".arr";
  write_atomically(out_dir / stored, read_file(instance.file));
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
    if (Integer(static_cast<unsigned long>(*enumerated)) != regions)
      throw InternalError(instance.id + ": enumeration finds " + std::to_string(*enumerated) + " regions, Zaslavsky " +
                          regions.get_str());
    BoundednessCounters paths;
    if (Integer(static_cast<unsigned long>(count_bounded(arrangement, signs, false, 1, paths))) !=
        lattice.chi.bounded_regions())
      throw InternalError(instance.id + ": enumeration and Zaslavsky disagree on the bounded regions");
    if (certify) {
      builder.complete(enumerator.solver(), enumerator.farkas(), control);
      std::ostringstream text;
      builder.write(text, enumerator.farkas());
      certificate_sha = write_hashed(out_dir / certificate_name, gzip_bytes(text.str()));
    }
  }
  Row row;
  row["schema_version"] = kSchemaVersion;
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

/*! the CSV columns, in row order (every row of a spec has the same keys). */
std::string csv_cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string to_csv(const std::vector<Row>& rows) {
  std::string out;
  if (rows.empty()) return out;
  bool first = true;
  for (const auto& [key, value] : rows[0].items()) {
    if (!first) out += ',';
    out += key;
    first = false;
  }
  out += '\n';
  for (const Row& row : rows) {
    first = true;
    for (const auto& [key, value] : row.items()) {
      if (!first) out += ',';
      out += csv_cell(value);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string integer_text(const nlohmann::json& value) {
  return value.is_null() ? "-" : value.is_string() ? value.get<std::string>() : value.dump();
}

/*! a markdown summary of an arrangement dataset: counts, χ, the published count. */
std::string arrangement_summary(const std::vector<Row>& rows) {
  std::ostringstream out;
  out << "# Dataset summary\n\nRegions by enumeration (with the certificate named in rows.jsonl) and by Zaslavsky's "
         "theorem |χ(−1)|, which agree on every row (method `zaslavsky`: above max_enumerated_regions, χ alone).\n\n";
  out << "| id | label | n | hyperplanes | regions | bounded | published | method | χ(t), highest degree first |\n";
  out << "|---|---|---:|---:|---:|---:|---:|---|---|\n";
  for (const Row& row : rows) {
    std::string chi;
    for (const auto& c : row["characteristic_polynomial"]) chi += (chi.empty() ? "" : ", ") + integer_text(c);
    out << "| " << row["id"].get<std::string>() << " | " << row["label"].get<std::string>() << " | "
        << row["dimension"].dump() << " | " << row["hyperplanes"].dump() << " | " << integer_text(row["regions"]) << " | "
        << integer_text(row["bounded_regions"]) << " | " << integer_text(row["published_regions"]) << " | "
        << row["method"].get<std::string>() << " | " << chi << " |\n";
  }
  return out.str();
}

/*! a markdown summary: one line per row, and the architectures where eq. (4) fails. */
std::string to_summary(const std::vector<Row>& rows) {
  if (rows.front()["source"] == "arrangement") return arrangement_summary(rows);
  std::ostringstream out;
  out << "# Dataset summary\n\nExact linear regions beside the closed forms that apply (`-`: not defined for this "
         "architecture). A row's certificate (rows.jsonl `certificate`; null where the spec's certificate policy keeps "
         "none) proves its count. Method `enumeration+zaslavsky`: enumerated, and equal to Zaslavsky's |χ(−1)|; "
         "`zaslavsky`: one layer above the enumeration budget, |χ(−1)| alone (χ from the intersection lattice, or from "
         "the sweep beyond max_flats).\n\n";
  // The largest sampling budget gets a column.
  std::string sampled_key;
  std::uint64_t budget = 0;
  for (const auto& [key, value] : rows.front().items())
    if (key.rfind("sampled_", 0) == 0 && std::stoull(key.substr(8)) > budget) {
      budget = std::stoull(key.substr(8));
      sampled_key = key;
    }
  out << "| id | architecture | weights | seed | regions | method | eq. (4) | Theorem 1 | Thm 5 (8)..(9) | "
      << (sampled_key.empty() ? std::string("sampled") : "sampled (" + std::to_string(budget) + " inputs)")
      << " | verdict |\n";
  out << "|---|---|---|---|---:|---|---:|---:|---|---:|---|\n";
  std::map<std::string, std::vector<const Row*>> failures;
  for (const Row& row : rows) {
    out << "| " << row["id"].get<std::string>() << " | " << row["architecture"].get<std::string>() << " | "
        << (row["weights"].is_null() ? "-" : row["weights"].get<std::string>()) << " | " << integer_text(row["seed"])
        << " | " << integer_text(row["regions"]) << " | " << row["method"].get<std::string>() << " | "
        << integer_text(row["eq4"]) << " | " << integer_text(row["theorem1"]) << " | "
        << (row["theorem5_lower"].is_null() ? "-" : integer_text(row["theorem5_lower"]) + ".." + integer_text(row["theorem5_upper"]))
        << " | " << (sampled_key.empty() ? "-" : integer_text(row[sampled_key])) << " | "
        << (row["verdict"].is_null() ? "-" : row["verdict"].get<std::string>()) << " |\n";
    if (!row["eq4"].is_null() && !row["regions"].is_null() &&
        Integer(integer_text(row["eq4"])) != Integer(integer_text(row["regions"])))
      failures[row["architecture"].get<std::string>()].push_back(&row);
  }
  std::vector<std::string> uncounted;
  for (const Row& row : rows)
    if (row["regions"].is_null()) uncounted.push_back(row["id"].get<std::string>());
  // Per architecture: eq. (4) holds when every counted row equals it.
  std::set<std::string> compared;
  std::size_t compared_rows = 0;
  for (const Row& row : rows)
    if (!row["eq4"].is_null() && !row["regions"].is_null()) {
      compared.insert(row["architecture"].get<std::string>());
      ++compared_rows;
    }
  if (!compared.empty())
    out << "\neq. (4) applies to " << compared.size() << " architectures here (" << compared_rows
        << " counted rows): it equals the exact count on every row of " << compared.size() - failures.size()
        << " of them and fails on " << failures.size() << ".\n";
  out << "\n## Where eq. (4) fails\n\n";
  if (failures.empty()) out << "Nowhere in this dataset: every exact count equals eq. (4).\n";
  for (const auto& [architecture, list] : failures) {
    out << "- **" << architecture << "**:";
    for (const Row* row : list)
      out << " " << (*row)["id"].get<std::string>() << " (" << integer_text((*row)["regions"]) << " < "
          << integer_text((*row)["eq4"]) << ", " << (*row)["verdict"].get<std::string>() << ", certificate "
          << ((*row)["certificate"].is_null() ? std::string("none") : (*row)["certificate"].get<std::string>()) << ")";
    out << "\n";
  }
  if (!uncounted.empty()) {
    out << "\n## Not counted (over max_flats, max_sweep_states and max_enumerated_regions)\n\n" << uncounted.size()
        << " networks have no exact count in this dataset, so whether eq. (4) holds for them is not decided here:";
    for (const std::string& id : uncounted) out << " " << id;
    out << "\n";
  }
  return out.str();
}

/*! reads the complete lines of rows.jsonl, keyed by index; with `repair`, a torn last line is cut from the file. */
std::map<std::size_t, Row> read_rows(const fs::path& path, bool repair) {
  std::map<std::size_t, Row> rows;
  if (!fs::exists(path)) return rows;
  std::string content = read_file(path.string());
  const std::size_t complete = content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1;
  if (complete != content.size()) {
    content.resize(complete);
    if (repair) fs::resize_file(path, complete);  // a line cut off by a kill: it is computed again
  }
  std::istringstream lines(content);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    Row row;
    try {
      row = Row::parse(line);
    } catch (const nlohmann::json::parse_error&) {
      throw InputError(path.string() + ":" + std::to_string(number) + ": not a JSON row");
    }
    if (!row.contains("index") || !row["index"].is_number_unsigned())
      throw InputError(path.string() + ":" + std::to_string(number) + ": row without an index");
    const std::size_t index = row["index"].get<std::size_t>();
    rows[index] = std::move(row);
  }
  return rows;
}

/*! the sha256 a manifest records for dataset file `name`: of the file itself, except that rows.jsonl and rows.csv are
 * hashed without their timing field (the last key of each row, the last CSV column), so that the manifest of a
 * regenerated dataset is byte-identical too. */
std::string manifest_hash(const fs::path& dir, const std::string& name) {
  const fs::path path = dir / name;
  if (name != "rows.jsonl" && name != "rows.csv") return sha256_file(path.string());
  std::istringstream lines(read_file(path.string()));
  std::string line, stripped;
  while (std::getline(lines, line)) {
    if (name == "rows.jsonl") {
      const std::size_t at = line.rfind(",\"seconds\":");
      stripped += (at == std::string::npos ? line : line.substr(0, at) + "}") + '\n';
    } else {
      const std::size_t at = line.rfind(',');
      stripped += (at == std::string::npos ? line : line.substr(0, at)) + '\n';
    }
  }
  return sha256_hex(stripped);
}

/*! appends one line and makes it durable. */
void append_line(const fs::path& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) throw InputError(path.string() + ": cannot open for appending");
  const std::string text = line + '\n';
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n <= 0) {
      ::close(fd);
      throw InputError(path.string() + ": write error");
    }
    written += static_cast<std::size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
}

int run_build(const DatasetOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Spec spec = read_spec(options.spec);
  const fs::path out_dir = options.out;
  fs::create_directories(out_dir / "networks");
  if (spec.certificates != Spec::Certificates::none) fs::create_directories(out_dir / "certificates");
  if (spec.instances.front().arrangement) fs::create_directories(out_dir / "arrangements");
  // The spec is kept with the data; a rerun must be of the same spec.
  const fs::path spec_copy = out_dir / "spec.json";
  const std::string spec_text = spec.json.dump(2) + "\n";
  if (fs::exists(spec_copy)) {
    if (read_file(spec_copy.string()) != spec_text)
      throw InputError(out_dir.string() + " holds a dataset of another spec (spec.json differs); use a new --out");
  } else {
    write_atomically(spec_copy, spec_text);
  }
  const fs::path rows_path = out_dir / "rows.jsonl";
  std::map<std::size_t, Row> rows = read_rows(rows_path, true);
  for (const auto& [index, row] : rows)
    if (index >= spec.instances.size() || row.value("id", "") != spec.instances[index].id)
      throw InputError(rows_path.string() + ": row " + std::to_string(index) + " does not belong to this spec");
  std::vector<const Instance*> pending;
  for (const Instance& instance : spec.instances)
    if (!rows.count(instance.index)) pending.push_back(&instance);

  const std::size_t total = spec.instances.size(), already = rows.size();
  std::mutex mutex;
  std::atomic<std::size_t> next{0};
  std::size_t done = 0;
  std::exception_ptr error;
  auto report = [&] {
    if (options.common.quiet) return;
    const double seconds = seconds_since(start);
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(pending.size() - done) / rate : 0;
    std::cerr << "chamber: dataset: " << already + done << "/" << total << " done, " << std::fixed
              << std::setprecision(2) << rate << " instances/s, ETA " << std::setprecision(0) << eta << " s"
              << std::defaultfloat << std::endl;
  };
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < pending.size();) {
      try {
        Row row = compute_row(spec, *pending[k], out_dir);
        std::lock_guard<std::mutex> lock(mutex);
        append_line(rows_path, row.dump());
        rows[pending[k]->index] = std::move(row);
        ++done;
        report();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        next = pending.size();
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < std::max(1u, options.jobs); ++t) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  if (error) std::rethrow_exception(error);

  // Final files, in index order.
  std::vector<Row> ordered;
  std::string jsonl;
  for (auto& [index, row] : rows) {
    jsonl += row.dump() + '\n';
    ordered.push_back(row);
  }
  write_atomically(rows_path, jsonl);
  write_atomically(out_dir / "rows.csv", to_csv(ordered));
  write_atomically(out_dir / "summary.md", to_summary(ordered));
  nlohmann::ordered_json manifest;
  manifest["format"] = "chamber-dataset";
  manifest["schema_version"] = kSchemaVersion;
  manifest["chamber_version"] = "0.1.0";
  manifest["spec"] = spec.json;
  nlohmann::ordered_json files;
  std::vector<std::string> names = {"spec.json", "rows.jsonl", "rows.csv", "summary.md"};
  for (const Row& row : ordered) {
    names.push_back(row.contains("network") ? row["network"].get<std::string>() : row["arrangement"].get<std::string>());
    if (!row["certificate"].is_null()) names.push_back(row["certificate"].get<std::string>());
  }
  for (const std::string& name : names) files[name] = manifest_hash(out_dir, name);
  manifest["files"] = files;
  write_atomically(out_dir / "manifest.json", manifest.dump(2) + "\n");

  if (options.common.json) {
    nlohmann::json out{{"out", options.out}, {"instances", total}, {"computed", done}, {"resumed_with", already},
                       {"seconds", seconds_since(start)}};
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << options.out << ": " << total << " instances (" << done << " computed now, " << already
              << " already there); rows.jsonl, rows.csv, summary.md, manifest.json\n";
  }
  return 0;
}

int run_verify(const DatasetOptions& options) {
  const fs::path dir = options.verify;
  const fs::path manifest_path = dir / "manifest.json";
  if (!fs::exists(manifest_path)) throw InputError(manifest_path.string() + ": no manifest (not a finished dataset)");
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(read_file(manifest_path.string()));
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(manifest_path.string() + ": not valid JSON: " + e.what());
  }
  if (manifest.value("format", "") != "chamber-dataset" || !manifest.contains("files") || !manifest["files"].is_object())
    throw InputError(manifest_path.string() + ": not a chamber-dataset manifest");
  std::vector<std::string> problems;
  std::size_t files = 0, certificates = 0;
  for (const auto& [name, hash] : manifest["files"].items()) {
    ++files;
    const fs::path path = dir / name;
    if (!fs::exists(path)) problems.push_back(name + ": missing");
    else if (manifest_hash(dir, name) != hash) problems.push_back(name + ": sha256 differs from the manifest");
  }
  std::map<std::size_t, Row> rows = read_rows(dir / "rows.jsonl", false);
  for (const auto& [index, row] : rows) {
    const std::string id = row.value("id", "?");
    const bool is_network = row.contains("network");
    const fs::path input = dir / row[is_network ? "network" : "arrangement"].get<std::string>();
    if (!fs::exists(input) || sha256_file(input.string()) != row[is_network ? "network_sha256" : "arrangement_sha256"]) {
      problems.push_back(id + ": " + (is_network ? "network" : "arrangement") +
                         " file missing or its sha256 differs from the row");
      continue;
    }
    if (row["certificate"].is_null()) continue;
    const fs::path certificate = dir / row["certificate"].get<std::string>();
    if (!fs::exists(certificate) || sha256_file(certificate.string()) != row["certificate_sha256"]) {
      problems.push_back(id + ": certificate missing or its sha256 differs from the row");
      continue;
    }
    ++certificates;
    verify::CheckReport report;
    try {
      const nlohmann::json certificate_json = nlohmann::json::parse(verify::read_maybe_gzip(certificate.string()));
      if (is_network) {
        const nlohmann::json network_json = nlohmann::json::parse(read_file(input.string()));
        report = verify::check_certificate(certificate_json, std::nullopt, &network_json, input.string());
      } else {
        std::vector<std::vector<mpz_class>> rows_of_file;
        for (const Hyperplane& h : read_arr_file(input.string()).input) rows_of_file.push_back(h.coefficients);
        report = verify::check_certificate(certificate_json, rows_of_file);
      }
    } catch (const std::exception& e) {
      problems.push_back(id + ": certificate unreadable: " + e.what());
      continue;
    }
    if (!report.valid) problems.push_back(id + ": certificate rejected: " + report.reason);
    else if (row["regions"].is_null() || json_integer(Integer(static_cast<unsigned long>(report.regions))) != row["regions"])
      problems.push_back(id + ": the certificate proves " + std::to_string(report.regions) + " regions, the row says " +
                         row["regions"].dump());
  }
  if (options.common.json) {
    std::cout << nlohmann::json{{"dataset", options.verify}, {"valid", problems.empty()}, {"files", files},
                                {"rows", rows.size()}, {"certificates_checked", certificates}, {"problems", problems}}
                     .dump(2)
              << std::endl;
  } else {
    for (const std::string& p : problems) std::cout << "MISMATCH " << p << '\n';
    std::cout << options.verify << ": " << (problems.empty() ? "valid" : "INVALID") << " (" << files << " files hashed, "
              << rows.size() << " rows, " << certificates << " certificates checked)\n";
  }
  return problems.empty() ? 0 : 1;
}

}  // namespace

Command add_dataset_command(CLI::App& app) {
  auto options = std::make_shared<DatasetOptions>();
  CLI::App* command = app.add_subcommand(
      "dataset", "Ground-truth sweep: exact certified regions of many networks, as rows (data/SCHEMA.md)");
  command->add_option("SPEC", options->spec, "Dataset spec (JSON, format chamber-dataset-spec)");
  command->add_option("--out", options->out, "Directory of the dataset (created; a rerun resumes it)");
  command->add_option("--verify", options->verify, "Re-check every hash and certificate of this dataset directory");
  command->add_option("--jobs", options->jobs, "Networks computed in parallel")->capture_default_str();
  add_common_options(*command, options->common, false);
  return {command, [options] {
            if (!options->verify.empty()) {
              if (!options->spec.empty() || !options->out.empty())
                throw InputError("--verify DIR takes no SPEC and no --out");
              return run_verify(*options);
            }
            if (options->spec.empty() || options->out.empty()) throw InputError("give SPEC and --out DIR (or --verify DIR)");
            if (options->jobs == 0 || options->jobs > 256) throw InputError("--jobs: expected 1..256");
            return run_build(*options);
          }};
}

}  // namespace chamber::cli

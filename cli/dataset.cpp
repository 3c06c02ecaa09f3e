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
#include "arrangement/input_limits.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/sweep.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/dataset_spec.hpp"
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
#include <cerrno>
#include <cstring>
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


/*! writes `content` to `path` whole or not at all (output_file.hpp: a temporary file, synced, renamed). */
void write_atomically(const fs::path& path, const std::string& content) { write_file_atomically(path.string(), content); }

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
  for (const ClosedForm& f : closed_forms(architecture_of(network)))
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

/*! returns a row value as summary text: "-" for null, a string as it is, anything else as JSON. */
std::string cell_text(const nlohmann::json& value) {
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
    for (const auto& c : row["characteristic_polynomial"]) chi += (chi.empty() ? "" : ", ") + cell_text(c);
    out << "| " << cell_text(row["id"]) << " | " << cell_text(row["label"]) << " | "
        << row["dimension"].dump() << " | " << row["hyperplanes"].dump() << " | " << cell_text(row["regions"]) << " | "
        << cell_text(row["bounded_regions"]) << " | " << cell_text(row["published_regions"]) << " | "
        << cell_text(row["method"]) << " | " << chi << " |\n";
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
    out << "| " << cell_text(row["id"]) << " | " << cell_text(row["architecture"]) << " | "
        << cell_text(row["weights"]) << " | " << cell_text(row["seed"])
        << " | " << cell_text(row["regions"]) << " | " << cell_text(row["method"]) << " | "
        << cell_text(row["eq4"]) << " | " << cell_text(row["theorem1"]) << " | "
        << (row["theorem5_lower"].is_null() ? "-" : cell_text(row["theorem5_lower"]) + ".." + cell_text(row["theorem5_upper"]))
        << " | " << (sampled_key.empty() ? "-" : cell_text(row[sampled_key])) << " | "
        << cell_text(row["verdict"]) << " |\n";
    if (!row["eq4"].is_null() && !row["regions"].is_null() &&
        Integer(cell_text(row["eq4"])) != Integer(cell_text(row["regions"])))
      failures[cell_text(row["architecture"])].push_back(&row);
  }
  std::vector<std::string> uncounted;
  for (const Row& row : rows)
    if (row["regions"].is_null()) uncounted.push_back(cell_text(row["id"]));
  // Per architecture: eq. (4) holds when every counted row equals it.
  std::set<std::string> compared;
  std::size_t compared_rows = 0;
  for (const Row& row : rows)
    if (!row["eq4"].is_null() && !row["regions"].is_null()) {
      compared.insert(cell_text(row["architecture"]));
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
      out << " " << cell_text((*row)["id"]) << " (" << cell_text((*row)["regions"]) << " < "
          << cell_text((*row)["eq4"]) << ", " << cell_text((*row)["verdict"]) << ", certificate "
          << ((*row)["certificate"].is_null() ? std::string("none") : cell_text((*row)["certificate"])) << ")";
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

/*! reads the complete lines of rows.jsonl, keyed by index; with `repair`, a torn last line is cut from the file.
 * A line that is not a row of this program is an InputError, or, with `problems`, listed there and skipped. */
std::map<std::size_t, Row> read_rows(const fs::path& path, bool repair, std::vector<std::string>* problems = nullptr) {
  std::map<std::size_t, Row> rows;
  if (std::error_code error; !fs::exists(path, error)) return rows;
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
    std::string why;
    try {
      parse_json_text(line, path.string());  // the depth cap, before the row is parsed
      row = Row::parse(line);
      why = dataset_row_problem(row);
    } catch (const InputError&) {
      why = "not a JSON row";
    } catch (const nlohmann::json::exception&) {
      why = "not a JSON row";
    }
    if (!why.empty()) {
      why = path.string() + ":" + std::to_string(number) + ": " + why;
      if (!problems) throw InputError(why);
      problems->push_back(why);
      continue;
    }
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
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path.string() + ": cannot open for appending: " + std::strerror(errno));
  const std::string text = line + '\n';
  std::size_t written = 0;
  int error = 0;
  while (written < text.size() && error == 0) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = n < 0 ? errno : EIO;
    else written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  // A torn line (full disk) is dropped by the next run's reader (read_rows with repair).
  if (error != 0) throw InputError(path.string() + ": write error: " + std::strerror(error));
}

int run_build(const DatasetOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Spec spec = read_spec(options.spec);
  const fs::path out_dir = options.out;
  if (std::error_code error; fs::exists(out_dir, error) && !fs::is_directory(out_dir, error))
    throw InputError(options.out + ": --out names an existing file, not a directory");
  fs::create_directories(out_dir / "networks");
  if (spec.certificates != Spec::Certificates::none) fs::create_directories(out_dir / "certificates");
  if (spec.instances.front().arrangement) fs::create_directories(out_dir / "arrangements");
  // The spec is kept with the data; a rerun must be of the same spec.
  const fs::path spec_copy = out_dir / "spec.json";
  const nlohmann::json spec_here = spec.json_for_dataset();
  const std::string spec_text = spec_here.dump(2) + "\n";
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
  manifest["spec"] = spec_here;
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
  if (std::error_code error; !fs::exists(manifest_path, error)) throw InputError(manifest_path.string() + ": no manifest (not a finished dataset)");
  const nlohmann::json manifest = parse_json_text(read_file(manifest_path.string()), manifest_path.string());
  if (manifest.value("format", "") != "chamber-dataset" || !manifest.contains("files") || !manifest["files"].is_object())
    throw InputError(manifest_path.string() + ": not a chamber-dataset manifest");
  std::vector<std::string> problems;
  std::size_t files = 0, certificates = 0;
  for (const auto& [name, hash] : manifest["files"].items()) {
    ++files;
    const fs::path path = dir / name;
    if (std::error_code error; !fs::is_regular_file(path, error)) problems.push_back(name + ": missing");
    else if (manifest_hash(dir, name) != hash) problems.push_back(name + ": sha256 differs from the manifest");
  }
  std::map<std::size_t, Row> rows = read_rows(dir / "rows.jsonl", false, &problems);
  for (const auto& [index, row] : rows) {
    const std::string id = row.value("id", "?");
    const bool is_network = row.contains("network");
    const fs::path input = dir / row[is_network ? "network" : "arrangement"].get<std::string>();
    if (std::error_code error; !fs::is_regular_file(input, error) || sha256_file(input.string()) != row[is_network ? "network_sha256" : "arrangement_sha256"]) {
      problems.push_back(id + ": " + (is_network ? "network" : "arrangement") +
                         " file missing or its sha256 differs from the row");
      continue;
    }
    if (row["certificate"].is_null()) continue;
    const fs::path certificate = dir / row["certificate"].get<std::string>();
    if (std::error_code error; !fs::is_regular_file(certificate, error) || sha256_file(certificate.string()) != row["certificate_sha256"]) {
      problems.push_back(id + ": certificate missing or its sha256 differs from the row");
      continue;
    }
    ++certificates;
    verify::CheckReport report;
    try {
      const nlohmann::json certificate_json = parse_json_text(verify::read_maybe_gzip(certificate.string()), certificate.string());
      if (is_network) {
        const nlohmann::json network_json = parse_json_text(read_file(input.string()), input.string());
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
    else if (!row["regions"].is_number_unsigned() || row["regions"].get<std::uint64_t>() != report.regions)
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

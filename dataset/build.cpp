#include "dataset/dataset.hpp"

#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"
#include "dataset/check_files.hpp"
#include "dataset/sha256.hpp"

#include <atomic>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

namespace chamber::dataset {

namespace fs = std::filesystem;

namespace {

std::atomic<RowExecutor*> row_executor{nullptr};

}  // namespace

void set_row_executor(RowExecutor* executor) { row_executor = executor; }

BuildResult build_dataset(const BuildOptions& options) {
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
    write_file_atomically(spec_copy.string(), spec_text);
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
    if (!options.progress) return;
    const double seconds = seconds_since(start);
    const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
    const double eta = rate > 0 ? static_cast<double>(pending.size() - done) / rate : 0;
    std::ostringstream line;
    line << "dataset: " << already + done << "/" << total << " done, " << std::fixed << std::setprecision(2) << rate
         << " instances/s, ETA " << std::setprecision(0) << eta << " s";
    options.progress(line.str());
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
  if (RowExecutor* executor = row_executor.load()) {  // elsewhere (chamber-mpi's ranks): the same rows
    std::vector<std::size_t> indices;
    for (const Instance* instance : pending) indices.push_back(instance->index);
    executor->run(options.spec, options.out, indices, [&](std::size_t index, Row&& row) {
      append_line(rows_path, row.dump());
      rows[index] = std::move(row);
      ++done;
      report();
    });
  } else {
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < std::max(1u, options.jobs); ++t) workers.emplace_back(work);
    work();
    for (std::thread& worker : workers) worker.join();
    if (error) std::rethrow_exception(error);
  }

  // Final files, in index order.
  std::vector<Row> ordered;
  std::string jsonl;
  for (auto& [index, row] : rows) {
    jsonl += row.dump() + '\n';
    ordered.push_back(row);
  }
  write_file_atomically(rows_path.string(), jsonl);
  write_file_atomically((out_dir / "rows.csv").string(), to_csv(ordered));
  write_file_atomically((out_dir / "summary.md").string(), to_summary(ordered, spec));
  nlohmann::ordered_json manifest;
  manifest["format"] = "chamber-dataset";
  manifest["schema_version"] = schema_version;
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
  write_file_atomically((out_dir / "manifest.json").string(), manifest.dump(2) + "\n");

  return BuildResult{options.out, total, done, already, seconds_since(start)};
}

nlohmann::json BuildResult::to_json() const {
  return {{"out", out}, {"instances", instances}, {"computed", computed}, {"resumed_with", resumed_with},
          {"seconds", seconds}};
}

VerifyResult verify_dataset(const std::string& dataset) {
  const fs::path dir = dataset;
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
      report = is_network ? check_certificate_files(certificate.string(), "", input.string())
                          : check_certificate_files(certificate.string(), input.string(), "");
    } catch (const std::exception& e) {
      problems.push_back(id + ": certificate unreadable: " + e.what());
      continue;
    }
    if (!report.valid) problems.push_back(id + ": certificate rejected: " + report.reason);
    else if (!row["regions"].is_number_unsigned() || row["regions"].get<std::uint64_t>() != report.regions)
      problems.push_back(id + ": the certificate proves " + std::to_string(report.regions) + " regions, the row says " +
                         row["regions"].dump());
  }
  return VerifyResult{dataset, problems, files, rows.size(), certificates};
}

nlohmann::json VerifyResult::to_json() const {
  return {{"dataset", dataset}, {"valid", valid()},          {"files", files},
          {"rows", rows},       {"certificates_checked", certificates}, {"problems", problems}};
}

}  // namespace chamber::dataset

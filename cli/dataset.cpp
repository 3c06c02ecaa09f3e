// chamber dataset SPEC.json --out DIR [--jobs N]: a sweep of networks (architectures x weight distributions x seeds,
// and/or network files) with one row of exact ground truth per network; chamber dataset --verify DIR re-checks it.
// The row schema and the spec are documented in data/SCHEMA.md; the engine is chamber::dataset (dataset/).
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dataset/dataset.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct DatasetOptions {
  std::string spec;
  std::string out;
  std::string verify;
  unsigned jobs = 1;
  CommonOptions common;
};

int run_build(const DatasetOptions& options) {
  dataset::BuildOptions build{options.spec, options.out, options.jobs, {}};
  if (!options.common.quiet) build.progress = [](const std::string& line) { std::cerr << "chamber: " << line << std::endl; };
  const dataset::BuildResult result = dataset::build_dataset(build);
  if (options.common.json) {
    std::cout << result.to_json().dump(2) << std::endl;
  } else {
    std::cout << options.out << ": " << result.instances << " instances (" << result.computed << " computed now, "
              << result.resumed_with << " already there); rows.jsonl, rows.csv, summary.md, manifest.json\n";
  }
  return 0;
}

int run_verify(const DatasetOptions& options) {
  const dataset::VerifyResult result = dataset::verify_dataset(options.verify);
  if (options.common.json) {
    std::cout << result.to_json().dump(2) << std::endl;
  } else {
    for (const std::string& p : result.problems) std::cout << "MISMATCH " << p << '\n';
    std::cout << options.verify << ": " << (result.valid() ? "valid" : "INVALID") << " (" << result.files
              << " files hashed, " << result.rows << " rows, " << result.certificates << " certificates checked)\n";
  }
  return result.valid() ? 0 : 1;
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

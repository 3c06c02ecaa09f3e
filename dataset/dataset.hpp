// chamber::dataset: ground-truth sweeps (data/SCHEMA.md). A spec (spec.hpp) names networks — architectures × weight
// distributions × seeds, or network files — or arrangement files; build_dataset computes one row of exact ground
// truth per instance into a directory, verify_dataset re-checks a finished one.
//
// Resumable: every finished instance appends one complete line to DIR/rows.jsonl (its network and certificate files
// are written first, each by rename, so a file is whole or absent). A rerun reads the complete lines, drops a torn
// last line, and computes only what is missing. The final rows.jsonl (sorted by index), rows.csv, summary.md and
// manifest.json are each written to a temporary file and renamed.
#pragma once

#include "dataset/spec.hpp"
#include "dataset/store.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace chamber::dataset {

/*! computes the row of one instance, writing its network or arrangement and its certificate under `out_dir`. Timing
 * goes last, in its own field ("seconds"). \throws InternalError when two exact methods disagree. */
Row compute_row(const Spec& spec, const Instance& instance, const std::filesystem::path& out_dir);

/*! computes the rows of a build elsewhere (chamber-mpi's ranks) instead of on the build's threads. */
class RowExecutor {
 public:
  virtual ~RowExecutor() = default;
  /*! computes compute_row(the spec at `spec_path`, its instance k, `out_dir`) for every k in `pending` (instance
   * indices) and calls done(k, row) once per instance, in any order, on the calling thread. \throws what a row threw
   * (InputError, LimitReached or InternalError), after every row in flight came back. */
  virtual void run(const std::string& spec_path, const std::string& out_dir, const std::vector<std::size_t>& pending,
                   const std::function<void(std::size_t, Row&&)>& done) = 0;
};

/*! installs the executor build_dataset hands its rows to (nullptr: its own threads, BuildOptions::jobs). The rows are
 * the same either way; the final files are written in index order. */
void set_row_executor(RowExecutor* executor);

struct BuildOptions {
  std::string spec;  // the spec file
  std::string out;   // the dataset directory (created; a rerun resumes it)
  unsigned jobs = 1;  // instances computed in parallel
  /*! receives a status line after each instance ("dataset: 3/10 done, …"); empty: silent. */
  std::function<void(const std::string&)> progress;
};

struct BuildResult {
  std::string out;
  std::size_t instances = 0, computed = 0, resumed_with = 0;
  double seconds = 0;
  /*! the `chamber dataset --json` object. */
  nlohmann::json to_json() const;
};

/*! builds (or resumes) the dataset of options.spec in options.out. \throws InputError for a bad spec, an --out that
 * is a file or holds another spec's dataset, rows that do not belong to the spec. */
BuildResult build_dataset(const BuildOptions& options);

struct VerifyResult {
  std::string dataset;
  std::vector<std::string> problems;  // empty: valid
  std::size_t files = 0, rows = 0, certificates = 0;
  bool valid() const { return problems.empty(); }
  /*! the `chamber dataset --verify --json` object. */
  nlohmann::json to_json() const;
};

/*! re-checks every hash of the manifest, every row against its files, and every certificate with the independent
 * checker. \throws InputError when `dir` has no readable chamber-dataset manifest. */
VerifyResult verify_dataset(const std::string& dir);

}  // namespace chamber::dataset

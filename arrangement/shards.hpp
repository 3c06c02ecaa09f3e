// Sharded certificates (docs/certificate.md, "Sharded certificates"): an enumeration run as a tree of jobs where every
// job writes its own regions and Farkas entries to a gzip JSON Lines file (a shard) as it finishes, so that no process
// holds the certificate; a completion file closes the pairs no job could (they need the whole set of regions), and a
// manifest names every file with its counts and sha256. `chamber check DIR/manifest.json` reads it all as a stream.
// Also counts by a tree of jobs that keep no regions (count_in_jobs): both kinds of run can be checkpointed and resumed.
#pragma once

#include "arrangement/enumerate.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace chamber {

/// The manifest's and the completion file's names inside a shard directory; a shard is NAME.jsonl.gz.
inline constexpr const char* shard_manifest_file = "manifest.json";
inline constexpr const char* shard_completion_file = "completion.jsonl.gz";

/*! a job's node as JSON (integers as decimal strings, so they travel exactly): depth, signs, witness, blocked. */
nlohmann::json job_to_json(const FrontierJob& job);
/*! reads job_to_json's form. \throws nlohmann::json::exception on a malformed one (the callers name the file). */
FrontierJob job_from_json(const nlohmann::json& json);

/*! searches `job`, `level` jobs below the root, with its budget (JobOptions::budget_at; search_job); with
 * options.shard_dir set, writes its regions and Farkas entries to
 * shard_dir/NAME.jsonl.gz (whole or not at all) and returns the result without them: stats.regions counts the regions
 * and `shard` describes the file. \throws InputError naming the file when it cannot be written. */
SubtreeResult run_job(const Arrangement& arrangement, const FrontierJob& job, const std::string& name, std::size_t level,
                      const JobOptions& options, const RunControl& control);

/*! checkpoints of enumerate_to_shards and count_in_jobs: rank 0 (or the calling thread) writes `path` atomically every
 * `every_seconds` with what the finished jobs found (their shards, or their totals) and the jobs still to do;
 * `resume`, when set, is such a file to continue from. */
struct RunCheckpoints {
  /*! returns whether a checkpoint is written or resumed. */
  bool active() const { return !path.empty() || !resume.empty(); }
  std::string path = {};
  double every_seconds = 300;
  std::string resume = {};
};

struct ShardedEnumeration {
  std::uint64_t regions = 0;
  std::vector<ShardInfo> shards;  // in tree order
  std::uint64_t farkas = 0;       // Farkas entries in the shards
  EnumerationStats stats;
  std::uint64_t lp_solves = 0;  // of the search (the completion's are completion_lps)
  LpCounters counters;
  std::uint64_t completion_pairs = 0;   // (region, hyperplane) pairs closed after the search
  std::uint64_t completion_lps = 0;     // of which needed an LP (the others: an entry of another job)
  std::uint64_t completion_farkas = 0;  // entries those LPs added
};

/*! enumerates every region of `arrangement` as a tree of jobs on `executor` (its options' budget), each job writing
 * its shard into `dir`; then reads the shards back to close the certificate (as CertificateBuilder::complete: a region
 * whose flipped sign vector across a hyperplane is not a region, and whose search path proved nothing there, gets an
 * entry of any job that covers it, else one this completion added, else one LP; the shards read on `threads` threads,
 * with the same result for any number) into dir/completion.jsonl.gz, and writes dir/manifest.json last.
 * Memory: the sign vectors and the entries' conditions of all shards, during the completion only.
 * With checkpoints.path, the run can be continued after a kill by the same call with checkpoints.resume: the shards
 * the checkpoint lists are kept (each checked against its sha256), the jobs it lists are searched again, with the
 * checkpoint's budget; the manifest is then the one an uninterrupted run writes.
 * \throws InputError when `dir` cannot be written or already holds a manifest, or the checkpoint is malformed, about
 * another arrangement, or lists a shard whose file changed; LimitReached on the deadline or past
 * control.max_regions; InternalError when the completion finds a region the search missed. */
ShardedEnumeration enumerate_to_shards(const Arrangement& arrangement, const std::string& dir, JobExecutor& executor,
                                       bool exact_lp, const RunControl& control, const RunCheckpoints& checkpoints = {},
                                       unsigned threads = 1);
/*! the same on the job executor installed by set_job_executor (chamber-mpi's ranks, whose budget then applies), or
 * without one on `threads` threads of this process in jobs of `budget` nodes; the completion on `threads` threads. */
ShardedEnumeration enumerate_to_shards(const Arrangement& arrangement, const std::string& dir, unsigned threads,
                                       std::uint64_t budget, bool exact_lp, const RunControl& control,
                                       const RunCheckpoints& checkpoints = {});

/*! a count by enumeration as a tree of jobs that keep no regions (JobOptions::count_only). */
struct JobCount {
  std::uint64_t regions = 0;    // in all, with those of the checkpoint resumed
  std::uint64_t lp_solves = 0;  // in all, with those of the checkpoint resumed
  std::uint64_t job_budget = 0;
  std::uint64_t jobs = 0;       // searched by this run
  EnumerationStats stats;       // of this run's jobs
  LpCounters counters;          // of this run's jobs
  std::string resumed_from = {};  // the checkpoint file, when resumed
  std::uint64_t resumed_jobs = 0, resumed_regions = 0, resumed_lp_solves = 0;  // what it held
};

/*! counts the regions of `arrangement` as a tree of jobs on `executor` (its options' budget), each job returning its
 * number of regions and its unexplored rest. The count and the LP total depend on the budget only (any executor, any
 * number of ranks or threads, resumed or not). With checkpoints.path, the file holds the finished jobs' totals and the
 * jobs not finished (format chamber-count-checkpoint, docs/certificate.md); with checkpoints.resume, the run continues
 * such a file's, with its budget, and counts nothing twice.
 * \throws InputError for a malformed checkpoint or one about another arrangement; LimitReached on the deadline or past
 * control.max_regions (counted with the checkpoint's regions). */
JobCount count_in_jobs(const Arrangement& arrangement, JobExecutor& executor, bool exact_lp, const RunControl& control,
                       const RunCheckpoints& checkpoints = {});
/*! the same on the job executor installed by set_job_executor (chamber-mpi's ranks, whose budget then applies), or
 * without one on `threads` threads of this process in jobs of `budget` nodes. */
JobCount count_in_jobs(const Arrangement& arrangement, unsigned threads, std::uint64_t budget, bool exact_lp,
                       const RunControl& control, const RunCheckpoints& checkpoints = {});

/*! the counts of `run` for `chamber enumerate --shards --json`: regions, shards, farkas_entries, completion_pairs,
 * completion_lp_solves, lp_solves, lp_paths and the search counters. */
nlohmann::json to_json(const ShardedEnumeration& run);

}  // namespace chamber

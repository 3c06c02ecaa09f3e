// The tree of budgeted jobs of a distributed enumeration (as mplrs: a job searches up to a budget of nodes and returns
// the rest of its subtree as new jobs), kept by whoever hands out the jobs: chamber-mpi's rank 0, or the threads of
// ThreadJobExecutor. Jobs are handed out earliest in tree order first, and their results replayed strictly in tree
// order (a job, then its children's subtrees in order), which is the one-process search's depth-first order.
#pragma once

#include "arrangement/enumerate.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! what is known of a job once searched: one line of a job log (JSON Lines, see bench/README.md). */
struct JobRecord {
  std::uint64_t batch = 0;  // which enumeration of the run
  JobInfo info;
  std::uint64_t nodes = 0, regions = 0, lp_solves = 0;
  std::size_t children = 0;
  double seconds = 0;         // the search itself, where it ran
  double master_seconds = 0;  // what it cost the rank that keeps the tree: reading the result and replaying it
  int rank = 0;               // who searched it (a rank, or a thread)
};

/*! returns the name of the job at `path` (child indices from the root): "r" for the root, then "-%06u" per level, so
 * that name order is tree order (a job before its children, children in order). */
std::string job_name(const std::vector<std::uint32_t>& path);

/*! writes `record` as one JSON line. */
void write_job_record(std::ostream& out, const JobRecord& record);

class JobTree {
 public:
  explicit JobTree(FrontierJob root);
  /*! a tree resumed from a checkpoint: these jobs, at their paths, to search (in path order). */
  explicit JobTree(std::vector<JobRoot> roots);

  /*! takes the job earliest in tree order among those not yet taken; nothing when there is none now. */
  std::optional<std::pair<JobInfo, FrontierJob>> take();
  /*! stores job `id`'s result; its children become jobs. \throws InternalError for an unknown or finished job. */
  void finish(std::size_t id, SubtreeResult&& result);
  /*! returns the next result in tree order once it is stored (and forgets it), else nothing. */
  std::optional<std::pair<JobInfo, SubtreeResult>> next_in_order();
  /*! returns the shards of every finished job, and every job not finished (taken or not) with its path. */
  void snapshot(std::vector<ShardInfo>& finished, std::vector<JobRoot>& pending) const;
  /*! returns whether every job has been replayed. */
  bool complete() const { return cursor_.empty(); }
  /*! returns the number of jobs taken and not yet finished. */
  std::size_t running() const { return running_; }
  std::size_t jobs() const { return jobs_.size(); }
  /*! returns job `id`'s place in the tree. \pre id < jobs(). */
  const JobInfo& info(std::size_t id) const { return jobs_[id].info; }

 private:
  struct Job {
    JobInfo info;
    std::vector<std::uint32_t> path;  // child indices from the root: tree order is their lexicographic order
    std::optional<FrontierJob> node;  // until finished
    std::optional<SubtreeResult> result;
    std::vector<std::size_t> children;
    std::optional<ShardInfo> shard;  // once finished, when it wrote one
    bool taken = false, finished = false;
  };
  std::vector<Job> jobs_;
  std::set<std::pair<std::vector<std::uint32_t>, std::size_t>> waiting_;  // not taken, by tree order
  std::vector<std::size_t> cursor_;  // jobs still to replay, the next on top
  std::size_t running_ = 0;
};

/*! a JobExecutor on this process's threads (for tests, and for chamber-mpi with one rank). */
class ThreadJobExecutor : public JobExecutor {
 public:
  ThreadJobExecutor(unsigned threads, JobOptions options) : threads_(threads), options_(options) {}
  void run(const Arrangement& arrangement, const JobOptions& options, std::vector<JobRoot> roots,
           const JobReplay& replay, const JobCheckpoint& checkpoint = {}) override;
  JobOptions options() const override { return options_; }
  /*! the records of every job searched so far, in the order they finished. */
  const std::vector<JobRecord>& records() const { return records_; }

 private:
  unsigned threads_;
  JobOptions options_;
  std::vector<JobRecord> records_;
};

}  // namespace chamber

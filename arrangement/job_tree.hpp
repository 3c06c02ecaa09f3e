// The tree of budgeted jobs of a distributed enumeration (as mplrs: a job searches up to a budget of nodes and returns
// the rest of its subtree as new jobs), kept by whoever hands out the jobs: chamber-mpi's rank 0, or the threads of
// ThreadJobExecutor. Jobs are handed out earliest in tree order first, and their results replayed strictly in tree
// order (a job, then its children's subtrees in order), which is the one-process search's depth-first order.
#pragma once

#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"

#include <algorithm>
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
  double seconds = 0;         // the search itself, where it ran (chamber-mpi: CPU seconds)
  double master_seconds = 0;  // what it cost the rank that keeps the tree: handing it out, reading its result and
                              // replaying it (chamber-mpi: CPU seconds, the message transfers left out)
  std::uint64_t bytes = 0;    // of its messages through that rank (chamber-mpi: the job and its result)
  int rank = 0;               // who searched it (a rank, or a thread)
};

/*! returns the name of the job at `path` (child indices from the root): "r" for the root, then "-%06u" per level, so
 * that name order is tree order (a job before its children, children in order). */
std::string job_name(const std::vector<std::uint32_t>& path);

/*! writes `record` as one JSON line. */
void write_job_record(std::ostream& out, const JobRecord& record);

/*! the tree of jobs over nodes of type Node (a FrontierJob, or its encoded form for chamber-mpi's rank 0, which never
 * decodes the jobs it hands on): Node has a `depth`. */
template <class Node>
class BasicJobTree {
 public:
  using Root = BasicJobRoot<Node>;
  /*! a tree from these jobs, at their paths (a resumed checkpoint's; one root with an empty path for a new run). */
  explicit BasicJobTree(std::vector<Root> roots);

  /*! takes the job earliest in tree order among those not yet taken; nothing when there is none now. */
  std::optional<std::pair<JobInfo, Node>> take();
  /*! stores job `id`'s result and its unexplored rest, `children`, which become jobs. \throws InternalError for an
   * unknown or finished job, or a child no deeper than its parent. */
  void finish(std::size_t id, std::vector<Node>&& children, SubtreeResult&& result);
  /*! returns the next result in tree order once it is stored (and forgets it), else nothing. */
  std::optional<std::pair<JobInfo, SubtreeResult>> next_in_order();
  /*! returns the shards of every finished job, and every job not finished (taken or not) with its path. */
  void snapshot(std::vector<ShardInfo>& finished, std::vector<Root>& pending) const;
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
    std::optional<Node> node;         // until finished
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

using JobTree = BasicJobTree<FrontierJob>;

template <class Node>
BasicJobTree<Node>::BasicJobTree(std::vector<Root> roots) {
  std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) { return a.path < b.path; });
  for (Root& root : roots) {
    Job job;
    job.info = JobInfo{job_name(root.path), jobs_.size(), root.node.depth, SIZE_MAX, root.path.size()};
    job.path = std::move(root.path);
    job.node = std::move(root.node);
    waiting_.emplace(job.path, job.info.id);
    jobs_.push_back(std::move(job));
  }
  for (std::size_t r = jobs_.size(); r-- > 0;) cursor_.push_back(r);  // the first root on top
}

template <class Node>
void BasicJobTree<Node>::snapshot(std::vector<ShardInfo>& finished, std::vector<Root>& pending) const {
  for (const Job& job : jobs_) {
    if (job.finished) {
      if (!job.shard) throw InternalError("a checkpoint of jobs that write no shards");
      finished.push_back(*job.shard);
    } else {
      pending.push_back(Root{job.path, *job.node});
    }
  }
}

template <class Node>
std::optional<std::pair<JobInfo, Node>> BasicJobTree<Node>::take() {
  if (waiting_.empty()) return std::nullopt;
  const std::size_t id = waiting_.begin()->second;
  waiting_.erase(waiting_.begin());
  Job& job = jobs_[id];
  job.taken = true;
  ++running_;
  return std::pair<JobInfo, Node>{job.info, *job.node};  // kept until finished, for checkpoints
}

template <class Node>
void BasicJobTree<Node>::finish(std::size_t id, std::vector<Node>&& children, SubtreeResult&& result) {
  if (id >= jobs_.size() || !jobs_[id].taken || jobs_[id].finished)
    throw InternalError("job " + std::to_string(id) + " finished twice or never handed out");
  --running_;
  const std::vector<std::uint32_t> path = jobs_[id].path;
  const JobInfo parent = jobs_[id].info;
  for (std::size_t c = 0; c < children.size(); ++c) {
    Job child;
    child.path = path;
    child.path.push_back(static_cast<std::uint32_t>(c));
    child.info = JobInfo{job_name(child.path), jobs_.size(), children[c].depth, id, parent.level + 1};
    if (child.info.depth <= parent.depth) throw InternalError("a job returned a child no deeper than itself");
    child.node = std::move(children[c]);
    waiting_.emplace(child.path, child.info.id);
    jobs_[id].children.push_back(child.info.id);
    jobs_.push_back(std::move(child));
  }
  Job& job = jobs_[id];  // (jobs_ may have moved)
  job.finished = true;
  job.node.reset();
  job.shard = result.shard;
  result.children.clear();
  job.result = std::move(result);
}

template <class Node>
std::optional<std::pair<JobInfo, SubtreeResult>> BasicJobTree<Node>::next_in_order() {
  if (cursor_.empty() || !jobs_[cursor_.back()].result) return std::nullopt;
  const std::size_t id = cursor_.back();
  cursor_.pop_back();
  // The children's subtrees follow in order: the first one goes on top.
  cursor_.insert(cursor_.end(), jobs_[id].children.rbegin(), jobs_[id].children.rend());
  std::pair<JobInfo, SubtreeResult> out{jobs_[id].info, std::move(*jobs_[id].result)};
  jobs_[id].result.reset();
  return out;
}

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

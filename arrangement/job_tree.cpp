#include "arrangement/job_tree.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/shards.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace chamber {

std::string job_name(const std::vector<std::uint32_t>& path) {
  std::string name = "r";
  char digits[16];
  for (std::uint32_t index : path) {
    if (index >= 1000000) throw InternalError("a job with a millionth child");
    std::snprintf(digits, sizeof digits, "-%06u", index);
    name += digits;
  }
  return name;
}

void write_job_record(std::ostream& out, const JobRecord& record) {
  nlohmann::json line{{"batch", record.batch},
                      {"id", record.info.id},
                      {"name", record.info.name},
                      {"parent", record.info.parent == SIZE_MAX ? nlohmann::json() : nlohmann::json(record.info.parent)},
                      {"level", record.info.level},
                      {"depth", record.info.depth},
                      {"nodes", record.nodes},
                      {"regions", record.regions},
                      {"lp_solves", record.lp_solves},
                      {"children", record.children},
                      {"seconds", record.seconds},
                      {"master_seconds", record.master_seconds},
                      {"rank", record.rank}};
  out << line.dump() << '\n';
}

JobTree::JobTree(FrontierJob root) : JobTree(std::vector<JobRoot>{JobRoot{{}, std::move(root)}}) {}

JobTree::JobTree(std::vector<JobRoot> roots) {
  std::sort(roots.begin(), roots.end(), [](const JobRoot& a, const JobRoot& b) { return a.path < b.path; });
  for (JobRoot& root : roots) {
    Job job;
    job.info = JobInfo{job_name(root.path), jobs_.size(), root.node.depth, SIZE_MAX, root.path.size()};
    job.path = std::move(root.path);
    job.node = std::move(root.node);
    waiting_.emplace(job.path, job.info.id);
    jobs_.push_back(std::move(job));
  }
  for (std::size_t r = jobs_.size(); r-- > 0;) cursor_.push_back(r);  // the first root on top
}

void JobTree::snapshot(std::vector<ShardInfo>& finished, std::vector<JobRoot>& pending) const {
  for (const Job& job : jobs_) {
    if (job.finished) {
      if (!job.shard) throw InternalError("a checkpoint of jobs that write no shards");
      finished.push_back(*job.shard);
    } else {
      pending.push_back(JobRoot{job.path, *job.node});
    }
  }
}

std::optional<std::pair<JobInfo, FrontierJob>> JobTree::take() {
  if (waiting_.empty()) return std::nullopt;
  const std::size_t id = waiting_.begin()->second;
  waiting_.erase(waiting_.begin());
  Job& job = jobs_[id];
  job.taken = true;
  ++running_;
  return std::pair<JobInfo, FrontierJob>{job.info, *job.node};  // kept until finished, for checkpoints
}

void JobTree::finish(std::size_t id, SubtreeResult&& result) {
  if (id >= jobs_.size() || !jobs_[id].taken || jobs_[id].finished)
    throw InternalError("job " + std::to_string(id) + " finished twice or never handed out");
  --running_;
  const std::vector<std::uint32_t> path = jobs_[id].path;
  const JobInfo parent = jobs_[id].info;
  for (std::size_t c = 0; c < result.children.size(); ++c) {
    Job child;
    child.path = path;
    child.path.push_back(static_cast<std::uint32_t>(c));
    child.info = JobInfo{job_name(child.path), jobs_.size(), result.children[c].depth, id, parent.level + 1};
    if (child.info.depth <= parent.depth) throw InternalError("a job returned a child no deeper than itself");
    child.node = std::move(result.children[c]);
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

std::optional<std::pair<JobInfo, SubtreeResult>> JobTree::next_in_order() {
  if (cursor_.empty() || !jobs_[cursor_.back()].result) return std::nullopt;
  const std::size_t id = cursor_.back();
  cursor_.pop_back();
  // The children's subtrees follow in order: the first one goes on top.
  cursor_.insert(cursor_.end(), jobs_[id].children.rbegin(), jobs_[id].children.rend());
  std::pair<JobInfo, SubtreeResult> out{jobs_[id].info, std::move(*jobs_[id].result)};
  jobs_[id].result.reset();
  return out;
}

void ThreadJobExecutor::run(const Arrangement& arrangement, const JobOptions& options, std::vector<JobRoot> roots,
                            const JobReplay& replay, const JobCheckpoint& checkpoint) {
  JobTree tree(std::move(roots));
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr error;
  bool stop = false;
  auto work = [&](int thread) {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      std::optional<std::pair<JobInfo, FrontierJob>> job;
      changed.wait(lock, [&] { return stop || tree.complete() || (job = tree.take()).has_value(); });
      if (!job) return;
      lock.unlock();
      JobRecord record{0, job->first, 0, 0, 0, 0, 0, 0, thread};
      SubtreeResult result;
      std::exception_ptr failed;
      try {
        const auto start = std::chrono::steady_clock::now();
        result = run_job(arrangement, job->second, job->first.name, options, RunControl{});
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } catch (...) {
        failed = std::current_exception();
      }
      record.nodes = result.nodes;
      record.regions = result.stats.regions;
      record.lp_solves = result.solves;
      record.children = result.children.size();
      lock.lock();
      if (failed) {
        if (!error) error = failed;
        stop = true;
      } else if (!stop) {
        records_.push_back(record);
        tree.finish(job->first.id, std::move(result));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < std::max(1u, threads_); ++t) workers.emplace_back(work, static_cast<int>(t));
  try {
    std::unique_lock<std::mutex> lock(mutex);
    // The first checkpoint at once: a run killed early can be resumed too.
    auto last_checkpoint = std::chrono::steady_clock::now() - std::chrono::hours(24);
    while (!tree.complete()) {
      std::optional<std::pair<JobInfo, SubtreeResult>> next;
      const auto ready = [&] { return stop || (next = tree.next_in_order()).has_value(); };
      if (checkpoint.every_seconds > 0) {
        changed.wait_for(lock, std::chrono::milliseconds(200), ready);
        if (!stop && std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint).count() >=
                         checkpoint.every_seconds) {
          std::vector<ShardInfo> finished;
          std::vector<JobRoot> pending;
          tree.snapshot(finished, pending);
          lock.unlock();
          checkpoint.save(std::move(finished), std::move(pending));
          lock.lock();
          last_checkpoint = std::chrono::steady_clock::now();
        }
        if (!next && !stop) continue;
      } else {
        changed.wait(lock, ready);
      }
      if (!next) break;  // a job failed
      lock.unlock();
      replay(next->first, std::move(next->second));
      lock.lock();
    }
    stop = true;
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!error) error = std::current_exception();
    stop = true;
  }
  changed.notify_all();
  for (std::thread& worker : workers) worker.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace chamber

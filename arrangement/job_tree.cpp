#include "arrangement/job_tree.hpp"

#include "arrangement/errors.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

namespace chamber {

void write_job_record(std::ostream& out, const JobRecord& record) {
  nlohmann::json line{{"batch", record.batch},
                      {"id", record.info.id},
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

JobTree::JobTree(FrontierJob root) {
  Job job;
  job.info = JobInfo{0, root.depth, SIZE_MAX, 0};
  job.node = std::move(root);
  jobs_.push_back(std::move(job));
  waiting_.emplace(std::vector<std::uint32_t>{}, 0);
  cursor_.push_back(0);
}

std::optional<std::pair<JobInfo, FrontierJob>> JobTree::take() {
  if (waiting_.empty()) return std::nullopt;
  const std::size_t id = waiting_.begin()->second;
  waiting_.erase(waiting_.begin());
  Job& job = jobs_[id];
  job.taken = true;
  ++running_;
  std::pair<JobInfo, FrontierJob> out{job.info, std::move(*job.node)};
  job.node.reset();
  return out;
}

void JobTree::finish(std::size_t id, SubtreeResult&& result) {
  if (id >= jobs_.size() || !jobs_[id].taken || jobs_[id].finished)
    throw InternalError("job " + std::to_string(id) + " finished twice or never handed out");
  --running_;
  const std::vector<std::uint32_t> path = jobs_[id].path;
  const JobInfo parent = jobs_[id].info;
  for (std::size_t c = 0; c < result.children.size(); ++c) {
    Job child;
    child.info = JobInfo{jobs_.size(), result.children[c].depth, id, parent.level + 1};
    if (child.info.depth <= parent.depth) throw InternalError("a job returned a child no deeper than itself");
    child.path = path;
    child.path.push_back(static_cast<std::uint32_t>(c));
    child.node = std::move(result.children[c]);
    waiting_.emplace(child.path, child.info.id);
    jobs_[id].children.push_back(child.info.id);
    jobs_.push_back(std::move(child));
  }
  Job& job = jobs_[id];  // (jobs_ may have moved)
  job.finished = true;
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

void ThreadJobExecutor::run(const Arrangement& arrangement, const JobOptions& options, FrontierJob root,
                            const JobReplay& replay) {
  JobTree tree(std::move(root));
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
        result = search_job(arrangement, job->second, options, RunControl{});
        record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      } catch (...) {
        failed = std::current_exception();
      }
      record.nodes = result.nodes;
      record.regions = result.leaves.size();
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
    while (!tree.complete()) {
      std::optional<std::pair<JobInfo, SubtreeResult>> next;
      changed.wait(lock, [&] { return stop || (next = tree.next_in_order()).has_value(); });
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

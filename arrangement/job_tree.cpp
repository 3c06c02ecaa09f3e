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
                      {"bytes", record.bytes},
                      {"rank", record.rank}};
  out << line.dump() << '\n';
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
      JobRecord record{0, job->first, 0, 0, 0, 0, 0, 0, 0, thread};
      SubtreeResult result;
      std::exception_ptr failed;
      try {
        const auto start = std::chrono::steady_clock::now();
        result = run_job(arrangement, job->second, job->first.name, job->first.level, options, RunControl{});
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
        std::vector<FrontierJob> children = std::move(result.children);
        tree.finish(job->first.id, std::move(children), std::move(result));
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

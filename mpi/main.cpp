// chamber-mpi: `mpirun -np N chamber-mpi COMMAND ...` takes the same commands, options and outputs as `chamber`, plus
// two of its own (read here, before the command line):
//   --job-budget N   search nodes per job (default 2000)
//   --job-log FILE   one JSON line per job searched (bench/mpi.sh replays it; format in bench/README.md), written at
//                    each checkpoint and at the end; appended to when the command resumes a checkpoint (--resume)
// Rank 0 runs the command line; every enumeration big enough to split (RegionEnumerator::run_in_cell) becomes a tree of
// budgeted jobs, as in mplrs: rank 0 keeps the queue (arrangement/job_tree.hpp), gives each idle worker the job
// earliest in tree order, and a worker searches it for up to the budget of nodes and sends back the regions it found
// and the unexplored rest of its subtree as new jobs. Rank 0 searches jobs too, on a thread of its own, and replays
// the results in tree order, so the regions come in the one-process depth-first order, and the Farkas entries, the
// certificate and the LP count depend on the budget only: the same for any N (N = 1 included).
//
// `chamber-mpi check DIR/manifest.json` checks a sharded certificate's shards on the workers (their files, witnesses and
// Farkas entries: verify::digest_shard) and puts them together on rank 0 (verify/sharded_certificate.hpp).
// `chamber-mpi dataset SPEC --out DIR` hands the instances to the workers (dataset::RowExecutor), which write their
// network and certificate files under DIR themselves (a directory every rank sees) and send back the row; rank 0
// writes rows.jsonl as they come and the final files in index order, so the rows are those of `chamber dataset`.
//
// Messages are JSON text (mpi/subtree_messages.hpp). A worker that fails reports it and rank 0 stops the run with
// exit 3; a rank that dies makes mpirun end them all (MPI's default error handler), never a hang.
#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/job_tree.hpp"
#include "arrangement/job_wire.hpp"
#include "arrangement/shards.hpp"
#include "cli/commands.hpp"
#include "dataset/dataset.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"
#include "verify/sharded_certificate.hpp"
#include "mpi/subtree_messages.hpp"

#include <mpi.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace chamber::mpi {

namespace {

enum Tag : int {
  batch_tag = 1,
  job_tag = 2,
  result_tag = 3,
  error_tag = 4,
  stop_tag = 5,
  dataset_tag = 6,     // a dataset build: its spec file and directory
  row_tag = 7,         // an instance to compute
  row_result_tag = 8,  // its row
  row_error_tag = 9,   // {"kind": "input" | "limit" | "internal", "what": ...}
  check_tag = 10,      // a sharded certificate to check: its manifest
  shard_tag = 11,      // a shard to digest
  digest_tag = 12      // its digest
};

void send(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

/*! receives the next message from `from` (MPI_ANY_SOURCE for any rank): its text, sender and tag. */
std::string receive(int from, int& sender, int& tag) {
  // Polled, with sleeps growing from 20 µs to 1 ms once a short spin finds nothing: MPI_Probe spins a core for as long
  // as it waits (a worker between jobs or during rank 0's certificate completion, rank 0 waiting for dataset rows),
  // which takes it from the ranks that share it.
  MPI_Status status;
  int ready = 0;
  auto pause = std::chrono::microseconds(20);
  for (int spins = 0;; ++spins) {
    MPI_Iprobe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
    if (ready) break;
    if (spins < 100) continue;
    std::this_thread::sleep_for(pause);
    pause = std::min(2 * pause, std::chrono::microseconds(1000));
  }
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  sender = status.MPI_SOURCE;
  tag = status.MPI_TAG;
  return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/*! the CPU seconds the calling thread has used: what a job's search, or rank 0's share of a job, costs — unlike the
 * wall clock, not inflated when the ranks share the cores with each other or other work (the job log's figures). */
double thread_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

/// Rank 0's side: the jobs of one enumeration go to the workers, one at a time each, until every result is replayed.
class MpiExecutor : public JobExecutor {
 public:
  MpiExecutor(int ranks, JobOptions options, std::ostream* log) : ranks_(ranks), options_(options), log_(log) {}

  JobOptions options() const override { return options_; }

  void run(const Arrangement& arrangement, const JobOptions& options, std::vector<JobRoot> roots,
           const JobReplay& replay, const JobCheckpoint& checkpoint) override {
    const std::uint64_t batch = ++batches_;
    const std::string batch_text = batch_json(batch, arrangement, options).dump();
    // The tree is shared by this rank's own searching thread (no MPI calls there) and the MPI loop below. It holds the
    // jobs encoded: this rank hands them on as the workers sent them, without decoding them.
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<BasicJobRoot<WireJob>> wire_roots;
    for (JobRoot& root : roots) wire_roots.push_back({std::move(root.path), wire_job(root.node)});
    BasicJobTree<WireJob> tree(std::move(wire_roots));
    // The first checkpoint at once: a run killed early can be resumed too.
    auto last_checkpoint = std::chrono::steady_clock::now() - std::chrono::hours(24);
    std::string failure;  // after a failure no job is handed out, but every outstanding result is still received
    bool over = false;    // tells the local thread to end
    bool local_busy = false;
    std::vector<JobRecord> records;
    std::size_t written = 0;             // records in the log already (written at checkpoints)
    std::vector<std::size_t> record_of;  // job -> its record
    struct HandedOut {
      double seconds = 0;       // this rank's CPU to take the job and encode its message
      std::uint64_t bytes = 0;  // of the message
    };
    std::vector<HandedOut> handed_out;  // job -> what handing it to a worker cost
    auto record = [&](const JobInfo& info, const SubtreeResult& result, std::size_t children, double seconds,
                      int rank) {
      if (record_of.size() <= info.id) record_of.resize(info.id + 1, SIZE_MAX);
      record_of[info.id] = records.size();
      const HandedOut handed = info.id < handed_out.size() ? handed_out[info.id] : HandedOut{};
      records.push_back(JobRecord{batch, info, result.nodes, result.stats.regions, result.solves, children, seconds,
                                  handed.seconds, handed.bytes, rank});
    };
    // Jobs go out without waiting for the worker to take them in (a large message waits for its receiver).
    struct Sending {
      MPI_Request request;
      std::string bytes;
    };
    std::list<Sending> sending;
    auto reap = [&](bool wait) {
      for (auto it = sending.begin(); it != sending.end();) {
        int done = 0;
        if (wait) MPI_Wait(&it->request, MPI_STATUS_IGNORE);
        else MPI_Test(&it->request, &done, MPI_STATUS_IGNORE);
        it = wait || done ? sending.erase(it) : std::next(it);
      }
    };

    std::thread local([&] {
      std::unique_lock<std::mutex> lock(mutex);
      for (;;) {
        std::optional<std::pair<JobInfo, WireJob>> job;
        changed.wait(lock, [&] { return over || (failure.empty() && (job = tree.take()).has_value()); });
        if (!job) return;
        local_busy = true;
        lock.unlock();
        SubtreeResult result;
        std::vector<WireJob> children;
        std::string error;
        const double start = thread_seconds();
        try {
          result = run_job(arrangement, decode_job(*job->second.bytes), job->first.name, job->first.level, options,
                           RunControl{});
          for (const FrontierJob& child : result.children) children.push_back(wire_job(child));
          result.children.clear();
        } catch (const std::exception& e) {
          error = std::string("chamber-mpi: rank 0: ") + e.what();
        }
        const double seconds = thread_seconds() - start;
        lock.lock();
        local_busy = false;
        if (!error.empty()) {
          if (failure.empty()) failure = error;
          continue;
        }
        record(job->first, result, children.size(), seconds, 0);
        tree.finish(job->first.id, std::move(children), std::move(result));
      }
    });

    std::vector<int> idle;
    for (int worker = 1; worker < ranks_; ++worker) {
      send(batch_text, worker, batch_tag);
      idle.push_back(worker);
    }
    std::unique_lock<std::mutex> lock(mutex);
    std::size_t outstanding = 0;  // jobs at the workers
    for (;;) {
      bool progress = false;
      // Idle workers first: they search while this rank replays.
      while (failure.empty() && !idle.empty()) {
        const double start = thread_seconds();
        std::optional<std::pair<JobInfo, WireJob>> job = tree.take();
        if (!job) break;
        const int worker = idle.back();
        idle.pop_back();
        lock.unlock();
        Sending& out = sending.emplace_back();
        out.bytes = encode_job_message(batch, job->first, job->second);
        const double seconds = thread_seconds() - start;
        MPI_Isend(out.bytes.data(), static_cast<int>(out.bytes.size()), MPI_CHAR, worker, job_tag, MPI_COMM_WORLD,
                  &out.request);
        lock.lock();
        if (handed_out.size() <= job->first.id) handed_out.resize(job->first.id + 1);
        handed_out[job->first.id] = HandedOut{seconds, out.bytes.size()};
        ++outstanding;
        progress = true;
      }
      changed.notify_all();  // new jobs may be waiting for the local thread
      while (failure.empty()) {
        std::optional<std::pair<JobInfo, SubtreeResult>> next = tree.next_in_order();
        if (!next) break;
        lock.unlock();
        const double start = thread_seconds();
        try {
          replay(next->first, std::move(next->second));
        } catch (const std::exception& e) {
          lock.lock();
          if (failure.empty()) failure = e.what();
          break;
        }
        lock.lock();
        records[record_of.at(next->first.id)].master_seconds += thread_seconds() - start;
        progress = true;
      }
      if (outstanding == 0 && !local_busy && (tree.complete() || !failure.empty())) break;
      if (checkpoint.every_seconds > 0 && failure.empty() &&
          seconds_since(last_checkpoint) >= checkpoint.every_seconds) {
        std::vector<ShardInfo> finished;
        std::vector<BasicJobRoot<WireJob>> wire_pending;
        tree.snapshot(finished, wire_pending);
        // The records of the jobs the checkpoint lists as finished go to the log first: a run resumed from it appends
        // the rest, so that the log holds every job of the tree (twice only for jobs finished after the log was
        // written and before the checkpoint was, if killed in between: mpi_replay.py keeps the last).
        const std::vector<JobRecord> unwritten(records.begin() + static_cast<std::ptrdiff_t>(written), records.end());
        written = records.size();
        lock.unlock();
        try {
          write_log(unwritten);
          std::vector<JobRoot> pending;
          for (BasicJobRoot<WireJob>& job : wire_pending)
            pending.push_back(JobRoot{std::move(job.path), decode_job(*job.node.bytes)});
          checkpoint.save(std::move(finished), std::move(pending));
        } catch (const std::exception& e) {
          lock.lock();
          if (failure.empty()) failure = e.what();
          continue;
        }
        lock.lock();
        last_checkpoint = std::chrono::steady_clock::now();
      }
      lock.unlock();
      reap(false);
      int ready = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
      if (ready) {
        int sender = 0, tag = 0;
        const std::string text = receive(status.MPI_SOURCE, sender, tag);
        const double start = thread_seconds();  // (the transfer itself is the replay's bandwidth term)
        std::optional<WireResult> wire;
        std::string error;
        try {
          if (tag != result_tag)
            throw InternalError("chamber-mpi: rank " + std::to_string(sender) + ": " +
                                (tag == error_tag ? text : std::string("unexpected message")));
          wire = decode_result(text);
        } catch (const std::exception& e) {
          error = e.what();
        }
        lock.lock();
        --outstanding;
        idle.push_back(sender);
        try {
          if (!error.empty()) throw InternalError(error);
          if (failure.empty()) {
            if (wire->id >= tree.jobs()) throw InternalError("chamber-mpi: a result for an unknown job");
            record(tree.info(wire->id), wire->result, wire->children.size(), wire->seconds, sender);
            tree.finish(wire->id, std::move(wire->children), std::move(wire->result));
            records.back().master_seconds += thread_seconds() - start;
            records.back().bytes += text.size();
          }
        } catch (const std::exception& e) {
          if (failure.empty()) failure = e.what();
        }
      } else if (!progress) {
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        lock.lock();
      } else {
        lock.lock();
      }
    }
    over = true;
    lock.unlock();
    changed.notify_all();
    local.join();
    reap(true);
    write_log({records.begin() + static_cast<std::ptrdiff_t>(written), records.end()});
    if (!failure.empty()) throw InternalError(failure);
  }

  /*! appends `records` to the job log, if any. */
  void write_log(const std::vector<JobRecord>& records) {
    if (!log_) return;
    for (const JobRecord& r : records) write_job_record(*log_, r);
    log_->flush();
  }

  /*! tells every worker that the run is over. */
  void stop() { stop_workers(ranks_); }

  static void stop_workers(int ranks) {
    for (int worker = 1; worker < ranks; ++worker) send("", worker, stop_tag);
  }

 private:
  int ranks_;
  JobOptions options_;
  std::ostream* log_;
  std::uint64_t batches_ = 0;
};

/*! rank 0's side of a farm of tasks: `header` to every worker, then tasks 0, 1, ... (task(t) their text), one at a time
 * to each worker and the next to whichever answers, until every task handed out has been answered; `reply(sender, tag,
 * text)` for each answer. No task is handed out once stopped() says so. */
void farm(int ranks, const std::string& header, int header_tag, std::size_t count, int task_tag,
          const std::function<std::string(std::size_t)>& task, const std::function<bool()>& stopped,
          const std::function<void(int, int, const std::string&)>& reply) {
  std::size_t next = 0, outstanding = 0;
  auto give = [&](int worker) {
    if (next >= count || stopped()) return;
    send(task(next++), worker, task_tag);
    ++outstanding;
  };
  for (int worker = 1; worker < ranks; ++worker) {
    send(header, worker, header_tag);
    give(worker);
  }
  while (outstanding > 0) {
    int sender = 0, tag = 0;
    const std::string text = receive(MPI_ANY_SOURCE, sender, tag);
    --outstanding;
    give(sender);  // the next task first: the worker computes while this answer is taken in
    reply(sender, tag, text);
  }
}

/// Rank 0's side of `chamber-mpi dataset`: the pending instances go to the workers, one at a time each; rank 0 only
/// writes the rows (with one rank, it computes them itself, on one thread).
class MpiRowExecutor : public dataset::RowExecutor {
 public:
  explicit MpiRowExecutor(int ranks) : ranks_(ranks) {}

  void run(const std::string& spec_path, const std::string& out_dir, const std::vector<std::size_t>& pending,
           const std::function<void(std::size_t, dataset::Row&&)>& done) override {
    if (ranks_ == 1) {
      // The rows of a plain search, as `chamber dataset` computes them (not jobs of the tree: other LP counts).
      JobExecutor* jobs = installed_job_executor();
      set_job_executor(nullptr);
      try {
        const dataset::Spec spec = dataset::read_spec(spec_path);
        for (std::size_t index : pending) done(index, dataset::compute_row(spec, spec.instances.at(index), out_dir));
      } catch (...) {
        set_job_executor(jobs);
        throw;
      }
      set_job_executor(jobs);
      return;
    }
    const std::string header = nlohmann::json{{"spec", spec_path}, {"out", out_dir}}.dump();
    std::optional<std::string> failure_kind;
    std::string failure;
    farm(
        ranks_, header, dataset_tag, pending.size(), row_tag,
        [&](std::size_t t) { return std::to_string(pending[t]); }, [&] { return failure_kind.has_value(); },
        [&](int sender, int tag, const std::string& text) {
          try {
            if (tag == row_error_tag) {
              const nlohmann::json error = nlohmann::json::parse(text);
              if (!failure_kind) {
                failure_kind = error.at("kind").get<std::string>();
                failure = error.at("what").get<std::string>();
              }
              return;
            }
            if (tag != row_result_tag)
              throw InternalError("chamber-mpi: rank " + std::to_string(sender) + ": unexpected message");
            const nlohmann::json message = nlohmann::json::parse(text);
            if (!failure_kind)
              done(message.at("index").get<std::size_t>(), dataset::Row::parse(message.at("row").get<std::string>()));
          } catch (const std::exception& e) {
            if (!failure_kind) {
              failure_kind = "internal";
              failure = e.what();
            }
          }
        });
    if (failure_kind == "input") throw InputError(failure);
    if (failure_kind == "limit") throw LimitReached(failure);
    if (failure_kind) throw InternalError(failure);
  }

 private:
  int ranks_;
};

/// Rank 0's side of `chamber-mpi check MANIFEST`: stage 1 of the sharded checker (each shard's file, witnesses and
/// entries) on the workers, one shard at a time each; stage 2 on rank 0 in shard order. One rank: its threads.
class MpiShardCheckExecutor : public verify::ShardCheckExecutor {
 public:
  explicit MpiShardCheckExecutor(int ranks) : ranks_(ranks) {}

  void run(const std::string& manifest_path, std::size_t count,
           const std::function<void(std::size_t, verify::ShardDigest&&)>& done) override {
    std::map<std::size_t, verify::ShardDigest> waiting;  // digests ahead of their turn
    std::size_t turn = 0;
    std::exception_ptr error;
    farm(
        ranks_, manifest_path, check_tag, count, shard_tag, [](std::size_t t) { return std::to_string(t); },
        [&] { return error != nullptr; },
        [&](int sender, int tag, const std::string& text) {
          try {
            if (tag != digest_tag)
              throw InternalError("chamber-mpi: rank " + std::to_string(sender) + ": " +
                                  (tag == error_tag ? text : std::string("unexpected message")));
            const nlohmann::json message = nlohmann::json::parse(text);
            waiting.emplace(message.at("s").get<std::size_t>(), digest_from_json(message));
            for (auto it = waiting.find(turn); !error && it != waiting.end(); it = waiting.find(turn)) {
              verify::ShardDigest digest = std::move(it->second);
              waiting.erase(it);
              done(turn++, std::move(digest));
            }
          } catch (...) {
            if (!error) error = std::current_exception();
          }
        });
    if (error) std::rethrow_exception(error);
    if (turn != count) throw InternalError("chamber-mpi: a sharded check ended before every shard came back");
  }

  static nlohmann::json digest_json(std::size_t s, const verify::ShardDigest& digest) {
    nlohmann::json farkas = nlohmann::json::array(), regions = nlohmann::json::array();
    for (const auto& entry : digest.farkas) farkas.push_back({entry.indices, entry.signs});
    for (const auto& region : digest.regions) regions.push_back({region.signs, region.blocked});
    return {{"s", s},
            {"failure", digest.failure ? nlohmann::json(*digest.failure) : nlohmann::json()},
            {"farkas", std::move(farkas)},
            {"regions", std::move(regions)}};
  }

 private:
  static verify::ShardDigest digest_from_json(const nlohmann::json& message) {
    verify::ShardDigest digest;
    if (!message.at("failure").is_null()) digest.failure = message.at("failure").get<std::string>();
    for (const nlohmann::json& entry : message.at("farkas"))
      digest.farkas.push_back({entry.at(0).get<std::vector<std::uint32_t>>(), entry.at(1).get<std::string>()});
    for (const nlohmann::json& region : message.at("regions"))
      digest.regions.push_back(
          {region.at(0).get<std::string>(), region.at(1).get<std::vector<std::pair<std::uint32_t, std::uint32_t>>>()});
    return digest;
  }

  int ranks_;
};

/*! a worker's part of a sharded check: the digest of shard `text` of the manifest `plan` was made from. */
void digest_shard_for(const std::optional<verify::ShardPlan>& plan, std::unique_ptr<verify::ArrangementChecker>& alone,
                      const std::string& text) {
  try {
    if (!plan || !alone) throw InternalError("a shard to check before its manifest");
    const std::size_t s = std::stoul(text);
    send(MpiShardCheckExecutor::digest_json(s, verify::digest_shard(*plan, s, *alone)).dump(), 0, digest_tag);
  } catch (const std::exception& e) {
    send(std::string("chamber-mpi: a worker checking shards: ") + e.what(), 0, error_tag);
  }
}

/*! reads the manifest at `path` for the shards a worker will digest. */
void plan_check(const std::string& path, std::optional<verify::ShardPlan>& plan,
                std::unique_ptr<verify::ArrangementChecker>& alone) {
  plan.reset();
  alone.reset();
  try {
    std::string why;
    std::optional<nlohmann::json> manifest = verify::parse_json_document(verify::read_maybe_gzip(path), why);
    if (!manifest) return;
    plan = verify::plan_shards(path, *manifest);
    verify::CheckReport unused;
    alone = std::make_unique<verify::ArrangementChecker>(manifest->at("arrangement"), std::nullopt, unused);
  } catch (...) {  // rank 0 read the same manifest first: what fails here failed there, and no shard comes
    plan.reset();
    alone.reset();
  }
}

/*! a worker's part of a dataset build: the row of instance `text` of the spec `dataset` names. */
void compute_row_for(const nlohmann::json& dataset, std::optional<dataset::Spec>& spec, const std::string& text) {
  try {
    if (!spec) spec = dataset::read_spec(dataset.at("spec").get<std::string>());
    const std::size_t index = std::stoul(text);
    const dataset::Row row = dataset::compute_row(*spec, spec->instances.at(index), dataset.at("out").get<std::string>());
    send(nlohmann::json{{"index", index}, {"row", row.dump()}}.dump(), 0, row_result_tag);
  } catch (const InputError& e) {
    send(nlohmann::json{{"kind", "input"}, {"what", e.what()}}.dump(), 0, row_error_tag);
  } catch (const LimitReached& e) {
    send(nlohmann::json{{"kind", "limit"}, {"what", e.what()}}.dump(), 0, row_error_tag);
  } catch (const std::exception& e) {
    send(nlohmann::json{{"kind", "internal"}, {"what", std::string("chamber-mpi: a worker: ") + e.what()}}.dump(), 0,
         row_error_tag);
  }
}

/*! a worker rank: searches the jobs and computes the dataset rows rank 0 sends until it says stop. */
void work() {
  Batch batch;
  nlohmann::json dataset;
  std::optional<dataset::Spec> spec;
  std::optional<verify::ShardPlan> plan;
  std::unique_ptr<verify::ArrangementChecker> alone;
  for (;;) {
    int sender = 0, tag = 0;
    const std::string text = receive(0, sender, tag);
    if (tag == stop_tag) return;
    if (tag == dataset_tag) {
      dataset = nlohmann::json::parse(text);
      spec.reset();
      continue;
    }
    if (tag == row_tag) {
      compute_row_for(dataset, spec, text);
      continue;
    }
    if (tag == check_tag) {
      plan_check(text, plan, alone);
      continue;
    }
    if (tag == shard_tag) {
      digest_shard_for(plan, alone, text);
      continue;
    }
    try {
      if (tag == batch_tag) {
        batch = batch_from_json(nlohmann::json::parse(text));
        continue;
      }
      const double start = thread_seconds();
      const JobMessage message = decode_job_message(text);
      if (message.batch != batch.id)
        throw InternalError("chamber-mpi: a job of batch " + std::to_string(message.batch) + " arrived during batch " +
                            std::to_string(batch.id));
      const SubtreeResult result = run_job(batch.arrangement, message.job, message.name, message.level, batch.options,
                                           RunControl{});
      std::string bytes = encode_result(message.id, 0, result);
      set_result_seconds(bytes, thread_seconds() - start);  // the search with its decoding and encoding
      send(bytes, 0, result_tag);
    } catch (const std::exception& e) {
      send(e.what(), 0, error_tag);
    }
  }
}

/*! chamber-mpi's own options, taken out of argv before the command line is parsed. */
struct MpiOptions {
  JobOptions jobs;
  std::string log;
  bool resumed = false;  // the command line continues a checkpoint (--resume): the job log is appended to
};

/*! removes --job-budget N and --job-log FILE from argv. \returns false (with a message) when they are malformed. */
bool take_options(int& argc, char** argv, MpiOptions& options) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--job-budget" || arg == "--job-log") {
      if (i + 1 >= argc) {
        std::cerr << "chamber-mpi: error: " << arg << " needs a value\n";
        return false;
      }
      const std::string_view value = argv[++i];
      if (arg == "--job-log") {
        options.log = value;
        continue;
      }
      std::uint64_t budget = 0;
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), budget);
      if (error != std::errc() || end != value.data() + value.size() || budget == 0) {
        std::cerr << "chamber-mpi: error: --job-budget: expected a positive number of search nodes, found '" << value
                  << "'\n";
        return false;
      }
      options.jobs.budget = budget;
      continue;
    }
    if (arg == "--resume" || arg.rfind("--resume=", 0) == 0) options.resumed = true;
    argv[kept++] = argv[i];
  }
  argc = kept;
  argv[argc] = nullptr;
  return true;
}

}  // namespace

}  // namespace chamber::mpi

int main(int argc, char** argv) {
  int provided = 0;
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  int code = 0;
  if (rank == 0) {
    chamber::mpi::MpiOptions options;
    std::ofstream log;
    if (!chamber::mpi::take_options(argc, argv, options)) {
      code = 2;
    } else if (!options.log.empty() && (log.open(options.log, options.resumed ? std::ios::app : std::ios::trunc), !log)) {
      std::cerr << "chamber-mpi: error: --job-log: cannot write " << options.log << ": " << std::strerror(errno) << "\n";
      code = 2;
    }
    if (code == 0) {
      chamber::mpi::MpiExecutor executor(ranks, options.jobs, log.is_open() ? &log : nullptr);
      chamber::mpi::MpiRowExecutor rows(ranks);
      chamber::mpi::MpiShardCheckExecutor shards(ranks);
      chamber::set_job_executor(&executor);
      chamber::dataset::set_row_executor(&rows);
      if (ranks > 1) chamber::verify::set_shard_check_executor(&shards);
      code = chamber::cli::run(argc, argv, "chamber-mpi");
      chamber::verify::set_shard_check_executor(nullptr);
      chamber::dataset::set_row_executor(nullptr);
      chamber::set_job_executor(nullptr);
      executor.stop();
    } else {
      chamber::mpi::MpiExecutor::stop_workers(ranks);
    }
  } else {
    chamber::mpi::work();
  }
  MPI_Finalize();
  return code;
}

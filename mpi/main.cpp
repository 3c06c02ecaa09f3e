// chamber-mpi: `mpirun -np N chamber-mpi COMMAND ...` takes the same commands, options and outputs as `chamber`.
// Rank 0 runs the command line; every enumeration that splits its search tree (RegionEnumerator::run_in_cell: the
// nodes at a fixed depth below the cell, up to 256 of them) hands the subtrees below those nodes to the other ranks
// through a SubtreeExecutor: rank 0 keeps the queue and gives each idle worker the next subtree (dynamic, so a slow
// subtree holds up one rank, not a fixed share), searches subtrees itself on a thread of its own meanwhile, and
// replays the results in tree order as a threaded run does. The
// regions, their order, the Farkas entries and the LP count are therefore those of `chamber` for any N. With N = 1 the
// command runs on rank 0 alone, on its threads.
//
// Messages are JSON text (mpi/subtree_messages.hpp). A worker that fails reports it and rank 0 stops the run with
// exit 3; a rank that dies makes mpirun end them all (MPI's default error handler), never a hang.
#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "mpi/subtree_messages.hpp"

#include <mpi.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <iostream>
#include <string>
#include <vector>

namespace chamber::mpi {

namespace {

enum Tag : int { batch_tag = 1, job_tag = 2, result_tag = 3, error_tag = 4, stop_tag = 5 };

void send(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

/*! receives the next message from `from` (MPI_ANY_SOURCE for any rank): its text, sender and tag. */
std::string receive(int from, int& sender, int& tag) {
  MPI_Status status;
  MPI_Probe(from, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  sender = status.MPI_SOURCE;
  tag = status.MPI_TAG;
  return text;
}

/// Rank 0's side: the subtrees of one split go to the workers, one at a time each, until all are back.
class MpiExecutor : public SubtreeExecutor {
 public:
  explicit MpiExecutor(int ranks) : ranks_(ranks) {}

  void run(const Arrangement& arrangement, std::size_t frontier_depth, bool keep_farkas, bool exact_lp,
           const std::vector<FrontierJob>& jobs,
           const std::function<void(std::size_t, SubtreeResult&&)>& done) override {
    const std::uint64_t id = ++batches_;
    const std::string batch = batch_json(id, arrangement, frontier_depth, keep_farkas, exact_lp).dump();
    // The queue is shared by this rank's own searching thread (no MPI calls there) and the MPI loop below.
    std::mutex mutex;
    std::deque<std::size_t> queue;
    for (std::size_t j = 0; j < jobs.size(); ++j) queue.push_back(j);
    std::vector<std::pair<std::size_t, SubtreeResult>> local_done;
    std::string failure;  // after a failure no job is given out, but every outstanding result is still received
    auto next_job = [&]() -> std::optional<std::size_t> {
      std::lock_guard<std::mutex> lock(mutex);
      if (queue.empty() || !failure.empty()) return std::nullopt;
      const std::size_t j = queue.front();
      queue.pop_front();
      return j;
    };
    std::size_t outstanding = 0;
    auto give = [&](int worker) {
      if (std::optional<std::size_t> j = next_job()) {
        send(nlohmann::json{{"batch", id}, {"index", *j}, {"job", job_json(jobs[*j])}}.dump(), worker, job_tag);
        ++outstanding;
      }
    };
    for (int worker = 1; worker < ranks_; ++worker) {
      send(batch, worker, batch_tag);
      give(worker);
    }
    // Rank 0 searches subtrees too, on a thread of its own, while this loop serves the workers.
    std::atomic<bool> local_finished{false};
    std::thread local([&] {
      while (std::optional<std::size_t> j = next_job()) {
        try {
          SubtreeResult result = search_subtree(arrangement, jobs[*j], frontier_depth, keep_farkas, exact_lp, {});
          std::lock_guard<std::mutex> lock(mutex);
          local_done.emplace_back(*j, std::move(result));
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(mutex);
          if (failure.empty()) failure = std::string("chamber-mpi: rank 0: ") + e.what();
        }
      }
      local_finished = true;
    });
    auto take_local = [&] {
      std::vector<std::pair<std::size_t, SubtreeResult>> found;
      {
        std::lock_guard<std::mutex> lock(mutex);
        found.swap(local_done);
      }
      for (auto& [j, result] : found)
        if (failure.empty()) done(j, std::move(result));
    };
    while (outstanding > 0 || !local_finished) {
      take_local();
      int ready = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &ready, &status);
      if (!ready) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      int sender = 0, tag = 0;
      const std::string text = receive(status.MPI_SOURCE, sender, tag);
      --outstanding;
      try {
        if (tag != result_tag)
          throw InternalError("chamber-mpi: rank " + std::to_string(sender) + ": " +
                              (tag == error_tag ? text : std::string("unexpected message")));
        const nlohmann::json message = nlohmann::json::parse(text);
        give(sender);  // the next subtree first: the worker searches while this one is merged
        std::lock_guard<std::mutex> lock(mutex);
        if (failure.empty()) done(message.at("index").get<std::size_t>(), result_from_json(message.at("result")));
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(mutex);
        if (failure.empty()) failure = e.what();
      }
    }
    local.join();
    take_local();
    if (!failure.empty()) throw InternalError(failure);
  }

  /*! tells every worker that the run is over. */
  void stop() {
    for (int worker = 1; worker < ranks_; ++worker) send("", worker, stop_tag);
  }

 private:
  int ranks_;
  std::uint64_t batches_ = 0;
};

/*! a worker rank: searches the subtrees rank 0 sends until it says stop. */
void work() {
  Batch batch;
  for (;;) {
    int sender = 0, tag = 0;
    const std::string text = receive(0, sender, tag);
    if (tag == stop_tag) return;
    try {
      if (tag == batch_tag) {
        batch = batch_from_json(nlohmann::json::parse(text));
        continue;
      }
      const nlohmann::json message = nlohmann::json::parse(text);
      if (message.at("batch").get<std::uint64_t>() != batch.id)
        throw InternalError("chamber-mpi: a job of batch " + message.at("batch").dump() + " arrived during batch " +
                            std::to_string(batch.id));
      const SubtreeResult result = search_subtree(batch.arrangement, job_from_json(message.at("job")),
                                                  batch.frontier_depth, batch.keep_farkas, batch.exact_lp, RunControl{});
      send(nlohmann::json{{"index", message.at("index")}, {"result", result_json(result)}}.dump(), 0, result_tag);
    } catch (const std::exception& e) {
      send(e.what(), 0, error_tag);
    }
  }
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
    chamber::mpi::MpiExecutor executor(ranks);
    if (ranks > 1) chamber::set_subtree_executor(&executor);
    code = chamber::cli::run(argc, argv, "chamber-mpi");
    chamber::set_subtree_executor(nullptr);
    executor.stop();
  } else {
    chamber::mpi::work();
  }
  MPI_Finalize();
  return code;
}

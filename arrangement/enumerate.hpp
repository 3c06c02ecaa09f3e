// Output-sensitive region enumeration (after Rada & Černý 2018, "IncEnu").
//
// Depth-first over the hyperplanes 0..m−1 carrying an interior witness of the current cell: the side of
// hyperplane k that holds the witness needs no LP; the other side needs one strict-feasibility LP over
// hyperplanes 0..k. A witness lying on hyperplane k is pushed off it both ways (no LP). Each LP that finds
// the other side empty yields a Farkas certificate; it proves hyperplane k is no facet of every region
// below the witness side, which is what the completeness certificate needs.
#pragma once

#include "arrangement/lp.hpp"
#include "arrangement/run_control.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! a region: its sign vector ('+'/'-' per hyperplane) and an interior witness. */
struct Region {
  std::string signs;
  Point witness;
};

/*! a hyperplane proven not to be a facet of a region, with the Farkas entry that proves it. */
struct BlockedHyperplane {
  std::size_t hyperplane;
  std::size_t farkas;
  /*! in a tree of jobs: 0 for an entry of the job that found the region or (for hyperplanes before its depth) of the
   * ancestor job the depths name; u > 0 for entry `farkas` of the job u levels up, whose proof the job inherited
   * (FrontierJob::memo). Always 0 outside jobs. */
  std::size_t up = 0;
};

struct EnumerationStats {
  std::uint64_t regions = 0;
  std::uint64_t lp_solves = 0;       // strict-feasibility LPs
  std::uint64_t lp_infeasible = 0;   // of which proved a side empty
  std::uint64_t perturbations = 0;   // witnesses on a hyperplane, pushed off without an LP
  std::uint64_t lp_skipped = 0;      // other sides shown nonempty without an LP (projected witness)
  std::uint64_t lp_reused = 0;       // other sides shown empty by a Farkas proof found before (no LP)
};

struct EnumerationOptions {
  RunControl control;
  /*! keep the Farkas certificates (for the completeness certificate). */
  bool keep_farkas = false;
  /*! every LP through CGAL's exact solver, no floating-point proposals. */
  bool exact_lp = false;
  /*! threads for the search: subtrees below a frontier are searched in parallel and replayed in order, so the
   * regions, their order, the Farkas pool and the LP count are the same for any number of threads. */
  unsigned threads = 1;
};

/*! receives each region with the hyperplanes its search path proved to be non-facets. */
using RegionSink = std::function<void(const Region&, const std::vector<BlockedHyperplane>&)>;

struct FrontierJob;
class JobExecutor;

class RegionEnumerator {
 public:
  RegionEnumerator(const Arrangement& arrangement, EnumerationOptions options);

  /*! enumerates every region once, in a deterministic order; with an empty `sink`, counts them only (stats().regions).
   * \throws LimitReached on a user limit. */
  void run(const RegionSink& sink);
  /*! enumerates the regions inside the open cell where hyperplanes 0..p−1 have the signs `cell_signs`
   * (p = its length): every LP keeps those conditions, and only hyperplanes p..m−1 split. `witness` must lie
   * strictly inside the cell. The regions' sign vectors start with `cell_signs`. */
  void run_in_cell(const std::string& cell_signs, const Point& witness, const RegionSink& sink);

  const EnumerationStats& stats() const { return stats_; }
  /*! the Farkas certificates found (only with keep_farkas). */
  FarkasPool& farkas() { return farkas_; }
  StrictFeasibilitySolver& solver() { return solver_; }

 private:
  /*! the search below `root` as a tree of jobs on `executor`, each region handed to `emit` in depth-first order (an
   * empty `emit`: the regions are only counted, JobOptions::count_only). */
  void run_jobs(JobExecutor& executor, const FrontierJob& root, const std::function<void(FrontierJob&&)>& emit,
                std::uint64_t& replayed_solves);

  const Arrangement& arrangement_;
  EnumerationOptions options_;
  StrictFeasibilitySolver solver_;
  EnumerationStats stats_;
  FarkasPool farkas_;
};

/*! a node of the search whose subtree may be searched by another thread or process (a frontier node, or a job):
 * conditions on hyperplanes 0..depth−1, a witness strictly inside them, and the hyperplanes proven no facet on the
 * way (Farkas entries of the pools above it). */
/*! a Farkas entry an ancestor job found, handed down to a job so that its search reuses the proof (as the one-process
 * search's memo does): the entry's sign conditions, and where it is (`up` levels up, entry `farkas` there). */
struct InheritedFarkas {
  FarkasCertificate conditions = {};  // the conditions only (no multipliers)
  std::size_t up = 1;
  std::size_t farkas = 0;
};

struct FrontierJob {
  std::size_t depth = 0;
  std::string signs;
  Point witness;
  std::vector<BlockedHyperplane> blocked;
  /*! for a job: its ancestors' entries that agree with `signs` (empty outside jobs). */
  std::vector<InheritedFarkas> memo = {};
};

/*! what the search below one node found, in depth-first order: its regions (depth m) with their blocked hyperplanes —
 * entries for hyperplanes at or beyond the node's depth index `farkas`, the others those the node carried —, its own
 * Farkas entries, counts and LPs; for a budgeted job, also the nodes left unexplored when the budget ran out, in
 * depth-first order (their regions come after `leaves`). */
/*! a shard of a sharded certificate (arrangement/shards.hpp): one job's regions and Farkas entries in a file. */
struct ShardInfo {
  std::string name = {};  // the job's place in the tree ("r", "r-000000", ...): name order is tree order
  std::size_t depth = 0;
  std::uint64_t regions = 0, farkas = 0, bytes = 0;
  std::uint64_t children = 0;  // the jobs it left: shards NAME-000000 ..
  std::uint64_t lp_solves = 0;  // of its search
  std::string sha256 = {};     // of the file's bytes (gzip)
};

struct SubtreeResult {
  std::vector<FrontierJob> leaves;
  std::vector<FrontierJob> children;
  std::vector<FarkasCertificate> farkas;
  EnumerationStats stats;
  std::uint64_t solves = 0;
  std::uint64_t nodes = 0;  // search nodes visited
  LpCounters counters;
  /*! when the job wrote its leaves and entries to a shard (JobOptions::shard_dir): the shard, and `leaves` and
   * `farkas` are empty (stats.regions counts the regions). */
  std::optional<ShardInfo> shard;
};

/// At most this many inherited entries go down to a job (those of its parent first, then older ones).
inline constexpr std::size_t max_inherited_farkas = 256;

/*! how the jobs of a distributed enumeration are searched. */
struct JobOptions {
  /*! search nodes a job visits before it returns what is left of its subtree as new jobs (as mplrs's budget). */
  std::uint64_t budget = 2000;
  /*! the budget of a job `level` jobs below the root: budget/64, budget/16 and budget/4 (at least 1) on levels 0, 1
   * and 2, then `budget`. The first jobs split early, so that many ranks have work soon (mplrs starts with a small
   * budget for the same reason); a fixed rule, so the tree of jobs is the same for any number of ranks. */
  std::uint64_t budget_at(std::size_t level) const {
    return level >= 3 ? budget : std::max<std::uint64_t>(1, budget >> (2 * (3 - level)));
  }
  bool keep_farkas = false;
  bool exact_lp = false;
  /*! the regions are only counted (RegionEnumerator::run without a sink): a job returns their number, not the regions
   * (SubtreeResult::leaves stays empty), so that the rank that keeps the tree does not read them. */
  bool count_only = false;
  /*! when set, each job writes its regions and Farkas entries there as a shard (run_job) instead of returning them. */
  std::string shard_dir = {};
};

/*! searches the subtree below `job` for up to options.budget nodes with a solver of its own (Farkas entries reused
 * within the job only), for whichever thread or process received the job. The result depends on the job and the
 * options only. */
SubtreeResult search_job(const Arrangement& arrangement, const FrontierJob& job, const JobOptions& options,
                         const RunControl& control);

/*! a job's place in the tree of jobs: job 0 is the root; a job's children are its result's `children`. */
struct JobInfo {
  std::string name = {};  // its place in the tree: job_name (arrangement/job_tree.hpp) of its path
  std::size_t id = 0;
  std::size_t depth = 0;  // of its node: its regions' blocked entries from here on index its Farkas entries
  std::size_t parent = SIZE_MAX;
  std::size_t level = 0;  // jobs between it and the root
};
using JobReplay = std::function<void(const JobInfo&, SubtreeResult&&)>;

/*! a job to start from: its path of child indices from the root of the tree (empty for the root) and its node (a
 * FrontierJob, or chamber-mpi's encoded form of one). */
template <class Node>
struct BasicJobRoot {
  std::vector<std::uint32_t> path;
  Node node;
};
using JobRoot = BasicJobRoot<FrontierJob>;

/*! what a checkpoint of a sharded run keeps: every shard finished (written), and every job not finished. */
struct JobCheckpoint {
  double every_seconds = 0;  // 0: never
  std::function<void(std::vector<ShardInfo>&& finished, std::vector<JobRoot>&& pending)> save;
};

/*! searches a tree of budgeted jobs elsewhere (chamber-mpi's ranks, or threads). */
class JobExecutor {
 public:
  virtual ~JobExecutor() = default;
  /*! searches the `roots` (in path order) and every job their results spawn (run_job with `options`), and calls
   * `replay` once per job on the calling thread in tree order: a job, then the subtrees of its children in their order
   * (which is the depth-first order of the one-process search); every checkpoint.every_seconds, hands a snapshot of the
   * tree to checkpoint.save on the calling thread. \throws what a job or `replay` threw (as InternalError when
   * remote), after every job in flight has come back. */
  virtual void run(const Arrangement& arrangement, const JobOptions& options, std::vector<JobRoot> roots,
                   const JobReplay& replay, const JobCheckpoint& checkpoint = {}) = 0;
  /*! the options of the runs of this executor. */
  virtual JobOptions options() const = 0;
};

/*! installs the executor that every RegionEnumerator of this process hands its searches to (nullptr: none; then it
 * searches itself, on its threads). An enumeration through an executor gives the same regions in the same order as
 * without, and the same Farkas pool and LP count for any executor with the same options (any number of ranks or
 * threads); its LPs differ from the threaded search's, whose memo is cut at other places. */
void set_job_executor(JobExecutor* executor);
/*! returns the executor installed by set_job_executor, or nullptr. */
JobExecutor* installed_job_executor();

/*! returns two witnesses on either side of `hyperplane`, both still strictly inside `conditions`.
 * \pre `p` lies on `hyperplane` and strictly inside every condition. */
std::pair<Point, Point> push_off(const Arrangement& arrangement, const Point& p, std::size_t hyperplane,
                                 const std::vector<SignCondition>& conditions);

}  // namespace chamber

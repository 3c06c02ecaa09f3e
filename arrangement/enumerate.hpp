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

class RegionEnumerator {
 public:
  RegionEnumerator(const Arrangement& arrangement, EnumerationOptions options);

  /*! enumerates every region once, in a deterministic order. \throws LimitReached on a user limit. */
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
  const Arrangement& arrangement_;
  EnumerationOptions options_;
  StrictFeasibilitySolver solver_;
  EnumerationStats stats_;
  FarkasPool farkas_;
};

/*! a node of the search at the frontier depth, whose subtree may be searched by another process: conditions on
 * hyperplanes 0..depth−1, a witness strictly inside them, and the hyperplanes proven no facet on the way (Farkas
 * entries of the frontier's pool). */
struct FrontierJob {
  std::size_t depth = 0;
  std::string signs;
  Point witness;
  std::vector<BlockedHyperplane> blocked;
};

/*! what the search below one frontier node found, in depth-first order: its regions (depth m) with their blocked
 * hyperplanes — entries for hyperplanes at or below the frontier depth index `farkas`, the others the frontier's
 * pool — its own Farkas entries, counts and LPs. */
struct SubtreeResult {
  std::vector<FrontierJob> leaves;
  std::vector<FarkasCertificate> farkas;
  EnumerationStats stats;
  std::uint64_t solves = 0;
  LpCounters counters;
};

/*! searches the subtree below `job` exactly as a thread of RegionEnumerator::run_in_cell does (its own solver; Farkas
 * entries reused within the subtree only), for a process that received the job. */
SubtreeResult search_subtree(const Arrangement& arrangement, const FrontierJob& job, std::size_t frontier_depth,
                             bool keep_farkas, bool exact_lp, const RunControl& control);

/*! searches frontier jobs elsewhere (chamber-mpi's ranks) instead of on this process's threads. */
class SubtreeExecutor {
 public:
  virtual ~SubtreeExecutor() = default;
  /*! searches every job (search_subtree with these arguments) and calls `done(index, result)` once per job, in any
   * order, on the calling thread, before returning. \throws what a job threw (as InternalError when remote). */
  virtual void run(const Arrangement& arrangement, std::size_t frontier_depth, bool keep_farkas, bool exact_lp,
                   const std::vector<FrontierJob>& jobs,
                   const std::function<void(std::size_t, SubtreeResult&&)>& done) = 0;
};

/*! installs the executor that every RegionEnumerator of this process hands its frontier subtrees to (nullptr: its own
 * threads). The results are the same either way: regions, their order, the Farkas pool and the LP count. */
void set_subtree_executor(SubtreeExecutor* executor);

/*! returns two witnesses on either side of `hyperplane`, both still strictly inside `conditions`.
 * \pre `p` lies on `hyperplane` and strictly inside every condition. */
std::pair<Point, Point> push_off(const Arrangement& arrangement, const Point& p, std::size_t hyperplane,
                                 const std::vector<SignCondition>& conditions);

}  // namespace chamber

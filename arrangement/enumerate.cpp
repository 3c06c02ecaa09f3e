#include "arrangement/enumerate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/farkas_trie.hpp"

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace chamber {

namespace {

/*! a node of the search: sign conditions on hyperplanes 0..depth−1 and a witness strictly inside them. */
using Node = FrontierJob;

/*! the executor installed by set_job_executor (chamber-mpi), or none. */
std::atomic<JobExecutor*> job_executor{nullptr};

std::vector<SignCondition> conditions_of(const std::string& signs) {
  std::vector<SignCondition> conditions;
  conditions.reserve(signs.size() + 1);
  for (std::size_t j = 0; j < signs.size(); ++j) conditions.push_back({j, signs[j] == '+' ? 1 : -1});
  return conditions;
}

}  // namespace

std::pair<Point, Point> push_off(const Arrangement& arrangement, const Point& p, std::size_t hyperplane,
                                 const std::vector<SignCondition>& conditions) {
  // Move x = y/z0 along a_k: the value of row j changes by t·(a_j·a_k). Choose t with
  // t·|a_j·a_k| < (row_j·z) / z0 for every condition j, namely half the smallest ratio.
  const IntegerVector& ak = arrangement[hyperplane].coefficients;
  // The smallest ratio value / scale so far, compared by cross-multiplication (both scales positive).
  bool found = false;
  Integer best_value, best_scale, change, value, left, right;
  for (const SignCondition& c : conditions) {
    const IntegerVector& aj = arrangement[c.hyperplane].coefficients;
    change = 0;
    for (std::size_t i = 1; i < ak.size(); ++i) mpz_addmul(change.get_mpz_t(), aj[i].get_mpz_t(), ak[i].get_mpz_t());
    if (change == 0) continue;
    value = dot(aj, p.coordinates);
    if (c.sign < 0) value = -value;
    mpz_abs(change.get_mpz_t(), change.get_mpz_t());
    change *= p.coordinates[0];  // the scale
    if (found) {
      left = value * best_scale;
      right = best_value * change;
      if (left >= right) continue;
    }
    found = true;
    best_value = value;
    best_scale = change;
  }
  Rational t = found ? Rational(best_value, 2 * best_scale) : Rational(1);
  t.canonicalize();
  // Homogeneous: z ± t·(0, a_k) = (q z ± p (0, a_k)) / q with t = p/q, q > 0.
  const Integer& num = t.get_num();
  const Integer& den = t.get_den();
  Point plus, minus;
  plus.coordinates.resize(p.coordinates.size());
  minus.coordinates.resize(p.coordinates.size());
  for (std::size_t i = 0; i < p.coordinates.size(); ++i) {
    Integer base = den * p.coordinates[i];
    Integer shift = i == 0 ? Integer(0) : Integer(num * ak[i] * p.coordinates[0]);
    plus.coordinates[i] = base + shift;
    minus.coordinates[i] = base - shift;
  }
  plus.normalize();
  minus.normalize();
  return {std::move(plus), std::move(minus)};
}

RegionEnumerator::RegionEnumerator(const Arrangement& arrangement, EnumerationOptions options)
    : arrangement_(arrangement), options_(std::move(options)), solver_(arrangement, options_.exact_lp) {}

void RegionEnumerator::run(const RegionSink& sink) {
  Point origin;
  origin.coordinates.assign(arrangement_.dimension() + 1, 0);
  origin.coordinates[0] = 1;
  run_in_cell(std::string(), origin, sink);
}

namespace {

/*! returns a point strictly inside `conditions` on side `sign` of hyperplane k, found without an LP: the orthogonal
 * projection y of `p` onto hyperplane k, when y is strictly inside every condition, pushed off to that side. */
std::optional<Point> project_across(const Arrangement& arrangement, const Point& p, std::size_t k,
                                    const std::vector<SignCondition>& conditions, int sign) {
  const IntegerVector& row = arrangement[k].coefficients;
  const IntegerVector& z = p.coordinates;
  // x = z'/z0, value v/z0 with v = row·z; y = x − (v/z0)/q · a with q = a·a, homogeneous (q z0, q z' − v a).
  const Integer v = dot(row, z);
  Integer q = 0;
  for (std::size_t i = 1; i < row.size(); ++i) mpz_addmul(q.get_mpz_t(), row[i].get_mpz_t(), row[i].get_mpz_t());
  Point y;
  y.coordinates.resize(z.size());
  y.coordinates[0] = q * z[0];
  for (std::size_t i = 1; i < z.size(); ++i) y.coordinates[i] = q * z[i] - v * row[i];
  for (const SignCondition& c : conditions)
    if (arrangement[c.hyperplane].side(y) != c.sign) return std::nullopt;
  y.normalize();
  auto [plus, minus] = push_off(arrangement, y, k, conditions);
  return sign > 0 ? std::move(plus) : std::move(minus);
}

/*! where a node's search stops: leaves at depth m go to `leaf`, nodes at `frontier_depth` to `frontier`. */
struct SearchTarget {
  std::size_t frontier_depth;
  /*! Farkas entries are reused only among nodes above this depth, and within each subtree below it (so that the
   * search does the same LPs whether the subtrees run in one thread or many). */
  std::size_t reuse_depth;
  std::function<void(Node&&)> leaf;
  std::function<void(Node&&)> frontier;
  /*! called with the index of every Farkas entry new to the pool, in discovery order. */
  std::function<void(std::size_t)> new_farkas;
  /*! the search stops after visiting this many nodes, leaving the rest on the stack. */
  std::uint64_t budget = UINT64_MAX;
  /*! a job's inherited entries: put in the memo when the node at reuse_depth (the job's root) is searched. */
  const std::vector<InheritedFarkas>* memo = nullptr;
  /*! whether the nodes record their blocked pairs (a pool may be kept without them: a job's, for its children). */
  bool record_blocked = true;
};

/// Memo values at or above this stand for inherited entries (memo_base + their position in the job's memo).
constexpr std::size_t memo_base = SIZE_MAX / 2;

/*! the blocked pair of hyperplane k proven by memo value `known` (a pool entry, or an inherited one). */
BlockedHyperplane blocked_by(std::size_t k, std::size_t known, const std::vector<InheritedFarkas>* memo) {
  if (known < memo_base) return {k, known, 0};
  const InheritedFarkas& inherited = memo->at(known - memo_base);
  return {k, inherited.farkas, inherited.up};
}

/*! the depth-first search from the nodes on `stack`, one LP per node for the side its witness does not hold; returns
 * the number of nodes visited (up to target.budget: the nodes not visited then are left on `stack`). */
std::uint64_t search(const Arrangement& arrangement, std::vector<Node>& stack, StrictFeasibilitySolver& solver,
                     FarkasPool* farkas, EnumerationStats& stats, const RunControl& control, const SearchTarget& target,
                     const std::atomic<bool>* stop) {
  const std::size_t m = arrangement.size();
  FarkasPool scratch;  // holds the proofs for reuse when the caller keeps none
  FarkasPool& pool = farkas ? *farkas : scratch;
  FarkasTrie above, below;
  std::uint64_t visited = 0;
  while (!stack.empty() && visited < target.budget) {
    ++visited;
    Node node = std::move(stack.back());
    stack.pop_back();
    if (node.depth == target.reuse_depth) {
      below.clear();
      if (target.memo)
        for (std::size_t e = 0; e < target.memo->size(); ++e)
          below.insert((*target.memo)[e].conditions, memo_base + e);
    }
    if (node.depth == m) {
      target.leaf(std::move(node));
      continue;
    }
    if (node.depth == target.frontier_depth) {
      target.frontier(std::move(node));
      continue;
    }
    control.check_time("region enumeration");
    if (stop && stop->load(std::memory_order_relaxed)) return visited;
    const std::size_t k = node.depth;
    const int side = arrangement[k].side(node.witness);
    if (side == 0) {
      ++stats.perturbations;
      auto [plus, minus] = push_off(arrangement, node.witness, k, conditions_of(node.signs));
      Node other{k + 1, node.signs + '-', std::move(minus), node.blocked};
      node.signs += '+';
      node.witness = std::move(plus);
      ++node.depth;
      stack.push_back(std::move(other));
      stack.push_back(std::move(node));
      continue;
    }
    const char held = side > 0 ? '+' : '-';
    const char flipped = side > 0 ? '-' : '+';
    std::vector<SignCondition> conditions = conditions_of(node.signs);
    // Witness reuse: when the projection of the witness onto hyperplane k is still inside the cell, k cuts the cell
    // and a point just across it needs no LP.
    if (std::optional<Point> across = project_across(arrangement, node.witness, k, conditions, -side)) {
      ++stats.lp_skipped;
      stack.push_back(Node{k + 1, node.signs + flipped, std::move(*across), node.blocked});
      node.signs += held;
      ++node.depth;
      stack.push_back(std::move(node));
      continue;
    }
    // Redundancy memo: a known proof that agrees with these signs and the far side of k shows it empty.
    FarkasTrie& trie = k < target.reuse_depth ? above : below;
    const std::string far_side = node.signs + flipped;
    if (std::optional<std::size_t> known = trie.find(far_side)) {
      ++stats.lp_reused;
      if (farkas && target.record_blocked) node.blocked.push_back(blocked_by(k, *known, target.memo));
      node.signs += held;
      ++node.depth;
      stack.push_back(std::move(node));
      continue;
    }
    conditions.push_back({k, -side});
    FeasibilityResult other = solver.solve(conditions);
    if (other.feasible) {
      stack.push_back(Node{k + 1, far_side, std::move(other.witness), node.blocked});
    } else {
      ++stats.lp_infeasible;
      const std::size_t before = pool.size();
      const std::size_t entry = pool.add(std::move(other.farkas));
      if (farkas && pool.size() > before && target.new_farkas) target.new_farkas(entry);
      trie.insert(pool.entries()[entry], entry);
      if (farkas && target.record_blocked) node.blocked.push_back({k, entry});
    }
    node.signs += held;
    ++node.depth;
    stack.push_back(std::move(node));
  }
  return visited;
}

/*! what a worker found below one frontier node, in depth-first order. */
struct Subtree {
  SubtreeResult found;
  std::exception_ptr error;
  bool done = false;
};

/*! searches the subtree below `node` with `solver` into `result` (regions, the subtree's own Farkas entries, its LPs);
 * `before_leaf` may stop the search by throwing (the partial result is then dropped). */
void search_below(const Arrangement& arrangement, Node node, StrictFeasibilitySolver& solver, bool keep_farkas,
                  std::size_t frontier_depth, const RunControl& control, const std::atomic<bool>* stop,
                  const std::function<void()>& before_leaf, SubtreeResult& result) {
  const std::uint64_t solves_before = solver.solves();
  FarkasPool pool;
  RunControl worker_control = control;
  worker_control.progress = nullptr;
  std::vector<Node> local{std::move(node)};
  search(arrangement, local, solver, keep_farkas ? &pool : nullptr, result.stats, worker_control,
         SearchTarget{SIZE_MAX, frontier_depth,
                      [&](Node&& leaf) {
                        if (before_leaf) before_leaf();
                        result.leaves.push_back(std::move(leaf));
                      },
                      nullptr, nullptr},
         stop);
  result.farkas = pool.entries();
  result.solves = solver.solves() - solves_before;
}

}  // namespace

void set_job_executor(JobExecutor* executor) { job_executor = executor; }

JobExecutor* installed_job_executor() { return job_executor.load(); }

SubtreeResult search_job(const Arrangement& arrangement, const FrontierJob& job, const JobOptions& options,
                         const RunControl& control) {
  StrictFeasibilitySolver solver(arrangement, options.exact_lp);
  SubtreeResult result;
  FarkasPool pool;
  RunControl job_control = control;
  job_control.progress = nullptr;
  std::vector<Node> stack{job};
  stack.back().memo.clear();  // (the search reads job.memo; nodes carry none)
  // The pool is kept even without a certificate: the children inherit from it.
  result.nodes = search(arrangement, stack, solver, &pool, result.stats, job_control,
                        SearchTarget{SIZE_MAX, job.depth,
                                     [&](Node&& leaf) {
                                       ++result.stats.regions;
                                       if (!options.count_only) result.leaves.push_back(std::move(leaf));
                                     },
                                     nullptr, nullptr, options.budget, &job.memo, options.keep_farkas},
                        nullptr);
  // The stack's top is the next node in depth-first order. Each child inherits the entries of this job and of its
  // memo that agree with the child's signs (the others can never prove anything below it), one level further up;
  // its pairs inherited with an `up` are one level further up too.
  result.children.assign(std::make_move_iterator(stack.rbegin()), std::make_move_iterator(stack.rend()));
  auto agrees = [](const FarkasCertificate& entry, const Node& child) {
    bool beyond = false;  // an entry on the child's prefix alone can prove nothing below it
    for (const SignCondition& c : entry.conditions) {
      if (c.hyperplane >= child.depth) beyond = true;
      else if ((child.signs[c.hyperplane] == '+' ? 1 : -1) != c.sign) return false;
    }
    return beyond;
  };
  for (Node& child : result.children) {
    for (BlockedHyperplane& b : child.blocked)
      if (b.up > 0) ++b.up;
    // The oldest entries first: found nearer the job's root, they have fewer conditions and cut more (newest first
    // solved 44% more LPs on threshold5).
    for (std::size_t e = 0; e < pool.size() && child.memo.size() < max_inherited_farkas; ++e)
      if (agrees(pool.entries()[e], child))
        child.memo.push_back(InheritedFarkas{FarkasCertificate{pool.entries()[e].conditions, {}}, 1, e});
    for (const InheritedFarkas& inherited : job.memo) {
      if (child.memo.size() >= max_inherited_farkas) break;
      if (agrees(inherited.conditions, child))
        child.memo.push_back(InheritedFarkas{inherited.conditions, inherited.up + 1, inherited.farkas});
    }
  }
  if (options.keep_farkas) result.farkas = pool.entries();
  result.solves = solver.solves();
  result.counters = solver.counters();
  return result;
}

void RegionEnumerator::run_in_cell(const std::string& cell_signs, const Point& witness, const RegionSink& sink) {
  const std::size_t m = arrangement_.size();
  const RunControl& control = options_.control;
  Region region;
  std::uint64_t replayed_solves = 0;  // LPs of worker subtrees already replayed (for progress)
  auto emit = [&](Node&& node) {
    ++stats_.regions;
    if (control.max_regions && stats_.regions > *control.max_regions)
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
    if (sink) {
      region.signs = std::move(node.signs);
      region.witness = std::move(node.witness);
      sink(region, node.blocked);
    }
    control.report([&] {
      return "enumerate: " + std::to_string(stats_.regions) + " regions, " + std::to_string(solver_.solves() + replayed_solves) +
             " LPs";
    });
  };
  std::vector<Node> stack;
  stack.push_back(Node{cell_signs.size(), cell_signs, witness, {}});
  FarkasPool* pool = options_.keep_farkas ? &farkas_ : nullptr;
  // The tree is cut at a fixed depth, the same for any number of threads (up to 2^split_levels frontier nodes).
  constexpr std::size_t split_levels = 8;
  const unsigned threads = std::max(1u, options_.threads);
  const bool splits = m >= cell_signs.size() + split_levels + 2;
  const std::size_t frontier_depth = splits ? cell_signs.size() + split_levels : SIZE_MAX;
  if (JobExecutor* const executor = job_executor.load(); executor && splits) {
    run_jobs(*executor, stack.back(), sink ? emit : std::function<void(Node&&)>(), replayed_solves);
    return;
  }
  if (threads == 1 || !splits) {
    search(arrangement_, stack, solver_, pool, stats_, control,
           SearchTarget{SIZE_MAX, frontier_depth, emit, nullptr, nullptr}, nullptr);
    stats_.lp_solves = solver_.solves();
    return;
  }

  // Phase 1 (this thread): the tree down to the frontier depth, recording in depth-first order the Farkas entries it
  // finds and the frontier nodes. Phase 2 (workers): each frontier node's subtree with its own solver and pool.
  // Phase 3 (this thread): replay in that order, so the pool, the blocked lists and the region order are exactly
  // those of the one-thread search, for any number of threads.
  struct Event {
    bool frontier;
    std::size_t index;  // frontier node or phase-1 Farkas entry
  };
  std::vector<Event> events;
  std::vector<Node> frontier;
  FarkasPool phase1;
  search(arrangement_, stack, solver_, pool ? &phase1 : nullptr, stats_, control,
         SearchTarget{frontier_depth, frontier_depth, emit,
                      [&](Node&& node) {
                        events.push_back({true, frontier.size()});
                        frontier.push_back(std::move(node));
                      },
                      [&](std::size_t entry) { events.push_back({false, entry}); }},
         nullptr);

  std::vector<Subtree> results(frontier.size());
  std::mutex mutex;
  std::condition_variable finished;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  // Regions found so far by phase 1 and all workers: past control.max_regions the answer is over the limit whatever
  // the order, so a worker stops there instead of finishing a huge subtree before the replay notices.
  std::atomic<std::uint64_t> found{stats_.regions};
  std::uint64_t worker_solves = 0;
  LpCounters worker_counters;
  auto work = [&] {
    StrictFeasibilitySolver solver(arrangement_, options_.exact_lp);
    for (std::size_t f; (f = next.fetch_add(1)) < frontier.size();) {
      Subtree result;
      try {
        search_below(arrangement_, std::move(frontier[f]), solver, pool != nullptr, frontier_depth, control, &stop,
                     [&] {
                       if (control.max_regions && found.fetch_add(1) + 1 > *control.max_regions)
                         throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
                     },
                     result.found);
      } catch (...) {
        result.error = std::current_exception();
        stop = true;
      }
      result.done = true;
      std::lock_guard<std::mutex> lock(mutex);
      results[f] = std::move(result);
      finished.notify_all();
      if (stop) break;
    }
    std::lock_guard<std::mutex> lock(mutex);
    worker_solves += solver.solves();
    worker_counters += solver.counters();
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(work);
  auto join = [&] {
    stop = true;
    for (std::thread& worker : workers)
      if (worker.joinable()) worker.join();
  };

  std::vector<std::size_t> phase1_index(phase1.size());
  try {
    for (const Event& event : events) {
      if (!event.frontier) {
        phase1_index[event.index] = farkas_.add(phase1.entries()[event.index]);
        continue;
      }
      Subtree result;
      {
        std::unique_lock<std::mutex> lock(mutex);
        finished.wait(lock, [&] { return results[event.index].done; });
        result = std::move(results[event.index]);
      }
      if (result.error) std::rethrow_exception(result.error);
      SubtreeResult& found_below = result.found;
      std::vector<std::size_t> local_index(found_below.farkas.size());
      for (std::size_t e = 0; e < found_below.farkas.size(); ++e) local_index[e] = farkas_.add(found_below.farkas[e]);
      stats_.perturbations += found_below.stats.perturbations;
      stats_.lp_skipped += found_below.stats.lp_skipped;
      stats_.lp_reused += found_below.stats.lp_reused;
      stats_.lp_infeasible += found_below.stats.lp_infeasible;
      replayed_solves += found_below.solves;
      for (Node& leaf : found_below.leaves) {
        for (BlockedHyperplane& b : leaf.blocked)  // proofs above the frontier depth come from phase 1
          b.farkas = b.hyperplane >= frontier_depth ? local_index[b.farkas] : phase1_index[b.farkas];
        emit(std::move(leaf));
      }
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  solver_.absorb(worker_solves, worker_counters);
  stats_.lp_solves = solver_.solves();
}

void RegionEnumerator::run_jobs(JobExecutor& executor, const FrontierJob& root,
                                const std::function<void(FrontierJob&&)>& emit, std::uint64_t& replayed_solves) {
  JobOptions options = executor.options();
  options.count_only = !emit;
  options.keep_farkas = options_.keep_farkas;
  options.exact_lp = options_.exact_lp;
  // A region's blocked entries index the Farkas entries of the job that proved them: the region's own job for
  // hyperplanes at or beyond its depth, else the nearest ancestor job whose depth is at most the hyperplane (depths
  // grow down the tree of jobs). The replay comes in tree order, so the ancestors are the last jobs on `path`.
  struct Replayed {
    std::size_t depth;
    std::vector<std::size_t> index;  // the job's Farkas entry -> the pool's
  };
  std::vector<Replayed> path;
  std::uint64_t solves = 0;
  LpCounters counters;
  executor.run(arrangement_, options, {JobRoot{{}, root}}, [&](const JobInfo& info, SubtreeResult&& found) {
    if (info.level > path.size()) throw InternalError("a job replayed before its parent");
    path.resize(info.level);
    Replayed& own = path.emplace_back(Replayed{info.depth, {}});
    own.index.reserve(found.farkas.size());
    for (const FarkasCertificate& entry : found.farkas) own.index.push_back(farkas_.add(entry));
    stats_.perturbations += found.stats.perturbations;
    stats_.lp_skipped += found.stats.lp_skipped;
    stats_.lp_reused += found.stats.lp_reused;
    stats_.lp_infeasible += found.stats.lp_infeasible;
    replayed_solves += found.solves;
    solves += found.solves;
    counters += found.counters;
    if (options.count_only) {
      stats_.regions += found.stats.regions;
      const RunControl& control = options_.control;
      if (control.max_regions && stats_.regions > *control.max_regions)
        throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
      control.report([&] {
        return "enumerate: " + std::to_string(stats_.regions) + " regions, " + std::to_string(solves) + " LPs";
      });
      return;
    }
    for (FrontierJob& leaf : found.leaves) {
      for (BlockedHyperplane& b : leaf.blocked) {
        std::size_t a = path.size();
        if (b.up > 0)
          a = b.up < path.size() ? path.size() - b.up : 0;
        else
          while (a > 0 && path[a - 1].depth > b.hyperplane) --a;
        if (a == 0 || b.farkas >= path[a - 1].index.size())
          throw InternalError("a job's region names a Farkas entry no job on its path found");
        b.farkas = path[a - 1].index[b.farkas];
        b.up = 0;
      }
      emit(std::move(leaf));
    }
  });
  solver_.absorb(solves, counters);
  stats_.lp_solves = solver_.solves();
}

}  // namespace chamber

// Exact strict-feasibility LP for sign conditions on an arrangement's hyperplanes.
//
// The system {σ_j (b_j + a_j·x) > 0 : j ∈ J} is decided by CGAL's exact LP solver on its homogenised form
//   minimise s  subject to  σ_j (b_j s + a_j·y) ≥ 1 (j ∈ J),  s ≥ 1,   (s, y) free,
// which is feasible iff the strict system is (x = y / s). A solution gives an interior witness with
// slack ≥ 1/s; an infeasible one gives CGAL's Farkas multipliers. Both are re-checked exactly here
// before they are returned; a failed self-check is an InternalError.
#pragma once

#include "arrangement/arrangement.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace chamber {

/*! the open half-space σ (b_j + a_j·x) > 0 of hyperplane j, σ = ±1. */
struct SignCondition {
  std::size_t hyperplane;
  int sign;
};

/*! proof that a strict system is infeasible: λ_k > 0 with Σ λ_k s_k a_{j_k} = 0 and Σ λ_k s_k b_{j_k} ≤ 0. */
struct FarkasCertificate {
  std::vector<SignCondition> conditions;  // sorted by hyperplane index
  IntegerVector multipliers;              // λ_k > 0, one per condition

  /*! returns whether the certificate proves infeasibility for `arrangement` (exact check). */
  bool verifies(const Arrangement& arrangement) const;
};

/*! Farkas certificates, each kept once: sibling branches of an enumeration often prove the same
 * empty cell, and equal proofs share one index (a certificate of resonance6 has 27 million proofs
 * but under a million distinct ones). */
class FarkasPool {
 public:
  /*! returns the index of `certificate`, adding it if it is new. */
  std::size_t add(FarkasCertificate certificate);
  const std::vector<FarkasCertificate>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<FarkasCertificate> entries_;
  std::unordered_map<std::string, std::size_t> index_;
};

struct FeasibilityResult {
  bool feasible = false;
  Point witness;             // when feasible: strictly inside every condition
  FarkasCertificate farkas;  // when infeasible
};

/*! how the strict-feasibility LPs were decided. */
struct LpCounters {
  std::uint64_t float_witness = 0;  // float proposal, witness verified exactly
  std::uint64_t float_farkas = 0;   // float proposal, Farkas certificate rebuilt and verified exactly
  std::uint64_t exact = 0;          // CGAL's exact solver (exact-only mode, or the proposal did not check)

  LpCounters& operator+=(const LpCounters& other) {
    float_witness += other.float_witness;
    float_farkas += other.float_farkas;
    exact += other.exact;
    return *this;
  }
};

/*! returns whether the environment variable CHAMBER_EXACT_LP is "1": every LP then takes the exact path, as
 * with --exact-lp (the test suite runs a second time with it, to show both paths give the same answers). */
bool exact_lp_forced();

/*! decides strict feasibility of sign conditions exactly; counts its LP solves. By default a
 * floating-point LP proposes first (float_lp.hpp) and only certified proposals are taken; with
 * `exact_only` every LP goes to CGAL's exact solver. Both give verified answers. */
class StrictFeasibilitySolver {
 public:
  explicit StrictFeasibilitySolver(const Arrangement& arrangement, bool exact_only = false);

  /*! returns a witness point or a verified Farkas certificate for `conditions` (nonempty). */
  FeasibilityResult solve(const std::vector<SignCondition>& conditions);
  /*! returns whether some d ≠ 0 has σ_j a_j·d ≥ 0 for all conditions, i.e. whether the (nonempty)
   * region {σ_j (b_j + a_j·x) > 0} is unbounded. \pre the normals of `conditions` span Q^n. */
  bool has_recession_direction(const std::vector<SignCondition>& conditions);

  /*! strict-feasibility LPs solved (by either path). */
  std::uint64_t solves() const { return solves_; }
  const LpCounters& counters() const { return counters_; }
  /*! adds LPs solved by other solvers on the same arrangement (worker threads) to the counts. */
  void absorb(std::uint64_t solves, const LpCounters& counters) {
    solves_ += solves;
    counters_ += counters;
  }

 private:
  /*! the exact path: CGAL's solver on the homogenised program. */
  FeasibilityResult solve_exact(const std::vector<SignCondition>& conditions);

  const Arrangement& arrangement_;
  bool use_float_;
  std::uint64_t solves_ = 0;
  LpCounters counters_;
};

}  // namespace chamber

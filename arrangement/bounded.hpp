// Bounded regions, decided exactly by the recession cone of each region.
//
// With normals that span Q^n, the region {σ_j (b_j + a_j·x) > 0} is bounded iff its recession cone
// {d : σ_j a_j·d ≥ 0 for all j} is {0}, and by Stiemke's alternative iff some w with Σ_j w_j a_j = 0
// has sign(w_j) = σ_j for every j. A floating-point LP proposes either side and exact arithmetic
// decides: a Stiemke vector is completed exactly from the kernel of the normals, a recession
// direction exactly from the kernel of the rows it is tight on, and both are checked in integers.
// What does not check goes to CGAL's exact recession LP.
#pragma once

#include "arrangement/kernel.hpp"
#include "arrangement/lp.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace chamber {

/*! returns the rank of the normals a_1..a_m (exact fraction-free elimination). */
std::size_t normal_rank(const Arrangement& arrangement);

/*! returns whether no region can be bounded: a central arrangement (one common point, anywhere) has only cones as
 * regions, and normals not spanning Q^n leave a line in every region. */
bool no_region_bounded(const Arrangement& arrangement);

/*! how boundedness was decided. */
struct BoundednessCounters {
  std::uint64_t float_bounded = 0;    // float proposal, Stiemke vector verified exactly
  std::uint64_t float_unbounded = 0;  // float proposal, recession direction verified exactly
  std::uint64_t exact = 0;            // CGAL's exact recession LP

  BoundednessCounters& operator+=(const BoundednessCounters& other) {
    float_bounded += other.float_bounded;
    float_unbounded += other.float_unbounded;
    exact += other.exact;
    return *this;
  }
  std::uint64_t total() const { return float_bounded + float_unbounded + exact; }
};

/*! decides whether regions are bounded; one tester per thread. */
class BoundednessTester {
 public:
  /*! with `exact_only`, every region goes to CGAL's exact recession LP. */
  explicit BoundednessTester(const Arrangement& arrangement, bool exact_only = false);

  /*! returns whether the region with sign vector `signs` (nonempty, '+'/'-' for every hyperplane) is bounded. */
  bool is_bounded(const std::string& signs);

  const BoundednessCounters& counters() const { return counters_; }

 private:
  std::optional<bool> certified_float(const std::string& signs);
  /*! whether a float Stiemke vector completes to an exact one with the signs of `signs`. */
  bool certify_bounded(const std::string& signs);
  /*! whether a float recession direction completes to an exact one. */
  bool certify_unbounded(const std::string& signs);

  const Arrangement& arrangement_;
  StrictFeasibilitySolver exact_solver_;
  bool exact_only_;
  bool all_unbounded_;  // normals do not span Q^n, or all hyperplanes share a point: no LP needed
  std::optional<RationalKernel> normal_kernel_;  // {w : Σ_j w_j a_j = 0}
  // The float proposals' rows, computed once: a_j scaled by 2^-exponents_[j] (entries below 1 in size).
  std::vector<long> exponents_;
  std::vector<std::vector<double>> scaled_normals_;
  bool bounded_first_ = true;  // try the side that was right last time first
  BoundednessCounters counters_;
};

/*! returns the number of bounded regions among `signs` (each as for is_bounded), tested on `threads`
 * threads; adds how they were decided to `counters`. */
std::uint64_t count_bounded(const Arrangement& arrangement, const std::vector<std::string>& signs, bool exact_only,
                            unsigned threads, BoundednessCounters& counters);

}  // namespace chamber

// Bounded regions, decided exactly by the recession cone of each region.
#pragma once

#include "arrangement/lp.hpp"

#include <cstddef>
#include <string>

namespace chamber {

/*! returns the rank of the normals a_1..a_m (exact fraction-free elimination). */
std::size_t normal_rank(const Arrangement& arrangement);

/*! decides whether regions are bounded: a region is bounded iff its recession cone
 * {d : σ_j a_j·d ≥ 0 for all j} is {0}. */
class BoundednessTester {
 public:
  BoundednessTester(const Arrangement& arrangement, StrictFeasibilitySolver& solver);

  /*! returns whether the region with sign vector `signs` (nonempty) is bounded. */
  bool is_bounded(const std::string& signs);

 private:
  StrictFeasibilitySolver& solver_;
  bool all_unbounded_;  // normals do not span Q^n, or all hyperplanes share a point: no LP needed
  std::size_t size_;
};

}  // namespace chamber

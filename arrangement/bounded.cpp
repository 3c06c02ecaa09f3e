#include "arrangement/bounded.hpp"

#include "arrangement/lattice.hpp"

#include <vector>

namespace chamber {

std::size_t normal_rank(const Arrangement& arrangement) { return arrangement_shape(arrangement).rank; }

namespace {

/*! a central arrangement (one common point, anywhere) has only cones as regions; normals not spanning
 * Q^n leave a line in every region. Either way no region is bounded. */
bool no_region_bounded(const Arrangement& arrangement) {
  const ArrangementShape shape = arrangement_shape(arrangement);
  return shape.central || shape.rank < arrangement.dimension();
}

}  // namespace

BoundednessTester::BoundednessTester(const Arrangement& arrangement, StrictFeasibilitySolver& solver)
    : solver_(solver), all_unbounded_(no_region_bounded(arrangement)), size_(arrangement.size()) {}

bool BoundednessTester::is_bounded(const std::string& signs) {
  if (all_unbounded_) return false;
  std::vector<SignCondition> conditions;
  conditions.reserve(size_);
  for (std::size_t j = 0; j < signs.size(); ++j) conditions.push_back({j, signs[j] == '+' ? 1 : -1});
  return !solver_.has_recession_direction(conditions);
}

}  // namespace chamber

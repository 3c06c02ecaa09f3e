#include "arrangement/bounded.hpp"

#include <vector>

namespace chamber {

std::size_t normal_rank(const Arrangement& arrangement) {
  const std::size_t n = arrangement.dimension();
  std::vector<IntegerVector> basis;  // echelon rows with pivot columns `pivots`
  std::vector<std::size_t> pivots;
  for (const Hyperplane& h : arrangement.hyperplanes()) {
    IntegerVector row(h.coefficients.begin() + 1, h.coefficients.end());
    for (std::size_t r = 0; r < basis.size(); ++r) {
      const std::size_t p = pivots[r];
      if (row[p] == 0) continue;
      Integer factor = row[p];
      for (std::size_t c = 0; c < n; ++c) row[c] = basis[r][p] * row[c] - factor * basis[r][c];
      make_primitive(row);
    }
    std::size_t p = 0;
    while (p < n && row[p] == 0) ++p;
    if (p == n) continue;
    basis.push_back(std::move(row));
    pivots.push_back(p);
    if (basis.size() == n) break;
  }
  return basis.size();
}

BoundednessTester::BoundednessTester(const Arrangement& arrangement, StrictFeasibilitySolver& solver)
    : solver_(solver),
      all_unbounded_(arrangement.is_central() || normal_rank(arrangement) < arrangement.dimension()),
      size_(arrangement.size()) {}

bool BoundednessTester::is_bounded(const std::string& signs) {
  if (all_unbounded_) return false;
  std::vector<SignCondition> conditions;
  conditions.reserve(size_);
  for (std::size_t j = 0; j < signs.size(); ++j) conditions.push_back({j, signs[j] == '+' ? 1 : -1});
  return !solver_.has_recession_direction(conditions);
}

}  // namespace chamber

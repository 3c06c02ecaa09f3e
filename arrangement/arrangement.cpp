#include "arrangement/arrangement.hpp"

#include <map>

namespace chamber {

namespace {
struct KeyLess {
  bool operator()(const IntegerVector& a, const IntegerVector& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    for (std::size_t i = 0; i < a.size(); ++i) {
      int c = cmp(a[i], b[i]);
      if (c) return c < 0;
    }
    return false;
  }
};
}  // namespace

Arrangement::Arrangement(std::size_t dimension, const std::vector<Hyperplane>& hyperplanes, MergeReport* report)
    : dimension_(dimension) {
  std::map<IntegerVector, std::size_t, KeyLess> seen;
  MergeReport local;
  for (const Hyperplane& h : hyperplanes) {
    IntegerVector key = h.canonical_key();
    bool reversed_key = key != h.coefficients;
    auto [it, inserted] = seen.emplace(std::move(key), hyperplanes_.size());
    if (inserted) {
      hyperplanes_.push_back(h);
      local.merged_index.push_back(it->second);
      local.reversed.push_back(false);
    } else {
      const Hyperplane& kept = hyperplanes_[it->second];
      bool kept_reversed = kept.canonical_key() != kept.coefficients;
      local.merged_index.push_back(it->second);
      local.reversed.push_back(kept_reversed != reversed_key);
      ++local.duplicates;
    }
  }
  if (report) *report = std::move(local);
}

bool Arrangement::is_central() const {
  for (const Hyperplane& h : hyperplanes_)
    if (h.constant() != 0) return false;
  return true;
}

}  // namespace chamber

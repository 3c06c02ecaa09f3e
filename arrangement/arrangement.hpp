// An arrangement: a finite list of distinct hyperplanes in Q^n (duplicates merged on construction).
#pragma once

#include "arrangement/hyperplane.hpp"

#include <cstddef>
#include <vector>

namespace chamber {

/*! where each input hyperplane went when duplicates (equal up to a nonzero factor) were merged. */
struct MergeReport {
  std::vector<std::size_t> merged_index;  // input i -> index in the arrangement
  std::vector<bool> reversed;             // input i has the opposite orientation of its merged hyperplane
  std::size_t duplicates = 0;             // number of inputs dropped as duplicates
};

class Arrangement {
 public:
  Arrangement() = default;
  /*! builds the arrangement of `hyperplanes` in dimension `dimension`, merging duplicates; the first
   * occurrence keeps its orientation and position. \pre every row has dimension + 1 entries and a
   * nonzero normal (the reader checks this and names the line). */
  Arrangement(std::size_t dimension, const std::vector<Hyperplane>& hyperplanes, MergeReport* report = nullptr);

  std::size_t dimension() const { return dimension_; }
  std::size_t size() const { return hyperplanes_.size(); }
  const Hyperplane& operator[](std::size_t i) const { return hyperplanes_[i]; }
  const std::vector<Hyperplane>& hyperplanes() const { return hyperplanes_; }
  /*! returns whether every hyperplane passes through the origin (b = 0). */
  bool is_central() const;

 private:
  std::size_t dimension_ = 0;
  std::vector<Hyperplane> hyperplanes_;
};

}  // namespace chamber

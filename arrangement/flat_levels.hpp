// What the intersection lattice (lattice.cpp) and its walk up to symmetry (orbit_lattice.cpp) share: flats of one
// rank keyed by the bitset of their hyperplanes, and the covers of a flat found by grouping the other hyperplanes'
// residuals.
//
// A flat Y of rank r has a fraction-free integer echelon basis of r equation rows (each later row zero at the pivots
// of the earlier ones). The residual of a hyperplane i ∉ H(Y) is its row reduced against that basis, made primitive
// with a positive pivot: a canonical representative of H_i restricted to Y. A residual with zero normal part means
// H_i ∩ Y = ∅; hyperplanes with equal residuals cut Y in the same flat Z of rank r + 1, H(Z) = H(Y) ∪ {them}, and Z's
// basis is Y's plus the residual.
#pragma once

#include "arrangement/errors.hpp"
#include "arrangement/row_arithmetic.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace chamber::detail {

using Word = std::uint64_t;
constexpr std::size_t word_bits = 64;

/*! returns the number of words of a bitset over `m` hyperplanes (at least one). */
inline std::size_t words_for(std::size_t m) { return std::max<std::size_t>(1, (m + word_bits - 1) / word_bits); }

/*! returns whether hyperplane i is in the bitset `key`. */
inline bool has_bit(const Word* key, std::size_t i) { return (key[i / word_bits] >> (i % word_bits)) & 1U; }

/*! returns a hash of the bitset `key`. */
inline std::uint64_t hash_key(const Word* key, std::size_t words) {
  std::uint64_t h = 0x1234567;
  for (std::size_t w = 0; w < words; ++w) h = mix(h, key[w]);
  return h;
}

/*! the flats of one rank: their keys in insertion order and an open-addressing table over them. */
class FlatTable {
 public:
  explicit FlatTable(std::size_t words = 1) : words_(words) {}

  std::size_t size() const { return count_; }
  const Word* key(std::size_t z) const { return keys_.data() + z * words_; }

  /*! returns the position of the flat with key `key`, inserting it if new (and whether it was). */
  std::pair<std::size_t, bool> find_or_insert(const Word* key) {
    const std::uint64_t h = hash_key(key, words_);
    if (2 * (count_ + 1) > table_.size()) grow();
    const std::size_t mask = table_.size() - 1;
    for (std::size_t slot = h & mask;; slot = (slot + 1) & mask) {
      const std::uint32_t entry = table_[slot];
      if (entry == 0) {
        if (count_ >= std::numeric_limits<std::uint32_t>::max() - 1)
          throw LimitReached("intersection lattice: more than 4 billion flats of one rank");
        table_[slot] = static_cast<std::uint32_t>(count_ + 1);
        keys_.insert(keys_.end(), key, key + words_);
        hashes_.push_back(h);
        ++count_;
        return {count_ - 1, true};
      }
      const std::size_t z = entry - 1;
      if (hashes_[z] == h && std::equal(key, key + words_, keys_.begin() + static_cast<std::ptrdiff_t>(z * words_)))
        return {z, false};
    }
  }

  /*! frees the keys and the table (the count stays). */
  void release() {
    keys_ = {};
    hashes_ = {};
    table_ = {};
  }

 private:
  /*! doubles the table (at least 64 slots) and reinserts every flat. */
  void grow() {
    const std::size_t size = std::max<std::size_t>(64, table_.size() * 2);
    table_.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::size_t z = 0; z < count_; ++z) {
      std::size_t slot = hashes_[z] & mask;
      while (table_[slot] != 0) slot = (slot + 1) & mask;
      table_[slot] = static_cast<std::uint32_t>(z + 1);
    }
  }

  std::size_t words_;
  std::size_t count_ = 0;
  std::vector<Word> keys_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint32_t> table_;  // index + 1, 0 = empty
};

/*! groups the hyperplanes outside a flat by their residuals: each group is one cover of the flat. */
template <class Num>
class ResidualGroups {
 public:
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

  /*! `rows` holds the m hyperplanes, `width` numbers each. */
  ResidualGroups(const std::vector<Num>& rows, std::size_t m, std::size_t width)
      : rows_(rows), m_(m), width_(width), residuals_(m * width), wide_(width), hash_(m), pivot_(m), lowest_(m),
        head_(m), next_(m) {
    std::size_t slots = 2;
    while (slots < 2 * m) slots *= 2;
    slot_stamp_.assign(slots, 0);
    slot_.assign(slots, 0);
  }

  /*! groups the hyperplanes not in `y_key` (the flat Y of rank r, echelon rows basis[0..r) with pivots
   * pivots[0..r)) by their normalised residual; returns the number of groups. */
  std::size_t group(const Word* y_key, const Num* const* basis, const std::size_t* pivots, std::size_t r) {
    ++stamp_;
    if (stamp_ == 0) {  // wrapped: clear the stamps once
      std::fill(slot_stamp_.begin(), slot_stamp_.end(), 0);
      stamp_ = 1;
    }
    const std::size_t mask = slot_.size() - 1;
    std::size_t groups = 0;
    for (std::size_t i = 0; i < m_; ++i) {
      if (has_bit(y_key, i)) continue;
      Num* residual = residuals_.data() + groups * width_;  // the next free slot
      const Num* source = rows_.data() + i * width_;
      for (std::size_t c = 0; c < width_; ++c) residual[c] = source[c];
      for (std::size_t j = 0; j < r; ++j) {
        const std::size_t p = pivots[j];
        if (!is_zero(residual[p])) eliminate(residual, basis[j], p, width_, wide_.data());
      }
      const std::size_t pivot = normalize(residual, width_);
      if (pivot == no_pivot) continue;  // H_i is parallel to Y inside it: no intersection
      const std::uint64_t h = hash_row(residual, width_);
      std::size_t slot = h & mask;
      std::size_t found = none;
      for (; slot_stamp_[slot] == stamp_; slot = (slot + 1) & mask) {
        const std::size_t g = slot_[slot];
        if (hash_[g] == h && equal_rows(residuals_.data() + g * width_, residual, width_)) {
          found = g;
          break;
        }
      }
      if (found != none) {
        next_[i] = head_[found];
        head_[found] = i;
        continue;
      }
      const std::size_t g = groups++;
      slot_stamp_[slot] = stamp_;
      slot_[slot] = static_cast<std::uint32_t>(g);
      hash_[g] = h;
      pivot_[g] = pivot;
      lowest_[g] = i;  // indices arrive in increasing order
      head_[g] = i;
      next_[i] = none;
    }
    return groups;
  }

  /*! group g's residual row (width numbers), its pivot column and its smallest hyperplane. */
  const Num* residual(std::size_t g) const { return residuals_.data() + g * width_; }
  std::size_t pivot(std::size_t g) const { return pivot_[g]; }
  std::size_t lowest(std::size_t g) const { return lowest_[g]; }
  /*! sets the bits of group g's hyperplanes in `key`; returns how many there are. */
  std::size_t add_members(std::size_t g, Word* key) const {
    std::size_t count = 0;
    for (std::size_t i = head_[g]; i != none; i = next_[i], ++count) key[i / word_bits] |= Word{1} << (i % word_bits);
    return count;
  }

 private:
  const std::vector<Num>& rows_;
  std::size_t m_, width_;
  std::vector<Num> residuals_;  // m × width: one slot per group
  std::vector<Wide> wide_;      // width: scratch of the machine elimination
  std::vector<std::uint64_t> hash_;
  std::vector<std::size_t> pivot_, lowest_, head_, next_;
  std::vector<std::uint32_t> slot_stamp_, slot_;
  std::uint32_t stamp_ = 0;
};

}  // namespace chamber::detail

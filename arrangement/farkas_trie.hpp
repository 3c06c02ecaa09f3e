// Farkas entries indexed for reuse: does a known proof of emptiness cover this sign vector?
#pragma once

#include "arrangement/lp.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! Farkas entries as a trie over their conditions (hyperplanes ascending), answering: is there an entry that agrees
 * with a given sign vector on all its conditions? Such an entry proves that sign vector empty. */
class FarkasTrie {
 public:
  void clear() { nodes_.assign(1, Node{}); }

  void insert(const FarkasCertificate& certificate, std::size_t entry) {
    std::size_t node = 0;
    for (const SignCondition& c : certificate.conditions) {
      const std::size_t label = 2 * c.hyperplane + (c.sign > 0 ? 1 : 0);
      std::size_t next = SIZE_MAX;
      for (const auto& [edge, child] : nodes_[node].children)
        if (edge == label) next = child;
      if (next == SIZE_MAX) {
        next = nodes_.size();
        nodes_[node].children.emplace_back(label, next);
        nodes_.emplace_back();
      }
      node = next;
    }
    if (nodes_[node].entry == SIZE_MAX) nodes_[node].entry = entry;
  }

  /*! returns an entry agreeing with `signs` ('+'/'-' per hyperplane; an entry on a hyperplane beyond its length
   * does not agree), if any. */
  std::optional<std::size_t> find(const std::string& signs) const { return find(0, signs); }

 private:
  struct Node {
    std::size_t entry = SIZE_MAX;
    std::vector<std::pair<std::size_t, std::size_t>> children;  // (2·hyperplane + [sign > 0], node)
  };
  std::optional<std::size_t> find(std::size_t node, const std::string& signs) const {
    if (nodes_[node].entry != SIZE_MAX) return nodes_[node].entry;
    for (const auto& [label, child] : nodes_[node].children)
      if (label / 2 < signs.size() && (signs[label / 2] == '+') == (label % 2 == 1))
        if (std::optional<std::size_t> found = find(child, signs)) return found;
    return std::nullopt;
  }
  std::vector<Node> nodes_ = std::vector<Node>(1);
};

}  // namespace chamber

// The degeneracy report: is an arrangement in general position, and if not, why.
#pragma once

#include "arrangement/arr_io.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/symmetry.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

struct DegeneracyReport {
  std::size_t dimension = 0;
  std::size_t input_hyperplanes = 0;
  std::size_t hyperplanes = 0;  // after merging duplicates
  bool central = false;         // all hyperplanes through one common point
  std::size_t rank = 0;         // rank of the normals
  bool general_position = false;

  // Duplicates: groups of input rows (1-based line numbers in the file) merged into one hyperplane.
  std::vector<std::vector<std::size_t>> duplicate_lines;
  // Parallel classes: groups (≥ 2) of distinct hyperplanes (merged indices) with proportional normals.
  std::vector<std::vector<std::size_t>> parallel_classes;
  // Flats of rank r that lie on more than r hyperplanes (k > r hyperplanes through a codim-r flat):
  // the hyperplane indices of each, at most `max_examples` listed, with the total count per rank.
  struct ExcessFlat {
    std::size_t rank;
    std::vector<std::size_t> hyperplanes;
  };
  std::vector<ExcessFlat> excess_flats;
  std::vector<std::size_t> excess_flats_per_rank;
  // Sets of k ≤ n hyperplanes with rank < k whose intersection is empty and that are not simply
  // parallel pairs (e.g. three planes forming a prism): a few minimal examples (every proper subset
  // has independent normals), smallest first, found by a bounded search.
  std::vector<std::vector<std::size_t>> empty_dependent_subsets;
  // The search is bounded (a work budget and max_examples): it examined every candidate set of up to
  // this many hyperplanes, and `complete` says whether that covers all sizes up to min(n, rank + 1).
  std::size_t empty_dependent_searched_size = 0;
  bool empty_dependent_search_complete = false;
  // Lattice f-vector (flats per rank) beside the general-position values C(m, k).
  std::vector<std::size_t> flats_per_rank;
  std::vector<Integer> general_position_flats_per_rank;
  // One line per reason, human readable; empty when in general position.
  std::vector<std::string> reasons;
  // The symmetry group (found, or read from a file), when asked for.
  std::optional<SymmetryGroup> symmetry;
};

/*! builds the report from a file just read (uses its merge record) and the arrangement's lattice. */
DegeneracyReport degeneracy_report(const ArrFile& file, const IntersectionLattice& lattice,
                                   std::size_t max_examples = 10);
nlohmann::json to_json(const DegeneracyReport& report);
/*! the report as indented text for `chamber info`. */
std::string to_text(const DegeneracyReport& report);

}  // namespace chamber

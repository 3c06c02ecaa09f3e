// The degeneracy report: duplicates and parallel classes from the rows, excess flats and the
// f-vector from the lattice, and a bounded search for minimal empty dependent subsets.
#include "arrangement/degeneracy.hpp"

#include "arrangement/echelon.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <sstream>
#include <utility>

namespace chamber {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

/*! returns the binomial coefficient C(m, k). */
Integer binomial(std::size_t m, std::size_t k) {
  Integer value;
  mpz_bin_uiui(value.get_mpz_t(), static_cast<unsigned long>(m), static_cast<unsigned long>(k));
  return value;
}

/*! returns the normal (a1..an) of `h` divided by its gcd, first nonzero entry positive: equal keys ⇔
 * proportional normals. */
IntegerVector normal_key(const Hyperplane& h) {
  IntegerVector key(h.coefficients.begin() + 1, h.coefficients.end());
  make_primitive(key);
  for (const Integer& v : key) {
    if (sgn(v) == 0) continue;
    if (sgn(v) < 0)
      for (Integer& w : key) w = -w;
    break;
  }
  return key;
}

struct KeyLess {
  bool operator()(const IntegerVector& a, const IntegerVector& b) const {
    if (a.size() != b.size()) return a.size() < b.size();
    for (std::size_t i = 0; i < a.size(); ++i)
      if (int c = cmp(a[i], b[i]); c != 0) return c < 0;
    return false;
  }
};

/*! returns an empty echelon basis for rows (b, a1..an) of `arrangement`, pivots in the normal part. */
EchelonBasis normal_basis(const Arrangement& arrangement) {
  const std::size_t width = arrangement.dimension() + 1;
  return EchelonBasis(width, 1, width);
}

/*! returns whether the normals of `subset` are linearly independent. */
bool independent_normals(const Arrangement& arrangement, const std::vector<std::size_t>& subset) {
  EchelonBasis basis = normal_basis(arrangement);
  for (std::size_t i : subset)
    if (basis.insert(arrangement[i].coefficients) == EchelonBasis::no_pivot) return false;
  return true;
}

/*! searches for minimal sets of k ≤ n hyperplanes with no common point (every proper subset has
 * independent normals, so the whole set has rank k − 1), smallest sets first, within a work budget.
 * k = 2 (parallel pairs) is left out: those are reported as parallel classes. */
class EmptySubsetSearch {
 public:
  /*! `budget` bounds the work in entry operations of the eliminations. */
  EmptySubsetSearch(const Arrangement& arrangement, std::size_t max_examples, std::size_t budget)
      : arrangement_(arrangement), max_examples_(max_examples), budget_(budget), basis_(normal_basis(arrangement)) {}

  /*! runs the search for subset sizes 3..max_size; returns the largest size searched exhaustively
   * (2 when even size 3 was cut short). */
  std::size_t run(std::size_t max_size) {
    std::size_t complete = 2;
    for (std::size_t size = 3; size <= max_size; ++size) {
      depth_ = size - 1;
      stopped_ = false;
      chosen_.clear();
      extend(0);
      if (stopped_) break;
      complete = size;
    }
    return complete;
  }

  std::vector<std::vector<std::size_t>> examples;

 private:
  /*! grows the independent set `chosen_` (basis `basis_`) from index `from` on. */
  void extend(std::size_t from) {
    const std::size_t m = arrangement_.size();
    for (std::size_t l = from; l < m && !stopped_; ++l) {
      if (work_ >= budget_) {
        stopped_ = true;
        return;
      }
      work_ += basis_.reduce_cost();  // entry operations
      IntegerVector row = arrangement_[l].coefficients;
      const std::size_t pivot = basis_.reduce(row);
      if (chosen_.size() == depth_) {
        if (pivot == EchelonBasis::no_pivot && sgn(row[0]) != 0) consider(l);
        continue;
      }
      if (pivot == EchelonBasis::no_pivot) continue;  // dependent: no longer a candidate for a proper subset
      chosen_.push_back(l);
      basis_.push(std::move(row), pivot);
      extend(l + 1);
      basis_.pop();
      chosen_.pop_back();
    }
  }

  /*! records chosen_ ∪ {l} (no common point) when every subset leaving one member out is independent. */
  void consider(std::size_t l) {
    std::vector<std::size_t> subset = chosen_;
    subset.push_back(l);
    for (std::size_t skip = 0; skip + 1 < subset.size(); ++skip) {
      std::vector<std::size_t> rest;
      for (std::size_t k = 0; k < subset.size(); ++k)
        if (k != skip) rest.push_back(subset[k]);
      work_ += rest.size() * rest.size() * arrangement_.dimension();
      if (!independent_normals(arrangement_, rest)) return;
    }
    examples.push_back(std::move(subset));
    if (examples.size() >= max_examples_) stopped_ = true;
  }

  const Arrangement& arrangement_;
  std::size_t max_examples_;
  std::size_t budget_;
  std::size_t work_ = 0;
  std::size_t depth_ = 0;
  bool stopped_ = false;
  std::vector<std::size_t> chosen_;
  EchelonBasis basis_;
};

std::string join(const std::vector<std::size_t>& values, const std::string& separator = ", ") {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += separator;
    text += std::to_string(values[i]);
  }
  return text;
}

std::string join(const std::vector<Integer>& values, const std::string& separator) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) text += separator;
    text += values[i].get_str();
  }
  return text;
}

std::string plural(std::size_t count, const std::string& singular, const std::string& plural_form) {
  return std::to_string(count) + " " + (count == 1 ? singular : plural_form);
}

nlohmann::json integer_json(const Integer& value) {
  if (value.fits_slong_p()) return nlohmann::json(static_cast<std::int64_t>(value.get_si()));
  return nlohmann::json(value.get_str());
}

/*! the per-rank counts as "rank 2: 3, rank 3: 1" (nonzero ranks only). */
std::string per_rank_text(const std::vector<std::size_t>& counts) {
  std::string text;
  for (std::size_t r = 0; r < counts.size(); ++r) {
    if (counts[r] == 0) continue;
    if (!text.empty()) text += ", ";
    text += "rank " + std::to_string(r) + ": " + std::to_string(counts[r]);
  }
  return text;
}

/*! describes how far the bounded search for empty dependent subsets went. */
std::string search_text(const DegeneracyReport& report) {
  const std::size_t searched = report.empty_dependent_searched_size;
  if (report.empty_dependent_search_complete)
    return "bounded search, complete for sets of up to " + std::to_string(searched) + " hyperplanes";
  if (searched >= 3)
    return "bounded search: sets of up to " + std::to_string(searched) + " hyperplanes checked, larger ones not";
  return "bounded search: stopped before all sets of 3 hyperplanes were checked";
}

}  // namespace

DegeneracyReport degeneracy_report(const ArrFile& file, const IntersectionLattice& lattice, std::size_t max_examples) {
  const Arrangement& arrangement = file.arrangement;
  const std::size_t n = arrangement.dimension();
  const std::size_t m = arrangement.size();
  DegeneracyReport report;
  report.dimension = n;
  report.input_hyperplanes = file.merge.merged_index.size();
  report.hyperplanes = m;

  // Duplicates: the input rows of each merged hyperplane, as file line numbers.
  std::vector<std::vector<std::size_t>> lines_of(m);
  for (std::size_t i = 0; i < file.merge.merged_index.size(); ++i)
    lines_of[file.merge.merged_index[i]].push_back(i < file.input_lines.size() ? file.input_lines[i] : i + 1);
  for (std::vector<std::size_t>& lines : lines_of)
    if (lines.size() >= 2) report.duplicate_lines.push_back(std::move(lines));

  // Parallel classes, in order of their first hyperplane.
  std::map<IntegerVector, std::size_t, KeyLess> class_of;
  std::vector<std::vector<std::size_t>> classes;
  for (std::size_t i = 0; i < m; ++i) {
    auto [it, inserted] = class_of.emplace(normal_key(arrangement[i]), classes.size());
    if (inserted) classes.emplace_back();
    classes[it->second].push_back(i);
  }
  for (std::vector<std::size_t>& members : classes)
    if (members.size() >= 2) report.parallel_classes.push_back(std::move(members));

  // The lattice: f-vector, rank, centrality, excess flats.
  report.flats_per_rank = lattice.flats_per_rank();
  report.rank = report.flats_per_rank.empty() ? 0 : report.flats_per_rank.size() - 1;
  report.excess_flats_per_rank.assign(report.flats_per_rank.size(), 0);
  for (const Flat& flat : lattice.flats) {
    if (flat.hyperplanes.size() == m) report.central = true;
    if (flat.hyperplanes.size() <= flat.rank) continue;
    ++report.excess_flats_per_rank[flat.rank];
    if (report.excess_flats.size() < max_examples) report.excess_flats.push_back({flat.rank, flat.hyperplanes});
  }
  const std::size_t top = std::min(n, m);
  bool f_vector_matches = true;
  std::size_t first_difference = none;
  for (std::size_t k = 0; k <= top; ++k) {
    report.general_position_flats_per_rank.push_back(binomial(m, k));
    std::size_t flats = k < report.flats_per_rank.size() ? report.flats_per_rank[k] : 0;
    if (report.general_position_flats_per_rank.back() != flats && first_difference == none) {
      f_vector_matches = false;
      first_difference = k;
    }
  }
  report.general_position = f_vector_matches && report.duplicate_lines.empty();

  // Minimal empty dependent subsets exist only when some k ≤ n hyperplanes are dependent, which the
  // f-vector shows; a central arrangement has none (every subset meets in the common point).
  if (!f_vector_matches && !report.central && n >= 3) {
    // About 10^7 entry operations: well under a second, enough for all triples of ~100 planes in Q^3.
    EmptySubsetSearch search(arrangement, std::max<std::size_t>(max_examples, 1), 10000000);
    report.empty_dependent_searched_size = search.run(std::min(n, report.rank + 1));
    report.empty_dependent_subsets = std::move(search.examples);
  } else {
    report.empty_dependent_searched_size = n;
  }
  report.empty_dependent_search_complete = report.empty_dependent_searched_size >= std::min(n, report.rank + 1);

  // Reasons, one line per kind.
  if (!report.duplicate_lines.empty()) {
    std::size_t dropped = 0;
    for (const auto& lines : report.duplicate_lines) dropped += lines.size() - 1;
    report.reasons.push_back("duplicates: " + plural(dropped, "input row repeats", "input rows repeat") +
                             " an earlier hyperplane up to a nonzero factor (" +
                             plural(report.duplicate_lines.size(), "group", "groups") + "); e.g. file lines " +
                             join(report.duplicate_lines.front()) + " (1-based) are one hyperplane");
  }
  if (!report.parallel_classes.empty()) {
    report.reasons.push_back("parallel hyperplanes: " +
                             plural(report.parallel_classes.size(), "class", "classes") +
                             " of distinct hyperplanes with proportional normals; e.g. hyperplanes " +
                             join(report.parallel_classes.front()) + " (0-based, after merging duplicates)");
  }
  std::size_t excess_total = 0;
  for (std::size_t count : report.excess_flats_per_rank) excess_total += count;
  if (excess_total > 0) {
    const DegeneracyReport::ExcessFlat& example = report.excess_flats.front();
    report.reasons.push_back("excess flats: " + plural(excess_total, "flat lies", "flats lie") +
                             " on more hyperplanes than its rank (" + per_rank_text(report.excess_flats_per_rank) +
                             "); e.g. a rank-" + std::to_string(example.rank) + " flat on " +
                             std::to_string(example.hyperplanes.size()) + " hyperplanes " +
                             join(example.hyperplanes) + " (0-based)");
  }
  if (!report.empty_dependent_subsets.empty()) {
    report.reasons.push_back(
        "empty dependent subsets: " +
        plural(report.empty_dependent_subsets.size(), "minimal set", "minimal sets") +
        " of at most n hyperplanes with dependent normals and no common point found (" + search_text(report) +
        "); e.g. hyperplanes " +
        join(report.empty_dependent_subsets.front()) + " (0-based)");
  }
  if (!f_vector_matches) {
    std::size_t flats = first_difference < report.flats_per_rank.size() ? report.flats_per_rank[first_difference] : 0;
    report.reasons.push_back("f-vector: " + std::to_string(flats) + " flats of rank " +
                             std::to_string(first_difference) + " where general position has C(" + std::to_string(m) +
                             "," + std::to_string(first_difference) + ") = " +
                             report.general_position_flats_per_rank[first_difference].get_str());
  }
  return report;
}

nlohmann::json to_json(const DegeneracyReport& report) {
  nlohmann::json excess_examples = nlohmann::json::array();
  for (const DegeneracyReport::ExcessFlat& flat : report.excess_flats)
    excess_examples.push_back({{"rank", flat.rank}, {"hyperplanes", flat.hyperplanes}});
  std::size_t excess_total = 0;
  for (std::size_t count : report.excess_flats_per_rank) excess_total += count;
  nlohmann::json general_values = nlohmann::json::array();
  for (const Integer& value : report.general_position_flats_per_rank) general_values.push_back(integer_json(value));
  nlohmann::json out = {
      {"general_position", report.general_position},
      {"dimension", report.dimension},
      {"input_hyperplanes", report.input_hyperplanes},
      {"hyperplanes", report.hyperplanes},
      {"central", report.central},
      {"rank", report.rank},
      {"duplicates", report.duplicate_lines},
      {"parallel_classes", report.parallel_classes},
      {"excess_flats",
       {{"total", excess_total}, {"per_rank", report.excess_flats_per_rank}, {"examples", excess_examples}}},
      {"empty_dependent_subsets", report.empty_dependent_subsets},
      {"empty_dependent_search",
       {{"bounded", true},
        {"exhaustive_up_to_size", report.empty_dependent_searched_size},
        {"complete", report.empty_dependent_search_complete}}},
      {"flats_per_rank", report.flats_per_rank},
      {"general_position_flats_per_rank", general_values},
      {"reasons", report.reasons},
  };
  if (report.symmetry) out["symmetry"] = report.symmetry->to_json();
  return out;
}

std::string to_text(const DegeneracyReport& report) {
  std::ostringstream out;
  out << "arrangement: " << report.hyperplanes << " hyperplanes in Q^" << report.dimension << " ("
      << report.input_hyperplanes << " input rows";
  std::size_t dropped = report.input_hyperplanes - report.hyperplanes;
  if (dropped > 0) out << ", " << dropped << " merged as duplicates";
  out << ")\n";
  out << "rank of the normals: " << report.rank << (report.rank < report.dimension ? " (not essential)" : "") << "\n";
  out << "central (one common point): " << (report.central ? "yes" : "no") << "\n";
  out << "general position: " << (report.general_position ? "yes" : "no") << "\n";
  out << "flats per rank:            " << join(report.flats_per_rank, " ") << "\n";
  out << "general position, C(m,k):  " << join(report.general_position_flats_per_rank, " ") << "\n";
  if (!report.reasons.empty()) {
    out << "degeneracies:\n";
    for (const std::string& reason : report.reasons) out << "  - " << reason << "\n";
  }
  if (report.duplicate_lines.size() > 1 || report.parallel_classes.size() > 1 || report.excess_flats.size() > 1 ||
      report.empty_dependent_subsets.size() > 1) {
    out << "examples:\n";
    for (const auto& lines : report.duplicate_lines) out << "  duplicate rows at file lines " << join(lines) << "\n";
    for (const auto& members : report.parallel_classes) out << "  parallel hyperplanes " << join(members) << "\n";
    for (const auto& flat : report.excess_flats)
      out << "  rank-" << flat.rank << " flat on hyperplanes " << join(flat.hyperplanes) << "\n";
    for (const auto& subset : report.empty_dependent_subsets)
      out << "  no common point, dependent normals: hyperplanes " << join(subset) << "\n";
  }
  if (!report.general_position && !report.central && report.dimension >= 3) {
    out << "empty dependent subsets: " << report.empty_dependent_subsets.size() << " found (" << search_text(report)
        << ")\n";
  }
  if (const std::optional<SymmetryGroup>& group = report.symmetry) {
    out << "symmetry group: order " << group->order.get_str() << " (" << group->source
        << (group->note.empty() ? "" : "; " + group->note) << ")\n";
    for (const Permutation& g : group->generators) out << "  generator " << cycles_to_string(g) << "\n";
  }
  return out.str();
}

}  // namespace chamber

// Prop. 2's conditions (i) and (ii) decided exactly on an instance: branch-and-bound searches over neuron sets with
// an incremental echelon basis (arrangement/echelon.hpp). Polynomial dependencies are in prop2_dependency.cpp.
#include "cnn/prop2.hpp"

#include "arrangement/echelon.hpp"
#include "arrangement/errors.hpp"
#include "cnn/prop2_internal.hpp"

#include <map>
#include <utility>
#include <variant>

namespace chamber {

namespace {

using prop2_detail::format_list;
using prop2_detail::LayerGeometry;

/*! decides t ∈ K_N by max-flow (in_KN), caching every answer. */
class KNOracle {
 public:
  explicit KNOracle(const LayerGeometry& layer) : layer_(layer) {}

  bool operator()(const std::vector<std::size_t>& t) {
    auto it = cache_.find(t);
    if (it != cache_.end()) return it->second;
    const bool member = in_KN(layer_.input, layer_.conv, t);
    cache_.emplace(t, member);
    return member;
  }

 private:
  const LayerGeometry& layer_;
  std::map<std::vector<std::size_t>, bool> cache_;
};

// ---------------------------------------------------------------------------------------------------------------
// Rows (a_1 .. a_n, b) in an echelon basis with pivots in the normal part a.

enum class Extension { independent, dependent_consistent, inconsistent };

/*! returns an empty basis for rows (a_1 .. a_n, b) of the layer. */
EchelonBasis row_basis(const LayerGeometry& layer) { return EchelonBasis(layer.dimension + 1, 0, layer.dimension); }

/*! classifies `reduced`, a row reduced by EchelonBasis::reduce with result `pivot`: a nonzero normal part is a new
 * pivot (independent); otherwise the row is consistent iff its constant is 0. */
Extension classify(std::size_t pivot, const IntegerVector& reduced) {
  if (pivot != EchelonBasis::no_pivot) return Extension::independent;
  return sgn(reduced.back()) == 0 ? Extension::dependent_consistent : Extension::inconsistent;
}

/*! returns the rows (a_1 .. a_n, b) of the first layer's neurons as primitive integer vectors (same hyperplanes). */
std::vector<IntegerVector> integer_rows(const Network& network) {
  std::vector<IntegerVector> rows;
  for (const RationalVector& affine : affine_rows(network, 0)) {
    const Integer denominator = common_denominator(affine);
    IntegerVector row(affine.size());
    for (std::size_t c = 1; c < affine.size(); ++c)
      row[c - 1] = affine[c].get_num() * (denominator / affine[c].get_den());
    row.back() = affine[0].get_num() * (denominator / affine[0].get_den());
    make_primitive(row);  // small entries keep the minors small
    rows.push_back(std::move(row));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------
// The branch-and-bound search.

enum class Mode { independence, consistency };

/*! depth-first search over neuron sets in increasing index order, extending only independent sets (mode
 * independence: condition (i)) or only consistent sets with t ∈ K_N (mode consistency: condition (ii)); both
 * properties are inherited by subsets, so every prefix of a smallest violation is visited. A violation found at
 * size s prunes every node of size ≥ s − 1. */
class SubsetSearch {
 public:
  SubsetSearch(const LayerGeometry& layer, const std::vector<IntegerVector>& rows, KNOracle& kn, Mode mode,
               std::uint64_t budget)
      : layer_(layer), rows_(rows), kn_(kn), mode_(mode), budget_(budget), echelon_(row_basis(layer)),
        t_(layer.positions, 0), scratch_(rows.size() + 1) {}

  void run() { visit(0); }

  bool stopped() const { return stopped_; }
  std::uint64_t examined() const { return examined_; }
  const std::optional<std::vector<std::size_t>>& best() const { return best_; }
  std::size_t best_rank() const { return best_rank_; }

 private:
  std::size_t best_size() const { return best_ ? best_->size() : rows_.size() + 1; }

  void record(std::size_t rank) {
    best_ = current_;
    best_rank_ = rank;
  }

  void visit(std::size_t start) {
    for (std::size_t j = start; j < rows_.size(); ++j) {
      if (current_.size() + 1 >= best_size()) return;
      if (examined_ >= budget_) {
        stopped_ = true;
        return;
      }
      ++examined_;
      IntegerVector& reduced = scratch_[current_.size()];
      reduced = rows_[j];
      const std::size_t pivot = echelon_.reduce(reduced);
      const Extension extension = classify(pivot, reduced);
      ++t_[layer_.position_of(j)];
      current_.push_back(j);
      if (mode_ == Mode::independence) {
        if (extension == Extension::independent) {
          echelon_.push(reduced, pivot);
          visit(j + 1);
          echelon_.pop();
        } else if (kn_(t_)) {
          record(echelon_.rank());
        }
      } else if (extension != Extension::inconsistent) {
        // An independent set always has t ∈ K_N; only a dependent one needs the flow test. The set is independent
        // when the new row raises the rank and the set before it was independent (rank = size).
        const bool raises_rank = extension == Extension::independent;
        const bool set_independent = raises_rank && echelon_.rank() + 1 == current_.size();
        if (!set_independent && !kn_(t_)) {
          record(echelon_.rank() + (raises_rank ? 1 : 0));
        } else {
          if (raises_rank) echelon_.push(reduced, pivot);
          visit(j + 1);
          if (raises_rank) echelon_.pop();
        }
      }
      --t_[layer_.position_of(j)];
      current_.pop_back();
      if (stopped_) return;
    }
  }

  const LayerGeometry& layer_;
  const std::vector<IntegerVector>& rows_;
  KNOracle& kn_;
  Mode mode_;
  std::uint64_t budget_;
  EchelonBasis echelon_;
  std::vector<std::size_t> t_;
  std::vector<std::size_t> current_;
  std::vector<IntegerVector> scratch_;  // one reduced row per depth, reused
  std::optional<std::vector<std::size_t>> best_;
  std::size_t best_rank_ = 0;
  std::uint64_t examined_ = 0;
  bool stopped_ = false;
};

Prop2Violation make_violation(const LayerGeometry& layer, Prop2Condition condition,
                              const std::vector<std::size_t>& neurons, std::size_t rank, bool smallest_proven) {
  Prop2Violation v;
  v.condition = condition;
  v.neurons = neurons;
  for (std::size_t n : neurons) v.positions.push_back(layer.where(n));
  v.counts = layer.counts(neurons);
  v.rank = rank;
  v.smallest_proven = smallest_proven;
  const std::string size = std::to_string(neurons.size());
  if (condition == Prop2Condition::i)
    v.reason = "the " + size + " normals have rank " + std::to_string(rank) + " < " + size + " although t = (" +
               format_list(v.counts) + ") is in K_N";
  else
    v.reason = "the " + size + " hyperplanes have a common point (rank [A] = rank [A|b] = " + std::to_string(rank) +
               ") although t = (" + format_list(v.counts) + ") is not in K_N";
  return v;
}

}  // namespace

std::pair<Shape, ConvSpec> first_conv_architecture(const Network& network) {
  if (network.layers.empty()) throw InputError("the network has no layer");
  const auto* conv = std::get_if<Conv2d>(&network.layers.front());
  if (conv == nullptr) throw InputError("the first layer is not conv2d");
  if (const std::string why = beyond_closed_forms(network.layers.front()); !why.empty())
    throw InputError("Prop. 2 is about convolutions without padding, dilation, groups or affine layers; layer 0 has " +
                     why);
  const Shape input{network.input.channels, network.input.height, network.input.width};
  const ConvSpec spec{conv->out_channels, conv->kernel_h, conv->kernel_w, conv->stride_h, conv->stride_w};
  return {input, spec};
}

Prop2Report check_prop2(const Network& network, const Prop2Options& options) {
  const auto [input, spec] = first_conv_architecture(network);
  const LayerGeometry layer(input, spec);
  const std::vector<IntegerVector> rows = integer_rows(network);
  KNOracle kn(layer);
  Prop2Report report;
  report.neurons = layer.neurons;
  report.positions = layer.positions;
  if (options.check_i) {
    SubsetSearch search(layer, rows, kn, Mode::independence, options.max_subsets);
    search.run();
    report.subsets_examined_i = search.examined();
    if (search.best()) {
      report.condition_i = false;
      report.violation_i = make_violation(layer, Prop2Condition::i, *search.best(), search.best_rank(), !search.stopped());
    } else if (!search.stopped()) {
      report.condition_i = true;
    }
  }
  if (options.check_ii) {
    SubsetSearch search(layer, rows, kn, Mode::consistency, options.max_subsets);
    search.run();
    report.subsets_examined_ii = search.examined();
    if (search.best()) {
      report.condition_ii = false;
      report.violation_ii = make_violation(layer, Prop2Condition::ii, *search.best(), search.best_rank(), !search.stopped());
    } else if (!search.stopped()) {
      report.condition_ii = true;
    }
  }
  return report;
}

bool violates_at(const Network& network, const Prop2Violation& violation) {
  const auto [input, spec] = first_conv_architecture(network);
  const LayerGeometry layer(input, spec);
  const std::vector<std::size_t> set = layer.checked_set(violation.neurons, "violates_at");
  const std::vector<IntegerVector> rows = integer_rows(network);
  EchelonBasis echelon = row_basis(layer);
  bool consistent = true;
  for (std::size_t n : set) {
    IntegerVector reduced = rows[n];
    const std::size_t pivot = echelon.reduce(reduced);
    const Extension e = classify(pivot, reduced);
    if (e == Extension::independent) echelon.push(std::move(reduced), pivot);
    if (e == Extension::inconsistent) consistent = false;
  }
  if (violation.condition == Prop2Condition::i) return echelon.rank() < set.size();
  return consistent;
}

}  // namespace chamber

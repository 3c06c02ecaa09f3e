// Prop. 2's conditions decided exactly on an instance, and polynomial dependency certificates.
#include "cnn/prop2.hpp"

#include "arrangement/errors.hpp"
#include "cnn/random_network.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <variant>

namespace chamber {

namespace {

// ---------------------------------------------------------------------------------------------------------------
// The layer's geometry.

/*! the neurons of one conv layer and where their normals sit. */
struct LayerGeometry {
  InputShape input;
  ConvSpec conv;
  std::size_t out_h = 0, out_w = 0, positions = 0, neurons = 0, dimension = 0, weights_per_filter = 0;

  LayerGeometry(const InputShape& in, const ConvSpec& spec) : input(in), conv(spec) {
    InputShape out;
    try {
      out = conv_output(in, spec);
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("conv layer: ") + e.what());
    }
    out_h = out.height;
    out_w = out.width;
    positions = out_h * out_w;
    neurons = spec.filters * positions;
    dimension = in.channels * in.height * in.width;
    weights_per_filter = in.channels * spec.kernel_h * spec.kernel_w;
  }

  std::size_t filter_of(std::size_t neuron) const { return neuron / positions; }
  std::size_t position_of(std::size_t neuron) const { return neuron % positions; }
  NeuronPosition where(std::size_t neuron) const {
    const std::size_t p = position_of(neuron);
    return NeuronPosition{filter_of(neuron), p / out_w, p % out_w};
  }

  /*! returns the (input coordinate, weight index) pairs of the neuron's normal: coordinate x holds weight g. */
  std::vector<std::pair<std::size_t, std::size_t>> entries(std::size_t neuron) const {
    const NeuronPosition n = where(neuron);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    out.reserve(weights_per_filter);
    for (std::size_t c = 0; c < input.channels; ++c)
      for (std::size_t a = 0; a < conv.kernel_h; ++a)
        for (std::size_t b = 0; b < conv.kernel_w; ++b) {
          const std::size_t x = (c * input.height + n.i * conv.stride_h + a) * input.width + n.j * conv.stride_w + b;
          const std::size_t g = ((n.filter * input.channels + c) * conv.kernel_h + a) * conv.kernel_w + b;
          out.emplace_back(x, g);
        }
    return out;
  }

  /*! returns t(B). */
  std::vector<std::size_t> counts(const std::vector<std::size_t>& neurons_in_set) const {
    std::vector<std::size_t> t(positions, 0);
    for (std::size_t n : neurons_in_set) ++t[position_of(n)];
    return t;
  }

  /*! checks that `set` holds distinct neurons of the layer; returns it sorted. */
  std::vector<std::size_t> checked_set(std::vector<std::size_t> set, const char* what) const {
    std::sort(set.begin(), set.end());
    for (std::size_t k = 0; k < set.size(); ++k) {
      if (set[k] >= neurons)
        throw InputError(std::string(what) + ": neuron " + std::to_string(set[k]) + " is out of range (the layer has " +
                         std::to_string(neurons) + " neurons)");
      if (k > 0 && set[k] == set[k - 1])
        throw InputError(std::string(what) + ": neuron " + std::to_string(set[k]) + " is listed twice");
    }
    return set;
  }
};

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

std::string format_list(const std::vector<std::size_t>& values) {
  std::string text;
  for (std::size_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
  return text;
}

// ---------------------------------------------------------------------------------------------------------------
// Incremental echelon form of rows (a_1 .. a_n, b): exact, fraction-free, every basis row primitive.

enum class Extension { independent, dependent_consistent, inconsistent };

class Echelon {
 public:
  explicit Echelon(std::size_t normal_width) : n_(normal_width) {}

  /*! reduces `row` (n normal entries, then the constant) against the basis into `out` and classifies it: a
   * nonzero normal part is a new pivot (independent); otherwise the row is consistent iff its constant is 0. */
  Extension reduce(const IntegerVector& row, IntegerVector& out) const {
    out = row;
    Integer g, row_factor, basis_factor;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const IntegerVector& e = rows_[r];
      const std::size_t p = pivots_[r];
      if (sgn(out[p]) == 0) continue;
      mpz_gcd(g.get_mpz_t(), e[p].get_mpz_t(), out[p].get_mpz_t());
      mpz_divexact(row_factor.get_mpz_t(), e[p].get_mpz_t(), g.get_mpz_t());
      mpz_divexact(basis_factor.get_mpz_t(), out[p].get_mpz_t(), g.get_mpz_t());
      const bool scale = row_factor != 1;
      for (std::size_t c = 0; c < out.size(); ++c) {
        if (scale && sgn(out[c]) != 0) mpz_mul(out[c].get_mpz_t(), out[c].get_mpz_t(), row_factor.get_mpz_t());
        if (sgn(e[c]) != 0) mpz_submul(out[c].get_mpz_t(), basis_factor.get_mpz_t(), e[c].get_mpz_t());
      }
    }
    for (std::size_t c = 0; c < n_; ++c)
      if (sgn(out[c]) != 0) return Extension::independent;
    return sgn(out[n_]) == 0 ? Extension::dependent_consistent : Extension::inconsistent;
  }

  /*! adds a row classified independent by reduce() (`reduced` is its output). */
  void push(const IntegerVector& reduced) {
    std::size_t pivot = 0;
    while (sgn(reduced[pivot]) == 0) ++pivot;
    rows_.push_back(reduced);
    make_primitive(rows_.back());
    pivots_.push_back(pivot);
  }
  void pop() {
    rows_.pop_back();
    pivots_.pop_back();
  }
  std::size_t rank() const { return rows_.size(); }

 private:
  std::size_t n_;
  std::vector<IntegerVector> rows_;
  std::vector<std::size_t> pivots_;
};

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
      : layer_(layer), rows_(rows), kn_(kn), mode_(mode), budget_(budget), echelon_(layer.dimension),
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
      const Extension extension = echelon_.reduce(rows_[j], reduced);
      ++t_[layer_.position_of(j)];
      current_.push_back(j);
      if (mode_ == Mode::independence) {
        if (extension == Extension::independent) {
          echelon_.push(reduced);
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
          if (raises_rank) echelon_.push(reduced);
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
  Echelon echelon_;
  std::vector<std::size_t> t_;
  std::vector<std::size_t> current_;
  std::vector<IntegerVector> scratch_;
  std::optional<std::vector<std::size_t>> best_;
  std::size_t best_rank_ = 0;
  std::uint64_t examined_ = 0;
  bool stopped_ = false;
};

Prop2Violation make_violation(const LayerGeometry& layer, const std::string& condition,
                              const std::vector<std::size_t>& neurons, std::size_t rank, bool smallest_proven) {
  Prop2Violation v;
  v.condition = condition;
  v.neurons = neurons;
  for (std::size_t n : neurons) v.positions.push_back(layer.where(n));
  v.counts = layer.counts(neurons);
  v.rank = rank;
  v.smallest_proven = smallest_proven;
  const std::string size = std::to_string(neurons.size());
  if (condition == "i")
    v.reason = "the " + size + " normals have rank " + std::to_string(rank) + " < " + size + " although t = (" +
               format_list(v.counts) + ") is in K_N";
  else
    v.reason = "the " + size + " hyperplanes have a common point (rank [A] = rank [A|b] = " + std::to_string(rank) +
               ") although t = (" + format_list(v.counts) + ") is not in K_N";
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Polynomial dependencies.

/*! union-find over the unknowns of the coefficient system. */
class Components {
 public:
  explicit Components(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), std::size_t{0}); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

using SparseRow = std::vector<std::pair<std::size_t, Integer>>;  // sorted by column, no zeros

/*! returns a·u − b·v (sparse, zeros dropped). */
SparseRow combine(const Integer& a, const SparseRow& u, const Integer& b, const SparseRow& v) {
  SparseRow out;
  out.reserve(u.size() + v.size());
  std::size_t i = 0, k = 0;
  while (i < u.size() || k < v.size()) {
    Integer value;
    std::size_t column;
    if (k == v.size() || (i < u.size() && u[i].first < v[k].first)) {
      column = u[i].first;
      value = a * u[i++].second;
    } else if (i == u.size() || v[k].first < u[i].first) {
      column = v[k].first;
      value = -(b * v[k++].second);
    } else {
      column = u[i].first;
      value = a * u[i++].second;
      value -= b * v[k++].second;
    }
    if (sgn(value) != 0) out.emplace_back(column, std::move(value));
  }
  return out;
}

void make_row_primitive(SparseRow& row) {
  Integer g = 0;
  for (const auto& entry : row) {
    mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), entry.second.get_mpz_t());
    if (g == 1) return;
  }
  if (g == 0) return;
  for (auto& entry : row) mpz_divexact(entry.second.get_mpz_t(), entry.second.get_mpz_t(), g.get_mpz_t());
}

/*! returns a nonzero kernel vector (integer, primitive) of the 0/1 system whose rows list their columns, or
 * nothing when the columns are independent. Fraction-free sparse elimination, then back substitution over Q. */
std::optional<IntegerVector> kernel_vector(const std::vector<std::vector<std::size_t>>& equations,
                                           std::size_t columns) {
  std::vector<SparseRow> pivot_rows;
  std::vector<long> pivot_of(columns, -1);
  for (const auto& equation : equations) {
    SparseRow row;
    for (std::size_t c : equation) row.emplace_back(c, Integer(1));
    while (!row.empty()) {
      const std::size_t lead = row.front().first;
      if (pivot_of[lead] < 0) {
        make_row_primitive(row);
        pivot_of[lead] = static_cast<long>(pivot_rows.size());
        pivot_rows.push_back(std::move(row));
        break;
      }
      const SparseRow& pivot = pivot_rows[static_cast<std::size_t>(pivot_of[lead])];
      Integer g;
      mpz_gcd(g.get_mpz_t(), pivot.front().second.get_mpz_t(), row.front().second.get_mpz_t());
      const Integer a = pivot.front().second / g;
      const Integer b = row.front().second / g;
      row = combine(a, row, b, pivot);
      make_row_primitive(row);
    }
  }
  if (pivot_rows.size() == columns) return std::nullopt;
  // The last free column gives the solution supported on the fewest pivot columns in practice.
  std::size_t free_column = columns;
  while (pivot_of[--free_column] >= 0) {
  }
  RationalVector x(columns);
  x[free_column] = 1;
  for (std::size_t c = columns; c-- > 0;) {
    if (pivot_of[c] < 0) continue;
    const SparseRow& row = pivot_rows[static_cast<std::size_t>(pivot_of[c])];
    Rational sum = 0;
    for (std::size_t k = 1; k < row.size(); ++k)
      if (sgn(x[row[k].first]) != 0) sum += Rational(row[k].second) * x[row[k].first];
    x[c] = -sum / Rational(row.front().second);
  }
  const Integer denominator = common_denominator(x);
  IntegerVector result(columns);
  for (std::size_t c = 0; c < columns; ++c) result[c] = x[c].get_num() * (denominator / x[c].get_den());
  make_primitive(result);
  return result;
}

/*! returns the exponent vector of the local monomial `local` over the global variables `global_of_local`. */
Monomial to_global(const Monomial& local, const std::vector<std::size_t>& global_of_local) {
  Monomial global;
  for (std::size_t v = 0; v < local.size(); ++v) {
    if (local[v] == 0) continue;
    const std::size_t g = global_of_local[v];
    if (global.size() <= g) global.resize(g + 1, 0);
    global[g] += local[v];
  }
  return global;
}

bool verify(const LayerGeometry& layer, const PolynomialDependency& dependency) {
  const std::size_t weights = layer.conv.filters * layer.weights_per_filter;
  if (dependency.neurons.empty() || dependency.coefficients.size() != dependency.neurons.size()) return false;
  if (dependency.variables.size() != weights) return false;
  std::vector<std::size_t> sorted = dependency.neurons;
  std::sort(sorted.begin(), sorted.end());
  if (sorted.back() >= layer.neurons || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) return false;
  bool any_nonzero = false;
  for (const Polynomial& c : dependency.coefficients) {
    if (c.variable_count() > weights) return false;
    any_nonzero = any_nonzero || !c.is_zero();
  }
  if (!any_nonzero) return false;
  // Σ_j c_j a_j, coordinate by coordinate, with a_j rebuilt from the architecture: coordinate x of neuron j's
  // normal is the variable of the weight placed there.
  std::vector<Polynomial> sum(layer.dimension);
  for (std::size_t k = 0; k < dependency.neurons.size(); ++k)
    for (const auto& [x, g] : layer.entries(dependency.neurons[k]))
      sum[x] += dependency.coefficients[k] * Polynomial::variable(g);
  return std::all_of(sum.begin(), sum.end(), [](const Polynomial& p) { return p.is_zero(); });
}

}  // namespace

std::pair<InputShape, ConvSpec> first_conv_architecture(const Network& network) {
  if (network.layers.empty()) throw InputError("the network has no layer");
  const auto* conv = std::get_if<Conv2d>(&network.layers.front());
  if (conv == nullptr) throw InputError("the first layer is not conv2d");
  const InputShape input{network.input.channels, network.input.height, network.input.width};
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
      report.violation_i = make_violation(layer, "i", *search.best(), search.best_rank(), !search.stopped());
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
      report.violation_ii = make_violation(layer, "ii", *search.best(), search.best_rank(), !search.stopped());
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
  Echelon echelon(layer.dimension);
  IntegerVector reduced;
  bool consistent = true;
  for (std::size_t n : set) {
    const Extension e = echelon.reduce(rows[n], reduced);
    if (e == Extension::independent) echelon.push(reduced);
    if (e == Extension::inconsistent) consistent = false;
  }
  if (violation.condition == "i") return echelon.rank() < set.size();
  if (violation.condition == "ii") return consistent;
  throw InputError("violates_at: condition '" + violation.condition + "' is neither \"i\" nor \"ii\"");
}

std::vector<std::string> weight_variable_names(const InputShape& input, const ConvSpec& conv) {
  std::vector<std::string> names;
  for (std::size_t f = 0; f < conv.filters; ++f)
    for (std::size_t c = 0; c < input.channels; ++c)
      for (std::size_t a = 0; a < conv.kernel_h; ++a)
        for (std::size_t b = 0; b < conv.kernel_w; ++b) {
          std::string name = "w";
          name += std::to_string(f);
          for (std::size_t index : {c, a, b}) {
            name += '[';
            name += std::to_string(index);
            name += ']';
          }
          names.push_back(std::move(name));
        }
  return names;
}

std::optional<PolynomialDependency> structural_dependency(const InputShape& input, const ConvSpec& conv,
                                                          const std::vector<std::size_t>& neurons,
                                                          const DependencyOptions& options) {
  const LayerGeometry layer(input, conv);
  const std::vector<std::size_t> set = layer.checked_set(neurons, "structural_dependency");
  if (set.empty()) return std::nullopt;
  // Only the weights of the filters in the set can appear in a lowest-degree solution: a solution using another
  // variable z splits by powers of z into solutions of lower degree.
  std::vector<std::size_t> global_of_local;
  std::vector<std::size_t> local_of_global(conv.filters * layer.weights_per_filter, 0);
  for (std::size_t f = 0; f < conv.filters; ++f) {
    if (std::none_of(set.begin(), set.end(), [&](std::size_t n) { return layer.filter_of(n) == f; })) continue;
    for (std::size_t w = 0; w < layer.weights_per_filter; ++w) {
      local_of_global[f * layer.weights_per_filter + w] = global_of_local.size();
      global_of_local.push_back(f * layer.weights_per_filter + w);
    }
  }
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> entries;
  for (std::size_t n : set) entries.push_back(layer.entries(n));

  for (unsigned degree = 0; degree <= options.max_degree; ++degree) {
    const std::vector<Monomial> monomials = monomials_of_degree(global_of_local.size(), degree);
    const std::size_t per_neuron = monomials.size();
    if (per_neuron == 0 || set.size() > options.max_unknowns / per_neuron) break;
    const std::size_t unknowns = set.size() * per_neuron;
    // Unknown (k, m) is the coefficient of monomial m in c_k. It enters the equation "coefficient of
    // m·w_g in coordinate x of Σ c_k a_k" for every entry (x, g) of neuron k's normal, with coefficient 1.
    std::map<std::pair<std::size_t, Monomial>, std::size_t> equation_of;
    std::vector<std::vector<std::size_t>> equations;
    Components components(unknowns);
    for (std::size_t k = 0; k < set.size(); ++k)
      for (std::size_t m = 0; m < per_neuron; ++m) {
        const std::size_t u = k * per_neuron + m;
        for (const auto& [x, g] : entries[k]) {
          Monomial product = monomials[m];
          const std::size_t v = local_of_global[g];
          if (product.size() <= v) product.resize(v + 1, 0);
          ++product[v];
          auto [it, inserted] = equation_of.emplace(std::make_pair(x, std::move(product)), equations.size());
          if (inserted) equations.emplace_back();
          std::vector<std::size_t>& equation = equations[it->second];
          if (!equation.empty()) components.unite(equation.front(), u);
          equation.push_back(u);
        }
      }
    // Solve each connected block of the system on its own, smallest first: a kernel vector of one block is a
    // kernel vector of the whole system, and small blocks give short certificates.
    std::map<std::size_t, std::vector<std::size_t>> block_unknowns, block_equations;
    for (std::size_t u = 0; u < unknowns; ++u) block_unknowns[components.find(u)].push_back(u);
    for (std::size_t e = 0; e < equations.size(); ++e)
      block_equations[components.find(equations[e].front())].push_back(e);
    std::vector<std::size_t> order;
    for (const auto& entry : block_unknowns) order.push_back(entry.first);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return block_unknowns[a].size() < block_unknowns[b].size();
    });
    for (std::size_t root : order) {
      const std::vector<std::size_t>& columns = block_unknowns[root];
      std::map<std::size_t, std::size_t> column_of;
      for (std::size_t c = 0; c < columns.size(); ++c) column_of[columns[c]] = c;
      std::vector<std::vector<std::size_t>> rows;
      for (std::size_t e : block_equations[root]) {
        std::vector<std::size_t> row;
        for (std::size_t u : equations[e]) row.push_back(column_of.at(u));
        rows.push_back(std::move(row));  // ascending: unknowns were appended in increasing order
      }
      const std::optional<IntegerVector> kernel = kernel_vector(rows, columns.size());
      if (!kernel) continue;
      PolynomialDependency dependency;
      dependency.neurons = set;
      for (std::size_t n : set) dependency.positions.push_back(layer.where(n));
      dependency.counts = layer.counts(set);
      dependency.counts_in_KN = in_KN(input, conv, dependency.counts);
      dependency.variables = weight_variable_names(input, conv);
      dependency.coefficients.assign(set.size(), Polynomial());
      for (std::size_t c = 0; c < columns.size(); ++c) {
        if (sgn((*kernel)[c]) == 0) continue;
        const std::size_t k = columns[c] / per_neuron, m = columns[c] % per_neuron;
        dependency.coefficients[k] +=
            Polynomial::term(to_global(monomials[m], global_of_local), Rational((*kernel)[c]));
      }
      for (const Polynomial& c : dependency.coefficients)
        dependency.coefficient_texts.push_back(to_string(c, dependency.variables));
      dependency.degree = degree;
      if (!verify(layer, dependency))
        throw InternalError("structural_dependency: the kernel vector of degree " + std::to_string(degree) +
                            " for neurons {" + format_list(set) + "} fails its expansion check");
      dependency.verified = true;
      return dependency;
    }
  }
  return std::nullopt;
}

bool verify_dependency(const InputShape& input, const ConvSpec& conv, const PolynomialDependency& dependency) {
  const LayerGeometry layer(input, conv);
  return verify(layer, dependency);
}

Network random_conv_layer(const InputShape& input, const ConvSpec& conv, std::uint64_t seed, long weight_bound) {
  WeightDistribution distribution;
  distribution.kind = WeightDistribution::Integer;
  distribution.lo = -weight_bound;
  distribution.hi = weight_bound;
  LayerSpec spec;
  spec.conv = true;
  spec.channels_or_units = conv.filters;
  spec.kernel_h = conv.kernel_h;
  spec.kernel_w = conv.kernel_w;
  spec.stride_h = conv.stride_h;
  spec.stride_w = conv.stride_w;
  return random_network(Shape{input.channels, input.height, input.width}, {spec}, seed, distribution);
}

StructuralSearch find_structural_dependency(const InputShape& input, const ConvSpec& conv,
                                            const StructuralOptions& options) {
  StructuralSearch result;
  result.seed = options.seed;
  result.weight_bound = options.weight_bound;
  const Network network = random_conv_layer(input, conv, options.seed, options.weight_bound);
  Prop2Options search = options.search;
  search.check_i = true;
  search.check_ii = false;
  const Prop2Report report = check_prop2(network, search);
  result.condition_i_at_random = report.condition_i;
  result.random_violation = report.violation_i;
  result.subsets_examined = report.subsets_examined_i;
  if (report.violation_i) {
    std::optional<PolynomialDependency> dependency =
        structural_dependency(input, conv, report.violation_i->neurons, options.dependency);
    if (dependency && dependency->verified && dependency->counts_in_KN) result.dependency = std::move(dependency);
  }
  return result;
}

}  // namespace chamber

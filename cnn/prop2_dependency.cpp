// Polynomial dependency certificates for Prop. 2: an identity Σ_j c_j(w) a_j(w) = 0 with polynomial coefficients
// proves a neuron set dependent for every weight choice (prop2.hpp). The coefficients of each degree solve a sparse
// 0/1 linear system, solved exactly by sparse_kernel_vector (arrangement/echelon.hpp).
#include "cnn/prop2.hpp"

#include "arrangement/echelon.hpp"
#include "arrangement/errors.hpp"
#include "cnn/prop2_internal.hpp"
#include "cnn/random_network.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <utility>

namespace chamber {

namespace {

using prop2_detail::format_list;
using prop2_detail::LayerGeometry;

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

/*! returns whether `dependency` is a valid certificate for the layer (see verify_dependency). */
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

std::vector<std::string> weight_variable_names(const Shape& input, const ConvSpec& conv) {
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

std::optional<PolynomialDependency> structural_dependency(const Shape& input, const ConvSpec& conv,
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
      std::vector<SparseIntegerRow> rows;
      for (std::size_t e : block_equations[root]) {
        SparseIntegerRow row;
        for (std::size_t u : equations[e]) row.emplace_back(column_of.at(u), Integer(1));
        rows.push_back(std::move(row));  // ascending: unknowns were appended in increasing order
      }
      const std::optional<IntegerVector> kernel = sparse_kernel_vector(std::move(rows), columns.size());
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

bool verify_dependency(const Shape& input, const ConvSpec& conv, const PolynomialDependency& dependency) {
  const LayerGeometry layer(input, conv);
  return verify(layer, dependency);
}

Network random_conv_layer(const Shape& input, const ConvSpec& conv, std::uint64_t seed, long weight_bound) {
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

StructuralSearch find_structural_dependency(const Shape& input, const ConvSpec& conv,
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

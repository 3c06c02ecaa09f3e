// Closed forms and bounds on the number of linear regions (architecture only).
#include "cnn/formulas.hpp"

#include "arrangement/errors.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace chamber {

namespace {

/*! returns C(n, k) exactly (0 when k > n). */
Integer binomial(std::size_t n, std::size_t k) {
  Integer result;
  if (k > n) return result;  // 0
  mpz_bin_uiui(result.get_mpz_t(), static_cast<unsigned long>(n), static_cast<unsigned long>(k));
  return result;
}

/*! returns base^exponent exactly. */
Integer power(const Integer& base, std::size_t exponent) {
  Integer result;
  mpz_pow_ui(result.get_mpz_t(), base.get_mpz_t(), static_cast<unsigned long>(exponent));
  return result;
}

/*! returns Σ_{i=0}^{k} C(n, i), each term from the one before: C(n, i) = C(n, i − 1)·(n − i + 1)/i (exact), where a
 * binomial per term took seconds for Theorem 1 on large layers (k = 4096 inputs, n near 10^6 neurons). */
Integer binomial_prefix_sum(std::size_t n, std::size_t k) {
  Integer sum = 1, term = 1;
  for (std::size_t i = 1; i <= std::min(n, k); ++i) {
    term *= static_cast<unsigned long>(n - i + 1);
    mpz_divexact_ui(term.get_mpz_t(), term.get_mpz_t(), static_cast<unsigned long>(i));
    sum += term;
  }
  return sum;
}

void check_layer(const Shape& input, const ConvSpec& conv) {
  if (input.channels == 0 || input.height == 0 || input.width == 0)
    throw std::invalid_argument("input has a zero extent");
  if (conv.filters == 0) throw std::invalid_argument("conv layer has 0 filters");
  if (conv.kernel_h == 0 || conv.kernel_w == 0) throw std::invalid_argument("conv kernel has a zero side");
  if (conv.stride_h == 0 || conv.stride_w == 0) throw std::invalid_argument("conv stride is 0");
  if (conv.kernel_h > input.height || conv.kernel_w > input.width)
    throw std::invalid_argument("conv kernel " + std::to_string(conv.kernel_h) + "x" +
                                std::to_string(conv.kernel_w) + " is larger than the input " +
                                std::to_string(input.height) + "x" + std::to_string(input.width));
}

/*! holds the receptive fields of every output position of one layer, row-major. */
std::vector<std::vector<std::size_t>> all_receptive_fields(const Shape& input, const ConvSpec& conv) {
  const Shape out = conv_output(input, conv);
  std::vector<std::vector<std::size_t>> fields;
  fields.reserve(out.height * out.width);
  for (std::size_t i = 0; i < out.height; ++i)
    for (std::size_t j = 0; j < out.width; ++j) fields.push_back(receptive_field(input, conv, i, j));
  return fields;
}

/*! decides the Hall condition of K_N with a max-flow on the bipartite graph
 * source → positions → input coordinates → sink. Built once; each test resets the source capacities. */
class HallFlow {
 public:
  HallFlow(const std::vector<std::vector<std::size_t>>& fields, std::size_t inputs)
      : positions_(fields.size()), graph_(fields.size() + inputs + 2) {
    source_ = positions_ + inputs;
    sink_ = source_ + 1;
    for (std::size_t p = 0; p < positions_; ++p) {
      source_edges_.push_back(add_edge(source_, p, 0));
      for (std::size_t x : fields[p]) add_edge(p, positions_ + x, 1);
    }
    for (std::size_t x = 0; x < inputs; ++x) add_edge(positions_ + x, sink_, 1);
  }

  /*! returns true iff a flow of value Σ t exists, i.e. t satisfies the Hall condition. */
  bool feasible(const std::vector<std::size_t>& t) {
    long total = 0;
    auto capacity = boost::get(boost::edge_capacity, graph_);
    for (std::size_t p = 0; p < positions_; ++p) {
      capacity[source_edges_[p]] = static_cast<long>(t[p]);
      total += static_cast<long>(t[p]);
    }
    if (total == 0) return true;
    const long flow = boost::push_relabel_max_flow(graph_, source_, sink_);
    return flow == total;
  }

 private:
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, long,
                      boost::property<boost::edge_residual_capacity_t, long,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  using Edge = Traits::edge_descriptor;

  Edge add_edge(std::size_t from, std::size_t to, long cap) {
    const Edge forward = boost::add_edge(from, to, graph_).first;
    const Edge backward = boost::add_edge(to, from, graph_).first;
    boost::put(boost::edge_capacity, graph_, forward, cap);
    boost::put(boost::edge_capacity, graph_, backward, 0);
    boost::put(boost::edge_reverse, graph_, forward, backward);
    boost::put(boost::edge_reverse, graph_, backward, forward);
    return forward;
  }

  std::size_t positions_;
  Graph graph_;
  std::size_t source_ = 0;
  std::size_t sink_ = 0;
  std::vector<Edge> source_edges_;
};

/*! sums Π C(d1, t_p) over t ∈ K_N by depth-first search over positions. K_N is down-closed, so a
 * partial assignment (later entries 0) that fails the flow test has no passing extension, and a
 * failing t_p = k means every larger t_p fails too. */
class Eq4Sum {
 public:
  Eq4Sum(const std::vector<std::vector<std::size_t>>& fields, std::size_t inputs, std::size_t d1)
      : fields_(fields), flow_(fields, inputs), t_(fields.size(), 0) {
    for (std::size_t k = 0; k <= d1; ++k) choose_.push_back(binomial(d1, k));
    d1_ = d1;
    edges_ = fields.size() + inputs;
    for (const std::vector<std::size_t>& field : fields) edges_ += field.size();
  }

  Integer run() {
    Integer sum = 0;
    visit(0, Integer(1), sum);
    return sum;
  }

  /*! records, for every t visited, its nonzero entries sorted (its profile) in `profiles`. */
  void record_profiles(std::map<std::vector<std::size_t>, Integer>* profiles) { profiles_ = profiles; }

 private:
  void visit(std::size_t p, const Integer& product, Integer& sum) {
    if (p == fields_.size()) {
      sum += product;
      if (profiles_) {
        std::vector<std::size_t> profile;
        for (std::size_t entry : t_)
          if (entry > 0) profile.push_back(entry);
        std::sort(profile.begin(), profile.end());
        ++(*profiles_)[profile];
      }
      return;
    }
    const std::size_t top = std::min(d1_, fields_[p].size());
    for (std::size_t k = 0; k <= top; ++k) {
      t_[p] = k;
      // The cap counts work: each max-flow test costs about one pass over the graph's edges.
      if (k > 0 && (flow_work_ += edges_) > max_eq4_flow_work)
        throw LimitReached("eq. (4): its sum over K_N needs more max-flow work than the cap (" +
                           std::to_string(max_eq4_flow_work) + " edge visits); the architecture is too large for it");
      if (k > 0 && !flow_.feasible(t_)) break;
      const Integer next = product * choose_[k];
      visit(p + 1, next, sum);
    }
    t_[p] = 0;
  }

  const std::vector<std::vector<std::size_t>>& fields_;
  HallFlow flow_;
  std::vector<std::size_t> t_;
  std::vector<Integer> choose_;
  std::size_t d1_ = 0;
  std::uint64_t flow_work_ = 0;
  std::uint64_t edges_ = 0;
  std::map<std::vector<std::size_t>, Integer>* profiles_ = nullptr;
};

/*! returns the shapes n_0, n_1, …, n_L of the feature maps (n_0 = input). */
std::vector<Shape> layer_shapes(const Shape& input, const std::vector<ConvSpec>& layers) {
  if (layers.empty()) throw std::invalid_argument("a CNN needs at least one conv layer");
  std::vector<Shape> shapes{input};
  for (const ConvSpec& conv : layers) shapes.push_back(conv_output(shapes.back(), conv));
  return shapes;
}

}  // namespace

Shape conv_output(const Shape& input, const ConvSpec& conv) {
  check_layer(input, conv);
  return conv_output_shape(input, conv);
}

Integer lemma2(std::size_t hidden_neurons) { return power(Integer(2), hidden_neurons); }

Integer theorem1(std::size_t n0, std::size_t n1) { return binomial_prefix_sum(n1, n0); }

std::vector<std::size_t> receptive_field(const Shape& input, const ConvSpec& conv, std::size_t i,
                                         std::size_t j) {
  const Shape out = conv_output(input, conv);
  if (i >= out.height || j >= out.width)
    throw std::invalid_argument("output position (" + std::to_string(i) + ", " + std::to_string(j) +
                                ") is outside the " + std::to_string(out.height) + "x" +
                                std::to_string(out.width) + " output");
  std::vector<std::size_t> field;
  field.reserve(input.channels * conv.kernel_h * conv.kernel_w);
  for (std::size_t c = 0; c < input.channels; ++c)
    for (std::size_t a = 0; a < conv.kernel_h; ++a)
      for (std::size_t b = 0; b < conv.kernel_w; ++b) {
        const std::size_t row = i * conv.stride_h + a;
        const std::size_t col = j * conv.stride_w + b;
        field.push_back((c * input.height + row) * input.width + col);
      }
  // CHW order with c, row, col ascending is already sorted.
  return field;
}

bool in_KN(const Shape& input, const ConvSpec& conv, const std::vector<std::size_t>& t) {
  const auto fields = all_receptive_fields(input, conv);
  if (t.size() != fields.size())
    throw std::invalid_argument("t has " + std::to_string(t.size()) + " entries, the layer has " +
                                std::to_string(fields.size()) + " output positions");
  HallFlow flow(fields, input.channels * input.height * input.width);
  return flow.feasible(t);
}

Integer eq4(const Shape& input, const ConvSpec& conv) {
  const auto fields = all_receptive_fields(input, conv);
  Eq4Sum sum(fields, input.channels * input.height * input.width, conv.filters);
  return sum.run();
}

Integer Eq4Polynomial::value(std::size_t filters) const {
  Integer sum = 0;
  for (const auto& [profile, count] : profiles) {
    Integer term = count;
    for (std::size_t entry : profile) term *= binomial(filters, entry);
    sum += term;
  }
  return sum;
}

Rational Eq4Polynomial::leading_term(std::size_t filters) const {
  Rational term = leading_coefficient * Rational(power(Integer(static_cast<unsigned long>(filters)), degree));
  term.canonicalize();
  return term;
}

Eq4Polynomial eq4_polynomial(const Shape& input, const ConvSpec& conv) {
  const auto fields = all_receptive_fields(input, conv);
  std::size_t widest = 1;
  for (const std::vector<std::size_t>& field : fields) widest = std::max(widest, field.size());
  // With d ≥ every |S_p| the sum visits every t of K_N (t_p ≤ |S_p| by J = {p}); C(d, t_p) = 0 for t_p > d does the rest.
  Eq4Sum sum(fields, input.channels * input.height * input.width, widest);
  Eq4Polynomial polynomial;
  sum.record_profiles(&polynomial.profiles);
  sum.run();
  for (const auto& [profile, count] : polynomial.profiles) {
    std::size_t total = 0;
    for (std::size_t entry : profile) total += entry;
    polynomial.degree = std::max(polynomial.degree, total);
  }
  polynomial.leading_coefficient = 0;
  for (const auto& [profile, count] : polynomial.profiles) {
    std::size_t total = 0;
    Integer factorials = 1;
    for (std::size_t entry : profile) {
      total += entry;
      Integer f;
      mpz_fac_ui(f.get_mpz_t(), static_cast<unsigned long>(entry));
      factorials *= f;
    }
    if (total == polynomial.degree) polynomial.leading_coefficient += Rational(count, factorials);
  }
  polynomial.leading_coefficient.canonicalize();
  return polynomial;
}

Integer theorem5_lower(const Shape& input, const std::vector<ConvSpec>& layers) {
  const std::vector<Shape> shapes = layer_shapes(input, layers);
  const std::size_t L = layers.size();
  const std::size_t d0 = input.channels;
  // N': the last layer's filters, but over d0 channels, on an n_{L-1}^(1) × n_{L-1}^(2) × d0 input.
  const Shape reduced{d0, shapes[L - 1].height, shapes[L - 1].width};
  Integer bound = eq4(reduced, layers[L - 1]);
  for (std::size_t l = 1; l < L; ++l) {
    const Integer ratio = Integer(static_cast<unsigned long>(layers[l - 1].filters / d0));
    bound *= power(ratio, shapes[l].height * shapes[l].width * d0);
  }
  return bound;
}

Integer theorem5_upper(const Shape& input, const std::vector<ConvSpec>& layers) {
  const std::vector<Shape> shapes = layer_shapes(input, layers);
  const std::size_t input_dimension = input.channels * input.height * input.width;
  Integer bound = eq4(input, layers[0]);
  for (std::size_t l = 2; l <= layers.size(); ++l) {
    const std::size_t neurons = shapes[l].height * shapes[l].width * shapes[l].channels;
    bound *= binomial_prefix_sum(neurons, input_dimension);
  }
  return bound;
}

ConvSpec theorem4_merge(const ConvSpec& a, const ConvSpec& b) {
  if (a.kernel_h == 0 || a.kernel_w == 0 || b.kernel_h == 0 || b.kernel_w == 0)
    throw std::invalid_argument("conv kernel has a zero side");
  if (a.stride_h == 0 || a.stride_w == 0 || b.stride_h == 0 || b.stride_w == 0)
    throw std::invalid_argument("conv stride is 0");
  return ConvSpec{b.filters, a.kernel_h + (b.kernel_h - 1) * a.stride_h,
                  a.kernel_w + (b.kernel_w - 1) * a.stride_w, a.stride_h * b.stride_h,
                  a.stride_w * b.stride_w};
}

Integer maxout_single_upper(std::size_t n0, std::size_t units, std::size_t rank) {
  if (n0 == 0 || units == 0 || rank == 0) throw std::invalid_argument("maxout bound: a size is 0");
  const Integer arrangement = binomial_prefix_sum(rank * rank * units, n0);
  const Integer choices = power(Integer(static_cast<unsigned long>(rank)), units);
  return arrangement < choices ? arrangement : choices;
}

Integer maxout_single_lower(std::size_t n0, std::size_t units, std::size_t rank) {
  return power(Integer(static_cast<unsigned long>(rank)), std::min(n0, units));
}

Integer maxout_deep_lower(std::size_t layers, std::size_t n0, std::size_t rank) {
  return power(Integer(static_cast<unsigned long>(rank)), layers - 1 + n0);
}

Integer montufar_lower(std::size_t n0, const std::vector<std::size_t>& widths) {
  if (widths.empty()) throw std::invalid_argument("a network needs at least one hidden layer");
  if (n0 == 0) throw std::invalid_argument("input dimension is 0");
  Integer bound = theorem1(n0, widths.back());
  for (std::size_t i = 0; i + 1 < widths.size(); ++i)
    bound *= power(Integer(static_cast<unsigned long>(widths[i] / n0)), n0);
  return bound;
}

Integer serra_upper(std::size_t n0, const std::vector<std::size_t>& widths) {
  if (widths.empty()) throw std::invalid_argument("a network needs at least one hidden layer");
  // weight[m] = Σ of Π C(n_l, j_l) over the prefixes whose running bound min(n0, n_1 − j_1, …) is m.
  std::map<std::size_t, Integer> weight{{n0, Integer(1)}};
  for (std::size_t n : widths) {
    std::map<std::size_t, Integer> next;
    for (const auto& [bound, w] : weight)
      for (std::size_t j = 0; j <= std::min(bound, n); ++j) {
        const Integer term = w * binomial(n, j);
        next[std::min(bound, n - j)] += term;
      }
    weight = std::move(next);
  }
  Integer sum = 0;
  for (const auto& entry : weight) sum += entry.second;
  return sum;
}

Integer cnn_parameters(const Shape& input, const std::vector<ConvSpec>& layers) {
  Integer count = 0;
  Shape shape = input;
  for (const ConvSpec& conv : layers) {
    const Shape next = conv_output(shape, conv);
    const unsigned long per_filter =
        static_cast<unsigned long>(conv.kernel_h * conv.kernel_w * shape.channels + 1);
    count += Integer(static_cast<unsigned long>(conv.filters)) * per_filter;
    shape = next;
  }
  return count;
}

Integer fc_parameters(std::size_t n0, const std::vector<std::size_t>& widths) {
  Integer count = 0;
  std::size_t previous = n0;
  for (std::size_t n : widths) {
    count += Integer(static_cast<unsigned long>(n)) * static_cast<unsigned long>(previous + 1);
    previous = n;
  }
  return count;
}

}  // namespace chamber

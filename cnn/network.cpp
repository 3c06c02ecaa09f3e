#include "cnn/network.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <numeric>
#include <optional>
#include <set>

namespace chamber {

// ---------------------------------------------------------------------------------------------- model

Shape conv_output_shape(const Shape& input, const Conv2d& conv) {
  const std::size_t extent_h = conv.dilation_h * (conv.kernel_h - 1) + 1, extent_w = conv.dilation_w * (conv.kernel_w - 1) + 1;
  return Shape{conv.out_channels, (input.height + 2 * conv.pad_h - extent_h) / conv.stride_h + 1,
               (input.width + 2 * conv.pad_w - extent_w) / conv.stride_w + 1};
}

Shape output_shape(const Shape& input, const AffineStep& step) {
  if (const auto* pool = std::get_if<AvgPool2d>(&step))
    return Shape{input.channels, (input.height + 2 * pool->pad_h - pool->kernel_h) / pool->stride_h + 1,
                 (input.width + 2 * pool->pad_w - pool->kernel_w) / pool->stride_w + 1};
  if (std::holds_alternative<Flatten>(step)) return Shape{input.size(), 1, 1};
  return input;  // batch-norm
}

namespace {

Shape after_steps(Shape shape, const std::vector<AffineStep>& steps) {
  for (const AffineStep& step : steps) shape = output_shape(shape, step);
  return shape;
}

const std::vector<AffineStep>& before_steps(const Layer& layer) {
  return std::visit([](const auto& l) -> const std::vector<AffineStep>& { return l.before; }, layer);
}

const std::vector<AffineStep>& after_steps_of(const Layer& layer) {
  return std::visit([](const auto& l) -> const std::vector<AffineStep>& { return l.after; }, layer);
}

/*! one output of an affine map: bias + Σ coefficient · input[index] (indices ascending, no zero coefficient). */
struct SparseRow {
  Rational bias;
  std::vector<std::pair<std::size_t, Rational>> terms;
};
using SparseMap = std::vector<SparseRow>;

/*! calls visit(k, i, j, weight index, input index) for every weight of `conv` that reads a real (not padded) input. */
template <class Visit>
void for_each_conv_tap(const Conv2d& conv, const Shape& in, const Shape& out, Visit&& visit) {
  const std::size_t per_group_in = in.channels / conv.groups, per_group_out = conv.out_channels / conv.groups;
  for (std::size_t k = 0; k < out.channels; ++k)
    for (std::size_t i = 0; i < out.height; ++i)
      for (std::size_t j = 0; j < out.width; ++j)
        for (std::size_t c = 0; c < per_group_in; ++c) {
          const std::size_t channel = (k / per_group_out) * per_group_in + c;
          for (std::size_t a = 0; a < conv.kernel_h; ++a) {
            const std::size_t r = i * conv.stride_h + a * conv.dilation_h;  // row in the padded input
            if (r < conv.pad_h || r - conv.pad_h >= in.height) continue;
            for (std::size_t b = 0; b < conv.kernel_w; ++b) {
              const std::size_t s = j * conv.stride_w + b * conv.dilation_w;
              if (s < conv.pad_w || s - conv.pad_w >= in.width) continue;
              visit(k, i, j, ((k * per_group_in + c) * conv.kernel_h + a) * conv.kernel_w + b,
                    (channel * in.height + r - conv.pad_h) * in.width + s - conv.pad_w);
            }
          }
        }
}

/*! calls visit(c, i, j, input index) for every real input in the window of output (c, i, j) of `pool`. */
template <class Visit>
void for_each_pool_tap(const AvgPool2d& pool, const Shape& in, const Shape& out, Visit&& visit) {
  for (std::size_t c = 0; c < out.channels; ++c)
    for (std::size_t i = 0; i < out.height; ++i)
      for (std::size_t j = 0; j < out.width; ++j)
        for (std::size_t a = 0; a < pool.kernel_h; ++a) {
          const std::size_t r = i * pool.stride_h + a;
          if (r < pool.pad_h || r - pool.pad_h >= in.height) continue;
          for (std::size_t b = 0; b < pool.kernel_w; ++b) {
            const std::size_t s = j * pool.stride_w + b;
            if (s < pool.pad_w || s - pool.pad_w >= in.width) continue;
            visit(c, i, j, (c * in.height + r - pool.pad_h) * in.width + s - pool.pad_w);
          }
        }
}

SparseMap step_map(const AffineStep& step, const Shape& in) {
  const Shape out = output_shape(in, step);
  SparseMap map(out.size());
  if (const auto* pool = std::get_if<AvgPool2d>(&step)) {
    const Rational weight(1, static_cast<unsigned long>(pool->kernel_h * pool->kernel_w));
    for_each_pool_tap(*pool, in, out, [&](std::size_t c, std::size_t i, std::size_t j, std::size_t x) {
      map[(c * out.height + i) * out.width + j].terms.emplace_back(x, weight);
    });
    for (SparseRow& row : map) std::sort(row.terms.begin(), row.terms.end(), [](const auto& p, const auto& q) {
      return p.first < q.first;
    });
  } else if (const auto* norm = std::get_if<BatchNorm>(&step)) {
    const std::size_t area = in.height * in.width;
    for (std::size_t c = 0; c < in.channels; ++c) {
      const Rational scale = norm->scale(c), shift = norm->shift(c);
      for (std::size_t p = 0; p < area; ++p) {
        map[c * area + p].bias = shift;
        if (sgn(scale) != 0) map[c * area + p].terms.emplace_back(c * area + p, scale);
      }
    }
  } else {
    for (std::size_t x = 0; x < in.size(); ++x) map[x].terms.emplace_back(x, Rational(1));
  }
  return map;
}

SparseMap core_map(const Layer& layer, const Shape& in) {
  SparseMap map;
  if (const auto* conv = std::get_if<Conv2d>(&layer)) {
    const Shape out = conv_output_shape(in, *conv);
    map.resize(out.size());
    for (std::size_t u = 0; u < map.size(); ++u) map[u].bias = conv->bias[u / (out.height * out.width)];
    for_each_conv_tap(*conv, in, out, [&](std::size_t k, std::size_t i, std::size_t j, std::size_t w, std::size_t x) {
      if (sgn(conv->weight[w]) != 0) map[(k * out.height + i) * out.width + j].terms.emplace_back(x, conv->weight[w]);
    });
    for (SparseRow& row : map) std::sort(row.terms.begin(), row.terms.end(), [](const auto& p, const auto& q) {
      return p.first < q.first;
    });
    return map;
  }
  const auto& linear = std::get<Linear>(layer);
  map.resize(linear.out_features);
  for (std::size_t u = 0; u < linear.out_features; ++u) {
    map[u].bias = linear.bias[u];
    for (std::size_t x = 0; x < linear.in_features; ++x)
      if (const Rational& w = linear.weight[u * linear.in_features + x]; sgn(w) != 0) map[u].terms.emplace_back(x, w);
  }
  return map;
}

/*! returns outer ∘ inner, where inner maps `inputs` values. */
SparseMap compose(const SparseMap& outer, const SparseMap& inner, std::size_t inputs) {
  SparseMap result(outer.size());
  std::vector<Rational> sum(inputs);
  std::vector<bool> touched(inputs, false);
  std::vector<std::size_t> used;
  for (std::size_t u = 0; u < outer.size(); ++u) {
    SparseRow& row = result[u];
    row.bias = outer[u].bias;
    used.clear();
    for (const auto& [j, c] : outer[u].terms) {
      const SparseRow& term = inner[j];
      if (sgn(term.bias) != 0) row.bias += c * term.bias;
      for (const auto& [x, w] : term.terms) {
        if (!touched[x]) {
          touched[x] = true;
          used.push_back(x);
          sum[x] = 0;
        }
        sum[x] += c * w;
      }
    }
    std::sort(used.begin(), used.end());
    for (std::size_t x : used) {
      touched[x] = false;
      if (sgn(sum[x]) != 0) row.terms.emplace_back(x, sum[x]);
    }
  }
  return result;
}

/*! returns the map of `steps` then `core` (if any) then `after` on an input of shape `in`, composed. */
SparseMap composed_map(const std::vector<AffineStep>& steps, const Layer* core, const Shape& in) {
  std::optional<SparseMap> map;
  Shape shape = in;
  auto add = [&](SparseMap next, const Shape& next_shape) {
    map = map ? compose(next, *map, in.size()) : std::move(next);
    shape = next_shape;
  };
  for (const AffineStep& step : steps) add(step_map(step, shape), output_shape(shape, step));
  if (core) {
    const Shape out = std::holds_alternative<Conv2d>(*core)
                          ? conv_output_shape(shape, std::get<Conv2d>(*core))
                          : Shape{std::get<Linear>(*core).out_features, 1, 1};
    add(core_map(*core, shape), out);
    for (const AffineStep& step : after_steps_of(*core)) add(step_map(step, shape), output_shape(shape, step));
  }
  if (!map) {  // no step at all: the identity
    map.emplace(in.size());
    for (std::size_t x = 0; x < in.size(); ++x) (*map)[x].terms.emplace_back(x, Rational(1));
  }
  return std::move(*map);
}

std::vector<RationalVector> dense_rows(const SparseMap& map, std::size_t inputs) {
  std::vector<RationalVector> rows;
  rows.reserve(map.size());
  for (const SparseRow& sparse : map) {
    RationalVector row(inputs + 1);
    row[0] = sparse.bias;
    for (const auto& [x, w] : sparse.terms) row[1 + x] = w;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string step_name(const AffineStep& step) {
  if (std::holds_alternative<BatchNorm>(step)) return "batchnorm";
  if (std::holds_alternative<AvgPool2d>(step)) return "avgpool2d";
  return "flatten";
}

std::string pair_text(std::size_t h, std::size_t w) { return std::to_string(h) + "x" + std::to_string(w); }

const char* layer_kind(const Layer& layer) {
  if (std::holds_alternative<Conv2d>(layer)) return "conv2d";
  if (std::holds_alternative<Linear>(layer)) return "linear";
  return std::holds_alternative<MaxPool2d>(layer) ? "maxpool2d" : "maxout";
}

}  // namespace

Shape output_shape(const Shape& input, const Layer& layer) {
  const Shape in = after_steps(input, before_steps(layer));
  if (const auto* conv = std::get_if<Conv2d>(&layer)) return after_steps(conv_output_shape(in, *conv), conv->after);
  if (const auto* pool = std::get_if<MaxPool2d>(&layer))
    return Shape{in.channels, (in.height + 2 * pool->pad_h - pool->kernel_h) / pool->stride_h + 1,
                 (in.width + 2 * pool->pad_w - pool->kernel_w) / pool->stride_w + 1};
  if (const auto* maxout = std::get_if<Maxout>(&layer)) return Shape{maxout->out_features, 1, 1};
  const auto& linear = std::get<Linear>(layer);
  return after_steps(Shape{linear.out_features, 1, 1}, linear.after);
}

std::vector<std::vector<std::size_t>> max_pieces(const MaxPool2d& pool, const Shape& in) {
  const AvgPool2d window{pool.kernel_h, pool.kernel_w, pool.stride_h, pool.stride_w, pool.pad_h, pool.pad_w};
  const Shape out = output_shape(in, AffineStep(window));
  std::vector<std::vector<std::size_t>> pieces(out.size());
  for_each_pool_tap(window, in, out, [&](std::size_t c, std::size_t i, std::size_t j, std::size_t x) {
    pieces[(c * out.height + i) * out.width + j].push_back(x);
  });
  return pieces;
}

std::string beyond_closed_forms(const Layer& layer) {
  if (std::holds_alternative<MaxPool2d>(layer)) return "a maxpool2d layer (max units)";
  if (std::holds_alternative<Maxout>(layer)) return "maxout units";
  for (const AffineStep& step : before_steps(layer))
    if (!std::holds_alternative<Flatten>(step)) return "a " + step_name(step) + " before its main map";
  for (const AffineStep& step : after_steps_of(layer))
    if (!std::holds_alternative<Flatten>(step)) return "a " + step_name(step) + " before its ReLU";
  if (activation_of(layer).kind != Activation::Kind::relu)
    return std::string("a ") + activation_name(activation_of(layer)) + " activation instead of ReLU";
  if (const auto* conv = std::get_if<Conv2d>(&layer)) {
    if (conv->pad_h != 0 || conv->pad_w != 0) return "padding " + pair_text(conv->pad_h, conv->pad_w);
    if (conv->dilation_h != 1 || conv->dilation_w != 1) return "dilation " + pair_text(conv->dilation_h, conv->dilation_w);
    if (conv->groups != 1) return "groups " + std::to_string(conv->groups);
  }
  return {};
}

std::string beyond_closed_forms(const Network& network) {
  for (std::size_t l = 0; l < network.layers.size(); ++l)
    if (std::string why = beyond_closed_forms(network.layers[l]); !why.empty())
      return "layer " + std::to_string(l) + " (" + layer_kind(network.layers[l]) + ") has " + why;
  if (network.readout)
    for (const AffineStep& step : network.readout->before)
      if (!std::holds_alternative<Flatten>(step)) return "the read-out has a " + step_name(step) + " before it";
  return {};
}

Shape Network::layer_input_shape(std::size_t layer) const {
  Shape shape = input;
  for (std::size_t l = 0; l < layer; ++l) shape = output_shape(shape, layers[l]);
  return shape;
}

Shape Network::layer_output_shape(std::size_t layer) const {
  return output_shape(layer_input_shape(layer), layers[layer]);
}

std::vector<Shape> Network::layer_shapes() const {
  std::vector<Shape> shapes;
  Shape shape = input;
  for (const Layer& layer : layers) {
    shape = output_shape(shape, layer);
    shapes.push_back(shape);
  }
  return shapes;
}

std::size_t Network::hidden_neurons() const {
  std::size_t total = 0;
  for (std::size_t l = 0; l < layers.size(); ++l) total += layer_neurons(l);
  return total;
}

ActivationPieces piecewise_linear(const Activation& activation, std::size_t channel) {
  switch (activation.kind) {
    case Activation::Kind::relu:
      return {{Rational(0)}, {Rational(0), Rational(1)}, Rational(0)};
    case Activation::Kind::leaky_relu:
      return {{Rational(0)}, {activation.slope.at(0), Rational(1)}, Rational(0)};
    case Activation::Kind::prelu:
      return {{Rational(0)}, {activation.slope.at(activation.slope.size() == 1 ? 0 : channel), Rational(1)}, Rational(0)};
    case Activation::Kind::hardtanh:
      return {{activation.min_val, activation.max_val}, {Rational(0), Rational(1), Rational(0)}, activation.min_val};
    case Activation::Kind::relu6:
      return {{Rational(0), Rational(6)}, {Rational(0), Rational(1), Rational(0)}, Rational(0)};
  }
  throw InternalError("unknown activation");
}

std::size_t breakpoints(const Activation& activation) {
  return activation.kind == Activation::Kind::hardtanh || activation.kind == Activation::Kind::relu6 ? 2 : 1;
}

const char* activation_name(const Activation& activation) {
  switch (activation.kind) {
    case Activation::Kind::relu: return "relu";
    case Activation::Kind::leaky_relu: return "leaky_relu";
    case Activation::Kind::prelu: return "prelu";
    case Activation::Kind::hardtanh: return "hardtanh";
    case Activation::Kind::relu6: return "relu6";
  }
  return "?";
}

const Activation& activation_of(const Layer& layer) {
  return std::visit([](const auto& main) -> const Activation& { return main.activation; }, layer);
}

std::size_t Network::layer_neurons(std::size_t layer) const {
  if (is_max_layer(layers.at(layer))) {
    const std::vector<std::size_t> slots = max_slots(*this, layer);
    return std::accumulate(slots.begin(), slots.end(), std::size_t{0});
  }
  return layer_output_shape(layer).size() * breakpoints(activation_of(layers.at(layer)));
}

bool Network::relu_only() const {
  return std::all_of(layers.begin(), layers.end(), [](const Layer& layer) {
    return !is_max_layer(layer) && activation_of(layer).kind == Activation::Kind::relu;
  });
}

std::vector<RationalVector> unit_rows(const Network& network, std::size_t layer) {
  const Shape in = network.layer_input_shape(layer);
  const Layer& l = network.layers.at(layer);
  if (const auto* maxout = std::get_if<Maxout>(&l)) {
    // One row per piece, unit by unit: the pieces as a linear map of U·k outputs after the before steps.
    const Layer pieces = Linear{maxout->out_features * maxout->pieces, maxout->in_features, maxout->weight,
                                maxout->bias, {}, {}, {}};
    return dense_rows(composed_map(maxout->before, &pieces, in), in.size());
  }
  if (const auto* pool = std::get_if<MaxPool2d>(&l)) {
    // One row per piece: the pooled input, an affine form of the layer input through the before steps.
    const std::vector<RationalVector> before = dense_rows(composed_map(pool->before, nullptr, in), in.size());
    std::vector<RationalVector> rows;
    for (const std::vector<std::size_t>& pieces : max_pieces(*pool, after_steps(in, pool->before)))
      for (std::size_t x : pieces) rows.push_back(before[x]);
    return rows;
  }
  return dense_rows(composed_map(before_steps(l), &l, in), in.size());
}

namespace {

/*! the layer a hidden layer reads: the network input (activation null, no slots), an activation layer, or a max
 * layer (its units' slot counts). */
struct InputLayer {
  const Activation* activation = nullptr;
  std::vector<std::size_t> slots = {};  // a max layer: the slots of each unit
  std::size_t area = 1;                 // units per channel
};

InputLayer input_layer(const Network& network, std::size_t layer) {
  InputLayer input;
  if (layer == 0) return input;
  const Layer& previous = network.layers[layer - 1];
  const Shape out = network.layer_output_shape(layer - 1);
  input.area = out.height * out.width;
  if (is_max_layer(previous)) {
    input.slots = max_slots(network, layer - 1);
  } else {
    input.activation = &activation_of(previous);
  }
  return input;
}

/*! rewrites `units`, rows (b, w) over the units of the layer before (`input`), as rows over that layer's neurons:
 * - after an activation, φ_u(z) = value + s_0·n_{u,1} + Σ_i Δ_i·max(0, n_{u,i}) puts w_u·value into b, w_u·s_0 on
 *   n_{u,1} as it is, and w_u·Δ_i on the rectified n_{u,i};
 * - after a max layer, w_u goes on every slot of unit u: a slot passes on its piece when it is the one the unit takes
 *   (layer_forms), so the sum is w_u times the maximum.
 * Then splits every row into the neurons of `own` (null: max pieces or a read-out, kept as they are): row − t_i for
 * each breakpoint t_i of its unit. */
NeuronRows expand_rows(std::vector<RationalVector> units, const InputLayer& input, const Activation* own,
                       std::size_t own_area) {
  NeuronRows result;
  std::vector<RationalVector> gated = std::move(units);
  std::vector<RationalVector> linear;
  if (!input.slots.empty()) {
    std::size_t total = 0;
    for (std::size_t k : input.slots) total += k;
    for (RationalVector& row : gated) {
      RationalVector g(1 + total);
      g[0] = row[0];
      std::size_t slot = 0;
      for (std::size_t u = 0; u < input.slots.size(); ++u)
        for (std::size_t i = 0; i < input.slots[u]; ++i) g[1 + slot++] = row[1 + u];
      row = std::move(g);
    }
  } else if (input.activation != nullptr && input.activation->kind != Activation::Kind::relu) {
    const std::size_t m = breakpoints(*input.activation);
    const std::size_t inputs = gated.empty() ? 0 : gated.front().size() - 1;
    std::vector<ActivationPieces> pieces;
    for (std::size_t c = 0; c * input.area < inputs; ++c) pieces.push_back(piecewise_linear(*input.activation, c));
    bool any_linear = false;
    for (const ActivationPieces& f : pieces) any_linear = any_linear || sgn(f.slopes[0]) != 0;
    for (RationalVector& row : gated) {
      RationalVector g(1 + inputs * m), lin;
      if (any_linear) lin.assign(g.size(), 0);
      g[0] = row[0];
      for (std::size_t u = 0; u < inputs; ++u) {
        const Rational& w = row[1 + u];
        if (sgn(w) == 0) continue;
        const ActivationPieces& f = pieces[u / input.area];
        g[0] += w * f.value;
        if (any_linear) lin[1 + u * m] = w * f.slopes[0];
        for (std::size_t i = 0; i < m; ++i) g[1 + u * m + i] = w * (f.slopes[i + 1] - f.slopes[i]);
      }
      row = std::move(g);
      if (any_linear) linear.push_back(std::move(lin));
    }
  }
  if (own == nullptr || breakpoints(*own) == 1) {  // one breakpoint, at 0: the unit is its neuron
    result.gated = std::move(gated);
    result.linear = std::move(linear);
    return result;
  }
  for (std::size_t u = 0; u < gated.size(); ++u) {
    const ActivationPieces f = piecewise_linear(*own, u / own_area);
    for (const Rational& t : f.breakpoints) {
      result.gated.push_back(gated[u]);
      result.gated.back()[0] -= t;
      if (!linear.empty()) result.linear.push_back(linear[u]);
    }
  }
  return result;
}

}  // namespace

NeuronRows neuron_rows(const Network& network, std::size_t layer) {
  const Shape out = network.layer_output_shape(layer);
  const Layer& l = network.layers.at(layer);
  NeuronRows rows = expand_rows(unit_rows(network, layer), input_layer(network, layer),
                                is_max_layer(l) ? nullptr : &activation_of(l), out.height * out.width);
  rows.slots = max_slots(network, layer);
  return rows;
}

std::vector<std::size_t> max_slots(const Network& network, std::size_t layer) {
  std::vector<std::size_t> slots;
  if (const auto* maxout = std::get_if<Maxout>(&network.layers.at(layer)))
    slots.assign(maxout->out_features, maxout->pieces);
  if (const auto* pool = std::get_if<MaxPool2d>(&network.layers.at(layer)))
    for (const auto& pieces : max_pieces(*pool, after_steps(network.layer_input_shape(layer), pool->before)))
      slots.push_back(pieces.size());
  return slots;
}

std::vector<NeuronRows> neuron_layers(const Network& network) {
  std::vector<NeuronRows> layers;
  for (std::size_t l = 0; l < network.layers.size(); ++l) layers.push_back(neuron_rows(network, l));
  return layers;
}

std::vector<RationalVector> affine_rows(const Network& network, std::size_t layer) {
  NeuronRows rows = neuron_rows(network, layer);
  if (!rows.linear.empty()) throw InternalError("affine_rows: the layer before has a slope on its negative side");
  return std::move(rows.gated);
}

std::vector<RationalVector> readout_rows(const Network& network) {
  const Shape in = network.layers.empty() ? network.input : network.layer_output_shape(network.layers.size() - 1);
  const Linear& readout = network.readout.value();
  const Layer core = Linear{readout.out_features, readout.in_features, readout.weight, readout.bias, {}, {}};
  return dense_rows(composed_map(readout.before, &core, in), in.size());
}

NeuronRows readout_neuron_rows(const Network& network) {
  return expand_rows(readout_rows(network), input_layer(network, network.layers.size()), nullptr, 1);
}

LayerArrangement first_layer_arrangement(const Network& network) {
  LayerArrangement result;
  std::vector<Hyperplane> hyperplanes;
  std::vector<RationalVector> rows = affine_rows(network, 0);
  for (std::size_t neuron = 0; neuron < rows.size(); ++neuron) {
    Hyperplane h = Hyperplane::from_rationals(rows[neuron]);
    if (h.has_zero_normal()) {
      result.constant_neurons.push_back(neuron);
      continue;
    }
    hyperplanes.push_back(std::move(h));
    result.neuron_of_hyperplane.push_back(neuron);
  }
  result.arrangement = Arrangement(network.input_dimension(), hyperplanes, &result.merge);
  return result;
}

namespace {

// The forward pass applies each map in turn, layer by layer, without composing them: tests compare it with
// affine_rows, which composes.

RationalVector apply_step(const AffineStep& step, const Shape& in, const RationalVector& y) {
  const Shape out = output_shape(in, step);
  if (const auto* pool = std::get_if<AvgPool2d>(&step)) {
    RationalVector z(out.size());
    for_each_pool_tap(*pool, in, out, [&](std::size_t c, std::size_t i, std::size_t j, std::size_t x) {
      if (sgn(y[x]) != 0) z[(c * out.height + i) * out.width + j] += y[x];
    });
    const Rational area(static_cast<unsigned long>(pool->kernel_h * pool->kernel_w));
    for (Rational& v : z) v /= area;
    return z;
  }
  if (const auto* norm = std::get_if<BatchNorm>(&step)) {
    RationalVector z(out.size());
    const std::size_t area = in.height * in.width;
    for (std::size_t x = 0; x < z.size(); ++x) {
      const std::size_t c = x / area;
      z[x] = (y[x] - norm->running_mean[c]) * norm->weight[c] / norm->sigma[c] + norm->bias[c];
    }
    return z;
  }
  return y;  // flatten
}

/*! returns the pre-activations of `layer` on the (post-ReLU) input `y` of shape `in`. */
RationalVector apply_layer(const Layer& layer, const Shape& in, const RationalVector& y) {
  RationalVector current = y;
  Shape shape = in;
  for (const AffineStep& step : before_steps(layer)) {
    current = apply_step(step, shape, current);
    shape = output_shape(shape, step);
  }
  RationalVector z;
  if (const auto* conv = std::get_if<Conv2d>(&layer)) {
    const Shape out = conv_output_shape(shape, *conv);
    z.resize(out.size());
    for (std::size_t u = 0; u < z.size(); ++u) z[u] = conv->bias[u / (out.height * out.width)];
    for_each_conv_tap(*conv, shape, out, [&](std::size_t k, std::size_t i, std::size_t j, std::size_t w, std::size_t x) {
      if (sgn(conv->weight[w]) != 0 && sgn(current[x]) != 0)
        z[(k * out.height + i) * out.width + j] += conv->weight[w] * current[x];
    });
    shape = out;
  } else {
    const auto& linear = std::get<Linear>(layer);
    z.reserve(linear.out_features);
    for (std::size_t u = 0; u < linear.out_features; ++u) {
      Rational sum = linear.bias[u];
      for (std::size_t x = 0; x < linear.in_features; ++x) {
        const Rational& w = linear.weight[u * linear.in_features + x];
        if (sgn(w) != 0 && sgn(current[x]) != 0) sum += w * current[x];
      }
      z.push_back(sum);
    }
    shape = Shape{linear.out_features, 1, 1};
  }
  for (const AffineStep& step : after_steps_of(layer)) {
    z = apply_step(step, shape, z);
    shape = output_shape(shape, step);
  }
  return z;
}

}  // namespace

std::vector<Rational> pre_activations(const Network& network, const RationalVector& x) {
  std::vector<Rational> all;
  RationalVector y = x;
  Shape shape = network.input;
  for (const Layer& layer : network.layers) {
    if (is_max_layer(layer)) {
      // The pieces evaluated directly (not through the composed rows); each unit takes its largest, the first among
      // equals, and slot s is p_c − p_s (≥ 0).
      RationalVector input = y;
      Shape in = shape;
      for (const AffineStep& step : before_steps(layer)) {
        input = apply_step(step, in, input);
        in = output_shape(in, step);
      }
      std::vector<std::vector<Rational>> units;
      if (const auto* maxout = std::get_if<Maxout>(&layer)) {
        const std::size_t k = maxout->pieces, inputs = maxout->in_features;
        for (std::size_t u = 0; u < maxout->out_features; ++u) {
          std::vector<Rational>& values = units.emplace_back();
          for (std::size_t j = 0; j < k; ++j) {
            Rational sum = maxout->bias[u * k + j];
            for (std::size_t x = 0; x < inputs; ++x) sum += maxout->weight[(u * k + j) * inputs + x] * input[x];
            values.push_back(std::move(sum));
          }
        }
      } else {
        for (const std::vector<std::size_t>& pieces : max_pieces(std::get<MaxPool2d>(layer), in)) {
          std::vector<Rational>& values = units.emplace_back();
          for (std::size_t x : pieces) values.push_back(input[x]);
        }
      }
      RationalVector z;
      for (const std::vector<Rational>& values : units) {
        const Rational top = *std::max_element(values.begin(), values.end());
        for (const Rational& v : values) all.push_back(top - v);
        z.push_back(top);
      }
      y = std::move(z);
      shape = output_shape(shape, layer);
      continue;
    }
    RationalVector z = apply_layer(layer, shape, y);
    shape = output_shape(shape, layer);
    const Activation& activation = activation_of(layer);
    const std::size_t area = shape.height * shape.width;
    for (std::size_t u = 0; u < z.size(); ++u) {
      // φ evaluated directly (min/max), not through the neuron expansion the rows use: the tests compare the two.
      const ActivationPieces f = piecewise_linear(activation, u / area);
      for (const Rational& t : f.breakpoints) all.push_back(z[u] - t);
      if (activation.kind == Activation::Kind::hardtanh || activation.kind == Activation::Kind::relu6)
        z[u] = std::min(std::max(z[u], f.breakpoints[0]), f.breakpoints[1]);
      else if (sgn(z[u]) < 0)
        z[u] *= f.slopes[0];
    }
    y = std::move(z);
  }
  return all;
}

std::string activation_pattern(const Network& network, const RationalVector& x) {
  std::string pattern;
  for (const Rational& v : pre_activations(network, x)) pattern += sgn(v) > 0 ? '+' : sgn(v) < 0 ? '-' : '0';
  return pattern;
}

// ---------------------------------------------------------------------------------------------- reader

namespace {

using nlohmann::json;

const char* const format_name = "chamber-network";

/*! the file name and the JSON path of the value being read, for error messages. */
struct Where {
  const std::string& name;
  std::string path;  // empty at the top level
  std::size_t* total_bits = nullptr;  // bits of the numbers read so far from this file (max_total_bits)

  Where field(const std::string& key) const { return Where{name, path.empty() ? key : path + "." + key, total_bits}; }
  Where index(std::size_t i) const { return Where{name, path + "[" + std::to_string(i) + "]", total_bits}; }
  [[noreturn]] void fail(const std::string& reason) const {
    throw InputError(name + ": " + (path.empty() ? std::string("top level") : path) + ": " + reason);
  }
};

std::string describe(const json& value) { return describe_json(value); }

Rational read_number(const json& value, const Where& where);

/*! counts the bits of `q` against the file's cap and returns it. */
Rational counted(Rational q, const Where& where) {
  if (where.total_bits) add_bits(*where.total_bits, bit_size(q), where.name);
  return q;
}

Rational read_number(const json& value, const Where& where) {
  Rational q;
  switch (value.type()) {
    case json::value_t::number_integer:
      q = Integer(std::to_string(value.get<std::int64_t>()));
      return counted(q, where);
    case json::value_t::number_unsigned:
      q = Integer(std::to_string(value.get<std::uint64_t>()));
      return counted(q, where);
    case json::value_t::number_float: {
      double d = value.get<double>();
      if (!std::isfinite(d)) where.fail("expected a finite number, found " + value.dump());
      mpq_set_d(q.get_mpq_t(), d);  // exact: a binary64 is a dyadic rational
      return counted(q, where);
    }
    case json::value_t::string: {
      std::string why;
      auto parsed = parse_rational(value.get_ref<const std::string&>(), &why);
      if (!parsed && !why.empty()) where.fail(describe(value) + " refused: " + why);
      if (!parsed) where.fail("expected a number (integer, \"p/q\" or decimal), found " + describe(value));
      return counted(*parsed, where);
    }
    default:
      where.fail("expected a number (integer, float or string \"p/q\"), found " + describe(value));
  }
}

const json& require(const json& object, const std::string& key, const Where& where) {
  auto it = object.find(key);
  if (it == object.end()) where.fail("missing field \"" + key + "\"");
  return *it;
}

std::size_t read_size(const json& value, const Where& where, std::size_t min) {
  // parsed non-negative integers are unsigned, but programmatically built ones may be signed
  if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<std::int64_t>() < 0))
    where.fail("expected a non-negative integer, found " + describe(value));
  std::uint64_t v = value.get<std::uint64_t>();
  if (v < min) where.fail("must be at least " + std::to_string(min) + ", found " + std::to_string(v));
  if (v > max_network_tensor_entries)
    where.fail(std::to_string(v) + " exceeds the limit of " + std::to_string(max_network_tensor_entries));
  return static_cast<std::size_t>(v);
}

/*! reads an int (square) or a pair [h, w], each at least `min`; `what` names the field in messages ("stride"). */
std::pair<std::size_t, std::size_t> read_pair(const json& value, const Where& where, const std::string& what,
                                              std::size_t min = 1) {
  const std::string least = what + " must be at least " + std::to_string(min) + ", found ";
  if (value.is_array()) {
    if (value.size() != 2)
      where.fail("expected " + what + " as an integer or [height, width], found " + std::to_string(value.size()) +
                 " entries");
    for (std::size_t d = 0; d < 2; ++d)
      if (value[d].is_number_integer() && !value[d].is_number_unsigned() && value[d].get<std::int64_t>() < 0)
        where.index(d).fail(least + value[d].dump());
    std::size_t h = read_size(value[0], where.index(0), 0), w = read_size(value[1], where.index(1), 0);
    if (h < min || w < min) where.fail(least + "[" + std::to_string(h) + ", " + std::to_string(w) + "]");
    return {h, w};
  }
  if (!value.is_number_integer()) where.fail("expected " + what + " as an integer or [height, width], found " +
                                             describe(value));
  if (!value.is_number_unsigned() && value.get<std::int64_t>() < 0) where.fail(least + value.dump());
  std::size_t v = read_size(value, where, 0);
  if (v < min) where.fail(least + std::to_string(v));
  return {v, v};
}

/*! multiplies sizes, failing at `where` when the product exceeds the tensor limit. */
std::size_t checked_product(std::initializer_list<std::size_t> factors, const Where& where, const std::string& what) {
  std::size_t product = 1;
  for (std::size_t f : factors) {
    if (f != 0 && product > max_network_tensor_entries / f)
      where.fail(what + " has more than " + std::to_string(max_network_tensor_entries) + " entries");
    product *= f;
  }
  if (product > max_network_tensor_entries)
    where.fail(what + " has more than " + std::to_string(max_network_tensor_entries) + " entries");
  return product;
}

struct Dimension {
  std::size_t size;
  std::string meaning;
};

void read_tensor(const json& value, const std::vector<Dimension>& dims, std::size_t depth, const Where& where,
                 std::vector<Rational>& out) {
  if (depth == dims.size()) {
    out.push_back(read_number(value, where));
    return;
  }
  const Dimension& d = dims[depth];
  if (!value.is_array())
    where.fail("expected an array of " + std::to_string(d.size) + " entries (" + d.meaning + "), found " +
               describe(value));
  if (value.size() != d.size)
    where.fail("expected " + std::to_string(d.size) + " entries (" + d.meaning + "), found " +
               std::to_string(value.size()));
  for (std::size_t i = 0; i < d.size; ++i) read_tensor(value[i], dims, depth + 1, where.index(i), out);
}

/*! rejects keys outside `allowed` (a misspelt field must not be silently ignored); `context` ends the message. */
void check_fields(const json& object, const std::set<std::string>& allowed, const Where& where,
                  const std::string& context) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (!allowed.count(it.key())) where.field(it.key()).fail("unknown field " + context);
}

/*! fails at `where` unless a window of extent (extent_h, extent_w) fits the input padded by (pad_h, pad_w). */
void check_window(const Shape& in, std::size_t extent_h, std::size_t extent_w, std::size_t pad_h, std::size_t pad_w,
                  const std::string& what, const Where& where) {
  if (extent_h <= in.height + 2 * pad_h && extent_w <= in.width + 2 * pad_w) return;
  if (pad_h == 0 && pad_w == 0)
    where.fail(what + " " + std::to_string(extent_h) + "x" + std::to_string(extent_w) + " is larger than the " +
               std::to_string(in.height) + "x" + std::to_string(in.width) + " input of this layer");
  where.fail(what + " " + std::to_string(extent_h) + "x" + std::to_string(extent_w) + " is larger than the " +
             std::to_string(in.height) + "x" + std::to_string(in.width) + " input of this layer padded to " +
             std::to_string(in.height + 2 * pad_h) + "x" + std::to_string(in.width + 2 * pad_w));
}

/*! reads the optional "relu" of a layer (`otherwise` when absent); a layer with an "activation" is closed by it
 * ("relu": false beside it is refused). */
bool read_relu(const json& object, const Where& where, bool otherwise) {
  auto it = object.find("relu");
  const bool has_activation = object.contains("activation");
  if (it == object.end()) return otherwise || has_activation;
  if (!it->is_boolean()) where.field("relu").fail("expected true or false, found " + describe(*it));
  if (has_activation && !it->get<bool>())
    where.field("relu").fail("\"relu\": false beside an \"activation\" (the activation closes the hidden layer)");
  return it->get<bool>() || has_activation;
}

/*! reads the optional "activation" of a layer closing a hidden layer whose output has `channels` channels: a name
 * ("relu", "relu6", "hardtanh" = [-1, 1], "leaky_relu" = slope 0.01) or an object {"type", parameters}. */
Activation read_activation(const json& object, std::size_t channels, const Where& outer) {
  Activation activation;
  auto it = object.find("activation");
  if (it == object.end()) return activation;
  const Where where = outer.field("activation");
  const json* parameters = nullptr;
  std::string type;
  if (it->is_string()) {
    type = it->get<std::string>();
  } else if (it->is_object()) {
    parameters = &*it;
    type = require(*it, "type", where).is_string() ? (*it)["type"].get<std::string>() : "";
    if (type.empty()) where.field("type").fail("expected an activation name, found " + describe((*it)["type"]));
  } else {
    where.fail("expected an activation name or object, found " + describe(*it));
  }
  auto number = [&](const char* key, const std::string& otherwise) {
    if (parameters == nullptr || !parameters->contains(key)) return Rational(otherwise);
    return read_number((*parameters)[key], where.field(key));
  };
  if (type == "relu") {
    if (parameters != nullptr) check_fields(*parameters, {"type"}, where, "for relu");
  } else if (type == "relu6") {
    activation.kind = Activation::Kind::relu6;
    if (parameters != nullptr) check_fields(*parameters, {"type"}, where, "for relu6");
  } else if (type == "leaky_relu") {
    activation.kind = Activation::Kind::leaky_relu;
    if (parameters != nullptr) check_fields(*parameters, {"type", "negative_slope"}, where, "for leaky_relu");
    activation.slope = {number("negative_slope", "1/100")};
  } else if (type == "hardtanh") {
    activation.kind = Activation::Kind::hardtanh;
    if (parameters != nullptr) check_fields(*parameters, {"type", "min_val", "max_val"}, where, "for hardtanh");
    activation.min_val = number("min_val", "-1");
    activation.max_val = number("max_val", "1");
    if (!(activation.min_val < activation.max_val))
      where.fail("hardtanh needs min_val < max_val, found " + activation.min_val.get_str() + " and " +
                 activation.max_val.get_str());
  } else if (type == "prelu") {
    activation.kind = Activation::Kind::prelu;
    if (parameters == nullptr) where.fail("prelu needs its slopes: {\"type\": \"prelu\", \"weight\": [...]}");
    check_fields(*parameters, {"type", "weight"}, where, "for prelu");
    const json& weight = require(*parameters, "weight", where);
    if (!weight.is_array() || (weight.size() != 1 && weight.size() != channels))
      where.field("weight").fail("expected 1 or " + std::to_string(channels) +
                                 " slopes (one per channel of the layer output), found " + describe(weight));
    read_tensor(weight, {{weight.size(), "slopes"}}, 0, where.field("weight"), activation.slope);
  } else {
    (parameters != nullptr ? where.field("type") : where).fail(
        "unknown activation \"" + type.substr(0, 40) +
        "\" (expected \"relu\", \"leaky_relu\", \"prelu\", \"hardtanh\" or \"relu6\"; others are not piecewise linear "
        "or not supported)");
  }
  return activation;
}

Conv2d read_conv2d(const json& object, const Shape& in, const Where& where) {
  check_fields(object, {"type", "out_channels", "in_channels", "kernel_size", "stride", "padding", "dilation",
                        "groups", "weight", "bias", "relu", "activation"},
               where, "for a conv2d layer");
  Conv2d conv;
  conv.out_channels = read_size(require(object, "out_channels", where), where.field("out_channels"), 1);
  if (auto it = object.find("in_channels"); it != object.end()) {
    std::size_t c = read_size(*it, where.field("in_channels"), 1);
    if (c != in.channels)
      where.field("in_channels").fail("in_channels " + std::to_string(c) + " does not match the " +
                                      std::to_string(in.channels) + " channels of this layer's " + shape_text(in) +
                                      " input");
  }
  std::tie(conv.kernel_h, conv.kernel_w) =
      read_pair(require(object, "kernel_size", where), where.field("kernel_size"), "kernel_size");
  if (auto it = object.find("stride"); it != object.end())
    std::tie(conv.stride_h, conv.stride_w) = read_pair(*it, where.field("stride"), "stride");
  if (auto it = object.find("padding"); it != object.end())
    std::tie(conv.pad_h, conv.pad_w) = read_pair(*it, where.field("padding"), "padding", 0);
  if (auto it = object.find("dilation"); it != object.end())
    std::tie(conv.dilation_h, conv.dilation_w) = read_pair(*it, where.field("dilation"), "dilation");
  if (auto it = object.find("groups"); it != object.end()) {
    conv.groups = read_size(*it, where.field("groups"), 1);
    if (in.channels % conv.groups != 0 || conv.out_channels % conv.groups != 0)
      where.field("groups").fail("groups " + std::to_string(conv.groups) + " must divide the " +
                                 std::to_string(in.channels) + " input channels and the " +
                                 std::to_string(conv.out_channels) + " output channels");
  }
  // Sizes are at most max_network_tensor_entries (10^7): the extents below cannot overflow.
  const std::size_t extent_h = checked_product({conv.dilation_h, conv.kernel_h - 1}, where.field("dilation"),
                                               "the dilated kernel") + 1;
  const std::size_t extent_w = checked_product({conv.dilation_w, conv.kernel_w - 1}, where.field("dilation"),
                                               "the dilated kernel") + 1;
  const bool plain = conv.dilation_h == 1 && conv.dilation_w == 1;
  check_window(in, extent_h, extent_w, conv.pad_h, conv.pad_w, plain ? "kernel" : "dilated kernel extent",
               where.field("kernel_size"));
  const std::size_t per_group = in.channels / conv.groups;
  checked_product({conv.out_channels, per_group, conv.kernel_h, conv.kernel_w}, where.field("weight"),
                  "the weight tensor");
  Shape out = conv_output_shape(in, conv);
  checked_product({out.channels, out.height, out.width}, where, "the output " + shape_text(out));
  std::vector<Dimension> dims{{conv.out_channels, "output channels"},
                              {per_group, conv.groups == 1 ? "input channels"
                                                           : "input channels per group: " + std::to_string(in.channels) +
                                                                 " / groups " + std::to_string(conv.groups)},
                              {conv.kernel_h, "kernel height"},
                              {conv.kernel_w, "kernel width"}};
  conv.weight.reserve(conv.out_channels * per_group * conv.kernel_h * conv.kernel_w);
  read_tensor(require(object, "weight", where), dims, 0, where.field("weight"), conv.weight);
  read_tensor(require(object, "bias", where), {{conv.out_channels, "output channels"}}, 0, where.field("bias"),
              conv.bias);
  return conv;
}

BatchNorm read_batchnorm(const json& object, const Shape& in, const Where& where) {
  check_fields(object, {"type", "num_features", "weight", "bias", "running_mean", "sigma", "relu", "activation"}, where,
               "for a batchnorm layer");
  if (auto it = object.find("num_features"); it != object.end()) {
    std::size_t c = read_size(*it, where.field("num_features"), 1);
    if (c != in.channels)
      where.field("num_features").fail("num_features " + std::to_string(c) + " does not match the " +
                                       std::to_string(in.channels) + " channels of this layer's " + shape_text(in) +
                                       " input (after a flatten, every feature is a channel)");
  }
  BatchNorm norm;
  const std::vector<Dimension> dims{{in.channels, "channels of the " + shape_text(in) + " input"}};
  read_tensor(require(object, "weight", where), dims, 0, where.field("weight"), norm.weight);
  read_tensor(require(object, "bias", where), dims, 0, where.field("bias"), norm.bias);
  read_tensor(require(object, "running_mean", where), dims, 0, where.field("running_mean"), norm.running_mean);
  read_tensor(require(object, "sigma", where), dims, 0, where.field("sigma"), norm.sigma);
  for (std::size_t c = 0; c < norm.sigma.size(); ++c)
    if (sgn(norm.sigma[c]) <= 0)
      where.field("sigma").index(c).fail("sigma must be positive (it is sqrt(running_var + eps)), found " +
                                         to_string(norm.sigma[c]));
  return norm;
}

/*! reads an avgpool2d layer, or the window of a maxpool2d (`max`: no "relu" or "activation"). */
AvgPool2d read_avgpool2d(const json& object, const Shape& in, const Where& where, bool max = false) {
  if (max)
    check_fields(object, {"type", "kernel_size", "stride", "padding"}, where,
                 "for a maxpool2d layer (dilation 1, ceil_mode false; no activation follows a max layer)");
  else
    check_fields(object, {"type", "kernel_size", "stride", "padding", "relu", "activation"}, where,
                 "for an avgpool2d layer");
  AvgPool2d pool;
  std::tie(pool.kernel_h, pool.kernel_w) =
      read_pair(require(object, "kernel_size", where), where.field("kernel_size"), "kernel_size");
  std::tie(pool.stride_h, pool.stride_w) = std::pair{pool.kernel_h, pool.kernel_w};  // PyTorch's default
  if (auto it = object.find("stride"); it != object.end())
    std::tie(pool.stride_h, pool.stride_w) = read_pair(*it, where.field("stride"), "stride");
  if (auto it = object.find("padding"); it != object.end())
    std::tie(pool.pad_h, pool.pad_w) = read_pair(*it, where.field("padding"), "padding", 0);
  if (2 * pool.pad_h > pool.kernel_h || 2 * pool.pad_w > pool.kernel_w)
    where.field("padding").fail("padding " + std::to_string(pool.pad_h) + "x" + std::to_string(pool.pad_w) +
                                " is more than half the " + std::to_string(pool.kernel_h) + "x" +
                                std::to_string(pool.kernel_w) + " kernel (PyTorch refuses it too)");
  check_window(in, pool.kernel_h, pool.kernel_w, pool.pad_h, pool.pad_w, "kernel", where.field("kernel_size"));
  return pool;
}

Linear read_linear(const json& object, const Shape& in, std::size_t layer, const Where& where) {
  check_fields(object, {"type", "out_features", "in_features", "weight", "bias", "relu", "activation"}, where,
               "for a linear layer");
  Linear linear;
  linear.out_features = read_size(require(object, "out_features", where), where.field("out_features"), 1);
  linear.in_features = in.size();
  std::string source =
      layer == 0 ? "the flattened " + shape_text(in) + " input"
                 : "the flattened " + shape_text(in) + " output of layer " + std::to_string(layer - 1);
  if (auto it = object.find("in_features"); it != object.end()) {
    std::size_t n = read_size(*it, where.field("in_features"), 1);
    if (n != linear.in_features)
      where.field("in_features").fail("in_features " + std::to_string(n) + " does not match the " +
                                      std::to_string(linear.in_features) + " entries of " + source);
  }
  checked_product({linear.out_features, linear.in_features}, where.field("weight"), "the weight matrix");
  std::vector<Dimension> dims{{linear.out_features, "output features"},
                              {linear.in_features, "input features: " + source}};
  linear.weight.reserve(linear.out_features * linear.in_features);
  read_tensor(require(object, "weight", where), dims, 0, where.field("weight"), linear.weight);
  read_tensor(require(object, "bias", where), {{linear.out_features, "output features"}}, 0, where.field("bias"),
              linear.bias);
  return linear;
}

Maxout read_maxout(const json& object, const Shape& in, std::size_t layer, const Where& where) {
  check_fields(object, {"type", "out_features", "pieces", "in_features", "weight", "bias"}, where,
               "for a maxout layer (no activation follows it)");
  Maxout maxout;
  maxout.out_features = read_size(require(object, "out_features", where), where.field("out_features"), 1);
  maxout.pieces = read_size(require(object, "pieces", where), where.field("pieces"), 1);
  maxout.in_features = in.size();
  const std::string source =
      layer == 0 ? "the flattened " + shape_text(in) + " input"
                 : "the flattened " + shape_text(in) + " output of layer " + std::to_string(layer - 1);
  if (auto it = object.find("in_features"); it != object.end()) {
    std::size_t n = read_size(*it, where.field("in_features"), 1);
    if (n != maxout.in_features)
      where.field("in_features").fail("in_features " + std::to_string(n) + " does not match the " +
                                      std::to_string(maxout.in_features) + " entries of " + source);
  }
  checked_product({maxout.out_features, maxout.pieces, maxout.in_features}, where.field("weight"),
                  "the weight tensor");
  read_tensor(require(object, "weight", where),
              {{maxout.out_features, "output features"}, {maxout.pieces, "pieces"},
               {maxout.in_features, "input features: " + source}},
              0, where.field("weight"), maxout.weight);
  read_tensor(require(object, "bias", where), {{maxout.out_features, "output features"}, {maxout.pieces, "pieces"}},
              0, where.field("bias"), maxout.bias);
  return maxout;
}

/*! finds integers too large for 64 bits, which nlohmann parses as (rounded) floats: they would not be exact. */
class BigIntegerScan : public nlohmann::json_sax<json> {
 public:
  explicit BigIntegerScan(const std::string& name) : name_(name) {}
  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t& text) override {
    if (text.find_first_of(".eE") == std::string::npos)
      Where{name_, path()}.fail("integer " + text + " does not fit in 64 bits; write it as a string \"" + text + "\"");
    return value();
  }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return push(false); }
  bool key(string_t& key) override {
    frames_.back().key = key;
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override { return push(true); }
  bool end_array() override { return pop(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  struct Frame {
    bool is_array;
    std::size_t index = 0;
    std::string key;
  };
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_)
      p += f.is_array ? "[" + std::to_string(f.index) + "]" : (p.empty() ? "" : ".") + f.key;
    return p;
  }
  bool value() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
    return true;
  }
  bool push(bool is_array) {
    frames_.push_back(Frame{is_array, 0, {}});
    return true;
  }
  bool pop() {
    frames_.pop_back();
    return value();
  }
  const std::string& name_;
  std::vector<Frame> frames_;
};

json rational_json(const Rational& q) {
  if (q.get_den() == 1 && q.get_num().fits_slong_p()) return json(static_cast<std::int64_t>(q.get_num().get_si()));
  return json(to_string(q));
}

json nested(const std::vector<Rational>& flat, const std::vector<std::size_t>& dims, std::size_t depth,
            std::size_t& next) {
  if (depth == dims.size()) return rational_json(flat[next++]);
  json array = json::array();
  for (std::size_t i = 0; i < dims[depth]; ++i) array.push_back(nested(flat, dims, depth + 1, next));
  return array;
}

json nested(const std::vector<Rational>& flat, const std::vector<std::size_t>& dims) {
  std::size_t next = 0;
  return nested(flat, dims, 0, next);
}

}  // namespace

Network read_network(const json& document, const std::string& name) {
  std::size_t total_bits = 0;
  const Where top{name, "", &total_bits};
  if (!document.is_object()) top.fail("expected a JSON object, found " + describe(document));
  check_fields(document, {"format", "version", "input_shape", "layers", "readout", "comment", "name", "metadata"}, top,
               "in a network file");
  const json& format = require(document, "format", top);
  if (format != format_name)
    top.field("format").fail(std::string("expected \"") + format_name + "\", found " + describe(format));
  const json& version = require(document, "version", top);
  if (!version.is_number_integer() || version != 1)
    top.field("version").fail("unsupported version " + describe(version) + " (this reader knows version 1)");

  Network network;
  const Where shape_where = top.field("input_shape");
  const json& shape = require(document, "input_shape", top);
  if (!shape.is_array() || shape.size() != 3)
    shape_where.fail("expected [channels, height, width], found " + describe(shape));
  network.input = Shape{read_size(shape[0], shape_where.index(0), 1), read_size(shape[1], shape_where.index(1), 1),
                        read_size(shape[2], shape_where.index(2), 1)};
  checked_product({network.input.channels, network.input.height, network.input.width}, shape_where, "the input");
  if (network.input.size() > max_input_dimension)
    shape_where.fail("the input dimension C*H*W = " + std::to_string(network.input.size()) + " exceeds the cap of " +
                     std::to_string(max_input_dimension));

  const Where layers_where = top.field("layers");
  const json& layers = require(document, "layers", top);
  if (!layers.is_array()) layers_where.fail("expected an array of layers, found " + describe(layers));
  if (layers.empty()) layers_where.fail("no layers");
  if (layers.size() > max_layers)
    layers_where.fail(std::to_string(layers.size()) + " layers exceed the cap of " + std::to_string(max_layers));
  // Hidden layers are closed by a ReLU: the steps without ReLU since the last one go before the next main map, the
  // steps after a main map without ReLU go after it, up to the step that has ReLU.
  Shape current = network.input;
  std::size_t neurons = 0;
  bool flat = false;                 // after a linear layer or a flatten: no conv2d or pooling any more
  std::vector<AffineStep> pending;   // steps without ReLU since the last ReLU
  std::size_t first_pending = 0;     // the index of the first of them
  std::optional<Layer> open;         // a main map without ReLU, collecting its after steps
  std::size_t open_index = 0;
  auto close = [&](Layer layer, const json& object, const Where& where) {
    if (!is_max_layer(layer))
      std::visit([&](auto& main) { main.activation = read_activation(object, current.channels, where); }, layer);
    network.layers.push_back(std::move(layer));
    // Checked layer by layer, before the next layer's weights are read: the affine forms have n + 1 entries each.
    neurons += network.layer_neurons(network.layers.size() - 1);
    if (neurons > max_hidden_neurons || neurons * (network.input.size() + 1) > max_form_entries)
      where.fail("the network has " + std::to_string(neurons) + " hidden neurons up to this layer, over the cap of " +
                 std::to_string(std::min(max_hidden_neurons, max_form_entries / (network.input.size() + 1))) +
                 " for input dimension " + std::to_string(network.input.size()));
  };
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Where where = layers_where.index(l);
    const json& layer = layers[l];
    if (!layer.is_object()) where.fail("expected a layer object, found " + describe(layer));
    const json& type = require(layer, "type", where);
    if (type == "conv2d" || type == "linear") {
      if (open)
        where.fail("layers[" + std::to_string(open_index) +
                   "] has no ReLU: two conv2d/linear layers without a ReLU between them are not supported");
      const bool relu = read_relu(layer, where, true);
      Layer main;
      if (type == "conv2d") {
        if (flat) where.fail("conv2d after a linear layer or a flatten is not supported");
        Conv2d conv = read_conv2d(layer, current, where);
        current = conv_output_shape(current, conv);
        conv.before = std::move(pending);
        main = std::move(conv);
      } else {
        Linear linear = read_linear(layer, current, l, where);
        current = Shape{linear.out_features, 1, 1};
        linear.before = std::move(pending);
        main = std::move(linear);
        flat = true;
      }
      pending.clear();
      if (relu)
        close(std::move(main), layer, where);
      else
        open = std::move(main), open_index = l;
      continue;
    }
    if (type == "maxout") {
      if (open)
        where.fail("layers[" + std::to_string(open_index) + "] has no activation before this maxout layer");
      Maxout maxout = read_maxout(layer, current, l, where);
      maxout.before = std::move(pending);
      pending.clear();
      current = Shape{maxout.out_features, 1, 1};
      flat = true;
      close(std::move(maxout), layer, where);
      continue;
    }
    if (type == "maxpool2d") {
      if (open)
        where.fail("layers[" + std::to_string(open_index) + "] has no activation before this maxpool2d (max pooling "
                   "is read after an activation: Conv2d, ReLU, MaxPool2d)");
      if (network.layers.empty())
        where.fail("a maxpool2d needs a hidden layer with an activation before it (max pooling of the input itself is "
                   "not supported)");
      if (flat) where.fail("maxpool2d after a linear layer or a flatten is not supported");
      const AvgPool2d window = read_avgpool2d(layer, current, where, true);
      MaxPool2d pool{window.kernel_h, window.kernel_w, window.stride_h, window.stride_w, window.pad_h, window.pad_w,
                     std::move(pending), {}, {}};
      pending.clear();
      current = output_shape(current, AffineStep(window));
      close(std::move(pool), layer, where);
      continue;
    }
    AffineStep step;
    if (type == "batchnorm") {
      step = read_batchnorm(layer, current, where);
    } else if (type == "avgpool2d") {
      if (flat) where.fail("avgpool2d after a linear layer or a flatten is not supported");
      step = read_avgpool2d(layer, current, where);
    } else if (type == "flatten") {
      check_fields(layer, {"type", "relu", "activation"}, where, "for a flatten layer");
      step = Flatten{};
      flat = true;
    } else {
      where.field("type").fail("unknown layer type " + describe(type) +
                               " (expected \"conv2d\", \"linear\", \"maxout\", \"batchnorm\", \"avgpool2d\", "
                               "\"maxpool2d\" or \"flatten\")");
    }
    const bool relu = read_relu(layer, where, false);
    current = output_shape(current, step);
    if (open) {
      std::visit([&](auto& main) { main.after.push_back(std::move(step)); }, *open);
      if (relu) {
        close(std::move(*open), layer, where);
        open.reset();
      }
    } else {
      if (relu)
        where.field("relu").fail("a " + type.get<std::string>() +
                                 " followed by ReLU must come after a conv2d or linear layer without ReLU");
      if (pending.empty()) first_pending = l;
      pending.push_back(std::move(step));
    }
  }
  if (open)
    layers_where.index(open_index).fail("no ReLU follows this layer (the last layers must end with a ReLU; a final "
                                        "linear layer without ReLU is the \"readout\")");
  if (network.layers.empty()) layers_where.fail("no hidden layer: no layer is followed by ReLU");
  // The read-out: a linear layer without ReLU on the last hidden layer's output (changes no region), after the steps
  // that follow the last ReLU.
  auto it = document.find("readout");
  if (!pending.empty() && it == document.end())
    layers_where.index(first_pending).fail("no ReLU follows this layer: layers after the last ReLU only feed a "
                                           "\"readout\", and the file has none");
  if (it != document.end()) {
    const Where where = top.field("readout");
    if (!it->is_object())
      where.fail("expected a linear read-out {\"out_features\", \"weight\", \"bias\"}, found " + describe(*it));
    if (auto type = it->find("type"); type != it->end() && *type != "linear")
      where.field("type").fail("the read-out is a linear layer, found " + describe(*type));
    check_fields(*it, {"type", "out_features", "in_features", "weight", "bias"}, where, "for a linear layer");
    network.readout = read_linear(*it, current, layers.size(), where);
    network.readout->before = std::move(pending);
  }
  return network;
}

Network read_network_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  const json document = parse_json_text(text, path);
  BigIntegerScan scan(path);
  json::sax_parse(text, &scan);
  return read_network(document, path);
}

namespace {

json pair_json(std::size_t h, std::size_t w) { return json::array({h, w}); }

json step_json(const AffineStep& step, const Shape& in) {
  if (const auto* norm = std::get_if<BatchNorm>(&step))
    return json{{"type", "batchnorm"},
                {"num_features", in.channels},
                {"weight", nested(norm->weight, {in.channels})},
                {"bias", nested(norm->bias, {in.channels})},
                {"running_mean", nested(norm->running_mean, {in.channels})},
                {"sigma", nested(norm->sigma, {in.channels})}};
  if (const auto* pool = std::get_if<AvgPool2d>(&step)) {
    json out{{"type", "avgpool2d"},
             {"kernel_size", pair_json(pool->kernel_h, pool->kernel_w)},
             {"stride", pair_json(pool->stride_h, pool->stride_w)}};
    if (pool->pad_h != 0 || pool->pad_w != 0) out["padding"] = pair_json(pool->pad_h, pool->pad_w);
    return out;
  }
  return json{{"type", "flatten"}};
}

/*! appends the JSON of `steps` on an input of shape `in` to `layers`; returns the shape after them. */
Shape append_steps(json& layers, const std::vector<AffineStep>& steps, Shape in) {
  for (const AffineStep& step : steps) {
    layers.push_back(step_json(step, in));
    in = output_shape(in, step);
  }
  return in;
}

/*! returns the "activation" of a layer closed by `activation`, or null for ReLU (the default). */
json activation_json(const Activation& activation) {
  switch (activation.kind) {
    case Activation::Kind::relu: return nullptr;
    case Activation::Kind::relu6: return json{{"type", "relu6"}};
    case Activation::Kind::leaky_relu:
      return json{{"type", "leaky_relu"}, {"negative_slope", rational_json(activation.slope.at(0))}};
    case Activation::Kind::prelu:
      return json{{"type", "prelu"}, {"weight", nested(activation.slope, {activation.slope.size()})}};
    case Activation::Kind::hardtanh:
      return json{{"type", "hardtanh"}, {"min_val", rational_json(activation.min_val)}, {"max_val", rational_json(activation.max_val)}};
  }
  return nullptr;
}

json linear_json(const Linear& linear) {
  return json{{"type", "linear"},
              {"out_features", linear.out_features},
              {"in_features", linear.in_features},
              {"weight", nested(linear.weight, {linear.out_features, linear.in_features})},
              {"bias", nested(linear.bias, {linear.out_features})}};
}

}  // namespace

json to_json(const Network& network) {
  json layers = json::array();
  Shape in = network.input;
  for (const Layer& layer : network.layers) {
    Shape shape = append_steps(layers, before_steps(layer), in);
    if (const auto* maxout = std::get_if<Maxout>(&layer)) {
      layers.push_back(json{{"type", "maxout"},
                            {"out_features", maxout->out_features},
                            {"pieces", maxout->pieces},
                            {"in_features", maxout->in_features},
                            {"weight", nested(maxout->weight, {maxout->out_features, maxout->pieces, maxout->in_features})},
                            {"bias", nested(maxout->bias, {maxout->out_features, maxout->pieces})}});
      in = output_shape(in, layer);
      continue;
    }
    if (const auto* pool = std::get_if<MaxPool2d>(&layer)) {
      json object{{"type", "maxpool2d"},
                  {"kernel_size", pair_json(pool->kernel_h, pool->kernel_w)},
                  {"stride", pair_json(pool->stride_h, pool->stride_w)}};
      if (pool->pad_h != 0 || pool->pad_w != 0) object["padding"] = pair_json(pool->pad_h, pool->pad_w);
      layers.push_back(std::move(object));
      in = output_shape(in, layer);
      continue;
    }
    if (const auto* conv = std::get_if<Conv2d>(&layer)) {
      json object{{"type", "conv2d"},
                  {"out_channels", conv->out_channels},
                  {"kernel_size", pair_json(conv->kernel_h, conv->kernel_w)},
                  {"stride", pair_json(conv->stride_h, conv->stride_w)}};
      if (conv->pad_h != 0 || conv->pad_w != 0) object["padding"] = pair_json(conv->pad_h, conv->pad_w);
      if (conv->dilation_h != 1 || conv->dilation_w != 1)
        object["dilation"] = pair_json(conv->dilation_h, conv->dilation_w);
      if (conv->groups != 1) object["groups"] = conv->groups;
      object["weight"] =
          nested(conv->weight, {conv->out_channels, shape.channels / conv->groups, conv->kernel_h, conv->kernel_w});
      object["bias"] = nested(conv->bias, {conv->out_channels});
      layers.push_back(std::move(object));
      shape = conv_output_shape(shape, *conv);
    } else {
      layers.push_back(linear_json(std::get<Linear>(layer)));
      shape = Shape{std::get<Linear>(layer).out_features, 1, 1};
    }
    const std::vector<AffineStep>& after = after_steps_of(layer);
    if (!after.empty()) {
      layers.back()["relu"] = false;
      append_steps(layers, after, shape);
      layers.back()["relu"] = true;
    }
    if (json activation = activation_json(activation_of(layer)); !activation.is_null())
      layers.back()["activation"] = std::move(activation);
    in = output_shape(in, layer);
  }
  json document{{"format", format_name},
                {"version", 1},
                {"input_shape", {network.input.channels, network.input.height, network.input.width}},
                {"layers", layers}};
  if (network.readout) {
    append_steps(document["layers"], network.readout->before, in);
    json readout = linear_json(*network.readout);
    readout.erase("type");
    document["readout"] = std::move(readout);
  }
  return document;
}

void write_network_file(const Network& network, const std::string& path) {
  write_file_atomically(path, to_json(network).dump() + "\n");
}

}  // namespace chamber

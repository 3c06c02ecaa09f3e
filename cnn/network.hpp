// The network model: hidden layers (a conv2d or linear map, each followed by ReLU) with exact rational weights, and
// the affine layers without ReLU real CNNs put around them (batch-norm in eval mode, average pooling, flatten).
//
// Conventions (as PyTorch):
// - tensors are flattened row-major; an activation map of shape C×H×W is flattened CHW: index (c·H + i)·W + j;
// - a conv2d weight is [K][C/groups][kh][kw]; output (k, i, j) reads input (g·C/groups + c, i·sh + a·dh − ph,
//   j·sw + b·dw − pw) for g = k / (K/groups), zero outside the input (zero padding);
// - conv2d output size per axis: floor((n + 2p − d(f − 1) − 1)/s) + 1 (PyTorch; Lemma 1 of Xiong et al. when p = 0 and
//   d = 1);
// - a linear layer reads the CHW flattening of its input (as torch.flatten) and outputs Shape{U, 1, 1};
// - a hidden layer's pre-activation is the composition (before steps) → (conv2d or linear) → (after steps), an affine
//   form b + a·y of the hidden layer's input y (the previous hidden layer's post-activations, or the network input);
//   hyperplane b + a·x = 0.
#pragma once

#include "arrangement/arrangement.hpp"
#include "arrangement/number.hpp"
#include "cnn/shape.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace chamber {

/*! the largest number of entries of any tensor (input, weight, activation map) the reader and the model accept. */
inline constexpr std::size_t max_network_tensor_entries = 10000000;

/*! batch normalisation in eval mode (BatchNorm1d/2d), per channel c of its input:
 * y = (x − running_mean_c)·weight_c/sigma_c + bias_c. sigma_c is the float32 value of sqrt(running_var_c + eps) that
 * PyTorch computes (the exporter's one non-rational step, written in the file); every number is exact. */
struct BatchNorm {
  std::vector<Rational> weight, bias, running_mean, sigma;  // [C] each; sigma > 0

  /*! returns weight_c / sigma_c, the factor of channel c. */
  Rational scale(std::size_t c) const { return weight[c] / sigma[c]; }
  /*! returns bias_c − running_mean_c·weight_c/sigma_c, the constant of channel c. */
  Rational shift(std::size_t c) const { return bias[c] - running_mean[c] * scale(c); }
  bool operator==(const BatchNorm&) const = default;
};

/*! 2-D average pooling (PyTorch's AvgPool2d with ceil_mode=False and count_include_pad=True): output (c, i, j) is the
 * sum of input (c, i·sh + a − ph, j·sw + b − pw) over the kh×kw window (zero outside the input) divided by kh·kw. */
struct AvgPool2d {
  std::size_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;

  bool operator==(const AvgPool2d&) const = default;
};

/*! the flattening C×H×W -> (C·H·W)×1×1 (the identity on the flattened data; a batch-norm after it is per feature). */
struct Flatten {
  bool operator==(const Flatten&) const = default;
};

/*! an affine layer without ReLU, composed into the hidden layer it sits in (before or after its conv2d/linear map). */
using AffineStep = std::variant<BatchNorm, AvgPool2d, Flatten>;

/*! the activation that closes a hidden layer, applied to each of its outputs (its units). ReLU by default; the others
 * are continuous piecewise-linear functions of one variable with one or two breakpoints:
 * - leaky_relu: z for z > 0, slope·z for z < 0 (one slope; PyTorch's LeakyReLU);
 * - prelu: the same with one slope per channel of the layer output, or one for all (PyTorch's PReLU);
 * - hardtanh: min_val for z < min_val, z between, max_val for z > max_val (min_val < max_val; PyTorch's Hardtanh);
 * - relu6: hardtanh with min_val 0 and max_val 6 (PyTorch's ReLU6).
 * A unit with m breakpoints t_1 < … < t_m is m neurons, z − t_1 … z − t_m (their signs say which piece is active). */
struct Activation {
  enum class Kind { relu, leaky_relu, prelu, hardtanh, relu6 };
  Kind kind = Kind::relu;
  std::vector<Rational> slope = {};  // leaky_relu: one slope; prelu: one per channel, or one for all
  Rational min_val = 0, max_val = 0;  // hardtanh

  bool operator==(const Activation&) const = default;
};

/*! an activation on one channel as a continuous piecewise-linear function φ: breakpoints t_1 < … < t_m, slopes
 * s_0 … s_m (s_i between t_i and t_{i+1}), and value = φ(t_1). Then
 * φ(z) = value + s_0·(z − t_1) + Σ_i (s_i − s_{i−1})·max(0, z − t_i): the post-activation is an affine combination
 * of the unit's neurons z − t_i, the ReLU of each (gated by its sign) and the first one as it is. */
struct ActivationPieces {
  std::vector<Rational> breakpoints, slopes;
  Rational value;
};

/*! returns `activation` on channel `channel` of the layer output as a piecewise-linear function. */
ActivationPieces piecewise_linear(const Activation& activation, std::size_t channel);
/*! returns the number of breakpoints m (neurons per unit): 1, or 2 for hardtanh and relu6. */
std::size_t breakpoints(const Activation& activation);
/*! returns the activation's name as in the network file ("relu", "leaky_relu", "prelu", "hardtanh", "relu6"). */
const char* activation_name(const Activation& activation);

/*! a hidden layer whose main map is a 2-D convolution (zero padding, dilation and groups as PyTorch's Conv2d); its
 * input channel count is the channel count of its input shape (after the `before` steps). */
struct Conv2d {
  std::size_t out_channels = 0, kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  std::vector<Rational> weight;  // [K][C/groups][kh][kw] row-major
  std::vector<Rational> bias;    // [K]
  std::size_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1, groups = 1;
  std::vector<AffineStep> before = {};  // applied to the hidden layer's input, in order, before the convolution
  std::vector<AffineStep> after = {};   // applied to the convolution's output, in order, before ReLU
  Activation activation = {};

  bool operator==(const Conv2d&) const = default;
};

/*! a hidden layer whose main map is fully connected, reading the flattened (CHW) output of its `before` steps (a read-out
 * has `before` steps only: the affine layers between the last ReLU and it). */
struct Linear {
  std::size_t out_features = 0, in_features = 0;
  std::vector<Rational> weight;  // [U][in] row-major
  std::vector<Rational> bias;    // [U]
  std::vector<AffineStep> before = {};  // applied to the hidden layer's input, in order, before the linear map
  std::vector<AffineStep> after = {};   // applied to the linear map's output, in order, before ReLU
  Activation activation = {};           // of a hidden layer (a read-out has none)

  bool operator==(const Linear&) const = default;
};

/*! a hidden layer of max units, PyTorch's MaxPool2d (dilation 1, ceil_mode=False, padding at most half the kernel,
 * as PyTorch requires): output (c, i, j) is the largest input (c, i·sh + a − ph, j·sw + b − pw) over the real inputs
 * of its window (padding counts as −∞). Its input is the previous hidden layer's output after its activation (and
 * after the `before` steps). Each unit is one neuron per real input of its window, its **slots** in window order:
 * slot s's form is p_c − p_s, with p_c the piece (input) the unit takes, so on a region every slot is `+` or `0`, and
 * the unit takes the first `0` (docs/network-format.md, "Max pooling"). */
struct MaxPool2d {
  std::size_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  std::vector<AffineStep> before = {};  // affine layers between the previous activation and the pooling
  std::vector<AffineStep> after = {};   // always empty (a max layer has no main map to follow)
  Activation activation = {};           // unused: a max layer has no activation

  bool operator==(const MaxPool2d&) const = default;
};

/*! a hidden layer of maxout units (Goodfellow et al. 2013; Montúfar et al. 2014): unit u outputs the largest of its
 * k pieces b_{u,j} + w_{u,j}·y, affine forms of the flattened (CHW) layer input y (after the `before` steps). Like a
 * MaxPool2d unit, it is one neuron (slot) per piece; no activation follows it. */
struct Maxout {
  std::size_t out_features = 0, pieces = 0, in_features = 0;
  std::vector<Rational> weight;  // [U][k][in] row-major
  std::vector<Rational> bias;    // [U][k]
  std::vector<AffineStep> before = {};
  std::vector<AffineStep> after = {};  // always empty
  Activation activation = {};          // unused

  bool operator==(const Maxout&) const = default;
};

using Layer = std::variant<Conv2d, Linear, MaxPool2d, Maxout>;

/*! returns whether `layer` is a layer of max units (MaxPool2d or Maxout). */
inline bool is_max_layer(const Layer& layer) {
  return std::holds_alternative<MaxPool2d>(layer) || std::holds_alternative<Maxout>(layer);
}

struct Network;

/*! returns the output shape of `layer` (its before steps, main map and after steps) on an input of shape `input`.
 * \pre the kernels fit the input and the strides are positive (the reader and random_network check this). */
Shape output_shape(const Shape& input, const Layer& layer);
/*! returns, for each unit of the max layer `pool` on an input of shape `in` (after its before steps), the input
 * indices of its pieces (the real inputs of its window, in window order). */
std::vector<std::vector<std::size_t>> max_pieces(const MaxPool2d& pool, const Shape& in);

/*! returns the activation that closes `layer` (ReLU for a max layer, which has none). */
const Activation& activation_of(const Layer& layer);

/*! returns the output shape of one affine step on an input of shape `input`. */
Shape output_shape(const Shape& input, const AffineStep& step);
/*! returns the output shape of the convolution alone on an input of shape `input` (PyTorch's formula per axis). */
Shape conv_output_shape(const Shape& input, const Conv2d& conv);

/*! returns "" when `layer` is a hidden layer of the kind the closed forms of Xiong et al., Montúfar and Serra are about
 * (a conv2d without padding, dilation or groups, or a linear map, with no affine step around it), otherwise why not
 * ("padding 1x1", "a batchnorm after the convolution", ...). */
std::string beyond_closed_forms(const Layer& layer);
/*! returns "" when every hidden layer meets the closed forms' hypotheses and the read-out has no step before it,
 * otherwise the first reason, naming the layer ("layer 0 (conv2d): padding 1x1"). */
std::string beyond_closed_forms(const Network& network);

/*! a ReLU network: every layer is a hidden layer followed by ReLU, and an optional read-out (a final linear layer
 * without ReLU, reading the flattened output of the last hidden layer). The read-out changes no linear region: only
 * the decision boundaries (cnn/decision.hpp) read it. */
struct Network {
  Shape input;
  std::vector<Layer> layers;
  std::optional<Linear> readout;

  /*! returns the input shape of layer `layer` (the network input for layer 0). */
  Shape layer_input_shape(std::size_t layer) const;
  /*! returns the output shape of layer `layer` (after its after steps; U×1×1 for a linear layer without steps). */
  Shape layer_output_shape(std::size_t layer) const;
  /*! returns the output shape of every layer, in order. */
  std::vector<Shape> layer_shapes() const;
  /*! returns the number of neurons of layer `layer`: its output size times its activation's breakpoints. */
  std::size_t layer_neurons(std::size_t layer) const;
  /*! returns the total number of hidden neurons (Σ of layer_neurons). */
  std::size_t hidden_neurons() const;
  /*! returns whether every hidden layer's activation is ReLU. */
  bool relu_only() const;
  /*! returns n = C·H·W, the dimension of the input space. */
  std::size_t input_dimension() const { return input.size(); }

  bool operator==(const Network&) const = default;
};

/*! returns, for each unit of layer `layer` in CHW order of its output, the row (b, a_1 .. a_n) of its
 * pre-activation b + a·y as an affine form of the layer's input y (n = layer input size: the units of the layer
 * before, or the network input). */
std::vector<RationalVector> unit_rows(const Network& network, std::size_t layer);

/*! a hidden layer's neurons as affine forms of the neurons of the layer before (or of the input x, for layer 0):
 * neuron k's pre-activation is gated[k][0] + Σ_j gated[k][j]·r_j + Σ_j linear[k][j]·y_j, y_j the pre-activation
 * of neuron j − 1 of the layer before and r_j its gated value: max(0, y_j) after an activation; after a max layer,
 * the piece of slot j when the unit takes it, else 0. For ReLU layers before it `linear` is empty (all zero) and
 * gated are the unit rows. Units come in CHW order, the neurons of one unit (z − t_1, …, z − t_m) together. For a max
 * layer the rows are its pieces (one per slot), not its neurons' forms p_c − p_s. */
struct NeuronRows {
  std::vector<RationalVector> gated;
  std::vector<RationalVector> linear;  // empty when every entry is 0; else one row per neuron, entry 0 unused (0)
  std::vector<std::size_t> slots = {};  // a max layer: the slots of each unit (its rows are the pieces); else empty
};

/*! returns layer `layer`'s neurons as NeuronRows (docs/network-format.md, "Activations"). */
NeuronRows neuron_rows(const Network& network, std::size_t layer);
/*! returns, for a max layer, the number of slots (pieces) of each of its units; empty for other layers. */
std::vector<std::size_t> max_slots(const Network& network, std::size_t layer);
/*! returns every layer's NeuronRows, in order. */
std::vector<NeuronRows> neuron_layers(const Network& network);

/*! returns, for each neuron of layer `layer`, the row (b, a_1 .. a_n) of its pre-activation. For a network whose
 * layers before `layer` all have ReLU (so neuron_rows(...).linear is empty) it is neuron_rows(...).gated: the form
 * over the previous neurons' ReLU outputs, or over x for layer 0.
 * \pre layer == 0 or the layers before `layer` are ReLU. */
std::vector<RationalVector> affine_rows(const Network& network, std::size_t layer);

/*! returns the read-out's rows (b, a_1 .. a_n) over the last hidden layer's output, its `before` steps composed in.
 * \pre network.readout. */
std::vector<RationalVector> readout_rows(const Network& network);
/*! returns the read-out's rows as NeuronRows over the last hidden layer's neurons. \pre network.readout. */
NeuronRows readout_neuron_rows(const Network& network);

/*! the hyperplanes of the first layer's neurons. Neurons with all-zero weights have a constant
 * pre-activation and no hyperplane: they are listed in `constant_neurons`. */
struct LayerArrangement {
  Arrangement arrangement;                        // duplicates merged
  std::vector<std::size_t> neuron_of_hyperplane;  // input hyperplane h (before merging) -> its neuron
  std::vector<std::size_t> constant_neurons;      // neurons with zero weights, ascending
  MergeReport merge;                              // input hyperplane h -> index in `arrangement`
};

/*! returns the arrangement of the first layer's neurons in the input space (one hyperplane b + a·x = 0
 * per neuron with a ≠ 0, neurons in CHW order of the layer output). */
LayerArrangement first_layer_arrangement(const Network& network);

/*! returns every hidden neuron's pre-activation at input `x` (z − t_i for a unit with breakpoints), layer by layer
 * (each layer in CHW order), computed exactly with the activations between layers.
 * \pre x.size() == network.input_dimension(). */
std::vector<Rational> pre_activations(const Network& network, const RationalVector& x);

/*! returns the activation pattern at `x`: one character per hidden neuron, '+' if its pre-activation
 * is > 0, '-' if < 0, '0' if it is 0. */
std::string activation_pattern(const Network& network, const RationalVector& x);

/*! reads a network file (format "chamber-network", version 1).
 * \throws InputError "<file>: <json path>: <reason>" on any malformed content. */
Network read_network_file(const std::string& path);
/*! reads a network from parsed JSON; `name` is used in error messages. Integers beyond 64 bits must be strings:
 * nlohmann parses them as rounded floats, which read_network_file detects and rejects but this function cannot. */
Network read_network(const nlohmann::json& json, const std::string& name);
/*! returns the network file JSON of `network`, numbers exact (JSON integers when they fit in 64 bits, else "p/q"). */
nlohmann::json to_json(const Network& network);
/*! writes `network` to `path`; read_network_file(path) == network. */
void write_network_file(const Network& network, const std::string& path);

}  // namespace chamber

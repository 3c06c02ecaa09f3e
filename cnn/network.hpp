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

/*! a hidden layer whose main map is a 2-D convolution (zero padding, dilation and groups as PyTorch's Conv2d); its
 * input channel count is the channel count of its input shape (after the `before` steps). */
struct Conv2d {
  std::size_t out_channels = 0, kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  std::vector<Rational> weight;  // [K][C/groups][kh][kw] row-major
  std::vector<Rational> bias;    // [K]
  std::size_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1, groups = 1;
  std::vector<AffineStep> before = {};  // applied to the hidden layer's input, in order, before the convolution
  std::vector<AffineStep> after = {};   // applied to the convolution's output, in order, before ReLU

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

  bool operator==(const Linear&) const = default;
};

using Layer = std::variant<Conv2d, Linear>;

struct Network;

/*! returns the output shape of `layer` (its before steps, main map and after steps) on an input of shape `input`.
 * \pre the kernels fit the input and the strides are positive (the reader and random_network check this). */
Shape output_shape(const Shape& input, const Layer& layer);
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
  /*! returns the total number of hidden neurons (Σ of the layer output sizes). */
  std::size_t hidden_neurons() const;
  /*! returns n = C·H·W, the dimension of the input space. */
  std::size_t input_dimension() const { return input.size(); }

  bool operator==(const Network&) const = default;
};

/*! returns, for each neuron of layer `layer` in CHW order of its output, the row (b, a_1 .. a_n) of its
 * pre-activation b + a·y as an affine form of the layer's input y (n = layer input size). */
std::vector<RationalVector> affine_rows(const Network& network, std::size_t layer);

/*! returns the read-out's rows (b, a_1 .. a_n) over the last hidden layer's output, its `before` steps composed in.
 * \pre network.readout. */
std::vector<RationalVector> readout_rows(const Network& network);

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

/*! returns every hidden pre-activation at input `x`, layer by layer (each layer in CHW order), computed
 * exactly with ReLU between layers. \pre x.size() == network.input_dimension(). */
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

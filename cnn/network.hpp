// The network model: conv2d and linear layers, each followed by ReLU, with exact rational weights.
//
// Conventions (as PyTorch, no padding, no dilation):
// - tensors are flattened row-major; an activation map of shape C×H×W is flattened CHW: index (c·H + i)·W + j;
// - a conv2d weight is [K][C][kh][kw], output position (i, j) of filter k reads input (c, i·sh + a, j·sw + b);
// - output size per axis (Lemma 1 of Xiong et al.): floor((n − f)/s) + 1;
// - a linear layer after conv layers reads the CHW flattening (as torch.flatten) and outputs Shape{U, 1, 1};
// - a neuron's pre-activation is the affine form b + a·x of its layer input; hyperplane b + a·x = 0.
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

/*! a 2-D convolution without padding; its input channel count is the channel count of its input shape. */
struct Conv2d {
  std::size_t out_channels = 0, kernel_h = 0, kernel_w = 0, stride_h = 1, stride_w = 1;
  std::vector<Rational> weight;  // [K][C][kh][kw] row-major
  std::vector<Rational> bias;    // [K]

  bool operator==(const Conv2d&) const = default;
};

/*! a fully connected layer reading the flattened (CHW) output of the previous layer. */
struct Linear {
  std::size_t out_features = 0, in_features = 0;
  std::vector<Rational> weight;  // [U][in] row-major
  std::vector<Rational> bias;    // [U]

  bool operator==(const Linear&) const = default;
};

using Layer = std::variant<Conv2d, Linear>;

/*! returns the output shape of `layer` on an input of shape `input`.
 * \pre the kernel fits the input and the strides are positive (the reader and random_network check this). */
Shape output_shape(const Shape& input, const Layer& layer);

/*! a ReLU network: every layer is a hidden layer followed by ReLU, and an optional read-out (a final linear layer
 * without ReLU, reading the flattened output of the last hidden layer). The read-out changes no linear region: only
 * the decision boundaries (cnn/decision.hpp) read it. */
struct Network {
  Shape input;
  std::vector<Layer> layers;
  std::optional<Linear> readout;

  /*! returns the input shape of layer `layer` (the network input for layer 0). */
  Shape layer_input_shape(std::size_t layer) const;
  /*! returns the output shape of layer `layer` (Lemma 1 for conv2d, U×1×1 for linear). */
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

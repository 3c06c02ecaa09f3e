// The checker's own reader of the network inside a "network" certificate (format chamber-network, version 1), and the
// forms of its neurons under an activation pattern (docs/network-certificate.md). Exact GMP arithmetic only; it shares
// no code with cnn/, whose reader it re-implements from the format's description.
#pragma once

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chamber::verify {

/// C, H, W.
using TensorShape = std::array<std::size_t, 3>;

/// One hidden layer (a group of file layers ending with an activation): its affine map on the flattened input (the
/// previous hidden layer's post-activations, or the network input), composed from the file's layers, rewritten over the
/// previous layer's neurons and scaled to integers.
struct NetworkLayer {
  enum class Type { conv2d, linear, max };  // max: a maxpool2d, whose rows are its units' pieces
  Type type = Type::linear;    // the type of its main map (the conv2d or linear layer of the group)
  TensorShape input_shape{};   // the shape this hidden layer reads
  TensorShape output_shape{};  // the shape of its neurons (after the steps that follow its main map)

  // The activation closing the layer: each output unit (flattened CHW) with m breakpoints t_1 < ... < t_m is m
  // neurons z - t_1, ..., z - t_m (m = `per_unit`; ReLU, leaky_relu and prelu: m = 1 and t_1 = 0).
  std::string activation = "relu";
  std::size_t per_unit = 1;
  std::size_t input_neurons = 0;  // the neurons of the layer before (the input dimension for layer 0)

  // Neuron u is (bias_u + sum over row u of w_e * max(0, in_j) + sum over linear row u of v_e * in_j) / scale, with
  // in_j the pre-activation of neuron j of the layer before (the input x_j, not rectified, for layer 0); `scale` is
  // the least common denominator of the composed map, so that the sums are integer.
  mpz_class scale = 1;
  std::vector<std::size_t> row_begin;  // entries of neuron u: [row_begin[u], row_begin[u + 1]); zeros left out
  std::vector<std::size_t> column;     // input index of each entry
  std::vector<mpz_class> integer_weight;
  std::vector<mpz_class> integer_bias;  // one per neuron
  // The entries on the layer before's neurons as they are (the negative-side slope of leaky_relu/prelu before this
  // layer); empty when there are none.
  std::vector<std::size_t> linear_begin;
  std::vector<std::size_t> linear_column;
  std::vector<mpz_class> linear_weight;

  // A max layer (maxpool2d): unit u's pieces are rows unit_begin[u] .. unit_begin[u + 1] - 1, one neuron (slot) each,
  // whose form is p_c - p_s with c the first slot of the unit whose character is '0'. Empty for other layers.
  std::vector<std::size_t> unit_begin;

  std::size_t outputs() const {
    return unit_begin.empty() ? output_shape[0] * output_shape[1] * output_shape[2] * per_unit : unit_begin.back();
  }
  bool is_max() const { return !unit_begin.empty(); }
  std::size_t inputs() const { return input_neurons; }
  bool has_linear() const { return !linear_begin.empty(); }
};

/// One layer of the file as written (conv2d, linear, batchnorm, avgpool2d, flatten): what network_difference compares.
struct FileLayer {
  std::string type;
  std::vector<std::pair<std::string, std::vector<std::size_t>>> sizes;  // named sizes ("kernel_size", {kh, kw}), "relu"
  struct Tensor {
    std::string name;
    std::vector<std::size_t> axes;
    std::vector<mpq_class> values;  // row-major
  };
  std::vector<Tensor> tensors;
};

struct NetworkModel {
  TensorShape input_shape{};
  std::size_t input_dimension = 0;  // n = C * H * W
  std::vector<NetworkLayer> layers;       // the hidden layers
  std::vector<FileLayer> file_layers;     // the file's "layers", as written
  std::vector<std::size_t> first_neuron;  // layers.size() + 1 entries; the last one is N
  std::vector<mpz_class> form_scale;      // S_l = scale_0 * ... * scale_l: layer l's integer forms are S_l * forms

  std::size_t neurons() const { return first_neuron.back(); }
  /*! returns the layer of neuron `k` < N. */
  std::size_t layer_of(std::size_t neuron) const;
};

/*! parses a number of a network file: a JSON integer, a JSON float (its exact binary64 value), or a string holding an
 * integer, a fraction "p/q" (q > 0) or a decimal ("0.125", "-1e-3"), all converted exactly.
 * Returns "" on success, otherwise why not. */
std::string parse_network_number(const nlohmann::json& value, mpq_class& out);

/*! reads a network (format chamber-network, version 1). `path` is the JSON path of `network` used in reasons
 * ("network" gives "network.layers[1].weight[3][0]: not a number"; "" gives "layers[1]..."). An optional "readout"
 * (a linear layer without ReLU) is validated and left out: it changes no region. The affine layers without ReLU
 * (batchnorm, avgpool2d, flatten, and a conv2d/linear with "relu": false) are composed into the hidden layer they
 * belong to: a hidden layer ends with the first layer followed by ReLU.
 * \throws CheckFailure naming the path of the first malformed value. */
NetworkModel read_network_model(const nlohmann::json& network, const std::string& path);

/*! returns "" when the two networks have the same input shape and the same file layers (type, sizes, kernel, stride,
 * padding, dilation, groups, ReLU) with equal tensors (weights, biases, batch-norm statistics) as exact rationals, otherwise the first difference, naming the two networks:
 * "layers[0].bias[1] is 1/2 in the certificate and 3/4 in NET.json". */
std::string network_difference(const NetworkModel& first, const std::string& first_name, const NetworkModel& second,
                               const std::string& second_name);

/// An affine function c + a.x of the input: entry 0 is c, entry 1 + i is a_i.
using Form = std::vector<mpq_class>;
/// An affine function scaled to integers; which scale is said where it is used.
using IntegerForm = std::vector<mpz_class>;

/*! returns the forms of the neurons of `layer` under `pattern` (a max layer: its pieces), given layer_forms of the
 * previous layer (`previous`, ignored for layer 0): max(0, in_j) of a previous neuron j is its form when its character
 * is '+' and 0 otherwise (after a max layer: its piece when it is the unit's chosen_slot), and in_j (linear entries)
 * is its form. Only the characters of layers < `layer` are read; `pattern` may be longer (a whole pattern). */
std::vector<Form> layer_forms(const NetworkModel& network, std::size_t layer, std::string_view pattern,
                              const std::vector<Form>& previous);

/*! returns the slot of unit `unit` of the max layer `layer` (first neuron `first`) whose piece the unit takes under
 * `pattern`: its first slot with character '0' (the first slot when there is none: an invalid pattern). */
std::size_t chosen_slot(const NetworkLayer& layer, std::size_t first, std::size_t unit, std::string_view pattern);

/*! returns the forms of all N neurons under `pattern` (N characters from "+-0"), layer by layer; a max layer's
 * slots' forms p_c - p_s. */
std::vector<Form> neuron_forms(const NetworkModel& network, std::string_view pattern);

/*! the integer version of layer_forms: sets `out` to form_scale[layer] times the forms of `layer`'s neurons, given
 * `previous` = form_scale[layer - 1] times the forms of the previous layer (ignored for layer 0). Reuses the memory
 * of `out`. */
void layer_integer_forms(const NetworkModel& network, std::size_t layer, std::string_view pattern,
                         const std::vector<IntegerForm>& previous, std::vector<IntegerForm>& out);

}  // namespace chamber::verify

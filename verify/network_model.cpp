#include "verify/network_model.hpp"

#include "verify/certificate_fields.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>

namespace chamber::verify {

namespace {

using nlohmann::json;

/// A bound on tensor sizes and expanded weights: far above any network whose regions can be counted, and low enough
/// that a tiny file ([1, 4096, 1] and a 1x1 kernel) cannot exhaust memory.
constexpr std::uint64_t max_entries = std::uint64_t{1} << 24;
/// The checker's caps (README, "Hostile input and faults"): hidden neurons, neurons times (n + 1) (the size of the
/// affine forms built for every region), layers, bits of one number and of all numbers of a network.
constexpr std::uint64_t max_neurons = std::uint64_t{1} << 20;
constexpr std::uint64_t max_form_entries = std::uint64_t{1} << 26;
constexpr std::size_t max_layers = 1024;
constexpr std::size_t max_number_bits = 4096;
constexpr std::size_t max_total_bits = std::size_t{1} << 24;

/// The largest decimal exponent accepted in "1e-3" style numbers.
constexpr long max_decimal_exponent = 1000;

std::string join(const std::string& path, const char* key) { return path.empty() ? std::string(key) : path + "." + key; }

std::string at(const std::string& path, std::size_t index) { return path + "[" + std::to_string(index) + "]"; }

/// Where reasons about the whole network go: "network: ..." or, for a file read at the top level, "top level: ...".
std::string top(const std::string& path) { return path.empty() ? std::string("top level") : path; }

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/*! removes and returns an optional leading sign: true for '-'. */
bool take_sign(std::string_view& text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    const bool negative = text.front() == '-';
    text.remove_prefix(1);
    return negative;
  }
  return false;
}

/*! sets `out` to the exact value of a finite double: d = m * 2^e with m in [0.5, 1), and m * 2^53 is an integer. */
void set_exact_double(double value, mpq_class& out) {
  int exponent = 0;
  const double mantissa = std::frexp(value, &exponent);
  const double integer_mantissa = std::ldexp(mantissa, 53);  // exact: a binary64 mantissa has 53 bits
  mpz_set_d(out.get_num_mpz_t(), integer_mantissa);
  out.get_den() = 1;
  const long shift = static_cast<long>(exponent) - 53;
  if (shift >= 0)
    mpz_mul_2exp(out.get_num_mpz_t(), out.get_num_mpz_t(), static_cast<mp_bitcnt_t>(shift));
  else
    mpz_mul_2exp(out.get_den_mpz_t(), out.get_den_mpz_t(), static_cast<mp_bitcnt_t>(-shift));
  out.canonicalize();
}

/*! parses "[sign] digits / digits" (q > 0). Returns "" on success. */
std::string parse_fraction(std::string_view text, std::size_t slash, mpq_class& out) {
  std::string_view numerator = text.substr(0, slash);
  const bool negative = take_sign(numerator);
  const std::string_view denominator = text.substr(slash + 1);
  if (!is_digits(numerator) || !is_digits(denominator)) return "not a number";
  out.get_num().set_str(std::string(numerator), 10);
  out.get_den().set_str(std::string(denominator), 10);
  if (out.get_den() == 0) return "fraction with zero denominator";
  if (negative) out.get_num() = -out.get_num();
  out.canonicalize();
  return {};
}

/*! parses a decimal "[sign] digits [. digits] [(e|E) [sign] digits]" with at least one mantissa digit, exactly. */
std::string parse_decimal(std::string_view text, mpq_class& out) {
  std::string_view mantissa = text;
  long exponent = 0;
  if (const std::size_t e = text.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = text.substr(0, e);
    std::string_view exponent_text = text.substr(e + 1);
    const bool negative = take_sign(exponent_text);
    if (!is_digits(exponent_text)) return "not a number";
    // Compare digit counts first: the text may be longer than a long.
    const std::size_t first = std::min(exponent_text.find_first_not_of('0'), exponent_text.size());
    exponent_text.remove_prefix(first);
    if (exponent_text.size() > 7 || (!exponent_text.empty() && std::stol(std::string(exponent_text)) > max_decimal_exponent))
      return "decimal exponent over the cap of " + std::to_string(max_decimal_exponent);
    exponent = exponent_text.empty() ? 0 : std::stol(std::string(exponent_text));
    if (negative) exponent = -exponent;
  }
  const bool negative = take_sign(mantissa);
  std::string digits;
  if (const std::size_t dot = mantissa.find('.'); dot != std::string_view::npos) {
    const std::string_view whole = mantissa.substr(0, dot), fraction = mantissa.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return "not a number";
    if ((!whole.empty() && !is_digits(whole)) || (!fraction.empty() && !is_digits(fraction))) return "not a number";
    if (fraction.size() > static_cast<std::size_t>(max_decimal_exponent))
      return "more decimal digits than the cap of " + std::to_string(max_decimal_exponent);
    digits.assign(whole);
    digits.append(fraction);
    exponent -= static_cast<long>(fraction.size());
  } else {
    if (!is_digits(mantissa)) return "not a number";
    digits.assign(mantissa);
  }
  mpz_class numerator(digits, 10), power;
  if (negative) numerator = -numerator;
  mpz_ui_pow_ui(power.get_mpz_t(), 10, static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
  if (exponent < 0) {
    out = mpq_class(numerator, power);
    out.canonicalize();
  } else {
    out = mpq_class(numerator * power);
  }
  return {};
}

/*! reads a natural number >= `minimum` (and <= max_entries), failing with `path`. */
std::size_t read_size(const json& value, std::size_t minimum, const std::string& path) {
  const std::optional<std::uint64_t> number = json_natural(value);
  if (!number) fail(path + ": expected a JSON integer >= " + std::to_string(minimum) + ", found " + describe(value));
  if (*number < minimum) fail(path + ": must be at least " + std::to_string(minimum) + ", found " + describe(value));
  if (*number > max_entries) fail(path + ": " + std::to_string(*number) + " is too large");
  return static_cast<std::size_t>(*number);
}

/*! reads an integer (both sides) or a pair [height, width] of integers >= 1. */
std::pair<std::size_t, std::size_t> read_pair(const json& value, const std::string& path) {
  if (value.is_array()) {
    require_array(value, 2, path, "height and width");
    return {read_size(value[0], 1, at(path, 0)), read_size(value[1], 1, at(path, 1))};
  }
  const std::size_t both = read_size(value, 1, path);
  return {both, both};
}

/*! multiplies sizes, failing with `path` when the product exceeds max_entries. */
std::size_t checked_product(std::initializer_list<std::size_t> factors, const std::string& path, const char* what) {
  std::uint64_t product = 1;
  for (std::size_t factor : factors) {
    product *= factor;  // every factor is <= max_entries = 2^26 and the product so far too: no overflow
    if (product > max_entries) fail(path + ": " + what + " is too large");
  }
  return static_cast<std::size_t>(product);
}

/*! rejects keys outside `allowed`: a misspelt field must not be silently ignored. */
void check_keys(const json& object, std::initializer_list<const char*> allowed, const std::string& path,
                const char* context) {
  for (auto it = object.begin(); it != object.end(); ++it)
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* key) { return it.key() == key; }))
      fail(join(path, it.key().c_str()) + ": unknown key " + context);
}

struct Axis {
  std::size_t size;
  const char* meaning;
};

/*! reads a nested array of numbers with the given axes, row-major, appending to `out`. */
void read_tensor(const json& value, const std::vector<Axis>& axes, std::size_t depth, const std::string& path,
                 std::vector<mpq_class>& out, std::size_t& total_bits) {
  if (depth == axes.size()) {
    out.emplace_back();
    const std::string why = parse_network_number(value, out.back());
    if (!why.empty()) fail(path + ": " + why);
    const std::size_t bits =
        mpz_sizeinbase(out.back().get_num_mpz_t(), 2) + mpz_sizeinbase(out.back().get_den_mpz_t(), 2);
    if (bits > max_number_bits)
      fail(path + ": a number of " + std::to_string(bits) + " bits, over the cap of " + std::to_string(max_number_bits));
    total_bits += bits;
    if (total_bits > max_total_bits)
      fail(path + ": the network's numbers exceed the cap of " + std::to_string(max_total_bits) + " bits together");
    return;
  }
  require_array(value, axes[depth].size, path, axes[depth].meaning);
  for (std::size_t i = 0; i < value.size(); ++i) read_tensor(value[i], axes, depth + 1, at(path, i), out, total_bits);
}

/*! sets the integer affine map of `layer` from its weights: the scale, and row u's entries (input index, weight). */
void build_affine_map(NetworkLayer& layer) {
  layer.scale = 1;
  for (const mpq_class& w : layer.weight) mpz_lcm(layer.scale.get_mpz_t(), layer.scale.get_mpz_t(), w.get_den_mpz_t());
  for (const mpq_class& b : layer.bias) mpz_lcm(layer.scale.get_mpz_t(), layer.scale.get_mpz_t(), b.get_den_mpz_t());
  auto scaled = [&](const mpq_class& value) {
    mpz_class result;
    mpz_divexact(result.get_mpz_t(), layer.scale.get_mpz_t(), value.get_den_mpz_t());
    return mpz_class(result * value.get_num());
  };
  std::vector<mpz_class> weights;
  weights.reserve(layer.weight.size());
  for (const mpq_class& w : layer.weight) weights.push_back(scaled(w));

  const std::size_t outputs = layer.outputs();
  layer.row_begin.assign(1, 0);
  layer.row_begin.reserve(outputs + 1);
  layer.integer_bias.clear();
  layer.integer_bias.reserve(outputs);
  auto add = [&](std::size_t input, std::size_t weight_index) {
    if (weights[weight_index] == 0) return;
    layer.column.push_back(input);
    layer.integer_weight.push_back(weights[weight_index]);
  };
  const auto [channels, height, width] = layer.input_shape;
  if (layer.type == NetworkLayer::Type::linear) {
    const std::size_t in = layer.inputs();
    for (std::size_t u = 0; u < outputs; ++u) {
      for (std::size_t j = 0; j < in; ++j) add(j, u * in + j);
      layer.integer_bias.push_back(scaled(layer.bias[u]));
      layer.row_begin.push_back(layer.column.size());
    }
    return;
  }
  const auto [filters, out_h, out_w] = layer.output_shape;
  for (std::size_t k = 0; k < filters; ++k)
    for (std::size_t i = 0; i < out_h; ++i)
      for (std::size_t j = 0; j < out_w; ++j) {
        for (std::size_t c = 0; c < channels; ++c)
          for (std::size_t a = 0; a < layer.kernel_h; ++a)
            for (std::size_t b = 0; b < layer.kernel_w; ++b)
              add((c * height + i * layer.stride_h + a) * width + j * layer.stride_w + b,
                  ((k * channels + c) * layer.kernel_h + a) * layer.kernel_w + b);
        layer.integer_bias.push_back(scaled(layer.bias[k]));
        layer.row_begin.push_back(layer.column.size());
      }
}

NetworkLayer read_conv2d(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits) {
  check_keys(object, {"type", "out_channels", "in_channels", "kernel_size", "stride", "padding", "weight", "bias"},
             path, "for a conv2d layer");
  NetworkLayer layer;
  layer.type = NetworkLayer::Type::conv2d;
  layer.input_shape = in;
  const auto [channels, height, width] = in;
  const std::size_t filters = read_size(member(object, "out_channels", path), 1, join(path, "out_channels"));
  if (auto it = object.find("in_channels"); it != object.end()) {
    const std::size_t c = read_size(*it, 1, join(path, "in_channels"));
    if (c != channels)
      fail(join(path, "in_channels") + ": " + std::to_string(c) + ", but the layer's input has " +
           std::to_string(channels) + " channels");
  }
  std::tie(layer.kernel_h, layer.kernel_w) = read_pair(member(object, "kernel_size", path), join(path, "kernel_size"));
  if (auto it = object.find("stride"); it != object.end())
    std::tie(layer.stride_h, layer.stride_w) = read_pair(*it, join(path, "stride"));
  if (auto it = object.find("padding"); it != object.end()) {
    const bool zero = (it->is_number_integer() && *it == 0) || *it == json::array({0, 0});
    if (!zero) fail(join(path, "padding") + ": only 0 is supported, found " + describe(*it));
  }
  if (layer.kernel_h > height || layer.kernel_w > width)
    fail(join(path, "kernel_size") + ": kernel " + std::to_string(layer.kernel_h) + "x" +
         std::to_string(layer.kernel_w) + " is larger than the layer's " + std::to_string(height) + "x" +
         std::to_string(width) + " input");
  layer.output_shape = {filters, (height - layer.kernel_h) / layer.stride_h + 1,
                        (width - layer.kernel_w) / layer.stride_w + 1};
  checked_product({filters, layer.output_shape[1], layer.output_shape[2]}, path, "the output");
  checked_product({filters, layer.output_shape[1], layer.output_shape[2], channels, layer.kernel_h, layer.kernel_w},
                  path, "the expanded weight matrix");
  read_tensor(member(object, "weight", path),
              {{filters, "output channels"},
               {channels, "input channels"},
               {layer.kernel_h, "kernel height"},
               {layer.kernel_w, "kernel width"}},
              0, join(path, "weight"), layer.weight, total_bits);
  read_tensor(member(object, "bias", path), {{filters, "output channels"}}, 0, join(path, "bias"), layer.bias,
              total_bits);
  return layer;
}

NetworkLayer read_linear(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits) {
  check_keys(object, {"type", "out_features", "in_features", "weight", "bias"}, path, "for a linear layer");
  NetworkLayer layer;
  layer.type = NetworkLayer::Type::linear;
  layer.input_shape = in;
  const std::size_t inputs = layer.inputs();
  const std::size_t units = read_size(member(object, "out_features", path), 1, join(path, "out_features"));
  if (auto it = object.find("in_features"); it != object.end()) {
    const std::size_t declared = read_size(*it, 1, join(path, "in_features"));
    if (declared != inputs)
      fail(join(path, "in_features") + ": " + std::to_string(declared) + ", but the layer's flattened input has " +
           std::to_string(inputs) + " entries");
  }
  layer.output_shape = {units, 1, 1};
  checked_product({units, inputs}, path, "the weight matrix");
  read_tensor(member(object, "weight", path), {{units, "output features"}, {inputs, "input features"}}, 0,
              join(path, "weight"), layer.weight, total_bits);
  read_tensor(member(object, "bias", path), {{units, "output features"}}, 0, join(path, "bias"), layer.bias,
              total_bits);
  return layer;
}

/*! returns "[i][j]..." for the flat row-major index `flat` of a tensor with the given axis sizes. */
std::string tensor_index(std::size_t flat, const std::vector<std::size_t>& axes) {
  std::vector<std::size_t> index(axes.size());
  for (std::size_t d = axes.size(); d-- > 0;) {
    index[d] = flat % axes[d];
    flat /= axes[d];
  }
  std::string text;
  for (std::size_t i : index) text += "[" + std::to_string(i) + "]";
  return text;
}

std::string shape_text(const TensorShape& shape) {
  return "[" + std::to_string(shape[0]) + ", " + std::to_string(shape[1]) + ", " + std::to_string(shape[2]) + "]";
}

std::string pair_text(std::size_t first, std::size_t second) {
  return "[" + std::to_string(first) + ", " + std::to_string(second) + "]";
}

}  // namespace

std::size_t NetworkModel::layer_of(std::size_t neuron) const {
  const auto after = std::upper_bound(first_neuron.begin(), first_neuron.end(), neuron);
  return static_cast<std::size_t>(after - first_neuron.begin()) - 1;
}

std::string parse_network_number(const json& value, mpq_class& out) {
  if (value.is_number_integer()) return parse_rational(value, out);
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d)) return "not a finite number";
    set_exact_double(d, out);
    return {};
  }
  if (!value.is_string()) return "not a number";
  const std::string_view text = value.get_ref<const std::string&>();
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) return parse_fraction(text, slash, out);
  return parse_decimal(text, out);
}

NetworkModel read_network_model(const json& network, const std::string& path) {
  if (!network.is_object()) fail(top(path) + ": not a JSON object");
  check_keys(network, {"format", "version", "input_shape", "layers", "readout", "comment", "name", "metadata"}, path,
             "in a network");
  const json& format = member(network, "format", path);
  if (format != "chamber-network")
    fail(join(path, "format") + ": expected \"chamber-network\", found " + describe(format));
  const json& version = member(network, "version", path);
  const std::optional<std::uint64_t> number = json_natural(version);
  if (!number || *number != 1) fail(join(path, "version") + ": expected 1, found " + describe(version));

  NetworkModel model;
  const std::string shape_path = join(path, "input_shape");
  const json& shape = require_array(member(network, "input_shape", path), 3, shape_path, "channels, height, width");
  for (std::size_t d = 0; d < 3; ++d) model.input_shape[d] = read_size(shape[d], 1, at(shape_path, d));
  model.input_dimension = checked_product({model.input_shape[0], model.input_shape[1], model.input_shape[2]},
                                          shape_path, "the input");
  if (model.input_dimension > max_dimension)
    fail(shape_path + ": input dimension " + std::to_string(model.input_dimension) + " exceeds the cap of " +
         std::to_string(max_dimension));

  const std::string layers_path = join(path, "layers");
  const json& layers = require_array(member(network, "layers", path), layers_path);
  if (layers.empty()) fail(layers_path + ": empty (at least one hidden layer)");
  if (layers.size() > max_layers)
    fail(layers_path + ": " + std::to_string(layers.size()) + " layers exceed the cap of " + std::to_string(max_layers));
  std::size_t total_bits = 0;
  TensorShape current = model.input_shape;
  bool after_linear = false;
  model.first_neuron.assign(1, 0);
  mpz_class form_scale = 1;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const std::string layer_path = at(layers_path, l);
    const json& object = layers[l];
    if (!object.is_object()) fail(layer_path + ": not a JSON object");
    const json& type = member(object, "type", layer_path);
    if (type == "conv2d") {
      if (after_linear) fail(layer_path + ": a conv2d layer after a linear layer is not supported");
      model.layers.push_back(read_conv2d(object, current, layer_path, total_bits));
    } else if (type == "linear") {
      model.layers.push_back(read_linear(object, current, layer_path, total_bits));
      after_linear = true;
    } else {
      fail(join(layer_path, "type") + ": expected \"conv2d\" or \"linear\", found " + describe(type));
    }
    NetworkLayer& layer = model.layers.back();
    const std::size_t total = model.first_neuron.back() + layer.outputs();
    if (total > max_neurons || total * (model.input_dimension + 1) > max_form_entries)
      fail(layer_path + ": " + std::to_string(total) + " hidden neurons up to this layer exceed the cap of " +
           std::to_string(std::min(max_neurons, max_form_entries / (model.input_dimension + 1))) +
           " for input dimension " + std::to_string(model.input_dimension));
    build_affine_map(layer);
    current = layer.output_shape;
    model.first_neuron.push_back(total);
    form_scale *= layer.scale;
    model.form_scale.push_back(form_scale);
  }
  // The read-out (a linear layer without ReLU after the last hidden layer) changes no region: its shape is
  // validated like a linear layer's, and it is left out of the model.
  if (auto it = network.find("readout"); it != network.end()) {
    const std::string readout_path = join(path, "readout");
    if (!it->is_object()) fail(readout_path + ": not a JSON object");
    if (auto type = it->find("type"); type != it->end() && *type != "linear")
      fail(join(readout_path, "type") + ": expected \"linear\", found " + describe(*type));
    read_linear(*it, current, readout_path, total_bits);
  }
  return model;
}

std::string network_difference(const NetworkModel& first, const std::string& first_name, const NetworkModel& second,
                               const std::string& second_name) {
  auto differ = [&](const std::string& what, const std::string& in_first, const std::string& in_second) {
    return what + " is " + in_first + " in " + first_name + " and " + in_second + " in " + second_name;
  };
  if (first.input_shape != second.input_shape)
    return differ("input_shape", shape_text(first.input_shape), shape_text(second.input_shape));
  if (first.layers.size() != second.layers.size())
    return differ("the number of layers", std::to_string(first.layers.size()), std::to_string(second.layers.size()));
  auto type_name = [](const NetworkLayer& layer) {
    return std::string(layer.type == NetworkLayer::Type::conv2d ? "conv2d" : "linear");
  };
  for (std::size_t l = 0; l < first.layers.size(); ++l) {
    const NetworkLayer& a = first.layers[l];
    const NetworkLayer& b = second.layers[l];
    const std::string path = "layers[" + std::to_string(l) + "]";
    if (a.type != b.type) return differ(path + ".type", type_name(a), type_name(b));
    const bool conv = a.type == NetworkLayer::Type::conv2d;
    if (a.output_shape[0] != b.output_shape[0])
      return differ(path + (conv ? ".out_channels" : ".out_features"), std::to_string(a.output_shape[0]),
                    std::to_string(b.output_shape[0]));
    if (conv && (a.kernel_h != b.kernel_h || a.kernel_w != b.kernel_w))
      return differ(path + ".kernel_size", pair_text(a.kernel_h, a.kernel_w), pair_text(b.kernel_h, b.kernel_w));
    if (conv && (a.stride_h != b.stride_h || a.stride_w != b.stride_w))
      return differ(path + ".stride", pair_text(a.stride_h, a.stride_w), pair_text(b.stride_h, b.stride_w));
    // Equal input shapes (by induction) and equal sizes: the tensors have the same axes.
    const std::vector<std::size_t> axes =
        conv ? std::vector<std::size_t>{a.output_shape[0], a.input_shape[0], a.kernel_h, a.kernel_w}
             : std::vector<std::size_t>{a.output_shape[0], a.inputs()};
    for (std::size_t i = 0; i < a.weight.size(); ++i)
      if (a.weight[i] != b.weight[i])
        return differ(path + ".weight" + tensor_index(i, axes), a.weight[i].get_str(), b.weight[i].get_str());
    for (std::size_t i = 0; i < a.bias.size(); ++i)
      if (a.bias[i] != b.bias[i])
        return differ(path + ".bias[" + std::to_string(i) + "]", a.bias[i].get_str(), b.bias[i].get_str());
  }
  return {};
}

std::vector<Form> layer_forms(const NetworkModel& network, std::size_t layer, std::string_view pattern,
                              const std::vector<Form>& previous) {
  const NetworkLayer& spec = network.layers.at(layer);
  const std::size_t n = network.input_dimension;
  // The layer's input as forms: the input coordinates x_i, or the previous layer's post-activations.
  std::vector<Form> input;
  if (layer == 0) {
    input.assign(n, Form(n + 1));
    for (std::size_t i = 0; i < n; ++i) input[i][1 + i] = 1;
  } else {
    const std::size_t first = network.first_neuron[layer - 1];
    input.assign(spec.inputs(), Form(n + 1));
    for (std::size_t j = 0; j < input.size(); ++j)
      if (pattern.at(first + j) == '+') input[j] = previous.at(j);
  }
  auto accumulate = [&](Form& form, const mpq_class& weight, const Form& term) {
    for (std::size_t i = 0; i <= n; ++i) form[i] += weight * term[i];
  };
  std::vector<Form> result;
  result.reserve(spec.outputs());
  const auto [channels, height, width] = spec.input_shape;
  if (spec.type == NetworkLayer::Type::linear) {
    const std::size_t in = spec.inputs();
    for (std::size_t u = 0; u < spec.outputs(); ++u) {
      Form form(n + 1);
      form[0] = spec.bias[u];
      for (std::size_t j = 0; j < in; ++j) accumulate(form, spec.weight[u * in + j], input[j]);
      result.push_back(std::move(form));
    }
    return result;
  }
  // Output (k, i, j) of the convolution reads input (c, i * sh + a, j * sw + b) with weight [k][c][a][b].
  const auto [filters, out_h, out_w] = spec.output_shape;
  for (std::size_t k = 0; k < filters; ++k)
    for (std::size_t i = 0; i < out_h; ++i)
      for (std::size_t j = 0; j < out_w; ++j) {
        Form form(n + 1);
        form[0] = spec.bias[k];
        for (std::size_t c = 0; c < channels; ++c)
          for (std::size_t a = 0; a < spec.kernel_h; ++a)
            for (std::size_t b = 0; b < spec.kernel_w; ++b)
              accumulate(form, spec.weight[((k * channels + c) * spec.kernel_h + a) * spec.kernel_w + b],
                         input[(c * height + i * spec.stride_h + a) * width + j * spec.stride_w + b]);
        result.push_back(std::move(form));
      }
  return result;
}

std::vector<Form> neuron_forms(const NetworkModel& network, std::string_view pattern) {
  std::vector<Form> all;
  all.reserve(network.neurons());
  std::vector<Form> previous;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    std::vector<Form> current = layer_forms(network, l, pattern, previous);
    all.insert(all.end(), current.begin(), current.end());
    previous = std::move(current);
  }
  return all;
}

void layer_integer_forms(const NetworkModel& network, std::size_t layer, std::string_view pattern,
                         const std::vector<IntegerForm>& previous, std::vector<IntegerForm>& out) {
  const NetworkLayer& spec = network.layers[layer];
  const std::size_t n = network.input_dimension;
  const std::size_t outputs = spec.outputs();
  out.resize(outputs);
  if (layer == 0) {
    // S_0 * f = (scale * b) + (scale * w) . x
    for (std::size_t u = 0; u < outputs; ++u) {
      IntegerForm& form = out[u];
      form.resize(n + 1);
      for (mpz_class& value : form) value = 0;
      form[0] = spec.integer_bias[u];
      for (std::size_t e = spec.row_begin[u]; e < spec.row_begin[u + 1]; ++e)
        form[1 + spec.column[e]] += spec.integer_weight[e];
    }
    return;
  }
  // With P_j = S_{l-1} * post-activation j: S_l * f = scale * (b + w . P / S_{l-1}) * S_{l-1}
  //                                                  = (scale * b) * S_{l-1} + (scale * w) . P.
  const mpz_class& previous_scale = network.form_scale[layer - 1];
  const std::size_t first = network.first_neuron[layer - 1];
  for (std::size_t u = 0; u < outputs; ++u) {
    IntegerForm& form = out[u];
    form.resize(n + 1);
    mpz_mul(form[0].get_mpz_t(), spec.integer_bias[u].get_mpz_t(), previous_scale.get_mpz_t());
    for (std::size_t i = 1; i <= n; ++i) form[i] = 0;
    for (std::size_t e = spec.row_begin[u]; e < spec.row_begin[u + 1]; ++e) {
      const std::size_t j = spec.column[e];
      if (pattern[first + j] != '+') continue;
      const mpz_srcptr weight = spec.integer_weight[e].get_mpz_t();
      const IntegerForm& term = previous[j];
      for (std::size_t i = 0; i <= n; ++i)
        if (mpz_sgn(term[i].get_mpz_t()) != 0) mpz_addmul(form[i].get_mpz_t(), weight, term[i].get_mpz_t());
    }
  }
}

}  // namespace chamber::verify

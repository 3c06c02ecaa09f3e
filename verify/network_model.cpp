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

/// An affine map as read: output u is bias + sum of coefficient * input[index] over its terms.
struct MapRow {
  mpq_class bias;
  std::vector<std::pair<std::size_t, mpq_class>> terms;
  std::vector<std::pair<std::size_t, mpq_class>> linear_terms = {};  // over the previous neurons, not rectified
};
using AffineMap = std::vector<MapRow>;

/// A layer of the file read: what it is, its map on its input, its output shape and whether ReLU follows.
struct ReadLayer {
  FileLayer file;
  AffineMap map;
  TensorShape output{};
  bool main = false;  // conv2d or linear
  bool relu = false;
};

std::size_t volume(const TensorShape& shape) { return shape[0] * shape[1] * shape[2]; }

/*! reads "relu" (a JSON boolean) or returns `otherwise`; an "activation" closes the hidden layer like "relu": true
 * ("relu": false beside it is refused). */
bool read_relu(const json& object, const std::string& path, bool otherwise) {
  const auto it = object.find("relu");
  const bool activation = object.contains("activation");
  if (it == object.end()) return otherwise || activation;
  if (!it->is_boolean()) fail(join(path, "relu") + ": expected true or false, found " + describe(*it));
  if (activation && !it->get<bool>()) fail(join(path, "relu") + ": false beside an \"activation\"");
  return it->get<bool>() || activation;
}

/// An activation on one channel: breakpoints t_1 < ... < t_m, slopes s_0 ... s_m between them, value at t_1.
struct Piecewise {
  std::vector<mpq_class> breakpoints, slopes;
  mpq_class value;
};

/// The activation closing a hidden layer: its name, its pieces per channel (one entry when all channels share them),
/// and how the file says it (for network_difference: a kind code and the parameters).
struct LayerActivation {
  std::string name = "relu";
  std::vector<Piecewise> channels{Piecewise{{0}, {0, 1}, 0}};
  std::vector<mpq_class> parameters;
  std::vector<std::size_t> slots = {};  // a max layer ("max"): the pieces of each unit

  const Piecewise& of_channel(std::size_t c) const { return channels.size() == 1 ? channels[0] : channels[c]; }
};

/*! reads the "activation" of the layer `object` closing a hidden layer with `channels` output channels: a name, or an
 * object with "type" and the parameters (docs/network-format.md, "Activations"). */
LayerActivation read_activation(const json& object, std::size_t channels, const std::string& layer_path,
                                std::size_t& total_bits) {
  LayerActivation result;
  const auto it = object.find("activation");
  if (it == object.end()) return result;
  const std::string path = join(layer_path, "activation");
  const json* parameters = it->is_object() ? &*it : nullptr;
  if (!it->is_string() && parameters == nullptr) fail(path + ": expected a name or an object, found " + describe(*it));
  const json& type = parameters != nullptr ? member(*parameters, "type", path) : *it;
  if (!type.is_string()) fail(join(path, "type") + ": expected a name, found " + describe(type));
  result.name = type.get<std::string>();
  auto parameter = [&](const char* key, const mpq_class& otherwise) {
    mpq_class value = otherwise;
    if (parameters != nullptr && parameters->contains(key)) {
      std::vector<mpq_class> read;
      read_tensor((*parameters)[key], {}, 0, join(path, key), read, total_bits);
      value = read[0];
    }
    result.parameters.push_back(value);
    return value;
  };
  if (result.name == "relu") {
    if (parameters != nullptr) check_keys(*parameters, {"type"}, path, "for relu");
  } else if (result.name == "relu6" || result.name == "hardtanh") {
    const bool six = result.name == "relu6";
    if (parameters != nullptr)
      six ? check_keys(*parameters, {"type"}, path, "for relu6")
          : check_keys(*parameters, {"type", "min_val", "max_val"}, path, "for hardtanh");
    const mpq_class low = six ? mpq_class(0) : parameter("min_val", -1);
    const mpq_class high = six ? mpq_class(6) : parameter("max_val", 1);
    if (!(low < high)) fail(path + ": min_val " + low.get_str() + " is not below max_val " + high.get_str());
    result.channels = {Piecewise{{low, high}, {0, 1, 0}, low}};
  } else if (result.name == "leaky_relu") {
    if (parameters != nullptr) check_keys(*parameters, {"type", "negative_slope"}, path, "for leaky_relu");
    result.channels = {Piecewise{{0}, {parameter("negative_slope", mpq_class(1, 100)), 1}, 0}};
  } else if (result.name == "prelu") {
    if (parameters == nullptr) fail(path + ": prelu needs its \"weight\" (the slopes)");
    check_keys(*parameters, {"type", "weight"}, path, "for prelu");
    const json& weight = member(*parameters, "weight", path);
    if (!weight.is_array() || (weight.size() != 1 && weight.size() != channels))
      fail(join(path, "weight") + ": expected 1 or " + std::to_string(channels) + " slopes, found " + describe(weight));
    read_tensor(weight, {{weight.size(), "slopes"}}, 0, join(path, "weight"), result.parameters, total_bits);
    result.channels.clear();
    for (const mpq_class& slope : result.parameters) result.channels.push_back(Piecewise{{0}, {slope, 1}, 0});
  } else {
    fail((parameters != nullptr ? join(path, "type") : path) + ": unknown activation " + describe(type) +
         " (expected \"relu\", \"leaky_relu\", \"prelu\", \"hardtanh\" or \"relu6\")");
  }
  return result;
}

/*! reads an integer or a pair [height, width] of integers >= `minimum` (padding may be 0). */
std::pair<std::size_t, std::size_t> read_pair_from(const json& value, std::size_t minimum, const std::string& path) {
  if (value.is_array()) {
    require_array(value, 2, path, "height and width");
    return {read_size(value[0], minimum, at(path, 0)), read_size(value[1], minimum, at(path, 1))};
  }
  const std::size_t both = read_size(value, minimum, path);
  return {both, both};
}

/*! the number of windows of extent `extent` along an axis of `size` padded by `pad` on both sides, at `stride`;
 * fails with `path` when the window does not fit. */
std::size_t windows(std::size_t size, std::size_t pad, std::size_t extent, std::size_t stride, const std::string& path,
                    const char* axis) {
  if (extent > size + 2 * pad)
    fail(path + ": a window of " + std::to_string(extent) + " along the " + axis + " is larger than the input's " +
         std::to_string(size) + (pad ? " padded to " + std::to_string(size + 2 * pad) : std::string()));
  return (size + 2 * pad - extent) / stride + 1;
}

ReadLayer read_conv2d(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits) {
  check_keys(object, {"type", "out_channels", "in_channels", "kernel_size", "stride", "padding", "dilation", "groups",
                      "weight", "bias", "relu", "activation"},
             path, "for a conv2d layer");
  ReadLayer read;
  read.main = true;
  read.relu = read_relu(object, path, true);
  const auto [channels, height, width] = in;
  const std::size_t filters = read_size(member(object, "out_channels", path), 1, join(path, "out_channels"));
  if (auto it = object.find("in_channels"); it != object.end()) {
    const std::size_t c = read_size(*it, 1, join(path, "in_channels"));
    if (c != channels)
      fail(join(path, "in_channels") + ": " + std::to_string(c) + ", but the layer's input has " +
           std::to_string(channels) + " channels");
  }
  const auto [kh, kw] = read_pair(member(object, "kernel_size", path), join(path, "kernel_size"));
  std::size_t sh = 1, sw = 1, ph = 0, pw = 0, dh = 1, dw = 1, groups = 1;
  if (auto it = object.find("stride"); it != object.end()) std::tie(sh, sw) = read_pair(*it, join(path, "stride"));
  if (auto it = object.find("padding"); it != object.end())
    std::tie(ph, pw) = read_pair_from(*it, 0, join(path, "padding"));
  if (auto it = object.find("dilation"); it != object.end())
    std::tie(dh, dw) = read_pair_from(*it, 1, join(path, "dilation"));
  if (auto it = object.find("groups"); it != object.end()) {
    groups = read_size(*it, 1, join(path, "groups"));
    if (channels % groups != 0 || filters % groups != 0)
      fail(join(path, "groups") + ": " + std::to_string(groups) + " does not divide both the " +
           std::to_string(channels) + " input channels and the " + std::to_string(filters) + " output channels");
  }
  // Every size is at most 2^24: the products below fit in 64 bits.
  const std::size_t out_h = windows(height, ph, dh * (kh - 1) + 1, sh, join(path, "kernel_size"), "height");
  const std::size_t out_w = windows(width, pw, dw * (kw - 1) + 1, sw, join(path, "kernel_size"), "width");
  read.output = {filters, out_h, out_w};
  const std::size_t group_in = channels / groups, group_out = filters / groups;
  checked_product({filters, out_h, out_w}, path, "the output");
  checked_product({filters, out_h, out_w, group_in, kh, kw}, path, "the expanded weight matrix");
  FileLayer& file = read.file;
  file.type = "conv2d";
  file.sizes = {{"out_channels", {filters}}, {"kernel_size", {kh, kw}}, {"stride", {sh, sw}}, {"padding", {ph, pw}},
                {"dilation", {dh, dw}},      {"groups", {groups}},      {"relu", {read.relu ? 1u : 0u}}};
  file.tensors.push_back({"weight", {filters, group_in, kh, kw}, {}});
  file.tensors.push_back({"bias", {filters}, {}});
  std::vector<mpq_class>& weight = file.tensors[0].values;
  std::vector<mpq_class>& bias = file.tensors[1].values;
  read_tensor(member(object, "weight", path),
              {{filters, "output channels"},
               {group_in, groups == 1 ? "input channels" : "input channels per group"},
               {kh, "kernel height"},
               {kw, "kernel width"}},
              0, join(path, "weight"), weight, total_bits);
  read_tensor(member(object, "bias", path), {{filters, "output channels"}}, 0, join(path, "bias"), bias, total_bits);
  // Output (k, i, j) reads input (g * C/groups + c, i * sh + a * dh - ph, j * sw + b * dw - pw), g = k / (K/groups),
  // and nothing (zero padding) outside the input.
  read.map.resize(filters * out_h * out_w);
  for (std::size_t k = 0; k < filters; ++k)
    for (std::size_t i = 0; i < out_h; ++i)
      for (std::size_t j = 0; j < out_w; ++j) {
        MapRow& row = read.map[(k * out_h + i) * out_w + j];
        row.bias = bias[k];
        for (std::size_t c = 0; c < group_in; ++c)
          for (std::size_t a = 0; a < kh; ++a)
            for (std::size_t b = 0; b < kw; ++b) {
              const std::size_t padded_row = i * sh + a * dh, padded_column = j * sw + b * dw;
              if (padded_row < ph || padded_row >= ph + height || padded_column < pw || padded_column >= pw + width)
                continue;
              const mpq_class& w = weight[((k * group_in + c) * kh + a) * kw + b];
              if (w == 0) continue;
              const std::size_t channel = (k / group_out) * group_in + c;
              row.terms.emplace_back((channel * height + padded_row - ph) * width + padded_column - pw, w);
            }
      }
  return read;
}

/*! checks an optional "in_features" against the `inputs` entries of the flattened layer input. */
void check_in_features(const json& object, std::size_t inputs, const std::string& path) {
  if (auto it = object.find("in_features"); it != object.end()) {
    const std::size_t declared = read_size(*it, 1, join(path, "in_features"));
    if (declared != inputs)
      fail(join(path, "in_features") + ": " + std::to_string(declared) + ", but the layer's flattened input has " +
           std::to_string(inputs) + " entries");
  }
}

ReadLayer read_linear(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits) {
  check_keys(object, {"type", "out_features", "in_features", "weight", "bias", "relu", "activation"}, path,
             "for a linear layer");
  ReadLayer read;
  read.main = true;
  read.relu = read_relu(object, path, true);
  const std::size_t inputs = volume(in);
  const std::size_t units = read_size(member(object, "out_features", path), 1, join(path, "out_features"));
  check_in_features(object, inputs, path);
  read.output = {units, 1, 1};
  checked_product({units, inputs}, path, "the weight matrix");
  FileLayer& file = read.file;
  file.type = "linear";
  file.sizes = {{"out_features", {units}}, {"relu", {read.relu ? 1u : 0u}}};
  file.tensors.push_back({"weight", {units, inputs}, {}});
  file.tensors.push_back({"bias", {units}, {}});
  std::vector<mpq_class>& weight = file.tensors[0].values;
  std::vector<mpq_class>& bias = file.tensors[1].values;
  read_tensor(member(object, "weight", path), {{units, "output features"}, {inputs, "input features"}}, 0,
              join(path, "weight"), weight, total_bits);
  read_tensor(member(object, "bias", path), {{units, "output features"}}, 0, join(path, "bias"), bias, total_bits);
  read.map.resize(units);
  for (std::size_t u = 0; u < units; ++u) {
    read.map[u].bias = bias[u];
    for (std::size_t j = 0; j < inputs; ++j)
      if (weight[u * inputs + j] != 0) read.map[u].terms.emplace_back(j, weight[u * inputs + j]);
  }
  return read;
}

/*! a maxout layer: U units of k pieces each, affine in the flattened input; the map's rows are the U * k pieces, unit
 * by unit, and `pieces` is set to k. */
ReadLayer read_maxout(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits,
                      std::size_t& pieces) {
  check_keys(object, {"type", "out_features", "pieces", "in_features", "weight", "bias"}, path, "for a maxout layer");
  ReadLayer read;
  read.relu = true;  // a layer of max units closes its hidden layer
  const std::size_t inputs = volume(in);
  const std::size_t units = read_size(member(object, "out_features", path), 1, join(path, "out_features"));
  pieces = read_size(member(object, "pieces", path), 1, join(path, "pieces"));
  check_in_features(object, inputs, path);
  read.output = {units, 1, 1};
  const std::size_t rows = checked_product({units, pieces}, path, "the pieces");
  checked_product({rows, inputs}, path, "the weight tensor");
  FileLayer& file = read.file;
  file.type = "maxout";
  file.sizes = {{"out_features", {units}}, {"pieces", {pieces}}};
  file.tensors.push_back({"weight", {units, pieces, inputs}, {}});
  file.tensors.push_back({"bias", {units, pieces}, {}});
  std::vector<mpq_class>& weight = file.tensors[0].values;
  std::vector<mpq_class>& bias = file.tensors[1].values;
  read_tensor(member(object, "weight", path),
              {{units, "output features"}, {pieces, "pieces"}, {inputs, "input features"}}, 0, join(path, "weight"),
              weight, total_bits);
  read_tensor(member(object, "bias", path), {{units, "output features"}, {pieces, "pieces"}}, 0, join(path, "bias"),
              bias, total_bits);
  read.map.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    read.map[r].bias = bias[r];
    for (std::size_t j = 0; j < inputs; ++j)
      if (weight[r * inputs + j] != 0) read.map[r].terms.emplace_back(j, weight[r * inputs + j]);
  }
  return read;
}

/*! batch-norm in eval mode: channel c maps x to (x - running_mean_c) * weight_c / sigma_c + bias_c. */
ReadLayer read_batchnorm(const json& object, const TensorShape& in, const std::string& path, std::size_t& total_bits) {
  check_keys(object, {"type", "num_features", "weight", "bias", "running_mean", "sigma", "relu", "activation"}, path,
             "for a batchnorm layer");
  ReadLayer read;
  read.relu = read_relu(object, path, false);
  const auto [channels, height, width] = in;
  if (auto it = object.find("num_features"); it != object.end()) {
    const std::size_t declared = read_size(*it, 1, join(path, "num_features"));
    if (declared != channels)
      fail(join(path, "num_features") + ": " + std::to_string(declared) + ", but the layer's input has " +
           std::to_string(channels) + " channels");
  }
  read.output = in;
  FileLayer& file = read.file;
  file.type = "batchnorm";
  file.sizes = {{"num_features", {channels}}, {"relu", {read.relu ? 1u : 0u}}};
  for (const char* name : {"weight", "bias", "running_mean", "sigma"}) {
    file.tensors.push_back({name, {channels}, {}});
    read_tensor(member(object, name, path), {{channels, "channels"}}, 0, join(path, name), file.tensors.back().values,
                total_bits);
  }
  const std::vector<mpq_class>& gamma = file.tensors[0].values;
  const std::vector<mpq_class>& beta = file.tensors[1].values;
  const std::vector<mpq_class>& mean = file.tensors[2].values;
  const std::vector<mpq_class>& sigma = file.tensors[3].values;
  for (std::size_t c = 0; c < channels; ++c)
    if (sgn(sigma[c]) <= 0) fail(at(join(path, "sigma"), c) + ": must be positive, found " + sigma[c].get_str());
  const std::size_t area = height * width;
  read.map.resize(channels * area);
  for (std::size_t c = 0; c < channels; ++c) {
    const mpq_class factor = gamma[c] / sigma[c];
    const mpq_class constant = beta[c] - mean[c] * factor;
    for (std::size_t p = 0; p < area; ++p) {
      read.map[c * area + p].bias = constant;
      if (factor != 0) read.map[c * area + p].terms.emplace_back(c * area + p, factor);
    }
  }
  return read;
}

/*! average pooling, ceil_mode False, count_include_pad True: the window's sum over the input divided by kh * kw. */
/*! with `max` (a maxpool2d): the same windows, each row listing its taps with coefficient 1 (the unit's pieces). */
ReadLayer read_avgpool2d(const json& object, const TensorShape& in, const std::string& path, bool max = false) {
  if (max)
    check_keys(object, {"type", "kernel_size", "stride", "padding"}, path, "for a maxpool2d layer");
  else
    check_keys(object, {"type", "kernel_size", "stride", "padding", "relu", "activation"}, path,
               "for an avgpool2d layer");
  ReadLayer read;
  read.relu = max || read_relu(object, path, false);
  const auto [channels, height, width] = in;
  const auto [kh, kw] = read_pair(member(object, "kernel_size", path), join(path, "kernel_size"));
  std::size_t sh = kh, sw = kw, ph = 0, pw = 0;
  if (auto it = object.find("stride"); it != object.end()) std::tie(sh, sw) = read_pair(*it, join(path, "stride"));
  if (auto it = object.find("padding"); it != object.end())
    std::tie(ph, pw) = read_pair_from(*it, 0, join(path, "padding"));
  if (2 * ph > kh || 2 * pw > kw) fail(join(path, "padding") + ": more than half the kernel");
  const std::size_t out_h = windows(height, ph, kh, sh, join(path, "kernel_size"), "height");
  const std::size_t out_w = windows(width, pw, kw, sw, join(path, "kernel_size"), "width");
  read.output = {channels, out_h, out_w};
  checked_product({channels, out_h, out_w, kh, kw}, path, "the pooling map");
  FileLayer& file = read.file;
  file.type = max ? "maxpool2d" : "avgpool2d";
  file.sizes = {{"kernel_size", {kh, kw}}, {"stride", {sh, sw}}, {"padding", {ph, pw}}, {"relu", {read.relu ? 1u : 0u}}};
  const mpq_class share(mpz_class(1), mpz_class(static_cast<unsigned long>(max ? 1 : kh * kw)));
  read.map.resize(channels * out_h * out_w);
  for (std::size_t c = 0; c < channels; ++c)
    for (std::size_t i = 0; i < out_h; ++i)
      for (std::size_t j = 0; j < out_w; ++j)
        for (std::size_t a = 0; a < kh; ++a)
          for (std::size_t b = 0; b < kw; ++b) {
            const std::size_t r = i * sh + a, q = j * sw + b;  // in the padded input
            if (r < ph || r >= ph + height || q < pw || q >= pw + width) continue;
            read.map[(c * out_h + i) * out_w + j].terms.emplace_back((c * height + r - ph) * width + q - pw, share);
          }
  for (MapRow& row : read.map) std::sort(row.terms.begin(), row.terms.end());
  return read;
}

/*! returns outer after inner (inner maps `inputs` values); fails with `path` past max_entries terms. */
AffineMap compose(const AffineMap& outer, const AffineMap& inner, std::size_t inputs, const std::string& path) {
  AffineMap result(outer.size());
  std::vector<mpq_class> sum(inputs);
  std::vector<char> seen(inputs, 0);
  std::vector<std::size_t> used;
  std::uint64_t terms = 0;
  for (std::size_t u = 0; u < outer.size(); ++u) {
    MapRow& row = result[u];
    row.bias = outer[u].bias;
    used.clear();
    for (const auto& [j, coefficient] : outer[u].terms) {
      row.bias += coefficient * inner[j].bias;
      terms += inner[j].terms.size();
      if (terms > max_entries) fail(path + ": the composed affine map is too large");
      for (const auto& [x, w] : inner[j].terms) {
        if (!seen[x]) {
          seen[x] = 1;
          sum[x] = 0;
          used.push_back(x);
        }
        sum[x] += coefficient * w;
      }
    }
    std::sort(used.begin(), used.end());
    for (const std::size_t x : used) {
      seen[x] = 0;
      if (sum[x] != 0) row.terms.emplace_back(x, sum[x]);
    }
  }
  return result;
}

/*! returns `map`, rows over the units of the layer before (closed by `previous`, `previous_area` units per channel;
 * null for the network input), as rows over that layer's neurons: with φ(z) = value + s_0 (z - t_1) +
 * sum_i (s_i - s_{i-1}) max(0, z - t_i), a weight w on unit u puts w value into the bias, w s_0 on its first neuron
 * as it is and w (s_i - s_{i-1}) on the rectified neuron i. Then each row becomes the neurons of its own unit under
 * `own` (`own_area` units per channel): the row minus t_i for each breakpoint t_i. */
AffineMap neuron_map(const AffineMap& map, const LayerActivation* previous, std::size_t previous_area,
                     const LayerActivation& own, std::size_t own_area) {
  AffineMap over_neurons;
  if (previous == nullptr) {
    over_neurons = map;
  } else if (!previous->slots.empty()) {
    // After a max layer: w on every slot of the unit; only the slot of the piece the unit takes passes it on.
    std::vector<std::size_t> first_slot(1, 0);
    for (std::size_t k : previous->slots) first_slot.push_back(first_slot.back() + k);
    over_neurons.resize(map.size());
    for (std::size_t r = 0; r < map.size(); ++r) {
      over_neurons[r].bias = map[r].bias;
      for (const auto& [u, w] : map[r].terms)
        for (std::size_t s = first_slot[u]; s < first_slot[u + 1]; ++s) over_neurons[r].terms.emplace_back(s, w);
    }
  } else {
    const std::size_t m = previous->channels[0].breakpoints.size();
    over_neurons.resize(map.size());
    for (std::size_t r = 0; r < map.size(); ++r) {
      MapRow& row = over_neurons[r];
      row.bias = map[r].bias;
      for (const auto& [u, w] : map[r].terms) {
        const Piecewise& f = previous->of_channel(u / previous_area);
        row.bias += w * f.value;
        if (f.slopes[0] != 0) row.linear_terms.emplace_back(u * m, w * f.slopes[0]);
        for (std::size_t i = 0; i < m; ++i)
          if (f.slopes[i + 1] != f.slopes[i]) row.terms.emplace_back(u * m + i, w * (f.slopes[i + 1] - f.slopes[i]));
      }
    }
  }
  if (!own.slots.empty()) return over_neurons;  // a max layer's rows are its pieces
  AffineMap result;
  result.reserve(over_neurons.size() * own.channels[0].breakpoints.size());
  for (std::size_t u = 0; u < over_neurons.size(); ++u)
    for (const mpq_class& t : own.of_channel(u / own_area).breakpoints) {
      result.push_back(over_neurons[u]);
      result.back().bias -= t;
    }
  return result;
}

/*! sets the integer affine map of `layer` from the composed rational map. */
void build_affine_map(NetworkLayer& layer, const AffineMap& map) {
  layer.scale = 1;
  bool linear = false;
  for (const MapRow& row : map) {
    mpz_lcm(layer.scale.get_mpz_t(), layer.scale.get_mpz_t(), row.bias.get_den_mpz_t());
    for (const auto& term : row.terms)
      mpz_lcm(layer.scale.get_mpz_t(), layer.scale.get_mpz_t(), term.second.get_den_mpz_t());
    for (const auto& term : row.linear_terms)
      mpz_lcm(layer.scale.get_mpz_t(), layer.scale.get_mpz_t(), term.second.get_den_mpz_t());
    linear = linear || !row.linear_terms.empty();
  }
  auto scaled = [&](const mpq_class& value) {
    mpz_class result;
    mpz_divexact(result.get_mpz_t(), layer.scale.get_mpz_t(), value.get_den_mpz_t());
    return mpz_class(result * value.get_num());
  };
  layer.row_begin.assign(1, 0);
  layer.row_begin.reserve(map.size() + 1);
  layer.column.clear();
  layer.integer_weight.clear();
  layer.integer_bias.clear();
  layer.integer_bias.reserve(map.size());
  for (const MapRow& row : map) {
    for (const auto& [x, w] : row.terms) {
      layer.column.push_back(x);
      layer.integer_weight.push_back(scaled(w));
    }
    layer.integer_bias.push_back(scaled(row.bias));
    layer.row_begin.push_back(layer.column.size());
  }
  layer.linear_begin.clear();
  layer.linear_column.clear();
  layer.linear_weight.clear();
  if (!linear) return;
  layer.linear_begin.assign(1, 0);
  for (const MapRow& row : map) {
    for (const auto& [x, w] : row.linear_terms) {
      layer.linear_column.push_back(x);
      layer.linear_weight.push_back(scaled(w));
    }
    layer.linear_begin.push_back(layer.linear_column.size());
  }
}

/*! returns a number for each activation name, for network_difference's sizes. */
std::size_t activation_code(const std::string& name) {
  const char* const names[] = {"relu", "leaky_relu", "prelu", "hardtanh", "relu6"};
  for (std::size_t i = 0; i < 5; ++i)
    if (name == names[i]) return i;
  return 5;
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
  TensorShape hidden_input = model.input_shape;  // what the hidden layer being read reads
  bool flat = false;                             // after a linear layer or a flatten
  bool pending = false;                          // layers without ReLU since the last ReLU
  bool open_main = false;                        // among them a conv2d or linear layer (at index main_index)
  std::size_t first_pending = 0, main_index = 0;
  NetworkLayer::Type main_type = NetworkLayer::Type::linear;
  AffineMap map;  // the composition of the pending layers, on the hidden layer's input
  LayerActivation previous_activation;  // the activation closing the last hidden layer read
  model.first_neuron.assign(1, 0);
  mpz_class form_scale = 1;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const std::string layer_path = at(layers_path, l);
    const json& object = layers[l];
    if (!object.is_object()) fail(layer_path + ": not a JSON object");
    const json& type = member(object, "type", layer_path);
    ReadLayer read;
    std::size_t maxout_pieces = 0;
    if (type == "conv2d") {
      if (flat) fail(layer_path + ": a conv2d layer after a linear layer or a flatten is not supported");
      read = read_conv2d(object, current, layer_path, total_bits);
    } else if (type == "linear") {
      read = read_linear(object, current, layer_path, total_bits);
      flat = true;
    } else if (type == "batchnorm") {
      read = read_batchnorm(object, current, layer_path, total_bits);
    } else if (type == "avgpool2d") {
      if (flat) fail(layer_path + ": an avgpool2d layer after a linear layer or a flatten is not supported");
      read = read_avgpool2d(object, current, layer_path);
    } else if (type == "maxout") {
      if (open_main) fail(layer_path + ": a maxout layer after a conv2d/linear layer without its activation");
      read = read_maxout(object, current, layer_path, total_bits, maxout_pieces);
      flat = true;
    } else if (type == "maxpool2d") {
      if (model.layers.empty())
        fail(layer_path + ": a maxpool2d needs a hidden layer with an activation before it");
      if (open_main) fail(layer_path + ": a maxpool2d after a conv2d/linear layer without its activation");
      if (flat) fail(layer_path + ": a maxpool2d after a linear layer or a flatten is not supported");
      read = read_avgpool2d(object, current, layer_path, true);
    } else if (type == "flatten") {
      check_keys(object, {"type", "relu", "activation"}, layer_path, "for a flatten layer");
      read.relu = read_relu(object, layer_path, false);
      read.file.type = "flatten";
      read.file.sizes = {{"relu", {read.relu ? 1u : 0u}}};
      read.output = {volume(current), 1, 1};
      read.map.resize(volume(current));
      for (std::size_t x = 0; x < read.map.size(); ++x) read.map[x].terms.emplace_back(x, 1);
      flat = true;
    } else {
      fail(join(layer_path, "type") + ": expected \"conv2d\", \"linear\", \"maxout\", \"batchnorm\", \"avgpool2d\", "
           "\"maxpool2d\" or \"flatten\", found " + describe(type));
    }
    if (read.main) {
      if (open_main)
        fail(layer_path + ": a second conv2d/linear layer without a ReLU after layers[" + std::to_string(main_index) +
             "] is not supported");
      open_main = true;
      main_index = l;
      main_type = type == "conv2d" ? NetworkLayer::Type::conv2d : NetworkLayer::Type::linear;
    } else if (read.relu && !open_main && type != "maxpool2d" && type != "maxout") {
      fail(join(layer_path, "relu") + ": ReLU after a " + type.get<std::string>() +
           " needs a conv2d or linear layer without ReLU before it");
    }
    if (!pending) first_pending = l;
    std::vector<std::size_t> slots;  // a maxpool2d: the pieces of each unit
    if (type == "maxpool2d") {
      // The pieces are the tapped inputs themselves (after the steps since the activation), not their sum.
      AffineMap pieces;
      for (const MapRow& unit : read.map) {
        slots.push_back(unit.terms.size());
        for (const auto& term : unit.terms) {
          if (pending) {
            pieces.push_back(map[term.first]);
          } else {
            pieces.emplace_back();
            pieces.back().terms.emplace_back(term.first, 1);
          }
        }
      }
      map = std::move(pieces);
    } else {
      map = pending ? compose(read.map, map, volume(hidden_input), layer_path) : std::move(read.map);
      if (type == "maxout") slots.assign(read.output[0], maxout_pieces);
    }
    pending = true;
    current = read.output;
    model.file_layers.push_back(std::move(read.file));
    if (!read.relu) continue;
    // An activation (ReLU by default) closes the hidden layer, or a maxpool2d, a layer of max units.
    LayerActivation activation;
    if (slots.empty()) {
      activation = read_activation(object, current[0], layer_path, total_bits);
      model.file_layers.back().sizes.push_back(
          {"activation", {activation_code(activation.name), activation.parameters.size()}});
      model.file_layers.back().tensors.push_back({"activation", {activation.parameters.size()}, activation.parameters});
    } else {
      activation.name = "max";
      activation.slots = slots;
    }
    NetworkLayer layer;
    layer.type = slots.empty() ? main_type : NetworkLayer::Type::max;
    layer.input_shape = hidden_input;
    layer.output_shape = current;
    layer.activation = activation.name;
    layer.per_unit = activation.channels[0].breakpoints.size();
    layer.input_neurons = model.layers.empty() ? model.input_dimension : model.layers.back().outputs();
    if (!slots.empty()) {
      layer.unit_begin.assign(1, 0);
      for (std::size_t k : slots) layer.unit_begin.push_back(layer.unit_begin.back() + k);
    }
    const std::size_t total = model.first_neuron.back() + layer.outputs();
    if (total > max_neurons || total * (model.input_dimension + 1) > max_form_entries)
      fail(layer_path + ": " + std::to_string(total) + " hidden neurons up to this layer exceed the cap of " +
           std::to_string(std::min(max_neurons, max_form_entries / (model.input_dimension + 1))) +
           " for input dimension " + std::to_string(model.input_dimension));
    build_affine_map(layer, neuron_map(map, model.layers.empty() ? nullptr : &previous_activation,
                                       hidden_input[1] * hidden_input[2], activation, current[1] * current[2]));
    map.clear();
    previous_activation = std::move(activation);
    model.first_neuron.push_back(total);
    form_scale *= layer.scale;
    model.form_scale.push_back(form_scale);
    model.layers.push_back(std::move(layer));
    hidden_input = current;
    pending = open_main = false;
  }
  if (open_main)
    fail(at(layers_path, main_index) + ": no ReLU follows this layer (a last linear layer without ReLU is the readout)");
  if (model.layers.empty()) fail(layers_path + ": no hidden layer (no layer is followed by ReLU)");
  const auto readout = network.find("readout");
  if (pending && readout == network.end())
    fail(at(layers_path, first_pending) + ": no ReLU follows this layer, and there is no readout for it to feed");
  // The read-out (a linear layer without ReLU after the last hidden layer and the layers without ReLU after it)
  // changes no region: its shape is validated like a linear layer's, and it is left out of the model.
  if (readout != network.end()) {
    const std::string readout_path = join(path, "readout");
    if (!readout->is_object()) fail(readout_path + ": not a JSON object");
    if (auto type = readout->find("type"); type != readout->end() && *type != "linear")
      fail(join(readout_path, "type") + ": expected \"linear\", found " + describe(*type));
    check_keys(*readout, {"type", "out_features", "in_features", "weight", "bias"}, readout_path, "for a linear layer");
    read_linear(*readout, current, readout_path, total_bits);
  }
  return model;
}

std::string network_difference(const NetworkModel& first, const std::string& first_name, const NetworkModel& second,
                               const std::string& second_name) {
  auto differ = [&](const std::string& what, const std::string& in_first, const std::string& in_second) {
    return what + " is " + in_first + " in " + first_name + " and " + in_second + " in " + second_name;
  };
  auto sizes_text = [](const std::vector<std::size_t>& sizes) {
    return sizes.size() == 2 ? pair_text(sizes[0], sizes[1]) : std::to_string(sizes.at(0));
  };
  if (first.input_shape != second.input_shape)
    return differ("input_shape", shape_text(first.input_shape), shape_text(second.input_shape));
  if (first.file_layers.size() != second.file_layers.size())
    return differ("the number of layers", std::to_string(first.file_layers.size()),
                  std::to_string(second.file_layers.size()));
  for (std::size_t l = 0; l < first.file_layers.size(); ++l) {
    const FileLayer& a = first.file_layers[l];
    const FileLayer& b = second.file_layers[l];
    const std::string path = "layers[" + std::to_string(l) + "]";
    if (a.type != b.type) return differ(path + ".type", a.type, b.type);
    // The same type: the same named sizes in the same order.
    for (std::size_t i = 0; i < a.sizes.size(); ++i)
      if (a.sizes[i].second != b.sizes[i].second) {
        if (a.sizes[i].first == "relu")
          return differ(path + ".relu", a.sizes[i].second[0] ? "true" : "false", b.sizes[i].second[0] ? "true" : "false");
        if (a.sizes[i].first == "activation")
          return path + ".activation differs between " + first_name + " and " + second_name;
        return differ(path + "." + a.sizes[i].first, sizes_text(a.sizes[i].second), sizes_text(b.sizes[i].second));
      }
    // Equal input shapes (by induction) and equal sizes: the tensors have the same axes.
    for (std::size_t t = 0; t < a.tensors.size(); ++t) {
      const FileLayer::Tensor& x = a.tensors[t];
      const FileLayer::Tensor& y = b.tensors[t];
      for (std::size_t i = 0; i < x.values.size(); ++i)
        if (x.values[i] != y.values[i])
          return differ(path + "." + x.name + tensor_index(i, x.axes), x.values[i].get_str(), y.values[i].get_str());
    }
  }
  return {};
}

std::size_t chosen_slot(const NetworkLayer& layer, std::size_t first, std::size_t unit, std::string_view pattern) {
  for (std::size_t s = layer.unit_begin[unit]; s < layer.unit_begin[unit + 1]; ++s)
    if (s + first < pattern.size() && pattern[first + s] == '0') return s;
  return layer.unit_begin[unit];  // none: the pattern is invalid (check 1 says so); any slot will do meanwhile
}

namespace {

/*! returns, for each neuron of layer `layer`, whether its gated value passes on under `pattern`: '+' after an
 * activation; the piece the unit takes, after a max layer. */
std::vector<char> gates(const NetworkModel& network, std::size_t layer, std::string_view pattern) {
  const NetworkLayer& spec = network.layers[layer];
  const std::size_t first = network.first_neuron[layer];
  std::vector<char> open(spec.outputs(), 0);
  if (!spec.is_max()) {
    for (std::size_t j = 0; j < open.size(); ++j) open[j] = pattern.at(first + j) == '+';
    return open;
  }
  for (std::size_t u = 0; u + 1 < spec.unit_begin.size(); ++u) open[chosen_slot(spec, first, u, pattern)] = 1;
  return open;
}

}  // namespace

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
    const std::vector<char> open = gates(network, layer - 1, pattern);
    input.assign(spec.inputs(), Form(n + 1));
    for (std::size_t j = 0; j < input.size(); ++j)
      if (open[j]) input[j] = previous.at(j);
  }
  // Output u is (integer_bias_u + sum of integer_weight_e * input[column_e]) / scale.
  const mpq_class inverse_scale(mpz_class(1), spec.scale);
  std::vector<Form> result;
  result.reserve(spec.outputs());
  for (std::size_t u = 0; u < spec.outputs(); ++u) {
    Form form(n + 1);
    form[0] = spec.integer_bias[u];
    for (std::size_t e = spec.row_begin[u]; e < spec.row_begin[u + 1]; ++e) {
      const Form& term = input[spec.column[e]];
      const mpq_class weight(spec.integer_weight[e]);
      for (std::size_t i = 0; i <= n; ++i)
        if (term[i] != 0) form[i] += weight * term[i];
    }
    if (spec.has_linear())
      for (std::size_t e = spec.linear_begin[u]; e < spec.linear_begin[u + 1]; ++e) {
        const Form& term = previous.at(spec.linear_column[e]);
        const mpq_class weight(spec.linear_weight[e]);
        for (std::size_t i = 0; i <= n; ++i)
          if (term[i] != 0) form[i] += weight * term[i];
      }
    for (mpq_class& value : form) value *= inverse_scale;
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
    const NetworkLayer& spec = network.layers[l];
    if (spec.is_max()) {  // the slots: p_c - p_s
      const std::size_t first = network.first_neuron[l];
      for (std::size_t u = 0; u + 1 < spec.unit_begin.size(); ++u) {
        const Form& chosen = current[chosen_slot(spec, first, u, pattern)];
        for (std::size_t s = spec.unit_begin[u]; s < spec.unit_begin[u + 1]; ++s) {
          Form slot = chosen;
          for (std::size_t i = 0; i < slot.size(); ++i) slot[i] -= current[s][i];
          all.push_back(std::move(slot));
        }
      }
    } else {
      all.insert(all.end(), current.begin(), current.end());
    }
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
  const std::vector<char> open = gates(network, layer - 1, pattern);
  for (std::size_t u = 0; u < outputs; ++u) {
    IntegerForm& form = out[u];
    form.resize(n + 1);
    mpz_mul(form[0].get_mpz_t(), spec.integer_bias[u].get_mpz_t(), previous_scale.get_mpz_t());
    for (std::size_t i = 1; i <= n; ++i) form[i] = 0;
    for (std::size_t e = spec.row_begin[u]; e < spec.row_begin[u + 1]; ++e) {
      const std::size_t j = spec.column[e];
      if (!open[j]) continue;
      const mpz_srcptr weight = spec.integer_weight[e].get_mpz_t();
      const IntegerForm& term = previous[j];
      for (std::size_t i = 0; i <= n; ++i)
        if (mpz_sgn(term[i].get_mpz_t()) != 0) mpz_addmul(form[i].get_mpz_t(), weight, term[i].get_mpz_t());
    }
    if (spec.has_linear())
      for (std::size_t e = spec.linear_begin[u]; e < spec.linear_begin[u + 1]; ++e) {
        const mpz_srcptr weight = spec.linear_weight[e].get_mpz_t();
        const IntegerForm& term = previous[spec.linear_column[e]];
        for (std::size_t i = 0; i <= n; ++i)
          if (mpz_sgn(term[i].get_mpz_t()) != 0) mpz_addmul(form[i].get_mpz_t(), weight, term[i].get_mpz_t());
      }
  }
}

}  // namespace chamber::verify

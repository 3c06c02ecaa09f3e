#include "cnn/network.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <set>

namespace chamber {

// ---------------------------------------------------------------------------------------------- model

Shape output_shape(const Shape& input, const Layer& layer) {
  if (const auto* conv = std::get_if<Conv2d>(&layer))
    return conv_output_shape(input, ConvSpec{conv->out_channels, conv->kernel_h, conv->kernel_w, conv->stride_h,
                                             conv->stride_w});
  return Shape{std::get<Linear>(layer).out_features, 1, 1};
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
  for (const Shape& shape : layer_shapes()) total += shape.size();
  return total;
}

std::vector<RationalVector> affine_rows(const Network& network, std::size_t layer) {
  const Shape in = network.layer_input_shape(layer);
  const Layer& l = network.layers.at(layer);
  std::vector<RationalVector> rows;
  if (const auto* conv = std::get_if<Conv2d>(&l)) {
    const Shape out = output_shape(in, l);
    rows.reserve(out.size());
    for (std::size_t k = 0; k < out.channels; ++k)
      for (std::size_t i = 0; i < out.height; ++i)
        for (std::size_t j = 0; j < out.width; ++j) {
          RationalVector row(in.size() + 1);
          row[0] = conv->bias[k];
          for (std::size_t c = 0; c < in.channels; ++c)
            for (std::size_t a = 0; a < conv->kernel_h; ++a)
              for (std::size_t b = 0; b < conv->kernel_w; ++b) {
                std::size_t x = (c * in.height + i * conv->stride_h + a) * in.width + j * conv->stride_w + b;
                row[1 + x] = conv->weight[((k * in.channels + c) * conv->kernel_h + a) * conv->kernel_w + b];
              }
          rows.push_back(std::move(row));
        }
    return rows;
  }
  const auto& linear = std::get<Linear>(l);
  rows.reserve(linear.out_features);
  for (std::size_t u = 0; u < linear.out_features; ++u) {
    RationalVector row;
    row.reserve(linear.in_features + 1);
    row.push_back(linear.bias[u]);
    auto first = linear.weight.begin() + static_cast<std::ptrdiff_t>(u * linear.in_features);
    row.insert(row.end(), first, first + static_cast<std::ptrdiff_t>(linear.in_features));
    rows.push_back(std::move(row));
  }
  return rows;
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

/*! returns the pre-activations of `layer` on the (post-ReLU) input `y` of shape `in`. */
RationalVector apply_layer(const Layer& layer, const Shape& in, const RationalVector& y) {
  RationalVector z;
  if (const auto* conv = std::get_if<Conv2d>(&layer)) {
    const Shape out = output_shape(in, layer);
    z.reserve(out.size());
    for (std::size_t k = 0; k < out.channels; ++k)
      for (std::size_t i = 0; i < out.height; ++i)
        for (std::size_t j = 0; j < out.width; ++j) {
          Rational sum = conv->bias[k];
          for (std::size_t c = 0; c < in.channels; ++c)
            for (std::size_t a = 0; a < conv->kernel_h; ++a)
              for (std::size_t b = 0; b < conv->kernel_w; ++b) {
                const Rational& w = conv->weight[((k * in.channels + c) * conv->kernel_h + a) * conv->kernel_w + b];
                const Rational& v = y[(c * in.height + i * conv->stride_h + a) * in.width + j * conv->stride_w + b];
                if (sgn(w) != 0 && sgn(v) != 0) sum += w * v;
              }
          z.push_back(sum);
        }
    return z;
  }
  const auto& linear = std::get<Linear>(layer);
  z.reserve(linear.out_features);
  for (std::size_t u = 0; u < linear.out_features; ++u) {
    Rational sum = linear.bias[u];
    for (std::size_t x = 0; x < linear.in_features; ++x) {
      const Rational& w = linear.weight[u * linear.in_features + x];
      if (sgn(w) != 0 && sgn(y[x]) != 0) sum += w * y[x];
    }
    z.push_back(sum);
  }
  return z;
}

}  // namespace

std::vector<Rational> pre_activations(const Network& network, const RationalVector& x) {
  std::vector<Rational> all;
  RationalVector y = x;
  Shape shape = network.input;
  for (const Layer& layer : network.layers) {
    RationalVector z = apply_layer(layer, shape, y);
    all.insert(all.end(), z.begin(), z.end());
    for (Rational& v : z)
      if (sgn(v) < 0) v = 0;
    y = std::move(z);
    shape = output_shape(shape, layer);
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

/*! reads an int (square) or a pair [h, w]; `what` names the field in messages ("stride"). */
std::pair<std::size_t, std::size_t> read_pair(const json& value, const Where& where, const std::string& what) {
  if (value.is_array()) {
    if (value.size() != 2)
      where.fail("expected " + what + " as an integer or [height, width], found " + std::to_string(value.size()) +
                 " entries");
    std::size_t h = read_size(value[0], where.index(0), 0), w = read_size(value[1], where.index(1), 0);
    if (h == 0 || w == 0) where.fail(what + " must be at least 1, found [" + std::to_string(h) + ", " + std::to_string(w) + "]");
    return {h, w};
  }
  if (!value.is_number_integer()) where.fail("expected " + what + " as an integer or [height, width], found " +
                                             describe(value));
  std::size_t v = read_size(value, where, 0);
  if (v == 0) where.fail(what + " must be at least 1, found 0");
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

Conv2d read_conv2d(const json& object, const Shape& in, const Where& where) {
  check_fields(object, {"type", "out_channels", "in_channels", "kernel_size", "stride", "padding", "weight", "bias"},
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
  if (auto it = object.find("padding"); it != object.end()) {
    bool zero = (it->is_number_integer() && *it == 0) || (*it == json::array({0, 0}));
    if (!zero) where.field("padding").fail("padding is not supported (only 0), found " + describe(*it));
  }
  if (conv.kernel_h > in.height || conv.kernel_w > in.width)
    where.field("kernel_size").fail("kernel " + std::to_string(conv.kernel_h) + "x" + std::to_string(conv.kernel_w) +
                                    " is larger than the " + std::to_string(in.height) + "x" +
                                    std::to_string(in.width) + " input of this layer");
  checked_product({conv.out_channels, in.channels, conv.kernel_h, conv.kernel_w}, where.field("weight"),
                  "the weight tensor");
  Shape out = output_shape(in, conv);
  checked_product({out.channels, out.height, out.width}, where, "the output " + shape_text(out));
  std::vector<Dimension> dims{{conv.out_channels, "output channels"},
                              {in.channels, "input channels"},
                              {conv.kernel_h, "kernel height"},
                              {conv.kernel_w, "kernel width"}};
  conv.weight.reserve(conv.out_channels * in.channels * conv.kernel_h * conv.kernel_w);
  read_tensor(require(object, "weight", where), dims, 0, where.field("weight"), conv.weight);
  read_tensor(require(object, "bias", where), {{conv.out_channels, "output channels"}}, 0, where.field("bias"),
              conv.bias);
  return conv;
}

Linear read_linear(const json& object, const Shape& in, std::size_t layer, const Where& where) {
  check_fields(object, {"type", "out_features", "in_features", "weight", "bias"}, where, "for a linear layer");
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
  Shape current = network.input;
  std::size_t neurons = 0;
  bool after_linear = false;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Where where = layers_where.index(l);
    const json& layer = layers[l];
    if (!layer.is_object()) where.fail("expected a layer object, found " + describe(layer));
    const json& type = require(layer, "type", where);
    if (type == "conv2d") {
      if (after_linear) where.fail("conv2d after a linear layer is not supported");
      network.layers.emplace_back(read_conv2d(layer, current, where));
    } else if (type == "linear") {
      network.layers.emplace_back(read_linear(layer, current, l, where));
      after_linear = true;
    } else {
      where.field("type").fail("unknown layer type " + describe(type) + " (expected \"conv2d\" or \"linear\")");
    }
    current = output_shape(current, network.layers.back());
    // Checked layer by layer, before the next layer's weights are read: the affine forms have n + 1 entries each.
    neurons += current.size();
    if (neurons > max_hidden_neurons || neurons * (network.input.size() + 1) > max_form_entries)
      where.fail("the network has " + std::to_string(neurons) + " hidden neurons up to this layer, over the cap of " +
                 std::to_string(std::min(max_hidden_neurons, max_form_entries / (network.input.size() + 1))) +
                 " for input dimension " + std::to_string(network.input.size()));
  }
  // The read-out: a linear layer without ReLU on the last hidden layer's output (changes no region).
  if (auto it = document.find("readout"); it != document.end()) {
    const Where where = top.field("readout");
    if (!it->is_object())
      where.fail("expected a linear read-out {\"out_features\", \"weight\", \"bias\"}, found " + describe(*it));
    if (auto type = it->find("type"); type != it->end() && *type != "linear")
      where.field("type").fail("the read-out is a linear layer, found " + describe(*type));
    network.readout = read_linear(*it, current, layers.size(), where);
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

json to_json(const Network& network) {
  json layers = json::array();
  Shape in = network.input;
  for (const Layer& layer : network.layers) {
    if (const auto* conv = std::get_if<Conv2d>(&layer)) {
      layers.push_back(json{{"type", "conv2d"},
                            {"out_channels", conv->out_channels},
                            {"kernel_size", {conv->kernel_h, conv->kernel_w}},
                            {"stride", {conv->stride_h, conv->stride_w}},
                            {"weight", nested(conv->weight, {conv->out_channels, in.channels, conv->kernel_h,
                                                             conv->kernel_w})},
                            {"bias", nested(conv->bias, {conv->out_channels})}});
    } else {
      const auto& linear = std::get<Linear>(layer);
      layers.push_back(json{{"type", "linear"},
                            {"out_features", linear.out_features},
                            {"in_features", linear.in_features},
                            {"weight", nested(linear.weight, {linear.out_features, linear.in_features})},
                            {"bias", nested(linear.bias, {linear.out_features})}});
    }
    in = output_shape(in, layer);
  }
  json document{{"format", format_name},
                {"version", 1},
                {"input_shape", {network.input.channels, network.input.height, network.input.width}},
                {"layers", layers}};
  if (network.readout) {
    const Linear& readout = *network.readout;
    document["readout"] = json{{"out_features", readout.out_features},
                               {"in_features", readout.in_features},
                               {"weight", nested(readout.weight, {readout.out_features, readout.in_features})},
                               {"bias", nested(readout.bias, {readout.out_features})}};
  }
  return document;
}

void write_network_file(const Network& network, const std::string& path) {
  write_file_atomically(path, to_json(network).dump() + "\n");
}

}  // namespace chamber

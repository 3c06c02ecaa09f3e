#include "cnn/architecture.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"

#include <algorithm>
#include <charconv>

namespace chamber {

namespace {

/*! parses a positive integer of at most 10^6 (every size here is a small count). */
std::optional<std::size_t> parse_size(const std::string& text) {
  std::size_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 1000000) return std::nullopt;
  return value;
}

/*! splits "AxB" (or "AxBxC") into sizes; nothing when a part is not a size. */
std::optional<std::vector<std::size_t>> parse_sizes(const std::string& text, std::size_t parts) {
  std::vector<std::size_t> sizes;
  std::size_t start = 0;
  for (std::size_t p = 0; p < parts; ++p) {
    std::size_t end = p + 1 == parts ? text.size() : text.find('x', start);
    if (end == std::string::npos) return std::nullopt;
    auto value = parse_size(text.substr(start, end - start));
    if (!value) return std::nullopt;
    sizes.push_back(*value);
    start = end + 1;
  }
  return sizes;
}

}  // namespace

std::string to_string(const ArchitectureText& a) {
  std::string text = a.input;
  for (const std::string& c : a.conv) text += " conv " + c;
  for (const std::string& l : a.linear) text += " linear " + l;
  return text;
}

Architecture parse_architecture(const ArchitectureText& options) {
  Architecture architecture;
  auto input = parse_sizes(options.input, 3);
  if (!input) throw InputError("--input: expected CxHxW with positive sizes, found " + quote_prefix(options.input));
  architecture.input = Shape{(*input)[0], (*input)[1], (*input)[2]};
  if (architecture.input.size() > max_input_dimension)
    throw InputError("--input: the input dimension C*H*W = " + std::to_string(architecture.input.size()) +
                     " exceeds the cap of " + std::to_string(max_input_dimension));
  if (options.conv.size() + options.linear.size() > max_layers)
    throw InputError(std::to_string(options.conv.size() + options.linear.size()) + " layers exceed the cap of " +
                     std::to_string(max_layers));
  for (const std::string& text : options.conv) {
    const std::string why = "--conv " + quote_prefix(text) + ": expected K:KHxKW:S or K:KHxKW:SHxSW with positive sizes";
    const std::size_t first = text.find(':');
    const std::size_t second = first == std::string::npos ? first : text.find(':', first + 1);
    if (second == std::string::npos) throw InputError(why);
    auto filters = parse_size(text.substr(0, first));
    auto kernel = parse_sizes(text.substr(first + 1, second - first - 1), 2);
    const std::string stride_text = text.substr(second + 1);
    auto stride = stride_text.find('x') == std::string::npos ? parse_sizes(stride_text, 1) : parse_sizes(stride_text, 2);
    if (!filters || !kernel || !stride) throw InputError(why);
    LayerSpec spec;
    spec.conv = true;
    spec.channels_or_units = *filters;
    spec.kernel_h = (*kernel)[0];
    spec.kernel_w = (*kernel)[1];
    spec.stride_h = (*stride)[0];
    spec.stride_w = stride->size() == 2 ? (*stride)[1] : (*stride)[0];
    architecture.layers.push_back(spec);
  }
  for (const std::string& text : options.linear) {
    auto units = parse_size(text);
    if (!units) throw InputError("--linear " + quote_prefix(text) + ": expected a positive number of units");
    LayerSpec spec;
    spec.conv = false;
    spec.channels_or_units = *units;
    architecture.layers.push_back(spec);
  }
  if (architecture.layers.empty()) throw InputError("no layers: give at least one --conv or --linear");
  std::size_t neurons = 0;
  for (const Shape& shape : architecture.shapes()) {  // also checks that every kernel fits
    neurons += shape.size();
    if (neurons > max_hidden_neurons)
      throw InputError("the architecture has more than " + std::to_string(max_hidden_neurons) +
                       " hidden neurons (the cap)");
  }
  return architecture;
}

std::vector<ConvSpec> Architecture::conv_layers() const {
  std::vector<ConvSpec> convs;
  for (const LayerSpec& spec : layers)
    if (spec.conv) convs.push_back(spec.conv_spec());
  return convs;
}

std::vector<std::size_t> Architecture::linear_widths() const {
  std::vector<std::size_t> widths;
  for (const LayerSpec& spec : layers)
    if (!spec.conv) widths.push_back(spec.channels_or_units);
  return widths;
}

std::vector<Shape> Architecture::shapes() const {
  std::vector<Shape> shapes;
  Shape in = input;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& spec = layers[l];
    if (spec.conv) {
      if (spec.kernel_h > in.height || spec.kernel_w > in.width)
        throw InputError("--conv layer " + std::to_string(l + 1) + ": kernel " + std::to_string(spec.kernel_h) + "x" +
                         std::to_string(spec.kernel_w) + " larger than its input " + std::to_string(in.height) + "x" +
                         std::to_string(in.width));
      in = conv_output_shape(in, spec.conv_spec());
    } else {
      in = Shape{spec.channels_or_units, 1, 1};
    }
    shapes.push_back(in);
  }
  return shapes;
}

std::size_t Architecture::hidden_neurons() const {
  std::size_t neurons = 0;
  for (const Shape& shape : shapes()) neurons += shape.size();
  return neurons;
}

Architecture architecture_of(const Network& network) {
  if (const std::string why = beyond_closed_forms(network); !why.empty())
    throw InputError("the network is beyond a weight-free architecture: " + why);
  Architecture architecture;
  architecture.input = network.input;
  for (const Layer& layer : network.layers) {
    LayerSpec spec;
    if (const auto* conv = std::get_if<Conv2d>(&layer)) {
      spec = LayerSpec{true, conv->out_channels, conv->kernel_h, conv->kernel_w, conv->stride_h, conv->stride_w};
    } else {
      spec.conv = false;
      spec.channels_or_units = std::get<Linear>(layer).out_features;
    }
    architecture.layers.push_back(spec);
  }
  return architecture;
}

namespace {

/*! returns the form evaluated by `value`, or without a value and with the reason when a cap stops it. */
template <class Evaluate>
ClosedForm evaluated(const char* key, const char* label, Evaluate&& value) {
  try {
    return ClosedForm{key, label, value(), ""};
  } catch (const LimitReached& cap) {
    return ClosedForm{key, label, std::nullopt, cap.what()};
  }
}

}  // namespace

nlohmann::json closed_form_json(const ClosedForm& form) {
  if (!form.value) return nullptr;
  if (form.value->fits_slong_p()) return static_cast<std::int64_t>(form.value->get_si());
  return form.value->get_str();
}

std::string closed_form_text(const ClosedForm& form) {
  if (!form.applies) return "does not apply: " + form.note;
  return form.value ? form.value->get_str() : "not evaluated: " + form.note;
}

void add_closed_forms_json(nlohmann::json& out, const std::vector<ClosedForm>& forms) {
  for (const ClosedForm& f : forms) {
    out[f.key] = closed_form_json(f);
    if (!f.applies) out["not_applicable"][f.key] = f.note;
  }
}

namespace {

/*! Montúfar et al. 2014's maxout bounds, for a network with maxout layers: each with its hypotheses checked (plain
 * maxout layers on the input, nothing else), or listed as not applying with the reason. */
void add_maxout_bounds(const Network& network, std::vector<ClosedForm>& forms) {
  const std::size_t maxouts = static_cast<std::size_t>(std::count_if(
      network.layers.begin(), network.layers.end(), [](const Layer& l) { return std::holds_alternative<Maxout>(l); }));
  if (maxouts == 0) return;
  const std::size_t n0 = network.input_dimension();
  std::string why;
  for (std::size_t l = 0; l < network.layers.size() && why.empty(); ++l) {
    const auto* maxout = std::get_if<Maxout>(&network.layers[l]);
    if (maxout == nullptr)
      why = "layer " + std::to_string(l) + " is not a maxout layer";
    else if (std::any_of(maxout->before.begin(), maxout->before.end(),
                         [](const AffineStep& s) { return !std::holds_alternative<Flatten>(s); }))
      why = "layer " + std::to_string(l) + " has an affine layer before it";
  }
  const auto& first = network.layers.front();
  const auto* single = network.layers.size() == 1 ? std::get_if<Maxout>(&first) : nullptr;
  const std::string single_label = "Montufar et al. 2014 single maxout layer upper bound min(sum C(k^2 n1, j), k^n1)";
  const std::string lower_label = "Montufar et al. 2014 single maxout layer lower bound k^min(n0, n1), on the maximum "
                                  "over weights";
  const std::string deep_label = "Montufar et al. 2014 deep maxout lower bound k^(L-1) k^n0, on the maximum over weights";
  auto not_applying = [&](const char* key, const std::string& label, const std::string& reason) {
    forms.push_back(ClosedForm{key, label, std::nullopt, reason, false});
  };
  if (why.empty() && single != nullptr) {
    forms.push_back({"maxout_upper", single_label, maxout_single_upper(n0, single->out_features, single->pieces)});
    forms.push_back({"maxout_lower", lower_label, maxout_single_lower(n0, single->out_features, single->pieces)});
  } else {
    const std::string reason = !why.empty() ? why : "the network has " + std::to_string(network.layers.size()) +
                                                        " layers, the bound is about one";
    not_applying("maxout_upper", single_label, reason);
    not_applying("maxout_lower", lower_label, reason);
  }
  std::string deep_why = why;
  if (deep_why.empty())
    for (std::size_t l = 0; l < network.layers.size() && deep_why.empty(); ++l) {
      const Maxout& m = std::get<Maxout>(network.layers[l]);
      if (m.out_features != n0)
        deep_why = "layer " + std::to_string(l) + " has width " + std::to_string(m.out_features) +
                   ", the bound is about width n0 = " + std::to_string(n0);
      else if (m.pieces != std::get<Maxout>(first).pieces)
        deep_why = "the layers' ranks differ";
    }
  if (deep_why.empty())
    forms.push_back({"maxout_deep_lower", deep_label,
                     maxout_deep_lower(network.layers.size(), n0, std::get<Maxout>(first).pieces)});
  else
    not_applying("maxout_deep_lower", deep_label, deep_why);
}

}  // namespace

std::vector<ClosedForm> closed_forms(const Network& network) {
  const std::string why = beyond_closed_forms(network);
  if (why.empty()) return closed_forms(architecture_of(network));
  std::size_t convs = 0, linears = 0;
  for (const Layer& layer : network.layers) {
    if (std::holds_alternative<Conv2d>(layer)) ++convs;
    if (std::holds_alternative<Linear>(layer)) ++linears;
  }
  const std::string note = why + " (the paper's hypotheses do not hold)";
  std::vector<ClosedForm> forms;
  if (network.relu_only()) {
    forms.push_back({"lemma2", "Lemma 2 (2^neurons)", lemma2(network.hidden_neurons())});
  } else {
    // Lemma 2's argument with other activations: a unit with m breakpoints (parallel hyperplanes) has m + 1 pieces,
    // a max unit as many as its window's inputs.
    Integer pieces = 1;
    for (std::size_t l = 0; l < network.layers.size(); ++l) {
      if (is_max_layer(network.layers[l])) {
        for (std::size_t k : max_slots(network, l)) pieces *= static_cast<unsigned long>(k);
        continue;
      }
      Integer per_layer;
      const std::size_t m = breakpoints(activation_of(network.layers[l]));
      mpz_ui_pow_ui(per_layer.get_mpz_t(), m + 1, network.layer_output_shape(l).size());
      pieces *= per_layer;
    }
    forms.push_back({"lemma2", "Lemma 2 generalised (pieces per unit, multiplied)", pieces});
  }
  auto not_applying = [&](const char* key, const char* label) {
    forms.push_back(ClosedForm{key, label, std::nullopt, note, false});
  };
  if (convs == 1 && linears == 0) {
    not_applying("eq4", "Theorem 2 eq. (4)");
    not_applying("theorem1", "Theorem 1 (one FC layer of as many neurons)");
  }
  if (convs >= 2 && linears == 0) {
    not_applying("theorem5_lower", "Theorem 5 lower bound (8), on the maximum over weights");
    not_applying("theorem5_upper", "Theorem 5 upper bound (9)");
  }
  if (convs == 0) {
    if (linears == 1) not_applying("theorem1", "Theorem 1");
    not_applying("montufar_lower", "Montufar et al. 2014 lower bound, on the maximum over weights");
    not_applying("serra_upper", "Serra et al. 2018 upper bound");
  }
  if (convs > 0 && linears > 0) not_applying("theorem1_fc", "Theorem 1 for one FC layer of all the hidden neurons");
  add_maxout_bounds(network, forms);
  return forms;
}

std::vector<ClosedForm> closed_forms(const Architecture& architecture) {
  const std::vector<Shape> shapes = architecture.shapes();
  const Shape& input = architecture.input;
  const std::vector<ConvSpec> convs = architecture.conv_layers();
  const std::vector<std::size_t> widths = architecture.linear_widths();
  const std::size_t n0 = architecture.input.size();
  const std::size_t hidden = architecture.hidden_neurons();

  std::vector<ClosedForm> forms;
  forms.push_back({"lemma2", "Lemma 2 (2^neurons)", lemma2(hidden)});
  // Parameters: the conv layers by the paper's count, then Σ U (in + 1) for the linear layers.
  Integer parameters = convs.empty() ? Integer(0) : cnn_parameters(input, convs);
  std::size_t in = convs.empty() ? n0 : shapes[convs.size() - 1].size();
  for (std::size_t u : widths) {
    parameters += Integer(static_cast<unsigned long>(u)) * static_cast<unsigned long>(in + 1);
    in = u;
  }
  forms.push_back({"parameters", "parameters", parameters});
  std::vector<std::size_t> same_widths;
  for (const Shape& s : shapes) same_widths.push_back(s.size());
  forms.push_back({"fc_parameters", "parameters of the fully connected net of the same widths",
                   fc_parameters(n0, same_widths)});
  if (convs.size() == 1 && widths.empty()) {
    forms.push_back(evaluated("eq4", "Theorem 2 eq. (4)", [&] { return eq4(input, convs[0]); }));
    forms.push_back({"theorem1", "Theorem 1 (one FC layer of as many neurons)", theorem1(n0, hidden)});
  }
  if (convs.size() >= 2 && widths.empty()) {
    forms.push_back(evaluated("theorem5_lower", "Theorem 5 lower bound (8), on the maximum over weights",
                              [&] { return theorem5_lower(input, convs); }));
    forms.push_back(
        evaluated("theorem5_upper", "Theorem 5 upper bound (9)", [&] { return theorem5_upper(input, convs); }));
  }
  if (convs.empty()) {
    if (widths.size() == 1) forms.push_back({"theorem1", "Theorem 1", theorem1(n0, widths[0])});
    forms.push_back({"montufar_lower", "Montufar et al. 2014 lower bound, on the maximum over weights",
                     montufar_lower(n0, widths)});
    forms.push_back({"serra_upper", "Serra et al. 2018 upper bound", serra_upper(n0, widths)});
  }
  if (!convs.empty() && !widths.empty())
    forms.push_back({"theorem1_fc", "Theorem 1 for one FC layer of all the hidden neurons", theorem1(n0, hidden)});
  return forms;
}

nlohmann::json layers_json(const Architecture& architecture) {
  nlohmann::json layers = nlohmann::json::array();
  const std::vector<Shape> shapes = architecture.shapes();
  for (std::size_t l = 0; l < architecture.layers.size(); ++l) {
    const LayerSpec& spec = architecture.layers[l];
    const Shape& out = shapes[l];
    nlohmann::json layer;
    if (spec.conv) {
      layer = {{"type", "conv2d"},
               {"out_channels", spec.channels_or_units},
               {"kernel_size", {spec.kernel_h, spec.kernel_w}},
               {"stride", {spec.stride_h, spec.stride_w}}};
    } else {
      layer = {{"type", "linear"}, {"out_features", spec.channels_or_units}};
    }
    layer["output_shape"] = {out.channels, out.height, out.width};
    layer["neurons"] = out.size();
    layers.push_back(std::move(layer));
  }
  return layers;
}

namespace {

std::string step_text(const AffineStep& step) {
  if (const auto* pool = std::get_if<AvgPool2d>(&step))
    return "avgpool2d " + std::to_string(pool->kernel_h) + "x" + std::to_string(pool->kernel_w) + " stride " +
           std::to_string(pool->stride_h) + "x" + std::to_string(pool->stride_w) +
           (pool->pad_h || pool->pad_w
                ? " padding " + std::to_string(pool->pad_h) + "x" + std::to_string(pool->pad_w)
                : std::string());
  return std::holds_alternative<BatchNorm>(step) ? "batchnorm" : "flatten";
}

std::string step_type(const AffineStep& step) {
  return std::holds_alternative<BatchNorm>(step) ? "batchnorm"
         : std::holds_alternative<AvgPool2d>(step) ? "avgpool2d"
                                                   : "flatten";
}

template <class Main>
std::string steps_text(const Main& main, const std::string& core) {
  std::string text;
  for (const AffineStep& step : main.before) text += step_text(step) + ", ";
  text += core;
  for (const AffineStep& step : main.after) text += ", " + step_text(step);
  return text;
}

}  // namespace

nlohmann::json layers_json(const Network& network) {
  nlohmann::json layers = nlohmann::json::array();
  const std::vector<Shape> shapes = network.layer_shapes();
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    nlohmann::json layer;
    const std::vector<AffineStep>* before = nullptr;
    const std::vector<AffineStep>* after = nullptr;
    if (const auto* conv = std::get_if<Conv2d>(&network.layers[l])) {
      layer = {{"type", "conv2d"},
               {"out_channels", conv->out_channels},
               {"kernel_size", {conv->kernel_h, conv->kernel_w}},
               {"stride", {conv->stride_h, conv->stride_w}}};
      if (conv->pad_h || conv->pad_w) layer["padding"] = {conv->pad_h, conv->pad_w};
      if (conv->dilation_h != 1 || conv->dilation_w != 1) layer["dilation"] = {conv->dilation_h, conv->dilation_w};
      if (conv->groups != 1) layer["groups"] = conv->groups;
      before = &conv->before, after = &conv->after;
    } else if (const auto* maxout = std::get_if<Maxout>(&network.layers[l])) {
      layer = {{"type", "maxout"}, {"out_features", maxout->out_features}, {"pieces", maxout->pieces}};
      before = &maxout->before, after = &maxout->after;
    } else if (const auto* pool = std::get_if<MaxPool2d>(&network.layers[l])) {
      layer = {{"type", "maxpool2d"},
               {"kernel_size", {pool->kernel_h, pool->kernel_w}},
               {"stride", {pool->stride_h, pool->stride_w}}};
      if (pool->pad_h || pool->pad_w) layer["padding"] = {pool->pad_h, pool->pad_w};
      before = &pool->before, after = &pool->after;
    } else {
      const auto& linear = std::get<Linear>(network.layers[l]);
      layer = {{"type", "linear"}, {"out_features", linear.out_features}};
      before = &linear.before, after = &linear.after;
    }
    for (auto [key, steps] : {std::pair{"before", before}, std::pair{"after", after}}) {
      if (steps->empty()) continue;
      layer[key] = nlohmann::json::array();
      for (const AffineStep& step : *steps) layer[key].push_back(step_type(step));
    }
    layer["output_shape"] = {shapes[l].channels, shapes[l].height, shapes[l].width};
    layer["neurons"] = network.layer_neurons(l);
    if (!is_max_layer(network.layers[l]) && activation_of(network.layers[l]).kind != Activation::Kind::relu)
      layer["activation"] = activation_name(activation_of(network.layers[l]));
    layers.push_back(std::move(layer));
  }
  return layers;
}

std::string describe_layers(const Network& network) {
  std::string text;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    const Shape out = network.layer_output_shape(l);
    if (!text.empty()) text += "; ";
    if (const auto* conv = std::get_if<Conv2d>(&network.layers[l])) {
      std::string core = "conv2d " + std::to_string(conv->out_channels) + " filters " + std::to_string(conv->kernel_h) +
                         "x" + std::to_string(conv->kernel_w) + " stride " + std::to_string(conv->stride_h) +
                         (conv->stride_w != conv->stride_h ? "x" + std::to_string(conv->stride_w) : std::string());
      if (conv->pad_h || conv->pad_w) core += " padding " + std::to_string(conv->pad_h) + "x" + std::to_string(conv->pad_w);
      if (conv->dilation_h != 1 || conv->dilation_w != 1)
        core += " dilation " + std::to_string(conv->dilation_h) + "x" + std::to_string(conv->dilation_w);
      if (conv->groups != 1) core += " groups " + std::to_string(conv->groups);
      text += steps_text(*conv, core);
    } else if (const auto* maxout = std::get_if<Maxout>(&network.layers[l])) {
      text += steps_text(*maxout, "maxout " + std::to_string(maxout->out_features) + " units of rank " +
                                      std::to_string(maxout->pieces));
    } else if (const auto* pool = std::get_if<MaxPool2d>(&network.layers[l])) {
      std::string core = "maxpool2d " + std::to_string(pool->kernel_h) + "x" + std::to_string(pool->kernel_w) +
                         " stride " + std::to_string(pool->stride_h) +
                         (pool->stride_w != pool->stride_h ? "x" + std::to_string(pool->stride_w) : std::string());
      if (pool->pad_h || pool->pad_w) core += " padding " + std::to_string(pool->pad_h) + "x" + std::to_string(pool->pad_w);
      text += steps_text(*pool, core);
    } else {
      const auto& linear = std::get<Linear>(network.layers[l]);
      text += steps_text(linear, "linear " + std::to_string(linear.out_features) + " units");
    }
    if (!is_max_layer(network.layers[l]) && activation_of(network.layers[l]).kind != Activation::Kind::relu)
      text += std::string(", ") + activation_name(activation_of(network.layers[l]));
    text += " -> " + shape_text(out);
  }
  return text;
}

}  // namespace chamber

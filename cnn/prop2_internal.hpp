// The internals of Prop. 2 shared by its two files: the conv layer's geometry (which neuron sits where, which weight
// each normal entry holds, t(B)). prop2.cpp decides conditions (i) and (ii) at given weights; prop2_dependency.cpp
// finds and checks polynomial dependencies that hold for every weight choice. Private to cnn/.
#pragma once

#include "arrangement/errors.hpp"
#include "cnn/formulas.hpp"
#include "cnn/prop2.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace chamber::prop2_detail {

/*! the neurons of one conv layer and where their normals sit. */
struct LayerGeometry {
  Shape input;
  ConvSpec conv;
  std::size_t out_h = 0, out_w = 0, positions = 0, neurons = 0, dimension = 0, weights_per_filter = 0;

  LayerGeometry(const Shape& in, const ConvSpec& spec) : input(in), conv(spec) {
    Shape out;
    try {
      out = conv_output(in, spec);
    } catch (const std::invalid_argument& e) {
      throw InputError(std::string("conv layer: ") + e.what());
    }
    out_h = out.height;
    out_w = out.width;
    positions = out_h * out_w;
    neurons = spec.filters * positions;
    dimension = in.channels * in.height * in.width;
    weights_per_filter = in.channels * spec.kernel_h * spec.kernel_w;
  }

  std::size_t filter_of(std::size_t neuron) const { return neuron / positions; }
  std::size_t position_of(std::size_t neuron) const { return neuron % positions; }
  NeuronPosition where(std::size_t neuron) const {
    const std::size_t p = position_of(neuron);
    return NeuronPosition{filter_of(neuron), p / out_w, p % out_w};
  }

  /*! returns the (input coordinate, weight index) pairs of the neuron's normal: coordinate x holds weight g. */
  std::vector<std::pair<std::size_t, std::size_t>> entries(std::size_t neuron) const {
    const NeuronPosition n = where(neuron);
    std::vector<std::pair<std::size_t, std::size_t>> out;
    out.reserve(weights_per_filter);
    for (std::size_t c = 0; c < input.channels; ++c)
      for (std::size_t a = 0; a < conv.kernel_h; ++a)
        for (std::size_t b = 0; b < conv.kernel_w; ++b) {
          const std::size_t x = (c * input.height + n.i * conv.stride_h + a) * input.width + n.j * conv.stride_w + b;
          const std::size_t g = ((n.filter * input.channels + c) * conv.kernel_h + a) * conv.kernel_w + b;
          out.emplace_back(x, g);
        }
    return out;
  }

  /*! returns t(B). */
  std::vector<std::size_t> counts(const std::vector<std::size_t>& neurons_in_set) const {
    std::vector<std::size_t> t(positions, 0);
    for (std::size_t n : neurons_in_set) ++t[position_of(n)];
    return t;
  }

  /*! checks that `set` holds distinct neurons of the layer; returns it sorted. */
  std::vector<std::size_t> checked_set(std::vector<std::size_t> set, const char* what) const {
    std::sort(set.begin(), set.end());
    for (std::size_t k = 0; k < set.size(); ++k) {
      if (set[k] >= neurons)
        throw InputError(std::string(what) + ": neuron " + std::to_string(set[k]) + " is out of range (the layer has " +
                         std::to_string(neurons) + " neurons)");
      if (k > 0 && set[k] == set[k - 1])
        throw InputError(std::string(what) + ": neuron " + std::to_string(set[k]) + " is listed twice");
    }
    return set;
  }
};

/*! returns the values as "a, b, c". */
inline std::string format_list(const std::vector<std::size_t>& values) {
  std::string text;
  for (std::size_t v : values) text += (text.empty() ? "" : ", ") + std::to_string(v);
  return text;
}

}  // namespace chamber::prop2_detail

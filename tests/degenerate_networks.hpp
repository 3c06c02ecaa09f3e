// Random fully connected networks with small integer weights and, at random, the degenerate cases an exact engine must
// get right: zero rows, dead neurons, duplicate and opposite neurons, hyperplanes through the origin (shared by the
// tests of the 2-D engine and of the cone engine).
#pragma once

#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"

#include <string>

#include <cstdint>
#include <vector>

namespace chamber::testing {

inline LayerSpec linear_layer(std::size_t units) { return LayerSpec{false, units, 1, 1, 1, 1}; }

/*! a random network on an input of `input` coordinates with integer weights in [−range, range] and, at random, zero
 * rows, dead neurons, duplicate and opposite neurons, and rows without bias. */
inline Network degenerate_network(std::uint64_t seed, const std::vector<std::size_t>& widths, long range = 2,
                                  std::size_t input = 2) {
  std::vector<LayerSpec> specs;
  for (std::size_t w : widths) specs.push_back(linear_layer(w));
  Network network = random_network({1, 1, input}, specs, seed, WeightDistribution{WeightDistribution::Integer, -range, range});
  RandomBits bits(seed * 7919 + 13);
  for (Layer& layer : network.layers) {
    Linear& fc = std::get<Linear>(layer);
    const std::size_t in = fc.in_features;
    for (std::size_t u = 0; u < fc.out_features; ++u) {
      auto row = fc.weight.begin() + static_cast<std::ptrdiff_t>(u * in);
      switch (bits.uniform_integer(0, 11)) {
        case 0: std::fill(row, row + static_cast<std::ptrdiff_t>(in), Rational(0)); break;  // constant
        case 1:
          std::fill(row, row + static_cast<std::ptrdiff_t>(in), Rational(0));
          fc.bias[u] = 0;  // identically zero
          break;
        case 2:
        case 3:
          if (u > 0) {  // a duplicate, or the same hyperplane with the other orientation and scale
            const Rational factor = bits.uniform_integer(0, 1) ? Rational(1) : Rational(-3, 2);
            for (std::size_t i = 0; i < in; ++i) row[static_cast<std::ptrdiff_t>(i)] = factor * fc.weight[(u - 1) * in + i];
            fc.bias[u] = factor * fc.bias[u - 1];
          }
          break;
        case 4: fc.bias[u] = 0; break;
        default: break;
      }
    }
  }
  return network;
}

/*! the pattern's characters at the homogeneous point z (z0 > 0): the sign of every form under `pattern`. */
inline std::string signs_at(const IntegerNetwork& network, const std::string& pattern, const Point& z) {
  std::string signs;
  for (const IntegerVector& form : all_forms(network, pattern)) {
    const int s = sgn(dot(form, z.coordinates));
    signs += s > 0 ? '+' : s < 0 ? '-' : '0';
  }
  return signs;
}

}  // namespace chamber::testing

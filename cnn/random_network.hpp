// Random networks, reproducible bit for bit on every machine: our own generator (xoshiro256** seeded by
// splitmix64) and our own integer and Gaussian sampling (the std distributions differ between standard libraries).
#pragma once

#include "cnn/network.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chamber {

/*! how weights and biases are drawn: integers uniform in [lo, hi] ("int:-9:9"), or He initialisation
 * N(0, 2/fan_out) rounded to `bits` binary digits after the point ("he:8"), as in Xiong et al. */
struct WeightDistribution {
  enum Kind { Integer, He } kind = Integer;
  long lo = -9, hi = 9;  // Integer only
  int bits = 8;          // He only
};

/*! parses "int:LO:HI" (LO <= HI) or "he:BITS" (0 <= BITS <= 64). \throws InputError on any other text. */
WeightDistribution parse_weight_distribution(const std::string& text);

/*! returns the text form parsed by parse_weight_distribution. */
std::string to_string(const WeightDistribution& distribution);

/*! returns a network on `input` with the given layers, weights then biases of each layer drawn in storage order
 * from the generator seeded with `seed`. Same arguments → identical network on any machine. With `readout` > 0,
 * a read-out of that many outputs is drawn after every hidden layer (weights, then biases; fan-out `readout`), so
 * the hidden layers are those of the same call without it.
 * \throws InputError when a layer does not fit (kernel larger than its input, zero stride or size, conv after
 * linear, too many entries). */
Network random_network(Shape input, std::vector<LayerSpec> layers, std::uint64_t seed, WeightDistribution distribution,
                       std::size_t readout = 0);

/*! xoshiro256** seeded through splitmix64: the project's portable source of random bits. */
class RandomBits {
 public:
  explicit RandomBits(std::uint64_t seed);
  /*! returns the next 64 random bits. */
  std::uint64_t next();
  /*! returns an integer uniform in [lo, hi] (rejection sampling, no modulo bias). \pre lo <= hi. */
  long uniform_integer(long lo, long hi);
  /*! returns a double uniform in [0, 1) with 53 random bits. */
  double uniform_double();
  /*! returns a standard normal deviate (polar form of Box–Muller, with our own logarithm). */
  double gaussian();

 private:
  std::uint64_t state_[4];
};

}  // namespace chamber

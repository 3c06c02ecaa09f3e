// The sampling estimate of Xiong et al. §6: draw inputs x ~ N(0, σ²) per coordinate, count the distinct
// activation patterns (1 where a pre-activation is > 0). It is a lower bound on the number of linear regions of
// that network, never the count itself; chamber prints it beside the exact count.
#pragma once

#include "arrangement/run_control.hpp"
#include "cnn/network.hpp"

#include <cstdint>

namespace chamber {

struct SampleOptions {
  std::uint64_t samples = 100000;
  double sigma = 3;
  std::uint64_t seed = 1;
  RunControl control;
};

struct SampleResult {
  std::uint64_t samples = 0;
  std::uint64_t distinct_patterns = 0;
  /*! samples whose pattern was recomputed exactly because a pre-activation was too close to 0 for doubles. */
  std::uint64_t exact_reevaluations = 0;
};

/*! samples the network's activation patterns. Inputs come from our own generator (RandomBits, same numbers on
 * every machine); the forward pass runs in doubles, and a sample with any pre-activation within 1e-9 (relative
 * to the magnitude of its terms) of 0 is re-evaluated exactly, so every recorded pattern is the true one at a
 * (dyadic) input point. \throws InputError when sigma is not positive and finite. */
SampleResult sample_patterns(const Network& network, const SampleOptions& options);

}  // namespace chamber

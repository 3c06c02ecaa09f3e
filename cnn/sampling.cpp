#include "cnn/sampling.hpp"

#include "arrangement/errors.hpp"
#include "cnn/random_network.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

namespace chamber {

namespace {

/*! a layer as doubles: its neurons' rows (b, a) over the ReLU of the layer input, and (0, a') over the layer input as
 * it is (empty when all zero): NeuronRows. */
struct DoubleRows {
  std::vector<std::vector<double>> gated, linear;
};

std::vector<std::vector<double>> to_double(const std::vector<RationalVector>& rows) {
  std::vector<std::vector<double>> result;
  for (const RationalVector& row : rows) {
    std::vector<double> r;
    r.reserve(row.size());
    for (const Rational& v : row) r.push_back(v.get_d());
    result.push_back(std::move(r));
  }
  return result;
}

std::vector<DoubleRows> double_rows(const Network& network) {
  std::vector<DoubleRows> layers;
  for (const NeuronRows& rows : neuron_layers(network))
    layers.push_back(DoubleRows{to_double(rows.gated), to_double(rows.linear)});
  return layers;
}

}  // namespace

SampleResult sample_patterns(const Network& network, const SampleOptions& options) {
  if (!(options.sigma > 0) || !std::isfinite(options.sigma))
    throw InputError("--sigma: must be a positive number, found " + std::to_string(options.sigma));
  const std::vector<DoubleRows> layers = double_rows(network);
  const std::size_t n = network.input_dimension();
  RandomBits bits(options.seed);
  std::unordered_set<std::string> patterns;
  SampleResult result;
  std::vector<double> x(n), y, z, magnitude_in, magnitude_out;
  std::string pattern;
  for (std::uint64_t s = 0; s < options.samples; ++s) {
    options.control.check_time("sampling");
    for (double& v : x) v = options.sigma * bits.gaussian();
    pattern.clear();
    y = x;
    magnitude_in.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) magnitude_in[i] = std::fabs(x[i]);
    bool close_call = false;
    // y: the layer input as it is (x, then the previous neurons' pre-activations); post: its ReLU (x for layer 0).
    std::vector<double> post = y;
    for (const DoubleRows& rows : layers) {
      z.assign(rows.gated.size(), 0);
      magnitude_out.assign(rows.gated.size(), 0);
      for (std::size_t k = 0; k < rows.gated.size(); ++k) {
        const std::vector<double>& r = rows.gated[k];
        double value = r[0], magnitude = std::fabs(r[0]);
        for (std::size_t i = 1; i < r.size(); ++i) {
          if (r[i] == 0) continue;
          value += r[i] * post[i - 1];
          magnitude += std::fabs(r[i]) * magnitude_in[i - 1];
        }
        if (!rows.linear.empty()) {
          const std::vector<double>& l = rows.linear[k];
          for (std::size_t i = 1; i < l.size(); ++i) {
            if (l[i] == 0) continue;
            value += l[i] * y[i - 1];
            magnitude += std::fabs(l[i]) * magnitude_in[i - 1];
          }
        }
        if (std::fabs(value) <= 1e-9 * magnitude) close_call = true;
        pattern += value > 0 ? '1' : '0';
        z[k] = value;
        magnitude_out[k] = magnitude;
      }
      y.swap(z);
      post = y;
      for (double& v : post) v = std::max(v, 0.0);
      magnitude_in.swap(magnitude_out);
    }
    if (close_call) {
      ++result.exact_reevaluations;
      RationalVector exact(x.begin(), x.end());
      pattern.clear();
      for (const Rational& v : pre_activations(network, exact)) pattern += sgn(v) > 0 ? '1' : '0';
    }
    patterns.insert(pattern);
    ++result.samples;
    options.control.report([&] {
      return "sample: " + std::to_string(result.samples) + " samples, " + std::to_string(patterns.size()) +
             " patterns";
    });
  }
  result.distinct_patterns = patterns.size();
  return result;
}

}  // namespace chamber

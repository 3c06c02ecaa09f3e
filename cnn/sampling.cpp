#include "cnn/sampling.hpp"

#include "arrangement/errors.hpp"
#include "cnn/random_network.hpp"

#include <cmath>
#include <string>
#include <unordered_set>

namespace chamber {

namespace {

/*! a layer as doubles: rows (b, a) over the layer input. */
using DoubleRows = std::vector<std::vector<double>>;

std::vector<DoubleRows> double_rows(const Network& network) {
  std::vector<DoubleRows> layers;
  for (std::size_t l = 0; l < network.layers.size(); ++l) {
    DoubleRows rows;
    for (const RationalVector& row : affine_rows(network, l)) {
      std::vector<double> r;
      r.reserve(row.size());
      for (const Rational& v : row) r.push_back(v.get_d());
      rows.push_back(std::move(r));
    }
    layers.push_back(std::move(rows));
  }
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
    for (const DoubleRows& rows : layers) {
      z.assign(rows.size(), 0);
      magnitude_out.assign(rows.size(), 0);
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const std::vector<double>& r = rows[k];
        double value = r[0], magnitude = std::fabs(r[0]);
        for (std::size_t i = 1; i < r.size(); ++i) {
          if (r[i] == 0) continue;
          value += r[i] * y[i - 1];
          magnitude += std::fabs(r[i]) * magnitude_in[i - 1];
        }
        if (std::fabs(value) <= 1e-9 * magnitude) close_call = true;
        pattern += value > 0 ? '1' : '0';
        z[k] = value > 0 ? value : 0;
        magnitude_out[k] = value > 0 ? magnitude : 0;
      }
      y.swap(z);
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

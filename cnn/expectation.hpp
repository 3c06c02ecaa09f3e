// eq. (5) of Xiong et al. (2020) says eq. (4) is also the *expected* number of linear regions of a one-conv-layer net
// over random weights. estimate_expectation checks that on an architecture: it draws N weight choices (the generator
// and distributions of `chamber random`, seeds S, S+1, …, S+N−1), counts each network's linear regions exactly (the
// network analysis of `chamber cnn`), and reports the exact mean and variance of the counts beside the closed forms.
// The confidence interval is the only inexact number: a two-sided 95% Student t interval for E[R] (a statement about
// the weight distribution, not about any one network), printed as decimals.
#pragma once

#include "arrangement/count.hpp"
#include "arrangement/number.hpp"
#include "arrangement/run_control.hpp"
#include "cnn/architecture.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/random_network.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

/*! the most weight draws one estimate may take. */
inline constexpr std::size_t max_expectation_draws = 1000000;

struct ExpectationOptions {
  std::size_t draws = 10;
  WeightDistribution weights;
  std::uint64_t seed = 1;  // draw i (0-based) uses seed + i, as `chamber random --seed`
  SearchOptions search;
  NetworkEngine engine = NetworkEngine::automatic;
};

/*! a two-sided confidence interval (decimals: it involves a square root and a t quantile). */
struct ConfidenceInterval {
  double level = 0.95;
  double t_quantile = 0;  // t_{1 − (1 − level)/2, N − 1}
  double low = 0, high = 0;
};

/*! what estimate_expectation found. */
struct ExpectationEstimate {
  std::string architecture;  // as `chamber random` describes it
  std::size_t input_dimension = 0, hidden_neurons = 0;
  nlohmann::json layers;
  ExpectationOptions options;
  std::vector<std::uint64_t> counts;  // counts[i]: exact regions of draw i (seed options.seed + i)
  Rational mean;                      // Σ counts / N, exact
  std::optional<Rational> variance;   // sample variance Σ (c − mean)² / (N − 1), exact; none for N = 1
  std::uint64_t min = 0, max = 0;
  std::optional<ConfidenceInterval> interval;  // none for N = 1
  std::vector<ClosedForm> closed_forms;        // of the architecture (eq. (4) for one conv layer)
  double seconds = 0;

  /*! returns eq. (4) when the architecture is one conv layer and it was evaluated. */
  std::optional<Integer> eq4() const;
  /*! returns the sample standard deviation √variance as a decimal (none for N = 1). */
  std::optional<double> standard_deviation() const;
  /*! the `chamber expect --json` object. */
  nlohmann::json to_json() const;
  /*! the text report. */
  std::string to_text() const;
};

/*! returns the quantile t_{p, df} of Student's t distribution (0 < p < 1, df ≥ 1), by bisection on its distribution
 * function (the regularised incomplete beta function by Lentz's continued fraction), to about 1e-12. */
double student_t_quantile(double p, std::size_t df);

/*! estimates E[R] over `options.draws` random weight choices of `architecture`, every count exact.
 * `control` carries the time limit and progress (one line per second: draws done, running mean).
 * \throws InputError when draws is 0 or above max_expectation_draws; LimitReached, Interrupted as analyse_network. */
ExpectationEstimate estimate_expectation(const Architecture& architecture, const std::string& architecture_text,
                                         const ExpectationOptions& options, const RunControl& control);

}  // namespace chamber

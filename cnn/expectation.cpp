#include "cnn/expectation.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/report_json.hpp"
#include "cnn/analysis.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <sstream>

namespace chamber {

namespace {

/*! returns the continued fraction of the incomplete beta function (Lentz's method), for x < (a + 1)/(a + b + 2). */
double beta_fraction(double a, double b, double x) {
  const double tiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 1000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < 1e-15) break;
  }
  return h;
}

/*! returns the regularised incomplete beta function I_x(a, b), 0 ≤ x ≤ 1. */
double incomplete_beta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double front =
      std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1) / (a + b + 2)) return front * beta_fraction(a, b, x) / a;
  return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

/*! returns P(T ≤ t) for Student's t with `df` degrees of freedom. */
double student_t_cdf(double t, double df) {
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2) = 1 − I_{t²/(df+t²)}(1/2, df/2): the second form keeps its precision for
  // small |t|, where df/(df+t²) rounds to 1.
  const double t2 = t * t;
  const double tail = t2 < df ? 0.5 * (1 - incomplete_beta(0.5, df / 2, t2 / (df + t2)))
                              : 0.5 * incomplete_beta(df / 2, 0.5, df / (df + t2));
  return t >= 0 ? 1 - tail : tail;
}

double to_double(const Rational& value) { return value.get_d(); }

std::string decimal(double value) {
  std::ostringstream out;
  out.precision(10);
  out << value;
  return out.str();
}

nlohmann::json rational_json(const Rational& value) { return to_string(value); }

}  // namespace

double student_t_quantile(double p, std::size_t df) {
  if (!(p > 0 && p < 1) || df == 0) throw std::invalid_argument("student_t_quantile: need 0 < p < 1 and df >= 1");
  double low = -1e9, high = 1e9;
  for (int i = 0; i < 400; ++i) {
    const double middle = (low + high) / 2;
    if (high - low < 1e-14 * std::max(1.0, std::fabs(middle))) break;
    (student_t_cdf(middle, static_cast<double>(df)) < p ? low : high) = middle;
  }
  return (low + high) / 2;
}

std::optional<Integer> ExpectationEstimate::eq4() const {
  for (const ClosedForm& form : closed_forms)
    if (form.key == "eq4" && form.applies) return form.value;
  return std::nullopt;
}

std::optional<double> ExpectationEstimate::standard_deviation() const {
  if (!variance) return std::nullopt;
  return std::sqrt(to_double(*variance));
}

ExpectationEstimate estimate_expectation(const Architecture& architecture, const std::string& architecture_text,
                                         const ExpectationOptions& options, const RunControl& control) {
  if (options.draws == 0) throw InputError("--draws: must be at least 1");
  if (options.draws > max_expectation_draws)
    throw InputError("--draws: " + std::to_string(options.draws) + " exceeds the cap of " +
                     std::to_string(max_expectation_draws));
  const auto start = std::chrono::steady_clock::now();
  ExpectationEstimate result;
  result.architecture = architecture_text;
  result.input_dimension = architecture.input.size();
  result.hidden_neurons = architecture.hidden_neurons();
  result.layers = layers_json(architecture);
  result.options = options;
  result.closed_forms = closed_forms(architecture);

  // Each count runs under the caller's limits but reports nothing itself: the progress line is about the draws.
  RunControl inner = control;
  inner.progress = nullptr;
  NetworkAnalysisOptions analysis;
  analysis.verdict = false;
  analysis.search = options.search;
  analysis.engine = options.engine;
  Integer sum = 0;
  for (std::size_t i = 0; i < options.draws; ++i) {
    control.check_time("chamber expect");
    const Network network =
        random_network(architecture.input, architecture.layers, options.seed + i, options.weights);
    const std::uint64_t regions = analyse_network(network, analysis, inner).stats.regions;
    result.counts.push_back(regions);
    sum += Integer(std::to_string(regions));
    control.report([&] {
      const Rational running(sum, Integer(std::to_string(i + 1)));
      return "chamber expect: " + std::to_string(i + 1) + " of " + std::to_string(options.draws) +
             " draws counted, running mean " + decimal(to_double(running));
    });
  }
  const Integer n(std::to_string(options.draws));
  result.mean = Rational(sum, n);
  result.mean.canonicalize();
  result.min = result.counts.front();
  result.max = result.counts.front();
  for (std::uint64_t c : result.counts) {
    result.min = std::min(result.min, c);
    result.max = std::max(result.max, c);
  }
  if (options.draws >= 2) {
    Rational squares = 0;
    for (std::uint64_t c : result.counts) {
      const Rational deviation = Rational(Integer(std::to_string(c))) - result.mean;
      squares += deviation * deviation;
    }
    Rational variance = squares / Rational(n - 1);
    variance.canonicalize();
    result.variance = variance;
    ConfidenceInterval interval;
    interval.t_quantile = student_t_quantile(0.975, options.draws - 1);
    const double half = interval.t_quantile * std::sqrt(to_double(variance) / static_cast<double>(options.draws));
    interval.low = to_double(result.mean) - half;
    interval.high = to_double(result.mean) + half;
    result.interval = interval;
  }
  result.seconds = seconds_since(start);
  return result;
}

nlohmann::json ExpectationEstimate::to_json() const {
  nlohmann::json out;
  out["architecture"] = architecture;
  out["input_dimension"] = input_dimension;
  out["hidden_neurons"] = hidden_neurons;
  out["layers"] = layers;
  out["weights"] = to_string(options.weights);
  out["seeds"] = {options.seed, options.seed + options.draws - 1};
  out["draws"] = options.draws;
  out["counts"] = counts;
  out["mean"] = rational_json(mean);
  out["mean_decimal"] = to_double(mean);
  out["variance"] = variance ? nlohmann::json(rational_json(*variance)) : nlohmann::json();
  const std::optional<double> deviation = standard_deviation();
  out["standard_deviation"] = deviation ? nlohmann::json(*deviation) : nlohmann::json();
  out["min"] = min;
  out["max"] = max;
  if (interval)
    out["confidence_interval"] = {{"method", "Student t, two-sided"}, {"level", interval->level},
                                  {"t_quantile", interval->t_quantile}, {"low", interval->low},
                                  {"high", interval->high}};
  else
    out["confidence_interval"] = nullptr;
  add_closed_forms_json(out, closed_forms);
  if (const std::optional<Integer> e = eq4()) {
    const int compared = cmp(mean, Rational(*e));
    out["mean_vs_eq4"] = compared < 0 ? "below" : compared == 0 ? "equal" : "above";
    const int max_compared = cmp(Integer(std::to_string(max)), *e);
    out["max_vs_eq4"] = max_compared < 0 ? "below" : max_compared == 0 ? "equal" : "above";
  }
  out["seconds"] = seconds;
  return out;
}

std::string ExpectationEstimate::to_text() const {
  std::ostringstream out;
  out << "architecture " << architecture << " (" << hidden_neurons << " hidden neurons), weights "
      << to_string(options.weights) << ", seeds " << options.seed << ".." << options.seed + options.draws - 1 << '\n';
  out << "exact linear regions of " << options.draws << " draws: mean " << to_string(mean) << " ("
      << decimal(to_double(mean)) << ")";
  if (const std::optional<double> deviation = standard_deviation())
    out << ", standard deviation " << decimal(*deviation) << " (variance " << to_string(*variance) << ")";
  out << ", min " << min << ", max " << max << '\n';
  if (interval)
    out << "95% confidence interval for E[R] (Student t, " << options.draws - 1 << " degrees of freedom, t = "
        << decimal(interval->t_quantile) << "): [" << decimal(interval->low) << ", " << decimal(interval->high)
        << "]\n";
  else
    out << "confidence interval: none from a single draw (range of the exact counts: [" << min << ", " << max
        << "])\n";
  for (const ClosedForm& form : closed_forms) out << "  " << form.label << ": " << closed_form_text(form) << '\n';
  if (const std::optional<Integer> e = eq4()) {
    const int compared = cmp(mean, Rational(*e));
    out << "eq. (5) (E[R] = eq. (4) = " << e->get_str() << "): the mean of the exact counts is "
        << (compared < 0 ? "below" : compared == 0 ? "equal to" : "above") << " eq. (4)";
    if (compared != 0)
      out << " by " << decimal(std::fabs(to_double(mean - Rational(*e))));
    if (interval && compared != 0)
      out << "; eq. (4) is " << (interval->low <= e->get_d() && e->get_d() <= interval->high ? "inside" : "outside")
          << " the 95% interval";
    out << '\n';
  }
  return out.str();
}

}  // namespace chamber

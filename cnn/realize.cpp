#include "cnn/realize.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/report_json.hpp"
#include "cnn/analysis.hpp"
#include "cnn/points.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <sstream>

namespace chamber {

namespace {

Rational relu(const Rational& value) { return sgn(value) > 0 ? value : Rational(0); }

std::string joined(const std::vector<Rational>& values) {
  std::string text;
  for (const Rational& v : values) text += (text.empty() ? "" : ", ") + to_string(v);
  return text;
}

/*! returns a subset L of the jumps (ascending indices) with Σ_{i∈L} δ_i = target, or nothing when none exists. */
std::optional<std::vector<std::size_t>> subset_with_sum(const std::vector<Rational>& jumps, const Rational& target,
                                                        const RunControl& control) {
  std::vector<std::set<Rational>> reachable{{Rational(0)}};
  std::size_t kept = 1;
  std::size_t found = reachable[0].count(target) ? 0 : jumps.size() + 1;
  for (std::size_t j = 0; j < jumps.size() && found > jumps.size(); ++j) {
    control.check_time("chamber realize (subset-sum search)");
    std::set<Rational> next = reachable.back();
    for (const Rational& sum : reachable.back()) {
      const Rational moved = sum + jumps[j];
      next.insert(moved);
    }
    kept += next.size();
    if (kept > max_realize_partial_sums)
      throw LimitReached("chamber realize: deciding whether " + std::to_string(jumps.size()) +
                         " neurons suffice (a subset of the slope jumps summing to -s_0) needs more than " +
                         std::to_string(max_realize_partial_sums) + " partial sums");
    if (next.count(target)) found = j + 1;
    reachable.push_back(std::move(next));
  }
  if (found > jumps.size()) return std::nullopt;
  std::vector<std::size_t> subset;
  Rational rest = target;
  for (std::size_t j = found; j > 0; --j) {
    if (reachable[j - 1].count(rest)) continue;
    subset.push_back(j - 1);
    rest -= jumps[j - 1];
  }
  std::reverse(subset.begin(), subset.end());
  return subset;
}

/*! returns the read-out of `network` at the 1-D input x, exactly. */
Rational output_at(const Network& network, const Rational& x) {
  const std::vector<Rational> pre = pre_activations(network, RationalVector{x});
  const RationalVector row = readout_rows(network).front();
  Rational value = row[0];
  for (std::size_t j = 0; j < pre.size(); ++j) value += row[j + 1] * relu(pre[j]);
  return value;
}

}  // namespace

Rational PiecewiseLinear::value(const Rational& x) const {
  // f(x) = f(0) + ∫_0^x f'(t) dt, piece by piece.
  const bool forward = sgn(x) >= 0;
  const Rational lo = forward ? Rational(0) : x, hi = forward ? x : Rational(0);
  Rational integral = 0;
  for (std::size_t i = 0; i < slopes.size(); ++i) {
    // Piece i is (breakpoints[i-1], breakpoints[i]) with infinite ends.
    Rational from = lo, to = hi;
    if (i > 0 && breakpoints[i - 1] > from) from = breakpoints[i - 1];
    if (i < breakpoints.size() && breakpoints[i] < to) to = breakpoints[i];
    if (from < to) integral += slopes[i] * (to - from);
  }
  const Rational result = forward ? Rational(value_at_zero + integral) : Rational(value_at_zero - integral);
  return result;
}

PiecewiseLinear piecewise_from_slopes(std::vector<Rational> breakpoints, std::vector<Rational> slopes,
                                      Rational value_at_zero) {
  if (breakpoints.empty())
    throw InputError("--breakpoints: at least one breakpoint is needed (an affine function has none: it needs no hidden "
                     "neuron when constant, and two, ReLU(x) - ReLU(-x), otherwise)");
  if (breakpoints.size() > max_realize_breakpoints)
    throw InputError("--breakpoints: " + std::to_string(breakpoints.size()) + " breakpoints exceed the cap of " +
                     std::to_string(max_realize_breakpoints));
  for (std::size_t i = 1; i < breakpoints.size(); ++i)
    if (!(breakpoints[i - 1] < breakpoints[i]))
      throw InputError("--breakpoints: not strictly ascending at entries " + std::to_string(i) + " and " +
                       std::to_string(i + 1) + " (" + to_string(breakpoints[i - 1]) + ", " + to_string(breakpoints[i]) +
                       ")");
  if (slopes.size() != breakpoints.size() + 1)
    throw InputError("--slopes: expected " + std::to_string(breakpoints.size() + 1) + " slopes s0..s" +
                     std::to_string(breakpoints.size()) + " for " + std::to_string(breakpoints.size()) +
                     " breakpoints, found " + std::to_string(slopes.size()));
  for (std::size_t i = 1; i < slopes.size(); ++i)
    if (slopes[i] == slopes[i - 1])
      throw InputError("--slopes: s" + std::to_string(i - 1) + " = s" + std::to_string(i) + " = " +
                       to_string(slopes[i]) + ", so " + to_string(breakpoints[i - 1]) +
                       " is no breakpoint (the slope must change at every breakpoint)");
  return PiecewiseLinear{std::move(breakpoints), std::move(slopes), std::move(value_at_zero)};
}

PiecewiseLinear piecewise_from_points(const std::vector<std::pair<Rational, Rational>>& points,
                                      const std::vector<std::string>& where) {
  if (points.size() < 2)
    throw InputError((where.empty() ? std::string("--points") : where.front()) +
                     ": at least 2 points (x, y) are needed, found " + std::to_string(points.size()));
  std::vector<std::size_t> order(points.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return points[a].first < points[b].first; });
  for (std::size_t i = 1; i < order.size(); ++i)
    if (points[order[i - 1]].first == points[order[i]].first)
      throw InputError(where[order[i]] + ": x = " + to_string(points[order[i]].first) + " also at " +
                       where[order[i - 1]] + " (a function takes one value per x)");
  std::vector<Rational> slopes, breakpoints;
  for (std::size_t i = 1; i < order.size(); ++i) {
    const auto& [x0, y0] = points[order[i - 1]];
    const auto& [x1, y1] = points[order[i]];
    Rational slope = (y1 - y0) / (x1 - x0);
    slope.canonicalize();
    if (!slopes.empty() && slopes.back() == slope) continue;  // collinear: no breakpoint at x0
    if (!slopes.empty()) breakpoints.push_back(x0);
    slopes.push_back(slope);
  }
  if (breakpoints.empty())
    throw InputError((where.empty() ? std::string("--points") : where.front()) +
                     ": the points are collinear (an affine function has no breakpoint to realize)");
  PiecewiseLinear f{breakpoints, slopes, 0};
  // f(0) from the first point: f(x0) = y0.
  const auto& [x0, y0] = points[order.front()];
  f.value_at_zero = y0 - f.value(x0);
  return f;
}

PiecewiseLinear parse_piecewise_linear(const PiecewiseLinearText& text) {
  const bool by_slopes = !text.breakpoints.empty() || !text.slopes.empty();
  const bool by_points = !text.points.empty() || !text.point_list.empty();
  if (by_slopes == by_points || (!text.points.empty() && !text.point_list.empty()))
    throw InputError("give either --breakpoints and --slopes (and optionally --value-at-0) or --points FILE");
  if (by_points) {
    if (!text.value_at_zero.empty())
      throw InputError("--value-at-0: only with --breakpoints/--slopes (with --points the points fix the values)");
    std::vector<std::string> where;
    if (!text.point_list.empty()) {
      for (std::size_t i = 0; i < text.point_list.size(); ++i) where.push_back("points[" + std::to_string(i) + "]");
      return piecewise_from_points(text.point_list, where);
    }
    const std::vector<InputPoint> read = read_points_file(text.points, 2);
    std::vector<std::pair<Rational, Rational>> points;
    for (const InputPoint& p : read) {
      points.emplace_back(p.x[0], p.x[1]);
      where.push_back(text.points + ":" + std::to_string(p.line));
    }
    return piecewise_from_points(points, where);
  }
  if (text.breakpoints.empty()) throw InputError("--breakpoints: required with --slopes");
  if (text.slopes.empty()) throw InputError("--slopes: required with --breakpoints");
  Rational value_at_zero = 0;
  if (!text.value_at_zero.empty()) {
    const RationalVector value = parse_coordinates(text.value_at_zero, "--value-at-0");
    if (value.size() != 1) throw InputError("--value-at-0: expected one exact number");
    value_at_zero = value[0];
  }
  return piecewise_from_slopes(parse_coordinates(text.breakpoints, "--breakpoints"),
                               parse_coordinates(text.slopes, "--slopes"), value_at_zero);
}

Realization realize_1d(const PiecewiseLinear& f, const RunControl& control) {
  Realization result;
  result.function = f;
  const std::size_t k = f.breakpoints.size();
  result.breakpoints = k;
  for (std::size_t i = 0; i < k; ++i) result.jumps.push_back(f.slopes[i + 1] - f.slopes[i]);

  // Neurons (w, β, v): w = ±1, β = ∓b, so the kink is at b; v is the slope jump there.
  struct Neuron {
    int w;
    Rational beta, v;
  };
  std::vector<Neuron> neurons;
  const std::optional<std::vector<std::size_t>> left = subset_with_sum(result.jumps, -f.slopes.front(), control);
  if (left) {
    result.left_facing = *left;
    std::vector<bool> is_left(k, false);
    for (std::size_t i : *left) is_left[i] = true;
    for (std::size_t i = 0; i < k; ++i)
      neurons.push_back(is_left[i] ? Neuron{-1, f.breakpoints[i], result.jumps[i]}
                                   : Neuron{1, -f.breakpoints[i], result.jumps[i]});
  } else {
    result.extra_neuron = true;
    neurons.push_back(Neuron{-1, f.breakpoints[0], -f.slopes[0]});  // jump −s_0, slope s_0 at −∞
    neurons.push_back(Neuron{1, -f.breakpoints[0], f.slopes[1]});   // jump s_1
    for (std::size_t i = 1; i < k; ++i) neurons.push_back(Neuron{1, -f.breakpoints[i], result.jumps[i]});
  }
  result.neurons = neurons.size();

  Linear hidden;
  hidden.out_features = neurons.size();
  hidden.in_features = 1;
  Linear readout;
  readout.out_features = 1;
  readout.in_features = neurons.size();
  Rational constant = f.value_at_zero;
  for (const Neuron& n : neurons) {
    hidden.weight.emplace_back(n.w);
    hidden.bias.push_back(n.beta);
    readout.weight.push_back(n.v);
    constant -= n.v * relu(n.beta);  // the neuron's value at x = 0 is ReLU(β)
  }
  readout.bias.push_back(constant);
  result.network = Network{Shape{1, 1, 1}, {hidden}, readout};

  // The check: chamber's enumeration of the network's linear regions on R, and the read-out at sample points.
  NetworkAnalysisOptions options;
  options.verdict = false;
  const NetworkAnalysis analysis = analyse_network(result.network, options, control);
  result.regions = analysis.stats.regions;
  result.enumerated_breakpoints = analysis.breakpoints.value_or(std::vector<Rational>{});
  result.breakpoints_match = result.enumerated_breakpoints == f.breakpoints;
  std::vector<Rational> xs{f.breakpoints.front() - 1};
  for (std::size_t i = 0; i < k; ++i) {
    xs.push_back(f.breakpoints[i]);
    if (i + 1 < k) xs.push_back((f.breakpoints[i] + f.breakpoints[i + 1]) / 2);
  }
  xs.push_back(f.breakpoints.back() + 1);
  xs.push_back(0);
  result.values_match = true;
  for (Rational& x : xs) {
    x.canonicalize();
    const Rational y = output_at(result.network, x);
    result.samples.emplace_back(x, y);
    if (y != f.value(x)) result.values_match = false;
  }
  if (!result.breakpoints_match)
    throw InternalError("chamber realize: the network built has breakpoints [" + joined(result.enumerated_breakpoints) +
                        "], not the given [" + joined(f.breakpoints) + "]");
  if (!result.values_match) throw InternalError("chamber realize: the network built does not compute the function");
  return result;
}

nlohmann::json Realization::to_json() const {
  nlohmann::json out;
  out["breakpoints"] = json_rationals(function.breakpoints);
  out["slopes"] = json_rationals(function.slopes);
  out["value_at_0"] = to_string(function.value_at_zero);
  out["jumps"] = json_rationals(jumps);
  out["lower_bound"] = breakpoints;
  out["neurons"] = neurons;
  out["extra_neuron"] = extra_neuron;
  out["left_facing"] = extra_neuron ? nlohmann::json() : nlohmann::json(left_facing);
  out["argument"] = extra_neuron
                        ? "every breakpoint is the kink of a neuron, so at least k; with exactly k each breakpoint "
                          "carries one neuron of its jump, and the slope at -infinity is minus the sum of the "
                          "left-facing jumps: no subset of the jumps sums to -s0, so k + 1 are needed (and suffice)"
                        : "every breakpoint is the kink of a neuron, so at least k; k suffice since the jumps of the "
                          "left-facing breakpoints sum to -s0";
  out["network"] = chamber::to_json(network);
  out["check"] = {{"regions", regions},
                  {"enumerated_breakpoints", json_rationals(enumerated_breakpoints)},
                  {"breakpoints_match", breakpoints_match},
                  {"values_match", values_match}};
  nlohmann::json samples_json = nlohmann::json::array();
  for (const auto& [x, y] : samples) samples_json.push_back({to_string(x), to_string(y)});
  out["check"]["samples"] = samples_json;
  return out;
}

std::string Realization::to_text() const {
  std::ostringstream out;
  out << "function: breakpoints [" << joined(function.breakpoints) << "], slopes [" << joined(function.slopes)
      << "], f(0) = " << to_string(function.value_at_zero) << '\n';
  out << "slope jumps: [" << joined(jumps) << "]\n";
  out << "minimum hidden neurons (one hidden layer): " << neurons << '\n';
  out << "  lower bound " << breakpoints << ": a one-hidden-layer ReLU net on R is affine between its neurons' kinks, "
      << "so each of the " << breakpoints << " breakpoints needs a neuron\n";
  if (extra_neuron)
    out << "  one more is needed: with exactly " << breakpoints << " neurons each breakpoint carries one neuron of its "
        << "jump, and the slope at -infinity is minus the sum of the left-facing jumps; no subset of the jumps sums "
        << "to -s0 = " << to_string(-function.slopes.front()) << ", so " << neurons << " (two neurons at "
        << to_string(function.breakpoints.front()) << ")\n";
  else {
    out << "  " << breakpoints << " suffice: the jumps at the left-facing breakpoints {";
    for (std::size_t i = 0; i < left_facing.size(); ++i) out << (i ? ", " : "") << to_string(function.breakpoints[left_facing[i]]);
    out << "} sum to -s0 = " << to_string(-function.slopes.front()) << '\n';
  }
  out << "check: chamber's enumeration finds " << regions << " linear regions with breakpoints ["
      << joined(enumerated_breakpoints) << "] (" << (breakpoints_match ? "exactly the given ones" : "NOT the given ones")
      << "), and the read-out equals f at " << samples.size() << " points (every breakpoint, between them, beyond "
      << "the ends): " << (values_match ? "yes" : "NO") << '\n';
  return out.str();
}

}  // namespace chamber

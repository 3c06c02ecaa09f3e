// Qi & Wei's question on 1-D inputs: the fewest hidden ReLU neurons of one hidden layer that compute a given continuous
// piecewise-linear function f: R -> R exactly, and a network that does it.
//
// f has breakpoints b_1 < … < b_k (k ≥ 1) and slopes s_0, …, s_k (s_i on (b_i, b_{i+1}), b_0 = −∞, b_{k+1} = +∞;
// s_i ≠ s_{i−1}, else b_i is no breakpoint); the jump at b_i is δ_i = s_i − s_{i−1}. A one-hidden-layer network
// g(x) = c + Σ_j v_j ReLU(w_j x + β_j) is affine away from the kinks −β_j/w_j of its neurons with w_j ≠ 0 ≠ v_j, and
// the slope of v·ReLU(w x + β) jumps by |w|·v at its kink. Hence (docs/realize.md):
// - every breakpoint of f is the kink of some neuron: at least k neurons;
// - with exactly k, each breakpoint carries exactly one neuron, of jump δ_i, facing right (w > 0: zero on the left)
//   or left (w < 0: zero on the right); the slope of g at −∞ is −Σ_{left-facing} δ_i. So k neurons suffice iff some
//   subset L of the jumps has Σ_{i∈L} δ_i = −s_0 (then the neurons of L face left, the others right);
// - otherwise k + 1 are needed and suffice: two neurons at b_1, facing left (weight −s_0) and right (weight s_1).
#pragma once

#include "arrangement/number.hpp"
#include "arrangement/run_control.hpp"
#include "cnn/network.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! the most breakpoints realize_1d accepts. */
inline constexpr std::size_t max_realize_breakpoints = 100000;
/*! the subset-sum search for k neurons keeps at most this many distinct partial sums (beyond: LimitReached). */
inline constexpr std::size_t max_realize_partial_sums = 4000000;

/*! a continuous piecewise-linear function on R: breakpoints ascending, slopes[i] on the i-th piece (one more slope than
 * breakpoints), and its value at 0. */
struct PiecewiseLinear {
  std::vector<Rational> breakpoints;
  std::vector<Rational> slopes;
  Rational value_at_zero;

  /*! returns f(x) exactly. */
  Rational value(const Rational& x) const;
};

/*! returns the function of the given breakpoints and slopes. \throws InputError naming --breakpoints or --slopes when
 * the breakpoints are not strictly ascending, there is not exactly one more slope than breakpoints, two neighbouring
 * slopes are equal (no breakpoint there), or there is no breakpoint at all. */
PiecewiseLinear piecewise_from_slopes(std::vector<Rational> breakpoints, std::vector<Rational> slopes,
                                      Rational value_at_zero);

/*! returns the continuous piecewise-linear function through (x, y) points (sorted by x; interpolated linearly between
 * them and continued by the end pieces' slopes beyond them), its breakpoints the points where the slope changes.
 * `where[i]` names point i in messages ("FILE:LINE"). \throws InputError for fewer than 2 points, two points with the
 * same x, or collinear points (no breakpoint). */
PiecewiseLinear piecewise_from_points(const std::vector<std::pair<Rational, Rational>>& points,
                                      const std::vector<std::string>& where);

/*! a function as `chamber realize` takes it (the Python module writes its lists in the same form): breakpoints, slopes
 * and f(0) as exact numbers separated by commas, or the path of a points file of (x, y) pairs, or (from Python only)
 * the pairs themselves; a field not given is empty. */
struct PiecewiseLinearText {
  std::string breakpoints, slopes, value_at_zero, points;
  std::vector<std::pair<Rational, Rational>> point_list;  // in place of a points file; named "points[i]" in messages
};

/*! returns the function `text` describes (piecewise_from_slopes, f(0) = 0 unless given, or piecewise_from_points on the
 * points). \throws InputError naming the option (--breakpoints, --slopes, --value-at-0) or the point (file and line,
 * or points[i]) when both forms or neither are given, --value-at-0 comes with points, a field is malformed, or the
 * function is refused by piecewise_from_slopes / piecewise_from_points. */
PiecewiseLinear parse_piecewise_linear(const PiecewiseLinearText& text);

/*! a one-hidden-layer network computing f, with the proof that it is minimal and that it is right. */
struct Realization {
  PiecewiseLinear function;
  Network network;                   // input 1x1x1, one linear hidden layer, a read-out of one output
  std::size_t neurons = 0;           // hidden neurons of `network` = the minimum
  std::size_t breakpoints = 0;       // k: the lower bound
  bool extra_neuron = false;         // true: no subset of the jumps sums to −s_0, so k + 1 neurons are needed
  std::vector<std::size_t> left_facing;  // breakpoints (0-based) whose neuron faces left (k-neuron case)
  std::vector<Rational> jumps;       // δ_i
  // The check by chamber's own enumeration of the network built:
  std::vector<Rational> enumerated_breakpoints;  // the network's region boundaries (analyse_network on the 1-D input)
  std::vector<std::pair<Rational, Rational>> samples;  // (x, network output) at every breakpoint, between them, beyond
  bool breakpoints_match = false, values_match = false;
  std::size_t regions = 0;

  /*! the `chamber realize --json` object (numbers exact, as strings "p/q"). */
  nlohmann::json to_json() const;
  /*! the text report with the lower-bound argument. */
  std::string to_text() const;
};

/*! builds the minimal network for `f` and checks it: its linear regions are enumerated by the network analysis (the
 * breakpoints must be exactly f's), and its read-out is evaluated exactly at every breakpoint, between neighbouring
 * ones and one unit beyond the ends (equal values there and equal breakpoints make the two functions equal).
 * \throws LimitReached when the subset-sum search exceeds max_realize_partial_sums, InternalError when the check fails. */
Realization realize_1d(const PiecewiseLinear& f, const RunControl& control);

}  // namespace chamber

// Linear regions along a segment (Hanin & Rolnick 2019, region transitions along a line), exactly and without LPs.
//
// The segment x(t) = P0 + t (P1 − P0), t ∈ [0, 1], is a 1-D slice of the input space: the network is restricted to
// it like slice_network restricts it to a plane (first-layer rows (b, a) become (b + a·P0, a·(P1 − P0)), later
// layers unchanged). Layer by layer, every pre-activation is affine in t on each current interval (earlier layers'
// patterns are fixed there), so its root, when strictly inside, splits the interval. Every decision is exact.
//
// Conventions. A breakpoint lists every neuron whose pre-activation vanishes there (several at once when the segment
// passes through an intersection of hyperplanes, possibly of different layers); a neuron ≡ 0 on both sides is not
// listed. A neuron that is not constant in input space but vanishes identically on a piece (the segment lies inside
// its hyperplane there) gets the pattern character '0' on that piece and is listed in `on_hyperplane`. Pieces are
// counted with multiplicity, but an activation region is convex (linear inequalities once its pattern is fixed), so a
// segment never re-enters one: distinct_regions == regions always (the tests assert it).
#pragma once

#include "arrangement/run_control.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/network.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace chamber {

/*! a parameter t ∈ (0, 1) where the segment crosses the hyperplane of at least one neuron. */
struct LineBreakpoint {
  Rational t;
  RationalVector x;                  // x(t)
  std::vector<std::size_t> neurons;  // every neuron whose pre-activation vanishes at t (and is not ≡ 0 on both sides)
  std::vector<std::size_t> layers;   // layers[i] = layer of neurons[i] (ascending; layers.front() made the cut)
};

/*! a maximal open sub-interval (from, to) of [0, 1] on which the activation pattern is constant. */
struct LinePiece {
  Rational from, to;
  std::string pattern;     // as LinearRegion::pattern
  RationalVector midpoint;  // x((from + to) / 2), where the pattern equals activation_pattern (network.hpp)
};

/*! a neuron that is not constant in input space but vanishes identically along (from, to): the segment lies in its
 * hyperplane there (its pattern character is '0'). */
struct OnHyperplane {
  std::size_t neuron = 0;
  Rational from, to;
};

/*! the linear regions met by one segment. */
struct LineSegment {
  RationalVector p0, p1;
  std::vector<LineBreakpoint> breakpoints;                 // ascending in t
  std::vector<std::vector<Rational>> breakpoints_per_layer;  // [l]: the t where a layer-l neuron is listed
  std::vector<LinePiece> pieces;                           // ascending, covering [0, 1]
  std::vector<OnHyperplane> on_hyperplane;
  std::size_t distinct_regions = 0;

  /*! returns the number of region transitions (pieces − 1). */
  std::size_t transitions() const { return pieces.empty() ? 0 : pieces.size() - 1; }
};

/*! returns the network restricted to the line x(t) = p0 + t (p1 − p0), as a network on a 1-D input t.
 * \throws InputError when a point's dimension differs from the network's input. */
IntegerNetwork line_network(const Network& network, const RationalVector& p0, const RationalVector& p1);

/*! returns the exact breakpoints and pieces of the segment from p0 to p1 (no LP). `control` is polled between
 * layers (deadline). \throws InputError when p0 == p1 or a point has the wrong dimension. */
LineSegment compute_line(const Network& network, const RationalVector& p0, const RationalVector& p1,
                         const RunControl& control = RunControl{});

/*! returns the JSON of one segment (rationals as strings "p/q"): p0, p1, breakpoints ({t, x, layer, layers,
 * neurons}), breakpoints_per_layer, pieces ({from, to, pattern, midpoint}), regions, distinct_regions, transitions,
 * on_hyperplane ({neuron, from, to}). */
nlohmann::json line_json(const LineSegment& segment);

/*! returns {"segments": [line_json of each], "total_transitions": N}, the body of `chamber line --json`. */
nlohmann::json lines_json(const std::vector<LineSegment>& segments);

/*! returns one text line: breakpoints, pieces and regions crossed. */
std::string line_text(const LineSegment& segment);

}  // namespace chamber

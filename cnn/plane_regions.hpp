// Exact linear regions of a network on a 2-D input (input dimension 2, e.g. every slice_network), without LPs.
//
// Layer by layer, as LinearRegionEnumerator (same patterns, same conventions), but each cell is an exact convex
// polygon (plane_geometry.hpp): on a polygon of the cells of layers < l every layer-l pre-activation is affine in
// (u, v) (layer_forms with the polygon's pattern), so each non-constant neuron is a line; its signs at the
// vertices decide exactly whether it crosses the polygon's interior (a vertex on each strict side), and the
// polygon is split by every crossing neuron of layer l in turn. A constant neuron takes the sign of its constant
// ('0' when it is identically 0); a line that only touches a vertex or carries an edge splits nothing.
//
// All of R^2 (no box). The computation runs in a square window W = (−R, R)^2 and then *proves* that every region
// of R^2 meets W. For every region whose polygon P = closure(C) ∩ closure(W) touches the boundary of W, its true
// cell C (the intersection of the open half-planes of all its pattern's non-constant forms, possibly unbounded)
// is computed exactly: its facets are P's neuron edges (in P's order; consecutive ones meet at a vertex of C when
// they turn left, otherwise C runs off to infinity between them), and C is accepted only when
//   (i)  every oriented form of the pattern is ≥ 0 on the closure of that candidate (checked at its vertices and along its
//        rays), so C really is that cell, and
//   (ii) every vertex of C lies strictly inside W.
// Every edge of C then meets the open W (it carries an edge of P on a line that crossed W's interior). Regions
// whose polygon does not touch the boundary are their own cell. Why that suffices: let U be the union of the
// closures of the regions found in W; U ⊇ closure(W). If U ≠ R^2, its boundary has a point z outside the open W.
// No vertex of a found cell lies there, so z is inside an edge e of exactly one found cell (two cells through z
// would cover a disk around z), and near z the boundary of U is e's line. Walk along e from z towards the open W
// (e meets it, and e's vertices are inside W): the points of e that lie on the boundary of U form a closed set
// that contains z, misses the open W and, by the same argument at each of them, is open in e — a contradiction.
// So U = R^2: every region of R^2 meets the interior of a found cell's closure, hence is a found region. When a
// boundary region fails (i) or (ii), W grows to hold the offending points (vertices of C outside W, or where a
// form's line cuts the candidate) with margin, at least quadrupling, and the enumeration runs again; it stops, as
// the regions have finitely many vertices and no line misses a large enough square. The first W holds every
// crossing of two first-layer lines, and a point of each, with a wide margin (a larger window costs a few bits
// per number, a window too small one more enumeration). stats().proof_window is the final W, and the polygons of
// unbounded regions are their cells clipped to it.
//
// Proofs (keep_proofs). For every non-constant neuron whose line carries no edge of the region's cell (the
// polygon with a box, the true cell in R^2) the region gets a NonFacetProof: at the vertex of the cell's closure
// where the neuron's oriented form g is least, the normal of g is a nonnegative combination of the two facet
// normals there (or a multiple of one parallel facet's, for a cell without vertices), so −g plus that combination
// of facets is a constant −g(vertex) ≤ 0 (Farkas): the far side of g is empty within the other constraints. With a box the facets may be box
// faces; in R^2 they are neurons only. With these proofs the certificate (region_certificate.hpp) needs no LP.
//
// Threads: the polygons after the first layer are refined in parallel and merged in their order, so the output
// is the same for any number of threads.
#pragma once

#include "arrangement/run_control.hpp"
#include "cnn/linear_regions.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace chamber {

/*! a linear region of a network on a 2-D input with its polygon (exact vertices (u, v), counter-clockwise): the
 * region itself with a box or when bounded, else the region clipped to stats().proof_window. */
struct PlaneRegion {
  LinearRegion region;
  std::vector<std::pair<Rational, Rational>> polygon;
};

struct PlaneRegionOptions {
  RunControl control;      // check_time, max_regions and report, as LinearRegionEnumerator uses them
  std::optional<Box> box;  // the open window lo < u, v < hi; none = all of R^2
  bool keep_proofs = false;  // fill LinearRegion::proofs for every non-constant neuron that carries no edge
  unsigned threads = 1;      // the results are identical for any count (0 counts as 1)
};

struct PlaneRegionStats {
  std::uint64_t regions = 0;
  std::vector<std::uint64_t> cells_per_layer;  // cells after each layer (the last one = regions), in proof_window
  Box proof_window{0, 0};                      // the box, or the final window W of all of R^2
  std::uint64_t windows = 0;                   // windows tried (1 with a box)
  std::uint64_t boundary_regions = 0;          // regions whose polygon touches the window's boundary
  std::uint64_t proofs = 0;                    // NonFacetProofs given
};

class PlaneRegionEnumerator {
 public:
  /*! \throws InputError when the network's input is not 2-D. */
  PlaneRegionEnumerator(const IntegerNetwork& network, PlaneRegionOptions options);

  /*! enumerates every linear region once, exactly and without LPs, in a deterministic order (with a box, regions
   * are passed on as they are found; in all of R^2 once the window is proven).
   * \throws LimitReached on a user limit. */
  void run(const std::function<void(PlaneRegion&&)>& sink);

  const PlaneRegionStats& stats() const { return stats_; }

 private:
  /*! enumerates the regions in `window` and passes them on in order; returns how far the window must grow for
   * all of R^2 (empty when it holds every region, or with a box). */
  std::optional<Rational> enumerate(const Box& window, bool is_box, const std::function<void(PlaneRegion&&)>& sink);
  /*! returns the first window for all of R^2: around every crossing of two first-layer lines and a point of each. */
  Box initial_window() const;

  IntegerNetwork network_;
  PlaneRegionOptions options_;
  PlaneRegionStats stats_;
};

}  // namespace chamber

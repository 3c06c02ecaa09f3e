// Exact linear regions of a network on an input of any dimension, without LPs: every cell is kept by its double
// description (Motzkin, Raiffa, Thompson & Thrall 1953; Fukuda & Prodon 1996), its constraints and its generators.
//
// Homogenised, a cell {x : c_i(1, x) > 0} is the interior of the polyhedral cone K = {z = (z0, x) : z0 ≥ 0,
// c_i(z) ≥ 0} in Q^{n+1}; K = L + cone(R) with L its lineality space (a basis, kept) and R its extreme rays modulo L
// (kept as primitive integer vectors with the set of constraints each one lies on). Rays with z0 > 0 are the
// vertices of the cell, rays with z0 = 0 its directions to infinity. Layer by layer, as LinearRegionEnumerator (same
// patterns, same conventions), every non-constant pre-activation is a form g(z) on the cell:
//   - g cuts the open cell iff g is not zero on L, or g is positive at one ray and negative at another; otherwise
//     its sign on the cell is the sign it has at the rays (a nonzero form that is ≥ 0 on a full-dimensional cone is
//     > 0 on its interior). No LP decides anything.
//   - a cutting g splits the cell into the halves g > 0 and g < 0. With a lineality vector l, g(l) > 0: the other
//     generators are moved onto g = 0 (r ← g(l) r − g(r) l) and each half gets ±l as a new ray. Otherwise each half
//     keeps the rays on its side and on g = 0, plus g(p) q − g(q) p for every adjacent pair p, q on strict opposite
//     sides (adjacent: no third ray lies on every constraint that both lie on; the combinatorial test, valid for
//     any constraint system, redundant constraints included).
//   - the witness of a cell is the sum of its rays: strictly inside every constraint, since a constraint that is not
//     identically zero on K is positive at one of its rays.
// A neuron whose form is constant takes the sign of its constant ('0' when identically 0) and does not split.
//
// Proofs (keep_proofs). When g does not cut the current cell (oriented so that g ≥ 0 there), its minimum over the
// cell's closure is attained at a vertex v; there the linear part of g is a nonnegative combination of the linear
// parts of the constraints tight at v (LP duality), found by exact Gaussian elimination (at a degenerate vertex,
// where that solution can be negative, by a small exact simplex over the tight constraints, counted in
// stats().vertex_lps). Then −g plus that combination is the constant −g(v) ≤ 0: a Farkas proof that the far side
// of g is empty within the cell's constraints (NonFacetProof), valid for every region inside the cell. At a final
// region every constraint that is not a facet (rank test on the rays on it) gets the same proof over the other
// constraints. With these proofs the certificate (region_certificate.hpp) needs no LP.
//
// Size. The number of rays of a cell is not bounded by a polynomial in general; a cell that would hold more than
// max_rays rays is handed, with its constraints and witness, to `fallback` (the LP engine), in its place in the
// order. Threads: the cells after the first layer are refined in parallel and merged in their order, so the output
// is the same for any number of threads.
#pragma once

#include "arrangement/run_control.hpp"
#include "cnn/linear_regions.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace chamber {

using LinearRegionReceiver = std::function<void(LinearRegion&&)>;

/*! a cell handed to the LP engine: its constraints (each > 0 on the cell) with their references (a neuron, or
 * N + 2i / N + 2i + 1 for the box faces), a witness strictly inside, the pattern of the layers before `layer`, the
 * forms of layer − 1 under that pattern, and the proofs found so far. */
struct FallbackCell {
  std::size_t layer = 0;
  std::vector<Hyperplane> constraints;
  std::vector<std::size_t> references;
  Point witness;
  std::string pattern;
  std::vector<IntegerVector> previous_forms;
  std::vector<NonFacetProof> proofs;
};

/*! the cells of the first layer, found by another engine (the arrangement engine, LinearRegionEnumerator's hybrid):
 * cell c is where every row j has the sign cells[c].signs[j]. Rows with a reference ≥ N are the box faces (all of
 * them, with a box). The proofs are those found for the cell's non-facets so far. */
struct FirstLayerCells {
  std::vector<IntegerVector> rows;      // primitive forms over (1, x)
  std::vector<std::size_t> references;  // the neuron (or N + box face) of each row
  struct Cell {
    std::string pattern;  // the first layer's characters
    std::string signs;    // '+' or '-' per row
    Point witness;        // strictly inside (for a cell handed to the fallback)
    std::vector<NonFacetProof> proofs;
  };
  std::vector<Cell> cells;
};

/*! enumerates the regions of `cell` (from its layer on) into `sink`, in a deterministic order. */
using FallbackEnumerator = std::function<void(FallbackCell&&, const LinearRegionReceiver& sink)>;

struct ConeRegionOptions {
  RunControl control;        // check_time, max_regions and report, as LinearRegionEnumerator uses them
  std::optional<Box> box;    // the open box lo < x_i < hi; none = all of Q^n
  bool keep_proofs = false;  // fill LinearRegion::proofs for every non-constant neuron that is no facet
  unsigned threads = 1;      // the results are identical for any count (0 counts as 1)
  std::size_t max_rays = 1024;
  FallbackEnumerator fallback;  // for cells beyond max_rays; without one, such a cell is a LimitReached
};

struct ConeRegionStats {
  std::uint64_t regions = 0;
  std::vector<std::uint64_t> cells_per_layer;  // cells after each layer (the last one = regions)
  std::uint64_t splits = 0;                    // cells split by a hyperplane
  std::uint64_t proofs = 0;                    // NonFacetProofs given
  std::uint64_t vertex_lps = 0;                // small exact LPs at degenerate vertices (proofs only)
  std::uint64_t max_rays = 0;                  // the most rays any cell had
  std::uint64_t fallback_cells = 0;            // cells handed to the fallback
};

class ConeRegionEnumerator {
 public:
  ConeRegionEnumerator(const IntegerNetwork& network, ConeRegionOptions options);

  /*! enumerates every linear region once, exactly and without LPs, in a deterministic order.
   * \throws LimitReached on a user limit. */
  void run(const LinearRegionReceiver& sink);
  /*! the same from the first layer's cells found elsewhere: each cell's double description is built from its rows,
   * then refined from layer 1 on (with one layer: only its proofs are added); the cells' order is kept.
   * \pre the network has at least one layer. */
  void run_from(FirstLayerCells first, const LinearRegionReceiver& sink);

  const ConeRegionStats& stats() const { return stats_; }

 private:
  const IntegerNetwork& network_;
  ConeRegionOptions options_;
  ConeRegionStats stats_;
};

}  // namespace chamber

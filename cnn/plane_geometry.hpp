// Exact convex cells of the plane for the 2-D linear-region engine (plane_regions.hpp): splitting a polygon by a
// line, the true (possibly unbounded) cell behind a window polygon, and the Farkas proof that a line carries no edge
// of a cell. No LP and no rational arithmetic on the hot paths: integer homogeneous coordinates only.
//
// Conventions: a line is a row (c, a, b) over (1, u, v), meaning c + a u + b v. A point (x, y, z) with z > 0 is
// (x/z, y/z); the value of (c, a, b) there has the sign of c z + a x + b y. A facet's row is primitive (gcd 1) and
// positive inside its cell. A cell lists its facets counter-clockwise: facet i runs in the direction (b, −a) with
// the cell on its left, so consecutive facets of a bounded corner turn left: a_i b_j − a_j b_i > 0.
#pragma once

#include "arrangement/number.hpp"
#include "cnn/linear_regions.hpp"

#include <cstddef>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace chamber::plane {

/*! a point (x/z, y/z) of the plane, z > 0. */
struct HomogeneousPoint {
  Integer x, y, z;
};

/*! a facet line c + a u + b v = 0 of a cell (primitive, positive inside) and the constraint it stands for: a neuron
 * k < N, or N + face for the window's sides (faces numbered as box_faces: u > lo, u < hi, v > lo, v < hi). */
struct Facet {
  Integer c, a, b;
  std::size_t reference = 0;
};

/*! a convex cell with nonempty interior: its facets counter-clockwise, and start[i] the vertex where facet i
 * begins (where facet i − 1 ends), or none where the boundary runs off to infinity between facet i − 1 and facet i.
 * A polygon has every start and no two consecutive facets on one line. */
struct ConvexCell {
  std::vector<Facet> facets;
  std::vector<std::optional<HomogeneousPoint>> start;
};

/*! reusable GMP integers, so that the hot loops allocate nothing. */
struct Scratch {
  Integer value, left, right, own, first, second;
  Integer sum[3];
  std::vector<Integer> turns;
};

/*! returns the open square lo < u, v < hi as a polygon; its sides refer to N + face (`neurons` = N). */
ConvexCell square(const Box& window, std::size_t neurons);

/*! returns the sign of the form (c, a, b) at `p` (its value times z is left in scratch.value). */
int side(const IntegerVector& form, const HomogeneousPoint& p, Scratch& scratch);
/*! returns the sign of a facet's row at `p` (its value times z is left in scratch.value). */
int side(const Facet& line, const HomogeneousPoint& p, Scratch& scratch);

/*! returns the point where two non-parallel lines meet. */
HomogeneousPoint meet(const Facet& first, const Facet& second);

/*! returns the primitive row of a non-constant form (c, a, b), multiplied by `orientation` (±1). */
Facet primitive_facet(const IntegerVector& form, int orientation, std::size_t reference);

/*! splits `polygon` by `line` into the part where the line is positive (`plus`) and the part where it is negative
 * (`minus`). \pre `signs[i]` is the sign of `line` at polygon.start[i], some +1 and some −1. */
void split(const ConvexCell& polygon, const std::vector<int>& signs, const Facet& line, ConvexCell& plus,
           ConvexCell& minus);

/*! returns a point strictly inside the polygon with short coordinates: u the simplest rational strictly between
 * the vertices' least and largest u, then v the simplest rational of the open interval the polygon leaves at u. */
RationalVector interior_point(const ConvexCell& polygon);

/*! returns the polygon's vertices (u, v), counter-clockwise. */
std::vector<std::pair<Rational, Rational>> vertices(const ConvexCell& polygon);

/*! returns whether some vertex of `polygon` lies on the boundary of the square lo < u, v < hi. */
bool touches_boundary(const ConvexCell& polygon, const Box& window);

/*! the true cell behind a window polygon, or how far the window must grow. */
struct TrueCell {
  ConvexCell cell;                // valid when `reach` is empty
  std::optional<Rational> reach;  // the largest |coordinate| of a point the next window must hold strictly inside
};

/*! returns the cell C = {every constraint > 0} of which `polygon` = closure(C) ∩ closure(W) is the part in the
 * window W = `window`, and verifies that every vertex of C lies strictly inside W; otherwise returns, as `reach`, a
 * coordinate bound of points (vertices of C, or points of a constraint's line cutting C outside W) that a larger
 * window must contain. The edges of C then all meet the open window: they carry the polygon's neuron edges.
 * `constraints` are every non-constant neuron's facet (positive on C); sides with reference ≥ `neurons` are the
 * window's. \pre touches_boundary(polygon, window) (otherwise the polygon is its own cell). */
TrueCell true_cell(const ConvexCell& polygon, std::span<const Facet> constraints, const Box& window,
                   std::size_t neurons);

/*! returns whether the line of `constraint` carries a facet of `cell`. */
bool is_facet(const ConvexCell& cell, const Facet& constraint);

/*! returns the proof that the far side of `constraint` (a neuron's primitive row, positive on `cell`) is empty
 * within the facets of `cell`: at the vertex of the cell's closure where the constraint is least (the one whose
 * normal cone holds the constraint's normal; or along a facet parallel to it, for a cell without vertices) its
 * normal is a nonnegative combination of at most two facet normals. \pre the constraint is ≥ 0 on the closure of `cell` and carries none of its facets.
 * \throws InternalError when the combination is not a proof (never, for a cell given by its facets). */
NonFacetProof non_facet_proof(const ConvexCell& cell, const Facet& constraint, Scratch& scratch);

}  // namespace chamber::plane

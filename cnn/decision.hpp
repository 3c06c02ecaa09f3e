// Decision boundaries on a slice: every polygon of a slice (slice.hpp) split exactly by the predicted class.
//
// The read-out (Network::readout, a linear layer without ReLU after the last hidden layer) gives U outputs. On a
// polygon of the slice the activation pattern is fixed, so every output is an affine form out_c(u, v) = c + a·(u, v),
// computed exactly: the slice's rows and the read-out's rows as one integer network (the read-out as its last layer,
// scaled by one positive integer, which keeps every comparison).
//
// Classes. With U ≥ 2 outputs the predicted class is the argmax of out_0 .. out_{U−1}, ties broken toward the smallest
// index. With U = 1 there are two classes: 1 where out_0 > 0, 0 where out_0 ≤ 0 (scores 0 and out_0, the same rule).
//
// Pieces. The piece of class c of a convex polygon P is P clipped by the closed half-planes out_c − out_d ≥ 0 for
// every d ≠ c (exact rational vertices; a constant difference keeps or empties the piece, an identically zero one
// keeps it for c < d only), kept when its area is positive. The pieces of P tile it: their interiors are disjoint and
// their closures cover P. A polygon on which two top classes tie identically is the smaller class's.
//
// Boundary. The decision boundary is the union of the piece edges where pieces of two different classes meet, found
// line by line: every piece edge lies on a line, and on each line the parts covered by a piece on one side and a piece
// of another class on the other side are the boundary (on a polygon edge both neighbouring polygons see it once). Each
// maximal segment of one line with the same two classes is output once, end points exact. Inside a polygon a boundary
// segment lies where the two top classes tie; on a polygon edge the predicted class changes across the edge.
#pragma once

#include "cnn/slice.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace chamber {

/*! a point (u, v) of the plane. */
using PlanePoint = std::pair<Rational, Rational>;

/*! the closed convex part of a slice polygon predicted as class `label`. */
struct ClassPiece {
  std::size_t label = 0;
  std::vector<PlanePoint> vertices;  // counter-clockwise, exact, no three consecutive ones on a line
};

/*! a maximal segment of the decision boundary on one line: pieces of classes `first` < `second` meet along it. */
struct BoundarySegment {
  PlanePoint from, to;
  std::size_t first = 0, second = 0;
};

/*! a slice split by class. */
struct DecisionSlice {
  std::size_t classes = 0;                      // the read-out's outputs, or 2 for a single output (its sign)
  std::vector<std::vector<ClassPiece>> pieces;  // per polygon of the slice, in its order
  std::vector<BoundarySegment> boundary;        // in a deterministic order
  std::vector<std::uint64_t> class_counts;      // pieces of each class
};

/*! returns the number of classes of a read-out with `outputs` outputs: `outputs`, or 2 for a single output. */
std::size_t class_count(std::size_t outputs);

/*! returns the predicted class of the read-out values `outputs` (argmax, ties to the smallest index; for a single
 * output 1 when it is > 0, else 0). \pre outputs is not empty. */
std::size_t predicted_class(const std::vector<Rational>& outputs);

/*! returns the read-out's outputs at input `x`, exactly. \throws InputError when the network has no read-out.
 * \pre x.size() == network.input_dimension(). */
std::vector<Rational> network_outputs(const Network& network, const RationalVector& x);

/*! returns the pieces of the convex counter-clockwise polygon `polygon` for the class scores `scores` (one affine
 * form (c, a_u, a_v) per class), in class order; the scores are compared as they are (argmax, ties to the smallest
 * index). */
std::vector<ClassPiece> split_by_class(const std::vector<PlanePoint>& polygon, const std::vector<IntegerVector>& scores);

/*! returns the decision boundary of pieces that tile a region of the plane (every piece of every polygon).
 * \throws InternalError when two pieces overlap along an edge on the same side (they do not tile). */
std::vector<BoundarySegment> decision_boundary(const std::vector<std::vector<ClassPiece>>& pieces);

/*! splits every polygon of `slice` (computed on `network`) by the predicted class and finds the decision boundary.
 * Each piece's class is re-checked by the exact forward pass at its vertex centroid (InternalError if it differs).
 * \throws InputError when the network has no read-out. */
DecisionSlice decide_slice(const Network& network, const Slice& slice);

/*! returns a fill colour "#rrggbb" for each of `count` classes: a fixed palette of 10, then further distinct ones. */
std::vector<std::string> class_colours(std::size_t count);

/*! writes the slice as SVG coloured by class: the pieces filled with their class's colour, the region boundaries thin
 * and grey, the decision boundary thick and black on top, P0, P1, P2 marked, and a legend of the classes. */
void write_decision_svg(std::ostream& out, const Slice& slice, const DecisionSlice& decision);

/*! adds the classes to `out` (a slice_json object of the same slice): "colour_by": "class", "classes",
 * "class_counts", "decision_boundary" ([{"from": [u, v], "to": [u, v], "classes": [a, b]}], exact "p/q" strings) and
 * to every polygon its "classes" ([{"class": c, "vertices": [[u, v], ...]}]). */
void add_decision_json(nlohmann::json& out, const DecisionSlice& decision);

}  // namespace chamber

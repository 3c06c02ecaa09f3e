// Pictures of regions: the exact partition of a 2-D plane through three input points into linear regions.
//
// The plane x(u, v) = P0 + u (P1 − P0) + v (P2 − P0) turns the network into one on (u, v) ∈ Q^2: the first
// layer's rows (b, a) become (b + a·P0, a·(P1 − P0), a·(P2 − P0)), the later layers are unchanged. Its linear
// regions inside a square window are enumerated exactly by the 2-D engine (plane_regions.hpp: polygons split
// layer by layer, no LP), each with its polygon's exact rational vertices.
#pragma once

#include <nlohmann/json.hpp>

#include "cnn/linear_regions.hpp"
#include "cnn/network.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace chamber {

/*! the plane P0 + u·D1 + v·D2 of the input space. */
struct Plane {
  RationalVector p0, d1, d2;
};

/*! returns the plane through three points. \throws InputError when they do not span a plane. */
Plane plane_through(const RationalVector& p0, const RationalVector& p1, const RationalVector& p2);

/*! returns the plane through three reproducible random points with integer coordinates in [−2, 2]. */
Plane random_plane(std::size_t dimension, std::uint64_t seed);

/*! returns the rows (b, a) of every hidden layer of the network restricted to `plane`: layer 0's over (u, v), the
 * later layers' over their layer's input, as affine_rows. \throws InputError when the plane's dimension differs. */
std::vector<NeuronRows> slice_rows(const Network& network, const Plane& plane);

/*! returns the network restricted to `plane`, on the input (u, v). */
IntegerNetwork slice_network(const Network& network, const Plane& plane);

/*! one region of a slice: its pattern, its polygon (vertices counter-clockwise, exact) and a witness (u, v). */
struct SlicePolygon {
  std::string pattern;
  std::vector<std::pair<Rational, Rational>> vertices;
  RationalVector witness;
};

struct Slice {
  Plane plane;
  Box window;  // lo < u, v < hi
  std::vector<SlicePolygon> polygons;
  std::uint64_t lp_solves = 0;
};

/*! the linear regions of `network` on `plane` inside the window, with their polygons, found exactly without LPs
 * (plane_regions.hpp) on `threads` threads (the same slice for any number). */
Slice compute_slice(const Network& network, const Plane& plane, const Box& window, const RunControl& control,
                    unsigned threads = 1);

/*! returns a distinct "#rrggbb" fill colour for each of `count` regions (deterministic). */
std::vector<std::string> region_colours(std::size_t count);

/*! writes the slice as SVG: each region filled with its colour, region boundaries (the hyperplane pieces) drawn,
 * the three points P0, P1, P2 marked at (0, 0), (1, 0), (0, 1). */
void write_slice_svg(std::ostream& out, const Slice& slice, const std::vector<std::string>& colours);

/*! the `chamber slice --json` object without its "network", "svg" and "seconds" keys: the plane, the window, the
 * number of regions, the LPs, and every polygon (pattern, colour, exact vertices (u, v), witness in input space). */
nlohmann::json slice_json(const Slice& slice, const Plane& plane, const Box& window,
                          const std::vector<std::string>& colours);

}  // namespace chamber

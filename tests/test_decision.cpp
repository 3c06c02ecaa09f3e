// Decision boundaries on slices (cnn/decision.hpp): hand-made networks whose class pieces and boundary are known
// exactly (a diagonal, on a polygon edge and inside polygons; one output; no boundary; three classes meeting at a
// point), and random networks checked against the exact forward pass on a grid and across every boundary segment.
#include "cnn/decision.hpp"
#include "cnn/random_network.hpp"

#include "arrangement/errors.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>

using namespace chamber;

namespace {

Rational q(const char* text) { return *parse_rational(text); }

PlanePoint point(const char* u, const char* v) { return {q(u), q(v)}; }

/*! returns p/q in lowest terms. */
Rational fraction(long p, long q) {
  Rational r(p);
  r /= q;
  return r;
}

/*! a linear layer from integer rows and biases. */
Linear linear_layer(const std::vector<std::vector<long>>& weight, const std::vector<long>& bias) {
  Linear layer;
  layer.out_features = weight.size();
  layer.in_features = weight.front().size();
  for (const auto& row : weight)
    for (long w : row) layer.weight.emplace_back(w);
  for (long b : bias) layer.bias.emplace_back(b);
  return layer;
}

/*! a network on (x, y) with one hidden linear layer and a read-out. */
Network network_2d(const Linear& hidden, const Linear& readout) {
  Network network;
  network.input = Shape{1, 1, 2};
  network.layers.emplace_back(hidden);
  network.readout = readout;
  return network;
}

/*! the plane u = x, v = y. */
Plane identity_plane() { return plane_through({0, 0}, {1, 0}, {0, 1}); }

Slice slice_of(const Network& network, const Box& window) {
  return compute_slice(network, identity_plane(), window, RunControl{});
}

Rational twice_area(const std::vector<PlanePoint>& polygon) {
  Rational total = 0;
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const PlanePoint& a = polygon[i];
    const PlanePoint& b = polygon[(i + 1) % polygon.size()];
    total += a.first * b.second - b.first * a.second;
  }
  return total;
}

/*! whether p is in the closed convex counter-clockwise polygon (strictly inside when `strict`). */
bool contains(const std::vector<PlanePoint>& polygon, const PlanePoint& p, bool strict) {
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const PlanePoint& a = polygon[i];
    const PlanePoint& b = polygon[(i + 1) % polygon.size()];
    const Rational cross = (b.first - a.first) * (p.second - a.second) - (b.second - a.second) * (p.first - a.first);
    if (strict ? sgn(cross) <= 0 : sgn(cross) < 0) return false;
  }
  return true;
}

/*! the class area totals (twice the area) of a split slice. */
std::vector<Rational> class_areas(const DecisionSlice& decision) {
  std::vector<Rational> areas(decision.classes, 0);
  for (const auto& pieces : decision.pieces)
    for (const ClassPiece& piece : pieces) areas[piece.label] += twice_area(piece.vertices);
  return areas;
}

/*! a boundary segment as an unordered pair of end points and its classes, for comparison. */
using SegmentKey = std::tuple<PlanePoint, PlanePoint, std::size_t, std::size_t>;

std::set<SegmentKey> segment_set(const std::vector<BoundarySegment>& boundary) {
  std::set<SegmentKey> out;
  for (const BoundarySegment& s : boundary)
    out.insert({std::min(s.from, s.to), std::max(s.from, s.to), s.first, s.second});
  return out;
}

/*! checks the invariants every split must have: pieces tile their polygon, each of its class. */
void check_tiling(const Network& network, const Slice& slice, const DecisionSlice& decision) {
  REQUIRE(decision.pieces.size() == slice.polygons.size());
  std::vector<std::uint64_t> counts(decision.classes, 0);
  for (std::size_t r = 0; r < slice.polygons.size(); ++r) {
    Rational total = 0;
    for (const ClassPiece& piece : decision.pieces[r]) {
      CHECK(sgn(twice_area(piece.vertices)) > 0);
      total += twice_area(piece.vertices);
      for (const PlanePoint& p : piece.vertices) CHECK(contains(slice.polygons[r].vertices, p, false));
      ++counts[piece.label];
    }
    CHECK(total == twice_area(slice.polygons[r].vertices));
  }
  CHECK(counts == decision.class_counts);
  (void)network;
}

}  // namespace

TEST_CASE("decision: the diagonal, crossing a polygon edge, is one segment", "[decision]") {
  // Hidden x + 10, y + 10 (positive in the window) and x (splits the window at x = 0, read-out weight 0).
  // Read-out (x + 10, y + 10): class 1 above the diagonal y > x, class 0 below and on it.
  const Network network = network_2d(linear_layer({{1, 0}, {0, 1}, {1, 0}}, {10, 10, 0}),
                                     linear_layer({{1, 0, 0}, {0, 1, 0}}, {0, 0}));
  const Slice slice = slice_of(network, Box{-1, 2});
  REQUIRE(slice.polygons.size() == 2);
  const DecisionSlice decision = decide_slice(network, slice);
  check_tiling(network, slice, decision);
  CHECK(decision.classes == 2);
  CHECK(decision.class_counts == std::vector<std::uint64_t>{2, 2});
  CHECK(class_areas(decision) == std::vector<Rational>{9, 9});  // twice 9/2 each
  CHECK(segment_set(decision.boundary) == std::set<SegmentKey>{{point("-1", "-1"), point("2", "2"), 0, 1}});
  for (const auto& pieces : decision.pieces)
    for (const ClassPiece& piece : pieces)
      for (const PlanePoint& p : piece.vertices) CHECK((piece.label == 1 ? p.second >= p.first : p.second <= p.first));
}

TEST_CASE("decision: a boundary on a polygon edge is output once", "[decision]") {
  // The hidden neuron x − y carries the diagonal: each polygon is one class, the edge between them is the boundary.
  const Network network = network_2d(linear_layer({{1, 0}, {0, 1}, {1, -1}}, {10, 10, 0}),
                                     linear_layer({{1, 0, 0}, {0, 1, 0}}, {0, 0}));
  const Slice slice = slice_of(network, Box{-1, 2});
  REQUIRE(slice.polygons.size() == 2);
  const DecisionSlice decision = decide_slice(network, slice);
  check_tiling(network, slice, decision);
  CHECK(decision.class_counts == std::vector<std::uint64_t>{1, 1});
  for (const auto& pieces : decision.pieces) CHECK(pieces.size() == 1);
  REQUIRE(decision.boundary.size() == 1);
  CHECK(segment_set(decision.boundary) == std::set<SegmentKey>{{point("-1", "-1"), point("2", "2"), 0, 1}});
}

TEST_CASE("decision: one output is classified by its sign", "[decision]") {
  // out = (x + 10) − (y + 10) = x − y: class 1 where x > y (below the diagonal), class 0 where x ≤ y.
  const Network network = network_2d(linear_layer({{1, 0}, {0, 1}}, {10, 10}), linear_layer({{1, -1}}, {0}));
  const Slice slice = slice_of(network, Box{-1, 2});
  REQUIRE(slice.polygons.size() == 1);
  const DecisionSlice decision = decide_slice(network, slice);
  check_tiling(network, slice, decision);
  CHECK(decision.classes == 2);
  REQUIRE(decision.pieces[0].size() == 2);
  const ClassPiece& below = decision.pieces[0][1];
  CHECK(below.label == 1);
  CHECK(std::set<PlanePoint>(below.vertices.begin(), below.vertices.end()) ==
        std::set<PlanePoint>{point("-1", "-1"), point("2", "-1"), point("2", "2")});
  CHECK(segment_set(decision.boundary) == std::set<SegmentKey>{{point("-1", "-1"), point("2", "2"), 0, 1}});
  CHECK(predicted_class({Rational(0)}) == 0);
  CHECK(predicted_class({q("1/1000")}) == 1);
  CHECK(predicted_class({q("-3")}) == 0);
}

TEST_CASE("decision: no boundary when one class wins everywhere, or two tie everywhere", "[decision]") {
  const Linear hidden = linear_layer({{1, 0}, {0, 1}, {1, 1}}, {10, 10, 0});
  for (const Linear& readout : {linear_layer({{1, 0, 0}, {0, 1, 0}}, {100, 0}),    // out0 − out1 ≥ 97 in the window
                                linear_layer({{0, 1, 0}, {0, 1, 0}}, {0, 0})}) {  // identical outputs: the smaller
    const Network network = network_2d(hidden, readout);
    const Slice slice = slice_of(network, Box{-1, 2});
    REQUIRE(slice.polygons.size() == 2);  // split by x + y = 0
    const DecisionSlice decision = decide_slice(network, slice);
    check_tiling(network, slice, decision);
    CHECK(decision.boundary.empty());
    CHECK(decision.class_counts == std::vector<std::uint64_t>{2, 0});
    for (std::size_t r = 0; r < slice.polygons.size(); ++r) {
      REQUIRE(decision.pieces[r].size() == 1);
      CHECK(decision.pieces[r][0].label == 0);
    }
  }
}

TEST_CASE("decision: three classes meeting at a point", "[decision]") {
  // out = (x, y, −x − y), through hidden x + 10, y + 10 and the quadrant lines x, y (read-out weight 0). The three
  // ties meet at the origin: x = y (x > 0) towards (2, 2), x = −x − y (x > 0) towards (1/2, −1), y = −x − y (y > 0)
  // towards (−1, 1/2).
  const Network network = network_2d(linear_layer({{1, 0}, {0, 1}, {1, 0}, {0, 1}}, {10, 10, 0, 0}),
                                     linear_layer({{1, 0, 0, 0}, {0, 1, 0, 0}, {-1, -1, 0, 0}}, {-10, -10, 20}));
  const Slice slice = slice_of(network, Box{-1, 2});
  REQUIRE(slice.polygons.size() == 4);
  const DecisionSlice decision = decide_slice(network, slice);
  check_tiling(network, slice, decision);
  CHECK(decision.classes == 3);
  CHECK(segment_set(decision.boundary) == std::set<SegmentKey>{{point("0", "0"), point("2", "2"), 0, 1},
                                                               {point("0", "0"), point("1/2", "-1"), 0, 2},
                                                               {point("-1", "1/2"), point("0", "0"), 1, 2}});
  // Class 2 (−x − y the largest) is the polygon (0, 0), (−1, 1/2), (−1, −1), (1/2, −1): the square [−1, 0]^2 and two
  // triangles of area 1/4, twice its area 3.
  CHECK(class_areas(decision)[2] == 3);
  CHECK(class_areas(decision)[0] + class_areas(decision)[1] + class_areas(decision)[2] == 18);

  std::ostringstream svg;
  write_decision_svg(svg, slice, decision);
  const std::string text = svg.str();
  CHECK(text.find("<line ") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') > 10);
  CHECK(text.find("class 2</text>") != std::string::npos);
  nlohmann::json out = slice_json(slice, slice.plane, slice.window, region_colours(slice.polygons.size()));
  add_decision_json(out, decision);
  CHECK(out["decision_boundary"].size() == 3);
  CHECK(out["class_counts"].size() == 3);
  CHECK(out["polygons"][0].contains("classes"));
}

TEST_CASE("decision: a network without a read-out is refused", "[decision]") {
  Network network = network_2d(linear_layer({{1, 0}}, {0}), linear_layer({{1}}, {0}));
  network.readout.reset();
  const Slice slice = slice_of(network, Box{-1, 2});
  CHECK_THROWS_AS(decide_slice(network, slice), InputError);
  CHECK_THROWS_AS(network_outputs(network, {0, 0}), InputError);
}

TEST_CASE("decision: random networks against the exact forward pass", "[decision]") {
  const WeightDistribution weights = parse_weight_distribution("int:-4:4");
  const LayerSpec five{false, 5, 1, 1, 1, 1}, four{false, 4, 1, 1, 1, 1};
  std::size_t segments = 0;
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const std::size_t outputs = seed % 3 == 0 ? 1 : seed % 3 + 1;  // 2, 3 or a single output
    const Network network = random_network({1, 1, 3}, {five, four}, seed, weights, outputs);
    const Plane plane = random_plane(3, seed);
    const Box window{-2, 3};
    const Slice slice = compute_slice(network, plane, window, RunControl{});
    // The read-out changes no region.
    const Network hidden_only = random_network({1, 1, 3}, {five, four}, seed, weights);
    const Slice plain = compute_slice(hidden_only, plane, window, RunControl{});
    REQUIRE(plain.polygons.size() == slice.polygons.size());
    for (std::size_t r = 0; r < slice.polygons.size(); ++r)
      CHECK(plain.polygons[r].vertices == slice.polygons[r].vertices);

    const DecisionSlice decision = decide_slice(network, slice);
    check_tiling(network, slice, decision);
    CHECK(decision.classes == (outputs == 1 ? 2 : outputs));
    auto class_at = [&](const PlanePoint& p) {
      RationalVector x = plane.p0;
      for (std::size_t i = 0; i < x.size(); ++i) x[i] += p.first * plane.d1[i] + p.second * plane.d2[i];
      return predicted_class(network_outputs(network, x));
    };
    // A grid off every line of small integer weights: each point is strictly inside one piece, of its class.
    std::size_t inside = 0;
    for (int i = 0; i < 23; ++i)
      for (int j = 0; j < 23; ++j) {
        const PlanePoint p{Rational(-2) + fraction(5 * (2 * i + 1), 46) + fraction(1, 9973),
                           Rational(-2) + fraction(5 * (2 * j + 1), 46) + fraction(1, 10007)};
        std::size_t found = 0;
        for (const auto& pieces : decision.pieces)
          for (const ClassPiece& piece : pieces)
            if (contains(piece.vertices, p, true)) {
              ++found;
              CHECK(piece.label == class_at(p));
            }
        CHECK(found <= 1);
        inside += found;
      }
    CHECK(inside >= 23 * 23 - 40);  // a few grid points may lie exactly on a piece edge
    // Just off each boundary segment's midpoint, on either side, are its two classes.
    for (const BoundarySegment& segment : decision.boundary) {
      const Rational mu = (segment.from.first + segment.to.first) / 2, mv = (segment.from.second + segment.to.second) / 2;
      const Rational du = segment.to.first - segment.from.first, dv = segment.to.second - segment.from.second;
      Rational epsilon(1);
      mpq_div_2exp(epsilon.get_mpq_t(), epsilon.get_mpq_t(), 40);
      const PlanePoint left{mu - epsilon * dv, mv + epsilon * du}, right{mu + epsilon * dv, mv - epsilon * du};
      const std::set<std::size_t> classes{class_at(left), class_at(right)};
      CHECK(classes == std::set<std::size_t>{segment.first, segment.second});
    }
    segments += decision.boundary.size();
  }
  CHECK(segments > 0);
}

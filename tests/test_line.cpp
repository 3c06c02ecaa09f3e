// Linear regions along a segment (cnn/line.hpp): every piece's pattern against the direct evaluation of the network
// (network.hpp) at its midpoint, ε-close to its ends and on a fine rational grid, against the LP engine's regions,
// every breakpoint an exact root of the neurons it lists; the JSON; degenerate segments (through an intersection,
// inside a hyperplane, dead neurons), conv networks, and 1-D networks against breakpoints_1d.
#include "cnn/line.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/points.hpp"
#include "cnn/random_network.hpp"

#include "arrangement/errors.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace chamber;

namespace {

LayerSpec conv(std::size_t filters, std::size_t kh, std::size_t kw, std::size_t stride = 1) {
  return LayerSpec{true, filters, kh, kw, stride, stride};
}
LayerSpec linear(std::size_t units) { return LayerSpec{false, units, 1, 1, 1, 1}; }

RationalVector point_at(const RationalVector& p0, const RationalVector& p1, const Rational& t) {
  RationalVector x;
  for (std::size_t i = 0; i < p0.size(); ++i) x.push_back(p0[i] + t * (p1[i] - p0[i]));
  return x;
}

RationalVector vec(std::initializer_list<Rational> values) { return RationalVector(values); }

/*! returns the index of the piece holding t strictly inside, or pieces.size() when t is a piece's end. */
std::size_t piece_at(const LineSegment& segment, const Rational& t) {
  for (std::size_t i = 0; i < segment.pieces.size(); ++i)
    if (segment.pieces[i].from < t && t < segment.pieces[i].to) return i;
  return segment.pieces.size();
}

/*! checks a segment against the direct evaluation of the network; returns it. */
LineSegment check_segment(const Network& network, const RationalVector& p0, const RationalVector& p1) {
  const LineSegment segment = compute_line(network, p0, p1);
  const IntegerNetwork integer = integer_network(network);
  REQUIRE(!segment.pieces.empty());
  CHECK(segment.pieces.front().from == 0);
  CHECK(segment.pieces.back().to == 1);
  CHECK(segment.breakpoints.size() + 1 == segment.pieces.size());
  CHECK(segment.transitions() == segment.breakpoints.size());
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < segment.pieces.size(); ++i) {
    const LinePiece& piece = segment.pieces[i];
    INFO("piece " << to_string(piece.from) << ".." << to_string(piece.to) << " " << piece.pattern);
    REQUIRE(piece.from < piece.to);
    if (i > 0) {
      CHECK(piece.from == segment.pieces[i - 1].to);
      CHECK(piece.pattern != segment.pieces[i - 1].pattern);
      CHECK(segment.breakpoints[i - 1].t == piece.from);
    }
    CHECK(piece.midpoint == point_at(p0, p1, (piece.from + piece.to) / 2));
    CHECK(activation_pattern(network, piece.midpoint) == piece.pattern);
    // ε-close to both ends (so on both sides of every breakpoint).
    const Rational epsilon = (piece.to - piece.from) / 1000000;
    for (const Rational& t : std::vector<Rational>{piece.from + epsilon, piece.to - epsilon}) {
      INFO("t = " << to_string(t));
      CHECK(activation_pattern(network, point_at(p0, p1, t)) == piece.pattern);
    }
    distinct.insert(piece.pattern);
  }
  CHECK(segment.distinct_regions == distinct.size());
  CHECK(segment.distinct_regions == segment.pieces.size());  // regions are convex: a segment never re-enters one
  // A fine grid of exact points: inside a piece its pattern, at a breakpoint a '0' for every neuron listed there.
  for (long k = 1; k < 240; ++k) {
    Rational t(k, 240);
    t.canonicalize();
    INFO("grid t = " << to_string(t));
    const std::string found = activation_pattern(network, point_at(p0, p1, t));
    const std::size_t i = piece_at(segment, t);
    if (i < segment.pieces.size()) {
      CHECK(found == segment.pieces[i].pattern);
      continue;
    }
    const auto point = std::find_if(segment.breakpoints.begin(), segment.breakpoints.end(),
                                    [&](const LineBreakpoint& b) { return b.t == t; });
    REQUIRE(point != segment.breakpoints.end());
    for (std::size_t neuron : point->neurons) CHECK(found[neuron] == '0');
  }
  std::size_t listed_per_layer = 0;
  for (const LineBreakpoint& point : segment.breakpoints) {
    INFO("breakpoint " << to_string(point.t));
    CHECK(point.t > 0);
    CHECK(point.t < 1);
    CHECK(point.x == point_at(p0, p1, point.t));
    REQUIRE(!point.neurons.empty());
    REQUIRE(point.layers.size() == point.neurons.size());
    const std::vector<Rational> values = pre_activations(network, point.x);
    for (std::size_t i = 0; i < point.neurons.size(); ++i) {
      CHECK(sgn(values[point.neurons[i]]) == 0);  // an exact root of the neuron's form
      CHECK(point.layers[i] == integer.layer_of(point.neurons[i]));
    }
    std::set<std::size_t> layers(point.layers.begin(), point.layers.end());
    listed_per_layer += layers.size();
    for (std::size_t l : layers) {
      const std::vector<Rational>& ts = segment.breakpoints_per_layer[l];
      CHECK(std::find(ts.begin(), ts.end(), point.t) != ts.end());
    }
  }
  std::size_t total = 0;
  for (const std::vector<Rational>& ts : segment.breakpoints_per_layer) total += ts.size();
  CHECK(total == listed_per_layer);
  for (const OnHyperplane& h : segment.on_hyperplane) {
    REQUIRE(h.from < h.to);
    for (const Rational& t : std::vector<Rational>{h.from, (h.from + h.to) / 2, h.to})
      CHECK(sgn(pre_activations(network, point_at(p0, p1, t))[h.neuron]) == 0);
    for (const LinePiece& piece : segment.pieces)
      if (h.from <= piece.from && piece.to <= h.to) CHECK(piece.pattern[h.neuron] == '0');
  }
  return segment;
}

/*! a reproducible random point with coordinates in {-3, -5/2, ..., 3}. */
RationalVector random_point(std::size_t dimension, std::uint64_t& state) {
  RationalVector x;
  for (std::size_t i = 0; i < dimension; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    Rational v(static_cast<long>((state >> 33) % 13) - 6, 2);
    v.canonicalize();
    x.push_back(std::move(v));
  }
  return x;
}

std::set<std::string> lp_patterns(const Network& network, std::optional<Box> box = std::nullopt) {
  LinearRegionEnumerator enumerator(network, LinearRegionOptions{RunControl{}, false, box, false});
  std::set<std::string> patterns;
  enumerator.run([&](const LinearRegion& region) { patterns.insert(region.pattern); });
  return patterns;
}

}  // namespace

TEST_CASE("line: random networks, pieces against direct evaluation and the LP engine", "[line]") {
  const WeightDistribution small = parse_weight_distribution("int:-3:3");
  std::uint64_t state = 7;
  std::size_t checked = 0;  // pieces compared with the LP engine's regions
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    for (const Network& network : {random_network({1, 1, 2}, {linear(3), linear(3)}, seed, small),
                                   random_network({1, 2, 2}, {conv(2, 2, 1), linear(3)}, seed, small),
                                   random_network({1, 1, 3}, {linear(4), linear(3), linear(2)}, seed, small)}) {
      const std::set<std::string> regions = lp_patterns(network);
      for (int s = 0; s < 4; ++s) {
        RationalVector p0 = random_point(network.input_dimension(), state);
        RationalVector p1 = random_point(network.input_dimension(), state);
        if (p0 == p1) continue;
        const LineSegment segment = check_segment(network, p0, p1);
        for (const LinePiece& piece : segment.pieces) {
          bool in_plane = false;
          for (const OnHyperplane& h : segment.on_hyperplane)
            in_plane = in_plane || (h.from < piece.to && piece.from < h.to);
          if (in_plane) continue;
          CHECK(regions.count(piece.pattern) == 1);
          ++checked;
        }
      }
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("line: a conv network on a 3x3 input", "[line]") {
  const WeightDistribution weights = parse_weight_distribution("int:-9:9");
  std::uint64_t state = 11;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    const Network network = random_network({1, 3, 3}, {conv(2, 2, 2), conv(2, 2, 2)}, seed, weights);
    for (int s = 0; s < 3; ++s) {
      RationalVector p0 = random_point(9, state), p1 = random_point(9, state);
      if (p0 != p1) check_segment(network, p0, p1);
    }
    // Through the input origin and along a coordinate axis: degenerate for convolutions with zero-bias kernels.
    check_segment(network, RationalVector(9, Rational(-1)), RationalVector(9, Rational(1)));
  }
}

TEST_CASE("line: degenerate segments", "[line]") {
  // Layer 1: x1, x2, x1 + x2 (all vanish at the origin), a dead neuron (bias -1) and a zero neuron; layer 2:
  // relu(x1) - relu(x2).
  Network network;
  network.input = Shape{1, 1, 2};
  network.layers = {Linear{5, 2,
                           {Rational(1), Rational(0), Rational(0), Rational(1), Rational(1), Rational(1), Rational(0),
                            Rational(0), Rational(0), Rational(0)},
                           {Rational(0), Rational(0), Rational(0), Rational(-1), Rational(0)}},
                    Linear{1, 5, {Rational(1), Rational(-1), Rational(0), Rational(0), Rational(0)}, {Rational(0)}}};

  SECTION("through the point where three first-layer neurons vanish") {
    const LineSegment segment = check_segment(network, vec({-1, -2}), vec({1, 2}));
    REQUIRE(segment.breakpoints.size() == 1);
    CHECK(segment.breakpoints[0].t == Rational(1, 2));
    // Neuron 5 (x1 - x2 once both are on) starts at the same point: one breakpoint of two layers.
    CHECK(segment.breakpoints[0].neurons == std::vector<std::size_t>{0, 1, 2, 5});
    CHECK(segment.breakpoints[0].layers == std::vector<std::size_t>{0, 0, 0, 1});
    CHECK(segment.breakpoints_per_layer == std::vector<std::vector<Rational>>{{Rational(1, 2)}, {Rational(1, 2)}});
    CHECK(segment.pieces[0].pattern == "----00");
    CHECK(segment.pieces[1].pattern == "+++-0-");
    CHECK(segment.on_hyperplane.empty());
  }
  SECTION("along the diagonal, the second layer vanishes identically once both inputs are on") {
    const LineSegment segment = check_segment(network, vec({-1, -1}), vec({1, 1}));
    REQUIRE(segment.breakpoints.size() == 1);
    CHECK(segment.breakpoints[0].neurons == std::vector<std::size_t>{0, 1, 2});
    CHECK(segment.pieces[0].pattern == "----00");  // neuron 5 constant 0 in input space: not on a hyperplane
    CHECK(segment.pieces[1].pattern == "+++-00");
    REQUIRE(segment.on_hyperplane.size() == 1);
    CHECK(segment.on_hyperplane[0].neuron == 5);
    CHECK(segment.on_hyperplane[0].from == Rational(1, 2));
    CHECK(segment.on_hyperplane[0].to == 1);
  }
  SECTION("inside the first-layer hyperplane x1 = 0") {
    const LineSegment segment = check_segment(network, vec({0, -1}), vec({0, 3}));
    REQUIRE(segment.breakpoints.size() == 1);
    CHECK(segment.breakpoints[0].t == Rational(1, 4));
    CHECK(segment.breakpoints[0].neurons == std::vector<std::size_t>{1, 2, 5});
    CHECK(segment.breakpoints[0].layers == std::vector<std::size_t>{0, 0, 1});
    CHECK(segment.pieces[0].pattern == "0---00");
    CHECK(segment.pieces[1].pattern == "0++-0-");
    REQUIRE(segment.on_hyperplane.size() == 1);
    CHECK(segment.on_hyperplane[0].neuron == 0);
    CHECK(segment.on_hyperplane[0].from == 0);
    CHECK(segment.on_hyperplane[0].to == 1);
  }
  SECTION("no breakpoint at all") {
    const LineSegment segment = check_segment(network, vec({1, 3}), vec({2, 5}));
    CHECK(segment.breakpoints.empty());
    CHECK(segment.pieces.size() == 1);
    CHECK(segment.transitions() == 0);
  }
  SECTION("an end point on a hyperplane is no breakpoint") {
    const LineSegment segment = check_segment(network, vec({0, 3}), vec({2, 3}));
    CHECK(segment.breakpoints.empty());
  }
  SECTION("JSON: exact rationals as strings, one entry per segment") {
    const LineSegment segment = compute_line(network, vec({-1, -2}), vec({1, 2}));
    const nlohmann::json json = line_json(segment);
    CHECK(json["p0"] == nlohmann::json({"-1", "-2"}));
    CHECK(json["breakpoints"][0]["t"] == "1/2");
    CHECK(json["breakpoints"][0]["x"] == nlohmann::json({"0", "0"}));
    CHECK(json["breakpoints"][0]["layer"] == 0);
    CHECK(json["breakpoints"][0]["layers"] == nlohmann::json({0, 0, 0, 1}));
    CHECK(json["breakpoints"][0]["neurons"] == nlohmann::json({0, 1, 2, 5}));
    CHECK(json["breakpoints_per_layer"] == nlohmann::json({{"1/2"}, {"1/2"}}));
    CHECK(json["pieces"][0] ==
          nlohmann::json({{"from", "0"}, {"to", "1/2"}, {"pattern", "----00"}, {"midpoint", {"-1/2", "-1"}}}));
    CHECK(json["pieces"][1]["midpoint"] == nlohmann::json({"1/2", "1"}));
    CHECK(json["regions"] == 2);
    CHECK(json["distinct_regions"] == 2);
    CHECK(json["transitions"] == 1);
    const nlohmann::json both = lines_json({segment, compute_line(network, vec({0, -1}), vec({0, 3}))});
    REQUIRE(both["segments"].size() == 2);
    CHECK(both["segments"][0] == json);
    CHECK(both["segments"][1]["on_hyperplane"] == nlohmann::json::parse(R"([{"neuron":0,"from":"0","to":"1"}])"));
    CHECK(both["total_transitions"] == 2);
    CHECK(line_text(compute_line(network, vec({0, -1}), vec({0, 3})))
              .find("lies inside the hyperplane of neuron 0 for t in 0..1") != std::string::npos);
  }
  SECTION("a passed deadline stops the run") {
    RunControl control;
    control.deadline = RunControl::Clock::now() - std::chrono::seconds(1);
    CHECK_THROWS_AS(compute_line(network, vec({-1, -2}), vec({1, 2}), control), LimitReached);
  }
  SECTION("bad segments") {
    CHECK_THROWS_AS(compute_line(network, vec({1, 2}), vec({1, 2})), InputError);
    CHECK_THROWS_AS(compute_line(network, vec({1, 2, 3}), vec({1, 2})), InputError);
    CHECK_THROWS_AS(compute_line(network, vec({1, 2}), vec({1})), InputError);
  }
}

TEST_CASE("line: on a 1-D network the breakpoints are breakpoints_1d inside the interval", "[line]") {
  // The hat of test_linear_regions.cpp: breakpoints 0, 1/2, 1, 3/2, 3.
  Network hat;
  hat.input = Shape{1, 1, 1};
  hat.layers = {Linear{3, 1, {Rational(1), Rational(1), Rational(1)}, {Rational(0), Rational(-1), Rational(-3)}},
                Linear{2, 3, {Rational(1), Rational(-2), Rational(1), Rational(-1), Rational(2), Rational(-1)},
                       {Rational(-1, 2), Rational(1, 2)}}};
  std::vector<Network> networks{hat};
  const WeightDistribution weights = parse_weight_distribution("int:-5:5");
  for (std::uint64_t seed = 1; seed <= 8; ++seed)
    networks.push_back(random_network({1, 1, 1}, {linear(4), linear(3), linear(2)}, seed, weights));
  for (const Network& network : networks) {
    for (const auto& [lo, hi] : {std::pair{Rational(-5), Rational(5)}, std::pair{Rational(1, 4), Rational(2)},
                                 std::pair{Rational(-1, 3), Rational(7, 2)}}) {
      const Box box{lo, hi};
      LinearRegionEnumerator enumerator(network, LinearRegionOptions{RunControl{}, false, box, false});
      std::vector<LinearRegion> regions;
      enumerator.run([&](const LinearRegion& region) { regions.push_back(region); });
      const std::vector<Rational> expected = breakpoints_1d(integer_network(network), regions, box);
      const LineSegment segment = check_segment(network, vec({lo}), vec({hi}));
      std::vector<Rational> found;
      for (const LineBreakpoint& point : segment.breakpoints) found.push_back(point.x[0]);
      CHECK(found == expected);
      // Reversed: the same points, t ↦ 1 − t.
      const LineSegment reversed = check_segment(network, vec({hi}), vec({lo}));
      CHECK(reversed.breakpoints.size() == segment.breakpoints.size());
    }
  }
}

TEST_CASE("parse_point_list: points separated by semicolons, named in errors", "[line][points]") {
  const std::vector<RationalVector> points = parse_point_list("1,2; -1/2, 0.25 ;3e1,0", 2, "--through");
  REQUIRE(points.size() == 3);
  CHECK(points[1] == vec({Rational(-1, 2), Rational(1, 4)}));
  CHECK(points[2] == vec({Rational(30), Rational(0)}));
  CHECK_THROWS_WITH(parse_point_list("1,2;1,x", 2, "--through"), Catch::Contains("--through: point 2: column 2"));
  CHECK_THROWS_WITH(parse_point_list("1,2;1,2,3", 2, "--through"),
                    Catch::Contains("--through: point 2 has 3 coordinates"));
  CHECK_THROWS_AS(parse_point_list("", 2, "--through"), InputError);
  CHECK_THROWS_AS(parse_point_list("1,2;", 2, "--through"), InputError);
}

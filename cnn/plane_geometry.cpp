#include "cnn/plane_geometry.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/hyperplane.hpp"
#include "arrangement/simple_point.hpp"

namespace chamber::plane {

namespace {

/*! sets `result` to a_i b_j − a_j b_i: positive when facet j turns left from facet i. */
void turn(Integer& result, const Facet& i, const Facet& j) {
  mpz_mul(result.get_mpz_t(), i.a.get_mpz_t(), j.b.get_mpz_t());
  mpz_submul(result.get_mpz_t(), j.a.get_mpz_t(), i.b.get_mpz_t());
}

/*! returns the sign of c z + a x + b y, left in `value`. */
int evaluate(const Integer& c, const Integer& a, const Integer& b, const HomogeneousPoint& p, Integer& value) {
  mpz_mul(value.get_mpz_t(), c.get_mpz_t(), p.z.get_mpz_t());
  mpz_addmul(value.get_mpz_t(), a.get_mpz_t(), p.x.get_mpz_t());
  mpz_addmul(value.get_mpz_t(), b.get_mpz_t(), p.y.get_mpz_t());
  return sgn(value);
}

/*! divides x, y, z by their gcd. */
void reduce(HomogeneousPoint& p) {
  Integer g;
  mpz_gcd(g.get_mpz_t(), p.x.get_mpz_t(), p.y.get_mpz_t());
  mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), p.z.get_mpz_t());
  if (g == 1 || g == 0) return;
  for (Integer* v : {&p.x, &p.y, &p.z}) mpz_divexact(v->get_mpz_t(), v->get_mpz_t(), g.get_mpz_t());
}

/*! returns whether lo < x/z < hi for a coordinate x of a point with denominator z. */
bool strictly_between(const Integer& x, const Integer& z, const Box& window, Integer& left, Integer& right) {
  // lo < x / z ⇔ num(lo) z < x den(lo), as z > 0 and den(lo) > 0; the same for hi.
  mpz_mul(left.get_mpz_t(), window.lo.get_num_mpz_t(), z.get_mpz_t());
  mpz_mul(right.get_mpz_t(), x.get_mpz_t(), window.lo.get_den_mpz_t());
  if (left >= right) return false;
  mpz_mul(left.get_mpz_t(), x.get_mpz_t(), window.hi.get_den_mpz_t());
  mpz_mul(right.get_mpz_t(), window.hi.get_num_mpz_t(), z.get_mpz_t());
  return left < right;
}

/*! returns whether `p` lies in the open square. */
bool strictly_inside(const HomogeneousPoint& p, const Box& window, Integer& left, Integer& right) {
  return strictly_between(p.x, p.z, window, left, right) && strictly_between(p.y, p.z, window, left, right);
}

Rational coordinate(const Integer& x, const Integer& z) {
  Rational value(x, z);
  value.canonicalize();
  return value;
}

/*! the points a larger window must hold: the largest |coordinate| among them. */
struct Reach {
  std::optional<Rational> bound;
  void add(const Rational& u, const Rational& v) {
    const Rational au = abs(u), av = abs(v);
    const Rational& m = au < av ? av : au;
    if (!bound || m > *bound) bound = m;
  }
  void add(const HomogeneousPoint& p) { add(coordinate(p.x, p.z), coordinate(p.y, p.z)); }
};

/*! a ray base + t·(dx, dy), t ≥ 0, of the closure of a cell. */
struct Ray {
  HomogeneousPoint base;
  Integer dx, dy;
};

/*! the direction (b, −a) of a facet, or its opposite. */
Ray along(const HomogeneousPoint& base, const Facet& facet, int orientation) {
  return Ray{base, Integer(orientation * facet.b), Integer(-orientation * facet.a)};
}

}  // namespace

ConvexCell square(const Box& window, std::size_t neurons) {
  const std::vector<Hyperplane> faces = box_faces(window, 2);
  auto facet = [&](std::size_t face) {
    const IntegerVector& row = faces[face].coefficients;
    return Facet{row[0], row[1], row[2], neurons + face};
  };
  auto corner = [&](const Rational& u, const Rational& v) {
    const Point p = Point::from_rationals({u, v});
    return HomogeneousPoint{p.coordinates[1], p.coordinates[2], p.coordinates[0]};
  };
  // Counter-clockwise from (lo, lo): the sides v > lo, u < hi, v < hi, u > lo.
  ConvexCell cell;
  cell.facets = {facet(2), facet(1), facet(3), facet(0)};
  cell.start = {corner(window.lo, window.lo), corner(window.hi, window.lo), corner(window.hi, window.hi),
                corner(window.lo, window.hi)};
  return cell;
}

int side(const IntegerVector& form, const HomogeneousPoint& p, Scratch& scratch) {
  return evaluate(form[0], form[1], form[2], p, scratch.value);
}

int side(const Facet& line, const HomogeneousPoint& p, Scratch& scratch) {
  return evaluate(line.c, line.a, line.b, p, scratch.value);
}

HomogeneousPoint meet(const Facet& f, const Facet& g) {
  HomogeneousPoint p;
  turn(p.z, f, g);
  mpz_mul(p.x.get_mpz_t(), f.b.get_mpz_t(), g.c.get_mpz_t());
  mpz_submul(p.x.get_mpz_t(), g.b.get_mpz_t(), f.c.get_mpz_t());
  mpz_mul(p.y.get_mpz_t(), f.c.get_mpz_t(), g.a.get_mpz_t());
  mpz_submul(p.y.get_mpz_t(), g.c.get_mpz_t(), f.a.get_mpz_t());
  if (sgn(p.z) < 0)
    for (Integer* v : {&p.x, &p.y, &p.z}) mpz_neg(v->get_mpz_t(), v->get_mpz_t());
  reduce(p);
  return p;
}

Facet primitive_facet(const IntegerVector& form, int orientation, std::size_t reference) {
  Facet f{form[0], form[1], form[2], reference};
  Integer g;
  mpz_gcd(g.get_mpz_t(), f.c.get_mpz_t(), f.a.get_mpz_t());
  mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), f.b.get_mpz_t());
  if (orientation < 0) mpz_neg(g.get_mpz_t(), g.get_mpz_t());
  for (Integer* v : {&f.c, &f.a, &f.b}) mpz_divexact(v->get_mpz_t(), v->get_mpz_t(), g.get_mpz_t());
  return f;
}

void split(const ConvexCell& polygon, const std::vector<int>& signs, const Facet& line, ConvexCell& plus,
           ConvexCell& minus) {
  const Facet opposite{-line.c, -line.a, -line.b, line.reference};
  const std::size_t n = polygon.facets.size();
  // Walking the boundary: a vertex on the kept side stays with its outgoing facet (the cut line when the boundary
  // leaves the side there); a crossing edge adds the crossing point, which starts the cut line (leaving) or the rest
  // of the edge (entering).
  auto keep = [&](int orientation, const Facet& cut, ConvexCell& out) {
    out.facets.clear();
    out.start.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const int s = orientation * signs[i];
      const int next = orientation * signs[(i + 1) % n];
      if (s > 0 || (s == 0 && next > 0)) {
        out.facets.push_back(polygon.facets[i]);
        out.start.push_back(polygon.start[i]);
      } else if (s == 0) {
        out.facets.push_back(cut);
        out.start.push_back(polygon.start[i]);
      }
      if (s * next < 0) {
        out.facets.push_back(s > 0 ? cut : polygon.facets[i]);
        out.start.push_back(meet(polygon.facets[i], line));
      }
    }
  };
  keep(1, line, plus);
  keep(-1, opposite, minus);
}

RationalVector interior_point(const ConvexCell& polygon) {
  // u: the simplest rational strictly between the least and the largest u of the vertices.
  std::optional<Rational> low, high;
  for (const std::optional<HomogeneousPoint>& p : polygon.start) {
    const Rational u = coordinate(p->x, p->z);
    if (!low || u < *low) low = u;
    if (!high || u > *high) high = u;
  }
  const Rational u = simplest_between(low, high);
  // v: the simplest rational of the open interval the facets leave on the vertical line at u (b v > −c − a u).
  low.reset();
  high.reset();
  for (const Facet& f : polygon.facets) {
    if (sgn(f.b) == 0) continue;  // a vertical side: positive at u, as u is strictly inside the polygon's u-range
    Rational bound = (-f.c - f.a * u) / f.b;
    if (sgn(f.b) > 0 && (!low || bound > *low)) low = std::move(bound);
    else if (sgn(f.b) < 0 && (!high || bound < *high)) high = std::move(bound);
  }
  return {u, simplest_between(low, high)};
}

std::vector<std::pair<Rational, Rational>> vertices(const ConvexCell& polygon) {
  std::vector<std::pair<Rational, Rational>> out;
  out.reserve(polygon.start.size());
  for (const std::optional<HomogeneousPoint>& p : polygon.start) out.emplace_back(coordinate(p->x, p->z), coordinate(p->y, p->z));
  return out;
}

bool touches_boundary(const ConvexCell& polygon, const Box& window) {
  Integer left, right;
  for (const std::optional<HomogeneousPoint>& p : polygon.start)
    if (!strictly_inside(*p, window, left, right)) return true;
  return false;
}

TrueCell true_cell(const ConvexCell& polygon, std::span<const Facet> constraints, const Box& window,
                   std::size_t neurons) {
  TrueCell out;
  // C's facets are the polygon's neuron edges in the same order (each is a facet of C, and C has no other: the
  // polygon is C cut by the window). Consecutive ones meet at a vertex of C exactly when they turn left; at the
  // turn of 180° or more the boundary of C runs off to infinity (the turns add up to 360°).
  Scratch scratch;
  const std::size_t n = polygon.facets.size();
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i)
    if (polygon.facets[i].reference < neurons) kept.push_back(i);
  const std::size_t k = kept.size();
  ConvexCell& cell = out.cell;
  for (std::size_t j = 0; j < k; ++j) {
    const std::size_t i = kept[j], previous = kept[(j + k - 1) % k];
    cell.facets.push_back(polygon.facets[i]);
    turn(scratch.value, polygon.facets[previous], polygon.facets[i]);
    if (previous == (i + n - 1) % n)
      cell.start.push_back(polygon.start[i]);
    else if (sgn(scratch.value) > 0)
      cell.start.push_back(meet(polygon.facets[previous], polygon.facets[i]));
    else
      cell.start.emplace_back();
  }

  // (a) every vertex of C strictly inside the window.
  Reach reach;
  std::vector<HomogeneousPoint> points;
  for (const std::optional<HomogeneousPoint>& p : cell.start) {
    if (!p) continue;
    points.push_back(*p);
    if (!strictly_inside(*p, window, scratch.left, scratch.right)) reach.add(*p);
  }
  // The closure of C as points + rays: its vertices and the two rays at the opening; without vertices, a point on
  // each facet (the polygon's, on its line) and the lines along it (with the inward normal for a half-plane).
  std::vector<Ray> rays;
  if (!points.empty()) {
    for (std::size_t j = 0; j < k; ++j) {
      if (cell.start[j]) continue;
      const std::size_t before = (j + k - 1) % k, after = (j + 1) % k;
      if (cell.start[before]) rays.push_back(along(*cell.start[before], cell.facets[before], 1));
      if (cell.start[after]) rays.push_back(along(*cell.start[after], cell.facets[j], -1));
    }
  } else if (k == 0) {
    const HomogeneousPoint origin{0, 0, 1};
    points.push_back(origin);
    rays = {Ray{origin, 1, 0}, Ray{origin, -1, 0}, Ray{origin, 0, 1}, Ray{origin, 0, -1}};
  } else {
    for (std::size_t i : kept) points.push_back(*polygon.start[i]);
    rays = {along(points[0], cell.facets[0], 1), along(points[0], cell.facets[0], -1)};
    if (k == 1) rays.push_back(Ray{points[0], cell.facets[0].a, cell.facets[0].b});
  }
  // (b) every constraint ≥ 0 on that closure: then C is its interior. A constraint negative along a ray cuts C
  // where its line crosses the ray.
  Integer slope;
  for (const Facet& g : constraints) {
    for (const HomogeneousPoint& p : points)
      if (side(g, p, scratch) < 0) reach.add(p);
    for (const Ray& ray : rays) {
      slope = g.a * ray.dx + g.b * ray.dy;
      if (sgn(slope) >= 0) continue;
      side(g, ray.base, scratch);
      Rational t(scratch.value, Integer(-slope * ray.base.z));  // g(base) / (−slope) with g(base) = value / z
      t.canonicalize();
      reach.add(coordinate(ray.base.x, ray.base.z) + t * ray.dx, coordinate(ray.base.y, ray.base.z) + t * ray.dy);
    }
  }
  out.reach = reach.bound;
  return out;
}

bool is_facet(const ConvexCell& cell, const Facet& constraint) {
  for (const Facet& f : cell.facets)
    if (f.c == constraint.c && f.a == constraint.a && f.b == constraint.b) return true;
  return false;
}

NonFacetProof non_facet_proof(const ConvexCell& cell, const Facet& g, Scratch& scratch) {
  const std::size_t k = cell.facets.size();
  // The vertex where g is least is the one whose normal cone holds g's normal: between its incoming facet `in` and
  // its outgoing facet `out`, turn(in, g) ≥ 0 and turn(g, out) ≥ 0 (those are the multipliers, by Cramer's rule).
  std::vector<Integer>& turns = scratch.turns;  // turns[j] = turn(g, facet j)
  if (turns.size() < k) turns.resize(k);
  for (std::size_t j = 0; j < k; ++j) turn(turns[j], g, cell.facets[j]);
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < k && !best; ++i)
    if (cell.start[i] && sgn(turns[(i + k - 1) % k]) <= 0 && sgn(turns[i]) >= 0) best = i;
  // −own·g + first·(facet) [+ second·(facet)]: its linear part vanishes and its constant is −own·g(vertex) ≤ 0.
  Integer& own = scratch.own;
  const Facet* first = nullptr;
  const Facet* second = nullptr;
  if (best) {
    first = &cell.facets[(*best + k - 1) % k];
    second = &cell.facets[*best];
    turn(own, *first, *second);
    scratch.first = turns[*best];
    mpz_neg(scratch.second.get_mpz_t(), turns[(*best + k - 1) % k].get_mpz_t());
  } else {
    // No vertex: g is parallel to a facet with the same inward normal.
    for (const Facet& f : cell.facets) {
      turn(scratch.left, f, g);
      mpz_mul(scratch.right.get_mpz_t(), f.a.get_mpz_t(), g.a.get_mpz_t());
      mpz_addmul(scratch.right.get_mpz_t(), f.b.get_mpz_t(), g.b.get_mpz_t());
      if (sgn(scratch.left) != 0 || sgn(scratch.right) <= 0) continue;
      const bool use_a = sgn(f.a) != 0;
      mpz_abs(own.get_mpz_t(), (use_a ? f.a : f.b).get_mpz_t());
      mpz_abs(scratch.first.get_mpz_t(), (use_a ? g.a : g.b).get_mpz_t());
      scratch.second = 0;
      first = &f;
      break;
    }
  }
  if (!first || sgn(own) <= 0 || sgn(scratch.first) < 0 || sgn(scratch.second) < 0)
    throw InternalError("plane regions: no Farkas combination for the hyperplane of neuron " +
                        std::to_string(g.reference));
  Integer* sum = scratch.sum;
  mpz_mul(sum[0].get_mpz_t(), own.get_mpz_t(), g.c.get_mpz_t());
  mpz_mul(sum[1].get_mpz_t(), own.get_mpz_t(), g.a.get_mpz_t());
  mpz_mul(sum[2].get_mpz_t(), own.get_mpz_t(), g.b.get_mpz_t());
  for (Integer* v : {&sum[0], &sum[1], &sum[2]}) mpz_neg(v->get_mpz_t(), v->get_mpz_t());
  NonFacetProof proof;
  proof.hyperplane = g.reference;
  proof.constraints.reserve(3);
  proof.sides.reserve(3);
  proof.multipliers.reserve(3);
  auto add = [&](const Facet& facet, const Integer& multiplier, int side_of_facet) {
    proof.constraints.push_back(facet.reference);
    proof.sides.push_back(side_of_facet);
    proof.multipliers.push_back(multiplier);
  };
  add(g, own, -1);
  for (const auto& [facet, multiplier] : {std::pair{first, &scratch.first}, std::pair{second, &scratch.second}}) {
    if (!facet || sgn(*multiplier) == 0) continue;
    mpz_addmul(sum[0].get_mpz_t(), multiplier->get_mpz_t(), facet->c.get_mpz_t());
    mpz_addmul(sum[1].get_mpz_t(), multiplier->get_mpz_t(), facet->a.get_mpz_t());
    mpz_addmul(sum[2].get_mpz_t(), multiplier->get_mpz_t(), facet->b.get_mpz_t());
    add(*facet, *multiplier, 1);
  }
  if (sgn(sum[1]) != 0 || sgn(sum[2]) != 0 || sgn(sum[0]) > 0)
    throw InternalError("plane regions: the Farkas combination for the hyperplane of neuron " +
                        std::to_string(g.reference) + " does not close");
  return proof;
}

}  // namespace chamber::plane

#include "cnn/decision.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/report_json.hpp"
#include "cnn/linear_regions.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace chamber {

namespace {

/*! returns form(p) = c + a_u·u + a_v·v. */
Rational evaluate(const IntegerVector& form, const PlanePoint& p) {
  Rational value = form[1] * p.first;
  value += form[2] * p.second;
  value += form[0];
  return value;
}

/*! returns the cross product (b − a) × (c − a): > 0 when a, b, c turn left. */
Rational turn(const PlanePoint& a, const PlanePoint& b, const PlanePoint& c) {
  const Rational bu = b.first - a.first, bv = b.second - a.second;
  const Rational cu = c.first - a.first, cv = c.second - a.second;
  Rational cross = bu * cv;
  cross -= bv * cu;
  return cross;
}

/*! removes repeated and collinear vertices (the polygon stays the same set). */
std::vector<PlanePoint> simplified(std::vector<PlanePoint> polygon) {
  bool changed = true;
  while (changed && polygon.size() >= 3) {
    changed = false;
    for (std::size_t i = 0; i < polygon.size() && polygon.size() >= 3; ++i) {
      const std::size_t n = polygon.size();
      const PlanePoint& previous = polygon[(i + n - 1) % n];
      const PlanePoint& next = polygon[(i + 1) % n];
      if (polygon[i] == next || sgn(turn(previous, polygon[i], next)) == 0) {
        polygon.erase(polygon.begin() + static_cast<std::ptrdiff_t>(i));
        changed = true;
        break;
      }
    }
  }
  if (polygon.size() < 3) polygon.clear();
  return polygon;
}

/*! returns twice the signed area (shoelace). */
Rational twice_area(const std::vector<PlanePoint>& polygon) {
  Rational total = 0;
  for (std::size_t i = 0; i < polygon.size(); ++i) {
    const PlanePoint& a = polygon[i];
    const PlanePoint& b = polygon[(i + 1) % polygon.size()];
    total += a.first * b.second;
    total -= b.first * a.second;
  }
  return total;
}

/*! returns the part of the convex polygon where form ≥ 0 (Sutherland–Hodgman with exact crossings). */
std::vector<PlanePoint> clip(const std::vector<PlanePoint>& polygon, const IntegerVector& form) {
  std::vector<PlanePoint> out;
  const std::size_t n = polygon.size();
  std::vector<Rational> values;
  values.reserve(n);
  for (const PlanePoint& p : polygon) values.push_back(evaluate(form, p));
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t j = (i + 1) % n;
    const int si = sgn(values[i]), sj = sgn(values[j]);
    if (si >= 0) out.push_back(polygon[i]);
    if (si * sj < 0) {  // the line crosses the edge strictly inside
      const Rational t = values[i] / (values[i] - values[j]);
      const PlanePoint& p = polygon[i];
      const PlanePoint& q = polygon[j];
      Rational u = q.first - p.first, v = q.second - p.second;
      u *= t;
      v *= t;
      u += p.first;
      v += p.second;
      out.emplace_back(std::move(u), std::move(v));
    }
  }
  return out;
}

IntegerVector difference(const IntegerVector& a, const IntegerVector& b) {
  IntegerVector d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

/*! a line a·u + b·v = k with (a, b) primitive integers, the first nonzero one positive: the same for every segment
 * on it. */
struct LineKey {
  Integer a, b;
  Rational k;
  bool operator<(const LineKey& other) const {
    if (int c = cmp(a, other.a)) return c < 0;
    if (int c = cmp(b, other.b)) return c < 0;
    return k < other.k;
  }
};

LineKey line_through(const PlanePoint& p, const PlanePoint& q) {
  RationalVector normal{q.second - p.second, p.first - q.first};
  IntegerVector n = to_integers(normal);
  make_primitive(n);
  if (sgn(n[0]) < 0 || (sgn(n[0]) == 0 && sgn(n[1]) < 0)) {
    n[0] = -n[0];
    n[1] = -n[1];
  }
  Rational k = n[0] * p.first;
  k += n[1] * p.second;
  return LineKey{n[0], n[1], k};
}

/*! the position of p along the line with normal (a, b): the coordinate along the direction (−b, a). */
Rational position(const LineKey& line, const PlanePoint& p) {
  Rational t = line.a * p.second;
  t -= line.b * p.first;
  return t;
}

/*! a piece edge on a line: positions lo < hi, the side of the line its piece lies on, its class. */
struct LineInterval {
  Rational lo, hi;
  std::size_t label;
};

struct LineEdges {
  std::vector<LineInterval> sides[2];  // [0]: edges running along the line's direction, [1]: against it
  std::map<Rational, PlanePoint> points;
};

/*! returns the class covering the elementary interval [lo, hi] on one side (intervals sorted and disjoint; `next`
 * advances monotonically). */
std::optional<std::size_t> covering(const std::vector<LineInterval>& intervals, std::size_t& next, const Rational& lo,
                                    const Rational& hi) {
  while (next < intervals.size() && intervals[next].hi <= lo) ++next;
  if (next < intervals.size() && intervals[next].lo <= lo && intervals[next].hi >= hi) return intervals[next].label;
  return std::nullopt;
}

std::string point_text(const Rational& value) { return to_string(value); }

nlohmann::json point_json(const PlanePoint& p) { return nlohmann::json::array({point_text(p.first), point_text(p.second)}); }

nlohmann::json vertices_json(const std::vector<PlanePoint>& vertices) {
  nlohmann::json out = nlohmann::json::array();
  for (const PlanePoint& p : vertices) out.push_back(point_json(p));
  return out;
}

}  // namespace

std::size_t class_count(std::size_t outputs) { return outputs == 1 ? 2 : outputs; }

std::size_t predicted_class(const std::vector<Rational>& outputs) {
  if (outputs.size() == 1) return sgn(outputs[0]) > 0 ? 1 : 0;
  std::size_t best = 0;
  for (std::size_t c = 1; c < outputs.size(); ++c)
    if (outputs[c] > outputs[best]) best = c;
  return best;
}

std::vector<Rational> network_outputs(const Network& network, const RationalVector& x) {
  if (!network.readout) throw InputError("the network has no read-out layer");
  const std::vector<Rational> all = pre_activations(network, x);
  const NeuronRows rows = readout_neuron_rows(network);  // over the last layer's neurons
  const std::size_t inputs = rows.gated.front().size() - 1;
  const std::size_t first = all.size() - inputs;
  std::vector<Rational> outputs;
  outputs.reserve(rows.gated.size());
  for (std::size_t o = 0; o < rows.gated.size(); ++o) {
    const RationalVector& row = rows.gated[o];
    Rational sum = row[0];
    for (std::size_t j = 0; j < inputs; ++j) {
      const Rational& h = all[first + j];
      if (sgn(h) > 0 && sgn(row[1 + j]) != 0) sum += row[1 + j] * h;
      if (!rows.linear.empty() && sgn(rows.linear[o][1 + j]) != 0) sum += rows.linear[o][1 + j] * h;
    }
    outputs.push_back(std::move(sum));
  }
  return outputs;
}

std::vector<ClassPiece> split_by_class(const std::vector<PlanePoint>& polygon, const std::vector<IntegerVector>& scores) {
  std::vector<ClassPiece> pieces;
  for (std::size_t c = 0; c < scores.size(); ++c) {
    std::vector<PlanePoint> piece = polygon;
    for (std::size_t d = 0; d < scores.size() && !piece.empty(); ++d) {
      if (d == c) continue;
      const IntegerVector g = difference(scores[c], scores[d]);
      if (is_constant(g)) {
        // A constant difference: c beats d everywhere, nowhere, or they tie everywhere (the smaller index wins).
        if (sgn(g[0]) > 0 || (sgn(g[0]) == 0 && c < d)) continue;
        piece.clear();
        break;
      }
      piece = simplified(clip(piece, g));
    }
    if (piece.size() >= 3 && sgn(twice_area(piece)) > 0) pieces.push_back(ClassPiece{c, std::move(piece)});
  }
  return pieces;
}

std::vector<BoundarySegment> decision_boundary(const std::vector<std::vector<ClassPiece>>& pieces) {
  std::map<LineKey, LineEdges> lines;
  for (const std::vector<ClassPiece>& polygon : pieces)
    for (const ClassPiece& piece : polygon)
      for (std::size_t i = 0; i < piece.vertices.size(); ++i) {
        const PlanePoint& p = piece.vertices[i];
        const PlanePoint& q = piece.vertices[(i + 1) % piece.vertices.size()];
        const LineKey key = line_through(p, q);
        LineEdges& edges = lines[key];
        Rational tp = position(key, p), tq = position(key, q);
        edges.points.emplace(tp, p);
        edges.points.emplace(tq, q);
        if (tp < tq)
          edges.sides[0].push_back(LineInterval{std::move(tp), std::move(tq), piece.label});
        else
          edges.sides[1].push_back(LineInterval{std::move(tq), std::move(tp), piece.label});
      }

  std::vector<BoundarySegment> boundary;
  for (auto& [key, edges] : lines) {
    for (std::vector<LineInterval>& side : edges.sides) {
      std::sort(side.begin(), side.end(), [](const LineInterval& x, const LineInterval& y) { return x.lo < y.lo; });
      for (std::size_t i = 1; i < side.size(); ++i)
        if (side[i].lo < side[i - 1].hi)
          throw InternalError("decision boundary: two class pieces overlap along a line (they do not tile the slice)");
    }
    if (edges.sides[0].empty() || edges.sides[1].empty()) continue;
    std::size_t next[2] = {0, 0};
    std::optional<BoundarySegment> open;  // the segment being extended along this line
    Rational open_end;
    for (auto it = edges.points.begin(); std::next(it) != edges.points.end(); ++it) {
      const auto after = std::next(it);
      const std::optional<std::size_t> left = covering(edges.sides[0], next[0], it->first, after->first);
      const std::optional<std::size_t> right = covering(edges.sides[1], next[1], it->first, after->first);
      if (left && right && *left != *right) {
        const std::size_t first = std::min(*left, *right), second = std::max(*left, *right);
        if (open && open_end == it->first && open->first == first && open->second == second) {
          open->to = after->second;
        } else {
          if (open) boundary.push_back(std::move(*open));
          open = BoundarySegment{it->second, after->second, first, second};
        }
        open_end = after->first;
      }
    }
    if (open) boundary.push_back(std::move(*open));
  }
  return boundary;
}

DecisionSlice decide_slice(const Network& network, const Slice& slice) {
  if (!network.readout) throw InputError("the network has no read-out layer");
  const Linear& readout = *network.readout;
  // The slice's hidden layers and the read-out as one integer network on (u, v): its last layer's forms are the
  // outputs, all scaled by one positive integer.
  std::vector<NeuronRows> rows = slice_rows(network, slice.plane);
  rows.push_back(readout_neuron_rows(network));  // the read-out over the last hidden layer's neurons
  const IntegerNetwork sliced = integer_network(2, std::move(rows));
  const std::size_t outputs_from = sliced.first_neuron[sliced.layers() - 1];

  DecisionSlice decision;
  decision.classes = class_count(readout.out_features);
  decision.class_counts.assign(decision.classes, 0);
  for (const SlicePolygon& polygon : slice.polygons) {
    const std::vector<IntegerVector> forms = all_forms(sliced, polygon.pattern);
    std::vector<IntegerVector> scores(forms.begin() + static_cast<std::ptrdiff_t>(outputs_from), forms.end());
    if (scores.size() == 1) scores.insert(scores.begin(), IntegerVector(3, 0));  // class 0 scores 0, class 1 out_0
    std::vector<ClassPiece> pieces = split_by_class(polygon.vertices, scores);
    if (pieces.empty()) throw InternalError("region " + polygon.pattern + " of the slice has no class piece");
    for (const ClassPiece& piece : pieces) {
      // The exact forward pass in input space at the piece's vertex centroid (an interior point) must agree.
      Rational u = 0, v = 0;
      for (const PlanePoint& p : piece.vertices) {
        u += p.first;
        v += p.second;
      }
      u /= static_cast<unsigned long>(piece.vertices.size());
      v /= static_cast<unsigned long>(piece.vertices.size());
      RationalVector x = slice.plane.p0;
      for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] += u * slice.plane.d1[i];
        x[i] += v * slice.plane.d2[i];
      }
      const std::size_t label = predicted_class(network_outputs(network, x));
      if (label != piece.label)
        throw InternalError("region " + polygon.pattern + ": a piece of class " + std::to_string(piece.label) +
                            " is predicted as class " + std::to_string(label) + " at its centroid");
      ++decision.class_counts[piece.label];
    }
    decision.pieces.push_back(std::move(pieces));
  }
  decision.boundary = decision_boundary(decision.pieces);
  return decision;
}

std::vector<std::string> class_colours(std::size_t count) {
  // Tableau 10: distinct, and readable under a black boundary.
  static const char* const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  std::vector<std::string> colours;
  std::set<std::string> used;
  for (std::size_t i = 0; i < count && i < std::size(palette); ++i) {
    colours.emplace_back(palette[i]);
    used.insert(palette[i]);
  }
  if (colours.size() < count) {
    for (const std::string& colour : region_colours(count + std::size(palette))) {
      if (colours.size() == count) break;
      if (used.insert(colour).second) colours.push_back(colour);
    }
  }
  return colours;
}

void write_decision_svg(std::ostream& out, const Slice& slice, const DecisionSlice& decision) {
  constexpr double size = 800;
  const double lo = slice.window.lo.get_d(), hi = slice.window.hi.get_d();
  const double scale = size / (hi - lo);
  auto px = [&](const Rational& u) { return (u.get_d() - lo) * scale; };
  auto py = [&](const Rational& v) { return (hi - v.get_d()) * scale; };  // v grows upwards
  char buffer[64];
  auto number = [&](double v) {
    std::snprintf(buffer, sizeof buffer, "%.3f", v);
    return std::string(buffer);
  };
  auto points = [&](const std::vector<PlanePoint>& vertices) {
    std::string text;
    for (const auto& [u, v] : vertices) text += number(px(u)) + ',' + number(py(v)) + ' ';
    return text;
  };
  const std::vector<std::string> colours = class_colours(decision.classes);
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << size << "\" height=\"" << size << "\" viewBox=\"0 0 "
      << size << ' ' << size << "\">\n";
  out << "<title>" << slice.polygons.size() << " linear regions coloured by the predicted class of " << decision.classes
      << ", with the decision boundary, on a plane through three inputs</title>\n";
  // The pieces, each stroked in its own colour so that no seam shows between pieces of one class.
  out << "<g stroke-width=\"0.5\" stroke-linejoin=\"round\">\n";
  for (std::size_t r = 0; r < decision.pieces.size(); ++r)
    for (const ClassPiece& piece : decision.pieces[r])
      out << "<polygon fill=\"" << colours[piece.label] << "\" stroke=\"" << colours[piece.label] << "\" points=\""
          << points(piece.vertices) << "\"><title>class " << piece.label << ", region " << slice.polygons[r].pattern
          << "</title></polygon>\n";
  out << "</g>\n<g fill=\"none\" stroke=\"#606060\" stroke-width=\"0.6\" stroke-linejoin=\"round\">\n";
  for (const SlicePolygon& polygon : slice.polygons) out << "<polygon points=\"" << points(polygon.vertices) << "\"/>\n";
  out << "</g>\n<g stroke=\"#000000\" stroke-width=\"3\" stroke-linecap=\"round\">\n";
  for (const BoundarySegment& segment : decision.boundary)
    out << "<line x1=\"" << number(px(segment.from.first)) << "\" y1=\"" << number(py(segment.from.second))
        << "\" x2=\"" << number(px(segment.to.first)) << "\" y2=\"" << number(py(segment.to.second)) << "\"/>\n";
  out << "</g>\n<g fill=\"#000000\" stroke=\"#ffffff\" stroke-width=\"1.5\" font-family=\"sans-serif\" "
         "font-size=\"16\">\n";
  const Rational zero(0), one(1);
  const PlanePoint marks[3] = {{zero, zero}, {one, zero}, {zero, one}};
  for (int i = 0; i < 3; ++i) {
    const double x = px(marks[i].first), y = py(marks[i].second);
    out << "<circle cx=\"" << number(x) << "\" cy=\"" << number(y) << "\" r=\"5\"/>";
    out << "<text x=\"" << number(x + 8) << "\" y=\"" << number(y - 8) << "\" stroke=\"none\">P" << i << "</text>\n";
  }
  // The legend, top left.
  const double row = 20, width = 96;
  out << "</g>\n<g font-family=\"sans-serif\" font-size=\"14\">\n";
  out << "<rect x=\"8\" y=\"8\" width=\"" << number(width) << "\" height=\""
      << number(row * static_cast<double>(decision.classes) + 8) << "\" fill=\"#ffffff\" fill-opacity=\"0.85\" "
      << "stroke=\"#404040\"/>\n";
  for (std::size_t c = 0; c < decision.classes; ++c) {
    const double y = 14 + row * static_cast<double>(c);
    out << "<rect x=\"14\" y=\"" << number(y) << "\" width=\"14\" height=\"14\" fill=\"" << colours[c]
        << "\" stroke=\"#404040\"/><text x=\"34\" y=\"" << number(y + 12) << "\">class " << c << "</text>\n";
  }
  out << "</g>\n</svg>\n";
}

void add_decision_json(nlohmann::json& out, const DecisionSlice& decision) {
  out["colour_by"] = "class";
  out["classes"] = decision.classes;
  out["class_counts"] = decision.class_counts;
  nlohmann::json boundary = nlohmann::json::array();
  for (const BoundarySegment& segment : decision.boundary)
    boundary.push_back({{"from", point_json(segment.from)},
                        {"to", point_json(segment.to)},
                        {"classes", {segment.first, segment.second}}});
  out["decision_boundary"] = std::move(boundary);
  nlohmann::json& polygons = out.at("polygons");
  if (polygons.size() != decision.pieces.size())
    throw InternalError("decision JSON: the slice has " + std::to_string(polygons.size()) + " polygons, the split " +
                        std::to_string(decision.pieces.size()));
  for (std::size_t r = 0; r < decision.pieces.size(); ++r) {
    nlohmann::json pieces = nlohmann::json::array();
    for (const ClassPiece& piece : decision.pieces[r])
      pieces.push_back({{"class", piece.label}, {"vertices", vertices_json(piece.vertices)}});
    polygons[r]["classes"] = std::move(pieces);
  }
}

}  // namespace chamber

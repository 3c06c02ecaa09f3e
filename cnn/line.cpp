#include "cnn/line.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/report_json.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace chamber {

namespace {

/*! returns x(t) = p0 + t (p1 − p0). */
RationalVector point_on(const RationalVector& p0, const RationalVector& p1, const Rational& t) {
  RationalVector x;
  x.reserve(p0.size());
  for (std::size_t j = 0; j < p0.size(); ++j) x.push_back(p0[j] + t * (p1[j] - p0[j]));
  return x;
}

char sign_char(int s) { return s > 0 ? '+' : s < 0 ? '-' : '0'; }

/*! returns c0 + c1 t for a form (c0, c1) over (1, t). */
Rational value_at(const IntegerVector& form, const Rational& t) { return Rational(form[0]) + Rational(form[1]) * t; }

/*! one interval of [0, 1] while the layers are processed: the pattern of the layers done so far is fixed on it. */
struct Interval {
  Rational lo, hi;
  std::string pattern;                  // layers done so far
  std::string in_plane;                 // parallel to pattern: 'h' when the neuron is ≡ 0 along the interval only
  std::vector<IntegerVector> previous;  // last layer's forms over (1, t)
  std::vector<IntegerVector> previous_input;  // last layer's forms over (1, x)
  std::vector<IntegerVector> forms;     // every layer's forms over (1, t), concatenated
};

void check_dimension(const RationalVector& point, const char* name, std::size_t dimension) {
  if (point.size() != dimension)
    throw InputError(std::string("point ") + name + " has " + std::to_string(point.size()) +
                     " coordinates, the network's input has " + std::to_string(dimension));
}

std::string point_text(const RationalVector& x) {
  std::string text = "(";
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (i) text += ',';
    text += to_string(x[i]);
  }
  return text + ")";
}

}  // namespace

IntegerNetwork line_network(const Network& network, const RationalVector& p0, const RationalVector& p1) {
  const std::size_t n = network.input_dimension();
  check_dimension(p0, "P0", n);
  check_dimension(p1, "P1", n);
  RationalVector d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = p1[i] - p0[i];
  std::vector<NeuronRows> layers = neuron_layers(network);
  for (RationalVector& row : layers[0].gated) {
    const RationalVector a(row.begin() + 1, row.end());
    row = {row[0] + dot(a, p0), dot(a, d)};
  }
  return integer_network(1, std::move(layers));
}

LineSegment compute_line(const Network& network, const RationalVector& p0, const RationalVector& p1,
                         const RunControl& control) {
  const IntegerNetwork restricted = line_network(network, p0, p1);
  if (restricted.has_max())
    throw InputError("chamber line does not handle max-pooling layers yet (chamber cnn counts them)");
  if (p0 == p1) throw InputError("the segment's end points P0 and P1 are equal: " + point_text(p0));
  const IntegerNetwork full = integer_network(network);

  std::vector<Interval> intervals{Interval{Rational(0), Rational(1), {}, {}, {}, {}, {}}};
  for (std::size_t l = 0; l < restricted.layers(); ++l) {
    control.check_time("chamber line");
    std::vector<Interval> next;
    for (Interval& interval : intervals) {
      control.check_time("chamber line");
      std::vector<IntegerVector> forms = layer_forms(restricted, l, interval.pattern, interval.previous);
      std::vector<IntegerVector> input_forms = layer_forms(full, l, interval.pattern, interval.previous_input);
      std::vector<Rational> cuts{interval.lo};
      for (const IntegerVector& form : forms) {
        if (sgn(form[1]) == 0) continue;
        Rational root(-form[0], form[1]);
        root.canonicalize();
        if (interval.lo < root && root < interval.hi) cuts.push_back(std::move(root));
      }
      std::sort(cuts.begin() + 1, cuts.end());
      cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
      cuts.push_back(interval.hi);
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        Interval piece{cuts[i], cuts[i + 1], interval.pattern, interval.in_plane, forms, input_forms, interval.forms};
        const Rational middle = (piece.lo + piece.hi) / 2;
        for (std::size_t k = 0; k < forms.size(); ++k) {
          char flag = ' ';
          int s;
          if (is_constant(input_forms[k])) {
            s = sgn(input_forms[k][0]);
          } else if (sgn(forms[k][1]) == 0) {
            s = sgn(forms[k][0]);
            if (s == 0) flag = 'h';
          } else {
            s = sgn(value_at(forms[k], middle));
          }
          piece.pattern += sign_char(s);
          piece.in_plane += flag;
        }
        piece.forms.insert(piece.forms.end(), forms.begin(), forms.end());
        next.push_back(std::move(piece));
      }
    }
    intervals = std::move(next);
    if (control.max_regions && intervals.size() > *control.max_regions)
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
  }

  // Adjacent intervals always differ (a root with a nonzero slope flips a sign); merge equal ones all the same.
  std::vector<Interval> merged;
  for (Interval& interval : intervals) {
    if (!merged.empty() && merged.back().pattern == interval.pattern && merged.back().in_plane == interval.in_plane)
      merged.back().hi = interval.hi;
    else
      merged.push_back(std::move(interval));
  }

  LineSegment segment;
  segment.p0 = p0;
  segment.p1 = p1;
  segment.breakpoints_per_layer.resize(restricted.layers());
  std::set<std::string> distinct;
  for (const Interval& interval : merged) {
    segment.pieces.push_back(
        LinePiece{interval.lo, interval.hi, interval.pattern, point_on(p0, p1, (interval.lo + interval.hi) / 2)});
    distinct.insert(interval.pattern);
  }
  segment.distinct_regions = distinct.size();

  for (std::size_t i = 1; i < merged.size(); ++i) {
    const Interval& left = merged[i - 1];
    const Interval& right = merged[i];
    LineBreakpoint point;
    point.t = left.hi;
    point.x = point_on(p0, p1, point.t);
    for (std::size_t k = 0; k < left.forms.size(); ++k) {
      if (sgn(left.forms[k][1]) == 0 && sgn(right.forms[k][1]) == 0) continue;
      if (sgn(value_at(left.forms[k], point.t)) != 0) continue;
      point.neurons.push_back(k);
      point.layers.push_back(restricted.layer_of(k));
    }
    if (point.neurons.empty())
      throw InternalError("breakpoint " + to_string(point.t) + " of the segment has no neuron");
    std::vector<std::size_t> layers = point.layers;
    layers.erase(std::unique(layers.begin(), layers.end()), layers.end());
    for (std::size_t l : layers) segment.breakpoints_per_layer[l].push_back(point.t);
    segment.breakpoints.push_back(std::move(point));
  }

  // The neurons ≡ 0 along maximal runs of pieces.
  const std::size_t neurons = restricted.neurons();
  for (std::size_t k = 0; k < neurons; ++k)
    for (std::size_t i = 0; i < merged.size(); ++i) {
      if (merged[i].in_plane[k] != 'h') continue;
      if (!segment.on_hyperplane.empty() && segment.on_hyperplane.back().neuron == k &&
          segment.on_hyperplane.back().to == merged[i].lo && merged[i - 1].in_plane[k] == 'h')
        segment.on_hyperplane.back().to = merged[i].hi;
      else
        segment.on_hyperplane.push_back(OnHyperplane{k, merged[i].lo, merged[i].hi});
    }
  return segment;
}

nlohmann::json line_json(const LineSegment& segment) {
  nlohmann::json breakpoints = nlohmann::json::array();
  for (const LineBreakpoint& point : segment.breakpoints)
    breakpoints.push_back({{"t", to_string(point.t)},
                           {"x", json_rationals(point.x)},
                           {"layer", point.layers.front()},
                           {"neurons", point.neurons},
                           {"layers", point.layers}});
  nlohmann::json per_layer = nlohmann::json::array();
  for (const std::vector<Rational>& ts : segment.breakpoints_per_layer) per_layer.push_back(json_rationals(ts));
  nlohmann::json pieces = nlohmann::json::array();
  for (const LinePiece& piece : segment.pieces)
    pieces.push_back({{"from", to_string(piece.from)},
                      {"to", to_string(piece.to)},
                      {"pattern", piece.pattern},
                      {"midpoint", json_rationals(piece.midpoint)}});
  nlohmann::json on = nlohmann::json::array();
  for (const OnHyperplane& h : segment.on_hyperplane)
    on.push_back({{"neuron", h.neuron}, {"from", to_string(h.from)}, {"to", to_string(h.to)}});
  nlohmann::json out;
  out["p0"] = json_rationals(segment.p0);
  out["p1"] = json_rationals(segment.p1);
  out["breakpoints"] = breakpoints;
  out["breakpoints_per_layer"] = per_layer;
  out["pieces"] = pieces;
  out["regions"] = segment.pieces.size();
  out["distinct_regions"] = segment.distinct_regions;
  out["transitions"] = segment.transitions();
  out["on_hyperplane"] = on;
  return out;
}

nlohmann::json lines_json(const std::vector<LineSegment>& segments) {
  nlohmann::json out;
  out["segments"] = nlohmann::json::array();
  std::size_t total = 0;
  for (const LineSegment& segment : segments) {
    out["segments"].push_back(line_json(segment));
    total += segment.transitions();
  }
  out["total_transitions"] = total;
  return out;
}

std::string line_text(const LineSegment& segment) {
  std::ostringstream out;
  out << point_text(segment.p0) << " -> " << point_text(segment.p1) << ": breakpoints [";
  for (std::size_t i = 0; i < segment.breakpoints.size(); ++i)
    out << (i ? ", " : "") << to_string(segment.breakpoints[i].t) << " (layer " << segment.breakpoints[i].layers.front()
        << ')';
  out << "]; pieces";
  for (std::size_t i = 0; i < segment.pieces.size(); ++i)
    out << (i ? ", " : " ") << to_string(segment.pieces[i].from) << ".." << to_string(segment.pieces[i].to) << ' '
        << segment.pieces[i].pattern;
  out << "; regions crossed: " << segment.pieces.size() << " (" << segment.distinct_regions
      << " distinct), transitions: " << segment.transitions();
  if (!segment.on_hyperplane.empty()) {
    out << "; the segment lies inside the hyperplane of";
    for (std::size_t i = 0; i < segment.on_hyperplane.size(); ++i)
      out << (i ? ", " : " ") << "neuron " << segment.on_hyperplane[i].neuron << " for t in "
          << to_string(segment.on_hyperplane[i].from) << ".." << to_string(segment.on_hyperplane[i].to);
    out << " (pattern '0' there)";
  }
  return out.str();
}

}  // namespace chamber

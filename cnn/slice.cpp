#include "cnn/slice.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/report_json.hpp"
#include "cnn/plane_regions.hpp"
#include "cnn/random_network.hpp"

#include <cmath>
#include <cstdio>
#include <set>

namespace chamber {

namespace {

RationalVector difference(const RationalVector& a, const RationalVector& b) {
  RationalVector d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = a[i] - b[i];
  return d;
}

/*! whether d1 and d2 are linearly independent (some 2×2 minor is nonzero). */
bool independent(const RationalVector& d1, const RationalVector& d2) {
  for (std::size_t i = 0; i < d1.size(); ++i)
    for (std::size_t j = i + 1; j < d1.size(); ++j)
      if (d1[i] * d2[j] - d1[j] * d2[i] != 0) return true;
  return false;
}

}  // namespace

Plane plane_through(const RationalVector& p0, const RationalVector& p1, const RationalVector& p2) {
  Plane plane{p0, difference(p1, p0), difference(p2, p0)};
  if (!independent(plane.d1, plane.d2))
    throw InputError("the three points do not span a plane (they lie on one line)");
  return plane;
}

Plane random_plane(std::size_t dimension, std::uint64_t seed) {
  if (dimension < 2) throw InputError("a random plane needs an input of dimension at least 2");
  RandomBits bits(seed);
  for (;;) {
    RationalVector points[3];
    for (RationalVector& p : points)
      for (std::size_t i = 0; i < dimension; ++i) p.push_back(Rational(bits.uniform_integer(-2, 2)));
    Plane plane{points[0], difference(points[1], points[0]), difference(points[2], points[0])};
    if (independent(plane.d1, plane.d2)) return plane;
  }
}

std::vector<NeuronRows> slice_rows(const Network& network, const Plane& plane) {
  if (plane.p0.size() != network.input_dimension())
    throw InputError("the plane's points have " + std::to_string(plane.p0.size()) + " coordinates, the network's input " +
                     std::to_string(network.input_dimension()));
  std::vector<NeuronRows> layers = neuron_layers(network);
  for (RationalVector& row : layers[0].gated) {
    const RationalVector a(row.begin() + 1, row.end());
    row = {row[0] + dot(a, plane.p0), dot(a, plane.d1), dot(a, plane.d2)};
  }
  return layers;
}

IntegerNetwork slice_network(const Network& network, const Plane& plane) {
  return integer_network(2, slice_rows(network, plane));
}

Slice compute_slice(const Network& network, const Plane& plane, const Box& window, const RunControl& control,
                    unsigned threads) {
  Slice slice{plane, window, {}, 0};
  // The exact 2-D engine: no LP, and each region comes with its polygon (the region itself, inside the window).
  PlaneRegionEnumerator enumerator(slice_network(network, plane), PlaneRegionOptions{control, window, false, threads});
  enumerator.run([&](PlaneRegion&& region) {
    if (region.polygon.size() < 3)
      throw InternalError("region " + region.region.pattern + " of the slice has an empty polygon");
    slice.polygons.push_back(
        SlicePolygon{std::move(region.region.pattern), std::move(region.polygon), region.region.witness.to_rationals()});
  });
  return slice;
}

std::vector<std::string> region_colours(std::size_t count) {
  // Hues by the golden angle, three lightness bands; a colour already used is skipped, so all are distinct.
  std::vector<std::string> colours;
  std::set<std::string> used;
  for (std::size_t i = 0; colours.size() < count; ++i) {
    const double hue = std::fmod(static_cast<double>(i) * 137.50776405, 360.0);
    const double lightness = 0.55 + 0.12 * static_cast<double>((i / 3) % 3) - 0.06 * static_cast<double>(i % 2);
    const double saturation = 0.45 + 0.1 * static_cast<double>((i / 9) % 4);
    // HSL to RGB.
    const double c = (1 - std::fabs(2 * lightness - 1)) * saturation;
    const double h = hue / 60.0;
    const double x = c * (1 - std::fabs(std::fmod(h, 2.0) - 1));
    double r = 0, g = 0, b = 0;
    if (h < 1) r = c, g = x;
    else if (h < 2) r = x, g = c;
    else if (h < 3) g = c, b = x;
    else if (h < 4) g = x, b = c;
    else if (h < 5) r = x, b = c;
    else r = c, b = x;
    const double m = lightness - c / 2;
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", static_cast<int>(std::lround((r + m) * 255)),
                  static_cast<int>(std::lround((g + m) * 255)), static_cast<int>(std::lround((b + m) * 255)));
    if (used.insert(text).second) colours.emplace_back(text);
  }
  return colours;
}

void write_slice_svg(std::ostream& out, const Slice& slice, const std::vector<std::string>& colours) {
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
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << size << "\" height=\"" << size << "\" viewBox=\"0 0 "
      << size << ' ' << size << "\">\n";
  out << "<title>" << slice.polygons.size() << " linear regions on a plane through three inputs</title>\n";
  out << "<g stroke=\"#202020\" stroke-width=\"1\" stroke-linejoin=\"round\">\n";
  for (std::size_t r = 0; r < slice.polygons.size(); ++r) {
    out << "<polygon fill=\"" << colours[r] << "\" points=\"";
    for (const auto& [u, v] : slice.polygons[r].vertices) out << number(px(u)) << ',' << number(py(v)) << ' ';
    out << "\"><title>" << slice.polygons[r].pattern << "</title></polygon>\n";
  }
  out << "</g>\n<g fill=\"#000000\" stroke=\"#ffffff\" stroke-width=\"1.5\" font-family=\"sans-serif\" "
         "font-size=\"16\">\n";
  const Rational zero(0), one(1);
  const std::pair<Rational, Rational> marks[3] = {{zero, zero}, {one, zero}, {zero, one}};
  for (int i = 0; i < 3; ++i) {
    const double x = px(marks[i].first), y = py(marks[i].second);
    out << "<circle cx=\"" << number(x) << "\" cy=\"" << number(y) << "\" r=\"5\"/>";
    out << "<text x=\"" << number(x + 8) << "\" y=\"" << number(y - 8) << "\" stroke=\"none\">P" << i << "</text>\n";
  }
  out << "</g>\n</svg>\n";
}

nlohmann::json slice_json(const Slice& slice, const Plane& plane, const Box& window,
                          const std::vector<std::string>& colours) {
  nlohmann::json polygons = nlohmann::json::array();
  for (std::size_t r = 0; r < slice.polygons.size(); ++r) {
    nlohmann::json vertices = nlohmann::json::array();
    for (const auto& [u, v] : slice.polygons[r].vertices) vertices.push_back({to_string(u), to_string(v)});
    polygons.push_back({{"pattern", slice.polygons[r].pattern},
                        {"colour", colours[r]},
                        {"vertices", vertices},
                        {"witness", json_rationals(slice.polygons[r].witness)}});
  }
  nlohmann::json out;
  out["plane"] = {{"p0", json_rationals(plane.p0)}, {"d1", json_rationals(plane.d1)}, {"d2", json_rationals(plane.d2)}};
  out["window"] = {to_string(window.lo), to_string(window.hi)};
  out["regions"] = slice.polygons.size();
  out["engine"] = "plane";  // the 2-D engine (plane_regions.hpp): no LP
  out["lp_solves"] = slice.lp_solves;
  out["polygons"] = polygons;
  return out;
}

}  // namespace chamber

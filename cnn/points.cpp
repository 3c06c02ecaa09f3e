#include "cnn/points.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"

#include <fstream>
#include <map>

namespace chamber {

RationalVector parse_coordinates(const std::string& text, const std::string& where) {
  RationalVector x;
  std::size_t start = 0;
  for (std::size_t column = 1;; ++column) {
    const std::size_t comma = text.find(',', start);
    std::string field = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t lo = field.find_first_not_of(" \t"), hi = field.find_last_not_of(" \t");
    field = lo == std::string::npos ? std::string() : field.substr(lo, hi - lo + 1);
    std::string why;
    std::optional<Rational> value = parse_rational(field, &why);
    if (!value)
      throw InputError(where + ": column " + std::to_string(column) + ": " +
                       (why.empty() ? "expected an exact number (integer, p/q or decimal), found " + quote_prefix(field)
                                    : quote_prefix(field) + " refused: " + why));
    if (column > max_input_dimension)
      throw InputError(where + ": more than " + std::to_string(max_input_dimension) + " coordinates (the cap on a dimension)");
    x.push_back(std::move(*value));
    if (comma == std::string::npos) return x;
    start = comma + 1;
  }
}

std::vector<RationalVector> parse_point_list(const std::string& text, std::size_t dimension, const std::string& option) {
  std::vector<RationalVector> points;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(';', start);
    const std::string point = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string where = option + ": point " + std::to_string(points.size() + 1);
    RationalVector x = parse_coordinates(point, where);
    if (x.size() != dimension)
      throw InputError(where + " has " + std::to_string(x.size()) + " coordinates, the network's input has " +
                       std::to_string(dimension));
    points.push_back(std::move(x));
    if (end == std::string::npos) return points;
    start = end + 1;
  }
}

std::vector<InputPoint> read_points_file(const std::string& path, std::size_t dimension) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open file");
  std::vector<InputPoint> points;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string::npos || text[first] == '#') continue;
    InputPoint point{line, parse_coordinates(text, path + ":" + std::to_string(line))};
    if (point.x.size() != dimension)
      throw InputError(path + ":" + std::to_string(line) + ": expected " + std::to_string(dimension) +
                       " coordinates (the network's input C*H*W), found " + std::to_string(point.x.size()));
    points.push_back(std::move(point));
  }
  if (in.bad()) throw InputError(path + ": read error");
  if (points.empty()) throw InputError(path + ": no points (one point per line, coordinates separated by commas)");
  return points;
}

std::optional<std::string> pattern_at(const IntegerNetwork& network, const RationalVector& x) {
  // x = X / d with integers X and d > 0, so sign(c + a·x) = sign(c·d + a·X).
  const Integer d = common_denominator(x);
  const IntegerVector scaled = to_integers(x);
  std::string pattern;
  pattern.reserve(network.neurons());
  std::vector<IntegerVector> previous;
  auto value_at = [&](const IntegerVector& form) {
    Integer value = form[0] * d;
    for (std::size_t i = 0; i < scaled.size(); ++i)
      mpz_addmul(value.get_mpz_t(), form[i + 1].get_mpz_t(), scaled[i].get_mpz_t());
    return value;
  };
  for (std::size_t l = 0; l < network.layers(); ++l) {
    previous = layer_forms(network, l, pattern, previous);
    if (network.is_max(l)) {
      // Each unit takes its largest piece at x; a tie between pieces that differ is a boundary point.
      const std::vector<std::size_t>& begin = network.unit_begin[l];
      for (std::size_t u = 0; u + 1 < begin.size(); ++u) {
        std::size_t c = begin[u];
        std::vector<Integer> values;
        for (std::size_t s = begin[u]; s < begin[u + 1]; ++s) {
          values.push_back(value_at(previous[s]));
          if (values.back() > values[c - begin[u]]) c = s;
        }
        for (std::size_t s = begin[u]; s < begin[u + 1]; ++s) {
          if (previous[s] == previous[c]) {
            pattern += '0';
          } else if (values[s - begin[u]] == values[c - begin[u]]) {
            return std::nullopt;
          } else {
            pattern += '+';
          }
        }
      }
      continue;
    }
    for (const IntegerVector& form : previous) {
      const Integer value = value_at(form);
      if (is_constant(form)) {
        pattern += sgn(form[0]) > 0 ? '+' : sgn(form[0]) < 0 ? '-' : '0';
        continue;
      }
      if (sgn(value) == 0) return std::nullopt;
      pattern += sgn(value) > 0 ? '+' : '-';
    }
  }
  return pattern;
}

PointsReport locate_points(const IntegerNetwork& network, const std::vector<InputPoint>& points,
                           const std::optional<Box>& box) {
  PointsReport report;
  report.points = points.size();
  std::map<std::string, std::size_t> index;
  for (const InputPoint& point : points) {
    if (box) {
      bool inside = true;
      for (const Rational& v : point.x) inside = inside && box->lo < v && v < box->hi;
      if (!inside) {
        report.outside_box.push_back(point.line);
        continue;
      }
    }
    std::optional<std::string> pattern = pattern_at(network, point.x);
    if (!pattern) {
      report.on_boundary.push_back(point.line);
      continue;
    }
    auto [it, inserted] = index.emplace(*pattern, report.patterns.size());
    if (inserted) {
      report.patterns.push_back(*pattern);
      report.lines.emplace_back();
    }
    report.lines[it->second].push_back(point.line);
  }
  return report;
}

}  // namespace chamber

// Regions met by data: the exact linear region of each given input point (Qi & Wei's question, how many
// regions does a data set actually visit). A point's region is identified by its activation pattern, computed
// exactly layer by layer; a point on a region boundary (a non-constant neuron's pre-activation exactly 0) lies in
// no region and is reported as such, never rounded to a side.
#pragma once

#include "cnn/linear_regions.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

/*! one input point of a points file, with the line it came from (1-based). */
struct InputPoint {
  std::size_t line = 0;
  RationalVector x;
};

/*! parses exact numbers separated by commas (integers, "p/q", decimals with an optional exponent; blanks around
 * each allowed). \throws InputError "WHERE: column K: expected an exact number ..." naming the field. */
RationalVector parse_coordinates(const std::string& text, const std::string& where);

/*! parses an inline list of points "x,y,...;x,y,...;..." (points separated by ';', coordinates by commas, as
 * parse_coordinates), each of `dimension` coordinates. Never consults the file system.
 * \throws InputError "OPTION: point K: ..." naming the option and the point (bad number, wrong dimension). */
std::vector<RationalVector> parse_point_list(const std::string& text, std::size_t dimension, const std::string& option);

/*! reads a points file: one point per line, `dimension` exact numbers separated by commas (integers, "p/q",
 * decimals with an optional exponent); blank lines and lines starting with '#' are skipped.
 * \throws InputError naming the file, line and column of anything else (and of an empty file). */
std::vector<InputPoint> read_points_file(const std::string& path, std::size_t dimension);

/*! returns the activation pattern of the region containing `x` (as LinearRegion::pattern), or nothing when x
 * lies on a boundary: some neuron that is not constant on its cell has pre-activation exactly 0 at x. */
std::optional<std::string> pattern_at(const IntegerNetwork& network, const RationalVector& x);

/*! where the points of a file fall. */
struct PointsReport {
  std::size_t points = 0;
  std::vector<std::string> patterns;            // distinct regions met, in order of first appearance
  std::vector<std::vector<std::size_t>> lines;  // lines[r]: the points' lines in region patterns[r]
  std::vector<std::size_t> on_boundary;         // lines of points on a boundary
  std::vector<std::size_t> outside_box;         // lines of points not strictly inside the box
};

/*! locates every point; with a box, points not strictly inside it are only counted as outside. */
PointsReport locate_points(const IntegerNetwork& network, const std::vector<InputPoint>& points,
                           const std::optional<Box>& box);

}  // namespace chamber

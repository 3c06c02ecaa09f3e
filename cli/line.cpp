// chamber line NET.json (--through "P0;P1" | --through-file FILE | --points FILE) [--json]: the exact breakpoints
// and linear regions met along segments of the input space (region transitions, Hanin & Rolnick 2019), without LPs.
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/line.hpp"
#include "cnn/points.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct LineOptions {
  std::string network;
  std::string through, through_file, points;
  CommonOptions common;
};

/*! the segments' end points, two per segment, and where each segment came from (for messages). */
struct SegmentPoints {
  std::vector<RationalVector> points;
  std::vector<std::string> where;  // where[i]: segment i + 1
};

/*! returns the segments of a points file given as `option`: its 2 points (`exactly_two`) or its consecutive pairs.
 * \throws InputError naming the file when the count does not fit. */
SegmentPoints points_file_segments(const std::string& path, const std::string& option, std::size_t dimension,
                                   bool exactly_two) {
  const std::vector<InputPoint> read = read_points_file(path, dimension);
  if (exactly_two ? read.size() != 2 : read.size() % 2 != 0)
    throw InputError(path + ": " + option +
                     (exactly_two ? " needs exactly 2 points (P0 and P1)"
                                  : " needs an even number of points (consecutive pairs are segments)") +
                     ", the file holds " + std::to_string(read.size()));
  SegmentPoints segments;
  for (std::size_t i = 0; i < read.size(); ++i) {
    segments.points.push_back(read[i].x);
    if (i % 2 == 1)
      segments.where.push_back(path + ": segment " + std::to_string(i / 2 + 1) + " (lines " +
                               std::to_string(read[i - 1].line) + " and " + std::to_string(read[i].line) + ")");
  }
  return segments;
}

/*! returns the segments of --through (always text, never a file name), --through-file or --points. */
SegmentPoints segment_points(const LineOptions& options, std::size_t dimension) {
  if (!options.through.empty() + !options.through_file.empty() + !options.points.empty() != 1)
    throw InputError("give exactly one of --through \"P0;P1\", --through-file FILE and --points FILE");
  if (!options.through_file.empty())
    return points_file_segments(options.through_file, "--through-file", dimension, true);
  if (!options.points.empty()) return points_file_segments(options.points, "--points", dimension, false);
  SegmentPoints segments{parse_point_list(options.through, dimension, "--through"), {"--through"}};
  if (segments.points.size() != 2)
    throw InputError("--through: expected 2 points P0;P1, found " + std::to_string(segments.points.size()));
  return segments;
}

int run_line(const LineOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = read_network_file(options.network);
  const SegmentPoints given = segment_points(options, network.input_dimension());
  const RunControl control = make_run_control(options.common);
  std::vector<LineSegment> segments;
  std::size_t total = 0;
  for (std::size_t i = 0; i + 1 < given.points.size(); i += 2) {
    try {
      segments.push_back(compute_line(network, given.points[i], given.points[i + 1], control));
    } catch (const InputError& error) {
      throw InputError(given.where[i / 2] + ": " + error.what());
    }
    total += segments.back().transitions();
  }

  if (options.common.json) {
    nlohmann::json out = lines_json(segments);
    out["network"] = options.network;
    out["seconds"] = seconds_since(start);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  for (const LineSegment& segment : segments) std::cout << line_text(segment) << '\n';
  std::cout << options.network << ": " << segments.size() << " segment" << (segments.size() == 1 ? "" : "s")
            << ", total transitions: " << total << '\n';
  return 0;
}

}  // namespace

Command add_line_command(CLI::App& app) {
  auto options = std::make_shared<LineOptions>();
  CLI::App* command = app.add_subcommand(
      "line", "Exact breakpoints and linear regions along segments x(t) = P0 + t (P1 - P0), 0 <= t <= 1 (no LP)");
  command->add_option("NETWORK", options->network, "Network file (JSON, format chamber-network)")->required();
  command->add_option("--through", options->through,
                      "The segment from P0 to P1: \"P0;P1\" (coordinates comma-separated exact numbers; always text, "
                      "never a file name)");
  command->add_option("--through-file", options->through_file,
                      "The segment from P0 to P1, the 2 points of a points file (one point per line, '#' comments)");
  command->add_option("--points", options->points,
                      "A points file (one point per line, '#' comments); consecutive pairs of points are segments");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_line(*options); }};
}

}  // namespace chamber::cli

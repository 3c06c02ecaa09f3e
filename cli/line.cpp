// chamber line NET.json (--through "P0;P1" | --points FILE) [--json]: the exact breakpoints and linear regions met
// along segments of the input space (region transitions, Hanin & Rolnick 2019), without LPs.
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
  std::string through;
  std::string points;
  CommonOptions common;
};

/*! returns the segments' end points, two per segment, from --through or --points. */
std::vector<RationalVector> segment_points(const LineOptions& options, std::size_t dimension) {
  if (options.through.empty() == options.points.empty())
    throw InputError("give exactly one of --through \"P0;P1\" and --points FILE");
  std::vector<RationalVector> points;
  if (!options.through.empty()) {
    points = parse_point_list(options.through, dimension, "--through");
    if (points.size() != 2)
      throw InputError("--through: expected 2 points P0;P1, found " + std::to_string(points.size()));
    return points;
  }
  for (InputPoint& p : read_points_file(options.points, dimension)) points.push_back(std::move(p.x));
  if (points.size() % 2 != 0)
    throw InputError(options.points + ": --points needs an even number of points (consecutive pairs are segments), "
                                      "the file holds " + std::to_string(points.size()));
  return points;
}

int run_line(const LineOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = read_network_file(options.network);
  const std::vector<RationalVector> points = segment_points(options, network.input_dimension());
  const RunControl control = make_run_control(options.common);
  std::vector<LineSegment> segments;
  std::size_t total = 0;
  for (std::size_t i = 0; i + 1 < points.size(); i += 2) {
    try {
      segments.push_back(compute_line(network, points[i], points[i + 1], control));
    } catch (const InputError& error) {
      throw InputError((options.through.empty() ? options.points : std::string("--through")) + ": segment " +
                       std::to_string(i / 2 + 1) + ": " + error.what());
    }
    total += segments.back().transitions();
  }

  if (options.common.json) {
    nlohmann::json out;
    out["network"] = options.network;
    out["segments"] = nlohmann::json::array();
    for (const LineSegment& segment : segments) out["segments"].push_back(line_json(segment));
    out["total_transitions"] = total;
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
  command->add_option("--through", options->through, "The segment from P0 to P1: \"P0;P1\" (coordinates comma-separated)");
  command->add_option("--points", options->points,
                      "A points file (one point per line); consecutive pairs of points are segments");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_line(*options); }};
}

}  // namespace chamber::cli

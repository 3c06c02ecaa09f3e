// chamber slice NET.json (--through P0;P1;P2 | --random-plane SEED) [--box LO,HI] [--colour region|class] --svg OUT.svg:
// the exact linear regions of a network on a 2-D plane of its input space, as a picture and as exact polygons; with
// --colour class, each region split by the predicted class of the read-out, and the exact decision boundary.
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/decision.hpp"
#include "cnn/points.hpp"
#include "cnn/slice.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct SliceOptions {
  std::string network;
  std::string through, through_file;
  std::optional<std::uint64_t> random_plane;
  std::string box = "-1,2";
  std::string svg;
  std::string colour = "region";
  CommonOptions common;
};

/*! returns the three points of --through (always text, never a file name) or of --through-file (a points file). */
std::vector<RationalVector> three_points(const SliceOptions& options, std::size_t dimension) {
  std::vector<RationalVector> points;
  if (!options.through_file.empty()) {
    for (InputPoint& p : read_points_file(options.through_file, dimension)) points.push_back(std::move(p.x));
    if (points.size() != 3)
      throw InputError(options.through_file + ": --through-file needs exactly 3 points, the file holds " +
                       std::to_string(points.size()));
    return points;
  }
  points = parse_point_list(options.through, dimension, "--through");
  if (points.size() != 3) throw InputError("--through: expected 3 points P0;P1;P2, found " + std::to_string(points.size()));
  return points;
}

int run_slice(const SliceOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = read_network_file(options.network);
  const bool by_class = options.colour == "class";
  if (by_class && !network.readout)
    throw InputError(options.network + ": --colour class needs a readout layer (the network file has none)");
  const std::size_t n = network.input_dimension();
  if (!options.through.empty() + !options.through_file.empty() + options.random_plane.has_value() != 1)
    throw InputError("give exactly one of --through P0;P1;P2, --through-file FILE and --random-plane SEED");
  Plane plane;
  if (options.random_plane) {
    plane = random_plane(n, *options.random_plane);
  } else {
    const std::vector<RationalVector> points = three_points(options, n);
    plane = plane_through(points[0], points[1], points[2]);
  }
  const Box window = parse_box(options.box, "--box");
  const Slice slice = compute_slice(network, plane, window, make_run_control(options.common), thread_count(options.common));
  const std::vector<std::string> colours = region_colours(slice.polygons.size());
  std::optional<DecisionSlice> decision;
  if (by_class) decision = decide_slice(network, slice);
  if (!options.svg.empty()) {
    OutputFile out(options.svg);
    if (decision)
      write_decision_svg(out.stream(), slice, *decision);
    else
      write_slice_svg(out.stream(), slice, colours);
    out.commit();
  }

  if (options.common.json) {
    nlohmann::json out = slice_json(slice, plane, window, colours);
    if (decision) add_decision_json(out, *decision);
    out["network"] = options.network;
    out["svg"] = options.svg.empty() ? nlohmann::json(nullptr) : nlohmann::json(options.svg);
    out["seconds"] = seconds_since(start);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << options.network << ": " << slice.polygons.size() << " linear regions on the plane x = P0 + u (P1 - P0) + v (P2 - P0), "
            << options.box << " for u and v\n";
  if (decision) {
    std::cout << "classes: " << decision->classes << ", class pieces:";
    for (std::size_t c = 0; c < decision->classes; ++c) std::cout << ' ' << c << ':' << decision->class_counts[c];
    std::cout << ", decision boundary: " << decision->boundary.size() << " segments\n";
  }
  if (!options.svg.empty()) std::cout << "picture: " << options.svg << '\n';
  return 0;
}

}  // namespace

Command add_slice_command(CLI::App& app) {
  auto options = std::make_shared<SliceOptions>();
  CLI::App* command = app.add_subcommand(
      "slice", "Exact linear regions of a network on a plane through three inputs, as SVG and exact polygons");
  command->add_option("NETWORK", options->network, "Network file (JSON, format chamber-network)")->required();
  command->add_option("--through", options->through,
                      "The plane through P0;P1;P2 (coordinates comma-separated; always text, never a file name)");
  command->add_option("--through-file", options->through_file, "The plane through the 3 points of a points file");
  command->add_option("--random-plane", options->random_plane,
                      "The plane through 3 reproducible random points with integer coordinates in [-2, 2]");
  command->add_option("--box", options->box, "Window LO,HI for both plane coordinates u, v (P0 = (0,0), P1 = (1,0), "
                                             "P2 = (0,1))")
      ->capture_default_str();
  command->add_option("--svg", options->svg, "Write the picture here");
  command->add_option("--colour", options->colour,
                      "region: each region its own colour; class: each region split by the predicted class of the "
                      "read-out, with the exact decision boundary (needs a read-out layer)")
      ->check(CLI::IsMember({"region", "class"}))
      ->capture_default_str();
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_slice(*options); }};
}

}  // namespace chamber::cli

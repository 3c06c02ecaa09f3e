// chamber slice NET.json (--through P0;P1;P2 | --random-plane SEED) [--box LO,HI] --svg OUT.svg: the exact linear
// regions of a network on a 2-D plane of its input space, as a picture and as exact polygons.
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/points.hpp"
#include "cnn/slice.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct SliceOptions {
  std::string network;
  std::string through;
  std::optional<std::uint64_t> random_plane;
  std::string box = "-1,2";
  std::string svg;
  CommonOptions common;
};

/*! parses "x,y,...;x,y,...;x,y,..." (three points), or reads a points file holding exactly three points. */
std::vector<RationalVector> three_points(const std::string& text, std::size_t dimension) {
  std::vector<RationalVector> points;
  // A points file, or else the inline list. A name the file system refuses (too long, a symlink loop, no
  // permission, a directory) is reported as such; "no such file" means the text is the list (e.g. 1/2,0;...).
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(text, error);
  if (error && error != std::errc::no_such_file_or_directory)
    throw InputError("--through " + quote_prefix(text) + ": " + error.message());
  if (!error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw InputError("--through " + quote_prefix(text) + ": not a points file (not a regular file)");
  if (!error && std::filesystem::is_regular_file(status)) {
    for (InputPoint& p : read_points_file(text, dimension)) points.push_back(std::move(p.x));
    if (points.size() != 3)
      throw InputError(text + ": --through needs exactly 3 points, the file holds " + std::to_string(points.size()));
    return points;
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(';', start);
    const std::string point = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    RationalVector x = parse_coordinates(point, "--through: point " + std::to_string(points.size() + 1));
    if (x.size() != dimension)
      throw InputError("--through: point " + std::to_string(points.size() + 1) + " has " + std::to_string(x.size()) +
                       " coordinates, the network's input has " + std::to_string(dimension));
    points.push_back(std::move(x));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (points.size() != 3) throw InputError("--through: expected 3 points P0;P1;P2, found " + std::to_string(points.size()));
  return points;
}

int run_slice(const SliceOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const Network network = read_network_file(options.network);
  const std::size_t n = network.input_dimension();
  if (options.through.empty() == !options.random_plane)
    throw InputError("give exactly one of --through P0;P1;P2 and --random-plane SEED");
  Plane plane;
  if (options.random_plane) {
    plane = random_plane(n, *options.random_plane);
  } else {
    const std::vector<RationalVector> points = three_points(options.through, n);
    plane = plane_through(points[0], points[1], points[2]);
  }
  const Box window = parse_box(options.box, "--box");
  const Slice slice = compute_slice(network, plane, window, make_run_control(options.common), thread_count(options.common));
  const std::vector<std::string> colours = region_colours(slice.polygons.size());
  if (!options.svg.empty()) {
    OutputFile out(options.svg);
    write_slice_svg(out.stream(), slice, colours);
    out.commit();
  }

  if (options.common.json) {
    nlohmann::json out = slice_json(slice, plane, window, colours);
    out["network"] = options.network;
    out["svg"] = options.svg.empty() ? nlohmann::json(nullptr) : nlohmann::json(options.svg);
    out["seconds"] = seconds_since(start);
    std::cout << out.dump(2) << std::endl;
    return 0;
  }
  std::cout << options.network << ": " << slice.polygons.size() << " linear regions on the plane x = P0 + u (P1 - P0) + v (P2 - P0), "
            << options.box << " for u and v\n";
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
                      "The plane through P0;P1;P2 (coordinates comma-separated), or a points file of 3 points");
  command->add_option("--random-plane", options->random_plane,
                      "The plane through 3 reproducible random points with integer coordinates in [-2, 2]");
  command->add_option("--box", options->box, "Window LO,HI for both plane coordinates u, v (P0 = (0,0), P1 = (1,0), "
                                             "P2 = (0,1))")
      ->capture_default_str();
  command->add_option("--svg", options->svg, "Write the picture here");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_slice(*options); }};
}

}  // namespace chamber::cli

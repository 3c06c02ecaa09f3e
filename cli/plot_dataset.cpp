// chamber plot-dataset DIR --svg OUT.svg: exact counts beside eq. (4) and the sampling estimates, per architecture,
// on a log scale, from a dataset's rows.jsonl.
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dataset/store.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

namespace chamber::cli {

namespace {

struct PlotOptions {
  std::string dataset;
  std::string svg;
  CommonOptions common;
};

/*! returns log10 of an integer cell (a JSON number or a decimal string), or nothing for null. */
std::optional<double> log_count(const nlohmann::ordered_json& value) {
  if (value.is_null()) return std::nullopt;
  const Integer v(value.is_string() ? value.get<std::string>() : value.dump());
  if (v <= 0) return 0.0;
  long exponent = 0;
  const double mantissa = mpz_get_d_2exp(&exponent, v.get_mpz_t());
  return std::log10(mantissa) + static_cast<double>(exponent) * std::log10(2.0);
}

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

int run_plot(const PlotOptions& options) {
  const std::filesystem::path rows_path = std::filesystem::path(options.dataset) / "rows.jsonl";
  if (std::error_code error; !std::filesystem::is_regular_file(rows_path, error))
    throw InputError(rows_path.string() + ": cannot open (not a dataset directory?)");
  // Architectures in order of first appearance, each with its rows.
  std::vector<std::string> architectures;
  std::map<std::string, std::vector<nlohmann::ordered_json>> rows;
  for (const auto& [index, row] : dataset::read_rows(rows_path, false)) {
    if (!row.contains("architecture"))
      throw InputError(rows_path.string() + ": row " + std::to_string(index) +
                       ": not a network dataset row (no architecture)");
    const std::string architecture = row["architecture"].get<std::string>();
    if (!rows.count(architecture)) architectures.push_back(architecture);
    rows[architecture].push_back(row);
  }
  if (architectures.empty()) throw InputError(rows_path.string() + ": no rows");

  // The largest sampling budget present is plotted.
  std::string sample_key;
  std::uint64_t best_budget = 0;
  for (const auto& [key, value] : rows[architectures[0]][0].items())
    if (key.rfind("sampled_", 0) == 0 && std::stoull(key.substr(8)) > best_budget) {
      best_budget = std::stoull(key.substr(8));
      sample_key = key;
    }
  double top = 1;
  for (const auto& [architecture, list] : rows)
    for (const nlohmann::ordered_json& row : list)
      for (const char* key : {"regions", "eq4"})
        if (auto v = log_count(row[key])) top = std::max(top, *v);
  top = std::ceil(top);

  const double left = 70, plot_top = 40, plot_height = 360, label_height = 200;
  const double column = 48;
  // Room on the right for the last rotated label and the title.
  const double width = std::max(720.0, left + 200 + column * static_cast<double>(architectures.size()));
  const double right = width - left - column * static_cast<double>(architectures.size());
  const double height = plot_top + plot_height + label_height;
  auto y_of = [&](double log10_value) { return plot_top + plot_height * (1 - log10_value / top); };
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  svg << "<text x=\"" << left << "\" y=\"20\" font-size=\"13\">Linear regions per architecture: exact (dots), eq. (4) "
         "(bars)"
      << (sample_key.empty() ? "" : ", sampled at " + std::to_string(best_budget) + " inputs (triangles)") << "</text>\n";
  for (int decade = 0; decade <= static_cast<int>(top); ++decade) {
    const double y = y_of(decade);
    svg << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y << "\" y2=\"" << y
        << "\" stroke=\"#dddddd\"/><text x=\"" << left - 6 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">10^" << decade
        << "</text>\n";
  }
  for (std::size_t a = 0; a < architectures.size(); ++a) {
    const double x = left + column * (static_cast<double>(a) + 0.5);
    const std::vector<nlohmann::ordered_json>& list = rows[architectures[a]];
    if (auto eq4 = log_count(list[0]["eq4"]))
      svg << "<line class=\"eq4\" x1=\"" << x - 12 << "\" x2=\"" << x + 12 << "\" y1=\"" << y_of(*eq4) << "\" y2=\""
          << y_of(*eq4) << "\" stroke=\"#d62728\" stroke-width=\"3\"/>\n";
    for (std::size_t r = 0; r < list.size(); ++r) {
      const double dx = (static_cast<double>(r) - (static_cast<double>(list.size()) - 1) / 2) * 5;
      if (auto exact = log_count(list[r]["regions"]))
        svg << "<circle class=\"exact\" cx=\"" << x + dx << "\" cy=\"" << y_of(*exact)
            << "\" r=\"3.5\" fill=\"#1f77b4\"><title>" << escape(list[r]["id"].get<std::string>()) << ": "
            << list[r]["regions"].dump() << " regions</title></circle>\n";
      if (!sample_key.empty())
        if (auto sampled = log_count(list[r][sample_key])) {
          const double sx = x + dx, sy = y_of(*sampled);
          svg << "<polygon class=\"sampled\" points=\"" << sx << ',' << sy - 4 << ' ' << sx - 3.5 << ',' << sy + 3 << ' '
              << sx + 3.5 << ',' << sy + 3 << "\" fill=\"#2ca02c\"/>\n";
        }
    }
    const double label_y = plot_top + plot_height + 10;
    svg << "<text x=\"" << x << "\" y=\"" << label_y << "\" transform=\"rotate(60 " << x << ' ' << label_y
        << ")\">" << escape(architectures[a]) << "</text>\n";
  }
  svg << "</svg>\n";
  write_file_atomically(options.svg, svg.str());
  if (options.common.json) {
    std::cout << nlohmann::json{{"svg", options.svg}, {"architectures", architectures.size()},
                                {"sampling_budget", sample_key.empty() ? nlohmann::json(nullptr) : nlohmann::json(best_budget)}}
                     .dump(2)
              << std::endl;
  } else {
    std::cout << options.svg << ": " << architectures.size() << " architectures\n";
  }
  return 0;
}

}  // namespace

Command add_plot_dataset_command(CLI::App& app) {
  auto options = std::make_shared<PlotOptions>();
  CLI::App* command = app.add_subcommand("plot-dataset", "Exact counts vs eq. (4) vs sampling, per architecture (SVG)");
  command->add_option("DIR", options->dataset, "Dataset directory (written by chamber dataset)")->required();
  command->add_option("--svg", options->svg, "Write the chart here")->required();
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_plot(*options); }};
}

}  // namespace chamber::cli

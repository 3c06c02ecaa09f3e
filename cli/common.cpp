#include "cli/common.hpp"

#include <zlib.h>

#include <algorithm>
#include <iostream>
#include <sstream>
#include <thread>

namespace chamber::cli {

namespace {

/*! accepts a number > 0 and says so plainly otherwise (CLI11's range message prints DBL_MAX). */
const CLI::Validator positive(
    [](std::string& text) -> std::string {
      try {
        std::size_t used = 0;
        double value = std::stod(text, &used);
        if (used == text.size() && value > 0) return {};
      } catch (const std::exception&) {
      }
      return "must be a number greater than 0, got '" + text + "'";
    },
    "> 0");

}  // namespace

void add_common_options(CLI::App& command, CommonOptions& options, bool limits) {
  command.add_flag("--json", options.json, "Print one JSON object on stdout");
  command.add_flag("-q,--quiet", options.quiet, "No progress lines on stderr");
  if (limits) {
    command.add_option("--max-regions", options.max_regions, "Stop (exit 4) after this many regions")
        ->check(positive);
    command.add_option("--time-limit", options.time_limit, "Stop (exit 4) after this many seconds")
        ->check(positive);
    command.add_option("--threads", options.threads,
                       "Threads for the search (default: all cores); results are identical for any number")
        ->check(CLI::Range(1u, 1024u));
    command.add_flag("--exact-lp", options.exact_lp,
                     "Decide every LP with CGAL's exact solver (no floating-point proposals; slower, same answers)");
  }
}

unsigned thread_count(const CommonOptions& options) {
  if (options.threads > 0) return options.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

nlohmann::json lp_paths_json(const LpCounters& counters) {
  return {{"float_witness", counters.float_witness},
          {"float_farkas", counters.float_farkas},
          {"exact", counters.exact}};
}

nlohmann::json boundedness_paths_json(const BoundednessCounters& counters) {
  return {{"float_bounded", counters.float_bounded},
          {"float_unbounded", counters.float_unbounded},
          {"exact", counters.exact}};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw InputError(path + ": read error");
  return content.str();
}

RunControl make_run_control(const CommonOptions& options) {
  RunControl control;
  if (options.time_limit)
    control.deadline = RunControl::Clock::now() + std::chrono::duration_cast<RunControl::Clock::duration>(
                                                      std::chrono::duration<double>(*options.time_limit));
  control.max_regions = options.max_regions;
  if (!options.quiet) control.progress = [](const std::string& line) { std::cerr << "chamber: " << line << std::endl; };
  return control;
}

nlohmann::json json_integer(const Integer& value) {
  if (value.fits_slong_p()) return static_cast<std::int64_t>(value.get_si());
  return value.get_str();
}

nlohmann::json json_integers(const std::vector<Integer>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const Integer& value : values) array.push_back(json_integer(value));
  return array;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string polynomial_to_text(const std::vector<Integer>& coefficients) {
  std::string text;
  const std::size_t degree = coefficients.empty() ? 0 : coefficients.size() - 1;
  for (std::size_t k = 0; k < coefficients.size(); ++k) {
    const Integer& c = coefficients[k];
    if (c == 0) continue;
    const std::size_t power = degree - k;
    Integer magnitude = abs(c);
    text += text.empty() ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ");
    if (magnitude != 1 || power == 0) text += magnitude.get_str();
    if (power >= 1) text += "t";
    if (power >= 2) text += "^" + std::to_string(power);
  }
  return text.empty() ? "0" : text;
}

std::string gzip_bytes(const std::string& bytes) {
  if (bytes.size() > 0xffffffffULL) throw InternalError("gzip: more than 4 GiB in one piece");
  z_stream stream{};
  // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and no file name.
  if (deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw InternalError("gzip: cannot initialise zlib");
  std::string out(deflateBound(&stream, static_cast<uLong>(bytes.size())), '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  deflateEnd(&stream);
  if (status != Z_STREAM_END) throw InternalError("gzip: deflate did not finish");
  out.resize(stream.total_out);
  return out;
}

}  // namespace chamber::cli

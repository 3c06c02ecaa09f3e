// chamber enumerate FILE.arr [--certificate OUT.json] [--regions OUT.jsonl]: the regions themselves.
#include "arrangement/arr_io.hpp"
#include "arrangement/bounded.hpp"
#include "arrangement/certificate.hpp"
#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace chamber::cli {

namespace {

struct EnumerateOptions {
  std::string file;
  std::string certificate;
  std::string regions_file;
  bool bounded = false;
  CommonOptions common;
};

/*! writes one region as a JSON object on one line. */
void write_region_json(std::ostream& out, const Region& region, const std::optional<bool>& bounded) {
  out << "{\"signs\":\"" << region.signs << "\",\"witness\":";
  write_json_point(out, region.witness);
  if (bounded) out << ",\"bounded\":" << (*bounded ? "true" : "false");
  out << '}';
}

int run_enumerate(const EnumerateOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ArrFile file = read_arr_file(options.file);
  const Arrangement& arrangement = file.arrangement;
  RunControl control = make_run_control(options.common);
  const bool certify = !options.certificate.empty();

  std::optional<OutputFile> regions_out;
  if (!options.regions_file.empty()) regions_out.emplace(options.regions_file);
  // Regions go to --regions, else to stdout (text lines, or a JSON array inside the summary).
  std::ostringstream json_regions;
  const bool to_stdout_text = options.regions_file.empty() && !options.common.json;
  const bool to_json_summary = options.regions_file.empty() && options.common.json;

  RegionEnumerator enumerator(arrangement, EnumerationOptions{control, certify, options.common.exact_lp, thread_count(options.common)});
  BoundednessTester tester(arrangement, options.common.exact_lp);
  CertificateBuilder builder(arrangement);
  std::uint64_t bounded_count = 0;
  enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
    std::optional<bool> bounded;
    if (options.bounded) {
      bounded = tester.is_bounded(region.signs);
      bounded_count += *bounded;
    }
    if (certify) builder.add_region(region, blocked);
    if (regions_out) {
      write_region_json(regions_out->stream(), region, bounded);
      regions_out->stream() << '\n';
    } else if (to_json_summary) {
      if (json_regions.tellp() > 0) json_regions << ',';
      write_region_json(json_regions, region, bounded);
    } else if (to_stdout_text) {
      std::cout << region.signs;
      for (const Rational& v : region.witness.to_rationals()) std::cout << ' ' << to_string(v);
      if (bounded) std::cout << (*bounded ? " bounded" : " unbounded");
      std::cout << '\n';
    }
  });
  if (regions_out) regions_out->commit();
  const EnumerationStats& stats = enumerator.stats();
  FarkasPool& farkas = enumerator.farkas();
  if (certify) {
    builder.complete(enumerator.solver(), farkas, control);
    OutputFile out(options.certificate);
    builder.write(out.stream(), farkas);
    out.commit();
  }
  const double seconds = seconds_since(start);
  const std::uint64_t total_lps = enumerator.solver().solves();

  if (options.common.json) {
    nlohmann::json out;
    out["file"] = options.file;
    out["regions"] = stats.regions;
    out["bounded_regions"] = options.bounded ? nlohmann::json(bounded_count) : nlohmann::json(nullptr);
    out["hyperplanes"] = arrangement.size();
    out["dimension"] = arrangement.dimension();
    out["lp_solves"] = total_lps;
    out["lp_paths"] = lp_paths_json(enumerator.solver().counters());
    out["boundedness_lp_solves"] = tester.counters().total();
    out["boundedness_paths"] = boundedness_paths_json(tester.counters());
    out["enumeration_lp_solves"] = stats.lp_solves;
    out["lp_solves_per_region"] = static_cast<double>(stats.lp_solves) / static_cast<double>(stats.regions);
    out["perturbations"] = stats.perturbations;
    out["lp_skipped_by_projection"] = stats.lp_skipped;
    out["lp_skipped_by_known_proof"] = stats.lp_reused;
    out["seconds"] = seconds;
    if (certify) {
      out["certificate"] = options.certificate;
      out["farkas_entries"] = farkas.size();
      out["certificate_lp_solves"] = builder.completion_lps();
    }
    if (!options.regions_file.empty()) out["regions_file"] = options.regions_file;
    else out["region_list"] = nlohmann::json::parse("[" + json_regions.str() + "]");
    std::cout << out.dump(2) << std::endl;
  } else {
    std::ostream& summary = to_stdout_text ? std::cerr : std::cout;
    summary << "regions: " << stats.regions;
    if (options.bounded) summary << " (" << bounded_count << " bounded)";
    summary << "\nLP solves: " << stats.lp_solves << " ("
            << static_cast<double>(stats.lp_solves) / static_cast<double>(stats.regions) << " per region)\n";
    if (certify)
      summary << "certificate: " << options.certificate << " (" << farkas.size() << " Farkas entries, "
              << builder.completion_lps() << " extra LPs to close it); check with: chamber check "
              << options.certificate << '\n';
    summary << "seconds: " << seconds << '\n';
  }
  return 0;
}

}  // namespace

Command add_enumerate_command(CLI::App& app) {
  auto options = std::make_shared<EnumerateOptions>();
  CLI::App* command = app.add_subcommand("enumerate", "List every region with its sign vector and an interior witness");
  command->add_option("FILE", options->file, "Arrangement file (.arr)")->required();
  command->add_option("--certificate", options->certificate, "Write a completeness certificate (JSON) to this file");
  command->add_option("--regions", options->regions_file, "Write the regions as JSON lines to this file");
  command->add_flag("--bounded", options->bounded, "Also decide for each region whether it is bounded (one LP each)");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_enumerate(*options); }};
}

}  // namespace chamber::cli

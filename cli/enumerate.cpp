// chamber enumerate FILE.arr [--certificate OUT.json] [--regions OUT.jsonl] [--shards DIR]: the regions themselves.
#include "arrangement/certificate.hpp"
#include "arrangement/count.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/shards.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace chamber::cli {

namespace {

struct EnumerateCommandOptions {
  std::string file;
  std::string certificate;
  std::string regions_file;
  std::string shards;
  RunCheckpoints checkpoints;
  std::uint64_t job_budget = JobOptions{}.budget;
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

/*! --shards: the regions and the certificate as shards written by the jobs (arrangement/shards.hpp). */
int run_enumerate_to_shards(const EnumerateCommandOptions& options, const ArrFile& file) {
  const auto start = std::chrono::steady_clock::now();
  const ShardedEnumeration run =
      enumerate_to_shards(file.arrangement, options.shards, thread_count(options.common), options.job_budget,
                          options.common.exact_lp, make_run_control(options.common), options.checkpoints);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string manifest = (std::filesystem::path(options.shards) / shard_manifest_file).string();
  if (options.common.json) {
    nlohmann::json out = to_json(run);
    out["file"] = options.file;
    out["hyperplanes"] = file.arrangement.size();
    out["dimension"] = file.arrangement.dimension();
    out["manifest"] = manifest;
    out["seconds"] = seconds;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << "regions: " << run.regions << "\nLP solves: " << run.lp_solves << " ("
              << static_cast<double>(run.lp_solves) / static_cast<double>(std::max<std::uint64_t>(run.regions, 1))
              << " per region)\nshards: " << run.shards.size() << " in " << options.shards << " ("
              << run.farkas + run.completion_farkas << " Farkas entries, " << run.completion_pairs
              << " pairs closed after the search with " << run.completion_lps
              << " extra LPs); check with: chamber check " << manifest << "\nseconds: " << seconds << '\n';
  }
  return 0;
}

int run_enumerate(const EnumerateCommandOptions& options) {
  ArrFile file = read_arr_file(options.file);
  if (!options.shards.empty()) return run_enumerate_to_shards(options, file);
  if (options.checkpoints.active())
    throw InputError("--checkpoint and --resume need --shards DIR (only a sharded enumeration can be continued; "
                     "chamber count --method enumerate can too)");
  std::optional<OutputFile> regions_out;
  if (!options.regions_file.empty()) regions_out.emplace(options.regions_file);
  // Regions go to --regions, else to stdout (text lines, or a JSON array inside the summary).
  std::ostringstream json_regions;
  const bool to_stdout_text = options.regions_file.empty() && !options.common.json;
  const bool to_json_summary = options.regions_file.empty() && options.common.json;
  const EnumerateOptions enumerate{options.bounded, options.certificate,
                                   SearchOptions{options.common.exact_lp, thread_count(options.common)}};
  EnumerateReport report = enumerate_arrangement(
      file, enumerate, make_run_control(options.common), [&](const Region& region, std::optional<bool> bounded) {
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
  report.file = options.file;
  const EnumerationStats& stats = report.stats;

  if (options.common.json) {
    nlohmann::json out = report.to_json();
    if (!options.regions_file.empty()) out["regions_file"] = options.regions_file;
    else out["region_list"] = nlohmann::json::parse("[" + json_regions.str() + "]");
    std::cout << out.dump(2) << std::endl;
  } else {
    std::ostream& summary = to_stdout_text ? std::cerr : std::cout;
    summary << "regions: " << stats.regions;
    if (options.bounded) summary << " (" << report.bounded_regions << " bounded)";
    summary << "\nLP solves: " << stats.lp_solves << " ("
            << static_cast<double>(stats.lp_solves) / static_cast<double>(stats.regions) << " per region)\n";
    if (!options.certificate.empty())
      summary << "certificate: " << options.certificate << " (" << report.farkas_entries << " Farkas entries, "
              << report.certificate_lp_solves << " extra LPs to close it); check with: chamber check "
              << options.certificate << '\n';
    summary << "seconds: " << report.seconds << '\n';
  }
  return 0;
}

}  // namespace

Command add_enumerate_command(CLI::App& app) {
  auto options = std::make_shared<EnumerateCommandOptions>();
  CLI::App* command = app.add_subcommand("enumerate", "List every region with its sign vector and an interior witness");
  command->add_option("FILE", options->file, "Arrangement file (.arr)")->required();
  CLI::Option* certificate =
      command->add_option("--certificate", options->certificate, "Write a completeness certificate (JSON) to this file");
  CLI::Option* regions =
      command->add_option("--regions", options->regions_file, "Write the regions as JSON lines to this file");
  CLI::Option* bounded =
      command->add_flag("--bounded", options->bounded, "Also decide for each region whether it is bounded (one LP each)");
  command->add_option("--shards", options->shards,
                      "Write the regions and the certificate as shards into this directory, one per job of the search "
                      "(docs/certificate.md); check with chamber check DIR/manifest.json")
      ->excludes(certificate)
      ->excludes(regions)
      ->excludes(bounded);
  add_checkpoint_options(*command, options->checkpoints, options->job_budget, "With --shards", "the shards written",
                         "With --shards");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_enumerate(*options); }};
}

}  // namespace chamber::cli

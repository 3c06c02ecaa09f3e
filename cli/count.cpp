// chamber count FILE.arr [--method enumerate|zaslavsky|both]: the number of regions, proven two ways.
#include "arrangement/count.hpp"
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct CountCommandOptions {
  std::string file;
  std::string method = "both";
  std::string chi = "auto";
  std::string symmetry;
  bool skip_bounded = false;
  RunCheckpoints checkpoints;
  std::uint64_t job_budget = JobOptions{}.budget;
  CommonOptions common;
};

int run_count(const CountCommandOptions& options) {
  ArrFile file = read_arr_file(options.file);
  CountOptions count{parse_count_method(options.method, "--method"), parse_chi_method(options.chi, "--chi"),
                     !options.skip_bounded, SearchOptions{options.common.exact_lp, thread_count(options.common)},
                     options.symmetry, options.checkpoints, options.job_budget};
  if (options.job_budget != JobOptions{}.budget && !count.checkpoints.active())
    throw InputError("--job-budget: only with --checkpoint or --resume (the enumeration as a tree of jobs)");
  CountReport report = count_arrangement(file, count, make_run_control(options.common));
  report.file = options.file;
  const std::optional<CharacteristicPolynomial>& chi = report.chi;
  if (options.common.json) {
    std::cout << report.to_json().dump(2) << std::endl;
  } else {
    std::cout << options.file << ": " << report.hyperplanes << " hyperplanes in dimension " << report.dimension;
    if (report.duplicates_merged) std::cout << " (" << report.duplicates_merged << " duplicates merged)";
    std::cout << "\nregions: " << report.regions.get_str() << "\nbounded regions: "
              << (report.bounded_regions ? report.bounded_regions->get_str() : std::string("not computed")) << '\n';
    if (chi && !*report.essential())
      std::cout << "relatively bounded regions: " << chi->relatively_bounded_regions().get_str()
                << " (|χ(1)|, bounded modulo the lineality space, Sage's bounded regions; not essential: rank "
                << chi->rank() << " < " << report.dimension << ")\n";
    if (chi) std::cout << "characteristic polynomial: " << polynomial_to_text(chi->coefficients) << '\n';
    if (report.symmetry)
      std::cout << "symmetry group: order " << report.symmetry->order.get_str() << " ("
                << report.symmetry->generators.size() << " generators, " << report.symmetry->source << ")"
                << (report.symmetry->note.empty() ? "" : "; " + report.symmetry->note) << '\n';
    if (chi && report.flats)
      std::cout << "χ by " << to_string(report.chi_used) << ": " << report.flats->get_str() << " flats"
                << (report.orbits ? " in " + std::to_string(*report.orbits) + " orbits" : std::string()) << '\n';
    if (const std::optional<EnumerationCount>& enumerated = report.enumerated)
      std::cout << "enumeration: " << enumerated->stats.lp_solves << " LP solves ("
                << static_cast<double>(enumerated->stats.lp_solves) / static_cast<double>(enumerated->stats.regions)
                << " per region)\n";
    if (report.enumerated && report.enumerated->jobs) {
      const JobCount& jobs = *report.enumerated->jobs;
      std::cout << "jobs: " << jobs.jobs << " of " << jobs.job_budget << " nodes";
      if (!jobs.resumed_from.empty())
        std::cout << ", after " << jobs.resumed_jobs << " jobs (" << jobs.resumed_regions << " regions, "
                  << jobs.resumed_lp_solves << " LPs) resumed from " << jobs.resumed_from;
      std::cout << '\n';
    }
    if (report.enumerated && chi && report.disagreement.empty()) std::cout << "enumeration and Zaslavsky agree\n";
    std::cout << "seconds: " << report.seconds << '\n';
  }
  if (!report.disagreement.empty()) throw InternalError(report.disagreement);
  return 0;
}

}  // namespace

Command add_count_command(CLI::App& app) {
  auto options = std::make_shared<CountCommandOptions>();
  CLI::App* command = app.add_subcommand("count", "Count the regions (and bounded regions) of an arrangement");
  command->add_option("FILE", options->file, "Arrangement file (.arr)")->required();
  command->add_option("--method", options->method, "enumerate, zaslavsky or both (default; disagreement exits 3)")
      ->check(CLI::IsMember({"enumerate", "zaslavsky", "both"}));
  command->add_option("--chi", options->chi,
                      "How Zaslavsky's χ is computed: lattice (every flat), sweep (Whitney's subsets merged hyperplane by "
                      "hyperplane; fast when hyperplanes touch few, banded variables, as convolutions do), symmetric "
                      "(one flat per orbit of the arrangement's symmetry group) or auto (default: symmetric when the "
                      "group found is non-trivial, else lattice)")
      ->check(CLI::IsMember({"lattice", "sweep", "symmetric", "auto"}));
  command->add_option("--symmetry", options->symmetry,
                      "Symmetry generators to use instead of searching (JSON, docs/symmetry-format.md); each is "
                      "verified exactly, a wrong one exits 2");
  command->add_flag("--no-bounded", options->skip_bounded,
                    "Skip the per-region boundedness LPs of the enumeration (Zaslavsky still gives |χ(1)|)");
  add_checkpoint_options(*command, options->checkpoints, options->job_budget,
                         "With --method enumerate or both (the enumeration as a tree of jobs)",
                         "the regions and LPs of the jobs finished", "With --checkpoint or --resume");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_count(*options); }};
}

}  // namespace chamber::cli

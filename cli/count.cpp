// chamber count FILE.arr [--method enumerate|zaslavsky|both]: the number of regions, proven two ways.
#include "arrangement/arr_io.hpp"
#include "arrangement/bounded.hpp"
#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/sweep.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct CountOptions {
  std::string file;
  std::string method = "both";
  std::string chi = "lattice";
  bool skip_bounded = false;
  CommonOptions common;
};

struct EnumerationCount {
  Integer regions = 0;
  std::optional<Integer> bounded;
  EnumerationStats stats;
  LpCounters lp_paths;
  BoundednessCounters boundedness_paths;
};

EnumerationCount count_by_enumeration(const Arrangement& arrangement, const RunControl& control, bool bounded,
                                      bool exact_lp, unsigned threads) {
  RegionEnumerator enumerator(arrangement, EnumerationOptions{control, false, exact_lp, threads});
  EnumerationCount result;
  Integer bounded_count = 0;
  // Regions are tested for boundedness in batches, each batch on all threads.
  constexpr std::size_t batch = 1 << 16;
  std::vector<std::string> pending;
  auto flush = [&] {
    bounded_count += static_cast<unsigned long>(
        count_bounded(arrangement, pending, exact_lp, threads, result.boundedness_paths));
    pending.clear();
  };
  enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>&) {
    if (!bounded) return;
    pending.push_back(region.signs);
    if (pending.size() == batch) flush();
  });
  if (bounded) flush();
  result.stats = enumerator.stats();
  result.lp_paths = enumerator.solver().counters();
  result.regions = static_cast<unsigned long>(result.stats.regions);
  if (bounded) result.bounded = bounded_count;
  return result;
}

int run_count(const CountOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ArrFile file = read_arr_file(options.file);
  const Arrangement& arrangement = file.arrangement;
  RunControl control = make_run_control(options.common);
  const bool use_enumeration = options.method != "zaslavsky";
  const bool use_zaslavsky = options.method != "enumerate";

  std::optional<EnumerationCount> enumerated;
  std::optional<CharacteristicPolynomial> chi;
  std::optional<Integer> flats;
  std::size_t blocks = 0;
  std::optional<SweepStats> sweep;
  if (use_zaslavsky && options.chi == "sweep") {
    sweep.emplace();
    chi = characteristic_polynomial_by_sweep(arrangement, control, &*sweep);
  } else if (use_zaslavsky) {
    LatticeSummary lattice = lattice_summary(arrangement, control);
    flats = lattice.flats;
    blocks = lattice.blocks;
    chi = std::move(lattice.chi);
  }
  if (chi) {
    if (control.max_regions && chi->regions() > Integer(static_cast<unsigned long>(*control.max_regions)))
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " exceeded (χ gives " +
                         chi->regions().get_str() + ")");
  }
  const double lattice_seconds = seconds_since(start);
  if (use_enumeration) enumerated = count_by_enumeration(arrangement, control, !options.skip_bounded, options.common.exact_lp,
                                                           thread_count(options.common));

  Integer regions = enumerated ? enumerated->regions : chi->regions();
  std::optional<Integer> bounded = enumerated ? enumerated->bounded : std::optional<Integer>(chi->bounded_regions());
  std::string disagreement;
  if (enumerated && chi) {
    if (enumerated->regions != chi->regions())
      disagreement = "enumeration finds " + enumerated->regions.get_str() + " regions, Zaslavsky |χ(−1)| = " +
                     chi->regions().get_str();
    else if (enumerated->bounded && *enumerated->bounded != chi->bounded_regions())
      disagreement = "enumeration finds " + enumerated->bounded->get_str() + " bounded regions, Zaslavsky |χ(1)| = " +
                     chi->bounded_regions().get_str();
    if (!bounded) bounded = chi->bounded_regions();
  }
  const double seconds = seconds_since(start);

  if (options.common.json) {
    nlohmann::json out;
    out["file"] = options.file;
    out["method"] = options.method;
    out["regions"] = json_integer(regions);
    out["bounded_regions"] = bounded ? json_integer(*bounded) : nlohmann::json(nullptr);
    // |χ(1)|: the regions bounded modulo the lineality space (Sage's bounded regions); = bounded_regions when essential.
    out["relatively_bounded_regions"] = chi ? json_integer(chi->relatively_bounded_regions()) : nlohmann::json(nullptr);
    out["essential"] = chi ? nlohmann::json(chi->rank() == arrangement.dimension()) : nlohmann::json(nullptr);
    if (chi) {
      out["characteristic_polynomial"] = json_integers(chi->coefficients);
      out["chi_method"] = options.chi;
      if (flats) {
        out["flats"] = json_integer(*flats);
        out["independent_blocks"] = blocks;
      } else {
        out["sweep"] = {{"max_states", sweep->max_states},
                        {"max_open_variables", sweep->max_open},
                        {"state_updates", sweep->state_updates}};
      }
      out["zaslavsky_seconds"] = lattice_seconds;
    } else {
      out["characteristic_polynomial"] = nullptr;
    }
    out["hyperplanes"] = arrangement.size();
    out["input_hyperplanes"] = file.input.size();
    out["duplicates_merged"] = file.merge.duplicates;
    out["dimension"] = arrangement.dimension();
    if (enumerated) {
      out["lp_solves"] = enumerated->stats.lp_solves;
      out["lp_paths"] = lp_paths_json(enumerated->lp_paths);
      out["boundedness_lp_solves"] = enumerated->boundedness_paths.total();
      out["boundedness_paths"] = boundedness_paths_json(enumerated->boundedness_paths);
      out["lp_solves_per_region"] =
          static_cast<double>(enumerated->stats.lp_solves) / static_cast<double>(enumerated->stats.regions);
      out["enumeration_seconds"] = seconds - lattice_seconds;
    }
    // Only a comparison can agree: with one method nothing was compared.
    out["agree"] = enumerated && chi ? nlohmann::json(disagreement.empty()) : nlohmann::json(nullptr);
    out["seconds"] = seconds;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << options.file << ": " << arrangement.size() << " hyperplanes in dimension " << arrangement.dimension();
    if (file.merge.duplicates) std::cout << " (" << file.merge.duplicates << " duplicates merged)";
    std::cout << "\nregions: " << regions.get_str() << "\nbounded regions: "
              << (bounded ? bounded->get_str() : std::string("not computed")) << '\n';
    if (chi && chi->rank() < arrangement.dimension())
      std::cout << "relatively bounded regions: " << chi->relatively_bounded_regions().get_str()
                << " (|χ(1)|, bounded modulo the lineality space, Sage's bounded regions; not essential: rank "
                << chi->rank() << " < " << arrangement.dimension() << ")\n";
    if (chi) std::cout << "characteristic polynomial: " << polynomial_to_text(chi->coefficients) << '\n';
    if (enumerated)
      std::cout << "enumeration: " << enumerated->stats.lp_solves << " LP solves ("
                << static_cast<double>(enumerated->stats.lp_solves) / static_cast<double>(enumerated->stats.regions)
                << " per region)\n";
    if (enumerated && chi && disagreement.empty()) std::cout << "enumeration and Zaslavsky agree\n";
    std::cout << "seconds: " << seconds << '\n';
  }
  if (!disagreement.empty()) throw InternalError(disagreement);
  return 0;
}

}  // namespace

Command add_count_command(CLI::App& app) {
  auto options = std::make_shared<CountOptions>();
  CLI::App* command = app.add_subcommand("count", "Count the regions (and bounded regions) of an arrangement");
  command->add_option("FILE", options->file, "Arrangement file (.arr)")->required();
  command->add_option("--method", options->method, "enumerate, zaslavsky or both (default; disagreement exits 3)")
      ->check(CLI::IsMember({"enumerate", "zaslavsky", "both"}));
  command->add_option("--chi", options->chi,
                      "How Zaslavsky's χ is computed: lattice (every flat; default) or sweep (Whitney's subsets merged "
                      "hyperplane by hyperplane; fast when hyperplanes touch few, banded variables, as convolutions do)")
      ->check(CLI::IsMember({"lattice", "sweep"}));
  command->add_flag("--no-bounded", options->skip_bounded,
                    "Skip the per-region boundedness LPs of the enumeration (Zaslavsky still gives |χ(1)|)");
  add_common_options(*command, options->common, true);
  return {command, [options] { return run_count(*options); }};
}

}  // namespace chamber::cli

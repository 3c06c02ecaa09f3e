#include "arrangement/count.hpp"

#include "arrangement/certificate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"

#include <chrono>

namespace chamber {

std::string to_string(CountMethod method) {
  switch (method) {
    case CountMethod::enumerate: return "enumerate";
    case CountMethod::zaslavsky: return "zaslavsky";
    case CountMethod::both: return "both";
  }
  throw InternalError("unknown count method");
}

std::string to_string(ChiMethod method) {
  switch (method) {
    case ChiMethod::lattice: return "lattice";
    case ChiMethod::sweep: return "sweep";
    case ChiMethod::symmetric: return "symmetric";
    case ChiMethod::automatic: return "auto";
  }
  throw InternalError("unknown χ method");
}

CountMethod parse_count_method(const std::string& text, const std::string& field) {
  for (CountMethod m : {CountMethod::enumerate, CountMethod::zaslavsky, CountMethod::both})
    if (text == to_string(m)) return m;
  throw InputError(field + ": " + quote_prefix(text) + " is not one of enumerate, zaslavsky, both");
}

ChiMethod parse_chi_method(const std::string& text, const std::string& field) {
  for (ChiMethod m : {ChiMethod::lattice, ChiMethod::sweep, ChiMethod::symmetric, ChiMethod::automatic})
    if (text == to_string(m)) return m;
  throw InputError(field + ": " + quote_prefix(text) + " is not one of lattice, sweep, symmetric, auto");
}

EnumerationCount count_by_enumeration(const Arrangement& arrangement, const RunControl& control, bool bounded,
                                      const SearchOptions& search, const RunCheckpoints& checkpoints,
                                      std::uint64_t job_budget) {
  if (checkpoints.active()) {
    if (bounded && !no_region_bounded(arrangement))
      throw InputError("--checkpoint/--resume: a checkpointed count keeps no regions, so it cannot test which are "
                       "bounded; add --no-bounded (Zaslavsky's χ still gives them)");
    EnumerationCount result;
    JobCount run = count_in_jobs(arrangement, search.threads, job_budget, search.exact_lp, control, checkpoints);
    result.stats = run.stats;
    result.stats.regions = run.regions;
    result.stats.lp_solves = run.lp_solves;
    result.lp_paths = run.counters;
    result.regions = static_cast<unsigned long>(run.regions);
    if (bounded) result.bounded = 0;  // (no region is bounded)
    result.jobs = std::move(run);
    return result;
  }
  RegionEnumerator enumerator(arrangement, EnumerationOptions{control, false, search.exact_lp, search.threads});
  EnumerationCount result;
  Integer bounded_count = 0;
  // Regions are tested for boundedness in batches, each batch on all threads.
  constexpr std::size_t batch = 1 << 16;
  std::vector<std::string> pending;
  auto flush = [&] {
    bounded_count += static_cast<unsigned long>(
        count_bounded(arrangement, pending, search.exact_lp, search.threads, result.boundedness_paths));
    pending.clear();
  };
  const bool none_bounded = bounded && no_region_bounded(arrangement);  // (then no region needs a test)
  if (!bounded || none_bounded) {
    enumerator.run(nullptr);  // counted only
  } else {
    enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>&) {
      pending.push_back(region.signs);
      if (pending.size() == batch) flush();
    });
  }
  if (bounded && !none_bounded) flush();
  result.stats = enumerator.stats();
  result.lp_paths = enumerator.solver().counters();
  result.regions = static_cast<unsigned long>(result.stats.regions);
  if (bounded) result.bounded = bounded_count;
  return result;
}

std::string count_disagreement(const Integer& regions, const std::optional<Integer>& bounded,
                               const CharacteristicPolynomial& chi) {
  if (regions != chi.regions())
    return "enumeration finds " + regions.get_str() + " regions, Zaslavsky |χ(−1)| = " + chi.regions().get_str();
  if (bounded && *bounded != chi.bounded_regions())
    return "enumeration finds " + bounded->get_str() + " bounded regions, Zaslavsky |χ(1)| = " +
           chi.bounded_regions().get_str();
  return {};
}

std::optional<bool> CountReport::essential() const {
  if (!chi) return std::nullopt;
  return chi->rank() == dimension;
}

CountReport count_arrangement(const ArrFile& file, const CountOptions& options, const RunControl& control) {
  const auto start = std::chrono::steady_clock::now();
  const Arrangement& arrangement = file.arrangement;
  if (options.method == CountMethod::zaslavsky && options.checkpoints.active())
    throw InputError("a checkpoint (--checkpoint, --resume) counts by enumeration: the method must be enumerate or both");
  CountReport report;
  report.options = options;
  report.hyperplanes = arrangement.size();
  report.input_hyperplanes = file.input.size();
  report.duplicates_merged = file.merge.duplicates;
  report.dimension = arrangement.dimension();
  report.chi_used = options.chi;
  // auto: an arrangement that is a product of blocks in disjoint variables goes to the lattice, which computes χ block
  // by block (their symmetries would permute whole blocks, which the blocks make cheap already).
  if (options.chi == ChiMethod::automatic && options.symmetry_file.empty() && independent_block_count(arrangement) > 1)
    report.chi_used = ChiMethod::lattice;
  else if (options.method != CountMethod::enumerate &&
           (options.chi == ChiMethod::symmetric || options.chi == ChiMethod::automatic ||
            !options.symmetry_file.empty())) {
    report.symmetry = options.symmetry_file.empty() ? detect_symmetry(arrangement, control)
                                                    : read_symmetry_file(options.symmetry_file, file);
    // Orbit sizes are counted in 64 bits: a larger group (a product of many symmetric blocks) goes to the lattice,
    // which splits such products into blocks anyway.
    if (options.chi == ChiMethod::automatic)
      report.chi_used = report.symmetry->trivial() || report.symmetry->order >= Integer("9223372036854775807")
                            ? ChiMethod::lattice
                            : ChiMethod::symmetric;
  }
  if (options.method == CountMethod::enumerate) {
  } else if (report.chi_used == ChiMethod::sweep) {
    report.sweep.emplace();
    report.chi = characteristic_polynomial_by_sweep(arrangement, control, &*report.sweep);
  } else if (report.chi_used == ChiMethod::symmetric) {
    OrbitLatticeSummary orbits = orbit_lattice_summary(arrangement, *report.symmetry, control);
    report.flats = orbits.flats;
    report.orbits = orbits.orbits;
    report.independent_blocks = 1;
    report.chi = std::move(orbits.chi);
  } else {
    LatticeSummary lattice = lattice_summary(arrangement, control);
    report.flats = lattice.flats;
    report.independent_blocks = lattice.blocks;
    report.chi = std::move(lattice.chi);
  }
  if (report.chi && control.max_regions &&
      report.chi->regions() > Integer(static_cast<unsigned long>(*control.max_regions)))
    throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " exceeded (χ gives " +
                       report.chi->regions().get_str() + ")");
  report.zaslavsky_seconds = seconds_since(start);
  if (options.method != CountMethod::zaslavsky)
    report.enumerated = count_by_enumeration(arrangement, control, options.bounded, options.search, options.checkpoints,
                                             options.job_budget);

  report.regions = report.enumerated ? report.enumerated->regions : report.chi->regions();
  report.bounded_regions = report.enumerated ? report.enumerated->bounded : std::nullopt;
  if (report.chi) {
    if (report.enumerated)
      report.disagreement = count_disagreement(report.enumerated->regions, report.enumerated->bounded, *report.chi);
    if (!report.bounded_regions) report.bounded_regions = report.chi->bounded_regions();
  }
  report.seconds = seconds_since(start);
  return report;
}

nlohmann::json CountReport::to_json() const {
  nlohmann::json out;
  out["file"] = file;
  out["method"] = to_string(options.method);
  out["regions"] = json_integer(regions);
  out["bounded_regions"] = bounded_regions ? json_integer(*bounded_regions) : nlohmann::json(nullptr);
  // |χ(1)|: the regions bounded modulo the lineality space (Sage's bounded regions); = bounded_regions when essential.
  out["relatively_bounded_regions"] = chi ? json_integer(chi->relatively_bounded_regions()) : nlohmann::json(nullptr);
  out["essential"] = chi ? nlohmann::json(*essential()) : nlohmann::json(nullptr);
  if (chi) {
    out["characteristic_polynomial"] = json_integers(chi->coefficients);
    out["chi_method"] = to_string(chi_used);
    if (flats) {
      out["flats"] = json_integer(*flats);
      out["independent_blocks"] = independent_blocks;
      if (orbits) out["flat_orbits"] = *orbits;
    } else {
      out["sweep"] = {{"max_states", sweep->max_states},
                      {"max_open_variables", sweep->max_open},
                      {"state_updates", sweep->state_updates}};
    }
    out["zaslavsky_seconds"] = zaslavsky_seconds;
    out["symmetry"] = symmetry ? symmetry->to_json() : nlohmann::json(nullptr);
  } else {
    out["characteristic_polynomial"] = nullptr;
  }
  out["hyperplanes"] = hyperplanes;
  out["input_hyperplanes"] = input_hyperplanes;
  out["duplicates_merged"] = duplicates_merged;
  out["dimension"] = dimension;
  if (enumerated) {
    out["lp_solves"] = enumerated->stats.lp_solves;
    out["lp_paths"] = lp_paths_json(enumerated->lp_paths);
    out["boundedness_lp_solves"] = enumerated->boundedness_paths.total();
    out["boundedness_paths"] = boundedness_paths_json(enumerated->boundedness_paths);
    out["lp_solves_per_region"] =
        static_cast<double>(enumerated->stats.lp_solves) / static_cast<double>(enumerated->stats.regions);
    out["enumeration_seconds"] = seconds - zaslavsky_seconds;
    if (const std::optional<JobCount>& jobs = enumerated->jobs)
      // lp_solves is the total; lp_paths counts the LPs of this run's jobs only (a checkpoint keeps totals).
      out["jobs"] = {{"job_budget", jobs->job_budget},
                     {"jobs", jobs->jobs},
                     {"this_run_lp_solves", jobs->stats.lp_solves},
                     {"checkpoint", options.checkpoints.path.empty() ? nlohmann::json() : nlohmann::json(options.checkpoints.path)},
                     {"resumed_from", jobs->resumed_from.empty() ? nlohmann::json() : nlohmann::json(jobs->resumed_from)},
                     {"resumed_jobs", jobs->resumed_jobs},
                     {"resumed_regions", jobs->resumed_regions},
                     {"resumed_lp_solves", jobs->resumed_lp_solves}};
  }
  // Only a comparison can agree: with one method nothing was compared.
  out["agree"] = enumerated && chi ? nlohmann::json(disagreement.empty()) : nlohmann::json(nullptr);
  out["seconds"] = seconds;
  return out;
}

EnumerateReport enumerate_arrangement(const ArrFile& file, const EnumerateOptions& options, const RunControl& control,
                                      const EnumeratedRegionSink& sink) {
  const auto start = std::chrono::steady_clock::now();
  const Arrangement& arrangement = file.arrangement;
  const bool certify = !options.certificate.empty();
  EnumerateReport report;
  report.options = options;
  report.hyperplanes = arrangement.size();
  report.dimension = arrangement.dimension();
  RegionEnumerator enumerator(arrangement,
                              EnumerationOptions{control, certify, options.search.exact_lp, options.search.threads});
  BoundednessTester tester(arrangement, options.search.exact_lp);
  CertificateBuilder builder(arrangement);
  enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
    std::optional<bool> bounded;
    if (options.bounded) {
      bounded = tester.is_bounded(region.signs);
      report.bounded_regions += *bounded;
    }
    if (certify) builder.add_region(region, blocked);
    if (sink) sink(region, bounded);
  });
  FarkasPool& farkas = enumerator.farkas();
  if (certify) {
    builder.complete(enumerator.solver(), farkas, control);
    OutputFile out(options.certificate);
    builder.write(out.stream(), farkas);
    out.commit();
    report.farkas_entries = farkas.size();
    report.certificate_lp_solves = builder.completion_lps();
  }
  report.stats = enumerator.stats();
  report.total_lp_solves = enumerator.solver().solves();
  report.lp_paths = enumerator.solver().counters();
  report.boundedness_paths = tester.counters();
  report.seconds = seconds_since(start);
  return report;
}

nlohmann::json EnumerateReport::to_json() const {
  nlohmann::json out;
  out["file"] = file;
  out["regions"] = stats.regions;
  out["bounded_regions"] = options.bounded ? nlohmann::json(bounded_regions) : nlohmann::json(nullptr);
  out["hyperplanes"] = hyperplanes;
  out["dimension"] = dimension;
  out["lp_solves"] = total_lp_solves;
  out["lp_paths"] = lp_paths_json(lp_paths);
  out["boundedness_lp_solves"] = boundedness_paths.total();
  out["boundedness_paths"] = boundedness_paths_json(boundedness_paths);
  out["enumeration_lp_solves"] = stats.lp_solves;
  out["lp_solves_per_region"] = static_cast<double>(stats.lp_solves) / static_cast<double>(stats.regions);
  out["perturbations"] = stats.perturbations;
  out["lp_skipped_by_projection"] = stats.lp_skipped;
  out["lp_skipped_by_known_proof"] = stats.lp_reused;
  out["seconds"] = seconds;
  if (!options.certificate.empty()) {
    out["certificate"] = options.certificate;
    out["farkas_entries"] = farkas_entries;
    out["certificate_lp_solves"] = certificate_lp_solves;
  }
  return out;
}

DegeneracyReport arrangement_info(const ArrFile& file, std::size_t examples, const RunControl& control,
                                  const std::string& symmetry_file) {
  DegeneracyReport report = degeneracy_report(file, intersection_lattice(file.arrangement, control), examples);
  report.symmetry = symmetry_file.empty() ? detect_symmetry(file.arrangement, control)
                                          : read_symmetry_file(symmetry_file, file);
  return report;
}

}  // namespace chamber

// The library calls behind `chamber count`, `enumerate` and `info` (and the Python module's Arrangement methods):
// each returns a report whose to_json() is the command's --json output.
//
// count_arrangement counts the regions two independent ways — by enumeration (each region found and proven by LPs)
// and by Zaslavsky's theorem (χ from the intersection lattice or the sweep) — and count_disagreement is the one place
// that compares them; the dataset rows use it too.
#pragma once

#include "arrangement/arr_io.hpp"
#include "arrangement/bounded.hpp"
#include "arrangement/degeneracy.hpp"
#include "arrangement/enumerate.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/orbit_lattice.hpp"
#include "arrangement/run_control.hpp"
#include "arrangement/shards.hpp"
#include "arrangement/sweep.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace chamber {

/*! how the regions are counted: by enumeration, by Zaslavsky's theorem, or both (compared). */
enum class CountMethod { enumerate, zaslavsky, both };
/*! how χ is computed: every flat of the intersection lattice, the sweep of Whitney's subsets, one flat per orbit of
 * the symmetry group (orbit_lattice.hpp), or automatic: by orbits when the group found is non-trivial, else the
 * lattice. */
enum class ChiMethod { lattice, sweep, symmetric, automatic };

/*! returns "enumerate", "zaslavsky", "both" / "lattice", "sweep", "symmetric", "auto". */
std::string to_string(CountMethod method);
std::string to_string(ChiMethod method);
/*! parses the names to_string returns. \throws InputError naming `field` and the allowed names otherwise. */
CountMethod parse_count_method(const std::string& text, const std::string& field);
ChiMethod parse_chi_method(const std::string& text, const std::string& field);

/*! how the search runs: LPs exact-only or float-proposed, threads (results identical for any number). */
struct SearchOptions {
  bool exact_lp = false;
  unsigned threads = 1;
};

/*! the regions (and bounded regions) found by enumeration. */
struct EnumerationCount {
  Integer regions = 0;
  std::optional<Integer> bounded;  // empty when boundedness was not decided
  EnumerationStats stats;
  LpCounters lp_paths;
  BoundednessCounters boundedness_paths;
  /*! when counted as a tree of jobs with checkpoints (count_in_jobs): its jobs, budget and what it resumed; then
   * stats.regions and stats.lp_solves are the totals, and the other counters and lp_paths those of this run's jobs. */
  std::optional<JobCount> jobs;
};

/*! enumerates the regions of `arrangement` and, with `bounded`, decides for each whether it is bounded (in batches,
 * each batch on all threads). With checkpoints active, counts as a tree of jobs of `job_budget` nodes that can be
 * continued (count_in_jobs). \throws InputError when checkpoints are asked for with `bounded` on an arrangement with
 * bounded regions (a checkpointed count keeps no regions to test). */
EnumerationCount count_by_enumeration(const Arrangement& arrangement, const RunControl& control, bool bounded,
                                      const SearchOptions& search, const RunCheckpoints& checkpoints = {},
                                      std::uint64_t job_budget = JobOptions{}.budget);

/*! returns why an enumeration and χ disagree ("enumeration finds … regions, Zaslavsky |χ(−1)| = …", the same for
 * bounded regions when `bounded` is given), or an empty string when they agree. */
std::string count_disagreement(const Integer& regions, const std::optional<Integer>& bounded,
                               const CharacteristicPolynomial& chi);

struct CountOptions {
  CountMethod method = CountMethod::both;
  ChiMethod chi = ChiMethod::automatic;
  bool bounded = true;  // decide boundedness per region in the enumeration (χ gives it anyway)
  SearchOptions search;
  std::string symmetry_file;  // generators to use instead of detecting them (read_symmetry_file); empty: detect
  RunCheckpoints checkpoints;  // of the enumeration (count_by_enumeration)
  std::uint64_t job_budget = JobOptions{}.budget;  // with checkpoints: search nodes per job
};

/*! what count_arrangement found. */
struct CountReport {
  std::string file;  // as given (the "file" key); empty for an arrangement not read from a file
  CountOptions options;
  std::size_t hyperplanes = 0, input_hyperplanes = 0, duplicates_merged = 0, dimension = 0;
  Integer regions;
  std::optional<Integer> bounded_regions;
  std::optional<CharacteristicPolynomial> chi;
  ChiMethod chi_used = ChiMethod::automatic;  // the method that ran (never automatic when χ was computed)
  std::optional<SymmetryGroup> symmetry;      // when searched for or read (symmetric, auto, or a symmetry file)
  std::optional<Integer> flats;  // with the lattice or the orbits
  std::optional<std::uint64_t> orbits;        // flat orbits, with the orbits
  std::size_t independent_blocks = 0;
  std::optional<SweepStats> sweep;  // with the sweep
  std::optional<EnumerationCount> enumerated;
  /*! count_disagreement of the two methods; empty when they agree or only one ran. A front end reports it after
   * the counts, as an internal error (exit 3 in the CLI). */
  std::string disagreement;
  double zaslavsky_seconds = 0, seconds = 0;

  /*! whether the regions are those of an essential arrangement (rank = dimension); empty without χ. */
  std::optional<bool> essential() const;
  /*! the `chamber count --json` object. */
  nlohmann::json to_json() const;
};

/*! counts the regions of `file`'s arrangement. \throws LimitReached past control's limits (χ's count is checked
 * against max_regions before the enumeration starts), Interrupted on a stop signal; InputError for checkpoints with
 * CountMethod::zaslavsky. */
CountReport count_arrangement(const ArrFile& file, const CountOptions& options, const RunControl& control);

struct EnumerateOptions {
  bool bounded = false;      // decide for each region whether it is bounded (one LP each)
  std::string certificate;   // write the completeness certificate here (empty: none)
  SearchOptions search;
};

/*! what enumerate_arrangement found (the regions themselves went to the sink). */
struct EnumerateReport {
  std::string file;
  EnumerateOptions options;
  std::size_t hyperplanes = 0, dimension = 0;
  EnumerationStats stats;
  std::uint64_t total_lp_solves = 0;
  LpCounters lp_paths;
  BoundednessCounters boundedness_paths;
  std::uint64_t bounded_regions = 0;  // with options.bounded
  std::size_t farkas_entries = 0;
  std::uint64_t certificate_lp_solves = 0;
  double seconds = 0;

  /*! the `chamber enumerate --json` object, without its region list (the front end adds "regions_file" or
   * "region_list"). */
  nlohmann::json to_json() const;
};

/*! receives each region and, with EnumerateOptions::bounded, whether it is bounded. */
using EnumeratedRegionSink = std::function<void(const Region&, std::optional<bool>)>;

/*! enumerates the regions of `file`'s arrangement into `sink`, with a certificate written atomically when asked. */
EnumerateReport enumerate_arrangement(const ArrFile& file, const EnumerateOptions& options, const RunControl& control,
                                      const EnumeratedRegionSink& sink);

/*! the degeneracy report of `file` (`chamber info`): the intersection lattice, at most `examples` examples per
 * kind of degeneracy, and the symmetry group (detected, or the generators of `symmetry_file`, verified). Its to_json()
 * (degeneracy.hpp) is the command's --json output without the "file" key. */
DegeneracyReport arrangement_info(const ArrFile& file, std::size_t examples, const RunControl& control,
                                  const std::string& symmetry_file = "");

}  // namespace chamber

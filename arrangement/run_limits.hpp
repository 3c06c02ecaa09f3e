// The user's limits as every front end takes them (the CLI's --time-limit/--max-regions/--threads, the Python
// module's time_limit/max_regions/threads): one conversion into a RunControl and a thread count.
#pragma once

#include "arrangement/errors.hpp"
#include "arrangement/run_control.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>

namespace chamber {

/*! returns a run control with a deadline `time_limit` seconds from now and a region limit (no progress sink).
 * \throws InputError for a limit that is not greater than 0. */
inline RunControl run_limits(std::optional<double> time_limit, std::optional<std::uint64_t> max_regions) {
  RunControl control;
  if (time_limit) {
    if (!(*time_limit > 0)) throw InputError("time limit: must be a number greater than 0");
    control.deadline = RunControl::Clock::now() + std::chrono::duration_cast<RunControl::Clock::duration>(
                                                      std::chrono::duration<double>(*time_limit));
  }
  if (max_regions && *max_regions == 0) throw InputError("region limit: must be greater than 0");
  control.max_regions = max_regions;
  return control;
}

/*! returns `threads`, or every core when it is 0. */
inline unsigned resolve_threads(unsigned threads) {
  return threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace chamber

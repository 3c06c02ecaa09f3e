// User limits and progress reporting shared by the long-running algorithms.
#pragma once

#include "arrangement/errors.hpp"
#include "arrangement/output_file.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace chamber {

/*! limits (--time-limit, --max-regions) and a progress sink for long runs. */
struct RunControl {
  using Clock = std::chrono::steady_clock;

  std::optional<Clock::time_point> deadline;
  std::optional<std::uint64_t> max_regions;
  /*! the intersection lattice stops (LimitReached) once it holds more flats than this: a deterministic budget. */
  std::optional<std::uint64_t> max_flats;
  /*! the sweep for χ stops (LimitReached) once it holds more states than this: a deterministic budget. */
  std::optional<std::uint64_t> max_states;
  /*! called at most about once a second with a one-line status; empty = silent. */
  std::function<void(const std::string&)> progress;

  /*! throws Interrupted when SIGINT/SIGTERM arrived (output_file.hpp), LimitReached when the deadline has passed.
   * Cheap enough to call in inner loops. */
  void check_time(const char* what) const {
    throw_if_stop_requested(what);
    if (deadline && Clock::now() > *deadline) throw LimitReached(std::string("time limit reached during ") + what);
  }
  /*! reports `status` through `progress` when a second has passed since the last report. */
  void report(const std::function<std::string()>& status) const {
    if (!progress) return;
    Clock::time_point now = Clock::now();
    if (now < next_report_) return;
    if (first_report_) {
      first_report_ = false;
      next_report_ = now + std::chrono::seconds(1);
      return;  // nothing for runs shorter than a second
    }
    next_report_ = now + std::chrono::seconds(1);
    progress(status());
  }

 private:
  mutable Clock::time_point next_report_{};
  mutable bool first_report_ = true;
};

}  // namespace chamber

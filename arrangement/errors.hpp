// Typed errors; the command line maps each to its exit code at one place (cli/main.cpp).
#pragma once

#include <stdexcept>
#include <string>

namespace chamber {

/*! bad input or usage: the message names the file and line (or field) and the reason. Exit 2. */
struct InputError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

/*! two exact methods disagree, or an exact self-check failed. Exit 3. */
struct InternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/*! a user limit (--max-regions, --time-limit) stopped the run. Exit 4. */
struct LimitReached : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/*! SIGINT or SIGTERM asked the run to stop. Exit 128 + signal (130, 143). */
struct Interrupted : std::runtime_error {
  Interrupted(const std::string& what, int signal_number) : std::runtime_error(what), signal(signal_number) {}
  int signal;
};

}  // namespace chamber

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

}  // namespace chamber

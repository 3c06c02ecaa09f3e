// The JSON and text pieces every report shares (the CLI's --json, the Python module's to_json, dataset rows): exact
// integers, how the LPs were decided, χ as text, elapsed time.
#pragma once

#include "arrangement/bounded.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/number.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace chamber {

/*! returns `value` as a JSON integer when it fits in 64 bits, else as a decimal string. */
nlohmann::json json_integer(const Integer& value);
/*! returns the values as a JSON array of json_integer (e.g. χ's coefficients). */
nlohmann::json json_integers(const std::vector<Integer>& values);
/*! returns exact rationals as a JSON array of strings "p/q" (witnesses, vertices). */
nlohmann::json json_rationals(const std::vector<Rational>& values);

/*! returns how the LPs were decided. */
nlohmann::json lp_paths_json(const LpCounters& counters);
/*! returns how boundedness was decided. */
nlohmann::json boundedness_paths_json(const BoundednessCounters& counters);

/*! returns χ(t) as text, e.g. "t^3 - 3t^2 + 2t". */
std::string polynomial_to_text(const std::vector<Integer>& coefficients_high_to_low);

/*! returns seconds elapsed since `start`. */
double seconds_since(std::chrono::steady_clock::time_point start);

}  // namespace chamber

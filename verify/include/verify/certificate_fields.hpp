// Reading certificate fields with reasons that name the JSON path. Shared by every certificate kind.
// The checker's own number parser: it must not share code with the enumerator's reader (arrangement/number.hpp).
#pragma once

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace chamber::verify {

/// Carries the reason a certificate is invalid up to check_certificate, which turns it into a report.
/// It is not an error of the program, so it deliberately does not derive from std::exception.
struct CheckFailure {
  std::string reason;
};

/*! throws CheckFailure with `reason`. */
[[noreturn]] void fail(std::string reason);

/*! parses an integer: a JSON integer or a string "-12". Returns "" on success, otherwise why not. */
std::string parse_integer(const nlohmann::json& value, mpz_class& out);

/*! parses a rational: a JSON integer, a string "-12", or a string "p/q" with q > 0. The result is canonical.
 * Returns "" on success, otherwise why not. Floats, booleans and other strings are rejected. */
std::string parse_rational(const nlohmann::json& value, mpq_class& out);

/*! returns the value of a JSON integer >= 0 (signed or unsigned storage), nothing for anything else. */
std::optional<std::uint64_t> json_natural(const nlohmann::json& value);

/*! parses an index: a JSON integer in [0, bound). `what` names the thing indexed ("hyperplane", "farkas entry").
 * Returns "" on success, otherwise why not. */
std::string parse_index(const nlohmann::json& value, std::size_t bound, const char* what, std::size_t& out);

/// Caps of the checker (README, "Hostile input and faults"); they match the product's caps but are this
/// library's own.
inline constexpr std::size_t max_json_depth = 64;
inline constexpr std::size_t max_dimension = 4096;

/*! parses a certificate or network file. Returns nothing, with `why`, for a syntax error, a number beyond a double,
 * or arrays and objects nested deeper than max_json_depth (checked before parsing). */
std::optional<nlohmann::json> parse_json_document(const std::string& text, std::string& why);

/*! checks `region_count` (a JSON integer equal to the `listed` regions, check 5 of either kind) and that the list is
 * not empty; `nonempty` says why it cannot be ("every arrangement has at least one region"). */
void check_region_count(const nlohmann::json& region_count, std::size_t listed, const char* nonempty);

/*! returns a short rendering of `value` for a reason: a scalar or a string prefix, or the kind and size of an array or
 * object (never its contents). */
std::string describe(const nlohmann::json& value);

/*! returns the member `key` of `object`, failing with `path` when `object` is not an object or lacks `key`. */
const nlohmann::json& member(const nlohmann::json& object, const char* key, const std::string& path);

/*! returns `value` after failing with `path` unless it is an array. */
const nlohmann::json& require_array(const nlohmann::json& value, const std::string& path);

/*! returns `value` after failing with `path` unless it is an array of exactly `size` entries; `meaning` says why. */
const nlohmann::json& require_array(const nlohmann::json& value, std::size_t size, const std::string& path,
                                    const char* meaning);

/*! returns the string in `value` after failing with `path` unless it is a string of `size` characters '+'/'-'. */
const std::string& require_signs(const nlohmann::json& value, std::size_t size, const std::string& path,
                                 const char* meaning);

/*! reads a rational, failing with the path built by `path()` (built only on failure, the hot path stays cheap). */
template <class PathFn>
void read_rational(const nlohmann::json& value, mpq_class& out, PathFn&& path) {
  std::string why = parse_rational(value, out);
  if (!why.empty()) fail(std::forward<PathFn>(path)() + ": " + why);
}

/*! reads an integer, failing with the path built by `path()`. */
template <class PathFn>
void read_integer(const nlohmann::json& value, mpz_class& out, PathFn&& path) {
  std::string why = parse_integer(value, out);
  if (!why.empty()) fail(std::forward<PathFn>(path)() + ": " + why);
}

/*! reads an index in [0, bound), failing with the path built by `path()`. */
template <class PathFn>
std::size_t read_index(const nlohmann::json& value, std::size_t bound, const char* what, PathFn&& path) {
  std::size_t index = 0;
  std::string why = parse_index(value, bound, what, index);
  if (!why.empty()) fail(std::forward<PathFn>(path)() + ": " + why);
  return index;
}

}  // namespace chamber::verify

// Caps on what an input file or option may ask for, checked before the work they would cause (README, "Hostile
// input and faults"), and the one way product-side readers parse JSON: depth-capped, every failure an InputError
// naming the file.
// The independent checker (verify/) has its own copy of these rules; it shares no code with this library.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace chamber {

/// Arrays and objects nested deeper than this are refused before parsing (a network file needs 7 levels).
inline constexpr std::size_t max_json_depth = 64;
/// A JSON input file larger than this is refused before it is parsed.
inline constexpr std::size_t max_json_bytes = std::size_t{1} << 32;
/// The input dimension of a network (C·H·W), as of an arrangement (n <= 4096).
inline constexpr std::size_t max_input_dimension = 4096;
/// Hidden neurons of a network, and hidden neurons times (input dimension + 1): the size of the affine forms.
inline constexpr std::size_t max_hidden_neurons = std::size_t{1} << 20;
inline constexpr std::size_t max_form_entries = std::size_t{1} << 26;
/// Layers of a network.
inline constexpr std::size_t max_layers = 1024;
/// Bits of all numbers of one file together (numerators and denominators): 16 Mbit, about 300,000 float32 weights.
inline constexpr std::size_t max_total_bits = std::size_t{1} << 24;

/*! returns the bytes of the file at `path`. \throws InputError naming it when it cannot be read. */
std::string read_file(const std::string& path);

/*! returns `text` quoted for an error message: the whole of a short text, else its first 40 characters, "...", and
 * its length; bytes outside printable ASCII as '?'. */
std::string quote_prefix(std::string_view text);

/*! returns a short description of a JSON value for an error message ("an array of 3 entries", "string 'abc'", "12"),
 * never rendering nested values. */
std::string describe_json(const nlohmann::json& value);

/*! parses `text` as JSON. \throws InputError "NAME: not valid JSON ..." for a syntax error, a number out of range, a
 * nesting deeper than max_json_depth or a text over max_json_bytes. */
nlohmann::json parse_json_text(const std::string& text, const std::string& name);

/*! adds `bits` to `total`. \throws InputError "NAME: numbers exceed the cap of 16777216 bits per file" past
 * max_total_bits. */
void add_bits(std::size_t& total, std::size_t bits, const std::string& name);

}  // namespace chamber

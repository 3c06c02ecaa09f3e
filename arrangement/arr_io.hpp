// The .arr text format: '#' starts a comment; the first line is "n m"; then m lines "b a1 ... an"
// (b + a·x = 0). Numbers are integers, fractions "p/q" or decimals ("0.125", "1e-3").
#pragma once

#include "arrangement/arrangement.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace chamber {

/*! the largest dimension and number of hyperplanes the reader accepts. */
inline constexpr std::size_t max_arr_dimension = 4096;
inline constexpr std::size_t max_arr_hyperplanes = 1000000;

struct ArrFile {
  std::string name;
  Arrangement arrangement;     // duplicates merged
  MergeReport merge;           // input hyperplane -> merged index
  std::vector<std::size_t> input_lines;  // line number of each input hyperplane
  std::vector<Hyperplane> input;         // the rows as read (primitive, before merging)
};

/*! reads a .arr file. \throws InputError naming "file:line: reason" on any malformed content. */
ArrFile read_arr_file(const std::string& path);
/*! reads .arr text from `in`; `name` is used in error messages. */
ArrFile read_arr(std::istream& in, const std::string& name);
/*! writes `arrangement` as .arr text, with `comment` lines first. */
void write_arr(std::ostream& out, const Arrangement& arrangement, const std::string& comment = "");

}  // namespace chamber

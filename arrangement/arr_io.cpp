#include "arrangement/arr_io.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"

#include <fstream>
#include <sstream>

namespace chamber {

namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::string content = line.substr(0, line.find('#'));
  std::istringstream fields(content);
  std::vector<std::string> out;
  for (std::string f; fields >> f;) out.push_back(f);
  return out;
}

[[noreturn]] void fail(const std::string& name, std::size_t line, const std::string& reason) {
  throw InputError(name + ":" + std::to_string(line) + ": " + reason);
}

std::size_t parse_count(const std::string& name, std::size_t line, const std::string& field, const char* what,
                        std::size_t max) {
  auto value = parse_rational(field);
  if (!value || value->get_den() != 1 || *value < 0)
    fail(name, line, std::string(what) + " must be a non-negative integer, got " + quote_prefix(field));
  if (*value > Rational(static_cast<unsigned long>(max)))
    fail(name, line, std::string(what) + " " + (field.size() <= 24 ? field : quote_prefix(field)) +
                         " exceeds the limit of " + std::to_string(max));
  return static_cast<std::size_t>(value->get_num().get_ui());
}

}  // namespace

ArrFile read_arr(std::istream& in, const std::string& name) {
  ArrFile file;
  file.name = name;
  std::size_t dimension = 0, count = 0, line_number = 0, total_bits = 0;
  bool have_header = false;
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    std::vector<std::string> fields = split_fields(line);
    if (fields.empty()) continue;
    if (!have_header) {
      if (fields.size() != 2)
        fail(name, line_number, "header must be 'n m' (dimension and number of hyperplanes), got " +
                                    std::to_string(fields.size()) + " fields");
      dimension = parse_count(name, line_number, fields[0], "dimension n", max_arr_dimension);
      count = parse_count(name, line_number, fields[1], "number of hyperplanes m", max_arr_hyperplanes);
      if (dimension == 0) fail(name, line_number, "dimension n must be at least 1");
      have_header = true;
      continue;
    }
    if (file.input.size() == count)
      fail(name, line_number, "more hyperplane rows than the " + std::to_string(count) + " announced in the header");
    if (fields.size() != dimension + 1)
      fail(name, line_number, "expected " + std::to_string(dimension + 1) + " numbers (b a1 .. a" +
                                  std::to_string(dimension) + "), got " + std::to_string(fields.size()));
    RationalVector row;
    row.reserve(fields.size());
    for (std::size_t k = 0; k < fields.size(); ++k) {
      std::string why;
      auto value = parse_rational(fields[k], &why);
      if (!value)
        fail(name, line_number, "entry " + std::to_string(k + 1) + " " + quote_prefix(fields[k]) + " " +
                                    (why.empty() ? "is not a number (integer, p/q or decimal)" : "refused: " + why));
      add_bits(total_bits, bit_size(*value), name + ":" + std::to_string(line_number));
      row.push_back(*value);
    }
    Hyperplane h = Hyperplane::from_rationals(row);
    if (h.has_zero_normal())
      fail(name, line_number, "zero normal vector (a1 .. an all 0): not a hyperplane");
    file.input.push_back(std::move(h));
    file.input_lines.push_back(line_number);
  }
  if (in.bad()) throw InputError(name + ": read error");
  if (!have_header) throw InputError(name + ":" + std::to_string(line_number) + ": empty file (no 'n m' header)");
  if (file.input.size() != count)
    fail(name, line_number, "header announces " + std::to_string(count) + " hyperplanes, found " +
                                std::to_string(file.input.size()));
  file.arrangement = Arrangement(dimension, file.input, &file.merge);
  return file;
}

ArrFile read_arr_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open file");
  return read_arr(in, path);
}

void write_arr(std::ostream& out, const Arrangement& arrangement, const std::string& comment) {
  if (!comment.empty()) {
    std::istringstream lines(comment);
    for (std::string l; std::getline(lines, l);) out << "# " << l << '\n';
  }
  out << arrangement.dimension() << ' ' << arrangement.size() << '\n';
  for (const Hyperplane& h : arrangement.hyperplanes()) out << h.to_string() << '\n';
}

}  // namespace chamber

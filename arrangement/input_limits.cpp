#include "arrangement/input_limits.hpp"

#include "arrangement/errors.hpp"

#include <fstream>
#include <sstream>

namespace chamber {

namespace {

/*! returns the nesting depth of arrays and objects in `text` (strings skipped), stopping once it exceeds `cap`. */
std::size_t nesting_depth(std::string_view text, std::size_t cap) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > cap) return deepest;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::string quote_prefix(std::string_view text) {
  constexpr std::size_t shown = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < shown; ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    out += byte >= 0x20 && byte < 0x7f ? text[i] : '?';
  }
  if (text.size() <= shown) return out + "'";
  return out + "...' (" + std::to_string(text.size()) + " characters)";
}

std::string describe_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "an object of " + std::to_string(value.size()) + " fields";
    case nlohmann::json::value_t::array: return "an array of " + std::to_string(value.size()) + " entries";
    case nlohmann::json::value_t::string: {
      std::string text = quote_prefix(value.get_ref<const std::string&>());
      text.front() = '"';
      text[text.rfind('\'')] = '"';
      return "string " + text;
    }
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::binary: return "binary data";
    default: return value.dump();  // a number or a boolean: short
  }
}

nlohmann::json parse_json_text(const std::string& text, const std::string& name) {
  if (text.size() > max_json_bytes)
    throw InputError(name + ": " + std::to_string(text.size()) + " bytes exceed the cap of " +
                     std::to_string(max_json_bytes) + " bytes for a JSON file");
  if (nesting_depth(text, max_json_depth) > max_json_depth)
    throw InputError(name + ": not valid JSON: arrays and objects nested deeper than the cap of " +
                     std::to_string(max_json_depth) + " levels");
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(name + ": not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
  } catch (const nlohmann::json::exception& e) {  // out_of_range: a number beyond a double, e.g. 1e999
    throw InputError(name + ": not valid JSON: " + e.what());
  }
}

void add_bits(std::size_t& total, std::size_t bits, const std::string& name) {
  total += bits;
  if (total > max_total_bits)
    throw InputError(name + ": its numbers exceed the cap of " + std::to_string(max_total_bits) +
                     " bits per file (numerators and denominators together)");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) throw InputError(path + ": read error");
  return content.str();
}

}  // namespace chamber

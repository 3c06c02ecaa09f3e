#include "verify/certificate_fields.hpp"

#include <cstdint>
#include <string_view>

namespace chamber::verify {

namespace {

bool is_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

/*! returns whether `text` is an optional '-' followed by decimal digits (no '+', no spaces: the writer never emits them). */
bool is_integer_text(std::string_view text) {
  if (!text.empty() && text.front() == '-') text.remove_prefix(1);
  return is_digits(text);
}

/*! returns 'c' for printable ASCII and the byte in hex otherwise (a byte of a UTF-8 sequence alone is not text). */
std::string describe_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  const char* digits = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 0xf];
}

/*! sets `out` from a JSON integer; the caller has checked the type. */
void set_from_json_integer(const nlohmann::json& value, mpz_class& out) {
  // Through text, so that the code does not depend on the width of `long`.
  if (value.is_number_unsigned())
    out.set_str(std::to_string(value.get<std::uint64_t>()), 10);
  else
    out.set_str(std::to_string(value.get<std::int64_t>()), 10);
}

}  // namespace

void fail(std::string reason) { throw CheckFailure{std::move(reason)}; }

std::string parse_integer(const nlohmann::json& value, mpz_class& out) {
  if (value.is_number_integer()) {
    set_from_json_integer(value, out);
    return {};
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (is_integer_text(text) && out.set_str(text, 10) == 0) return {};
  }
  return "not an integer";
}

std::string parse_rational(const nlohmann::json& value, mpq_class& out) {
  if (value.is_number_integer()) {
    set_from_json_integer(value, out.get_num());
    out.get_den() = 1;
    return {};
  }
  if (!value.is_string()) return "not an integer or fraction";
  std::string_view text = value.get_ref<const std::string&>();
  std::size_t slash = text.find('/');
  std::string_view numerator = text.substr(0, slash);
  if (!is_integer_text(numerator)) return "not an integer or fraction";
  if (out.get_num().set_str(std::string(numerator), 10) != 0) return "not an integer or fraction";
  if (slash == std::string_view::npos) {
    out.get_den() = 1;
    return {};
  }
  std::string_view denominator = text.substr(slash + 1);
  if (!is_digits(denominator)) return "not an integer or fraction";  // also rejects a sign on the denominator
  if (out.get_den().set_str(std::string(denominator), 10) != 0) return "not an integer or fraction";
  if (out.get_den() == 0) return "fraction with zero denominator";
  out.canonicalize();
  return {};
}

std::optional<std::uint64_t> json_natural(const nlohmann::json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  // A JSON integer built in C++ from an `int` is signed even when it is not negative.
  if (value.is_number_integer() && value.get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(value.get<std::int64_t>());
  return std::nullopt;
}

std::string parse_index(const nlohmann::json& value, std::size_t bound, const char* what, std::size_t& out) {
  if (!value.is_number_integer()) return std::string("not a ") + what + " index (expected a JSON integer)";
  std::optional<std::uint64_t> index = json_natural(value);
  if (index && *index < bound) {
    out = static_cast<std::size_t>(*index);
    return {};
  }
  std::string shown = index ? std::to_string(*index) : std::to_string(value.get<std::int64_t>());
  return std::string(what) + " index " + shown + " out of range (" + std::to_string(bound) + " available)";
}

std::string describe(const nlohmann::json& value) {
  // Never renders nested values (a deep or huge array would cost its whole size, or the stack).
  constexpr std::size_t limit = 40;
  switch (value.type()) {
    case nlohmann::json::value_t::object: return "an object of " + std::to_string(value.size()) + " keys";
    case nlohmann::json::value_t::array: return "an array of " + std::to_string(value.size()) + " entries";
    case nlohmann::json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      std::string shown;
      for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        shown += byte >= 0x20 && byte < 0x7f && byte != '"' ? text[i] : '?';
      }
      return "\"" + shown + (text.size() > limit ? "...\"" : "\"");
    }
    case nlohmann::json::value_t::binary: return "binary data";
    default: return value.dump();  // null, a boolean or a number: short
  }
}

namespace {

/*! returns whether arrays and objects nest deeper than `cap` in `text` (a linear scan; strings skipped). */
bool nests_deeper_than(const std::string& text, std::size_t cap) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > cap) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace

std::optional<nlohmann::json> parse_json_document(const std::string& text, std::string& why) {
  if (nests_deeper_than(text, max_json_depth)) {
    why = "arrays and objects nested deeper than the cap of " + std::to_string(max_json_depth) + " levels";
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {  // parse_error, or out_of_range for a number beyond a double
    why = error.what();
    return std::nullopt;
  }
}

void check_region_count(const nlohmann::json& region_count, std::size_t listed, const char* nonempty) {
  const std::optional<std::uint64_t> claimed = json_natural(region_count);
  if (!claimed) fail("region_count: expected a JSON integer >= 0, found " + describe(region_count));
  if (*claimed != listed)  // check 5
    fail("region_count " + std::to_string(*claimed) + " but " + std::to_string(listed) + " regions listed");
  // The closure argument needs a nonempty set.
  if (listed == 0) fail(std::string("regions: empty (") + nonempty + ")");
}

const nlohmann::json& member(const nlohmann::json& object, const char* key, const std::string& path) {
  if (!object.is_object()) fail((path.empty() ? std::string("certificate") : path) + ": not a JSON object");
  auto found = object.find(key);
  if (found == object.end()) fail((path.empty() ? std::string() : path + ": ") + "missing key '" + key + "'");
  return *found;
}

const nlohmann::json& require_array(const nlohmann::json& value, const std::string& path) {
  if (!value.is_array()) fail(path + ": not an array");
  return value;
}

const nlohmann::json& require_array(const nlohmann::json& value, std::size_t size, const std::string& path,
                                    const char* meaning) {
  require_array(value, path);
  if (value.size() != size)
    fail(path + ": length " + std::to_string(value.size()) + ", expected " + std::to_string(size) + " (" + meaning +
         ")");
  return value;
}

const std::string& require_signs(const nlohmann::json& value, std::size_t size, const std::string& path,
                                 const char* meaning) {
  if (!value.is_string()) fail(path + ": not a string of signs");
  const std::string& signs = value.get_ref<const std::string&>();
  if (signs.size() != size)
    fail(path + ": length " + std::to_string(signs.size()) + ", expected " + std::to_string(size) + " (" + meaning +
         ")");
  for (std::size_t j = 0; j < signs.size(); ++j)
    if (signs[j] != '+' && signs[j] != '-')
      fail(path + "[" + std::to_string(j) + "]: bad sign character " + describe_character(signs[j]) +
           " (expected + or -)");
  return signs;
}

}  // namespace chamber::verify

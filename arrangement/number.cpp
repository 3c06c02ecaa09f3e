#include "arrangement/number.hpp"

#include <cctype>

namespace chamber {

namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

std::optional<Integer> parse_integer(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (!all_digits(s)) return std::nullopt;
  Integer value(std::string(s), 10);
  if (negative) value = -value;
  return value;
}

/*! parses `text` without the size caps (parse_rational applies them); `why` is set only for an exponent over the cap,
 * which must be refused before 10^exponent is computed. */
std::optional<Rational> parse_rational_uncapped(std::string_view text, std::string* why) {
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    auto numerator = parse_integer(text.substr(0, slash));
    std::string_view den_text = text.substr(slash + 1);
    if (!den_text.empty() && (den_text.front() == '+' || den_text.front() == '-')) return std::nullopt;  // q > 0
    auto denominator = parse_integer(den_text);
    if (!numerator || !denominator || *denominator == 0) return std::nullopt;
    Rational value(*numerator, *denominator);
    value.canonicalize();
    return value;
  }
  // Decimal: [sign] digits [. digits] [(e|E) [sign] digits]; at least one digit in the mantissa.
  std::string_view mantissa = text;
  long exponent = 0;
  if (auto e = text.find_first_of("eE"); e != std::string_view::npos) {
    mantissa = text.substr(0, e);
    auto exp_value = parse_integer(text.substr(e + 1));
    if (!exp_value) return std::nullopt;
    if (abs(*exp_value) > max_decimal_exponent) {
      if (why)
        *why = "decimal exponent " + exp_value->get_str().substr(0, 12) + " exceeds the cap of +-" +
               std::to_string(max_decimal_exponent);
      return std::nullopt;
    }
    exponent = exp_value->get_si();
  }
  bool negative = false;
  if (!mantissa.empty() && (mantissa.front() == '+' || mantissa.front() == '-')) {
    negative = mantissa.front() == '-';
    mantissa.remove_prefix(1);
  }
  std::string digits;
  if (auto dot = mantissa.find('.'); dot != std::string_view::npos) {
    std::string_view whole = mantissa.substr(0, dot), fraction = mantissa.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return std::nullopt;
    if ((!whole.empty() && !all_digits(whole)) || (!fraction.empty() && !all_digits(fraction)))
      return std::nullopt;
    digits = std::string(whole) + std::string(fraction);
    exponent -= static_cast<long>(fraction.size());
  } else {
    if (!all_digits(mantissa)) return std::nullopt;
    digits = std::string(mantissa);
  }
  Integer numerator(digits, 10);
  if (negative) numerator = -numerator;
  Integer power;
  mpz_ui_pow_ui(power.get_mpz_t(), 10, static_cast<unsigned long>(exponent < 0 ? -exponent : exponent));
  Rational value = exponent < 0 ? Rational(numerator, power) : Rational(numerator * power, 1);
  value.canonicalize();
  return value;
}

}  // namespace

std::size_t bit_size(const Rational& value) {
  return mpz_sizeinbase(value.get_num_mpz_t(), 2) + mpz_sizeinbase(value.get_den_mpz_t(), 2);
}

std::optional<Rational> parse_rational(std::string_view text, std::string* why) {
  auto capped = [&](const std::string& reason) -> std::optional<Rational> {
    if (why) *why = reason;
    return std::nullopt;
  };
  if (why) why->clear();
  if (text.empty()) return std::nullopt;
  if (text.size() > max_number_characters)
    return capped("a number of " + std::to_string(text.size()) + " characters exceeds the cap of " +
                  std::to_string(max_number_characters));
  std::optional<Rational> value = parse_rational_uncapped(text, why);
  if (value && bit_size(*value) > max_number_bits)
    return capped("a number of " + std::to_string(bit_size(*value)) + " bits exceeds the cap of " +
                  std::to_string(max_number_bits) + " bits (numerator and denominator)");
  return value;
}

std::string to_string(const Rational& value) {
  if (value.get_den() == 1) return value.get_num().get_str();
  return value.get_num().get_str() + "/" + value.get_den().get_str();
}

std::string to_string(const Integer& value) { return value.get_str(); }

Integer common_denominator(const RationalVector& values) {
  Integer lcm = 1;
  for (const Rational& v : values) mpz_lcm(lcm.get_mpz_t(), lcm.get_mpz_t(), v.get_den_mpz_t());
  return lcm;
}

IntegerVector to_integers(const RationalVector& values) {
  const Integer denominator = common_denominator(values);
  IntegerVector out;
  out.reserve(values.size());
  for (const Rational& v : values) out.push_back(v.get_num() * (denominator / v.get_den()));
  return out;
}

void make_primitive(IntegerVector& values) {
  Integer g = 0;
  for (const Integer& v : values) {
    mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
    if (g == 1) return;
  }
  if (g == 0) return;
  for (Integer& v : values) mpz_divexact(v.get_mpz_t(), v.get_mpz_t(), g.get_mpz_t());
}

Rational dot(const RationalVector& a, const RationalVector& b) {
  Rational total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) total += a[i] * b[i];
  return total;
}

}  // namespace chamber

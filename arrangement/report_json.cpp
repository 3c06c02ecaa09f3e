#include "arrangement/report_json.hpp"

namespace chamber {

nlohmann::json json_integer(const Integer& value) {
  if (value.fits_slong_p()) return static_cast<std::int64_t>(value.get_si());
  return value.get_str();
}

nlohmann::json json_integers(const std::vector<Integer>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const Integer& value : values) array.push_back(json_integer(value));
  return array;
}

nlohmann::json json_rationals(const std::vector<Rational>& values) {
  nlohmann::json array = nlohmann::json::array();
  for (const Rational& value : values) array.push_back(to_string(value));
  return array;
}

nlohmann::json lp_paths_json(const LpCounters& counters) {
  return {{"float_witness", counters.float_witness},
          {"float_farkas", counters.float_farkas},
          {"exact", counters.exact}};
}

nlohmann::json boundedness_paths_json(const BoundednessCounters& counters) {
  return {{"float_bounded", counters.float_bounded},
          {"float_unbounded", counters.float_unbounded},
          {"exact", counters.exact}};
}

std::string polynomial_to_text(const std::vector<Integer>& coefficients) {
  std::string text;
  const std::size_t degree = coefficients.empty() ? 0 : coefficients.size() - 1;
  for (std::size_t k = 0; k < coefficients.size(); ++k) {
    const Integer& c = coefficients[k];
    if (c == 0) continue;
    const std::size_t power = degree - k;
    Integer magnitude = abs(c);
    text += text.empty() ? (c < 0 ? "-" : "") : (c < 0 ? " - " : " + ");
    if (magnitude != 1 || power == 0) text += magnitude.get_str();
    if (power >= 1) text += "t";
    if (power >= 2) text += "^" + std::to_string(power);
  }
  return text.empty() ? "0" : text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace chamber

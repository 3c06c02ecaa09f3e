#include "cnn/formula_report.hpp"

#include "arrangement/errors.hpp"
#include "cnn/analysis.hpp"

#include <sstream>

namespace chamber {

namespace {

std::string decimal(const Rational& value, int digits = 6) {
  std::ostringstream out;
  out.precision(digits);
  out << value.get_d();
  return out.str();
}

nlohmann::json exact_json(const Rational& value) { return to_string(value); }

/*! returns {regions, per_parameter (exact), per_parameter_decimal} of a value over a parameter count. */
nlohmann::json per_parameter_json(const std::optional<Integer>& regions, const Integer& parameters) {
  if (!regions) return nullptr;
  Rational ratio(*regions, parameters);
  ratio.canonicalize();
  return {{"regions", regions->fits_slong_p() ? nlohmann::json(regions->get_si()) : nlohmann::json(regions->get_str())},
          {"per_parameter", exact_json(ratio)},
          {"per_parameter_decimal", ratio.get_d()}};
}

std::uint64_t count_regions(const Network& network, const RunControl& control) {
  NetworkAnalysisOptions options;
  options.verdict = false;
  return analyse_network(network, options, control).stats.regions;
}

}  // namespace

std::optional<FilterGrowth> filter_growth(const Architecture& architecture, std::size_t rows) {
  const std::vector<ConvSpec> convs = architecture.conv_layers();
  if (convs.size() != 1 || !architecture.linear_widths().empty()) return std::nullopt;
  FilterGrowth growth;
  growth.polynomial = eq4_polynomial(architecture.input, convs[0]);
  std::size_t d = convs[0].filters;
  for (std::size_t r = 0; r < rows; ++r, d *= 2) {
    growth.filters.push_back(d);
    growth.eq4.push_back(growth.polynomial.value(d));
    growth.leading.push_back(growth.polynomial.leading_term(d));
    Rational ratio = Rational(growth.eq4.back()) / growth.leading.back();
    ratio.canonicalize();
    growth.ratio.push_back(ratio);
  }
  return growth;
}

nlohmann::json FilterGrowth::to_json() const {
  nlohmann::json table = nlohmann::json::array();
  for (std::size_t r = 0; r < filters.size(); ++r)
    table.push_back({{"filters", filters[r]},
                     {"eq4", eq4[r].fits_slong_p() ? nlohmann::json(eq4[r].get_si()) : nlohmann::json(eq4[r].get_str())},
                     {"leading_term", exact_json(leading[r])},
                     {"ratio", exact_json(ratio[r])},
                     {"ratio_decimal", ratio[r].get_d()}});
  return {{"degree", polynomial.degree},
          {"leading_coefficient", exact_json(polynomial.leading_coefficient)},
          {"form", "c*d^D: D = the largest sum of t over K_N, c = sum over those t of prod 1/t_p! (eq. (4) expanded; "
                   "derived from eq. (4), not Theorem 3 / Lemma 3 of the paper)"},
          {"rows", table}};
}

std::string FilterGrowth::to_text() const {
  std::ostringstream out;
  out << "eq. (4) as the number of filters d grows: leading term c*d^" << polynomial.degree << ", c = "
      << to_string(polynomial.leading_coefficient) << " (derived from eq. (4): C(d,t) = d^t/t! (1 + O(1/d)))\n";
  for (std::size_t r = 0; r < filters.size(); ++r)
    out << "    d = " << filters[r] << ": eq. (4) " << eq4[r].get_str() << ", c*d^" << polynomial.degree << " = "
        << to_string(leading[r]) << ", ratio " << decimal(ratio[r], 8) << '\n';
  return out.str();
}

std::optional<RegionsPerParameter> regions_per_parameter(const Architecture& architecture,
                                                         const std::optional<ExactDraw>& draw,
                                                         const RunControl& control,
                                                         const std::vector<ClosedForm>* known_forms) {
  const std::vector<ConvSpec> convs = architecture.conv_layers();
  if (convs.empty() || !architecture.linear_widths().empty()) return std::nullopt;
  RegionsPerParameter result;
  result.cnn_parameters = cnn_parameters(architecture.input, convs);
  for (const Shape& shape : architecture.shapes()) result.fc_widths.push_back(shape.size());
  result.fc_parameters = fc_parameters(architecture.input.size(), result.fc_widths);
  Architecture fc;
  fc.input = architecture.input;
  for (std::size_t width : result.fc_widths) fc.layers.push_back(LayerSpec{false, width, 1, 1, 1, 1});
  // eq. (4) may take its whole work cap (seconds): the caller's forms of the same architecture are used when given.
  const std::vector<ClosedForm> own = known_forms ? std::vector<ClosedForm>() : closed_forms(architecture);
  for (const ClosedForm& form : known_forms ? *known_forms : own)
    if (form.key != "parameters" && form.key != "fc_parameters" && form.key != "theorem1") result.cnn_forms.push_back(form);
  for (const ClosedForm& form : closed_forms(fc))
    if (form.key != "parameters" && form.key != "fc_parameters") result.fc_forms.push_back(form);
  if (draw) {
    result.draw = draw;
    result.cnn_exact = count_regions(random_network(architecture.input, architecture.layers, draw->seed, draw->weights),
                                     control);
    result.fc_exact = count_regions(random_network(fc.input, fc.layers, draw->seed, draw->weights), control);
  }
  return result;
}

nlohmann::json RegionsPerParameter::to_json() const {
  nlohmann::json cnn{{"parameters", cnn_parameters.get_si()}}, fc{{"parameters", fc_parameters.get_si()},
                                                                  {"widths", fc_widths}};
  for (const ClosedForm& form : cnn_forms) cnn[form.key] = per_parameter_json(form.value, cnn_parameters);
  for (const ClosedForm& form : fc_forms) fc[form.key] = per_parameter_json(form.value, fc_parameters);
  if (draw) {
    cnn["exact"] = per_parameter_json(Integer(std::to_string(*cnn_exact)), cnn_parameters);
    fc["exact"] = per_parameter_json(Integer(std::to_string(*fc_exact)), fc_parameters);
  }
  nlohmann::json out{{"cnn", cnn}, {"fully_connected", fc}};
  out["exact_draw"] = draw ? nlohmann::json{{"seed", draw->seed}, {"weights", to_string(draw->weights)}}
                           : nlohmann::json();
  out["note"] = "the quantities Theorem 6 of Xiong et al. compares (regions per parameter, CNN against a fully "
                "connected net of the same input and hidden widths); its statement itself is not checked here";
  return out;
}

std::string RegionsPerParameter::to_text() const {
  std::ostringstream out;
  out << "regions per parameter (CNN: " << cnn_parameters.get_str() << " parameters; fully connected net of widths";
  for (std::size_t w : fc_widths) out << ' ' << w;
  out << ": " << fc_parameters.get_str() << " parameters):\n";
  auto line = [&](const char* who, const ClosedForm& form, const Integer& parameters) {
    out << "    " << who << ' ' << form.label << ": ";
    if (!form.value) {
      out << closed_form_text(form) << '\n';
      return;
    }
    Rational ratio(*form.value, parameters);
    ratio.canonicalize();
    out << form.value->get_str() << " / " << parameters.get_str() << " = " << decimal(ratio) << '\n';
  };
  for (const ClosedForm& form : cnn_forms) line("CNN", form, cnn_parameters);
  for (const ClosedForm& form : fc_forms) line("FC ", form, fc_parameters);
  if (draw) {
    const Rational cnn_ratio(Integer(std::to_string(*cnn_exact)), cnn_parameters),
        fc_ratio(Integer(std::to_string(*fc_exact)), fc_parameters);
    out << "    exact at random weights (" << to_string(draw->weights) << ", seed " << draw->seed << "): CNN "
        << *cnn_exact << " / " << cnn_parameters.get_str() << " = " << decimal(cnn_ratio) << ", FC " << *fc_exact
        << " / " << fc_parameters.get_str() << " = " << decimal(fc_ratio) << '\n';
  }
  return out.str();
}

FormulaReport formula_report(const Architecture& architecture, const std::string& input_text,
                             const std::optional<ExactDraw>& draw, const RunControl& control) {
  FormulaReport report;
  report.architecture = architecture;
  report.input_text = input_text;
  report.forms = closed_forms(architecture);
  // eq. (4)'s K_N can be too large to enumerate; the other forms still stand, so the cap becomes a note.
  try {
    report.growth = filter_growth(architecture);
  } catch (const LimitReached& cap) {
    report.growth_note = cap.what();
  }
  report.per_parameter = regions_per_parameter(architecture, draw, control, &report.forms);
  return report;
}

nlohmann::json FormulaReport::to_json() const {
  nlohmann::json out;
  out["input"] = {architecture.input.channels, architecture.input.height, architecture.input.width};
  out["input_dimension"] = architecture.input.size();
  out["layers"] = layers_json(architecture);
  out["hidden_neurons"] = architecture.hidden_neurons();
  for (const ClosedForm& f : forms) out[f.key] = closed_form_json(f);
  if (growth)
    out["eq4_growth"] = growth->to_json();
  else if (!growth_note.empty())
    out["eq4_growth"] = {{"not_evaluated", growth_note}};
  if (per_parameter) out["regions_per_parameter"] = per_parameter->to_json();
  return out;
}

std::string FormulaReport::to_text() const {
  std::ostringstream out;
  out << "input " << input_text << " (dimension " << architecture.input.size() << "), "
      << architecture.hidden_neurons() << " hidden neurons\n";
  for (const ClosedForm& f : forms) out << "  " << f.label << ": " << closed_form_text(f) << '\n';
  if (growth)
    out << "  " << growth->to_text();
  else if (!growth_note.empty())
    out << "  eq. (4) as the number of filters grows: not evaluated: " << growth_note << '\n';
  if (per_parameter) out << "  " << per_parameter->to_text();
  return out.str();
}

}  // namespace chamber

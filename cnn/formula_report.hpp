// What `chamber formula` adds to the closed forms of an architecture: eq. (4) beside its leading term as the number of
// filters grows (cnn/formulas.hpp, Eq4Polynomial), and regions per parameter of a CNN beside a fully connected net of
// the same input and hidden widths (the quantities Theorem 6 of Xiong et al. compares), by the bounds and, on request,
// by exact counts at random weights.
#pragma once

#include "arrangement/run_control.hpp"
#include "cnn/architecture.hpp"
#include "cnn/random_network.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

/*! eq. (4) for growing numbers of filters beside its leading term c·d^D, and their exact ratio. */
struct FilterGrowth {
  Eq4Polynomial polynomial;
  std::vector<std::size_t> filters;  // d: the layer's own, then ×2, ×4, … (growth_rows values)
  std::vector<Integer> eq4;
  std::vector<Rational> leading, ratio;  // c·d^D and eq4 / (c·d^D)

  nlohmann::json to_json() const;
  std::string to_text() const;
};

/*! returns the growth table of a one-conv-layer architecture (`rows` values of d: d1, 2·d1, 4·d1, …), or nothing for
 * any other architecture. \throws LimitReached when eq. (4)'s K_N is too large to enumerate (eq4_polynomial). */
std::optional<FilterGrowth> filter_growth(const Architecture& architecture, std::size_t rows = 6);

/*! exact counts of one random draw of both nets (chamber random's generator and distributions). */
struct ExactDraw {
  std::uint64_t seed = 1;
  WeightDistribution weights{WeightDistribution::Integer, -1000000, 1000000, 8};
};

/*! regions per parameter: a stack of conv layers beside the fully connected net with the same input and the same
 * number of neurons per hidden layer. */
struct RegionsPerParameter {
  Integer cnn_parameters, fc_parameters;
  std::vector<std::size_t> fc_widths;
  std::vector<ClosedForm> cnn_forms, fc_forms;  // closed forms of each (bounds, and eq. (4) for one conv layer)
  std::optional<ExactDraw> draw;
  std::optional<std::uint64_t> cnn_exact, fc_exact;

  nlohmann::json to_json() const;
  std::string to_text() const;
};

/*! returns the comparison for an architecture of conv layers only (nothing otherwise); with `draw`, also the exact
 * linear regions of both nets at those random weights (the network analysis of `chamber cnn`, under `control`).
 * `known_forms`, when given, are closed_forms(architecture), already computed. */
std::optional<RegionsPerParameter> regions_per_parameter(const Architecture& architecture,
                                                         const std::optional<ExactDraw>& draw,
                                                         const RunControl& control,
                                                         const std::vector<ClosedForm>* known_forms = nullptr);

/*! everything `chamber formula` reports on an architecture. */
struct FormulaReport {
  Architecture architecture;
  std::string input_text;            // the input shape as given ("1x3x3"), echoed by the text report
  std::vector<ClosedForm> forms;     // closed_forms(architecture)
  std::optional<FilterGrowth> growth;
  std::string growth_note;           // why there is no growth table for one conv layer (K_N too large), else empty
  std::optional<RegionsPerParameter> per_parameter;

  /*! the `chamber formula --json` object. */
  nlohmann::json to_json() const;
  /*! the text report. */
  std::string to_text() const;
};

/*! returns the closed forms of `architecture`, eq. (4) as the filters grow (one conv layer; when K_N is too large to
 * enumerate, the reason instead) and regions per parameter (conv layers only; with `draw`, exact counts under
 * `control`). \throws LimitReached, Interrupted from the exact counts, as regions_per_parameter. */
FormulaReport formula_report(const Architecture& architecture, const std::string& input_text,
                             const std::optional<ExactDraw>& draw, const RunControl& control);

}  // namespace chamber

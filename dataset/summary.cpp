// rows.csv and summary.md of a dataset.
#include "arrangement/number.hpp"
#include "dataset/store.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

namespace chamber::dataset {

namespace {

/*! one CSV cell: empty for null, a string as it is, anything else as JSON; quoted when needed. */
std::string csv_cell(const nlohmann::json& value) {
  if (value.is_null()) return "";
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

/*! returns a row value as summary text: "-" for null, a string as it is, anything else as JSON. */
std::string cell_text(const nlohmann::json& value) {
  return value.is_null() ? "-" : value.is_string() ? value.get<std::string>() : value.dump();
}

/*! a markdown summary of an arrangement dataset: counts, χ, the published count. */
std::string arrangement_summary(const std::vector<Row>& rows) {
  std::ostringstream out;
  out << "# Dataset summary\n\nRegions by enumeration (with the certificate named in rows.jsonl) and by Zaslavsky's "
         "theorem |χ(−1)|, which agree on every row (method `zaslavsky`: above max_enumerated_regions, χ alone).\n\n";
  out << "| id | label | n | hyperplanes | regions | bounded | published | method | χ(t), highest degree first |\n";
  out << "|---|---|---:|---:|---:|---:|---:|---|---|\n";
  for (const Row& row : rows) {
    std::string chi;
    for (const auto& c : row["characteristic_polynomial"]) chi += (chi.empty() ? "" : ", ") + cell_text(c);
    out << "| " << cell_text(row["id"]) << " | " << cell_text(row["label"]) << " | "
        << row["dimension"].dump() << " | " << row["hyperplanes"].dump() << " | " << cell_text(row["regions"]) << " | "
        << cell_text(row["bounded_regions"]) << " | " << cell_text(row["published_regions"]) << " | "
        << cell_text(row["method"]) << " | " << chi << " |\n";
  }
  return out.str();
}

}  // namespace

std::string to_csv(const std::vector<Row>& rows) {
  std::string out;
  if (rows.empty()) return out;
  bool first = true;
  for (const auto& [key, value] : rows[0].items()) {
    if (!first) out += ',';
    out += key;
    first = false;
  }
  out += '\n';
  for (const Row& row : rows) {
    first = true;
    for (const auto& [key, value] : row.items()) {
      if (!first) out += ',';
      out += csv_cell(value);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string to_summary(const std::vector<Row>& rows, const Spec& spec) {
  if (rows.front()["source"] == "arrangement") return arrangement_summary(rows);
  std::ostringstream out;
  out << "# Dataset summary\n\nExact linear regions beside the closed forms that apply (`-`: not defined for this "
         "architecture). A row's certificate (rows.jsonl `certificate`; null where the spec's certificate policy keeps "
         "none) proves its count. Method `enumeration+zaslavsky`: enumerated, and equal to Zaslavsky's |χ(−1)|; "
         "`zaslavsky`: one layer above the enumeration budget, |χ(−1)| alone (χ from the intersection lattice, or from "
         "the sweep beyond max_flats).\n\n";
  // The largest sampling budget gets a column.
  std::string sampled_key;
  std::uint64_t budget = 0;
  for (const auto& [key, value] : rows.front().items())
    if (key.rfind("sampled_", 0) == 0 && std::stoull(key.substr(8)) > budget) {
      budget = std::stoull(key.substr(8));
      sampled_key = key;
    }
  out << "| id | architecture | weights | seed | regions | method | eq. (4) | Theorem 1 | Thm 5 (8)..(9) | "
      << (sampled_key.empty() ? std::string("sampled") : "sampled (" + std::to_string(budget) + " inputs)")
      << " | verdict |\n";
  out << "|---|---|---|---|---:|---|---:|---:|---|---:|---|\n";
  std::map<std::string, std::vector<const Row*>> failures;
  for (const Row& row : rows) {
    out << "| " << cell_text(row["id"]) << " | " << cell_text(row["architecture"]) << " | "
        << cell_text(row["weights"]) << " | " << cell_text(row["seed"])
        << " | " << cell_text(row["regions"]) << " | " << cell_text(row["method"]) << " | "
        << cell_text(row["eq4"]) << " | " << cell_text(row["theorem1"]) << " | "
        << (row["theorem5_lower"].is_null() ? "-" : cell_text(row["theorem5_lower"]) + ".." + cell_text(row["theorem5_upper"]))
        << " | " << (sampled_key.empty() ? "-" : cell_text(row[sampled_key])) << " | "
        << cell_text(row["verdict"]) << " |\n";
    if (!row["eq4"].is_null() && !row["regions"].is_null() &&
        Integer(cell_text(row["eq4"])) != Integer(cell_text(row["regions"])))
      failures[cell_text(row["architecture"])].push_back(&row);
  }
  // Uncounted rows and one-conv-layer rows whose eq. (4) is beyond its evaluation cap (theorem1 is set, eq4 is not;
  // montufar_lower marks one linear layer), each grouped by architecture.
  std::map<std::string, std::vector<std::string>> uncounted, eq4_beyond_cap;
  std::size_t uncounted_rows = 0, eq4_beyond_cap_rows = 0;
  for (const Row& row : rows) {
    if (row["regions"].is_null()) {
      uncounted[cell_text(row["architecture"])].push_back(cell_text(row["id"]));
      ++uncounted_rows;
    } else if (row["eq4"].is_null() && !row["theorem1"].is_null() && row["montufar_lower"].is_null()) {
      eq4_beyond_cap[cell_text(row["architecture"])].push_back(cell_text(row["id"]));
      ++eq4_beyond_cap_rows;
    }
  }
  // Without a certificate, why: the spec keeps none, or the count is above the enumeration limit of its row.
  const std::uint64_t certified_limit =
      spec.certificates == Spec::Certificates::eq4_failures
          ? std::max(spec.max_enumerated_regions,
                     spec.max_certified_regions ? spec.max_certified_regions : spec.max_enumerated_regions)
          : spec.max_enumerated_regions;
  const char* certified_budget =
      spec.certificates == Spec::Certificates::eq4_failures && spec.max_certified_regions > spec.max_enumerated_regions
          ? "max_certified_regions"
          : "max_enumerated_regions";
  auto without_certificate = [&](const Row& row) {
    std::string why = spec.certificates == Spec::Certificates::none
                          ? std::string("no certificate: the spec keeps none")
                          : "no certificate: " + cell_text(row["regions"]) + " regions > " + certified_budget + " = " +
                                std::to_string(certified_limit);
    if (cell_text(row["method"]) == "zaslavsky") why += "; the count is Zaslavsky's |χ(−1)| alone";
    const std::string verdict = cell_text(row["verdict"]);
    if (verdict == "fails-structural")
      why += "; eq. (4) − 1 bounds every weight choice by a dependency among neurons with t ∈ K_N, verified by "
             "expansion (README, \"The verdict on eq. (4)\")";
    else
      why += "; verdict " + verdict + ": neither a certificate nor a verified dependency";
    return why;
  };
  // Per architecture: eq. (4) holds when every counted row equals it.
  std::set<std::string> compared;
  std::size_t compared_rows = 0;
  for (const Row& row : rows)
    if (!row["eq4"].is_null() && !row["regions"].is_null()) {
      compared.insert(cell_text(row["architecture"]));
      ++compared_rows;
    }
  if (!compared.empty())
    out << "\neq. (4) applies to " << compared.size() << " architectures here (" << compared_rows
        << " counted rows): it equals the exact count on every row of " << compared.size() - failures.size()
        << " of them and fails on " << failures.size() << ".\n";
  out << "\n## Where eq. (4) fails\n\n";
  if (failures.empty()) out << "Nowhere in this dataset: every exact count equals eq. (4).\n";
  for (const auto& [architecture, list] : failures) {
    out << "- **" << architecture << "**:";
    for (const Row* row : list) {
      out << " " << cell_text((*row)["id"]) << " (" << cell_text((*row)["regions"]) << " < "
          << cell_text((*row)["eq4"]) << ", ";
      if ((*row)["certificate"].is_null())
        out << cell_text((*row)["verdict"]) << "; " << without_certificate(*row) << ")";
      else
        out << cell_text((*row)["verdict"]) << ", certificate " << cell_text((*row)["certificate"]) << ")";
    }
    out << "\n";
  }
  if (!eq4_beyond_cap.empty()) {
    out << "\n## eq. (4) not evaluated\n\n" << eq4_beyond_cap_rows << " counted rows of " << eq4_beyond_cap.size()
        << " one-conv-layer architectures have no eq. (4): its sum over K_N needs more max-flow work than its cap "
           "(cnn/formulas.hpp, max_eq4_flow_work), so their counts stand without the comparison and the verdict:\n\n";
    for (const auto& [architecture, ids] : eq4_beyond_cap) {
      out << "- **" << architecture << "**:";
      for (const std::string& id : ids) out << " " << id;
      out << "\n";
    }
  }
  if (!uncounted.empty()) {
    out << "\n## Not counted (over max_flats, max_sweep_states and max_enumerated_regions)\n\n" << uncounted_rows
        << " networks of " << uncounted.size()
        << " architectures have no exact count in this dataset (method `over-limit`), so whether eq. (4) holds for "
           "them is not decided here. A one-layer network gets none when χ of its arrangement needs more than "
           "max_flats = "
        << spec.max_flats << " flats of the intersection lattice (per independent block) and more than "
        << "max_sweep_states = " << spec.max_sweep_states
        << " states of the sweep, and it has more than max_enumerated_regions = " << spec.max_enumerated_regions
        << " regions (enumeration stopped there"
        << (spec.max_flats >= spec.max_enumerated_regions
                ? ", or was not started: an arrangement has at least as many regions as flats"
                : "")
        << "); a deeper network when it has more than max_enumerated_regions regions.\n\n";
    for (const auto& [architecture, ids] : uncounted) {
      out << "- **" << architecture << "**:";
      for (const std::string& id : ids) out << " " << id;
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace chamber::dataset

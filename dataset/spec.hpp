// Dataset specs (data/SCHEMA.md): the sweep of networks or arrangements a `chamber dataset` run computes.
#pragma once

#include "cnn/architecture.hpp"
#include "cnn/linear_regions.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chamber::dataset {

/*! one network of the sweep. */
struct Instance {
  std::size_t index = 0;
  std::string id;       // index prefix and base_id: "0003-file_net"
  std::string base_id;  // from the architecture or the file name, or the "id" of a dataset's own spec copy
  // Random networks: an architecture, a weight distribution and a seed.
  std::optional<ArchitectureText> architecture;
  std::string weights;
  std::uint64_t seed = 0;
  // Network files (path as resolved, and as written in the spec).
  std::string file, file_in_spec;
  // Arrangement files (.arr), with a label and the published number of regions when known.
  bool arrangement = false;
  std::string label;
  std::optional<std::string> published_regions;
};

struct Spec {
  nlohmann::json json;  // as read

  /*! returns the copy of the spec a dataset keeps (DIR/spec.json and its manifest): every file entry names the copy of
   * the file inside the dataset directory, with the instance's "id" and the "source" path it was read from, so that
   * `chamber dataset DIR/spec.json` reruns the dataset from there, whatever directory DIR is. */
  nlohmann::json json_for_dataset() const;
  std::vector<Instance> instances;
  std::optional<Box> box;
  std::string box_text;
  std::vector<std::uint64_t> samples;
  double sigma = 3;
  std::uint64_t sample_seed = 1;
  std::uint64_t prop2_budget = 200000;
  /*! which networks get a certificate: all, none, or only those whose exact count differs from eq. (4). */
  enum class Certificates { all, none, eq4_failures } certificates = Certificates::all;
  std::uint64_t max_enumerated_regions = 100000;
  std::uint64_t max_flats = 1000000;
  std::uint64_t max_sweep_states = 2000000;
  std::uint64_t max_certified_regions = 0;  // 0: max_enumerated_regions
};

/*! reads and checks the spec at `path`; every error names the spec file and the field. \throws InputError. */
Spec read_spec(const std::string& path);

/*! returns why `row` (a line of rows.jsonl) is not a row `chamber dataset` wrote, naming the field ("" when it is
 * one): the fields the readers use must have their types (data/SCHEMA.md). */
std::string dataset_row_problem(const nlohmann::ordered_json& row);

}  // namespace chamber::dataset

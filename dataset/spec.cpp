#include "dataset/spec.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "cnn/random_network.hpp"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace chamber::dataset {

namespace fs = std::filesystem;

namespace {

/*! a file-name-safe version of `text`: letters, digits, '.', '-' and '_' kept, anything else '-'. */
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_') ? c : '-';
  return out;
}

}  // namespace

/*! reads and checks a spec; every error names the spec file and the field. */
Spec read_spec(const std::string& path) {
  Spec spec;
  spec.json = parse_json_text(read_file(path), path);
  const nlohmann::json& j = spec.json;
  auto fail = [&](const std::string& field, const std::string& why) { throw InputError(path + ": " + field + ": " + why); };
  if (!j.is_object()) fail("(top level)", "expected an object");
  static const std::set<std::string> known = {"format",  "version", "architectures", "seeds",        "weights",
                                              "networks", "box",    "samples",       "sigma",        "sample_seed",
                                              "prop2_budget", "certificates", "description",
                                              "max_enumerated_regions", "arrangements", "max_flats",
                                              "max_sweep_states", "max_certified_regions"};
  for (const auto& [key, value] : j.items())
    if (!known.count(key)) fail(key, "unknown field");
  if (!j.contains("format") || j["format"] != "chamber-dataset-spec") fail("format", "expected \"chamber-dataset-spec\"");
  if (!j.contains("version") || j["version"] != 1) fail("version", "expected 1");
  auto sizes = [&](const char* key) {
    std::vector<std::uint64_t> values;
    if (!j.contains(key)) return values;
    if (!j[key].is_array()) fail(key, "expected an array of non-negative integers");
    for (std::size_t i = 0; i < j[key].size(); ++i) {
      if (!j[key][i].is_number_unsigned()) fail(std::string(key) + "[" + std::to_string(i) + "]", "expected a non-negative integer");
      values.push_back(j[key][i].get<std::uint64_t>());
    }
    return values;
  };
  const std::vector<std::uint64_t> seeds = sizes("seeds");
  spec.samples = sizes("samples");
  for (std::uint64_t s : spec.samples)
    if (s == 0 || s > 100000000) fail("samples", "each budget must be between 1 and 10^8");
  std::vector<std::string> weights;
  if (j.contains("weights")) {
    if (!j["weights"].is_array()) fail("weights", "expected an array of distributions (\"int:LO:HI\" or \"he:BITS\")");
    for (std::size_t i = 0; i < j["weights"].size(); ++i) {
      const std::string field = "weights[" + std::to_string(i) + "]";
      if (!j["weights"][i].is_string()) fail(field, "expected a string");
      try {
        parse_weight_distribution(j["weights"][i].get<std::string>());
      } catch (const InputError& e) {
        fail(field, e.what());
      }
      weights.push_back(j["weights"][i].get<std::string>());
    }
  }
  if (j.contains("architectures")) {
    const nlohmann::json& list = j["architectures"];
    if (!list.is_array()) fail("architectures", "expected an array");
    if (!list.empty() && (seeds.empty() || weights.empty()))
      fail("architectures", "random networks need \"seeds\" and \"weights\" too");
    for (std::size_t a = 0; a < list.size(); ++a) {
      const std::string field = "architectures[" + std::to_string(a) + "]";
      const nlohmann::json& entry = list[a];
      if (!entry.is_object()) fail(field, "expected an object {\"input\": \"CxHxW\", \"conv\": [...], \"linear\": [...]}");
      for (const auto& [key, value] : entry.items())
        if (key != "input" && key != "conv" && key != "linear") fail(field + "." + key, "unknown field");
      ArchitectureText options;
      if (!entry.contains("input") || !entry["input"].is_string()) fail(field + ".input", "expected \"CxHxW\"");
      options.input = entry["input"].get<std::string>();
      for (const char* key : {"conv", "linear"}) {
        if (!entry.contains(key)) continue;
        if (!entry[key].is_array()) fail(field + "." + key, "expected an array of strings");
        for (const nlohmann::json& v : entry[key]) {
          if (!v.is_string()) fail(field + "." + key, "expected an array of strings");
          (std::string(key) == "conv" ? options.conv : options.linear).push_back(v.get<std::string>());
        }
      }
      try {
        parse_architecture(options);
      } catch (const InputError& e) {
        fail(field, e.what());
      }
      for (const std::string& w : weights)
        for (std::uint64_t seed : seeds) {
          Instance instance;
          instance.architecture = options;
          instance.weights = w;
          instance.seed = seed;
          instance.index = spec.instances.size();
          instance.base_id = slug(to_string(options) + "_" + w + "_s" + std::to_string(seed));
          spec.instances.push_back(std::move(instance));
        }
    }
  }
  // A file entry: its path relative to the spec; a dataset's own copy of the spec (DIR/spec.json) names the copy in DIR
  // instead, with the instance's "id" and the "source" path of the spec it came from, so that it reruns from there.
  auto read_file_entry = [&](const nlohmann::json& entry, const std::string& field, Instance& instance) {
    const nlohmann::json& file_value = entry.is_object() && entry.contains("file") ? entry["file"] : entry;
    const std::string file_field = entry.is_object() ? field + ".file" : field;
    if (!file_value.is_string()) fail(file_field, "expected a path");
    for (const char* key : {"id", "source"})
      if (entry.is_object() && entry.contains(key) && !entry[key].is_string()) fail(field + "." + key, "expected a string");
    const std::string file_text = file_value.get<std::string>();
    const fs::path file = fs::path(path).parent_path() / file_text;
    if (std::error_code error; !fs::is_regular_file(file, error)) fail(file_field, "no such file: " + quote_prefix(file.string()));
    instance.file = file.string();
    instance.file_in_spec = entry.is_object() && entry.contains("source") ? entry["source"].get<std::string>() : file_text;
    if (entry.is_object() && entry.contains("id")) instance.base_id = slug(entry["id"].get<std::string>());
  };
  if (j.contains("networks")) {
    if (!j["networks"].is_array()) fail("networks", "expected an array of network file paths (relative to the spec)");
    for (std::size_t i = 0; i < j["networks"].size(); ++i) {
      const std::string field = "networks[" + std::to_string(i) + "]";
      const nlohmann::json& entry = j["networks"][i];
      if (!entry.is_string() && !entry.is_object()) fail(field, "expected a path");
      if (entry.is_object())
        for (const auto& [key, value] : entry.items())
          if (key != "file" && key != "id" && key != "source") fail(field + "." + key, "unknown field");
      Instance instance;
      read_file_entry(entry, field, instance);
      instance.index = spec.instances.size();
      if (instance.base_id.empty()) instance.base_id = slug("file_" + fs::path(instance.file_in_spec).stem().string());
      spec.instances.push_back(std::move(instance));
    }
  }
  if (j.contains("arrangements")) {
    if (!spec.instances.empty()) fail("arrangements", "a dataset holds networks or arrangements, not both");
    if (!j["arrangements"].is_array()) fail("arrangements", "expected an array of {\"file\", \"label\", \"published_regions\"}");
    for (std::size_t i = 0; i < j["arrangements"].size(); ++i) {
      const std::string field = "arrangements[" + std::to_string(i) + "]";
      const nlohmann::json& entry = j["arrangements"][i];
      if (!entry.is_object() || !entry.contains("file"))
        fail(field, "expected {\"file\": \"path.arr\", \"label\": \"...\", \"published_regions\": \"N\"}");
      for (const auto& [key, value] : entry.items())
        if (key != "file" && key != "label" && key != "published_regions" && key != "id" && key != "source")
          fail(field + "." + key, "unknown field");
      Instance instance;
      instance.arrangement = true;
      read_file_entry(entry, field, instance);
      if (entry.contains("label") && !entry["label"].is_string()) fail(field + ".label", "expected a string");
      instance.label = entry.value("label", fs::path(instance.file_in_spec).stem().string());
      if (entry.contains("published_regions")) {
        const nlohmann::json& published = entry["published_regions"];
        const std::string text = published.is_string() ? published.get<std::string>()
                                 : published.is_number_unsigned() ? published.dump() : std::string();
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
          fail(field + ".published_regions", "expected a non-negative integer");
        instance.published_regions = text;
      }
      instance.index = spec.instances.size();
      if (instance.base_id.empty()) instance.base_id = slug(fs::path(instance.file_in_spec).stem().string());
      spec.instances.push_back(std::move(instance));
    }
  }
  if (spec.instances.empty())
    fail("(top level)", "no instances: give architectures (with seeds and weights), networks or arrangements");
  // Ids carry their index, so equal descriptions (a seed listed twice) stay apart.
  for (Instance& instance : spec.instances) {
    char prefix[16];
    std::snprintf(prefix, sizeof prefix, "%04zu-", instance.index);
    instance.id = prefix + instance.base_id;
  }
  if (j.contains("box")) {
    if (!j["box"].is_string()) fail("box", "expected \"LO,HI\"");
    spec.box_text = j["box"].get<std::string>();
    spec.box = parse_box(spec.box_text, path + ": box");
  }
  if (j.contains("sigma")) {
    if (!j["sigma"].is_number() || !(j["sigma"].get<double>() > 0)) fail("sigma", "expected a positive number");
    spec.sigma = j["sigma"].get<double>();
  }
  // Counts and budgets: `positive` ones must be at least 1.
  auto read_count = [&](const char* key, std::uint64_t& target, bool positive) {
    if (!j.contains(key)) return;
    if (!j[key].is_number_unsigned() || (positive && j[key].get<std::uint64_t>() == 0))
      fail(key, positive ? "expected a positive integer" : "expected a non-negative integer");
    target = j[key].get<std::uint64_t>();
  };
  read_count("sample_seed", spec.sample_seed, false);
  read_count("prop2_budget", spec.prop2_budget, false);
  read_count("max_enumerated_regions", spec.max_enumerated_regions, true);
  read_count("max_flats", spec.max_flats, true);
  read_count("max_sweep_states", spec.max_sweep_states, true);
  read_count("max_certified_regions", spec.max_certified_regions, true);
  if (j.contains("certificates")) {
    const nlohmann::json& c = j["certificates"];
    if (c == true) spec.certificates = Spec::Certificates::all;
    else if (c == false) spec.certificates = Spec::Certificates::none;
    else if (c == "eq4-failures") spec.certificates = Spec::Certificates::eq4_failures;
    else fail("certificates", "expected true, false or \"eq4-failures\"");
  }
  return spec;
}
nlohmann::json Spec::json_for_dataset() const {
  nlohmann::json copy = json;
  std::size_t next = 0;
  for (const char* key : {"networks", "arrangements"}) {
    if (!copy.contains(key)) continue;
    for (nlohmann::json& entry : copy[key]) {
      while (instances[next].file.empty()) ++next;  // architectures come first; then one instance per file entry
      const Instance& instance = instances[next++];
      nlohmann::json rewritten = entry.is_object() ? entry : nlohmann::json::object();
      rewritten["file"] = (instance.arrangement ? "arrangements/" + instance.id + ".arr" : "networks/" + instance.id + ".json");
      rewritten["id"] = instance.base_id;
      rewritten["source"] = instance.file_in_spec;
      entry = std::move(rewritten);
    }
  }
  return copy;
}

/*! returns why `row` is not a row this program wrote (a field it reads has the wrong type), or "" when it is one. */
std::string dataset_row_problem(const nlohmann::ordered_json& row) {
  if (!row.is_object()) return "not a JSON object";
  auto is_count = [](const nlohmann::ordered_json& v) {
    return v.is_number_unsigned() || (v.is_string() && !v.get_ref<const std::string&>().empty() &&
                                      v.get_ref<const std::string&>().find_first_not_of("0123456789") == std::string::npos);
  };
  if (!row.contains("index") || !row["index"].is_number_unsigned()) return "index: expected a non-negative integer";
  const bool is_network = row.contains("network");
  for (const char* key : {"id", is_network ? "architecture" : "label", "method"})
    if (!row.contains(key) || !row[key].is_string()) return std::string(key) + ": expected a string";
  const char* input = is_network ? "network" : "arrangement";
  const std::string input_hash = std::string(input) + "_sha256";
  if (!row.contains(input) || !row[input].is_string()) return std::string(input) + ": expected a path";
  if (!row.contains(input_hash) || !row[input_hash].is_string()) return input_hash + ": expected a string";
  for (const char* key : {"certificate", "certificate_sha256", "verdict"})
    if (row.contains(key) && !row[key].is_null() && !row[key].is_string())
      return std::string(key) + ": expected a string or null";
  for (const char* key : {"regions", "eq4"})
    if (row.contains(key) && !row[key].is_null() && !is_count(row[key]))
      return std::string(key) + ": expected a non-negative integer or null";
  if (!row.contains("certificate") || !row.contains("regions")) return "certificate, regions: missing";
  for (const auto& [key, value] : row.items())
    if (key.rfind("sampled_", 0) == 0 &&
        (key.size() == 8 || key.size() > 17 || key.find_first_not_of("0123456789", 8) != std::string::npos ||
         (!value.is_null() && !is_count(value))))
      return key + ": expected sampled_BUDGET with a non-negative integer or null";
  return {};
}

}  // namespace chamber::dataset

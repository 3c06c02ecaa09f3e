#include "mpi/subtree_messages.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/shards.hpp"

namespace chamber::mpi {

namespace {

using nlohmann::json;

json integers(const IntegerVector& values) {
  json out = json::array();
  for (const Integer& v : values) out.push_back(v.get_str());
  return out;
}

IntegerVector integers_from(const json& values) {
  IntegerVector out;
  out.reserve(values.size());
  for (const json& v : values) out.emplace_back(v.get<std::string>());
  return out;
}

json stats_json(const EnumerationStats& stats) {
  return {stats.regions, stats.lp_solves, stats.lp_infeasible, stats.perturbations, stats.lp_skipped, stats.lp_reused};
}

EnumerationStats stats_from(const json& values) {
  EnumerationStats stats;
  stats.regions = values.at(0);
  stats.lp_solves = values.at(1);
  stats.lp_infeasible = values.at(2);
  stats.perturbations = values.at(3);
  stats.lp_skipped = values.at(4);
  stats.lp_reused = values.at(5);
  return stats;
}

}  // namespace

json batch_json(std::uint64_t id, const Arrangement& arrangement, const JobOptions& options) {
  json rows = json::array();
  for (const Hyperplane& h : arrangement.hyperplanes()) rows.push_back(integers(h.coefficients));
  return {{"id", id},
          {"dimension", arrangement.dimension()},
          {"rows", std::move(rows)},
          {"budget", options.budget},
          {"shard_dir", options.shard_dir},
          {"keep_farkas", options.keep_farkas},
          {"exact_lp", options.exact_lp}};
}

Batch batch_from_json(const json& message) {
  try {
    Batch batch;
    batch.id = message.at("id");
    std::vector<Hyperplane> rows;
    for (const json& row : message.at("rows")) rows.push_back(Hyperplane{integers_from(row)});
    MergeReport merge;
    batch.arrangement = Arrangement(message.at("dimension"), rows, &merge);
    // The rows are an arrangement's already: merged again they must stay as they are, or the indices would move.
    if (batch.arrangement.size() != rows.size())
      throw InternalError("chamber-mpi: a batch's arrangement merged rows on arrival");
    batch.options.budget = message.at("budget");
    batch.options.shard_dir = message.at("shard_dir").get<std::string>();
    batch.options.keep_farkas = message.at("keep_farkas");
    batch.options.exact_lp = message.at("exact_lp");
    return batch;
  } catch (const json::exception& e) {
    throw InternalError(std::string("chamber-mpi: malformed batch message: ") + e.what());
  }
}

json job_json(const FrontierJob& job) { return job_to_json(job); }

FrontierJob job_from_json(const json& message) {
  try {
    return chamber::job_from_json(message);
  } catch (const json::exception& e) {
    throw InternalError(std::string("chamber-mpi: malformed job message: ") + e.what());
  }
}

json result_json(const SubtreeResult& result) {
  json leaves = json::array();
  for (const FrontierJob& leaf : result.leaves) leaves.push_back(job_json(leaf));
  json children = json::array();
  for (const FrontierJob& child : result.children) children.push_back(job_json(child));
  json farkas = json::array();
  for (const FarkasCertificate& entry : result.farkas) {
    json conditions = json::array();
    for (const SignCondition& c : entry.conditions) conditions.push_back({c.hyperplane, c.sign});
    farkas.push_back({{"conditions", std::move(conditions)}, {"multipliers", integers(entry.multipliers)}});
  }
  json shard = nullptr;
  if (result.shard)
    shard = {{"name", result.shard->name},     {"depth", result.shard->depth},       {"regions", result.shard->regions},
             {"farkas", result.shard->farkas}, {"bytes", result.shard->bytes},       {"children", result.shard->children},
             {"lp_solves", result.shard->lp_solves}, {"sha256", result.shard->sha256}};
  return {{"shard", std::move(shard)},
          {"leaves", std::move(leaves)},
          {"children", std::move(children)},
          {"farkas", std::move(farkas)},
          {"nodes", result.nodes},
          {"stats", stats_json(result.stats)},
          {"solves", result.solves},
          {"counters", {result.counters.float_witness, result.counters.float_farkas, result.counters.exact}}};
}

SubtreeResult result_from_json(const json& message) {
  try {
    SubtreeResult result;
    for (const json& leaf : message.at("leaves")) result.leaves.push_back(job_from_json(leaf));
    for (const json& child : message.at("children")) result.children.push_back(job_from_json(child));
    for (const json& entry : message.at("farkas")) {
      FarkasCertificate certificate;
      for (const json& c : entry.at("conditions")) certificate.conditions.push_back({c.at(0), c.at(1)});
      certificate.multipliers = integers_from(entry.at("multipliers"));
      result.farkas.push_back(std::move(certificate));
    }
    result.stats = stats_from(message.at("stats"));
    result.solves = message.at("solves");
    result.nodes = message.at("nodes");
    if (const json& shard = message.at("shard"); !shard.is_null())
      result.shard = ShardInfo{shard.at("name"),  shard.at("depth"),    shard.at("regions"), shard.at("farkas"),
                               shard.at("bytes"), shard.at("children"), shard.at("lp_solves"), shard.at("sha256")};
    const json& counters = message.at("counters");
    result.counters.float_witness = counters.at(0);
    result.counters.float_farkas = counters.at(1);
    result.counters.exact = counters.at(2);
    return result;
  } catch (const json::exception& e) {
    throw InternalError(std::string("chamber-mpi: malformed result message: ") + e.what());
  }
}

}  // namespace chamber::mpi

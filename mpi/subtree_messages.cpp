#include "mpi/subtree_messages.hpp"

#include "arrangement/errors.hpp"

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
          {"count_only", options.count_only},
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
    batch.options.count_only = message.at("count_only");
    batch.options.exact_lp = message.at("exact_lp");
    return batch;
  } catch (const json::exception& e) {
    throw InternalError(std::string("chamber-mpi: malformed batch message: ") + e.what());
  }
}

}  // namespace chamber::mpi

// The sharded form of an "arrangement" certificate (docs/certificate.md, "Sharded certificates").
#pragma once

#include "verify/arrangement_certificate.hpp"
#include "verify/certificate_check.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chamber::verify {

/// A shard as the manifest describes it, with its place in the one list of regions and of entries.
struct PlannedShard {
  std::string name;
  std::size_t depth = 0, children = 0, regions = 0, farkas = 0;
  std::size_t region_offset = 0, farkas_offset = 0;
  std::vector<std::size_t> ancestors;  // indices of its ancestors, the root first
};

/// The manifest's tree, checked (names in order, parents before children, every child listed, depths growing).
struct ShardPlan {
  nlohmann::json manifest;
  std::filesystem::path dir;
  std::vector<PlannedShard> shards;
  std::size_t regions = 0, farkas = 0;  // as declared
};

/*! checks the manifest's tree. \throws CheckFailure naming the shard at fault. */
ShardPlan plan_shards(const std::string& manifest_path, const nlohmann::json& manifest);

/// What stage 1 found in one shard: its entries and regions checked alone (pairs renumbered into the one list), or why
/// it is invalid.
struct ShardDigest {
  std::optional<std::string> failure;
  std::vector<ArrangementChecker::CheckedFarkas> farkas;
  std::vector<ArrangementChecker::CheckedRegion> regions;
};

/*! stage 1 of shard `s`: its file (sha256, header, counts) and every region and entry checked alone with `alone` (a
 * checker of the same arrangement, one per thread). Never throws a CheckFailure: it goes into the digest. */
ShardDigest digest_shard(const ShardPlan& plan, std::size_t s, ArrangementChecker& alone);

/*! runs stage 1 elsewhere (chamber-mpi's ranks). */
class ShardCheckExecutor {
 public:
  virtual ~ShardCheckExecutor() = default;
  /*! digests shards 0..count-1 of the manifest at `manifest_path` and calls done(s, digest) for s = 0, 1, ... in order
   * on the calling thread. \throws what done threw, after every shard in flight came back. */
  virtual void run(const std::string& manifest_path, std::size_t count,
                   const std::function<void(std::size_t, ShardDigest&&)>& done) = 0;
};

/*! installs the executor of stage 1 (nullptr: this process's threads, set_shard_check_threads, default 1). */
void set_shard_check_executor(ShardCheckExecutor* executor);
void set_shard_check_threads(unsigned threads);

/*! checks the sharded certificate whose manifest (at `manifest_path`, parsed as `manifest`, format and kind already
 * read) lists its shards and completion file beside it: checks 1-5 of the single-file form, and every file's sha256,
 * order and parent: stage 1 (shard by shard, digest_shard) on the executor or the threads, stage 2 (the checks that
 * need every region) here in name order. Fills the sizes in `report`. \throws CheckFailure naming the shard, line, region or entry. */
void check_sharded_arrangement(const std::string& manifest_path, const nlohmann::json& manifest,
                               const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                               CheckReport& report);

}  // namespace chamber::verify

// The sharded form of an "arrangement" certificate (docs/certificate.md, "Sharded certificates"): a manifest, one gzip
// JSON Lines shard per job of the search, and a completion file. Read shard after shard in name order (tree order):
// every file must have the sha256 the manifest gives, every shard's parent must come before it, and a blocked pair's
// entry is found by the rule of the format (the shard itself for hyperplanes at or beyond its depth, else its nearest
// ancestor whose depth is at most the hyperplane), then numbered as one list, so ArrangementChecker runs the checks of
// the single-file form. Memory: the sign vectors and entries ArrangementChecker keeps, plus one shard's text.
#include "verify/arrangement_certificate.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"
#include "verify/sha256.hpp"
#include "verify/sharded_certificate.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace chamber::verify {

namespace {

using nlohmann::json;

/*! the name of child `index` of shard `parent`. */
std::string child_name(const std::string& parent, std::size_t index) {
  std::string digits = std::to_string(index);
  return parent + "-" + std::string(6 - std::min<std::size_t>(6, digits.size()), '0') + digits;
}

/*! whether `name` is "r" followed by "-" and six digits per level. */
bool valid_name(const std::string& name) {
  if (name.empty() || name[0] != 'r' || (name.size() - 1) % 7 != 0) return false;
  for (std::size_t at = 1; at < name.size(); at += 7) {
    if (name[at] != '-') return false;
    for (std::size_t d = 1; d <= 6; ++d)
      if (name[at + d] < '0' || name[at + d] > '9') return false;
  }
  return true;
}

/*! the file `entry` names in `dir`, read whole and checked against its sha256; `what` names it in reasons. */
std::string read_listed_file(const std::filesystem::path& dir, const json& entry, const std::string& expected_file,
                             const std::string& what) {
  const json& file = member(entry, "file", what);
  if (!file.is_string() || file.get<std::string>() != expected_file)
    fail(what + ".file: expected \"" + expected_file + "\", found " + describe(file));
  const json& hash = member(entry, "sha256", what);
  if (!hash.is_string() || hash.get<std::string>().size() != 64) fail(what + ".sha256: not 64 hex digits");
  // The size first: a file is read whole only when it is as long as the manifest says, and at most 1 GiB (one job's
  // shard is far smaller; the completion file of a billion-region run would need splitting).
  const json& declared = member(entry, "bytes", what);
  const std::optional<std::uint64_t> size = json_natural(declared);
  constexpr std::uint64_t max_file_bytes = std::uint64_t{1} << 30;
  if (!size || *size > max_file_bytes)
    fail(what + ".bytes: expected a size of at most 1 GiB, found " + describe(declared));
  std::error_code error;
  const std::uintmax_t actual = std::filesystem::file_size(dir / expected_file, error);
  if (error) fail(what + ": file " + expected_file + " is missing");
  if (actual != *size)
    fail(what + ": file " + expected_file + " has " + std::to_string(actual) + " bytes, the manifest says " +
         std::to_string(*size) + " (changed or truncated)");
  std::ifstream in(dir / expected_file, std::ios::binary);
  if (!in) fail(what + ": file " + expected_file + " is missing");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(what + ": file " + expected_file + " cannot be read");
  if (sha256_hex(bytes) != hash.get<std::string>())
    fail(what + ": file " + expected_file + " does not have the sha256 the manifest gives (changed or truncated)");
  try {
    return inflate_if_gzip(std::move(bytes));
  } catch (const std::exception& e) {
    fail(what + ": file " + expected_file + ": " + e.what());
  }
}

/*! the lines of a shard's text, parsed one at a time under the checker's caps. */
class Lines {
 public:
  Lines(const std::string& text, std::string what) : text_(text), what_(std::move(what)) {}
  /*! the next non-empty line, or false at the end; `path` names it in reasons. */
  bool next(json& out, std::string& path) {
    while (at_ < text_.size()) {
      std::size_t end = text_.find('\n', at_);
      if (end == std::string::npos) end = text_.size();
      std::string line = text_.substr(at_, end - at_);
      at_ = end + 1;
      ++number_;
      if (line.empty()) continue;
      path = what_ + " line " + std::to_string(number_);
      std::string why;
      std::optional<json> parsed = parse_json_document(line, why);
      if (!parsed) fail(path + ": not JSON: " + why);
      if (!parsed->is_object()) fail(path + ": not a JSON object");
      out = std::move(*parsed);
      return true;
    }
    return false;
  }

 private:
  const std::string& text_;
  std::string what_;
  std::size_t at_ = 0, number_ = 0;
};

/*! runs a check of ArrangementChecker, its reason prefixed with the shard and line it read. */
template <typename Check>
void in_shard(const std::string& line_path, Check&& check) {
  try {
    check();
  } catch (CheckFailure& failure) {
    failure.reason = line_path + ": " + failure.reason;
    throw;
  }
}

std::size_t natural(const json& object, const char* key, const std::string& path) {
  const json& value = member(object, key, path);
  const std::optional<std::uint64_t> number = json_natural(value);
  if (!number || *number > std::numeric_limits<std::uint32_t>::max())
    fail(path + "." + key + ": expected a natural number, found " + describe(value));
  return static_cast<std::size_t>(*number);
}

}  // namespace

ShardPlan plan_shards(const std::string& manifest_path, const json& manifest) {
  ShardPlan plan;
  plan.manifest = manifest;
  plan.dir = std::filesystem::path(manifest_path).parent_path();
  const json& version = member(manifest, "version", "");
  if (const std::optional<std::uint64_t> v = json_natural(version); !v || *v != 1)
    fail("version: expected 1, found " + describe(version));
  const json& shards = require_array(member(manifest, "shards", ""), "shards");
  if (shards.empty()) fail("shards: empty (the root shard \"r\" holds at least the first region)");
  // The tree from the manifest alone: names in order, every parent before its children, every child announced listed.
  std::vector<std::size_t> path;  // indices of the open ancestors
  std::vector<std::size_t> next_child;
  std::size_t regions = 0, farkas = 0;
  auto require_children = [&](std::size_t s) {
    if (next_child[s] < plan.shards[s].children)
      fail("shard " + plan.shards[s].name + ": its child " + child_name(plan.shards[s].name, next_child[s]) +
           " is not listed");
  };
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const std::string what = "shards[" + std::to_string(s) + "]";
    const json& entry = shards[s];
    const json& name_value = member(entry, "name", what);
    if (!name_value.is_string() || !valid_name(name_value.get<std::string>()))
      fail(what + ".name: expected \"r\" and a \"-dddddd\" per level, found " + describe(name_value));
    PlannedShard shard;
    shard.name = name_value.get<std::string>();
    const std::string label = "shard " + shard.name;
    if (s == 0 && shard.name != "r") fail(what + ": the first shard must be the root \"r\", found " + shard.name);
    if (s > 0 && shard.name == plan.shards.back().name) fail(label + " is listed twice");
    if (s > 0 && shard.name < plan.shards.back().name)
      fail(label + " comes after " + plan.shards.back().name + " (shards are listed in name order)");
    shard.depth = natural(entry, "depth", what);
    shard.children = natural(entry, "children", what);
    shard.regions = natural(entry, "regions", what);
    shard.farkas = natural(entry, "farkas", what);
    shard.region_offset = regions;
    shard.farkas_offset = farkas;
    regions += shard.regions;
    farkas += shard.farkas;
    const std::string parent = shard.name.size() > 1 ? shard.name.substr(0, shard.name.size() - 7) : "";
    while (!path.empty() && plan.shards[path.back()].name != parent) {
      require_children(path.back());
      path.pop_back();
    }
    if (shard.name != "r") {
      if (path.empty()) fail(label + ": its parent shard " + parent + " is not listed");
      const std::size_t up = path.back();
      if (next_child[up] >= plan.shards[up].children)
        fail(label + ": shard " + parent + " has " + std::to_string(plan.shards[up].children) +
             " children, this is not one of them");
      if (shard.name != child_name(parent, next_child[up]))
        fail(label + ": the child " + child_name(parent, next_child[up]) + " of " + parent + " is not listed");
      ++next_child[up];
      if (shard.depth <= plan.shards[up].depth) fail(label + ": depth " + std::to_string(shard.depth) +
                                                     " is not below its parent's");
      shard.ancestors = plan.shards[up].ancestors;
      shard.ancestors.push_back(up);
    } else if (shard.depth != 0) {
      fail(label + ": the root's depth must be 0");
    }
    path.push_back(s);
    plan.shards.push_back(std::move(shard));
    next_child.push_back(0);
  }
  for (std::size_t s : path) require_children(s);
  plan.regions = regions;
  plan.farkas = farkas;
  return plan;
}

ShardDigest digest_shard(const ShardPlan& plan, std::size_t s, ArrangementChecker& alone) {
  ShardDigest digest;
  try {
    const PlannedShard& shard = plan.shards.at(s);
    const json& entry = plan.manifest.at("shards").at(s);
    const std::string label = "shard " + shard.name;
    const std::size_t m = alone.hyperplanes();
    if (shard.depth > m) fail(label + ": depth " + std::to_string(shard.depth) + " beyond the hyperplanes");
    const std::string text = read_listed_file(plan.dir, entry, shard.name + ".jsonl.gz", label);
    Lines lines(text, label);
    json line;
    std::string line_path;
    if (!lines.next(line, line_path) || !line.contains("shard")) fail(label + ": the first line must be its header");
    if (line.at("shard") != shard.name) fail(line_path + ": names shard " + describe(line.at("shard")));
    if (natural(line, "depth", line_path) != shard.depth) fail(label + ": depth differs from the manifest's");
    if (natural(line, "children", line_path) != shard.children) fail(label + ": children differ from the manifest's");
    while (lines.next(line, line_path)) {
      if (const auto f = line.find("farkas"); f != line.end()) {
        if (!digest.regions.empty()) fail(line_path + ": a Farkas entry after the regions (entries come first)");
        if (digest.farkas.size() >= shard.farkas) fail(label + ": more Farkas entries than the manifest says");
        const std::size_t number = shard.farkas_offset + digest.farkas.size();
        in_shard(line_path, [&] { digest.farkas.push_back(alone.check_farkas_alone(number, *f)); });
      } else if (const auto r = line.find("region"); r != line.end()) {
        if (digest.regions.size() >= shard.regions) fail(label + ": more regions than the manifest says");
        const std::size_t k = shard.region_offset + digest.regions.size();
        // The pairs renumbered into the one list of entries: [i, f] names entry f of this shard when i is at or beyond
        // its depth, else of the nearest ancestor whose depth is at most i; [i, f, u] entry f of the ancestor u levels
        // up (an entry the job inherited). Malformed pairs are left for check_region_alone to name.
        json copy = *r;
        if (copy.is_object() && copy.contains("blocked") && copy["blocked"].is_array()) {
          for (json& pair : copy["blocked"]) {
            if (!pair.is_array() || pair.size() < 2 || pair.size() > 3) continue;
            const std::optional<std::uint64_t> i = json_natural(pair[0]), f = json_natural(pair[1]);
            const std::optional<std::uint64_t> up = pair.size() == 3 ? json_natural(pair[2]) : std::uint64_t{0};
            if (!i || !f || !up || *i >= m) continue;
            const PlannedShard* owner = &shard;
            if (*up > 0) {
              if (*up > shard.ancestors.size())
                fail(line_path + ": blocked " + pair.dump() + ": shard " + shard.name + " has only " +
                     std::to_string(shard.ancestors.size()) + " ancestors");
              owner = &plan.shards[shard.ancestors[shard.ancestors.size() - *up]];
            } else if (*i < shard.depth) {
              owner = nullptr;
              for (std::size_t a = shard.ancestors.size(); a-- > 0;)
                if (plan.shards[shard.ancestors[a]].depth <= *i) {
                  owner = &plan.shards[shard.ancestors[a]];
                  break;
                }
              if (!owner) fail(line_path + ": blocked " + pair.dump() + ": no shard on the path owns hyperplane " +
                               std::to_string(*i));
            }
            if (*f >= owner->farkas)
              fail(line_path + ": blocked " + pair.dump() + ": shard " + owner->name + " has " +
                   std::to_string(owner->farkas) + " Farkas entries");
            pair = json::array({*i, owner->farkas_offset + *f});
          }
        }
        ArrangementChecker::CheckedRegion region;
        in_shard(line_path, [&] { region = alone.check_region_alone(k, copy); });
        digest.regions.push_back(std::move(region));
      } else {
        fail(line_path + ": expected \"farkas\" or \"region\"");
      }
    }
    if (digest.regions.size() != shard.regions || digest.farkas.size() != shard.farkas)
      fail(label + ": holds " + std::to_string(digest.regions.size()) + " regions and " +
           std::to_string(digest.farkas.size()) + " Farkas entries, the manifest says otherwise");
  } catch (const CheckFailure& failure) {
    digest.failure = failure.reason;
    digest.regions.clear();
    digest.farkas.clear();
  }
  return digest;
}

namespace {

std::atomic<ShardCheckExecutor*> shard_check_executor{nullptr};
std::atomic<unsigned> shard_check_threads{1};

/*! stage 1 on this process's threads, in shard order, handing each digest over as soon as its turn comes. */
void digest_on_threads(const ShardPlan& plan, const json& arrangement, unsigned threads,
                       const std::function<void(std::size_t, ShardDigest&&)>& done) {
  const std::size_t count = plan.shards.size();
  std::vector<std::optional<ShardDigest>> ready(count);
  std::mutex mutex;
  std::condition_variable changed;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::size_t consumed = 0;
  constexpr std::size_t window = 256;  // digests waiting for their turn, at most
  auto work = [&] {
    CheckReport unused;
    ArrangementChecker alone(arrangement, std::nullopt, unused);
    for (std::size_t s; !stop && (s = next.fetch_add(1)) < count;) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || s < consumed + window; });
        if (stop) return;
      }
      ShardDigest digest = digest_shard(plan, s, alone);
      std::lock_guard<std::mutex> lock(mutex);
      ready[s] = std::move(digest);
      changed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < std::max(1u, threads); ++t) workers.emplace_back(work);
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (std::thread& worker : workers) worker.join();
  };
  try {
    for (std::size_t s = 0; s < count; ++s) {
      ShardDigest digest;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return ready[s].has_value(); });
        digest = std::move(*ready[s]);
        ready[s].reset();
        consumed = s + 1;
      }
      changed.notify_all();
      done(s, std::move(digest));
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace

void set_shard_check_executor(ShardCheckExecutor* executor) { shard_check_executor = executor; }
void set_shard_check_threads(unsigned threads) { shard_check_threads = std::max(1u, threads); }

void check_sharded_arrangement(const std::string& manifest_path, const json& manifest,
                               const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                               CheckReport& report) {
  const ShardPlan plan = plan_shards(manifest_path, manifest);
  const json& arrangement = member(manifest, "arrangement", "");
  ArrangementChecker checker(arrangement, input_rows, report);
  checker.cite_added_entries_only();
  // Stage 1 (the witnesses, the entries' algebra, the files) shard by shard anywhere; stage 2 here, in name order.
  std::size_t region = 0;
  auto assemble = [&](std::size_t s, ShardDigest&& digest) {
    if (digest.failure) fail(*digest.failure);
    for (ArrangementChecker::CheckedFarkas& entry : digest.farkas) checker.add_checked_farkas(std::move(entry));
    const std::string label = "shard " + plan.shards[s].name;
    for (const ArrangementChecker::CheckedRegion& checked : digest.regions)
      in_shard(label, [&] { checker.add_checked_region(region++, checked); });
  };
  if (ShardCheckExecutor* executor = shard_check_executor.load())
    executor->run(manifest_path, plan.shards.size(), assemble);
  else
    digest_on_threads(plan, arrangement, shard_check_threads.load(), assemble);

  // The completion: more entries, then pairs [region, hyperplane, entry] numbered in the one list.
  const json& completion = member(manifest, "completion", "");
  const std::string text = read_listed_file(plan.dir, completion, "completion.jsonl.gz", "completion");
  Lines lines(text, "completion");
  json line;
  std::string line_path;
  if (!lines.next(line, line_path) || !line.contains("completion")) fail("completion: the first line must be its header");
  if (natural(line, "farkas_offset", line_path) != checker.farkas())
    fail(line_path + ": farkas_offset is not the number of entries in the shards");
  std::size_t pairs = 0, entries = 0;
  while (lines.next(line, line_path)) {
    if (const auto f = line.find("farkas"); f != line.end()) {
      if (pairs > 0) fail(line_path + ": a Farkas entry after the pairs (entries come first)");
      in_shard(line_path, [&] { checker.add_farkas(checker.farkas(), *f); });
      ++entries;
    } else if (const auto p = line.find("pair"); p != line.end()) {
      if (!p->is_array() || p->size() != 3) fail(line_path + ": expected [region, hyperplane, farkas entry]");
      const std::optional<std::uint64_t> k = json_natural((*p)[0]), i = json_natural((*p)[1]), f = json_natural((*p)[2]);
      if (!k || !i || !f) fail(line_path + ": expected three natural numbers");
      checker.add_blocked(*k, *i, *f, line_path);
      ++pairs;
    } else {
      fail(line_path + ": expected \"farkas\" or \"pair\"");
    }
  }
  if (pairs != natural(completion, "pairs", "completion") || entries != natural(completion, "farkas", "completion"))
    fail("completion: holds " + std::to_string(pairs) + " pairs and " + std::to_string(entries) +
         " Farkas entries, the manifest says otherwise");
  report.regions = region;
  report.farkas = checker.farkas();
  check_region_count(member(manifest, "region_count", ""), region, arrangement_nonempty);
  checker.finish();
}

}  // namespace chamber::verify

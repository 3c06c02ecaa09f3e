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

/*! a shard on the path from the root to the shard being read. */
struct OpenShard {
  std::string name;
  std::size_t depth = 0;
  std::size_t farkas_offset = 0;  // its first entry's number in the one list
  std::size_t farkas = 0;
  std::size_t children = 0;    // as its header says
  std::size_t next_child = 0;  // the children listed so far
};

/*! the name of child `index` of shard `parent`. */
std::string child_name(const std::string& parent, std::size_t index) {
  std::string digits = std::to_string(index);
  return parent + "-" + std::string(6 - std::min<std::size_t>(6, digits.size()), '0') + digits;
}

/*! fails unless every child of `shard` was listed. */
void require_children(const OpenShard& shard) {
  if (shard.next_child < shard.children)
    fail("shard " + shard.name + ": its child " + child_name(shard.name, shard.next_child) + " is not listed");
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

void check_sharded_arrangement(const std::string& manifest_path, const json& manifest,
                               const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                               CheckReport& report) {
  const json& version = member(manifest, "version", "");
  if (const std::optional<std::uint64_t> v = json_natural(version); !v || *v != 1)
    fail("version: expected 1, found " + describe(version));
  ArrangementChecker checker(member(manifest, "arrangement", ""), input_rows, report);
  checker.cite_added_entries_only();
  const std::size_t m = report.hyperplanes;
  const std::filesystem::path dir = std::filesystem::path(manifest_path).parent_path();
  const json& shards = require_array(member(manifest, "shards", ""), "shards");
  if (shards.empty()) fail("shards: empty (the root shard \"r\" holds at least the first region)");

  std::vector<OpenShard> path;  // the ancestors of the shard being read, and then itself
  std::size_t region = 0;
  std::string previous;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const std::string what = "shards[" + std::to_string(s) + "]";
    const json& entry = shards[s];
    const json& name_value = member(entry, "name", what);
    if (!name_value.is_string() || !valid_name(name_value.get<std::string>()))
      fail(what + ".name: expected \"r\" and a \"-dddddd\" per level, found " + describe(name_value));
    const std::string name = name_value.get<std::string>();
    const std::string shard = "shard " + name;
    if (s == 0 && name != "r") fail(what + ": the first shard must be the root \"r\", found " + name);
    if (s > 0 && name == previous) fail(shard + " is listed twice");
    if (s > 0 && name < previous) fail(shard + " comes after " + previous + " (shards are listed in name order)");
    previous = name;
    const std::string parent = name.size() > 1 ? name.substr(0, name.size() - 7) : "";
    while (!path.empty() && path.back().name != parent) {
      require_children(path.back());
      path.pop_back();
    }
    if (name != "r" && path.empty()) fail(shard + ": its parent shard " + parent + " is not listed");
    if (name != "r") {
      OpenShard& up = path.back();
      if (up.next_child >= up.children) fail(shard + ": shard " + parent + " has " + std::to_string(up.children) +
                                             " children, this is not one of them");
      if (name != child_name(parent, up.next_child))
        fail(shard + ": the child " + child_name(parent, up.next_child) + " of " + parent + " is not listed");
      ++up.next_child;
    }

    const std::string text = read_listed_file(dir, entry, name + ".jsonl.gz", shard);
    Lines lines(text, shard);
    json line;
    std::string line_path;
    if (!lines.next(line, line_path) || !line.contains("shard")) fail(shard + ": the first line must be its header");
    if (line.at("shard") != name) fail(line_path + ": names shard " + describe(line.at("shard")));
    const std::size_t depth = natural(line, "depth", line_path);
    if (depth != natural(entry, "depth", what)) fail(shard + ": depth differs from the manifest's");
    if (name == "r" ? depth != 0 : depth <= path.back().depth || depth > m)
      fail(shard + ": depth " + std::to_string(depth) + " is not below its parent's");
    OpenShard open{name, depth, checker.farkas(), 0, natural(line, "children", line_path), 0};
    if (open.children != natural(entry, "children", what)) fail(shard + ": children differ from the manifest's");
    std::size_t regions = 0;
    while (lines.next(line, line_path)) {
      if (const auto f = line.find("farkas"); f != line.end()) {
        if (regions > 0) fail(line_path + ": a Farkas entry after the regions (entries come first)");
        in_shard(line_path, [&] { checker.add_farkas(checker.farkas(), *f); });
        ++open.farkas;
      } else if (const auto r = line.find("region"); r != line.end()) {
        // The pairs renumbered into the one list of entries.
        json copy = *r;
        if (copy.is_object() && copy.contains("blocked") && copy["blocked"].is_array()) {
          for (json& pair : copy["blocked"]) {
            if (!pair.is_array() || pair.size() != 2) continue;  // add_region says why
            const std::optional<std::uint64_t> i = json_natural(pair[0]), f = json_natural(pair[1]);
            if (!i || !f || *i >= m) continue;
            const OpenShard* owner = &open;
            if (*i < depth) {
              std::size_t a = path.size();
              while (a > 0 && path[a - 1].depth > *i) --a;
              if (a == 0) fail(line_path + ": blocked [" + std::to_string(*i) + ", " + std::to_string(*f) +
                               "]: no shard on the path owns hyperplane " + std::to_string(*i));
              owner = &path[a - 1];
            }
            if (*f >= owner->farkas)
              fail(line_path + ": blocked [" + std::to_string(*i) + ", " + std::to_string(*f) + "]: shard " +
                   owner->name + " has " + std::to_string(owner->farkas) + " Farkas entries");
            pair[1] = owner->farkas_offset + *f;
          }
        }
        in_shard(line_path, [&] { checker.add_region(region, copy); });
        ++region;
        ++regions;
      } else {
        fail(line_path + ": expected \"farkas\" or \"region\"");
      }
    }
    if (regions != natural(entry, "regions", what) || open.farkas != natural(entry, "farkas", what))
      fail(shard + ": holds " + std::to_string(regions) + " regions and " + std::to_string(open.farkas) +
           " Farkas entries, the manifest says otherwise");
    path.push_back(std::move(open));
  }
  for (const OpenShard& open : path) require_children(open);

  // The completion: more entries, then pairs [region, hyperplane, entry] numbered in the one list.
  const json& completion = member(manifest, "completion", "");
  const std::string text = read_listed_file(dir, completion, "completion.jsonl.gz", "completion");
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

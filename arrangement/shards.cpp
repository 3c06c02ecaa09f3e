#include "arrangement/shards.hpp"

#include "arrangement/certificate.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/farkas_trie.hpp"
#include "arrangement/job_tree.hpp"
#include "arrangement/output_file.hpp"
#include "verify/gzip_text.hpp"
#include "verify/sha256.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <thread>
#include <unordered_set>

namespace chamber {

namespace fs = std::filesystem;

namespace {

std::string file_in(const std::string& dir, const std::string& name) { return (fs::path(dir) / name).string(); }

/*! writes `bytes` to `path` through a temporary file renamed over it: the file appears whole or not at all. Not synced
 * (a shard is checked against its sha256 whenever it is read, so a torn one is caught there). */
void write_whole(const std::string& path, const std::string& bytes) {
  static std::atomic<unsigned> serial{0};
  const fs::path final_path(path);
  const std::string temporary = (final_path.parent_path() / ("." + final_path.filename().string() + ".tmp-" +
                                                             std::to_string(::getpid()) + "-" +
                                                             std::to_string(serial++)))
                                    .string();
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError(path + ": cannot write: " + std::strerror(errno));
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      std::remove(temporary.c_str());
      throw InputError(path + ": write error");
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    throw InputError(path + ": cannot rename the written file into place: " + why);
  }
}

/*! the lines of a gzip JSON Lines file this run wrote, parsed one at a time. */
class LineReader {
 public:
  explicit LineReader(const std::string& path) : path_(path) {
    try {
      text_ = verify::read_maybe_gzip(path);
    } catch (const std::exception& e) {
      throw InputError(std::string(e.what()));
    }
  }
  /*! the next line parsed, or null at the end. */
  nlohmann::json next() {
    while (at_ < text_.size()) {
      std::size_t end = text_.find('\n', at_);
      if (end == std::string::npos) end = text_.size();
      const std::string_view line(text_.data() + at_, end - at_);
      at_ = end + 1;
      ++line_;
      if (line.empty()) continue;
      try {
        return nlohmann::json::parse(line);
      } catch (const nlohmann::json::exception& e) {
        throw InputError(path_ + ":" + std::to_string(line_) + ": not JSON: " + e.what());
      }
    }
    return nullptr;
  }

 private:
  std::string path_, text_;
  std::size_t at_ = 0, line_ = 0;
};

FarkasCertificate conditions_of_entry(const nlohmann::json& entry) {
  FarkasCertificate certificate;
  const nlohmann::json& hyperplanes = entry.at("hyperplanes");
  const std::string& signs = entry.at("signs").get_ref<const std::string&>();
  for (std::size_t t = 0; t < hyperplanes.size(); ++t)
    certificate.conditions.push_back({hyperplanes[t].get<std::size_t>(), signs.at(t) == '+' ? 1 : -1});
  return certificate;
}

nlohmann::json shard_json(const ShardInfo& shard) {
  return {{"name", shard.name},       {"file", shard.name + ".jsonl.gz"}, {"depth", shard.depth},
          {"children", shard.children}, {"regions", shard.regions},         {"farkas", shard.farkas},
          {"lp_solves", shard.lp_solves}, {"bytes", shard.bytes},           {"sha256", shard.sha256}};
}

ShardInfo shard_from_json(const nlohmann::json& json) {
  return ShardInfo{json.at("name"),     json.at("depth"),    json.at("regions"),   json.at("farkas"),
                   json.at("bytes"),    json.at("children"), json.at("lp_solves"), json.at("sha256")};
}

nlohmann::json integers_json(const IntegerVector& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const Integer& v : values) out.push_back(v.get_str());
  return out;
}

/*! the sha256 of the arrangement as a certificate writes it: what a checkpoint is about. */
std::string arrangement_hash(const Arrangement& arrangement) {
  std::ostringstream text;
  write_json_arrangement(text, arrangement);
  return verify::sha256_hex(text.str());
}

/*! a checkpoint's text (docs/certificate.md, "Checkpoints"): its head (format, version, arrangement, budget, LP mode),
 * `body` (the format's own members, each followed by ",\n"), then the jobs not finished, one per line. */
std::string checkpoint_text(const std::string& format, const Arrangement& arrangement, const JobOptions& options,
                            const std::string& body, const std::vector<JobRoot>& pending) {
  std::string text = "{\"format\": \"" + format + "\", \"version\": 1, \"arrangement_sha256\": \"" +
                     arrangement_hash(arrangement) + "\", \"job_budget\": " + std::to_string(options.budget) +
                     ", \"exact_lp\": " + (options.exact_lp ? "true" : "false") + ",\n" + body + "\"pending\": [";
  for (std::size_t p = 0; p < pending.size(); ++p)
    text += (p ? ",\n  " : "\n  ") +
            nlohmann::json{{"path", pending[p].path}, {"job", job_to_json(pending[p].node)}}.dump();
  text += "\n]}\n";
  return text;
}

void write_shard_checkpoint(const std::string& path, const Arrangement& arrangement, const JobOptions& options,
                            std::vector<ShardInfo>&& finished, const std::vector<JobRoot>& pending) {
  std::sort(finished.begin(), finished.end(), [](const ShardInfo& a, const ShardInfo& b) { return a.name < b.name; });
  std::string body = "\"finished\": [";
  for (std::size_t f = 0; f < finished.size(); ++f) body += (f ? ",\n  " : "\n  ") + shard_json(finished[f]).dump();
  body += "\n],\n";
  write_file_atomically(path, checkpoint_text("chamber-shards-checkpoint", arrangement, options, body, pending));
}

/*! throws a malformed-checkpoint error unless `job` (at `path` in the tree) is a node of `arrangement`: its signs,
 * blocked hyperplanes and inherited entries name hyperplanes, and its witness lies strictly inside its signs. (Its
 * blocked hyperplanes' proofs are not checked: a checkpoint is trusted as the run that wrote it.) */
void check_pending_job(const Arrangement& arrangement, const JobRoot& job) {
  const std::size_t m = arrangement.size();
  const FrontierJob& node = job.node;
  if (job.path.size() > m + 1)  // (each job of the tree is deeper than its parent)
    throw nlohmann::json::other_error::create(501, "a pending job's path is longer than any tree of jobs", nullptr);
  auto fail = [&](const std::string& why) {
    throw nlohmann::json::other_error::create(501, "pending job " + job_name(job.path) + ": " + why, nullptr);
  };
  if (node.depth > m) fail("depth " + std::to_string(node.depth) + " beyond the " + std::to_string(m) + " hyperplanes");
  if (node.witness.coordinates.size() != arrangement.dimension() + 1)
    fail("a witness of " + std::to_string(node.witness.coordinates.size()) + " coordinates, expected " +
         std::to_string(arrangement.dimension() + 1));
  if (node.witness.coordinates[0] <= 0) fail("a witness whose homogenizing coordinate is not positive");
  for (std::size_t i = 0; i < node.depth; ++i)
    if ((node.signs[i] != '+' && node.signs[i] != '-') ||
        arrangement[i].side(node.witness) != (node.signs[i] == '+' ? 1 : -1))
      fail("its witness is not strictly on side " + std::string(1, node.signs[i]) + " of hyperplane " +
           std::to_string(i));
  for (const BlockedHyperplane& b : node.blocked)
    if (b.hyperplane >= m) fail("a blocked hyperplane " + std::to_string(b.hyperplane) + " out of range");
  for (const InheritedFarkas& inherited : node.memo)
    for (const SignCondition& c : inherited.conditions.conditions)
      if (c.hyperplane >= m) fail("an inherited entry on hyperplane " + std::to_string(c.hyperplane) + " out of range");
}

/*! reads checkpoint `path` of `format` about `arrangement`: its budget and its jobs not finished (checked by
 * check_pending_job); `body` reads the format's own members. \throws InputError naming the file. */
void read_checkpoint(const std::string& path, const std::string& format, const Arrangement& arrangement,
                     std::uint64_t& budget, std::vector<JobRoot>& pending,
                     const std::function<void(const nlohmann::json&)>& body) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot read the checkpoint: " + std::strerror(errno));
  try {
    const nlohmann::json checkpoint = nlohmann::json::parse(in);
    if (checkpoint.at("format") != format || checkpoint.at("version") != 1)
      throw InputError(path + ": not a checkpoint of this kind of run (format " + format + ", version 1; found " +
                       checkpoint.at("format").dump() + ")");
    if (checkpoint.at("arrangement_sha256") != arrangement_hash(arrangement))
      throw InputError(path + ": the checkpoint is about another arrangement");
    budget = checkpoint.at("job_budget");
    if (budget == 0) throw InputError(path + ": job_budget: must be positive");
    body(checkpoint);
    for (const nlohmann::json& job : checkpoint.at("pending")) {
      pending.push_back(JobRoot{job.at("path").get<std::vector<std::uint32_t>>(), job_from_json(job.at("job"))});
      check_pending_job(arrangement, pending.back());
    }
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path + ": malformed checkpoint: " + e.what());
  }
}

/*! what a shard checkpoint holds, checked against the arrangement and the shard files. */
struct Resumed {
  std::uint64_t budget = 0;
  std::vector<ShardInfo> finished;
  std::vector<JobRoot> pending;
};

Resumed read_shard_checkpoint(const std::string& path, const Arrangement& arrangement, const std::string& dir) {
  Resumed resumed;
  read_checkpoint(path, "chamber-shards-checkpoint", arrangement, resumed.budget, resumed.pending,
                  [&](const nlohmann::json& checkpoint) {
                    for (const nlohmann::json& shard : checkpoint.at("finished"))
                      resumed.finished.push_back(shard_from_json(shard));
                  });
  for (const ShardInfo& shard : resumed.finished) {
    std::ifstream file(file_in(dir, shard.name + ".jsonl.gz"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file || verify::sha256_hex(bytes) != shard.sha256)
      throw InputError(path + ": shard " + shard.name + " is missing from " + dir +
                       " or differs from the checkpoint; the run cannot be resumed from it");
  }
  return resumed;
}

/*! calls work(s) for s = 0 .. count−1 on `threads` threads, and merge(s) for each on the calling thread in order of s,
 * a window of a few items per thread at a time (so that only a window's results are held). Rethrows, in order, what
 * a work threw. */
template <class Work, class Merge>
void ordered_parallel(std::size_t count, unsigned threads, const Work& work, const Merge& merge) {
  threads = std::max(1u, threads);
  const std::size_t window = threads == 1 ? 1 : 4 * std::size_t{threads};
  for (std::size_t begin = 0; begin < count; begin += window) {
    const std::size_t end = std::min(count, begin + window);
    std::vector<std::exception_ptr> errors(end - begin);
    std::atomic<std::size_t> next{begin};
    auto run = [&] {
      for (std::size_t s; (s = next.fetch_add(1)) < end;) {
        try {
          work(s);
        } catch (...) {
          errors[s - begin] = std::current_exception();
        }
      }
    };
    std::vector<std::thread> helpers;
    for (unsigned t = 1; t < threads && t < end - begin; ++t) helpers.emplace_back(run);
    run();
    for (std::thread& helper : helpers) helper.join();
    for (std::size_t s = begin; s < end; ++s) {
      if (errors[s - begin]) std::rethrow_exception(errors[s - begin]);
      merge(s);
    }
  }
}

/*! CertificateBuilder::complete over the shards, on `threads` threads: writes dir/completion.jsonl.gz and fills the
 * completion counts. A pair is closed by an entry of the shards when one agrees with the flipped sign vector, else by
 * an entry this completion added before it (in region order), else by a new LP: the file is the same for any number of
 * threads. */
void complete_shards(const Arrangement& arrangement, const std::string& dir, bool exact_lp, const RunControl& control,
                     unsigned threads, ShardedEnumeration& run, nlohmann::json& completion) {
  const std::size_t m = arrangement.size();
  const std::size_t count = run.shards.size();
  auto shard_file = [&](std::size_t s) { return file_in(dir, run.shards[s].name + ".jsonl.gz"); };
  // Pass 1: every sign vector, and every entry's conditions numbered as the checker numbers them (shard after shard);
  // the shards are read in parallel and merged in order.
  std::unordered_set<std::string> regions;
  regions.reserve(run.regions * 2);
  FarkasTrie trie;
  std::size_t entries = 0;
  struct Scan {
    std::vector<FarkasCertificate> entries;
    std::vector<std::string> signs;
  };
  std::vector<Scan> scans(count);
  ordered_parallel(
      count, threads,
      [&](std::size_t s) {
        control.check_time("certificate completion");
        LineReader lines(shard_file(s));
        for (nlohmann::json line = lines.next(); !line.is_null(); line = lines.next()) {
          if (const auto f = line.find("farkas"); f != line.end()) scans[s].entries.push_back(conditions_of_entry(*f));
          else if (const auto r = line.find("region"); r != line.end())
            scans[s].signs.push_back(r->at("signs").get<std::string>());
        }
      },
      [&](std::size_t s) {
        if (scans[s].signs.size() != run.shards[s].regions)
          throw InternalError("shard " + run.shards[s].name + " holds " + std::to_string(scans[s].signs.size()) +
                              " regions, its job reported " + std::to_string(run.shards[s].regions));
        for (const FarkasCertificate& entry : scans[s].entries) trie.insert(entry, entries++);
        for (std::string& signs : scans[s].signs) regions.insert(std::move(signs));
        scans[s] = Scan{};
      });
  // Pass 2: the pairs no path closed, found in parallel (the sets are only read); those no shard's entry closes are
  // settled in order on this thread, by an entry added earlier or by an LP.
  struct Pair {
    std::uint64_t region;
    std::size_t hyperplane;
    std::optional<std::size_t> entry;  // empty: no shard's entry agrees
    std::string flipped = {};          // then: the flipped sign vector
  };
  std::vector<std::vector<Pair>> found(count);
  std::vector<std::uint64_t> first_region(count + 1, 0);
  for (std::size_t s = 0; s < count; ++s) first_region[s + 1] = first_region[s] + run.shards[s].regions;
  std::ostringstream text;
  text << "{\"completion\": true, \"farkas_offset\": " << entries << "}\n";
  std::ostringstream pairs;
  StrictFeasibilitySolver solver(arrangement, exact_lp);
  FarkasPool added;
  FarkasTrie added_trie;
  std::vector<SignCondition> conditions(m);
  ordered_parallel(
      count, threads,
      [&](std::size_t s) {
        std::vector<bool> covered(m);
        std::uint64_t k = first_region[s];
        LineReader lines(shard_file(s));
        for (nlohmann::json line = lines.next(); !line.is_null(); line = lines.next()) {
          const auto r = line.find("region");
          if (r == line.end()) continue;
          control.check_time("certificate completion");
          std::fill(covered.begin(), covered.end(), false);
          for (const nlohmann::json& pair : r->at("blocked")) covered.at(pair.at(0).get<std::size_t>()) = true;
          std::string signs = r->at("signs").get<std::string>();
          for (std::size_t i = 0; i < m; ++i) {
            if (covered[i]) continue;
            signs[i] = signs[i] == '+' ? '-' : '+';
            if (!regions.count(signs)) {
              Pair pair{k, i, trie.find(signs)};
              if (!pair.entry) pair.flipped = signs;
              found[s].push_back(std::move(pair));
            }
            signs[i] = signs[i] == '+' ? '-' : '+';
          }
          ++k;
        }
      },
      [&](std::size_t s) {
        for (Pair& pair : found[s]) {
          std::size_t entry = 0;
          if (pair.entry) {
            entry = *pair.entry;
          } else if (std::optional<std::size_t> agreeing = added_trie.find(pair.flipped)) {
            entry = entries + *agreeing;
          } else {
            for (std::size_t j = 0; j < m; ++j) conditions[j] = {j, pair.flipped[j] == '+' ? 1 : -1};
            ++run.completion_lps;
            FeasibilityResult result = solver.solve(conditions);
            if (result.feasible)
              throw InternalError("enumeration missed the region " + pair.flipped + " (found while certifying)");
            const std::size_t before = added.size();
            const std::size_t index = added.add(std::move(result.farkas));
            entry = entries + index;
            if (added.size() > before) {
              added_trie.insert(added.entries().back(), index);
              text << "{\"farkas\": ";
              write_json_farkas(text, added.entries().back());
              text << "}\n";
            }
          }
          pairs << "{\"pair\": [" << pair.region << ',' << pair.hyperplane << ',' << entry << "]}\n";
          ++run.completion_pairs;
        }
        found[s] = {};
      });
  text << pairs.str();
  run.completion_farkas = added.size();
  const std::string bytes = gzip_bytes(text.str(), 6);
  write_whole(file_in(dir, shard_completion_file), bytes);
  completion = {{"file", shard_completion_file}, {"pairs", run.completion_pairs},
                {"farkas", run.completion_farkas},  {"bytes", bytes.size()},
                {"sha256", verify::sha256_hex(bytes)}};
}

}  // namespace

nlohmann::json job_to_json(const FrontierJob& job) {
  nlohmann::json blocked = nlohmann::json::array();
  for (const BlockedHyperplane& b : job.blocked)
    blocked.push_back(b.up ? nlohmann::json{b.hyperplane, b.farkas, b.up} : nlohmann::json{b.hyperplane, b.farkas});
  nlohmann::json memo = nlohmann::json::array();
  for (const InheritedFarkas& inherited : job.memo) {
    std::string signs;
    nlohmann::json hyperplanes = nlohmann::json::array();
    for (const SignCondition& c : inherited.conditions.conditions) {
      hyperplanes.push_back(c.hyperplane);
      signs += c.sign > 0 ? '+' : '-';
    }
    memo.push_back({hyperplanes, signs, inherited.up, inherited.farkas});
  }
  return {{"depth", job.depth},
          {"signs", job.signs},
          {"witness", integers_json(job.witness.coordinates)},
          {"blocked", std::move(blocked)},
          {"memo", std::move(memo)}};
}

FrontierJob job_from_json(const nlohmann::json& json) {
  FrontierJob job;
  job.depth = json.at("depth");
  job.signs = json.at("signs").get<std::string>();
  for (const nlohmann::json& v : json.at("witness")) job.witness.coordinates.emplace_back(v.get<std::string>());
  for (const nlohmann::json& b : json.at("blocked"))
    job.blocked.push_back({b.at(0), b.at(1), b.size() > 2 ? b.at(2).get<std::size_t>() : 0});
  for (const nlohmann::json& m : json.at("memo")) {
    InheritedFarkas inherited;
    const std::string& signs = m.at(1).get_ref<const std::string&>();
    for (std::size_t t = 0; t < m.at(0).size(); ++t)
      inherited.conditions.conditions.push_back({m.at(0).at(t).get<std::size_t>(), signs.at(t) == '+' ? 1 : -1});
    inherited.up = m.at(2);
    inherited.farkas = m.at(3);
    job.memo.push_back(std::move(inherited));
  }
  if (job.signs.size() != job.depth || job.witness.coordinates.empty())
    throw nlohmann::json::other_error::create(501, "a job's signs do not match its depth", &json);
  return job;
}

SubtreeResult run_job(const Arrangement& arrangement, const FrontierJob& job, const std::string& name, std::size_t level,
                      const JobOptions& options, const RunControl& control) {
  JobOptions own = options;
  own.budget = options.budget_at(level);
  SubtreeResult result = search_job(arrangement, job, own, control);
  if (options.count_only) {  // its totals, for checkpoints (JobTree::snapshot)
    result.shard = ShardInfo{name, job.depth, result.stats.regions, 0, 0, result.children.size(), result.solves, ""};
    return result;
  }
  if (options.shard_dir.empty()) return result;
  std::ostringstream text;
  text << "{\"shard\": \"" << name << "\", \"depth\": " << job.depth << ", \"children\": " << result.children.size()
       << "}\n";
  for (const FarkasCertificate& entry : result.farkas) {
    text << "{\"farkas\": ";
    write_json_farkas(text, entry);
    text << "}\n";
  }
  for (const FrontierJob& leaf : result.leaves) {
    text << "{\"region\": ";
    write_json_region(text, leaf.signs, leaf.witness, leaf.blocked);
    text << "}\n";
  }
  const std::string bytes = gzip_bytes(text.str(), 6);
  write_whole(file_in(options.shard_dir, name + ".jsonl.gz"), bytes);
  result.shard = ShardInfo{name,         job.depth, result.leaves.size(), result.farkas.size(), bytes.size(),
                           result.children.size(), result.solves, verify::sha256_hex(bytes)};
  result.leaves = {};
  result.farkas = {};
  return result;
}

ShardedEnumeration enumerate_to_shards(const Arrangement& arrangement, const std::string& dir, JobExecutor& executor,
                                       bool exact_lp, const RunControl& control, const RunCheckpoints& checkpoints,
                                       unsigned threads) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) throw InputError(dir + ": cannot create the shard directory: " + error.message());
  if (fs::exists(file_in(dir, shard_manifest_file)))
    throw InputError(dir + ": already holds a sharded certificate (" + shard_manifest_file + "); give an empty directory");
  JobOptions options = executor.options();
  options.keep_farkas = true;
  options.exact_lp = exact_lp;
  options.shard_dir = dir;
  std::vector<JobRoot> roots;
  ShardedEnumeration run;
  if (!checkpoints.resume.empty()) {
    Resumed resumed = read_shard_checkpoint(checkpoints.resume, arrangement, dir);
    options.budget = resumed.budget;  // the tree of jobs is the one of that budget
    roots = std::move(resumed.pending);
    run.shards = std::move(resumed.finished);
    for (const ShardInfo& shard : run.shards) run.regions += shard.regions;
  } else {
    FrontierJob root;
    root.witness.coordinates.assign(arrangement.dimension() + 1, 0);
    root.witness.coordinates[0] = 1;
    roots.push_back(JobRoot{{}, std::move(root)});
  }
  const std::vector<ShardInfo> kept = run.shards;  // the checkpoint's, listed in every later checkpoint too
  JobCheckpoint checkpoint;
  if (!checkpoints.path.empty()) {
    checkpoint.every_seconds = checkpoints.every_seconds;
    checkpoint.save = [&](std::vector<ShardInfo>&& finished, std::vector<JobRoot>&& pending) {
      finished.insert(finished.end(), kept.begin(), kept.end());
      write_shard_checkpoint(checkpoints.path, arrangement, options, std::move(finished), pending);
    };
  }
  executor.run(arrangement, options, std::move(roots), [&](const JobInfo& info, SubtreeResult&& found) {
    if (!found.shard || found.shard->name != info.name)
      throw InternalError("job " + info.name + " came back without its shard");
    run.regions += found.stats.regions;
    if (control.max_regions && run.regions > *control.max_regions)
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
    run.stats.perturbations += found.stats.perturbations;
    run.stats.lp_skipped += found.stats.lp_skipped;
    run.stats.lp_reused += found.stats.lp_reused;
    run.stats.lp_infeasible += found.stats.lp_infeasible;
    run.lp_solves += found.solves;
    run.counters += found.counters;
    run.shards.push_back(std::move(*found.shard));
    control.report([&] {
      return "enumerate: " + std::to_string(run.regions) + " regions in " + std::to_string(run.shards.size()) +
             " shards, " + std::to_string(run.lp_solves) + " LPs";
    });
  }, checkpoint);
  // A resumed run's shards come in two lists: one in name order (tree order) for the manifest, and the totals of all.
  std::sort(run.shards.begin(), run.shards.end(), [](const ShardInfo& a, const ShardInfo& b) { return a.name < b.name; });
  run.farkas = 0;
  run.lp_solves = 0;
  for (const ShardInfo& shard : run.shards) {
    run.farkas += shard.farkas;
    run.lp_solves += shard.lp_solves;
  }
  run.stats.regions = run.regions;
  run.stats.lp_solves = run.lp_solves;

  nlohmann::json completion;
  complete_shards(arrangement, dir, exact_lp, control, threads, run, completion);

  std::ostringstream head;
  write_json_arrangement(head, arrangement);
  nlohmann::json manifest{{"format", "chamber-certificate-shards"},
                          {"version", 1},
                          {"kind", "arrangement"},
                          {"arrangement", nlohmann::json::parse(head.str())},
                          {"region_count", run.regions},
                          {"job_budget", options.budget},
                          {"shards", nlohmann::json::array()},
                          {"completion", std::move(completion)}};
  // One member per line, one shard per line: readable, greppable, and small.
  std::string text = "{";
  for (auto it = manifest.begin(); it != manifest.end(); ++it) {
    text += (it == manifest.begin() ? "\n" : ",\n") + nlohmann::json(it.key()).dump() + ": ";
    if (it.key() != "shards") {
      text += it.value().dump();
      continue;
    }
    text += "[";
    for (std::size_t s = 0; s < run.shards.size(); ++s) text += (s ? ",\n  " : "\n  ") + shard_json(run.shards[s]).dump();
    text += "\n]";
  }
  text += "\n}\n";
  write_file_atomically(file_in(dir, shard_manifest_file), text);
  return run;
}

ShardedEnumeration enumerate_to_shards(const Arrangement& arrangement, const std::string& dir, unsigned threads,
                                       std::uint64_t budget, bool exact_lp, const RunControl& control,
                                       const RunCheckpoints& checkpoints) {
  if (JobExecutor* executor = installed_job_executor())
    return enumerate_to_shards(arrangement, dir, *executor, exact_lp, control, checkpoints, threads);
  ThreadJobExecutor executor(threads, JobOptions{budget});
  return enumerate_to_shards(arrangement, dir, executor, exact_lp, control, checkpoints, threads);
}

JobCount count_in_jobs(const Arrangement& arrangement, JobExecutor& executor, bool exact_lp, const RunControl& control,
                       const RunCheckpoints& checkpoints) {
  JobOptions options = executor.options();
  options.count_only = true;
  options.keep_farkas = false;
  options.exact_lp = exact_lp;
  options.shard_dir.clear();
  JobCount run;
  std::vector<JobRoot> roots;
  if (!checkpoints.resume.empty()) {
    read_checkpoint(checkpoints.resume, "chamber-count-checkpoint", arrangement, options.budget, roots,
                    [&](const nlohmann::json& checkpoint) {
                      run.resumed_jobs = checkpoint.at("jobs");
                      run.resumed_regions = checkpoint.at("regions");
                      run.resumed_lp_solves = checkpoint.at("lp_solves");
                    });
    run.resumed_from = checkpoints.resume;
  } else {
    FrontierJob root;
    root.witness.coordinates.assign(arrangement.dimension() + 1, 0);
    root.witness.coordinates[0] = 1;
    roots.push_back(JobRoot{{}, std::move(root)});
  }
  run.job_budget = options.budget;
  run.regions = run.resumed_regions;
  run.lp_solves = run.resumed_lp_solves;
  JobCheckpoint checkpoint;
  if (!checkpoints.path.empty()) {
    checkpoint.every_seconds = checkpoints.every_seconds;
    // The jobs finished (replayed or not) and those not: every job of the tree is in exactly one of the two.
    checkpoint.save = [&](std::vector<ShardInfo>&& finished, std::vector<JobRoot>&& pending) {
      std::uint64_t regions = run.resumed_regions, lp_solves = run.resumed_lp_solves;
      for (const ShardInfo& job : finished) {
        regions += job.regions;
        lp_solves += job.lp_solves;
      }
      const std::string body = "\"jobs\": " + std::to_string(run.resumed_jobs + finished.size()) +
                               ", \"regions\": " + std::to_string(regions) +
                               ", \"lp_solves\": " + std::to_string(lp_solves) + ",\n";
      write_file_atomically(checkpoints.path,
                            checkpoint_text("chamber-count-checkpoint", arrangement, options, body, pending));
    };
  }
  executor.run(arrangement, options, std::move(roots), [&](const JobInfo& info, SubtreeResult&& found) {
    if (!found.shard || found.shard->name != info.name)
      throw InternalError("job " + info.name + " came back without its totals");
    ++run.jobs;
    run.regions += found.stats.regions;
    if (control.max_regions && run.regions > *control.max_regions)
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
    run.lp_solves += found.solves;
    run.stats.regions += found.stats.regions;
    run.stats.lp_solves += found.solves;
    run.stats.perturbations += found.stats.perturbations;
    run.stats.lp_skipped += found.stats.lp_skipped;
    run.stats.lp_reused += found.stats.lp_reused;
    run.stats.lp_infeasible += found.stats.lp_infeasible;
    run.counters += found.counters;
    control.report([&] {
      return "count: " + std::to_string(run.regions) + " regions in " + std::to_string(run.resumed_jobs + run.jobs) +
             " jobs, " + std::to_string(run.lp_solves) + " LPs";
    });
  }, checkpoint);
  return run;
}

JobCount count_in_jobs(const Arrangement& arrangement, unsigned threads, std::uint64_t budget, bool exact_lp,
                       const RunControl& control, const RunCheckpoints& checkpoints) {
  if (JobExecutor* executor = installed_job_executor())
    return count_in_jobs(arrangement, *executor, exact_lp, control, checkpoints);
  ThreadJobExecutor executor(threads, JobOptions{budget});
  return count_in_jobs(arrangement, executor, exact_lp, control, checkpoints);
}

nlohmann::json to_json(const ShardedEnumeration& run) {
  return {{"regions", run.regions},
          {"shards", run.shards.size()},
          {"farkas_entries", run.farkas + run.completion_farkas},
          {"completion_pairs", run.completion_pairs},
          {"completion_lp_solves", run.completion_lps},
          {"lp_solves", run.lp_solves},
          {"lp_paths", {{"float_witness", run.counters.float_witness},
                        {"float_farkas", run.counters.float_farkas},
                        {"exact", run.counters.exact}}},
          {"lp_infeasible", run.stats.lp_infeasible},
          {"lp_skipped", run.stats.lp_skipped},
          {"lp_reused", run.stats.lp_reused},
          {"perturbations", run.stats.perturbations}};
}

}  // namespace chamber

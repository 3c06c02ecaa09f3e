#include "arrangement/job_wire.hpp"

#include "arrangement/errors.hpp"

#include <gmp.h>

#include <cstring>

namespace chamber {

namespace {

class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}

  void u(std::uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void f(double v) {
    char bytes[sizeof v];
    std::memcpy(bytes, &v, sizeof v);
    out_.append(bytes, sizeof v);
  }
  void s(std::string_view text) {
    u(text.size());
    out_.append(text);
  }
  void z(const Integer& v) {
    const int sign = sgn(v);
    if (sign == 0) {
      u(0);
      return;
    }
    const std::size_t count = mpz_sizeinbase(v.get_mpz_t(), 256);
    u(count << 1 | (sign < 0 ? 1 : 0));
    const std::size_t at = out_.size();
    out_.resize(at + count);
    std::size_t written = 0;
    mpz_export(out_.data() + at, &written, 1, 1, 1, 0, v.get_mpz_t());
    out_.resize(at + written);  // (sizeinbase is exact for base 256)
  }
  void job(const FrontierJob& job) {
    u(job.depth);
    s(job.signs);
    u(job.witness.coordinates.size());
    for (const Integer& v : job.witness.coordinates) z(v);
    u(job.blocked.size());
    for (const BlockedHyperplane& b : job.blocked) {
      u(b.hyperplane);
      u(b.farkas);
      u(b.up);
    }
    u(job.memo.size());
    for (const InheritedFarkas& inherited : job.memo) {
      conditions(inherited.conditions.conditions);
      u(inherited.up);
      u(inherited.farkas);
    }
  }
  void conditions(const std::vector<SignCondition>& conditions) {
    u(conditions.size());
    for (const SignCondition& c : conditions) u(std::uint64_t{c.hyperplane} << 1 | (c.sign < 0 ? 1 : 0));
  }

 private:
  std::string& out_;
};

class Decoder {
 public:
  Decoder(std::string_view bytes, const char* what) : p_(bytes.data()), end_(bytes.data() + bytes.size()), what_(what) {}

  std::uint64_t u() {
    std::uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (p_ == end_ || shift > 63) fail();
      const auto byte = static_cast<unsigned char>(*p_++);
      v |= std::uint64_t{byte & 0x7fu} << shift;
      if (!(byte & 0x80)) return v;
    }
  }
  /*! a count of items, each at least one byte long (a bound that keeps a corrupt count from allocating). */
  std::size_t count() {
    const std::uint64_t n = u();
    if (n > static_cast<std::uint64_t>(end_ - p_)) fail();
    return static_cast<std::size_t>(n);
  }
  double f() {
    double v;
    if (end_ - p_ < static_cast<std::ptrdiff_t>(sizeof v)) fail();
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string_view s() {
    const std::size_t n = count();
    std::string_view text(p_, n);
    p_ += n;
    return text;
  }
  Integer z() {
    const std::uint64_t header = u();
    Integer v;
    if (header == 0) return v;
    const std::uint64_t n = header >> 1;
    if (n == 0 || n > static_cast<std::uint64_t>(end_ - p_)) fail();
    mpz_import(v.get_mpz_t(), n, 1, 1, 1, 0, p_);
    p_ += n;
    if (header & 1) v = -v;
    return v;
  }
  FrontierJob job() {
    FrontierJob job;
    job.depth = u();
    job.signs = std::string(s());
    job.witness.coordinates.resize(count());
    for (Integer& v : job.witness.coordinates) v = z();
    job.blocked.resize(count());
    for (BlockedHyperplane& b : job.blocked) {
      b.hyperplane = u();
      b.farkas = u();
      b.up = u();
    }
    job.memo.resize(count());
    for (InheritedFarkas& inherited : job.memo) {
      inherited.conditions.conditions = conditions();
      inherited.up = u();
      inherited.farkas = u();
    }
    return job;
  }
  std::vector<SignCondition> conditions() {
    std::vector<SignCondition> out(count());
    for (SignCondition& c : out) {
      const std::uint64_t v = u();
      c = SignCondition{static_cast<std::size_t>(v >> 1), (v & 1) ? -1 : 1};
    }
    return out;
  }
  void end() const {
    if (p_ != end_) fail();
  }
  [[noreturn]] void fail() const { throw InternalError(std::string("a malformed ") + what_ + " in a message"); }

 private:
  const char* p_;
  const char* end_;
  const char* what_;
};

}  // namespace

std::string encode_job(const FrontierJob& job) {
  std::string out;
  Encoder(out).job(job);
  return out;
}

WireJob wire_job(const FrontierJob& job) { return WireJob{job.depth, std::make_shared<const std::string>(encode_job(job))}; }

FrontierJob decode_job(std::string_view bytes) {
  Decoder in(bytes, "job");
  FrontierJob job = in.job();
  in.end();
  return job;
}

std::string encode_result(std::size_t id, double seconds, const SubtreeResult& result) {
  std::string out;
  Encoder e(out);
  e.u(id);
  e.f(seconds);
  e.u(result.nodes);
  e.u(result.solves);
  const EnumerationStats& stats = result.stats;
  for (std::uint64_t v : {stats.regions, stats.lp_solves, stats.lp_infeasible, stats.perturbations, stats.lp_skipped,
                          stats.lp_reused})
    e.u(v);
  for (std::uint64_t v : {result.counters.float_witness, result.counters.float_farkas, result.counters.exact}) e.u(v);
  e.u(result.shard ? 1 : 0);
  if (const std::optional<ShardInfo>& shard = result.shard) {
    e.s(shard->name);
    for (std::uint64_t v : {std::uint64_t{shard->depth}, shard->regions, shard->farkas, shard->bytes, shard->children,
                            shard->lp_solves})
      e.u(v);
    e.s(shard->sha256);
  }
  e.u(result.leaves.size());
  for (const FrontierJob& leaf : result.leaves) e.job(leaf);
  e.u(result.farkas.size());
  for (const FarkasCertificate& entry : result.farkas) {
    e.conditions(entry.conditions);
    e.u(entry.multipliers.size());
    for (const Integer& v : entry.multipliers) e.z(v);
  }
  e.u(result.children.size());
  std::string child;
  for (const FrontierJob& job : result.children) {
    child.clear();
    Encoder(child).job(job);
    e.u(job.depth);
    e.s(child);
  }
  return out;
}

void set_result_seconds(std::string& bytes, double seconds) {
  std::size_t at = 0;  // past the id
  while (at < bytes.size() && (static_cast<unsigned char>(bytes[at]) & 0x80)) ++at;
  if (at + 1 + sizeof seconds > bytes.size()) throw InternalError("set_result_seconds: not an encoded result");
  std::memcpy(bytes.data() + at + 1, &seconds, sizeof seconds);
}

WireResult decode_result(std::string_view bytes) {
  Decoder in(bytes, "result");
  WireResult wire;
  SubtreeResult& result = wire.result;
  wire.id = in.u();
  wire.seconds = in.f();
  result.nodes = in.u();
  result.solves = in.u();
  EnumerationStats& stats = result.stats;
  for (std::uint64_t* v : {&stats.regions, &stats.lp_solves, &stats.lp_infeasible, &stats.perturbations,
                           &stats.lp_skipped, &stats.lp_reused})
    *v = in.u();
  for (std::uint64_t* v : {&result.counters.float_witness, &result.counters.float_farkas, &result.counters.exact})
    *v = in.u();
  if (in.u()) {
    ShardInfo shard;
    shard.name = std::string(in.s());
    shard.depth = in.u();
    for (std::uint64_t* v : {&shard.regions, &shard.farkas, &shard.bytes, &shard.children, &shard.lp_solves}) *v = in.u();
    shard.sha256 = std::string(in.s());
    result.shard = std::move(shard);
  }
  result.leaves.resize(in.count());
  for (FrontierJob& leaf : result.leaves) leaf = in.job();
  result.farkas.resize(in.count());
  for (FarkasCertificate& entry : result.farkas) {
    entry.conditions = in.conditions();
    entry.multipliers.resize(in.count());
    for (Integer& v : entry.multipliers) v = in.z();
  }
  wire.children.resize(in.count());
  for (WireJob& child : wire.children) {
    child.depth = in.u();
    child.bytes = std::make_shared<const std::string>(in.s());
  }
  in.end();
  return wire;
}

std::string encode_job_message(std::uint64_t batch, const JobInfo& info, const WireJob& job) {
  std::string out;
  Encoder e(out);
  e.u(batch);
  e.u(info.id);
  e.s(info.name);
  e.u(info.level);
  out += *job.bytes;
  return out;
}

JobMessage decode_job_message(std::string_view bytes) {
  Decoder in(bytes, "job message");
  JobMessage message;
  message.batch = in.u();
  message.id = in.u();
  message.name = std::string(in.s());
  message.level = in.u();
  message.job = in.job();
  in.end();
  return message;
}

}  // namespace chamber

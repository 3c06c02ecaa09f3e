#include "verify/arrangement_certificate.hpp"

#include "verify/certificate_fields.hpp"
#include "verify/hyperplane_rows.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace chamber::verify {

using nlohmann::json;

namespace {

char flip(char sign) { return sign == '+' ? '-' : '+'; }

std::string region_path(std::size_t k) { return "regions[" + std::to_string(k) + "]"; }

}  // namespace

// Named, not anonymous: ArrangementChecker::State (external linkage) holds them.
namespace arrangement_check {

/// Checks interior witnesses with integer arithmetic: writing x = X / D with D > 0 the least common denominator,
/// the sign of b + a·x is the sign of b·D + a·X, one integer dot product per hyperplane instead of rational sums.
class WitnessChecker {
 public:
  explicit WitnessChecker(const HyperplaneRows& arrangement)
      : arrangement_(arrangement), coordinates_(arrangement.dimension), scaled_(arrangement.dimension) {}

  /*! checks that `witness` lies strictly on side `signs[j]` of every hyperplane j (check 2); `path` names the region. */
  void check(const json& witness, std::string_view signs, const std::string& path) {
    const std::size_t n = arrangement_.dimension;
    if (!witness.is_array() || witness.size() != n)
      require_array(witness, n, path + ".witness", "one coordinate per dimension");
    denominator_ = 1;
    for (std::size_t i = 0; i < n; ++i) {
      read_rational(witness[i], coordinates_[i], [&] { return path + ".witness[" + std::to_string(i) + "]"; });
      mpz_lcm(denominator_.get_mpz_t(), denominator_.get_mpz_t(), coordinates_[i].get_den_mpz_t());
    }
    for (std::size_t i = 0; i < n; ++i) {
      mpz_divexact(scaled_[i].get_mpz_t(), denominator_.get_mpz_t(), coordinates_[i].get_den_mpz_t());
      scaled_[i] *= coordinates_[i].get_num();
    }
    for (std::size_t j = 0; j < arrangement_.rows.size(); ++j) {
      const IntegerRow& row = arrangement_.rows[j];
      mpz_mul(value_.get_mpz_t(), row[0].get_mpz_t(), denominator_.get_mpz_t());
      for (std::size_t i = 0; i < n; ++i) mpz_addmul(value_.get_mpz_t(), row[i + 1].get_mpz_t(), scaled_[i].get_mpz_t());
      const int side = sgn(value_);
      if ((signs[j] == '+' ? side : -side) <= 0) {
        mpq_class value(value_, denominator_);
        value.canonicalize();
        fail(path + ": witness violates hyperplane " + std::to_string(j) + " (sign " + signs[j] + " expected, value " +
             value.get_str() + ")");
      }
    }
  }

 private:
  const HyperplaneRows& arrangement_;
  std::vector<mpq_class> coordinates_;
  std::vector<mpz_class> scaled_;  // X = x · D
  mpz_class denominator_;          // D
  mpz_class value_;                // (b + a·x) · D
};

struct BlockedPair {
  std::uint32_t hyperplane;
  std::uint32_t farkas;
};

}  // namespace arrangement_check

using arrangement_check::BlockedPair;
using arrangement_check::WitnessChecker;

/// Regions as bit-packed sign vectors ('+' = 1) in one flat array, found again through an open-addressing table of
/// region numbers; blocked pairs and Farkas entries flat too: a million regions of 63 hyperplanes cost ~30 MB.
struct ArrangementChecker::State {
  HyperplaneRows arrangement;
  std::size_t words = 0;                   // 64-bit words per sign vector
  std::vector<std::uint64_t> signs;        // region k's words at [k * words, (k + 1) * words)
  std::vector<std::uint64_t> table;        // region number + 1, or 0 for an empty slot; size a power of two
  std::vector<std::uint64_t> blocked_mask;  // region k's blocked hyperplanes, laid out as `signs`
  std::vector<std::uint64_t> blocked_begin{0};
  std::vector<BlockedPair> blocked;         // only the pairs not yet checked against their entries
  std::optional<std::size_t> farkas_count;  // known before the regions: pairs range-checked as read
  bool cite_added_only = false;             // every pair cites an entry already added: checked as read
  std::vector<std::uint64_t> farkas_begin{0};
  std::vector<std::uint32_t> farkas_indices;
  std::string farkas_signs;
  std::vector<std::size_t> blocked_stamp;  // `stamp` of the region being read when it blocks hyperplane i
  std::size_t stamp = 0;
  std::unique_ptr<WitnessChecker> witness;

  std::size_t regions() const { return blocked_begin.size() - 1; }
  const std::uint64_t* words_of(std::size_t k) const { return signs.data() + k * words; }

  std::uint64_t hash(const std::uint64_t* key) const {
    std::uint64_t h = 0x9e3779b97f4a7c15ull;
    for (std::size_t w = 0; w < words; ++w) {
      h ^= key[w] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
      h *= 0xff51afd7ed558ccdull;
    }
    return h ^ (h >> 33);
  }
  /*! the slot holding `key`, or the empty slot where it would go. */
  std::size_t slot_of(const std::uint64_t* key) const {
    const std::size_t mask = table.size() - 1;
    for (std::size_t s = hash(key) & mask;; s = (s + 1) & mask) {
      if (table[s] == 0) return s;
      if (std::equal(key, key + words, words_of(table[s] - 1))) return s;
    }
  }
  void grow() {
    std::vector<std::uint64_t> old(table.empty() ? 0 : table.size() * 2, 0);
    old.swap(table);
    if (table.empty()) table.assign(1024, 0);
    for (std::uint64_t entry : old)
      if (entry != 0) table[slot_of(words_of(entry - 1))] = entry;
  }
  std::size_t farkas() const { return farkas_begin.size() - 1; }
  /*! checks the blocked pair [i, f] of region k with sign vector `signs` (check 4): Farkas entry f exists and has, on
   * each of its hyperplanes, the sign the neighbour across i has there, so the neighbour is an empty cell. `position`
   * is the pair's place in the region's list. */
  template <typename Signs>
  void check_pair(std::size_t k, std::size_t position, const Signs& signs, BlockedPair pair) const {
    if (pair.farkas >= farkas()) {
      std::size_t unused = 0;
      fail(region_path(k) + ".blocked[" + std::to_string(position) + "][1]: " +
           parse_index(json(pair.farkas), farkas(), "farkas entry", unused));
    }
    for (std::uint64_t q = farkas_begin[pair.farkas]; q < farkas_begin[pair.farkas + 1]; ++q) {
      const std::size_t j = farkas_indices[q];
      const char neighbour_sign = j == pair.hyperplane ? flip(signs[j]) : signs[j];
      if (farkas_signs[q] != neighbour_sign)
        fail(region_path(k) + ": blocked [" + std::to_string(pair.hyperplane) + ", " + std::to_string(pair.farkas) +
             "]: farkas[" + std::to_string(pair.farkas) + "] sign of hyperplane " + std::to_string(j) + " is " +
             farkas_signs[q] + ", neighbour has " + neighbour_sign);
    }
  }
  std::string text_of(std::size_t k) const {
    std::string text(arrangement.rows.size(), '-');
    const std::uint64_t* key = words_of(k);
    for (std::size_t i = 0; i < text.size(); ++i)
      if ((key[i / 64] >> (i % 64)) & 1u) text[i] = '+';
    return text;
  }
};

ArrangementChecker::ArrangementChecker(const json& arrangement,
                                       const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                       CheckReport& report)
    : state_(std::make_unique<State>()) {
  state_->arrangement = read_hyperplane_rows(arrangement);
  report.dimension = state_->arrangement.dimension;
  report.hyperplanes = state_->arrangement.rows.size();
  // Before the expensive checks: a certificate about another file is worth saying first.
  if (input_rows) match_input_rows(state_->arrangement, *input_rows);
  const std::size_t m = state_->arrangement.rows.size();
  if (m > std::numeric_limits<std::uint32_t>::max()) fail("arrangement.hyperplanes: more than 2^32 - 1 rows");
  state_->words = (m + 63) / 64;
  state_->blocked_stamp.assign(m, 0);
  state_->witness = std::make_unique<WitnessChecker>(state_->arrangement);
}

ArrangementChecker::~ArrangementChecker() = default;

void ArrangementChecker::expect_farkas(std::size_t count) { state_->farkas_count = count; }

void ArrangementChecker::cite_added_entries_only() { state_->cite_added_only = true; }

void ArrangementChecker::add_blocked(std::size_t k, std::size_t hyperplane, std::size_t farkas,
                                     const std::string& path) {
  State& st = *state_;
  const std::size_t m = st.arrangement.rows.size();
  if (k >= st.regions()) fail(path + ": region " + std::to_string(k) + " does not exist (" +
                               std::to_string(st.regions()) + " regions)");
  if (hyperplane >= m) fail(path + ": hyperplane " + std::to_string(hyperplane) + " does not exist");
  if (farkas >= st.farkas()) fail(path + ": farkas entry " + std::to_string(farkas) + " does not exist");
  std::uint64_t& word = st.blocked_mask[k * st.words + hyperplane / 64];
  const std::uint64_t bit = std::uint64_t{1} << (hyperplane % 64);
  if (word & bit) fail(path + ": hyperplane " + std::to_string(hyperplane) + " of region " + std::to_string(k) +
                       " is blocked twice");
  word |= bit;
  st.check_pair(k, 0, st.text_of(k),
                BlockedPair{static_cast<std::uint32_t>(hyperplane), static_cast<std::uint32_t>(farkas)});
}

std::size_t ArrangementChecker::regions() const { return state_->regions(); }
std::size_t ArrangementChecker::farkas() const { return state_->farkas(); }
std::size_t ArrangementChecker::hyperplanes() const { return state_->arrangement.rows.size(); }

ArrangementChecker::CheckedRegion ArrangementChecker::check_region_alone(std::size_t k, const json& region) {
  State& st = *state_;
  const std::size_t m = st.arrangement.rows.size();
  const std::string path = region_path(k);
  if (!region.is_object()) fail(path + ": not a JSON object");
  CheckedRegion out;
  out.signs = require_signs(member(region, "signs", path), m, path + ".signs", "one per hyperplane");
  st.witness->check(member(region, "witness", path), out.signs, path);
  const json& blocked = require_array(member(region, "blocked", path), path + ".blocked");
  out.blocked.reserve(blocked.size());
  const std::size_t stamp = ++st.stamp;
  for (std::size_t t = 0; t < blocked.size(); ++t) {
    auto pair_path = [&] { return path + ".blocked[" + std::to_string(t) + "]"; };
    const json& pair = blocked[t];
    if (!pair.is_array() || pair.size() != 2) fail(pair_path() + ": expected a pair [hyperplane, farkas entry]");
    const std::size_t i = read_index(pair[0], m, "hyperplane", [&] { return pair_path() + "[0]"; });
    const std::size_t f = read_index(pair[1], std::numeric_limits<std::uint32_t>::max(), "farkas entry",
                                     [&] { return pair_path() + "[1]"; });
    if (st.blocked_stamp[i] == stamp) fail(pair_path() + ": hyperplane " + std::to_string(i) + " is blocked twice");
    st.blocked_stamp[i] = stamp;
    out.blocked.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(f));
  }
  return out;
}

void ArrangementChecker::add_region(std::size_t k, const json& region) {
  add_checked_region(k, check_region_alone(k, region));
}

void ArrangementChecker::add_checked_region(std::size_t k, const CheckedRegion& region) {
  State& st = *state_;
  const std::size_t m = st.arrangement.rows.size();
  const std::string_view signs = region.signs;
  // Every Farkas entry already read (they came first): each pair is checked now and only the mask is kept.
  const bool entries_known = st.cite_added_only || (st.farkas_count && *st.farkas_count == st.farkas());
  const std::size_t mask_begin = st.blocked_mask.size();
  st.blocked_mask.resize(mask_begin + st.words, 0);
  for (std::size_t t = 0; t < region.blocked.size(); ++t) {
    const BlockedPair pair{region.blocked[t].first, region.blocked[t].second};
    if (!entries_known && st.farkas_count && pair.farkas >= *st.farkas_count) {
      std::size_t unused = 0;
      fail(region_path(k) + ".blocked[" + std::to_string(t) + "][1]: " +
           parse_index(json(pair.farkas), *st.farkas_count, "farkas entry", unused));
    }
    st.blocked_mask[mask_begin + pair.hyperplane / 64] |= std::uint64_t{1} << (pair.hyperplane % 64);
    if (entries_known)
      st.check_pair(k, t, signs, pair);
    else
      st.blocked.push_back(pair);
  }
  st.blocked_begin.push_back(st.blocked.size());

  // The sign vector as bits; a second region with the same one is refused (the count counts distinct cells).
  const std::size_t begin = st.signs.size();
  st.signs.resize(begin + st.words, 0);
  for (std::size_t i = 0; i < m; ++i)
    if (signs[i] == '+') st.signs[begin + i / 64] |= std::uint64_t{1} << (i % 64);
  if (2 * (k + 1) > st.table.size()) st.grow();
  const std::size_t slot = st.slot_of(st.words_of(k));
  if (st.table[slot] != 0)
    fail(region_path(st.table[slot] - 1) + " and " + region_path(k) + " have the same sign vector");
  st.table[slot] = k + 1;
}

ArrangementChecker::CheckedFarkas ArrangementChecker::check_farkas_alone(std::size_t f, const json& entry) {
  State& st = *state_;
  const HyperplaneRows& arrangement = st.arrangement;
  const std::size_t n = arrangement.dimension;
  const std::size_t m = arrangement.rows.size();
  const std::string path = "farkas[" + std::to_string(f) + "]";
  if (!entry.is_object()) fail(path + ": not a JSON object");
  const json& indices = require_array(member(entry, "hyperplanes", path), path + ".hyperplanes");
  if (indices.empty()) fail(path + ".hyperplanes: empty (at least one hyperplane)");
  std::vector<std::size_t> parsed;
  parsed.reserve(indices.size());
  for (std::size_t t = 0; t < indices.size(); ++t) {
    auto index_path = [&] { return path + ".hyperplanes[" + std::to_string(t) + "]"; };
    const std::size_t j = read_index(indices[t], m, "hyperplane", index_path);
    if (t > 0 && j <= parsed.back())
      fail(index_path() + ": indices not strictly increasing (" + std::to_string(j) + " after " +
           std::to_string(parsed.back()) + ")");
    parsed.push_back(j);
  }
  const std::size_t p = parsed.size();
  const std::string& signs = require_signs(member(entry, "signs", path), p, path + ".signs", "one per listed hyperplane");
  const json& lambdas =
      require_array(member(entry, "multipliers", path), p, path + ".multipliers", "one per listed hyperplane");

  // Multipliers scaled by their common denominator L > 0, which changes neither the zero test nor the sign of the
  // constant term.
  std::vector<mpq_class> multipliers(p);
  mpz_class common = 1;
  for (std::size_t t = 0; t < p; ++t) {
    read_rational(lambdas[t], multipliers[t], [&] { return path + ".multipliers[" + std::to_string(t) + "]"; });
    if (sgn(multipliers[t]) <= 0)
      fail(path + ".multipliers[" + std::to_string(t) + "]: multiplier " + multipliers[t].get_str() +
           " is not positive");
    mpz_lcm(common.get_mpz_t(), common.get_mpz_t(), multipliers[t].get_den_mpz_t());
  }
  std::vector<mpz_class> combination(n + 1, 0);
  mpz_class scaled;
  for (std::size_t t = 0; t < p; ++t) {
    mpz_divexact(scaled.get_mpz_t(), common.get_mpz_t(), multipliers[t].get_den_mpz_t());
    scaled *= multipliers[t].get_num();
    const IntegerRow& row = arrangement.rows[parsed[t]];
    for (std::size_t c = 0; c <= n; ++c) {
      if (signs[t] == '+')
        mpz_addmul(combination[c].get_mpz_t(), scaled.get_mpz_t(), row[c].get_mpz_t());
      else
        mpz_submul(combination[c].get_mpz_t(), scaled.get_mpz_t(), row[c].get_mpz_t());
    }
  }
  auto unscaled = [&](const mpz_class& value) {
    mpq_class quotient(value, common);
    quotient.canonicalize();
    return quotient.get_str();
  };
  for (std::size_t c = 1; c <= n; ++c)
    if (combination[c] != 0)
      fail(path + ": combination of normals is not zero (coordinate " + std::to_string(c) + " = " +
           unscaled(combination[c]) + ")");
  if (combination[0] > 0) fail(path + ": constant term " + unscaled(combination[0]) + " > 0");

  CheckedFarkas out;
  for (std::size_t j : parsed) out.indices.push_back(static_cast<std::uint32_t>(j));
  out.signs = signs;
  return out;
}

void ArrangementChecker::add_farkas(std::size_t f, const json& entry) { add_checked_farkas(check_farkas_alone(f, entry)); }

void ArrangementChecker::add_checked_farkas(CheckedFarkas&& entry) {
  State& st = *state_;
  st.farkas_indices.insert(st.farkas_indices.end(), entry.indices.begin(), entry.indices.end());
  st.farkas_signs += entry.signs;
  st.farkas_begin.push_back(st.farkas_indices.size());
}

void ArrangementChecker::finish() {
  State& st = *state_;
  const std::size_t m = st.arrangement.rows.size();
  if (st.regions() == 0) return;  // nothing to close (the callers refuse an empty list first)
  std::vector<std::uint64_t> neighbour(st.words);
  std::string text;
  for (std::size_t k = 0; k < st.regions(); ++k) {
    const std::uint64_t* key = st.words_of(k);
    const std::uint64_t* mask = st.blocked_mask.data() + k * st.words;
    if (st.blocked_begin[k] < st.blocked_begin[k + 1]) {  // pairs read before their entries
      text = st.text_of(k);
      std::size_t position = 0;
      for (std::size_t t = st.blocked_begin[k]; t < st.blocked_begin[k + 1]; ++t)
        st.check_pair(k, position++, text, st.blocked[t]);
    }
    // Closure (check 4): for every hyperplane not blocked, the flipped sign vector is a region.
    std::copy(key, key + st.words, neighbour.begin());
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      if (mask[i / 64] & bit) continue;
      neighbour[i / 64] ^= bit;
      if (st.table[st.slot_of(neighbour.data())] == 0) {
        text = st.text_of(k);
        text[i] = flip(text[i]);
        fail(region_path(k) + ": hyperplane " + std::to_string(i) + ": neighbour " + text +
             " is not a region and no Farkas entry is given");
      }
      neighbour[i / 64] ^= bit;
    }
  }
}

void check_arrangement_certificate(const json& certificate,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                   CheckReport& report) {
  ArrangementChecker checker(member(certificate, "arrangement", ""), input_rows, report);
  const json& regions = require_array(member(certificate, "regions", ""), "regions");
  const json& farkas = require_array(member(certificate, "farkas", ""), "farkas");
  report.regions = regions.size();
  report.farkas = farkas.size();
  check_region_count(member(certificate, "region_count", ""), regions.size(), arrangement_nonempty);
  checker.expect_farkas(farkas.size());
  for (std::size_t k = 0; k < regions.size(); ++k) checker.add_region(k, regions[k]);
  for (std::size_t f = 0; f < farkas.size(); ++f) checker.add_farkas(f, farkas[f]);
  checker.finish();
}

}  // namespace chamber::verify

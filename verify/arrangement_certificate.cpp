#include "verify/arrangement_certificate.hpp"

#include "verify/certificate_fields.hpp"
#include "verify/hyperplane_rows.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

namespace chamber::verify {

namespace {

using nlohmann::json;

struct BlockedPair {
  std::size_t hyperplane;
  std::size_t farkas;
};

/// The regions after reading: sign vectors (views into the certificate's strings) and their blocked pairs, stored
/// flat so that 100k regions cost two vectors, not 100k small ones.
struct ParsedRegions {
  std::vector<std::string_view> signs;
  std::vector<std::size_t> blocked_begin;  // the pairs of region k are blocked[blocked_begin[k] .. blocked_begin[k+1])
  std::vector<BlockedPair> blocked;
};

struct FarkasEntry {
  std::vector<std::size_t> indices;
  std::string_view signs;
};

using RegionIndex = std::unordered_map<std::string_view, std::size_t>;

char flip(char sign) { return sign == '+' ? '-' : '+'; }

std::string region_path(std::size_t k) { return "regions[" + std::to_string(k) + "]"; }

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

/*! reads every region, checks its witness (check 2) and the shape of its blocked pairs. */
ParsedRegions read_regions(const json& regions, const HyperplaneRows& arrangement, std::size_t farkas_count) {
  const std::size_t m = arrangement.rows.size();
  ParsedRegions result;
  result.signs.reserve(regions.size());
  result.blocked_begin.reserve(regions.size() + 1);
  WitnessChecker witness_checker(arrangement);
  std::vector<std::size_t> blocked_stamp(m, 0);  // k + 1 when region k blocks hyperplane i: no clearing between regions
  for (std::size_t k = 0; k < regions.size(); ++k) {
    const std::string path = region_path(k);
    const json& region = regions[k];
    if (!region.is_object()) fail(path + ": not a JSON object");
    std::string_view signs = require_signs(member(region, "signs", path), m, path + ".signs", "one per hyperplane");
    witness_checker.check(member(region, "witness", path), signs, path);

    const json& blocked = require_array(member(region, "blocked", path), path + ".blocked");
    result.blocked_begin.push_back(result.blocked.size());
    for (std::size_t t = 0; t < blocked.size(); ++t) {
      auto pair_path = [&] { return path + ".blocked[" + std::to_string(t) + "]"; };
      const json& pair = blocked[t];
      if (!pair.is_array() || pair.size() != 2) fail(pair_path() + ": expected a pair [hyperplane, farkas entry]");
      const std::size_t i = read_index(pair[0], m, "hyperplane", [&] { return pair_path() + "[0]"; });
      const std::size_t f = read_index(pair[1], farkas_count, "farkas entry", [&] { return pair_path() + "[1]"; });
      if (blocked_stamp[i] == k + 1) fail(pair_path() + ": hyperplane " + std::to_string(i) + " is blocked twice");
      blocked_stamp[i] = k + 1;
      result.blocked.push_back({i, f});
    }
    result.signs.push_back(signs);
  }
  result.blocked_begin.push_back(result.blocked.size());
  return result;
}

/*! indexes the regions by sign vector, failing when two are equal (check 2: the count counts distinct cells). */
RegionIndex index_regions(const ParsedRegions& regions) {
  RegionIndex index;
  index.reserve(regions.signs.size());
  for (std::size_t k = 0; k < regions.signs.size(); ++k) {
    auto [found, is_new] = index.emplace(regions.signs[k], k);
    if (!is_new) fail(region_path(found->second) + " and " + region_path(k) + " have the same sign vector");
  }
  return index;
}

/*! reads every Farkas entry and checks that it proves its strict system infeasible (check 3). Multipliers are scaled
 * by their common denominator L > 0, which changes neither the zero test nor the sign of the constant term. */
std::vector<FarkasEntry> read_farkas(const json& farkas, const HyperplaneRows& arrangement) {
  const std::size_t n = arrangement.dimension;
  const std::size_t m = arrangement.rows.size();
  std::vector<FarkasEntry> result;
  result.reserve(farkas.size());
  std::vector<mpq_class> multipliers;
  std::vector<mpz_class> combination(n + 1);
  mpz_class common = 1;
  mpz_class scaled;
  for (std::size_t f = 0; f < farkas.size(); ++f) {
    const std::string path = "farkas[" + std::to_string(f) + "]";
    const json& entry = farkas[f];
    if (!entry.is_object()) fail(path + ": not a JSON object");
    FarkasEntry parsed;
    const json& indices = require_array(member(entry, "hyperplanes", path), path + ".hyperplanes");
    if (indices.empty()) fail(path + ".hyperplanes: empty (at least one hyperplane)");
    for (std::size_t t = 0; t < indices.size(); ++t) {
      auto index_path = [&] { return path + ".hyperplanes[" + std::to_string(t) + "]"; };
      const std::size_t j = read_index(indices[t], m, "hyperplane", index_path);
      if (t > 0 && j <= parsed.indices.back())
        fail(index_path() + ": indices not strictly increasing (" + std::to_string(j) + " after " +
             std::to_string(parsed.indices.back()) + ")");
      parsed.indices.push_back(j);
    }
    const std::size_t p = parsed.indices.size();
    parsed.signs = require_signs(member(entry, "signs", path), p, path + ".signs", "one per listed hyperplane");
    const json& lambdas = require_array(member(entry, "multipliers", path), p, path + ".multipliers",
                                        "one per listed hyperplane");

    multipliers.resize(p);
    common = 1;
    for (std::size_t t = 0; t < p; ++t) {
      read_rational(lambdas[t], multipliers[t], [&] { return path + ".multipliers[" + std::to_string(t) + "]"; });
      if (sgn(multipliers[t]) <= 0)
        fail(path + ".multipliers[" + std::to_string(t) + "]: multiplier " + multipliers[t].get_str() +
             " is not positive");
      mpz_lcm(common.get_mpz_t(), common.get_mpz_t(), multipliers[t].get_den_mpz_t());
    }
    for (mpz_class& value : combination) value = 0;
    for (std::size_t t = 0; t < p; ++t) {
      mpz_divexact(scaled.get_mpz_t(), common.get_mpz_t(), multipliers[t].get_den_mpz_t());
      scaled *= multipliers[t].get_num();
      const IntegerRow& row = arrangement.rows[parsed.indices[t]];
      for (std::size_t c = 0; c <= n; ++c) {
        if (parsed.signs[t] == '+')
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
    result.push_back(std::move(parsed));
  }
  return result;
}

/*! checks that the blocked pair [i, f] of region k covers the neighbour across i: Farkas entry f has, on each of its
 * hyperplanes, the sign the neighbour has there — so the neighbour is an empty cell. */
void check_blocked_pair(std::size_t k, std::string_view signs, BlockedPair pair, const FarkasEntry& entry) {
  for (std::size_t t = 0; t < entry.indices.size(); ++t) {
    const std::size_t j = entry.indices[t];
    const char neighbour_sign = j == pair.hyperplane ? flip(signs[j]) : signs[j];
    if (entry.signs[t] != neighbour_sign)
      fail(region_path(k) + ": blocked [" + std::to_string(pair.hyperplane) + ", " + std::to_string(pair.farkas) +
           "]: farkas[" + std::to_string(pair.farkas) + "] sign of hyperplane " + std::to_string(j) + " is " +
           entry.signs[t] + ", neighbour has " + neighbour_sign);
  }
}

/*! checks that the regions are closed under crossing facets (check 4): for every region and hyperplane, the flipped
 * sign vector is a region or is covered by a blocked pair. */
void check_closure(const ParsedRegions& regions, const RegionIndex& index, const std::vector<FarkasEntry>& farkas,
                   std::size_t m) {
  std::vector<std::size_t> blocked_stamp(m, 0);  // k + 1 when region k blocks hyperplane i
  std::string neighbour;
  for (std::size_t k = 0; k < regions.signs.size(); ++k) {
    const std::string_view signs = regions.signs[k];
    for (std::size_t t = regions.blocked_begin[k]; t < regions.blocked_begin[k + 1]; ++t) {
      const BlockedPair pair = regions.blocked[t];
      check_blocked_pair(k, signs, pair, farkas[pair.farkas]);
      blocked_stamp[pair.hyperplane] = k + 1;
    }
    neighbour.assign(signs);
    for (std::size_t i = 0; i < m; ++i) {
      if (blocked_stamp[i] == k + 1) continue;
      neighbour[i] = flip(signs[i]);
      if (index.find(std::string_view(neighbour)) == index.end())
        fail(region_path(k) + ": hyperplane " + std::to_string(i) + ": neighbour " + neighbour +
             " is not a region and no Farkas entry is given");
      neighbour[i] = signs[i];
    }
  }
}

}  // namespace

void check_arrangement_certificate(const json& certificate,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                   CheckReport& report) {
  const HyperplaneRows arrangement = read_hyperplane_rows(member(certificate, "arrangement", ""));
  report.dimension = arrangement.dimension;
  report.hyperplanes = arrangement.rows.size();
  // Before the expensive checks: a certificate about another file is worth saying first.
  if (input_rows) match_input_rows(arrangement, *input_rows);

  const json& regions = require_array(member(certificate, "regions", ""), "regions");
  const json& farkas = require_array(member(certificate, "farkas", ""), "farkas");
  report.regions = regions.size();
  report.farkas = farkas.size();

  const json& region_count = member(certificate, "region_count", "");
  const std::optional<std::uint64_t> claimed = json_natural(region_count);
  if (!claimed) fail("region_count: expected a JSON integer >= 0, found " + describe(region_count));
  if (*claimed != regions.size())  // check 5
    fail("region_count " + std::to_string(*claimed) + " but " + std::to_string(regions.size()) + " regions listed");
  // The closure argument needs a nonempty set; and R^n minus finitely many hyperplanes is never empty.
  if (regions.empty()) fail("regions: empty (every arrangement has at least one region)");

  const ParsedRegions parsed = read_regions(regions, arrangement, farkas.size());
  const RegionIndex index = index_regions(parsed);
  const std::vector<FarkasEntry> entries = read_farkas(farkas, arrangement);
  check_closure(parsed, index, entries, arrangement.rows.size());
}

}  // namespace chamber::verify

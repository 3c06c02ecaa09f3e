#include "verify/network_certificate.hpp"

#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace chamber::verify {

namespace {

using nlohmann::json;

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

std::string region_path(std::size_t r) { return "regions[" + std::to_string(r) + "]"; }

char flip(char sign) { return sign == '+' ? '-' : '+'; }

std::string quoted(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  const char* digits = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 0xf];
}

std::string fraction_text(const mpz_class& numerator, const mpz_class& denominator) {
  mpq_class value(numerator, denominator);
  value.canonicalize();
  return value.get_str();
}

/// The domain's open box lo < x_i < hi. Its faces scaled to integers: face 2i is scale * (x_i - lo) and face 2i + 1
/// is scale * (hi - x_i), with scale the least common denominator of lo and hi.
struct Box {
  mpq_class lo, hi;
  mpz_class scale, lo_scaled, hi_scaled;
};

std::optional<Box> read_box(const json& value) {
  if (value.is_null()) return std::nullopt;
  require_array(value, 2, "box", "null or [lo, hi]");
  Box box;
  read_rational(value[0], box.lo, [] { return std::string("box[0]"); });
  read_rational(value[1], box.hi, [] { return std::string("box[1]"); });
  if (box.lo >= box.hi) fail("box: lo = " + box.lo.get_str() + " is not below hi = " + box.hi.get_str());
  mpz_lcm(box.scale.get_mpz_t(), box.lo.get_den_mpz_t(), box.hi.get_den_mpz_t());
  mpz_divexact(box.lo_scaled.get_mpz_t(), box.scale.get_mpz_t(), box.lo.get_den_mpz_t());
  box.lo_scaled *= box.lo.get_num();
  mpz_divexact(box.hi_scaled.get_mpz_t(), box.scale.get_mpz_t(), box.hi.get_den_mpz_t());
  box.hi_scaled *= box.hi.get_num();
  return box;
}

struct BlockedPair {
  std::size_t neuron;
  std::size_t farkas;
};

/// The regions after reading: patterns (views into the certificate's strings) and their blocked pairs, stored flat.
struct ParsedRegions {
  std::vector<std::string_view> patterns;
  std::vector<std::size_t> blocked_begin;  // region r's pairs are blocked[blocked_begin[r] .. blocked_begin[r + 1])
  std::vector<BlockedPair> blocked;
};

using RegionIndex = std::unordered_map<std::string_view, std::size_t>;

struct FarkasEntry {
  std::vector<std::size_t> conditions;  // neuron k < N, or N + face
  std::string_view signs;
  std::vector<mpz_class> multipliers;  // lambda_q * denominator: positive integers
  mpz_class denominator;               // the least common denominator of the lambda_q
};

/*! reads every region's pattern (check 1: N characters from "+-0") and the shape of its blocked pairs. */
ParsedRegions read_regions(const json& regions, std::size_t neurons, std::size_t farkas_count) {
  ParsedRegions result;
  result.patterns.reserve(regions.size());
  result.blocked_begin.reserve(regions.size() + 1);
  for (std::size_t r = 0; r < regions.size(); ++r) {
    const std::string path = region_path(r);
    const json& region = regions[r];
    if (!region.is_object()) fail(path + ": not a JSON object");
    const json& pattern_value = member(region, "pattern", path);
    if (!pattern_value.is_string()) fail(path + ".pattern: not a string, found " + describe(pattern_value));
    const std::string& pattern = pattern_value.get_ref<const std::string&>();
    if (pattern.size() != neurons)
      fail(path + ".pattern: length " + std::to_string(pattern.size()) + ", expected " + std::to_string(neurons) +
           " (one character per hidden neuron)");
    for (std::size_t k = 0; k < neurons; ++k)
      if (pattern[k] != '+' && pattern[k] != '-' && pattern[k] != '0')
        fail(path + ".pattern[" + std::to_string(k) + "]: bad character " + quoted(pattern[k]) +
             " (expected +, - or 0)");
    result.patterns.push_back(pattern);

    const json& blocked = require_array(member(region, "blocked", path), path + ".blocked");
    result.blocked_begin.push_back(result.blocked.size());
    for (std::size_t t = 0; t < blocked.size(); ++t) {
      auto pair_path = [&] { return path + ".blocked[" + std::to_string(t) + "]"; };
      const json& pair = blocked[t];
      if (!pair.is_array() || pair.size() != 2) fail(pair_path() + ": expected a pair [neuron, farkas entry]");
      const std::size_t k = read_index(pair[0], neurons, "neuron", [&] { return pair_path() + "[0]"; });
      const std::size_t f = read_index(pair[1], farkas_count, "farkas entry", [&] { return pair_path() + "[1]"; });
      result.blocked.push_back({k, f});
    }
  }
  result.blocked_begin.push_back(result.blocked.size());
  return result;
}

/*! indexes the regions by pattern, failing when two are equal (check 3). */
RegionIndex index_regions(const ParsedRegions& regions) {
  RegionIndex index;
  index.reserve(regions.patterns.size());
  for (std::size_t r = 0; r < regions.patterns.size(); ++r) {
    auto [found, is_new] = index.emplace(regions.patterns[r], r);
    if (!is_new) fail(region_path(found->second) + " and " + region_path(r) + " have the same pattern");
  }
  return index;
}

/*! reads every Farkas entry: conditions (neurons < N, box faces N .. N + 2n - 1 when there is a box), signs, and
 * positive multipliers scaled to integers. Their validity depends on the region reading them (check 4a). */
std::vector<FarkasEntry> read_farkas(const json& farkas, std::size_t neurons, std::size_t dimension, bool has_box) {
  const std::size_t bound = has_box ? neurons + 2 * dimension : neurons;
  std::vector<FarkasEntry> result;
  result.reserve(farkas.size());
  std::vector<mpq_class> lambdas;
  for (std::size_t f = 0; f < farkas.size(); ++f) {
    const std::string path = "farkas[" + std::to_string(f) + "]";
    const json& entry = farkas[f];
    if (!entry.is_object()) fail(path + ": not a JSON object");
    FarkasEntry parsed;
    const json& conditions = require_array(member(entry, "conditions", path), path + ".conditions");
    // An empty sum is 0, not > 0: the argument needs at least one condition.
    if (conditions.empty()) fail(path + ".conditions: empty (at least one condition)");
    const std::size_t p = conditions.size();
    parsed.conditions.reserve(p);
    for (std::size_t q = 0; q < p; ++q)
      parsed.conditions.push_back(read_index(conditions[q], bound, has_box ? "condition" : "condition (no box)",
                                             [&] { return path + ".conditions[" + std::to_string(q) + "]"; }));
    parsed.signs = require_signs(member(entry, "signs", path), p, path + ".signs", "one per condition");
    const json& multipliers =
        require_array(member(entry, "multipliers", path), p, path + ".multipliers", "one per condition");
    lambdas.resize(p);
    parsed.denominator = 1;
    for (std::size_t q = 0; q < p; ++q) {
      auto lambda_path = [&] { return path + ".multipliers[" + std::to_string(q) + "]"; };
      read_rational(multipliers[q], lambdas[q], lambda_path);
      if (sgn(lambdas[q]) <= 0) fail(lambda_path() + ": multiplier " + lambdas[q].get_str() + " is not positive");
      mpz_lcm(parsed.denominator.get_mpz_t(), parsed.denominator.get_mpz_t(), lambdas[q].get_den_mpz_t());
    }
    parsed.multipliers.resize(p);
    for (std::size_t q = 0; q < p; ++q) {
      mpz_divexact(parsed.multipliers[q].get_mpz_t(), parsed.denominator.get_mpz_t(), lambdas[q].get_den_mpz_t());
      parsed.multipliers[q] *= lambdas[q].get_num();
    }
    result.push_back(std::move(parsed));
  }
  return result;
}

/// Hashing forms up to a nonzero factor, modulo the prime p = 2^61 - 1: a form divided by its first nonzero linear
/// coefficient (the pivot). Equal hashes are confirmed exactly; the hash only keeps the grouping from being quadratic,
/// but proportional forms must get equal hashes. When the pivot is a multiple of p, the form is first divided by the
/// gcd of its entries: that primitive form is the same (up to sign) for all proportional forms, and its pivot is a
/// multiple of p only when every proportional form's pivot is, and those all share one hash.
class ProjectiveHash {
 public:
  static std::uint64_t of(const IntegerForm& form, std::size_t first_nonzero) {
    std::uint64_t hash = first_nonzero * 0x9e3779b97f4a7c15ULL;
    if (residue(form[first_nonzero]) != 0) return normalised(form, first_nonzero, hash);
    IntegerForm primitive = form;
    mpz_class divisor = 0;
    for (const mpz_class& value : form) mpz_gcd(divisor.get_mpz_t(), divisor.get_mpz_t(), value.get_mpz_t());
    for (mpz_class& value : primitive) mpz_divexact(value.get_mpz_t(), value.get_mpz_t(), divisor.get_mpz_t());
    if (residue(primitive[first_nonzero]) != 0) return normalised(primitive, first_nonzero, hash);
    return hash;
  }

 private:
  static constexpr std::uint64_t prime = (std::uint64_t{1} << 61) - 1;
  static_assert(sizeof(unsigned long) >= 8, "mpz_fdiv_ui needs a 64-bit unsigned long here");

  static std::uint64_t residue(const mpz_class& value) { return mpz_fdiv_ui(value.get_mpz_t(), prime); }
  static std::uint64_t normalised(const IntegerForm& form, std::size_t first_nonzero, std::uint64_t hash) {
    const std::uint64_t inverse = power(residue(form[first_nonzero]), prime - 2);
    for (const mpz_class& value : form) hash = add(multiply(hash, 1000003), multiply(residue(value), inverse));
    return hash;
  }
  static std::uint64_t add(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t sum = a % prime + b;
    return sum >= prime ? sum - prime : sum;
  }
  static std::uint64_t multiply(std::uint64_t a, std::uint64_t b) {
    const unsigned __int128 product = static_cast<unsigned __int128>(a % prime) * (b % prime);
    const std::uint64_t folded = static_cast<std::uint64_t>(product & prime) + static_cast<std::uint64_t>(product >> 61);
    return folded >= prime ? folded - prime : folded;
  }
  static std::uint64_t power(std::uint64_t base, std::uint64_t exponent) {
    std::uint64_t result = 1;
    for (; exponent != 0; exponent >>= 1, base = multiply(base, base))
      if (exponent & 1) result = multiply(result, base);
    return result;
  }
};

/// Checks regions one at a time (checks 1, 2 and 4). Regions should come in lexicographic order of their patterns:
/// the forms of layer l depend only on the characters of layers < l, so a shared prefix keeps those layers' forms.
class RegionChecker {
 public:
  RegionChecker(const NetworkModel& model, const std::optional<Box>& box, const ParsedRegions& regions,
                const RegionIndex& index, const std::vector<FarkasEntry>& farkas)
      : model_(model),
        box_(box),
        regions_(regions),
        index_(index),
        farkas_(farkas),
        n_(model.input_dimension),
        neurons_(model.neurons()),
        forms_(model.layers.size()),
        first_nonzero_(neurons_, 0),
        hash_(neurons_, 0),
        on_box_face_(neurons_, false),
        layer_of_(neurons_),
        group_of_(neurons_, none),
        next_member_(neurons_, none),
        coordinates_(n_),
        scaled_(n_),
        combination_(n_ + 1) {
    for (std::size_t k = 0; k < neurons_; ++k) layer_of_[k] = model.layer_of(k);
    const std::size_t layers = model.layers.size();
    // Farkas sums are taken over the common denominator T = S_last * B (B the box's scale): a neuron's form
    // F / S_l is F * (S_last / S_l) * B / T, a box face G / B is G * S_last / T.
    const mpz_class& last_scale = model.form_scale.back();
    box_factor_ = last_scale;
    layer_factor_.resize(layers);
    for (std::size_t l = 0; l < layers; ++l) {
      mpz_divexact(layer_factor_[l].get_mpz_t(), last_scale.get_mpz_t(), model.form_scale[l].get_mpz_t());
      if (box_) layer_factor_[l] *= box_->scale;
    }
    common_denominator_ = last_scale;
    if (box_) common_denominator_ *= box_->scale;
    std::size_t widest = 0;
    for (const NetworkLayer& layer : model.layers) widest = std::max(widest, layer.outputs());
    delta_.resize(widest);
    delta_nonzero_.resize(widest);
    previous_delta_.resize(widest);
    previous_nonzero_.resize(widest);
  }

  /*! checks region r (whose pattern has the right shape and is distinct from the others): checks 1 and 2 fail at
   * once; a failure of check 4 is kept (the one of the lowest region) and only thrown by finish(), so that a wrong
   * region is blamed on itself rather than on a neighbour that misses it. */
  void check(std::size_t r, const json& region) {
    const std::string_view pattern = regions_.patterns[r];
    update_forms(pattern);
    check_valid(r, pattern);
    check_witness(r, member(region, "witness", region_path(r)), pattern);
    build_groups();
    try {
      close_groups(r, pattern);
    } catch (CheckFailure& failure) {
      if (closure_failure_region_ == none || r < closure_failure_region_) {
        closure_failure_region_ = r;
        closure_failure_ = std::move(failure.reason);
      }
    }
  }

  /*! throws the kept failure of check 4, if any. */
  void finish() const {
    if (closure_failure_region_ != none) fail(closure_failure_);
  }

 private:
  const IntegerForm& form(std::size_t k) const {
    const std::size_t l = layer_of_[k];
    return forms_[l][k - model_.first_neuron[l]];
  }

  /*! recomputes the forms of the layers whose earlier characters differ from the previous pattern's. */
  void update_forms(std::string_view pattern) {
    std::size_t start = 0;
    if (has_forms_) {
      const auto mismatch = std::mismatch(pattern.begin(), pattern.end(), previous_pattern_.begin());
      const auto differ = static_cast<std::size_t>(mismatch.first - pattern.begin());
      while (start < model_.layers.size() && model_.first_neuron[start] <= differ) ++start;
    }
    for (std::size_t l = start; l < model_.layers.size(); ++l) {
      layer_integer_forms(model_, l, pattern, l == 0 ? no_forms_ : forms_[l - 1], forms_[l]);
      for (std::size_t k = model_.first_neuron[l]; k < model_.first_neuron[l + 1]; ++k) describe_form(k);
    }
    has_forms_ = true;
    previous_pattern_ = pattern;
  }

  /*! caches what the grouping needs of neuron k's form: first nonzero linear coefficient, hash, box face. */
  void describe_form(std::size_t k) {
    const IntegerForm& f = form(k);
    std::size_t first = 0, count = 0;
    for (std::size_t i = 1; i <= n_; ++i)
      if (sgn(f[i]) != 0) {
        if (first == 0) first = i;
        ++count;
      }
    first_nonzero_[k] = first;
    on_box_face_[k] = false;
    if (first == 0) return;  // constant
    hash_[k] = ProjectiveHash::of(f, first);
    // c + a x_i = 0 is the face x_i = lo (or hi) when -c / a = lo, that is c * den(lo) + a * num(lo) = 0.
    if (box_ && count == 1) {
      auto is_at = [&](const mpq_class& bound) {
        return f[0] * bound.get_den() + f[first] * bound.get_num() == 0;
      };
      on_box_face_[k] = is_at(box_->lo) || is_at(box_->hi);
    }
  }

  /*! check 1: a constant form has the character of its sign, a non-constant one '+' or '-'. */
  void check_valid(std::size_t r, std::string_view pattern) const {
    for (std::size_t k = 0; k < neurons_; ++k) {
      const char c = pattern[k];
      if (first_nonzero_[k] != 0) {
        if (c == '0')
          fail(region_path(r) + ".pattern[" + std::to_string(k) + "]: neuron " + std::to_string(k) +
               " has a non-constant form under this pattern, so its character must be + or -, found '0'");
        continue;
      }
      const int sign = sgn(form(k)[0]);
      const char expected = sign > 0 ? '+' : sign < 0 ? '-' : '0';
      if (c != expected)
        fail(region_path(r) + ".pattern[" + std::to_string(k) + "]: neuron " + std::to_string(k) +
             " has the constant form " + fraction_text(form(k)[0], model_.form_scale[layer_of_[k]]) +
             " under this pattern, so its character must be '" + expected + "', found " + quoted(c));
    }
  }

  /*! checks 1 and 2: the witness lies in the open box and strictly on its pattern's side of every non-constant form.
   * With x = X / D (D the least common denominator), the sign of S_l f(x) is the sign of F_0 D + F . X. */
  void check_witness(std::size_t r, const json& witness, std::string_view pattern) {
    const std::string path = region_path(r) + ".witness";
    require_array(witness, n_, path, "one coordinate per input dimension");
    denominator_ = 1;
    for (std::size_t i = 0; i < n_; ++i) {
      read_rational(witness[i], coordinates_[i], [&] { return path + "[" + std::to_string(i) + "]"; });
      if (box_ && (coordinates_[i] <= box_->lo || coordinates_[i] >= box_->hi))
        fail(path + "[" + std::to_string(i) + "]: " + coordinates_[i].get_str() + " is not inside the box (" +
             box_->lo.get_str() + ", " + box_->hi.get_str() + ")");
      mpz_lcm(denominator_.get_mpz_t(), denominator_.get_mpz_t(), coordinates_[i].get_den_mpz_t());
    }
    for (std::size_t i = 0; i < n_; ++i) {
      mpz_divexact(scaled_[i].get_mpz_t(), denominator_.get_mpz_t(), coordinates_[i].get_den_mpz_t());
      scaled_[i] *= coordinates_[i].get_num();
    }
    for (std::size_t k = 0; k < neurons_; ++k) {
      if (first_nonzero_[k] == 0) continue;  // constant: check_valid matched the character to its sign
      const IntegerForm& f = form(k);
      mpz_mul(value_.get_mpz_t(), f[0].get_mpz_t(), denominator_.get_mpz_t());
      for (std::size_t i = first_nonzero_[k]; i <= n_; ++i)
        if (sgn(f[i]) != 0) mpz_addmul(value_.get_mpz_t(), f[i].get_mpz_t(), scaled_[i - 1].get_mpz_t());
      const int side = sgn(value_);
      if ((pattern[k] == '+' ? side : -side) <= 0)
        fail(region_path(r) + ": the witness is not in the cell: neuron " + std::to_string(k) + " has value " +
             fraction_text(value_, mpz_class(denominator_ * model_.form_scale[layer_of_[k]])) + ", sign " +
             pattern[k] + " expected");
    }
  }

  /*! returns whether the non-constant forms of neurons j and k are proportional (both have the same first nonzero
   * linear coefficient index). */
  bool proportional(std::size_t j, std::size_t k) {
    const std::size_t first = first_nonzero_[j];
    if (first_nonzero_[k] != first) return false;
    const IntegerForm& u = form(j);
    const IntegerForm& v = form(k);
    for (std::size_t i = 0; i <= n_; ++i) {
      mpz_mul(left_.get_mpz_t(), u[i].get_mpz_t(), v[first].get_mpz_t());
      mpz_mul(right_.get_mpz_t(), v[i].get_mpz_t(), u[first].get_mpz_t());
      if (left_ != right_) return false;
    }
    return true;
  }

  /*! sorts the non-constant neurons into hyperplane groups (proportional forms); a group's reference is its first
   * neuron, and the group is a box face when its forms are. */
  void build_groups() {
    groups_.clear();
    group_of_hash_.clear();
    weighted_zero_forms_.clear();
    for (std::size_t k = 0; k < neurons_; ++k) {
      group_of_[k] = none;
      next_member_[k] = none;
      if (first_nonzero_[k] == 0) {
        if (is_zero_form(k) && has_weights(k)) weighted_zero_forms_.push_back(k);
        continue;
      }
      std::size_t g = none;
      auto [found, is_new] = group_of_hash_.emplace(hash_[k], groups_.size());
      if (!is_new)
        for (std::size_t candidate = found->second; candidate != none; candidate = groups_[candidate].next_same_hash)
          if (proportional(groups_[candidate].reference, k)) {
            g = candidate;
            break;
          }
      if (g == none) {
        g = groups_.size();
        if (!is_new) {  // a different hyperplane with the same hash: chain it
          groups_.push_back(Group{k, k, found->second});
          found->second = g;
        } else {
          groups_.push_back(Group{k, k, none});
        }
      } else {
        next_member_[groups_[g].last] = k;
        groups_[g].last = k;
      }
      group_of_[k] = g;
    }
  }

  /*! check 4: every group that is not a box face is blocked by a valid Farkas entry or has a certified neighbour. */
  void close_groups(std::size_t r, std::string_view pattern) {
    const std::size_t stamp = r + 1;
    for (std::size_t t = regions_.blocked_begin[r]; t < regions_.blocked_begin[r + 1]; ++t) {
      const BlockedPair pair = regions_.blocked[t];
      const std::string path = region_path(r) + ".blocked[" + std::to_string(t - regions_.blocked_begin[r]) + "]";
      const std::size_t k = pair.neuron;
      if (first_nonzero_[k] == 0)
        fail(path + ": neuron " + std::to_string(k) + " has a constant form under this pattern: no hyperplane to block");
      Group& group = groups_[group_of_[k]];
      if (on_box_face_[group.reference])
        fail(path + ": the hyperplane of neuron " + std::to_string(k) + " is a face of the box: nothing to block");
      if (group.blocked_stamp == stamp)
        fail(path + ": the hyperplane of neuron " + std::to_string(k) + " is blocked twice");
      group.blocked_stamp = stamp;
      check_farkas(path, pattern, group_of_[k], pair.farkas);
    }
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      const Group& group = groups_[g];
      if (group.blocked_stamp == stamp || on_box_face_[group.reference]) continue;
      const std::string_view tau = neighbour(pattern, g);
      if (index_.find(tau) == index_.end())
        fail(region_path(r) + ": the hyperplane of neuron " + std::to_string(group.reference) + ": neighbour " +
             std::string(tau) + " is not a region and no Farkas entry is given");
    }
  }

  /*! check 4(a): Farkas entry f, read with this region's forms, proves the far side of group g empty. */
  void check_farkas(const std::string& pair_path, std::string_view pattern, std::size_t g, std::size_t f) {
    const FarkasEntry& entry = farkas_[f];
    const std::string path = pair_path + ": farkas[" + std::to_string(f) + "]";
    for (mpz_class& value : combination_) value = 0;
    for (std::size_t q = 0; q < entry.conditions.size(); ++q) {
      const std::size_t reference = entry.conditions[q];
      const char sign = entry.signs[q];
      const std::string condition = "conditions[" + std::to_string(q) + "]";
      if (reference < neurons_) {
        const std::size_t k = reference;
        if (first_nonzero_[k] == 0)
          fail(path + "." + condition + ": neuron " + std::to_string(k) +
               " has a constant form under this pattern (not a constraint)");
        const bool in_group = group_of_[k] == g;
        // On the blocked hyperplane: the side away from the region; elsewhere: the region's side.
        const char expected = in_group ? flip(pattern[k]) : pattern[k];
        if (sign != expected)
          fail(path + ".signs[" + std::to_string(q) + "]: " + sign + " for neuron " + std::to_string(k) +
               (in_group ? " (on the blocked hyperplane, the side away from the region)" : "") + ", expected " +
               expected);
        mpz_mul(coefficient_.get_mpz_t(), entry.multipliers[q].get_mpz_t(), layer_factor_[layer_of_[k]].get_mpz_t());
        if (sign == '-') coefficient_ = -coefficient_;
        const IntegerForm& form_k = form(k);
        for (std::size_t i = 0; i <= n_; ++i)
          if (sgn(form_k[i]) != 0)
            mpz_addmul(combination_[i].get_mpz_t(), coefficient_.get_mpz_t(), form_k[i].get_mpz_t());
      } else {
        const std::size_t face = reference - neurons_;
        if (sign != '+')
          fail(path + ".signs[" + std::to_string(q) + "]: - for box face " + std::to_string(face) + ", expected +");
        mpz_mul(coefficient_.get_mpz_t(), entry.multipliers[q].get_mpz_t(), box_factor_.get_mpz_t());
        // face 2i: B x_i - B lo; face 2i + 1: B hi - B x_i
        const std::size_t i = face / 2;
        if (face % 2 == 0) {
          mpz_submul(combination_[0].get_mpz_t(), coefficient_.get_mpz_t(), box_->lo_scaled.get_mpz_t());
          mpz_addmul(combination_[1 + i].get_mpz_t(), coefficient_.get_mpz_t(), box_->scale.get_mpz_t());
        } else {
          mpz_addmul(combination_[0].get_mpz_t(), coefficient_.get_mpz_t(), box_->hi_scaled.get_mpz_t());
          mpz_submul(combination_[1 + i].get_mpz_t(), coefficient_.get_mpz_t(), box_->scale.get_mpz_t());
        }
      }
    }
    const mpz_class scale = entry.denominator * common_denominator_;
    for (std::size_t i = 1; i <= n_; ++i)
      if (sgn(combination_[i]) != 0)
        fail(path + ": the combination of the linear parts is not zero (coefficient of x" + std::to_string(i - 1) +
             " = " + fraction_text(combination_[i], scale) + ")");
    if (sgn(combination_[0]) > 0)
      fail(path + ": the combination's constant term " + fraction_text(combination_[0], scale) + " > 0");
  }

  /*! the ratio f_k / h of a neuron k of group g to the group's form h = f_reference (both under the region's pattern). */
  mpq_class ratio(std::size_t k, std::size_t reference) const {
    const std::size_t first = first_nonzero_[reference];
    mpq_class result(form(k)[first] * model_.form_scale[layer_of_[reference]],
                     form(reference)[first] * model_.form_scale[layer_of_[k]]);
    result.canonicalize();
    return result;
  }

  /*! check 4(b): the pattern tau of the neighbour across group g.
   *
   * Write h for the group's form (the reference's). A neuron whose form is neither in the group nor identically 0
   * keeps its character. For the others the rule needs g = f_k^tau. Every difference f_j^tau - f_j^sigma, and
   * every difference of post-activations, is a multiple delta_j h of h: by induction over the layers, a neuron
   * keeping '+' passes its own delta on, a neuron keeping '-' passes 0, and a neuron of the group (f^sigma = c h) or
   * with f^sigma = 0 (c = 0) has g = (c + delta) h and passes [tau = '+'] (c + delta) - [sigma = '+'] c; the next
   * layer's delta is the weighted sum of these. So g is always 0 or a multiple of h, and the character it gets is
   * the sign of -g(x) = -(c + delta) h(x), where h(x) has the sign of the reference's character. Only scalars are
   * carried, and only for the layers after the group's first layer up to the last layer that needs one. */
  std::string_view neighbour(std::string_view pattern, std::size_t g) {
    const std::size_t reference = groups_[g].reference;
    const std::size_t first_layer = layer_of_[reference];
    const int reference_sign = pattern[reference] == '+' ? 1 : -1;
    tau_.assign(pattern);
    // The last layer holding a neuron whose tau-form must be computed after the group's first layer: a later
    // member, or a later neuron with form 0 whose weights are not all 0 (with all weights 0 its form stays 0).
    std::size_t last_layer = layer_of_[groups_[g].last];  // members are in increasing order
    if (!weighted_zero_forms_.empty()) last_layer = std::max(last_layer, layer_of_[weighted_zero_forms_.back()]);

    // Layer first_layer: the members flip (their delta is 0, their tau-form their sigma-form), nothing else moves.
    const std::size_t base = model_.first_neuron[first_layer];
    const std::size_t width = model_.layers[first_layer].outputs();
    std::fill(previous_nonzero_.begin(), previous_nonzero_.begin() + static_cast<std::ptrdiff_t>(width), false);
    for (std::size_t k = reference; k != none && layer_of_[k] == first_layer; k = next_member_[k]) {
      tau_[k] = flip(pattern[k]);
      if (last_layer == first_layer) continue;
      // post-activation change: [tau = '+'] c - [sigma = '+'] c = +-c
      mpq_class c = ratio(k, reference);
      if (tau_[k] == '+')
        previous_delta_[k - base] = c;
      else
        previous_delta_[k - base] = -c;
      previous_nonzero_[k - base] = true;
    }

    for (std::size_t l = first_layer + 1; l <= last_layer; ++l) {
      const NetworkLayer& layer = model_.layers[l];
      const std::size_t first = model_.first_neuron[l];
      for (std::size_t u = 0; u < layer.outputs(); ++u) {
        const std::size_t k = first + u;
        delta_nonzero_[u] = false;
        const bool in_group = group_of_[k] == g;
        const bool zero = is_zero_form(k);
        // Only '+' keepers pass a change on; at the last layer only the neurons whose character is computed matter.
        if (!in_group && !zero && (pattern[k] != '+' || l == last_layer)) continue;
        sum_ = 0;
        for (std::size_t e = layer.row_begin[u]; e < layer.row_begin[u + 1]; ++e) {
          const std::size_t j = layer.column[e];
          if (!previous_nonzero_[j]) continue;
          product_ = previous_delta_[j] * layer.integer_weight[e];
          sum_ += product_;
        }
        if (sgn(sum_) != 0) sum_ /= layer.scale;
        if (!in_group && !zero) {  // keeps '+': passes its delta on
          if (sgn(sum_) != 0) {
            delta_[u] = sum_;
            delta_nonzero_[u] = true;
          }
          continue;
        }
        const mpq_class c = in_group ? ratio(k, reference) : mpq_class(0);
        const mpq_class factor = c + sum_;  // tau-form = factor * h
        const int sign = sgn(factor);
        tau_[k] = sign == 0 ? '0' : sign * reference_sign > 0 ? '-' : '+';
        mpq_class change = tau_[k] == '+' ? factor : mpq_class(0);
        if (pattern[k] == '+') change -= c;
        if (sgn(change) != 0) {
          delta_[u] = change;
          delta_nonzero_[u] = true;
        }
      }
      std::swap(delta_, previous_delta_);
      std::swap(delta_nonzero_, previous_nonzero_);
    }
    return tau_;
  }

  bool is_zero_form(std::size_t k) const { return first_nonzero_[k] == 0 && sgn(form(k)[0]) == 0; }

  bool has_weights(std::size_t k) const {
    const std::size_t l = layer_of_[k];
    const std::size_t u = k - model_.first_neuron[l];
    return model_.layers[l].row_begin[u + 1] != model_.layers[l].row_begin[u];
  }

  struct Group {
    std::size_t reference;       // its first neuron
    std::size_t last;            // its last neuron so far (members are linked through next_member_)
    std::size_t next_same_hash;  // another group with the same hash
    std::size_t blocked_stamp = 0;  // r + 1 when region r blocks it
  };

  const NetworkModel& model_;
  const std::optional<Box>& box_;
  const ParsedRegions& regions_;
  const RegionIndex& index_;
  const std::vector<FarkasEntry>& farkas_;
  const std::size_t n_;
  const std::size_t neurons_;

  // The forms of the current pattern, per layer (form_scale[l] times the true forms), and what grouping needs.
  std::vector<std::vector<IntegerForm>> forms_;
  const std::vector<IntegerForm> no_forms_;
  bool has_forms_ = false;
  std::string_view previous_pattern_;
  std::vector<std::size_t> first_nonzero_;  // 0 for a constant form, else the index (>= 1) of its first a_i != 0
  std::vector<std::uint64_t> hash_;
  std::vector<bool> on_box_face_;
  std::vector<std::size_t> layer_of_;

  // Groups of the current region.
  std::vector<Group> groups_;
  std::unordered_map<std::uint64_t, std::size_t> group_of_hash_;
  std::vector<std::size_t> group_of_;
  std::vector<std::size_t> next_member_;
  std::vector<std::size_t> weighted_zero_forms_;  // neurons with form 0 whose weights are not all 0, in order

  // Witness and Farkas scratch.
  std::vector<mpq_class> coordinates_;
  std::vector<mpz_class> scaled_;
  mpz_class denominator_, value_, left_, right_, coefficient_;
  std::vector<mpz_class> combination_;
  std::vector<mpz_class> layer_factor_;
  mpz_class box_factor_, common_denominator_;

  std::size_t closure_failure_region_ = none;
  std::string closure_failure_;

  // Neighbour scratch.
  std::string tau_;
  std::vector<mpq_class> delta_, previous_delta_;
  std::vector<bool> delta_nonzero_, previous_nonzero_;
  mpq_class sum_, product_;
};

}  // namespace

void check_network_certificate(const json& certificate, const json* network_file, const std::string& network_file_name,
                               CheckReport& report) {
  const NetworkModel model = read_network_model(member(certificate, "network", ""), "network");
  report.dimension = model.input_dimension;
  report.neurons = model.neurons();
  // Before the expensive checks: a certificate about another network is worth saying first.
  if (network_file) {
    const std::string name = network_file_name.empty() ? std::string("the network file") : network_file_name;
    std::optional<NetworkModel> other;
    try {
      other = read_network_model(*network_file, "");
    } catch (const CheckFailure& failure) {
      fail(name + ": " + failure.reason);
    }
    const std::string difference = network_difference(model, "the certificate", *other, name);
    if (!difference.empty()) fail("the certificate's network is not " + name + ": " + difference);
  }
  const std::optional<Box> box = read_box(member(certificate, "box", ""));

  const json& neurons = member(certificate, "neurons", "");
  const std::optional<std::uint64_t> claimed_neurons = json_natural(neurons);
  if (!claimed_neurons) fail("neurons: expected a JSON integer >= 0, found " + describe(neurons));
  if (*claimed_neurons != model.neurons())  // check 5
    fail("neurons " + std::to_string(*claimed_neurons) + " but the network has " + std::to_string(model.neurons()) +
         " hidden neurons");

  const json& regions = require_array(member(certificate, "regions", ""), "regions");
  const json& farkas = require_array(member(certificate, "farkas", ""), "farkas");
  report.regions = regions.size();
  report.farkas = farkas.size();
  const json& region_count = member(certificate, "region_count", "");
  const std::optional<std::uint64_t> claimed = json_natural(region_count);
  if (!claimed) fail("region_count: expected a JSON integer >= 0, found " + describe(region_count));
  if (*claimed != regions.size())  // check 5
    fail("region_count " + std::to_string(*claimed) + " but " + std::to_string(regions.size()) + " regions listed");
  // The closure argument needs a nonempty set; and the domain is never empty.
  if (regions.empty()) fail("regions: empty (every network has at least one linear region)");

  const ParsedRegions parsed = read_regions(regions, model.neurons(), farkas.size());
  const RegionIndex index = index_regions(parsed);
  const std::vector<FarkasEntry> entries = read_farkas(farkas, model.neurons(), model.input_dimension, box.has_value());

  std::vector<std::size_t> order(regions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return parsed.patterns[a] < parsed.patterns[b]; });
  RegionChecker checker(model, box, parsed, index, entries);
  for (std::size_t r : order) checker.check(r, regions[r]);
  checker.finish();
}

}  // namespace chamber::verify

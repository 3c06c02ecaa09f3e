// The "network" certificate checker's RegionChecker, per region: the forms under the region's pattern, its pattern
// and witness (checks 1 and 2), and the hyperplane groups that check 4 (network_closure.cpp) closes.
#include "network_certificate_internal.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chamber::verify::detail {

using nlohmann::json;

namespace {

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

}  // namespace

RegionChecker::RegionChecker(const NetworkModel& model, const std::optional<Box>& box, const ParsedRegions& regions,
                             const RegionIndex& index, const std::vector<FarkasEntry>& farkas)
    : model_(model),
      box_(box),
      regions_(regions),
      index_(index),
      farkas_(farkas),
      n_(model.input_dimension),
      neurons_(model.neurons()),
      forms_(model.layers.size()),
      pieces_(model.layers.size()),
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
  form_delta_.resize(widest);
  form_nonzero_.resize(widest);
  previous_form_delta_.resize(widest);
  previous_form_nonzero_.resize(widest);
  piece_delta_.resize(widest);
}

void RegionChecker::check(std::size_t r, const json& region) {
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

void RegionChecker::finish() const {
  if (closure_failure_region_ != none) fail(closure_failure_);
}

void RegionChecker::update_forms(std::string_view pattern) {
  std::size_t start = 0;
  if (has_forms_) {
    const auto mismatch = std::mismatch(pattern.begin(), pattern.end(), previous_pattern_.begin());
    const auto differ = static_cast<std::size_t>(mismatch.first - pattern.begin());
    while (start < model_.layers.size() && model_.first_neuron[start] <= differ) ++start;
  }
  // A max layer's slots depend on its own characters too (the piece each unit takes).
  if (start > 0 && model_.layers[start - 1].is_max()) --start;
  for (std::size_t l = start; l < model_.layers.size(); ++l) {
    const NetworkLayer& layer = model_.layers[l];
    if (layer.is_max()) {
      layer_integer_forms(model_, l, pattern, l == 0 ? no_forms_ : passed_on(l - 1), pieces_[l]);
      const std::size_t first = model_.first_neuron[l];
      forms_[l].resize(pieces_[l].size());
      for (std::size_t u = 0; u + 1 < layer.unit_begin.size(); ++u) {
        const IntegerForm& chosen = pieces_[l][chosen_slot(layer, first, u, pattern)];
        for (std::size_t s = layer.unit_begin[u]; s < layer.unit_begin[u + 1]; ++s) {
          IntegerForm& slot = forms_[l][s];
          slot.resize(n_ + 1);
          for (std::size_t i = 0; i <= n_; ++i) slot[i] = chosen[i] - pieces_[l][s][i];
        }
      }
    } else {
      layer_integer_forms(model_, l, pattern, l == 0 ? no_forms_ : passed_on(l - 1), forms_[l]);
    }
    for (std::size_t k = model_.first_neuron[l]; k < model_.first_neuron[l + 1]; ++k) describe_form(k);
  }
  has_forms_ = true;
  previous_pattern_ = pattern;
}

void RegionChecker::describe_form(std::size_t k) {
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

void RegionChecker::check_valid(std::size_t r, std::string_view pattern) const {
  for (std::size_t l = 0; l < model_.layers.size(); ++l) {
    const NetworkLayer& layer = model_.layers[l];
    if (!layer.is_max()) continue;
    const std::size_t first = model_.first_neuron[l];
    for (std::size_t u = 0; u + 1 < layer.unit_begin.size(); ++u) {
      bool chosen = false;
      for (std::size_t s = layer.unit_begin[u]; s < layer.unit_begin[u + 1]; ++s) {
        chosen = chosen || pattern[first + s] == '0';
        if (pattern[first + s] == '-')
          fail(region_path(r) + ".pattern[" + std::to_string(first + s) + "]: neuron " + std::to_string(first + s) +
               " is a slot of a max unit: its character must be + or 0, found '-'");
      }
      if (!chosen)
        fail(region_path(r) + ".pattern: the max unit " + std::to_string(u) + " of layer " + std::to_string(l) +
             " (neurons " + std::to_string(first + layer.unit_begin[u]) + " to " +
             std::to_string(first + layer.unit_begin[u + 1] - 1) + ") has no '0': no piece is the one it takes");
    }
  }
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

void RegionChecker::check_witness(std::size_t r, const json& witness, std::string_view pattern) {
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

bool RegionChecker::proportional(std::size_t j, std::size_t k) {
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

void RegionChecker::build_groups() {
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

}  // namespace chamber::verify::detail

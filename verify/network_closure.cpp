// The "network" certificate checker's check 4, the closure of a region: every hyperplane next to it is blocked by a
// Farkas entry that proves its far side empty, or leads to a neighbour that is listed.
#include "network_certificate_internal.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace chamber::verify::detail {

void RegionChecker::close_groups(std::size_t r, std::string_view pattern) {
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

void RegionChecker::check_farkas(const std::string& pair_path, std::string_view pattern, std::size_t g, std::size_t f) {
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

mpq_class RegionChecker::ratio(std::size_t k, std::size_t reference) const {
  const std::size_t first = first_nonzero_[reference];
  mpq_class result(form(k)[first] * model_.form_scale[layer_of_[reference]],
                   form(reference)[first] * model_.form_scale[layer_of_[k]]);
  result.canonicalize();
  return result;
}

/*! check 4(b) in a max layer l: every unit chooses again. Its pieces change by multiples d_s h of h (from the
 * previous layer's changes; none when `inputs_changed` is false). The candidates are the slot c it takes and the slots
 * whose sigma-form p_c - p_s = a_s h is in the group (a_s = ratio) or identically 0 (a_s = 0): every other slot is
 * nonzero on the facet and stays below. A candidate's tau-piece differs from c's by beta_s h, beta_s = -a_s + d_s -
 * d_c; past the facet h has the sign opposite to the reference's character, so the unit takes the candidate of
 * largest -sign * beta_s, the first among equals, and every candidate with that beta gets '0', every other slot '+'.
 * The unit's value changes by (beta + d_c) h: put on the chosen slot, which the next layer weighs like every slot of
 * the unit (the reader gives all slots of a unit the unit's weight). */
void RegionChecker::max_units(std::size_t l, std::string_view pattern, std::size_t g, int reference_sign,
                              bool inputs_changed) {
  const NetworkLayer& layer = model_.layers[l];
  const std::size_t first = model_.first_neuron[l];
  const std::size_t reference = groups_[g].reference;
  for (std::size_t s = 0; s < layer.outputs(); ++s) {
    delta_nonzero_[s] = false;
    form_nonzero_[s] = false;
    piece_delta_[s] = 0;
    if (!inputs_changed) continue;
    for (std::size_t e = layer.row_begin[s]; e < layer.row_begin[s + 1]; ++e) {
      const std::size_t j = layer.column[e];
      if (!previous_nonzero_[j]) continue;
      product_ = previous_delta_[j] * layer.integer_weight[e];
      piece_delta_[s] += product_;
    }
    if (layer.has_linear())
      for (std::size_t e = layer.linear_begin[s]; e < layer.linear_begin[s + 1]; ++e) {
        const std::size_t j = layer.linear_column[e];
        if (!previous_form_nonzero_[j]) continue;
        product_ = previous_form_delta_[j] * layer.linear_weight[e];
        piece_delta_[s] += product_;
      }
    if (sgn(piece_delta_[s]) != 0) piece_delta_[s] /= layer.scale;
  }
  for (std::size_t u = 0; u + 1 < layer.unit_begin.size(); ++u) {
    const std::size_t c = chosen_slot(layer, first, u, pattern);
    // beta of each candidate (the other slots have none), in slot order.
    std::vector<std::optional<mpq_class>> betas;
    for (std::size_t s = layer.unit_begin[u]; s < layer.unit_begin[u + 1]; ++s) {
      const std::size_t k = first + s;
      std::optional<mpq_class>& beta = betas.emplace_back();
      if (s != c && group_of_[k] != g && !is_zero_form(k)) continue;
      beta = piece_delta_[s] - piece_delta_[c];
      if (group_of_[k] == g) *beta -= ratio(k, reference);
    }
    // The largest value past the facet; only a strictly larger one replaces, so among equals the first slot stays.
    std::size_t best = c;
    mpq_class best_beta = 0;
    bool have = false;
    for (std::size_t i = 0; i < betas.size(); ++i) {
      if (!betas[i]) continue;
      if (!have || (reference_sign > 0 ? *betas[i] < best_beta : *betas[i] > best_beta)) {
        best = layer.unit_begin[u] + i;
        best_beta = *betas[i];
        have = true;
      }
    }
    for (std::size_t i = 0; i < betas.size(); ++i)
      tau_[first + layer.unit_begin[u] + i] = betas[i] && *betas[i] == best_beta ? '0' : '+';
    mpq_class change = best_beta + piece_delta_[c];
    if (sgn(change) != 0) {
      delta_[best] = std::move(change);
      delta_nonzero_[best] = true;
    }
  }
}

/*! check 4(b): the pattern tau of the neighbour across group g.
 *
 * Write h for the group's form (the reference's). A neuron whose form is neither in the group nor identically 0
 * keeps its character. For the others the rule needs g = f_k^tau. Every difference f_j^tau - f_j^sigma (the form
 * change), and every difference of rectified values, is a multiple of h: by induction over the layers, a neuron
 * keeping '+' has a rectified change equal to its form change, a neuron keeping '-' a rectified change 0, and a
 * neuron of the group (f^sigma = c h) or with f^sigma = 0 (c = 0) has g = (c + delta) h and a rectified change
 * [tau = '+'] (c + delta) - [sigma = '+'] c; the next layer's form change delta is the weighted sum of the rectified
 * changes (ReLU entries) and of the form changes (linear entries: leaky_relu/prelu slopes). So g is always 0 or a
 * multiple of h, and the character it gets is the sign of -g(x) = -(c + delta) h(x), where h(x) has the sign of the
 * reference's character. Only scalars are carried, and only for the layers after the group's first layer up to the
 * last layer that needs one. */
std::string_view RegionChecker::neighbour(std::string_view pattern, std::size_t g) {
  const std::size_t reference = groups_[g].reference;
  const std::size_t first_layer = layer_of_[reference];
  const int reference_sign = pattern[reference] == '+' ? 1 : -1;
  tau_.assign(pattern);
  // The last layer holding a neuron whose tau-form must be computed after the group's first layer: a later
  // member, or a later neuron with form 0 whose weights are not all 0 (with all weights 0 its form stays 0).
  std::size_t last_layer = layer_of_[groups_[g].last];  // members are in increasing order
  if (!weighted_zero_forms_.empty()) last_layer = std::max(last_layer, layer_of_[weighted_zero_forms_.back()]);

  // Layer first_layer: the members flip (their form change is 0, their tau-form their sigma-form), nothing else moves.
  // A max layer there: its units choose again, with unchanged pieces.
  const std::size_t base = model_.first_neuron[first_layer];
  const std::size_t width = model_.layers[first_layer].outputs();
  if (model_.layers[first_layer].is_max()) {
    max_units(first_layer, pattern, g, reference_sign, false);
    std::swap(delta_, previous_delta_);
    std::swap(delta_nonzero_, previous_nonzero_);
    std::swap(form_delta_, previous_form_delta_);
    std::swap(form_nonzero_, previous_form_nonzero_);
  } else {
    std::fill(previous_nonzero_.begin(), previous_nonzero_.begin() + static_cast<std::ptrdiff_t>(width), false);
    std::fill(previous_form_nonzero_.begin(), previous_form_nonzero_.begin() + static_cast<std::ptrdiff_t>(width),
              false);
  }
  for (std::size_t k = reference; k != none && layer_of_[k] == first_layer && !model_.layers[first_layer].is_max();
       k = next_member_[k]) {
    tau_[k] = flip(pattern[k]);
    if (last_layer == first_layer) continue;
    // rectified change: [tau = '+'] c - [sigma = '+'] c = +-c
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
    if (layer.is_max()) {
      max_units(l, pattern, g, reference_sign, true);
      std::swap(delta_, previous_delta_);
      std::swap(delta_nonzero_, previous_nonzero_);
      std::swap(form_delta_, previous_form_delta_);
      std::swap(form_nonzero_, previous_form_nonzero_);
      continue;
    }
    // A neuron keeping '-' passes its form change on only to linear entries of the next layer.
    const bool next_linear = l < last_layer && model_.layers[l + 1].has_linear();
    for (std::size_t u = 0; u < layer.outputs(); ++u) {
      const std::size_t k = first + u;
      delta_nonzero_[u] = false;
      form_nonzero_[u] = false;
      const bool in_group = group_of_[k] == g;
      const bool zero = is_zero_form(k);
      // Only keepers that pass a change on matter; at the last layer only the neurons whose character is computed.
      if (!in_group && !zero && ((pattern[k] != '+' && !next_linear) || l == last_layer)) continue;
      sum_ = 0;
      for (std::size_t e = layer.row_begin[u]; e < layer.row_begin[u + 1]; ++e) {
        const std::size_t j = layer.column[e];
        if (!previous_nonzero_[j]) continue;
        product_ = previous_delta_[j] * layer.integer_weight[e];
        sum_ += product_;
      }
      if (layer.has_linear())
        for (std::size_t e = layer.linear_begin[u]; e < layer.linear_begin[u + 1]; ++e) {
          const std::size_t j = layer.linear_column[e];
          if (!previous_form_nonzero_[j]) continue;
          product_ = previous_form_delta_[j] * layer.linear_weight[e];
          sum_ += product_;
        }
      if (sgn(sum_) != 0) {
        sum_ /= layer.scale;
        form_delta_[u] = sum_;
        form_nonzero_[u] = true;
      }
      if (!in_group && !zero) {  // keeps its character: '+' passes its form change on rectified, '-' passes 0
        if (sgn(sum_) != 0 && pattern[k] == '+') {
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
    std::swap(form_delta_, previous_form_delta_);
    std::swap(form_nonzero_, previous_form_nonzero_);
  }
  return tau_;
}

}  // namespace chamber::verify::detail

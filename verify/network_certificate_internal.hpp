// The internals of the "network" certificate checker, shared by its three files: network_certificate.cpp reads the
// certificate's fields, network_region_checker.cpp checks each region's pattern and witness (checks 1 and 2) and
// groups its hyperplanes, network_closure.cpp checks the closure (check 4: Farkas entries and neighbours).
// Private to verify/: it is not under the include root (verify/include/), so nothing outside verify/ can include it.
#pragma once

#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace chamber::verify::detail {

inline constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

inline std::string region_path(std::size_t r) { return "regions[" + std::to_string(r) + "]"; }

inline char flip(char sign) { return sign == '+' ? '-' : '+'; }

/*! returns `c` quoted for a reason, or its byte value when it is not printable ASCII. */
inline std::string quoted(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  const char* digits = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 0xf];
}

/*! returns numerator / denominator in lowest terms, as text. */
inline std::string fraction_text(const mpz_class& numerator, const mpz_class& denominator) {
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
  std::string signs;
  std::vector<mpz_class> multipliers;  // lambda_q * denominator: positive integers
  mpz_class denominator;               // the least common denominator of the lambda_q
};

/// Checks regions one at a time (checks 1, 2 and 4). Regions should come in lexicographic order of their patterns:
/// the forms of layer l depend only on the characters of layers < l, so a shared prefix keeps those layers' forms.
/// Checks 1 and 2 and the grouping are in network_region_checker.cpp, check 4 in network_closure.cpp.
class RegionChecker {
 public:
  RegionChecker(const NetworkModel& model, const std::optional<Box>& box, const ParsedRegions& regions,
                const RegionIndex& index, const std::vector<FarkasEntry>& farkas);

  /*! checks region r (whose pattern has the right shape and is distinct from the others): checks 1 and 2 fail at
   * once; a failure of check 4 is kept (the one of the lowest region) and only thrown by finish(), so that a wrong
   * region is blamed on itself rather than on a neighbour that misses it. */
  void check(std::size_t r, const nlohmann::json& region);

  /*! throws the kept failure of check 4, if any. */
  void finish() const;

 private:
  const IntegerForm& form(std::size_t k) const {
    const std::size_t l = layer_of_[k];
    return forms_[l][k - model_.first_neuron[l]];
  }

  /*! recomputes the forms of the layers whose earlier characters differ from the previous pattern's. */
  void update_forms(std::string_view pattern);

  /*! caches what the grouping needs of neuron k's form: first nonzero linear coefficient, hash, box face. */
  void describe_form(std::size_t k);

  /*! check 1: a constant form has the character of its sign, a non-constant one '+' or '-' (a max layer's slot '+';
   * every max unit has a '0', the slot of the piece it takes). */
  void check_valid(std::size_t r, std::string_view pattern) const;

  /*! checks 1 and 2: the witness lies in the open box and strictly on its pattern's side of every non-constant form.
   * With x = X / D (D the least common denominator), the sign of S_l f(x) is the sign of F_0 D + F . X. */
  void check_witness(std::size_t r, const nlohmann::json& witness, std::string_view pattern);

  /*! returns whether the non-constant forms of neurons j and k are proportional (both have the same first nonzero
   * linear coefficient index). */
  bool proportional(std::size_t j, std::size_t k);

  /*! sorts the non-constant neurons into hyperplane groups (proportional forms); a group's reference is its first
   * neuron, and the group is a box face when its forms are. */
  void build_groups();

  /*! check 4: every group that is not a box face is blocked by a valid Farkas entry or has a certified neighbour. */
  void close_groups(std::size_t r, std::string_view pattern);

  /*! check 4(a): Farkas entry f, read with this region's forms, proves the far side of group g empty. */
  void check_farkas(const std::string& pair_path, std::string_view pattern, std::size_t g, std::size_t f);

  /*! the ratio f_k / h of a neuron k of group g to the group's form h = f_reference (both under the region's
   * pattern). */
  mpq_class ratio(std::size_t k, std::size_t reference) const;

  /*! check 4(b): the pattern tau of the neighbour across group g (the argument is in network_closure.cpp). */
  std::string_view neighbour(std::string_view pattern, std::size_t g);

  /*! check 4(b) in a max layer: its units' choices and changes (network_closure.cpp). */
  void max_units(std::size_t l, std::string_view pattern, std::size_t g, int reference_sign, bool inputs_changed);

  bool is_zero_form(std::size_t k) const { return first_nonzero_[k] == 0 && sgn(form(k)[0]) == 0; }

  bool has_weights(std::size_t k) const {
    const std::size_t l = layer_of_[k];
    const std::size_t u = k - model_.first_neuron[l];
    const NetworkLayer& layer = model_.layers[l];
    return layer.row_begin[u + 1] != layer.row_begin[u] ||
           (layer.has_linear() && layer.linear_begin[u + 1] != layer.linear_begin[u]);
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
  std::vector<std::vector<IntegerForm>> pieces_;  // a max layer's pieces (what the next layer reads); else empty
  const std::vector<IntegerForm> no_forms_;
  /*! returns what layer l passes on to the next: its forms, or a max layer's pieces. */
  const std::vector<IntegerForm>& passed_on(std::size_t l) const {
    return model_.layers[l].is_max() ? pieces_[l] : forms_[l];
  }
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
  // Per neuron of the current and the previous layer: the change of its rectified value (delta_) and of its form
  // (form_delta_), both multiples of the group's form.
  std::vector<mpq_class> delta_, previous_delta_, form_delta_, previous_form_delta_;
  std::vector<bool> delta_nonzero_, previous_nonzero_, form_nonzero_, previous_form_nonzero_;
  mpq_class sum_, product_;
  std::vector<mpq_class> piece_delta_;  // a max layer: the change of each piece
};

}  // namespace chamber::verify::detail

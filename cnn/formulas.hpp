// Closed forms and bounds on the number of linear regions, as functions of the architecture alone
// (no weights): Lemma 1, Lemma 2, Theorem 1, Theorem 2 eq. (4), Theorem 4, Theorem 5 of Xiong et al.
// 2020, Montúfar et al. 2014 (lower) and Serra et al. 2018 (upper) for fully connected nets, and
// parameter counts. See /work/shared/references.md for every formula.
//
// Conventions: an input is C×H×W (PyTorch order); a layer has `filters` filters of size
// kernel_h × kernel_w × (channels of its input), no padding. Output positions are indexed row-major,
// 0-based: position (i, j) has index i·out_w + j. Input coordinates are flattened CHW: (c·H + row)·W + col.
#pragma once

#include "arrangement/number.hpp"
#include "cnn/shape.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace chamber {

/*! returns the output shape of `conv` applied to `input` (Lemma 1 per direction:
 * floor((n − f)/s) + 1); its channels are `conv.filters`.
 * \throw std::invalid_argument if a kernel side exceeds the input side, a stride or kernel side is 0,
 * or the input has a zero extent. */
Shape conv_output(const Shape& input, const ConvSpec& conv);

/*! returns 2^hidden_neurons (Lemma 2, the trivial upper bound). */
Integer lemma2(std::size_t hidden_neurons);

/*! returns Σ_{j=0}^{n0} C(n1, j): regions of n1 generic hyperplanes in R^n0 (Theorem 1, one fully
 * connected layer with n0 inputs and n1 neurons). */
Integer theorem1(std::size_t n0, std::size_t n1);

/*! returns the receptive field S_ij of output position (i, j) (0-based) as sorted flattened input
 * indices (c·H + row)·W + col over all channels.
 * \throw std::invalid_argument on an invalid layer (see conv_output) or a position outside the output. */
std::vector<std::size_t> receptive_field(const Shape& input, const ConvSpec& conv, std::size_t i,
                                         std::size_t j);

/*! decides whether `t` (one entry per output position, row-major) lies in K_N, i.e. satisfies the Hall
 * condition Σ_{p∈J} t_p ≤ |∪_{p∈J} S_p| for every set J of positions. Decided by one max-flow
 * (source → position, capacity t_p → its receptive field, capacity 1 → sink): t ∈ K_N iff the flow
 * saturates Σ t.
 * \throw std::invalid_argument if `t` does not have one entry per output position. */
bool in_KN(const Shape& input, const ConvSpec& conv, const std::vector<std::size_t>& t);

/*! returns Σ_{t ∈ K_N} Π_p C(d1, t_p), Theorem 2 eq. (4) for one conv layer with d1 = conv.filters.
 * The paper claims this is the maximal and the expected region count; references.md records where it
 * is not (one input channel, 2-D kernels, ≥ 2 filters). */
/// eq. (4) sums over every t in K_N, each found by a max-flow test: past this much work (edges of the flow graph
/// summed over the tests, about 2 seconds) it is not evaluated.
inline constexpr std::uint64_t max_eq4_flow_work = 50000000;

/*! returns eq. (4) of Theorem 2. \throws LimitReached past max_eq4_flow_work. */
Integer eq4(const Shape& input, const ConvSpec& conv);

/*! eq. (4) as a function of the number of filters d, the other sizes fixed: K_N does not depend on d (t_p ≤ |S_p|
 * always, and C(d, t_p) = 0 for t_p > d), so eq. (4)(d) = Σ over the profiles of K_N (the sorted nonzero entries of t)
 * of count · Π C(d, t_i), a polynomial in d. Its degree D is the largest Σ t over K_N (the number of input
 * coordinates some receptive field covers), and since C(d, t) = d^t/t! · (1 + O(1/d)) its leading term is
 * c·d^D with c = Σ_{t ∈ K_N, Σt = D} Π_p 1/t_p!. (Derived here from eq. (4) itself: this is not a restatement of
 * Theorem 3 / Lemma 3 of Xiong et al., whose text we could not consult.) */
struct Eq4Polynomial {
  std::map<std::vector<std::size_t>, Integer> profiles;  // profile -> number of t ∈ K_N with it
  std::size_t degree = 0;                                // D
  Rational leading_coefficient;                          // c

  /*! returns eq. (4) for `filters` filters (equal to eq4() of the same layer with that many filters). */
  Integer value(std::size_t filters) const;
  /*! returns c·filters^D. */
  Rational leading_term(std::size_t filters) const;
};

/*! returns eq. (4) of one conv layer as a polynomial in its number of filters (conv.filters is ignored).
 * \throws LimitReached past max_eq4_flow_work (K_N is enumerated with every t_p up to |S_p|). */
Eq4Polynomial eq4_polynomial(const Shape& input, const ConvSpec& conv);

/*! returns the lower bound (8) of Theorem 5 for the conv layers `layers` applied to `input`:
 * R_{N'} Π_{l=1}^{L−1} floor(d_l/d0)^{n_l^(1) n_l^(2) d0}, with d0 = input.channels and N' the single
 * layer of d_L filters f_L^(1)×f_L^(2)×d0, stride s_L, on an n_{L−1}^(1)×n_{L−1}^(2)×d0 input.
 * \throw std::invalid_argument if `layers` is empty or a layer is invalid. */
Integer theorem5_lower(const Shape& input, const std::vector<ConvSpec>& layers);

/*! returns the upper bound (9) of Theorem 5: R_{N''} Π_{l=2}^{L} Σ_{i=0}^{n0^(1) n0^(2) d0}
 * C(n_l^(1) n_l^(2) d_l, i), with N'' the first layer alone (by eq. (4)).
 * \throw std::invalid_argument if `layers` is empty or a layer is invalid. */
Integer theorem5_upper(const Shape& input, const std::vector<ConvSpec>& layers);

/*! returns the single conv layer equal to `a` followed by `b` with no activation in between
 * (Theorem 4, per direction: kernel f_a + (f_b − 1)s_a, stride s_a s_b, filters of `b`). */
ConvSpec theorem4_merge(const ConvSpec& a, const ConvSpec& b);

/*! returns Montúfar et al.'s lower bound for a fully connected ReLU net with n0 inputs and hidden
 * widths n_1..n_L: (Π_{i=1}^{L−1} floor(n_i/n0)^{n0}) Σ_{j=0}^{n0} C(n_L, j).
 * \throw std::invalid_argument if `widths` is empty or n0 is 0. */
Integer montufar_lower(std::size_t n0, const std::vector<std::size_t>& widths);

/*! returns Montúfar et al. (2014)'s upper bound on the regions of one layer of `units` maxout units of rank k on n0
 * inputs, true of every weight choice: min{Σ_{j=0}^{n0} C(k²·units, j), k^units} (the pieces' pairwise differences,
 * at most k² per unit, form an arrangement with at most the first many regions, and each unit has k choices).
 * \throw std::invalid_argument if a size is 0. */
Integer maxout_single_upper(std::size_t n0, std::size_t units, std::size_t rank);
/*! returns Montúfar et al. (2014)'s lower bound on the largest region count over weights of that layer:
 * k^{min(n0, units)}. */
Integer maxout_single_lower(std::size_t n0, std::size_t units, std::size_t rank);
/*! returns Montúfar et al. (2014)'s lower bound on the largest region count over weights of L maxout layers of width
 * n0 (the input dimension) and rank k: k^{L−1}·k^{n0}. */
Integer maxout_deep_lower(std::size_t layers, std::size_t n0, std::size_t rank);

/*! returns Serra et al.'s upper bound (2018, Thm 1): Σ_{(j_1..j_L) ∈ J} Π_l C(n_l, j_l) with
 * J = {0 ≤ j_l ≤ min(n0, n_1 − j_1, …, n_{l−1} − j_{l−1}, n_l)}, exactly, by a DP over the running min.
 * \throw std::invalid_argument if `widths` is empty. */
Integer serra_upper(std::size_t n0, const std::vector<std::size_t>& widths);

/*! returns the parameter count Σ_l d_l (f_l^(1) f_l^(2) d_{l−1} + 1) of the conv layers on `input`.
 * \throw std::invalid_argument if a layer is invalid for its input. */
Integer cnn_parameters(const Shape& input, const std::vector<ConvSpec>& layers);

/*! returns the parameter count Σ_l n_l (n_{l−1} + 1) of a fully connected net with n0 inputs. */
Integer fc_parameters(std::size_t n0, const std::vector<std::size_t>& widths);

}  // namespace chamber

// χ_A(t) by a sweep over the hyperplanes: Whitney's formula with the subsets merged into states.
//
// Whitney: χ_A(t) = Σ_{S ⊆ A, ∩S ≠ ∅} (−1)^{|S|} t^{n − rank S}. With homogeneous rows h_i = (b_i, a_i), the
// hyperplanes of S meet iff e_0 ∉ span(h_S), and then rank S = dim span(h_S). The sweep decides, hyperplane by
// hyperplane, whether it is in S. A variable is *closed* once every hyperplane touching it has been decided; what
// the future needs of S is only W = span(h_S) ∩ {x : x_v = 0 for closed v}, since every later row lies in that
// coordinate subspace (with e_0). Subsets with the same W are merged, keeping Σ (−1)^{|S|} per rank.
//   - h_i ∈ W: S and S ∪ {i} have the same span and opposite signs, so the state cancels and is dropped;
//   - otherwise S goes on unchanged, and S ∪ {i} goes to W + h_i, dropped if that contains e_0 (the hyperplanes no
//     longer meet, nor do those of any superset).
// Nothing is assumed about the arrangement (degenerate, parallel, central: all exact). The number of states is
// what it costs: it stays small when hyperplanes touch few variables in a band, as the receptive fields of a
// convolution do (the open variables are a window of the input), where the intersection lattice has as many flats
// as there are regions.
#pragma once

#include "arrangement/arrangement.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/run_control.hpp"

#include <cstddef>
#include <cstdint>

namespace chamber {

struct SweepStats {
  std::uint64_t max_states = 0;   // the most states held after any hyperplane
  std::size_t max_open = 0;       // the most open variables (touched, not yet closed) at any step
  std::uint64_t state_updates = 0;  // states processed, summed over the hyperplanes
};

/*! returns χ_A(t) by the sweep (hyperplanes ordered by their first and last variable). Checks `control` for the
 * time limit and for control.max_states (LimitReached, deterministic), reports progress; fills `stats` if given. */
CharacteristicPolynomial characteristic_polynomial_by_sweep(const Arrangement& arrangement,
                                                            const RunControl& control = {},
                                                            SweepStats* stats = nullptr);

/*! returns χ_A(t) by the intersection lattice while it holds at most control.max_flats flats (per independent
 * block), else by the sweep within control.max_states states: the lattice for dense arrangements, the sweep for
 * banded ones. Deterministic: the budgets count flats and states, not time.
 * \throws LimitReached when both exceed their budgets (or the deadline passes). */
CharacteristicPolynomial characteristic_polynomial_within(const Arrangement& arrangement, const RunControl& control);

}  // namespace chamber

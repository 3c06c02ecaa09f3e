// χ_A(t) from the intersection lattice walked up to symmetry: one flat per orbit of the symmetry group.
//
// The Möbius function is constant on orbits, so χ_A(t) = Σ_{orbits O} |O| μ(O) t^{dim O}. Orbits are built rank by
// rank: the covers Y ∩ H of each representative Y (flat_levels.hpp), each brought to its canonical image (the
// smallest image of its set of hyperplanes, permutation_group.hpp), whose stabiliser gives |O| = |G| / |Stab|.
//
// μ needs only covers. Weisner's theorem in [Q^n, X] with the atom H ⊇ X gives μ(X) = −Σ {μ(Y) : Y ⋖ X, H ⊉ Y};
// averaged over the a(X) hyperplanes through X it becomes symmetric,
//   a(X) μ(X) = −Σ_{Y ⋖ X} (a(X) − a(Y)) μ(Y),
// and counting the pairs (Y ⋖ X) of two orbits from both ends, |O_X| · #{Y ∈ O_Y : Y ⋖ X} = |O_Y| · #{X' ∈ O_X :
// Y ⋖ X'}, so
//   μ(X) = −(1 / (a(X) |O_X|)) Σ_{representatives Y} |O_Y| μ(Y) Σ_{covers X' of Y in O_X} (a(X') − a(Y)),
// a sum over the covers of the representatives alone. The division must be exact: a remainder is reported as an
// internal error. The flats of a central arrangement's top rank (one flat) get μ from Σ_X μ(X) = χ(1) = 0.
#pragma once

#include "arrangement/arrangement.hpp"
#include "arrangement/lattice.hpp"
#include "arrangement/run_control.hpp"
#include "arrangement/symmetry.hpp"

#include <cstdint>

namespace chamber {

struct OrbitLatticeSummary {
  CharacteristicPolynomial chi;
  Integer flats;                  // Σ |O|: the number of flats, as the lattice counts them
  std::uint64_t orbits = 0;       // flat orbits, Q^n and the top included
  std::uint64_t canonical_images = 0;
  std::size_t stabiliser_chains = 0;  // pointwise stabilisers computed (Schreier–Sims runs)
};

/*! χ_A(t) by orbits of `group` (generators verified by the caller: detect_symmetry or read_symmetry_file).
 * \throws LimitReached past control's time or flat limit (counted in orbits), InternalError if a Möbius value is not
 * an integer. */
OrbitLatticeSummary orbit_lattice_summary(const Arrangement& arrangement, const SymmetryGroup& group,
                                          const RunControl& control = {});

}  // namespace chamber

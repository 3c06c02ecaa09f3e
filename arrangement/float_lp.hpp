// The certified fast path of the strict-feasibility LP: a floating-point LP (GLPK) proposes, exact
// arithmetic decides. A proposed interior point is rounded to a rational and checked exactly; a
// proposed infeasibility is accepted only with an exact Farkas certificate, rebuilt from the support
// of the floating-point dual by an exact kernel computation. Anything that does not check returns
// nothing, and the caller falls back to the exact solver.
#pragma once

#include "arrangement/lp.hpp"

#include <optional>
#include <vector>

namespace chamber {

/*! returns a verified witness or a verified Farkas certificate for `conditions`, or nothing when the
 * floating-point proposal cannot be certified. \pre `conditions` is nonempty. */
std::optional<FeasibilityResult> certified_float_solve(const Arrangement& arrangement,
                                                       const std::vector<SignCondition>& conditions);

}  // namespace chamber

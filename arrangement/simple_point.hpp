// Small witnesses: a point of an open polyhedron with short coordinates.
//
// An LP (or a push-off from a vertex) leaves a region's witness with numerators and denominators of dozens of
// digits; the certificate only needs some point strictly inside. Each coordinate in turn is replaced by the
// simplest rational (least denominator, then least |numerator|) of the open interval the other coordinates leave
// it, twice over: certificates shrink several-fold and stay exactly as valid.
#pragma once

#include "arrangement/hyperplane.hpp"

#include <optional>
#include <vector>

namespace chamber {

/*! returns the simplest rational strictly between `low` and `high` (nullopt = unbounded on that side): the one
 * with the least denominator, and among those the least absolute value. \pre low < high when both are given. */
Rational simplest_between(const std::optional<Rational>& low, const std::optional<Rational>& high);

/*! returns a point with short coordinates in the open polyhedron {x : b + a·x > 0 for every row (b, a) of `rows`}.
 * \pre `inside` is strictly inside (every row positive there); then so is the result. */
Point simple_point_inside(const std::vector<IntegerVector>& rows, const Point& inside);

}  // namespace chamber

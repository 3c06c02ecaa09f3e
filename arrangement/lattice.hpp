// The intersection lattice of an arrangement and its characteristic polynomial (Zaslavsky).
//
// A flat is a nonempty intersection of hyperplanes; the whole space Q^n is the flat of rank 0.
// χ_A(t) = Σ_{X flat} μ(X) t^{dim X}, μ the Möbius function from Q^n; r(A) = |χ(−1)|, and
// b(A) = |χ(1)| when the normals span Q^n (otherwise no region is bounded).
#pragma once

#include "arrangement/arrangement.hpp"
#include "arrangement/run_control.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace chamber {

struct Flat {
  std::size_t rank = 0;                  // codimension
  std::vector<std::size_t> hyperplanes;  // sorted indices of all hyperplanes containing the flat
  Integer mobius;                        // μ(Q^n, X)
};

struct IntersectionLattice {
  std::size_t dimension = 0;
  std::vector<Flat> flats;  // ordered by rank; flats[0] is Q^n
  /*! returns the number of flats of each rank 0..max rank. */
  std::vector<std::size_t> flats_per_rank() const;
};

struct CharacteristicPolynomial {
  /*! coefficients from t^n down to t^0 (coefficients[0] is 1). */
  std::vector<Integer> coefficients;

  Integer evaluate(const Integer& t) const;
  /*! r(A) = |χ(−1)|. */
  Integer regions() const;
  /*! b(A): |χ(1)| when the normals span Q^n (the constant term is nonzero), else 0 — without that,
   * every region contains a line and |χ(1)| counts the regions bounded modulo the lineality space. */
  Integer bounded_regions() const;
  /*! returns |χ(1)|, the number of relatively bounded regions (bounded modulo the lineality space). */
  Integer relatively_bounded_regions() const;
  /*! returns the rank of the arrangement (of its normals): n minus the lowest degree with a nonzero
   * coefficient. */
  std::size_t rank() const;
};

/*! the rank of the normals, and whether all hyperplanes share a point (anywhere, not only the origin). */
struct ArrangementShape {
  std::size_t rank = 0;
  bool central = true;
};

/*! returns the rank and centrality of `arrangement` (exact fraction-free elimination). */
ArrangementShape arrangement_shape(const Arrangement& arrangement);

/*! returns χ as text, highest degree first, e.g. "t^3 - 3*t^2 + 2*t". */
std::string to_string(const CharacteristicPolynomial& chi);

/*! computes every flat with its Möbius value; checks `control` for the time limit, reports progress.
 * \throws LimitReached when the deadline passes. */
IntersectionLattice intersection_lattice(const Arrangement& arrangement, const RunControl& control = {});
/*! returns χ_A(t) from the lattice. */
CharacteristicPolynomial characteristic_polynomial(const IntersectionLattice& lattice);
/*! returns χ_A(t), building the lattice without keeping its flats (less memory), block by block (see lattice_summary). */
CharacteristicPolynomial characteristic_polynomial(const Arrangement& arrangement, const RunControl& control = {});

/*! χ_A(t) and the number of flats, computed block by block. Hyperplanes whose normals share a variable (directly or
 * through other hyperplanes) form one block; the arrangement is the product of its blocks (each in its own
 * variables) and of the untouched variables, so χ_A(t) = t^free · Π χ_block(t) and the flats multiply. A convolution
 * with stride ≥ kernel, or 1×1 kernels, splits into one block per receptive field. */
struct LatticeSummary {
  CharacteristicPolynomial chi;
  Integer flats;
  std::size_t blocks = 0;
};
LatticeSummary lattice_summary(const Arrangement& arrangement, const RunControl& control = {});
/*! returns the number of blocks lattice_summary splits `arrangement` into. */
std::size_t independent_block_count(const Arrangement& arrangement);

}  // namespace chamber

// The symmetry group of an arrangement: permutations σ of its hyperplanes induced by an invertible affine map of Q^n
// (linear when the arrangement is central at the origin), with H_i mapped onto H_σ(i).
//
// Detection: the hyperplanes' rows (b, a) ∈ Q^{n+1} and the row (1, 0, …, 0) of the hyperplane at infinity, each
// with its negative, form a vector configuration V spanning a subspace of Q^{n+1}. With Q = Σ_{v∈V} v vᵀ (on that
// span), the permutations of V preserving W(u, v) = uᵀ Q⁻¹ v are exactly those induced by linear maps (Bremner,
// Dutour Sikirić and Schürmann 2009); keeping the row at infinity fixed makes them affine. That group is the
// automorphism group of a complete graph with vertex colours W(v, v) and edge colours W(u, v), which bliss computes
// (the edge colours in binary layers). The colours are compared by their residues modulo two 61-bit primes, and every
// generator is then verified exactly (symmetry_defect), so a residue collision can only drop a generator, never add
// a false one. The group found is the one whose maps send each row to ± a row; maps scaling rows otherwise (rows
// that are not primitive integer vectors of one another's orbit) are not searched, but a user may supply them.
#pragma once

#include "arrangement/arr_io.hpp"
#include "arrangement/arrangement.hpp"
#include "arrangement/permutation_group.hpp"
#include "arrangement/run_control.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace chamber {

struct SymmetryGroup {
  std::size_t degree = 0;               // the hyperplanes
  std::vector<Permutation> generators;  // each verified by symmetry_defect
  Integer order = 1;
  std::string source = "none";          // "detected", "file" or "none"
  std::string note;                     // why detection was skipped or generators dropped (empty otherwise)
  double seconds = 0;

  bool trivial() const { return order == 1; }
  /*! {"order", "generators" (cycles of 1-based hyperplane numbers), "source", "note", "seconds"}. */
  nlohmann::json to_json() const;
};

/*! returns "" when `sigma` (images of the hyperplanes, 0-based) is induced by an invertible affine map of Q^n, else
 * why not (naming a hyperplane, 1-based). Exact: the map is built on a basis of the rows and checked on every row. */
std::string symmetry_defect(const Arrangement& arrangement, const Permutation& sigma);

/*! finds the symmetry group of `arrangement` (see above); an arrangement whose hyperplanes all differ in W(v, v), or
 * with more than `max_hyperplanes`, gets the trivial group at once (with a note in the second case). */
SymmetryGroup detect_symmetry(const Arrangement& arrangement, const RunControl& control = {},
                              std::size_t max_hyperplanes = 2048);

/*! reads generators from `path` for `file`'s arrangement: JSON {"generators": [[σ(1), …, σ(m)], …]}, images of the
 * file's hyperplanes numbered 1..m in file order (docs/symmetry-format.md). \throws InputError (exit 2) naming the
 * file and the generator when a generator is malformed or not a symmetry. */
SymmetryGroup read_symmetry_file(const std::string& path, const ArrFile& file);

/*! returns `sigma` as cycles of 1-based numbers, e.g. "(1,2)(3,5,4)"; "()" for the identity. */
std::string cycles_to_string(const Permutation& sigma);

}  // namespace chamber

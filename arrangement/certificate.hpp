// Writes the completeness certificate of an enumeration (format in docs/certificate.md).
#pragma once

#include "arrangement/enumerate.hpp"

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace chamber {

/*! writes the rational coordinates of `p` as a JSON array of strings ("p" or "p/q"). */
void write_json_point(std::ostream& out, const Point& p);
/*! writes a certificate's `arrangement` object: {"dimension": n, "hyperplanes": [[b, a1..an] as strings, ...]}. */
void write_json_arrangement(std::ostream& out, const Arrangement& arrangement);
/*! writes one Farkas entry of a certificate: {"hyperplanes": [...], "signs": "...", "multipliers": [...]}. */
void write_json_farkas(std::ostream& out, const FarkasCertificate& certificate);
/*! writes one region of a certificate: {"signs": "...", "witness": [...], "blocked": [[i, f], ...]}. */
void write_json_region(std::ostream& out, const std::string& signs, const Point& witness,
                       const std::vector<BlockedHyperplane>& blocked);

class CertificateBuilder {
 public:
  explicit CertificateBuilder(const Arrangement& arrangement) : arrangement_(arrangement) {}

  /*! records a region and the non-facets its search path proved (indices into the enumerator's Farkas list). */
  void add_region(const Region& region, const std::vector<BlockedHyperplane>& blocked);

  /*! proves every remaining non-facet: for each region and hyperplane whose flipped sign vector is
   * neither a recorded region nor covered, solves one LP, which must be infeasible (else the enumeration
   * missed a region: InternalError). Appends the new Farkas entries to `farkas`. */
  void complete(StrictFeasibilitySolver& solver, FarkasPool& farkas, const RunControl& control);

  /*! writes the certificate JSON. \pre complete() was called. */
  void write(std::ostream& out, const FarkasPool& farkas) const;

  std::uint64_t completion_lps() const { return completion_lps_; }
  std::size_t regions() const { return regions_.size(); }

 private:
  const Arrangement& arrangement_;
  std::vector<Region> regions_;
  std::vector<std::vector<BlockedHyperplane>> blocked_;
  std::uint64_t completion_lps_ = 0;
};

}  // namespace chamber

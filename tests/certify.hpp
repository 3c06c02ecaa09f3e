// Enumerate an arrangement, write its completeness certificate and run the independent checker on it.
#pragma once

#include "arrangement/bounded.hpp"
#include "arrangement/certificate.hpp"
#include "arrangement/enumerate.hpp"
#include "verify/certificate_check.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace chamber::test {

struct Certified {
  std::vector<Region> regions;
  std::uint64_t bounded = 0;     // only with `bounded` set
  BoundednessCounters bounded_paths;
  EnumerationStats stats;
  nlohmann::json certificate;    // only with `certify` set
  verify::CheckReport report;    // the checker's verdict (only with `certify` set)
};

/*! enumerates every region of `arrangement`; with `certify`, builds the certificate and checks it; with
 * `exact_lp`, every LP goes through CGAL's exact solver. */
inline Certified enumerate_and_check(const Arrangement& arrangement, bool certify = true, bool bounded = false,
                                     bool exact_lp = false) {
  Certified result;
  RegionEnumerator enumerator(arrangement, EnumerationOptions{RunControl{}, certify, exact_lp});
  BoundednessTester tester(arrangement, exact_lp);
  CertificateBuilder builder(arrangement);
  enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
    result.regions.push_back(region);
    if (bounded && tester.is_bounded(region.signs)) ++result.bounded;
    if (certify) builder.add_region(region, blocked);
  });
  result.stats = enumerator.stats();
  result.bounded_paths = tester.counters();
  if (certify) {
    FarkasPool& farkas = enumerator.farkas();
    builder.complete(enumerator.solver(), farkas, RunControl{});
    std::ostringstream out;
    builder.write(out, farkas);
    result.certificate = nlohmann::json::parse(out.str());
    result.report = verify::check_certificate(result.certificate);
  }
  return result;
}

}  // namespace chamber::test

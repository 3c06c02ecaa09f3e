// Certificates for the linear regions of a network (docs/network-certificate.md): every region's pattern and
// witness, and for every hyperplane of a region either its neighbour across it among the regions, or a Farkas
// proof that it carries no facet. `chamber check` verifies them with the independent checker in verify/.
#pragma once

#include "arrangement/lp.hpp"
#include "arrangement/run_control.hpp"
#include "cnn/linear_regions.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

namespace chamber {

struct NetworkCertificateStats {
  std::uint64_t lp_solves = 0;        // LPs proving non-facets
  std::uint64_t neighbour_links = 0;  // (region, hyperplane) pairs closed by a certified neighbour
  std::uint64_t blocked = 0;          // (region, hyperplane) pairs closed by a Farkas entry
  std::uint64_t enumeration_proofs = 0;  // of which the enumeration's own Farkas proofs (no LP)
  LpCounters lp_paths;                   // how the LPs were decided
};

class NetworkCertificateBuilder {
 public:
  NetworkCertificateBuilder(const Network& network, std::optional<Box> box, bool exact_lp);
  ~NetworkCertificateBuilder();

  void add_region(const LinearRegion& region);
  /*! finds, for every region and hyperplane, the neighbour or the Farkas proof.
   * \throws InternalError when a neighbour across a facet is not among the regions (the enumeration missed
   * it), LimitReached on the deadline. Regions are proven on `threads` threads in batches and merged in region order,
   * so the certificate is the same for any number of threads. */
  void complete(const RunControl& control, unsigned threads = 1);
  /*! returns the certificate (format chamber-certificate, kind network) as parsed from write()'s text.
   * \pre complete() ran. */
  nlohmann::json to_json() const;
  /*! writes the certificate as JSON text, one region and one Farkas entry per line, straight from the compact
   * form (no JSON object is built for the regions or the Farkas entries). \pre complete() ran. */
  void write(std::ostream& out) const;

  std::size_t regions() const { return regions_.size(); }
  std::size_t farkas_entries() const { return farkas_.size(); }
  const NetworkCertificateStats& stats() const { return stats_; }

 private:
  struct Entry {
    LinearRegion region;
    std::vector<std::pair<std::size_t, std::size_t>> blocked;  // (neuron, farkas entry)
  };
  /*! a Farkas entry not yet numbered: its JSON text as written (keys in order, numbers as strings, no spaces), which
   * is canonical, so equal entries have equal texts, and the hash of that text. */
  struct FarkasText {
    std::size_t neuron = 0;  // the neuron whose hyperplane group it blocks
    std::string text;
    std::size_t hash = 0;
  };
  /*! what one region needs in the certificate: its Farkas proofs (not yet numbered) and the counts. */
  struct RegionProofs {
    std::vector<FarkasText> blocked;
    NetworkCertificateStats stats;
  };
  /*! proves every hyperplane of `entry`'s region and shortens its witness; reads only shared, unchanging state. */
  RegionProofs prove_region(Entry& entry) const;

  class FormsCache;

  const Network& network_;
  IntegerNetwork integer_;
  std::unique_ptr<FormsCache> forms_;  // each layer's forms by the pattern before it, shared by regions and neighbours
  std::optional<Box> box_;
  bool exact_lp_;
  std::vector<Entry> regions_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::string> farkas_;                          // the entries' JSON texts, numbered in order
  std::unordered_multimap<std::size_t, std::size_t> farkas_index_;  // hash of an entry's text -> its number
  NetworkCertificateStats stats_;
};

}  // namespace chamber

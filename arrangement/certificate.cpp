#include "arrangement/certificate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/farkas_trie.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <unordered_map>

namespace chamber {

void write_json_point(std::ostream& out, const Point& p) {
  out << '[';
  RationalVector x = p.to_rationals();
  for (std::size_t i = 0; i < x.size(); ++i) out << (i ? ",\"" : "\"") << to_string(x[i]) << '"';
  out << ']';
}

void CertificateBuilder::add_region(const Region& region, const std::vector<BlockedHyperplane>& blocked) {
  regions_.push_back(region);
  blocked_.push_back(blocked);
}

void CertificateBuilder::complete(StrictFeasibilitySolver& solver, FarkasPool& farkas,
                                  const RunControl& control) {
  const std::size_t m = arrangement_.size();
  std::unordered_map<std::string, std::size_t> index;
  index.reserve(regions_.size() * 2);
  for (std::size_t r = 0; r < regions_.size(); ++r) index.emplace(regions_[r].signs, r);
  // An entry that agrees with a flipped sign vector on all its conditions proves it empty too (it must involve the
  // flipped hyperplane, or the region itself would be empty).
  FarkasTrie trie;
  for (std::size_t f = 0; f < farkas.size(); ++f) trie.insert(farkas.entries()[f], f);
  std::vector<bool> covered(m);
  std::vector<SignCondition> conditions(m);
  for (std::size_t r = 0; r < regions_.size(); ++r) {
    control.check_time("certificate completion");
    control.report([&] {
      return "certificate: region " + std::to_string(r) + " of " + std::to_string(regions_.size()) + ", " +
             std::to_string(completion_lps_) + " extra LPs";
    });
    std::fill(covered.begin(), covered.end(), false);
    for (const BlockedHyperplane& b : blocked_[r]) covered[b.hyperplane] = true;
    std::string signs = regions_[r].signs;
    for (std::size_t i = 0; i < m; ++i) {
      if (covered[i]) continue;
      signs[i] = signs[i] == '+' ? '-' : '+';
      if (!index.count(signs)) {
        if (std::optional<std::size_t> agreeing = trie.find(signs)) {
          blocked_[r].push_back({i, *agreeing});
        } else {
          for (std::size_t j = 0; j < m; ++j) conditions[j] = {j, signs[j] == '+' ? 1 : -1};
          ++completion_lps_;
          FeasibilityResult result = solver.solve(conditions);
          if (result.feasible)
            throw InternalError("enumeration missed the region " + signs + " (found while certifying)");
          const std::size_t before = farkas.size();
          const std::size_t entry = farkas.add(std::move(result.farkas));
          if (farkas.size() > before) trie.insert(farkas.entries()[entry], entry);
          blocked_[r].push_back({i, entry});
        }
      }
      signs[i] = signs[i] == '+' ? '-' : '+';
    }
    std::sort(blocked_[r].begin(), blocked_[r].end(),
              [](const BlockedHyperplane& a, const BlockedHyperplane& b) { return a.hyperplane < b.hyperplane; });
  }
}

void write_json_arrangement(std::ostream& out, const Arrangement& arrangement) {
  out << "{\"dimension\": " << arrangement.dimension() << ", \"hyperplanes\": [";
  for (std::size_t j = 0; j < arrangement.size(); ++j) {
    out << (j ? ",\n  [" : "\n  [");
    const IntegerVector& row = arrangement[j].coefficients;
    for (std::size_t c = 0; c < row.size(); ++c) out << (c ? ",\"" : "\"") << row[c].get_str() << '"';
    out << ']';
  }
  out << "]}";
}

void write_json_farkas(std::ostream& out, const FarkasCertificate& certificate) {
  out << "{\"hyperplanes\": [";
  for (std::size_t k = 0; k < certificate.conditions.size(); ++k)
    out << (k ? "," : "") << certificate.conditions[k].hyperplane;
  out << "], \"signs\": \"";
  for (const SignCondition& c : certificate.conditions) out << (c.sign > 0 ? '+' : '-');
  out << "\", \"multipliers\": [";
  for (std::size_t k = 0; k < certificate.multipliers.size(); ++k)
    out << (k ? ",\"" : "\"") << certificate.multipliers[k].get_str() << '"';
  out << "]}";
}

void write_json_region(std::ostream& out, const std::string& signs, const Point& witness,
                       const std::vector<BlockedHyperplane>& blocked) {
  out << "{\"signs\": \"" << signs << "\", \"witness\": ";
  write_json_point(out, witness);
  out << ", \"blocked\": [";
  for (std::size_t b = 0; b < blocked.size(); ++b)
  {
    out << (b ? "," : "") << '[' << blocked[b].hyperplane << ',' << blocked[b].farkas;
    if (blocked[b].up) out << ',' << blocked[b].up;  // (a sharded certificate's entry of an ancestor shard)
    out << ']';
  }
  out << "]}";
}

void CertificateBuilder::write(std::ostream& out, const FarkasPool& pool) const {
  const std::vector<FarkasCertificate>& farkas = pool.entries();
  out << "{\n\"format\": \"chamber-certificate\",\n\"version\": 1,\n\"kind\": \"arrangement\",\n";
  out << "\"arrangement\": ";
  write_json_arrangement(out, arrangement_);
  // The Farkas entries before the regions: a streaming checker then checks every blocked pair as it reads it
  // (docs/certificate.md), keeping no pair in memory.
  out << ",\n\"region_count\": " << regions_.size() << ",\n\"farkas\": [";
  for (std::size_t f = 0; f < farkas.size(); ++f) {
    out << (f ? ",\n" : "\n");
    write_json_farkas(out, farkas[f]);
  }
  out << "\n],\n\"regions\": [";
  for (std::size_t r = 0; r < regions_.size(); ++r) {
    out << (r ? ",\n" : "\n");
    write_json_region(out, regions_[r].signs, regions_[r].witness, blocked_[r]);
  }
  out << "\n]\n}\n";
}

}  // namespace chamber

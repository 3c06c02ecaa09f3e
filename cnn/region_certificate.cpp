#include "cnn/region_certificate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/simple_point.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace chamber {

namespace {

/*! the greatest common divisor of a nonzero row's entries (> 0). */
Integer content(const IntegerVector& row) {
  Integer g = 0;
  for (const Integer& v : row) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), v.get_mpz_t());
  return g;
}

/*! a hyperplane group of a region: the constraints on one hyperplane. */
struct Group {
  bool box = false;
  std::size_t reference = 0;  // neuron (or N + box face) that stands for the group
  IntegerVector row;          // primitive row of the reference, positive on the region
  std::string key;            // the hyperplane as a set (key_of)
};

std::string key_of(const IntegerVector& primitive_row) {
  Hyperplane h{primitive_row};
  return Hyperplane{h.canonical_key()}.to_string();
}

int first_nonzero_sign(const IntegerVector& u, const IntegerVector& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (sgn(v[i]) != 0) return sgn(u[i]) * sgn(v[i]);
  return 0;
}

}  // namespace

NetworkCertificateBuilder::NetworkCertificateBuilder(const Network& network, std::optional<Box> box, bool exact_lp)
    : network_(network), integer_(integer_network(network)), box_(std::move(box)), exact_lp_(exact_lp) {}

void NetworkCertificateBuilder::add_region(const LinearRegion& region) {
  const bool inserted = index_.emplace(region.pattern, regions_.size()).second;
  if (!inserted) throw InternalError("pattern " + region.pattern + " enumerated twice");
  regions_.push_back(Entry{region, {}});
}

void NetworkCertificateBuilder::complete(const RunControl& control, unsigned threads) {
  constexpr std::size_t batch = 4096;
  threads = std::max(1u, threads);
  std::vector<RegionProofs> proofs;
  for (std::size_t begin = 0; begin < regions_.size(); begin += batch) {
    control.check_time("network certificate");
    const std::size_t end = std::min(regions_.size(), begin + batch);
    proofs.assign(end - begin, RegionProofs{});
    std::atomic<std::size_t> next{begin};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto work = [&] {
      try {
        for (std::size_t r; (r = next.fetch_add(1)) < end;) proofs[r - begin] = prove_region(regions_[r]);
      } catch (...) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!error) error = std::current_exception();
        next = end;
      }
    };
    std::vector<std::thread> workers;
    for (unsigned t = 1; t < threads && begin + t < end; ++t) workers.emplace_back(work);
    work();
    for (std::thread& worker : workers) worker.join();
    if (error) std::rethrow_exception(error);
    // Farkas entries are numbered in region order, as one thread would.
    for (std::size_t r = begin; r < end; ++r) {
      RegionProofs& found = proofs[r - begin];
      for (auto& [neuron, farkas] : found.blocked) {
        auto [it, inserted] = farkas_index_.emplace(farkas.dump(), farkas_.size());
        if (inserted) farkas_.push_back(std::move(farkas));
        regions_[r].blocked.emplace_back(neuron, it->second);
      }
      stats_.lp_solves += found.stats.lp_solves;
      stats_.neighbour_links += found.stats.neighbour_links;
      stats_.blocked += found.stats.blocked;
      stats_.enumeration_proofs += found.stats.enumeration_proofs;
      stats_.lp_paths += found.stats.lp_paths;
    }
    control.report([&] {
      return "certificate: " + std::to_string(end) + "/" + std::to_string(regions_.size()) + " regions closed";
    });
  }
}

NetworkCertificateBuilder::RegionProofs NetworkCertificateBuilder::prove_region(Entry& entry) const {
  RegionProofs out;
  const std::string& sigma = entry.region.pattern;
  const std::size_t n = integer_.input_dimension;
  const std::size_t neurons = integer_.neurons();
  const std::vector<IntegerVector> forms = all_forms(integer_, sigma);

  // Groups: box faces first, then the neurons' hyperplanes, keyed by the hyperplane as a set.
  std::vector<Group> groups;
  std::map<std::string, std::size_t> group_of_key;
  std::vector<std::size_t> group_of_neuron(neurons, SIZE_MAX);
  if (box_) {
    std::vector<Hyperplane> faces = box_faces(*box_, n);
    for (std::size_t f = 0; f < faces.size(); ++f) {
      std::string key = key_of(faces[f].coefficients);
      group_of_key.emplace(key, groups.size());
      groups.push_back(Group{true, neurons + f, faces[f].coefficients, std::move(key)});
    }
  }
  for (std::size_t k = 0; k < neurons; ++k) {
    if (is_constant(forms[k])) continue;
    IntegerVector row = forms[k];
    make_primitive(row);
    if (sigma[k] == '-')
      for (Integer& v : row) v = -v;
    std::string key = key_of(row);
    auto [it, inserted] = group_of_key.emplace(key, groups.size());
    if (inserted) groups.push_back(Group{false, k, row, std::move(key)});
    group_of_neuron[k] = it->second;
  }

  // The witness only has to be strictly inside: a short one keeps the certificate small.
  {
    std::vector<IntegerVector> rows;
    rows.reserve(groups.size());
    for (const Group& g : groups) rows.push_back(g.row);
    entry.region.witness = simple_point_inside(rows, entry.region.witness);
  }

  // The neighbour across group g, or nothing when some form there is not a multiple of the group's.
  auto neighbour = [&](std::size_t g) -> std::optional<std::string> {
    const IntegerVector& h = groups[g].row;  // positive on the region: the far side is h < 0
    std::string tau = sigma;
    std::vector<IntegerVector> previous;
    for (std::size_t l = 0; l < integer_.layers(); ++l) {
      std::vector<IntegerVector> layer = layer_forms(integer_, l, tau, previous);
      for (std::size_t i = 0; i < layer.size(); ++i) {
        const std::size_t k = integer_.first_neuron[l] + i;
        const bool zero_form = is_constant(forms[k]) && sgn(forms[k][0]) == 0;
        if (group_of_neuron[k] != g && !zero_form) continue;
        const IntegerVector& form = layer[i];
        if (is_constant(form) && sgn(form[0]) == 0) {
          tau[k] = '0';
          continue;
        }
        IntegerVector row = form;
        make_primitive(row);
        if (key_of(row) != groups[g].key) return std::nullopt;
        tau[k] = first_nonzero_sign(form, h) > 0 ? '-' : '+';
      }
      previous = std::move(layer);
    }
    return tau;
  };

  // A proof that group g carries no facet, from constraint references, sides (+1 the region's side, −1 the far
  // side) and the multipliers of their primitive rows; the certificate reads the true forms instead.
  auto record = [&](std::size_t g, const std::vector<std::size_t>& references, const std::vector<int>& sides,
                    const IntegerVector& multipliers) {
    nlohmann::json condition_refs = nlohmann::json::array(), lambdas = nlohmann::json::array();
    std::string signs;
    for (std::size_t q = 0; q < references.size(); ++q) {
      const std::size_t reference = references[q];
      Rational lambda(multipliers[q]);
      if (reference >= neurons) {  // box face x_i − lo (even) or hi − x_i (odd): the row is a positive multiple
        const std::size_t face = reference - neurons;
        const Integer& coefficient = groups[face].row[1 + face / 2];  // box faces are the first groups, in order
        lambda *= face % 2 == 0 ? Rational(coefficient) : Rational(-coefficient);
        signs += sides[q] > 0 ? '+' : '-';
      } else {  // the primitive row is ±(scaled form)/content, the scaled form S_l times the true one
        lambda *= Rational(integer_.scale[integer_.layer_of(reference)], content(forms[reference]));
        signs += (sides[q] > 0) == (sigma[reference] == '+') ? '+' : '-';
      }
      lambda.canonicalize();
      condition_refs.push_back(reference);
      lambdas.push_back(to_string(lambda));
    }
    out.blocked.emplace_back(groups[g].reference,
                             nlohmann::json{{"conditions", condition_refs}, {"signs", signs}, {"multipliers", lambdas}});
    ++out.stats.blocked;
  };

  std::map<std::size_t, const NonFacetProof*> enumeration_proof;
  for (const NonFacetProof& proof : entry.region.proofs)
    enumeration_proof.emplace(group_of_neuron.at(proof.hyperplane), &proof);
  std::vector<std::size_t> need_proof;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].box) continue;
    // The enumeration's proof first: it costs nothing, where the neighbour recomputes every layer's forms.
    if (auto found = enumeration_proof.find(g); found != enumeration_proof.end()) {
      const NonFacetProof& proof = *found->second;
      record(g, proof.constraints, proof.sides, proof.multipliers);
      ++out.stats.enumeration_proofs;
    } else if (std::optional<std::string> tau = neighbour(g); tau && index_.count(*tau)) {
      ++out.stats.neighbour_links;
    } else {
      need_proof.push_back(g);
    }
  }
  if (need_proof.empty()) return out;

  // One LP per remaining group: the far side of it within the other constraints must be empty.
  std::vector<Hyperplane> rows;
  rows.reserve(groups.size());
  for (const Group& group : groups) rows.push_back(Hyperplane{group.row});
  MergeReport merge;
  Arrangement arrangement(n, rows, &merge);
  std::vector<std::size_t> group_of_row(arrangement.size(), SIZE_MAX);
  for (std::size_t g = groups.size(); g-- > 0;) group_of_row[merge.merged_index[g]] = g;
  StrictFeasibilitySolver solver(arrangement, exact_lp_);
  for (std::size_t g : need_proof) {
    const std::size_t target = merge.merged_index[g];
    std::vector<SignCondition> conditions;
    for (std::size_t j = 0; j < arrangement.size(); ++j) conditions.push_back({j, j == target ? -1 : 1});
    FeasibilityResult result = solver.solve(conditions);
    ++out.stats.lp_solves;
    if (result.feasible) {
      std::optional<std::string> tau = neighbour(g);
      throw InternalError("the region with pattern " + sigma + " has a facet on the hyperplane of neuron " +
                          std::to_string(groups[g].reference) + " whose neighbour " + (tau ? *tau : "(undetermined)") +
                          " was not enumerated");
    }
    std::vector<std::size_t> references;
    std::vector<int> sides;
    for (const SignCondition& c : result.farkas.conditions) {
      references.push_back(groups[group_of_row[c.hyperplane]].reference);
      sides.push_back(c.sign);  // the rows are oriented positive on the region
    }
    record(g, references, sides, result.farkas.multipliers);
  }
  out.stats.lp_paths += solver.counters();
  return out;
}

nlohmann::json NetworkCertificateBuilder::to_json() const {
  nlohmann::json out;
  out["format"] = "chamber-certificate";
  out["version"] = 1;
  out["kind"] = "network";
  out["network"] = chamber::to_json(network_);
  out["box"] = box_ ? nlohmann::json::array({to_string(box_->lo), to_string(box_->hi)}) : nlohmann::json();
  out["neurons"] = integer_.neurons();
  out["region_count"] = regions_.size();
  nlohmann::json regions = nlohmann::json::array();
  for (const Entry& entry : regions_) {
    nlohmann::json witness = nlohmann::json::array();
    for (const Rational& v : entry.region.witness.to_rationals()) witness.push_back(to_string(v));
    nlohmann::json blocked = nlohmann::json::array();
    for (const auto& [neuron, farkas] : entry.blocked) blocked.push_back({neuron, farkas});
    regions.push_back({{"pattern", entry.region.pattern}, {"witness", witness}, {"blocked", blocked}});
  }
  out["regions"] = std::move(regions);
  out["farkas"] = farkas_;
  return out;
}

void NetworkCertificateBuilder::write(std::ostream& out) const {
  // One region and one Farkas entry per line: easy to read, to grep and to diff.
  nlohmann::json certificate = to_json();
  nlohmann::json regions = std::move(certificate["regions"]), farkas = std::move(certificate["farkas"]);
  certificate.erase("regions");
  certificate.erase("farkas");
  std::string head = certificate.dump();
  head.pop_back();  // the closing brace
  out << head << ",\n\"regions\": [";
  for (std::size_t r = 0; r < regions.size(); ++r) out << (r ? ",\n  " : "\n  ") << regions[r].dump();
  out << "\n],\n\"farkas\": [";
  for (std::size_t f = 0; f < farkas.size(); ++f) out << (f ? ",\n  " : "\n  ") << farkas[f].dump();
  out << "\n]}\n";
}

}  // namespace chamber

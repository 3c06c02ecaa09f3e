#include "cnn/region_certificate.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/simple_point.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <string_view>
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
};

/*! orders primitive rows as hyperplanes (sets): a row and its negation are equal, so the key is the row with its
 * first nonzero entry positive (Hyperplane::canonical_key), compared entry by entry without building it. */
struct HyperplaneLess {
  static int first_sign(const IntegerVector& row) {
    for (const Integer& v : row)
      if (int s = sgn(v)) return s;
    return 0;
  }
  bool operator()(const IntegerVector& u, const IntegerVector& v) const {
    if (u.size() != v.size()) return u.size() < v.size();
    const int su = first_sign(u), sv = first_sign(v);
    for (std::size_t i = 0; i < u.size(); ++i) {
      // compares su·u[i] with sv·v[i]
      int c;
      if (su == sv) c = su * mpz_cmp(u[i].get_mpz_t(), v[i].get_mpz_t());
      else {  // opposite orientations: su·u[i] − sv·v[i] = su·(u[i] + v[i])
        const int a = sgn(u[i]), b = sgn(v[i]);
        if (a == -b) c = a == 0 ? 0 : su * a * mpz_cmpabs(u[i].get_mpz_t(), v[i].get_mpz_t());
        else c = su * (a != 0 ? a : b);
      }
      if (c != 0) return c < 0;
    }
    return false;
  }
};

/*! returns whether two primitive rows are the same hyperplane as a set: equal, or one the negation of the other. */
bool same_hyperplane(const IntegerVector& u, const IntegerVector& v) {
  if (u.size() != v.size()) return false;
  int orientation = 0;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const int a = sgn(u[i]), b = sgn(v[i]);
    if (a == 0 && b == 0) continue;
    if (a == 0 || b == 0) return false;
    if (orientation == 0) orientation = a * b;
    else if (a * b != orientation) return false;
    if (mpz_cmpabs(u[i].get_mpz_t(), v[i].get_mpz_t()) != 0) return false;
  }
  return true;
}

/*! appends the decimal digits of `value`. */
void append_integer(std::string& out, const mpz_t value) {
  const std::size_t old = out.size();
  out.resize(old + mpz_sizeinbase(value, 10) + 2);  // sign and terminating zero
  mpz_get_str(out.data() + old, 10, value);
  out.resize(old + std::strlen(out.data() + old));
}

/*! appends `value` as to_string(Rational) writes it ("p" or "p/q"); \pre canonical. */
void append_rational(std::string& out, const Rational& value) {
  append_integer(out, value.get_num_mpz_t());
  if (value.get_den() != 1) {
    out += '/';
    append_integer(out, value.get_den_mpz_t());
  }
}

void append_size(std::string& out, std::size_t value) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

int first_nonzero_sign(const IntegerVector& u, const IntegerVector& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    if (sgn(v[i]) != 0) return sgn(u[i]) * sgn(v[i]);
  return 0;
}

/*! one layer's forms under the characters of the layers before it, with what the certificate reads of each form: its
 * primitive row (the form divided by its content, same orientation; empty for a constant form) and its content. */
struct LayerForms {
  std::vector<IntegerVector> forms;  // the neurons' forms (a max layer's slots: p_c − p_s)
  std::vector<IntegerVector> primitive;
  std::vector<Integer> content;
  std::vector<IntegerVector> pieces;  // a max layer: layer_forms' pieces (what the next layer reads); else empty

  const std::vector<IntegerVector>& passed_on() const { return pieces.empty() ? forms : pieces; }
};

}  // namespace

/*! Layer l's forms depend only on the pattern of the layers before it, which many regions (and the neighbours tried
 * across their hyperplanes) share: each is computed once and kept, keyed by that prefix of the pattern. Safe for the
 * proving threads; bounded (a layer's table is emptied when the cache would hold more than max_entries integers). */
class NetworkCertificateBuilder::FormsCache {
 public:
  explicit FormsCache(const IntegerNetwork& network) : network_(network), tables_(network.layers()) {}

  /*! returns layer `l`'s forms under the first first_neuron[l] characters of `pattern` (first_neuron[l + 1] for a
   * max layer, whose slots' forms depend on the piece its units take). */
  std::shared_ptr<const LayerForms> get(std::size_t l, const std::string& pattern) {
    std::string key(pattern, 0, network_.first_neuron[network_.is_max(l) ? l + 1 : l]);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = tables_[l].find(key); it != tables_[l].end()) return it->second;
    }
    std::shared_ptr<const LayerForms> previous = l > 0 ? get(l - 1, pattern) : nullptr;
    auto made = std::make_shared<LayerForms>();
    made->forms = layer_forms(network_, l, pattern, previous ? previous->passed_on() : made->forms);
    if (network_.is_max(l)) {
      made->pieces = std::move(made->forms);
      made->forms = slot_forms(network_, l, pattern, made->pieces);
    }
    made->primitive.resize(made->forms.size());
    made->content.resize(made->forms.size());
    for (std::size_t i = 0; i < made->forms.size(); ++i) {
      const IntegerVector& form = made->forms[i];
      made->content[i] = content(form);
      if (is_constant(form)) continue;
      IntegerVector& row = made->primitive[i];
      row.resize(form.size());
      for (std::size_t c = 0; c < form.size(); ++c)
        mpz_divexact(row[c].get_mpz_t(), form[c].get_mpz_t(), made->content[i].get_mpz_t());
    }
    const std::size_t size = made->forms.size() * (network_.input_dimension + 1) * (made->pieces.empty() ? 2 : 3);
    std::lock_guard<std::mutex> lock(mutex_);
    if (held_ + size > max_entries) {
      for (auto& table : tables_) table.clear();
      held_ = 0;
    }
    if (tables_[l].emplace(std::move(key), made).second) held_ += size;
    return made;
  }

 private:
  static constexpr std::size_t max_entries = std::size_t{1} << 22;
  const IntegerNetwork& network_;
  std::mutex mutex_;
  std::vector<std::unordered_map<std::string, std::shared_ptr<const LayerForms>>> tables_;
  std::size_t held_ = 0;
};

NetworkCertificateBuilder::NetworkCertificateBuilder(const Network& network, std::optional<Box> box, bool exact_lp)
    : network_(network),
      integer_(integer_network(network)),
      forms_(std::make_unique<FormsCache>(integer_)),
      box_(std::move(box)),
      exact_lp_(exact_lp) {}

NetworkCertificateBuilder::~NetworkCertificateBuilder() = default;

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
      regions_[r].blocked.reserve(found.blocked.size());
      for (FarkasText& farkas : found.blocked) {
        std::size_t number = farkas_.size();
        for (auto [it, last] = farkas_index_.equal_range(farkas.hash); it != last; ++it)
          if (farkas_[it->second] == farkas.text) {
            number = it->second;
            break;
          }
        if (number == farkas_.size()) {
          farkas_index_.emplace(farkas.hash, number);
          farkas_.push_back(std::move(farkas.text));
        }
        regions_[r].blocked.emplace_back(farkas.neuron, number);
      }
      stats_.lp_solves += found.stats.lp_solves;
      stats_.neighbour_links += found.stats.neighbour_links;
      stats_.blocked += found.stats.blocked;
      stats_.enumeration_proofs += found.stats.enumeration_proofs;
      stats_.lp_paths += found.stats.lp_paths;
      found = RegionProofs{};  // frees the texts now (after its counts are taken)
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
  std::vector<std::shared_ptr<const LayerForms>> own(integer_.layers());
  for (std::size_t l = 0; l < own.size(); ++l) own[l] = forms_->get(l, sigma);
  auto at = [&](std::size_t k) -> std::pair<const LayerForms&, std::size_t> {
    const std::size_t l = integer_.layer_of(k);
    return {*own[l], k - integer_.first_neuron[l]};
  };

  // Groups: box faces first, then the neurons' hyperplanes, keyed by the hyperplane as a set.
  std::vector<Group> groups;
  groups.reserve(neurons + (box_ ? 2 * n : 0));
  std::map<IntegerVector, std::size_t, HyperplaneLess> group_of_key;
  std::vector<std::size_t> group_of_neuron(neurons, SIZE_MAX);
  if (box_) {
    std::vector<Hyperplane> faces = box_faces(*box_, n);
    for (std::size_t f = 0; f < faces.size(); ++f) {
      group_of_key.emplace(faces[f].coefficients, groups.size());
      groups.push_back(Group{true, neurons + f, std::move(faces[f].coefficients)});
    }
  }
  for (std::size_t k = 0; k < neurons; ++k) {
    const auto [layer, i] = at(k);
    if (layer.primitive[i].empty()) continue;
    IntegerVector row = layer.primitive[i];
    if (sigma[k] == '-')
      for (Integer& v : row) v = -v;
    auto [it, inserted] = group_of_key.emplace(row, groups.size());
    if (inserted) groups.push_back(Group{false, k, std::move(row)});
    group_of_neuron[k] = it->second;
  }

  // The witness only has to be strictly inside: a short one keeps the certificate small.
  {
    std::vector<IntegerVector> rows;
    rows.reserve(groups.size());
    for (const Group& g : groups) rows.push_back(g.row);
    entry.region.witness = simple_point_inside(rows, entry.region.witness);
  }

  // A max layer's units across group g: the candidates are the piece c a unit takes and the slots whose form is in
  // the group or identically 0; every other slot stays below c near the facet. With τ's pieces (`layer`, from the
  // cache under τ's earlier characters), each candidate differs from c by β_s·h; just past the facet (h < 0) the
  // largest is the one of least β, the first among equals. False when some difference is not a multiple of h.
  auto max_neighbour = [&](std::size_t l, const LayerForms& layer, std::size_t g, const IntegerVector& h,
                           std::string& tau) {
    const std::size_t offset = integer_.first_neuron[l];
    const std::vector<std::size_t>& units = integer_.unit_begin[l];
    std::size_t pivot = 1;  // the first nonzero entry of h's linear part
    while (sgn(h[pivot]) == 0) ++pivot;
    for (std::size_t u = 0; u + 1 < units.size(); ++u) {
      const std::size_t c = chosen_slot(integer_, l, u, sigma);
      std::vector<std::pair<std::size_t, Rational>> candidates;  // (slot, β)
      for (std::size_t s = units[u]; s < units[u + 1]; ++s) {
        const std::size_t k = offset + s;
        const bool zero_form = own[l]->primitive[s].empty() && sgn(own[l]->forms[s][0]) == 0;
        if (group_of_neuron[k] != g && !zero_form) continue;
        IntegerVector d = layer.pieces[s];
        for (std::size_t i = 0; i < d.size(); ++i) d[i] -= layer.pieces[c][i];
        if (is_constant(d)) {
          if (sgn(d[0]) != 0) return false;
          candidates.emplace_back(s, Rational(0));
          continue;
        }
        IntegerVector primitive = d;
        make_primitive(primitive);
        if (!same_hyperplane(primitive, h)) return false;
        Rational beta(d[pivot], h[pivot]);
        beta.canonicalize();
        candidates.emplace_back(s, std::move(beta));
      }
      const Rational* least = &candidates.front().second;
      for (const auto& candidate : candidates)
        if (candidate.second < *least) least = &candidate.second;
      for (std::size_t s = units[u]; s < units[u + 1]; ++s) tau[offset + s] = '+';
      for (const auto& [s, beta] : candidates)
        if (beta == *least) tau[offset + s] = '0';
    }
    return true;
  };

  // The neighbour across group g, or nothing when some form there is not a multiple of the group's.
  // Layer by layer with the characters found so far: the layers before the group's first neuron hold none of its
  // neurons and keep their characters, so the walk starts at that layer, whose forms are the region's; the forms of
  // the layers after it come from the cache under the neighbour's characters.
  auto neighbour = [&](std::size_t g) -> std::optional<std::string> {
    const IntegerVector& h = groups[g].row;  // positive on the region: the far side is h < 0
    std::string tau = sigma;
    const std::size_t first_layer = integer_.layer_of(groups[g].reference);
    for (std::size_t l = first_layer; l < integer_.layers(); ++l) {
      const std::size_t begin = integer_.first_neuron[l], end = integer_.first_neuron[l + 1];
      const std::shared_ptr<const LayerForms> layer = l == first_layer ? own[l] : forms_->get(l, tau);
      if (integer_.is_max(l)) {
        if (!max_neighbour(l, *layer, g, h, tau)) return std::nullopt;
        continue;
      }
      for (std::size_t i = 0; i < end - begin; ++i) {
        const std::size_t k = begin + i;
        const bool zero_form = own[l]->primitive[i].empty() && sgn(own[l]->forms[i][0]) == 0;
        if (group_of_neuron[k] != g && !zero_form) continue;
        const IntegerVector& form = layer->forms[i];
        if (layer->primitive[i].empty()) {
          if (sgn(form[0]) != 0) return std::nullopt;  // a nonzero constant is no multiple of h
          tau[k] = '0';
          continue;
        }
        if (!same_hyperplane(layer->primitive[i], h)) return std::nullopt;
        tau[k] = first_nonzero_sign(form, h) > 0 ? '-' : '+';
      }
    }
    return tau;
  };

  // A proof that group g carries no facet, from constraint references, sides (+1 the region's side, −1 the far
  // side) and the multipliers of their primitive rows; the certificate reads the true forms instead.
  // The entry is written as the JSON text nlohmann::json's dump() gives (keys sorted, no spaces).
  std::vector<Rational> factor(neurons);  // S_l / content of neuron k's form, canonical; 0 until needed
  std::string signs;
  Rational lambda;
  auto record = [&](std::size_t g, const std::vector<std::size_t>& references, const std::vector<int>& sides,
                    const IntegerVector& multipliers) {
    std::string text = "{\"conditions\":[";
    for (std::size_t q = 0; q < references.size(); ++q) {
      if (q) text += ',';
      append_size(text, references[q]);
    }
    text += "],\"multipliers\":[";
    signs.clear();
    for (std::size_t q = 0; q < references.size(); ++q) {
      const std::size_t reference = references[q];
      if (reference >= neurons) {  // box face x_i − lo (even) or hi − x_i (odd): the row is a positive multiple
        const std::size_t face = reference - neurons;
        const Integer& coefficient = groups[face].row[1 + face / 2];  // box faces are the first groups, in order
        lambda = multipliers[q] * (face % 2 == 0 ? coefficient : Integer(-coefficient));
        signs += sides[q] > 0 ? '+' : '-';
      } else {  // the primitive row is ±(scaled form)/content, the scaled form S_l times the true one
        Rational& f = factor[reference];
        if (sgn(f) == 0) {
          const auto [layer, i] = at(reference);
          f = Rational(integer_.scale[integer_.layer_of(reference)], layer.content[i]);
          f.canonicalize();
        }
        lambda = Rational(multipliers[q]) * f;  // canonical factors: a canonical product
        signs += (sides[q] > 0) == (sigma[reference] == '+') ? '+' : '-';
      }
      text += q ? ",\"" : "\"";
      append_rational(text, lambda);
      text += '"';
    }
    text += "],\"signs\":\"";
    text += signs;
    text += "\"}";
    const std::size_t hash = std::hash<std::string_view>{}(text);
    out.blocked.push_back(FarkasText{groups[g].reference, std::move(text), hash});
    ++out.stats.blocked;
  };

  out.blocked.reserve(entry.region.proofs.size());
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
  // The enumeration's proofs are texts now: freed here, on the proving threads, rather than all at the end.
  entry.region.proofs = std::vector<NonFacetProof>();
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
  std::ostringstream text;
  write(text);
  return nlohmann::json::parse(text.str());
}

void NetworkCertificateBuilder::write(std::ostream& out) const {
  // One region and one Farkas entry per line: easy to read, to grep and to diff. The bytes are those of
  // nlohmann::json's dump() of each object (keys sorted, no spaces): the head, then every region and entry.
  nlohmann::json head;
  head["format"] = "chamber-certificate";
  head["version"] = 1;
  head["kind"] = "network";
  head["network"] = chamber::to_json(network_);
  head["box"] = box_ ? nlohmann::json::array({to_string(box_->lo), to_string(box_->hi)}) : nlohmann::json();
  head["neurons"] = integer_.neurons();
  head["region_count"] = regions_.size();
  std::string text = head.dump();
  text.pop_back();  // the closing brace
  text += ",\n\"regions\": [";
  constexpr std::size_t flush_at = 1 << 20;
  Rational x;
  for (std::size_t r = 0; r < regions_.size(); ++r) {
    const Entry& entry = regions_[r];
    text += r ? ",\n  {\"blocked\":[" : "\n  {\"blocked\":[";
    for (std::size_t b = 0; b < entry.blocked.size(); ++b) {
      text += b ? ",[" : "[";
      append_size(text, entry.blocked[b].first);
      text += ',';
      append_size(text, entry.blocked[b].second);
      text += ']';
    }
    text += "],\"pattern\":\"";
    text += entry.region.pattern;
    text += "\",\"witness\":[";
    const IntegerVector& z = entry.region.witness.coordinates;  // x_i = z_i / z_0
    for (std::size_t i = 1; i < z.size(); ++i) {
      x = Rational(z[i], z[0]);
      x.canonicalize();
      text += i > 1 ? ",\"" : "\"";
      append_rational(text, x);
      text += '"';
    }
    text += "]}";
    if (text.size() >= flush_at) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  text += "\n],\n\"farkas\": [";
  for (std::size_t f = 0; f < farkas_.size(); ++f) {
    text += f ? ",\n  " : "\n  ";
    text += farkas_[f];
    if (text.size() >= flush_at) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  text += "\n]}\n";
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace chamber

#include "cnn/linear_regions.hpp"

#include "arrangement/input_limits.hpp"

#include "arrangement/enumerate.hpp"
#include "arrangement/errors.hpp"
#include "cnn/cone_regions.hpp"
#include "cnn/plane_regions.hpp"

#include <mutex>

#include <algorithm>
#include <utility>

namespace chamber {

Box parse_box(const std::string& text, const std::string& what) {
  const std::size_t comma = text.find(',');
  std::optional<Rational> lo, hi;
  std::string why_lo, why_hi;
  if (comma != std::string::npos) {
    lo = parse_rational(std::string_view(text).substr(0, comma), &why_lo);
    hi = parse_rational(std::string_view(text).substr(comma + 1), &why_hi);
  }
  if (!why_lo.empty() || !why_hi.empty())
    throw InputError(what + ": " + (why_lo.empty() ? "HI" : "LO") + " refused: " + (why_lo.empty() ? why_hi : why_lo));
  if (!lo || !hi) throw InputError(what + ": expected LO,HI (two exact numbers), found " + quote_prefix(text));
  if (!(*lo < *hi)) throw InputError(what + ": LO must be smaller than HI, found " + quote_prefix(text));
  return Box{*lo, *hi};
}

NetworkEngine parse_network_engine(const std::string& text, const std::string& what) {
  if (text == "auto") return NetworkEngine::automatic;
  if (text == "lp") return NetworkEngine::lp;
  if (text == "cone") return NetworkEngine::cone;
  if (text == "hybrid") return NetworkEngine::hybrid;
  if (text == "plane") return NetworkEngine::plane;
  throw InputError(what + ": expected auto, lp, cone, hybrid or plane, found " + quote_prefix(text));
}

const char* to_string(NetworkEngine engine) {
  switch (engine) {
    case NetworkEngine::automatic: return "auto";
    case NetworkEngine::lp: return "lp";
    case NetworkEngine::cone: return "cone";
    case NetworkEngine::hybrid: return "hybrid";
    case NetworkEngine::plane: return "plane";
  }
  return "auto";
}

std::size_t IntegerNetwork::layer_of(std::size_t neuron) const {
  auto it = std::upper_bound(first_neuron.begin(), first_neuron.end(), neuron);
  return static_cast<std::size_t>(it - first_neuron.begin()) - 1;
}

IntegerNetwork integer_network(const Network& network) {
  return integer_network(network.input_dimension(), neuron_layers(network));
}

IntegerNetwork integer_network(std::size_t input_dimension, std::vector<NeuronRows> layers) {
  IntegerNetwork result;
  result.input_dimension = input_dimension;
  result.first_neuron.push_back(0);
  Integer previous_scale = 1;
  for (NeuronRows& layer : layers) {
    // t clears the denominators of the weights and of S_{l−1}·b: z' = t·S_{l−1}·b + t·a·y' with y' = S_{l−1}·y.
    Integer t = 1;
    for (RationalVector& row : layer.gated) {
      row[0] *= previous_scale;
      for (const Rational& v : row) mpz_lcm(t.get_mpz_t(), t.get_mpz_t(), v.get_den_mpz_t());
    }
    for (const RationalVector& row : layer.linear)
      for (const Rational& v : row) mpz_lcm(t.get_mpz_t(), t.get_mpz_t(), v.get_den_mpz_t());
    auto scaled = [&t](const std::vector<RationalVector>& rows) {
      std::vector<IntegerVector> integer_rows;
      integer_rows.reserve(rows.size());
      for (const RationalVector& row : rows) {
        IntegerVector r(row.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
          Rational value = row[i] * t;
          r[i] = value.get_num();
        }
        integer_rows.push_back(std::move(r));
      }
      return integer_rows;
    };
    std::vector<IntegerVector> integer_rows = scaled(layer.gated);
    previous_scale *= t;
    result.scale.push_back(previous_scale);
    result.first_neuron.push_back(result.first_neuron.back() + integer_rows.size());
    result.rows.push_back(std::move(integer_rows));
    result.linear.push_back(scaled(layer.linear));
    std::vector<std::size_t> begin;
    if (!layer.slots.empty()) {
      begin.push_back(0);
      for (std::size_t k : layer.slots) begin.push_back(begin.back() + k);
    }
    result.unit_begin.push_back(std::move(begin));
  }
  return result;
}

bool IntegerNetwork::has_max() const {
  return std::any_of(unit_begin.begin(), unit_begin.end(), [](const auto& begin) { return !begin.empty(); });
}

namespace {

/*! returns, for each neuron of layer `layer`, whether its gated value passes on (see layer_forms). */
std::vector<char> gates(const IntegerNetwork& network, std::size_t layer, const std::string& pattern) {
  const std::size_t offset = network.first_neuron[layer];
  std::vector<char> open(network.first_neuron[layer + 1] - offset, 0);
  if (!network.is_max(layer)) {
    for (std::size_t j = 0; j < open.size(); ++j) open[j] = pattern[offset + j] == '+';
    return open;
  }
  for (std::size_t u = 0; u + 1 < network.unit_begin[layer].size(); ++u)
    open[chosen_slot(network, layer, u, pattern)] = 1;
  return open;
}

}  // namespace

std::size_t chosen_slot(const IntegerNetwork& network, std::size_t layer, std::size_t unit, const std::string& pattern) {
  const std::size_t offset = network.first_neuron[layer];
  const std::vector<std::size_t>& begin = network.unit_begin[layer];
  for (std::size_t s = begin[unit]; s < begin[unit + 1]; ++s)
    if (pattern[offset + s] == '0') return s;
  throw InternalError("a max unit without a '0' in " + pattern);
}

std::vector<IntegerVector> slot_forms(const IntegerNetwork& network, std::size_t layer, const std::string& pattern,
                                      const std::vector<IntegerVector>& forms) {
  if (!network.is_max(layer)) return forms;
  const std::vector<std::size_t>& begin = network.unit_begin[layer];
  std::vector<IntegerVector> slots(forms.size());
  for (std::size_t u = 0; u + 1 < begin.size(); ++u) {
    const std::size_t c = chosen_slot(network, layer, u, pattern);
    for (std::size_t s = begin[u]; s < begin[u + 1]; ++s) {
      IntegerVector d = forms[c];
      for (std::size_t i = 0; i < d.size(); ++i) d[i] -= forms[s][i];
      slots[s] = std::move(d);
    }
  }
  return slots;
}

std::vector<IntegerVector> layer_forms(const IntegerNetwork& network, std::size_t layer, const std::string& pattern,
                                       const std::vector<IntegerVector>& previous) {
  if (layer == 0) return network.rows[0];
  const std::size_t width = network.input_dimension + 1;
  const std::vector<char> open = gates(network, layer - 1, pattern);
  const std::vector<IntegerVector>& linear = network.linear[layer];
  std::vector<IntegerVector> forms;
  forms.reserve(network.rows[layer].size());
  for (std::size_t k = 0; k < network.rows[layer].size(); ++k) {
    const IntegerVector& row = network.rows[layer][k];
    IntegerVector form(width, 0);
    form[0] = row[0];
    for (std::size_t i = 1; i < row.size(); ++i) {
      if (sgn(row[i]) == 0 || !open[i - 1]) continue;
      const IntegerVector& input = previous[i - 1];
      for (std::size_t c = 0; c < width; ++c)
        mpz_addmul(form[c].get_mpz_t(), row[i].get_mpz_t(), input[c].get_mpz_t());
    }
    if (!linear.empty()) {
      const IntegerVector& skip = linear[k];
      for (std::size_t i = 1; i < skip.size(); ++i) {
        if (sgn(skip[i]) == 0) continue;
        const IntegerVector& input = previous[i - 1];
        for (std::size_t c = 0; c < width; ++c)
          mpz_addmul(form[c].get_mpz_t(), skip[i].get_mpz_t(), input[c].get_mpz_t());
      }
    }
    forms.push_back(std::move(form));
  }
  return forms;
}

std::vector<IntegerVector> all_forms(const IntegerNetwork& network, const std::string& pattern) {
  std::vector<IntegerVector> forms, previous;
  forms.reserve(network.neurons());
  for (std::size_t l = 0; l < network.layers(); ++l) {
    previous = layer_forms(network, l, pattern, previous);
    if (network.is_max(l)) {
      const std::vector<IntegerVector> slots = slot_forms(network, l, pattern, previous);
      forms.insert(forms.end(), slots.begin(), slots.end());
    } else {
      forms.insert(forms.end(), previous.begin(), previous.end());
    }
  }
  return forms;
}

bool is_constant(const IntegerVector& form) {
  return std::all_of(form.begin() + 1, form.end(), [](const Integer& v) { return sgn(v) == 0; });
}

std::vector<Hyperplane> box_faces(const Box& box, std::size_t dimension) {
  std::vector<Hyperplane> faces;
  faces.reserve(2 * dimension);
  for (std::size_t i = 0; i < dimension; ++i) {
    RationalVector lower(dimension + 1, 0), upper(dimension + 1, 0);
    lower[0] = -box.lo;
    lower[1 + i] = 1;
    upper[0] = box.hi;
    upper[1 + i] = -1;
    faces.push_back(Hyperplane::from_rationals(lower));
    faces.push_back(Hyperplane::from_rationals(upper));
  }
  return faces;
}

std::vector<Rational> breakpoints_1d(const IntegerNetwork& network, const std::vector<LinearRegion>& regions,
                                     const std::optional<Box>& box) {
  std::vector<Rational> points;
  for (const LinearRegion& region : regions) {
    // The region is lo < x < hi with lo the largest root among its lower constraints σ (c + a x) > 0, σ a > 0.
    std::optional<Rational> lo;
    const std::vector<IntegerVector> forms = all_forms(network, region.pattern);
    for (std::size_t k = 0; k < forms.size(); ++k) {
      if (is_constant(forms[k])) continue;
      if ((region.pattern[k] == '+') != (sgn(forms[k][1]) > 0)) continue;
      Rational root(-forms[k][0], forms[k][1]);
      root.canonicalize();
      if (!lo || root > *lo) lo = root;
    }
    if (lo && (!box || *lo > box->lo)) points.push_back(*lo);
  }
  std::sort(points.begin(), points.end());
  return points;
}

/*! a cell of the layers refined so far: constraints (each positive on the cell), a witness inside, the
 * pattern of those layers, and the forms of the last refined layer. */
struct LinearRegionEnumerator::Cell {
  std::vector<Hyperplane> constraints;
  std::vector<std::size_t> references;  // the neuron (or N + box face) of each constraint
  std::vector<NonFacetProof> proofs;
  Point witness;
  std::string pattern;
  std::vector<IntegerVector> forms;
};

LinearRegionEnumerator::LinearRegionEnumerator(const Network& network, LinearRegionOptions options)
    : LinearRegionEnumerator(integer_network(network), std::move(options)) {}

LinearRegionEnumerator::LinearRegionEnumerator(IntegerNetwork network, LinearRegionOptions options)
    : network_(std::move(network)), options_(std::move(options)) {
  stats_.cells_per_layer.assign(network_.layers(), 0);
}

void LinearRegionEnumerator::run(const LinearRegionSink& sink) {
  const std::size_t n = network_.input_dimension;
  if (network_.has_max()) {
    if (options_.engine != NetworkEngine::automatic && options_.engine != NetworkEngine::lp)
      throw InputError(std::string("the ") + to_string(options_.engine) +
                       " engine does not handle max-pooling layers: use --engine lp (or auto)");
    options_.engine = NetworkEngine::lp;
  }
  if (options_.engine == NetworkEngine::plane && n != 2)
    throw InputError("the plane engine needs a 2-D input, this network's input has " + std::to_string(n) +
                     " coordinates");
  if (options_.engine != NetworkEngine::lp && n == 2 && network_.layers() > 0) {
    PlaneRegionEnumerator plane(network_,
                                PlaneRegionOptions{options_.control, options_.box, options_.keep_proofs, options_.threads});
    plane.run([&](PlaneRegion&& region) { sink(region.region); });
    stats_.engine = NetworkEngine::plane;
    stats_.regions = plane.stats().regions;
    stats_.cells_per_layer = plane.stats().cells_per_layer;
    return;
  }
  if (options_.engine == NetworkEngine::cone) {
    run_cones(sink);
    return;
  }
  // In a box of many vertices most first-layer cells have too many rays for the cones (measured: 9 inputs in a box,
  // the hybrid 5x slower than the LP engine; 3 and 4 inputs, 2x faster): there the automatic choice is the LP engine.
  // One layer is an arrangement, which IncEnu enumerates with under two LPs per region; asked for by name, the hybrid
  // there builds each cell's rays only to prove the non-facets a certificate needs without LPs (IncEnu's search proves
  // those on its path, LPs the rest): no LP in the certificate, but about twice the time (conv 1x1x7 3:1x3:1,
  // 13,812 regions: 5.4 s against 2.6 s), so `auto` keeps the LP engine.
  const bool many_box_vertices = options_.box && n > 6;
  if (network_.layers() >= 1 && (options_.engine == NetworkEngine::hybrid ||
                                 (options_.engine == NetworkEngine::automatic && network_.layers() >= 2 &&
                                  !many_box_vertices))) {
    run_hybrid(sink);
    return;
  }
  stats_.engine = NetworkEngine::lp;
  if (network_.layers() == 0) {
    ++stats_.regions;
    sink(LinearRegion{std::string(), domain().witness, {}});
    return;
  }
  refine(0, domain(), sink);
}

LinearRegionEnumerator::Cell LinearRegionEnumerator::domain() const {
  const std::size_t n = network_.input_dimension;
  Cell start;
  RationalVector centre(n, 0);
  if (options_.box) {
    start.constraints = box_faces(*options_.box, n);
    for (std::size_t f = 0; f < start.constraints.size(); ++f) start.references.push_back(network_.neurons() + f);
    for (Rational& c : centre) c = (options_.box->lo + options_.box->hi) / 2;
  }
  start.witness = Point::from_rationals(centre);
  return start;
}

void LinearRegionEnumerator::run_hybrid(const LinearRegionSink& sink) {
  stats_.engine = NetworkEngine::hybrid;
  // The first layer's cells, kept as signs over its rows (the same rows for every cell).
  FirstLayerCells first;
  split(0, domain(), [&](Cell&& cell) {
    if (first.cells.empty()) {
      for (const Hyperplane& h : cell.constraints) first.rows.push_back(h.coefficients);
      first.references = cell.references;
    }
    std::string signs(first.rows.size(), '+');
    for (std::size_t j = 0; j < signs.size(); ++j)
      if (cell.constraints[j].coefficients != first.rows[j]) signs[j] = '-';
    first.cells.push_back(FirstLayerCells::Cell{std::move(cell.pattern), std::move(signs), std::move(cell.witness),
                                                std::move(cell.proofs)});
    options_.control.report([&] {
      return "cnn: first layer: " + std::to_string(first.cells.size()) + " cells, " + std::to_string(stats_.lp_solves) +
             " LPs";
    });
  });
  run_cones(sink, &first);
}

void LinearRegionEnumerator::run_cones(const LinearRegionSink& sink, FirstLayerCells* first) {
  if (!first) stats_.engine = NetworkEngine::cone;
  std::mutex fallback_mutex;  // the LP engine's counters are shared by all threads
  ConeRegionOptions cone{options_.control, options_.box, options_.keep_proofs, options_.threads, options_.max_rays,
                         [&](FallbackCell&& fallback, const LinearRegionReceiver& receiver) {
                           std::lock_guard<std::mutex> lock(fallback_mutex);
                           Cell cell{std::move(fallback.constraints), std::move(fallback.references),
                                     std::move(fallback.proofs), std::move(fallback.witness),
                                     std::move(fallback.pattern), std::move(fallback.previous_forms)};
                           refine(fallback.layer, std::move(cell),
                                  [&](const LinearRegion& region) { receiver(LinearRegion(region)); });
                         }};
  ConeRegionEnumerator enumerator(network_, std::move(cone));
  if (first)
    enumerator.run_from(std::move(*first), [&](LinearRegion&& region) { sink(region); });
  else
    enumerator.run([&](LinearRegion&& region) { sink(region); });
  const ConeRegionStats& cones = enumerator.stats();
  stats_.regions = cones.regions;
  for (std::size_t l = 0; l < stats_.cells_per_layer.size(); ++l) stats_.cells_per_layer[l] += cones.cells_per_layer[l];
  stats_.fallback_cells = cones.fallback_cells;
  stats_.vertex_lps = cones.vertex_lps;
  stats_.max_rays = cones.max_rays;
  stats_.lp_solves += cones.vertex_lps;
}

void LinearRegionEnumerator::refine(std::size_t layer, Cell cell, const LinearRegionSink& sink) {
  const RunControl& control = options_.control;
  if (layer == network_.layers()) {
    ++stats_.regions;
    if (control.max_regions && stats_.regions > *control.max_regions)
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
    sink(LinearRegion{std::move(cell.pattern), std::move(cell.witness), std::move(cell.proofs)});
    control.report([&] {
      return "cnn: " + std::to_string(stats_.regions) + " regions, " + std::to_string(stats_.lp_solves) + " LPs";
    });
    return;
  }
  split(layer, std::move(cell), [&](Cell&& child) { refine(layer + 1, std::move(child), sink); });
}

void LinearRegionEnumerator::split_max(std::size_t layer, Cell cell, const std::function<void(Cell&&)>& child_sink) {
  const std::size_t n = network_.input_dimension;
  const std::vector<IntegerVector> pieces = layer_forms(network_, layer, cell.pattern, cell.forms);
  const std::vector<std::size_t>& begin = network_.unit_begin[layer];
  const std::size_t first = network_.first_neuron[layer];
  std::string chars(pieces.size(), '+');
  // Whether the open set of `constraints` is nonempty; moves `witness` inside it when it is.
  auto feasible = [&](const std::vector<Hyperplane>& constraints, Point& witness) {
    bool inside = true;
    for (const Hyperplane& h : constraints) inside = inside && h.side(witness) > 0;
    if (inside) return true;
    MergeReport merge;
    Arrangement arrangement(n, constraints, &merge);
    std::vector<int> sign_of(arrangement.size(), 0);
    for (std::size_t i = 0; i < constraints.size(); ++i) {
      const int sign = merge.reversed[i] ? -1 : 1;
      int& seen = sign_of[merge.merged_index[i]];
      if (seen != 0 && seen != sign) return false;  // both sides of one hyperplane
      seen = sign;
    }
    std::vector<SignCondition> conditions;
    for (std::size_t h = 0; h < sign_of.size(); ++h) conditions.push_back({h, sign_of[h]});
    StrictFeasibilitySolver solver(arrangement, options_.exact_lp);
    FeasibilityResult result = solver.solve(conditions);
    stats_.lp_solves += solver.solves();
    stats_.lp_paths += solver.counters();
    if (result.feasible) witness = std::move(result.witness);
    return result.feasible;
  };
  // One working cell: each unit's constraints are appended for a candidate piece and removed after it.
  cell.forms.clear();  // the layer before's forms: read into `pieces` already
  std::function<void(std::size_t)> choose = [&](std::size_t u) {
    options_.control.check_time("linear-region enumeration");
    if (u + 1 == begin.size()) {
      Cell child = cell;
      child.pattern += chars;
      child.forms = pieces;
      ++stats_.cells_per_layer[layer];
      child_sink(std::move(child));
      return;
    }
    const std::size_t mark = cell.constraints.size();
    const Point witness = cell.witness;
    for (std::size_t c = begin[u]; c < begin[u + 1]; ++c) {
      // Piece c is the one taken: p_c − p_s > 0 for every other slot s, or ≡ 0 for a later s (equal pieces).
      bool possible = true;
      for (std::size_t s = begin[u]; s < begin[u + 1] && possible; ++s) {
        if (s == c) {
          chars[s] = '0';
          continue;
        }
        IntegerVector d = pieces[c];
        for (std::size_t i = 0; i < d.size(); ++i) d[i] -= pieces[s][i];
        if (is_constant(d)) {
          const int sign = sgn(d[0]);
          possible = sign > 0 || (sign == 0 && s > c);
          chars[s] = sign > 0 ? '+' : '0';
          continue;
        }
        chars[s] = '+';
        Hyperplane h{std::move(d)};
        make_primitive(h.coefficients);
        // The cell's constraints stay distinct hyperplanes (split's arrangement keeps them in order): a repeated
        // one is already there, its opposite makes the choice impossible.
        IntegerVector opposite = h.coefficients;
        for (Integer& v : opposite) v = -v;
        bool repeated = false;
        for (const Hyperplane& existing : cell.constraints) {
          repeated = repeated || existing.coefficients == h.coefficients;
          possible = possible && existing.coefficients != opposite;
        }
        if (repeated || !possible) continue;
        cell.constraints.push_back(std::move(h));
        cell.references.push_back(first + s);
      }
      if (possible && feasible(cell.constraints, cell.witness)) choose(u + 1);
      cell.constraints.erase(cell.constraints.begin() + static_cast<std::ptrdiff_t>(mark), cell.constraints.end());
      cell.references.erase(cell.references.begin() + static_cast<std::ptrdiff_t>(mark), cell.references.end());
      cell.witness = witness;
    }
  };
  choose(0);
}

void LinearRegionEnumerator::split(std::size_t layer, Cell cell, const std::function<void(Cell&&)>& child_sink) {
  const RunControl& control = options_.control;
  control.check_time("linear-region enumeration");
  if (network_.is_max(layer)) {
    split_max(layer, std::move(cell), child_sink);
    return;
  }
  const std::size_t n = network_.input_dimension;
  std::vector<IntegerVector> forms = layer_forms(network_, layer, cell.pattern, cell.forms);

  // Constant neurons take their sign; the others become hyperplanes after the cell's constraints.
  std::string chars(forms.size(), '0');
  std::vector<std::size_t> split_neurons;
  std::vector<Hyperplane> hyperplanes = cell.constraints;
  for (std::size_t k = 0; k < forms.size(); ++k) {
    if (is_constant(forms[k])) {
      chars[k] = sgn(forms[k][0]) > 0 ? '+' : sgn(forms[k][0]) < 0 ? '-' : '0';
      continue;
    }
    Hyperplane h{forms[k]};
    make_primitive(h.coefficients);
    hyperplanes.push_back(std::move(h));
    split_neurons.push_back(k);
  }
  const std::size_t p = cell.constraints.size();
  MergeReport merge;
  Arrangement arrangement(n, hyperplanes, &merge);

  // The reference of every hyperplane of the arrangement: the cell's, then the first neuron merged into each new one.
  std::vector<std::size_t> references(cell.references);
  references.resize(arrangement.size(), SIZE_MAX);
  for (std::size_t s = 0; s < split_neurons.size(); ++s) {
    std::size_t& reference = references[merge.merged_index[p + s]];
    if (reference == SIZE_MAX) reference = network_.first_neuron[layer] + split_neurons[s];
  }

  std::vector<Region> leaves;
  std::vector<std::vector<NonFacetProof>> leaf_proofs;
  const std::string cell_signs(p, '+');
  if (arrangement.size() == p) {
    leaves.push_back(Region{cell_signs, cell.witness});
    leaf_proofs.emplace_back();
  } else {
    // Every leaf becomes at least one region, so more leaves than the regions still allowed exceed the limit: the
    // inner enumeration stops there instead of listing a huge cell first.
    RunControl inner = control;
    if (control.max_regions) inner.max_regions = *control.max_regions - std::min(*control.max_regions, stats_.regions);
    inner.progress = nullptr;
    RegionEnumerator enumerator(arrangement,
                                EnumerationOptions{inner, options_.keep_proofs, options_.exact_lp, options_.threads});
    try {
    enumerator.run_in_cell(cell_signs, cell.witness,
                           [&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
                             leaves.push_back(region);
                             std::vector<NonFacetProof>& proofs = leaf_proofs.emplace_back();
                             for (const BlockedHyperplane& b : blocked) {
                               const FarkasCertificate& farkas = enumerator.farkas().entries()[b.farkas];
                               NonFacetProof& proof = proofs.emplace_back();
                               proof.hyperplane = references[b.hyperplane];
                               proof.multipliers = farkas.multipliers;
                               for (const SignCondition& c : farkas.conditions) {
                                 proof.constraints.push_back(references[c.hyperplane]);
                                 proof.sides.push_back(region.signs[c.hyperplane] == '+' ? c.sign : -c.sign);
                               }
                             }
                           });
    } catch (const LimitReached&) {
      if (!inner.max_regions || enumerator.stats().regions <= *inner.max_regions) throw;  // the time limit
      throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
    }
    stats_.lp_paths += enumerator.solver().counters();
    stats_.lp_solves += enumerator.solver().solves();
  }
  stats_.cells_per_layer[layer] += leaves.size();

  // A new hyperplane with one sign on every leaf misses the cell: later LPs need not carry it.
  std::vector<bool> cuts(arrangement.size(), false);
  for (std::size_t j = p; j < arrangement.size(); ++j)
    for (const Region& leaf : leaves)
      if (leaf.signs[j] != leaves.front().signs[j]) {
        cuts[j] = true;
        break;
      }

  for (std::size_t l = 0; l < leaves.size(); ++l) {
    Region& leaf = leaves[l];
    Cell child;
    child.pattern = cell.pattern;
    child.proofs = cell.proofs;
    child.proofs.insert(child.proofs.end(), std::make_move_iterator(leaf_proofs[l].begin()),
                        std::make_move_iterator(leaf_proofs[l].end()));
    std::string layer_chars = chars;
    for (std::size_t s = 0; s < split_neurons.size(); ++s) {
      const std::size_t input = p + s;
      const bool positive = (leaf.signs[merge.merged_index[input]] == '+') != merge.reversed[input];
      layer_chars[split_neurons[s]] = positive ? '+' : '-';
    }
    child.pattern += layer_chars;
    child.constraints.assign(arrangement.hyperplanes().begin(), arrangement.hyperplanes().begin() + p);
    child.references = cell.references;
    for (std::size_t j = p; j < arrangement.size(); ++j) {
      if (!cuts[j]) continue;
      child.references.push_back(references[j]);
      Hyperplane h = arrangement[j];
      if (leaf.signs[j] == '-')
        for (Integer& v : h.coefficients) v = -v;
      child.constraints.push_back(std::move(h));
    }
    child.witness = std::move(leaf.witness);
    child.forms = forms;
    child_sink(std::move(child));
  }
}

}  // namespace chamber

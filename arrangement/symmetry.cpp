#include "arrangement/symmetry.hpp"

#include "arrangement/echelon.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"

#include <bliss/graph.hh>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

namespace chamber {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/*! the configuration's vectors: index 0 is the hyperplane at infinity (1, 0, …, 0), index i + 1 hyperplane i. */
IntegerVector configuration_vector(const Arrangement& arrangement, std::size_t v) {
  if (v > 0) return arrangement[v - 1].coefficients;
  IntegerVector infinity(arrangement.dimension() + 1, Integer(0));
  infinity[0] = 1;
  return infinity;
}

/*! the columns on which the configuration's vectors are independent exactly as in their span (an echelon basis'
 * pivot columns), and the indices of a basis among the vectors (greedy, in index order). */
struct SpanBasis {
  std::vector<std::size_t> columns;
  std::vector<std::size_t> vectors;
};

SpanBasis span_basis(const Arrangement& arrangement) {
  const std::size_t width = arrangement.dimension() + 1;
  EchelonBasis basis(width, 0, width);
  SpanBasis out;
  for (std::size_t v = 0; v <= arrangement.size(); ++v) {
    IntegerVector row = configuration_vector(arrangement, v);
    const std::size_t pivot = basis.reduce(row);
    if (pivot == EchelonBasis::no_pivot) continue;
    out.columns.push_back(pivot);
    out.vectors.push_back(v);
    basis.push(std::move(row), pivot);
  }
  std::sort(out.columns.begin(), out.columns.end());
  return out;
}

/*! returns the inverse of the square matrix `a`, or nothing when it is singular (exact Gauss–Jordan). */
std::optional<std::vector<RationalVector>> invert(std::vector<RationalVector> a) {
  const std::size_t k = a.size();
  std::vector<RationalVector> inv(k, RationalVector(k, Rational(0)));
  for (std::size_t i = 0; i < k; ++i) inv[i][i] = 1;
  for (std::size_t c = 0; c < k; ++c) {
    std::size_t p = c;
    while (p < k && sgn(a[p][c]) == 0) ++p;
    if (p == k) return std::nullopt;
    std::swap(a[p], a[c]);
    std::swap(inv[p], inv[c]);
    const Rational scale = 1 / a[c][c];
    for (std::size_t j = 0; j < k; ++j) {
      a[c][j] *= scale;
      inv[c][j] *= scale;
    }
    for (std::size_t r = 0; r < k; ++r) {
      if (r == c || sgn(a[r][c]) == 0) continue;
      const Rational f = a[r][c];
      for (std::size_t j = 0; j < k; ++j) {
        a[r][j] -= f * a[c][j];
        inv[r][j] -= f * inv[c][j];
      }
    }
  }
  return inv;
}

/*! returns the coordinates of every configuration vector in the basis `basis` (vector indices), read on `columns`;
 * nothing when the basis vectors are dependent. */
std::optional<std::vector<RationalVector>> coordinates(const Arrangement& arrangement, const SpanBasis& span,
                                                       const std::vector<std::size_t>& basis) {
  const std::size_t k = span.columns.size();
  std::vector<RationalVector> m(k, RationalVector(k));
  for (std::size_t r = 0; r < k; ++r) {
    const IntegerVector v = configuration_vector(arrangement, basis[r]);
    for (std::size_t c = 0; c < k; ++c) m[r][c] = v[span.columns[c]];
  }
  std::optional<std::vector<RationalVector>> inv = invert(std::move(m));
  if (!inv) return std::nullopt;
  std::vector<RationalVector> out(arrangement.size() + 1, RationalVector(k, Rational(0)));
  for (std::size_t v = 0; v <= arrangement.size(); ++v) {
    const IntegerVector row = configuration_vector(arrangement, v);
    for (std::size_t c = 0; c < k; ++c) {
      const Integer& x = row[span.columns[c]];
      if (sgn(x) == 0) continue;
      for (std::size_t j = 0; j < k; ++j) out[v][j] += x * (*inv)[c][j];
    }
  }
  return out;
}

std::string hyperplane_name(std::size_t v) { return v == 0 ? "the hyperplane at infinity" : "hyperplane " + std::to_string(v); }

// ---- residues modulo two primes ------------------------------------------------------------------------------

constexpr std::uint64_t primes[2] = {2305843009213693951ULL /* 2^61 − 1 */, 4611686018427387847ULL /* 2^62 − 57 */};

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t p) {
  return static_cast<std::uint64_t>(static_cast<unsigned __int128>(a) * b % p);
}
std::uint64_t add_mod(std::uint64_t a, std::uint64_t b, std::uint64_t p) { return (a + b) % p; }
std::uint64_t pow_mod(std::uint64_t a, std::uint64_t e, std::uint64_t p) {
  std::uint64_t r = 1;
  for (; e != 0; e >>= 1, a = mul_mod(a, a, p))
    if (e & 1U) r = mul_mod(r, a, p);
  return r;
}
std::uint64_t residue(const Integer& x, std::uint64_t p) {
  Integer r;
  mpz_fdiv_r_ui(r.get_mpz_t(), x.get_mpz_t(), p);
  return r.get_ui();
}

/*! W(u, v) = x_uᵀ Q⁻¹ x_v modulo p over the configuration's vectors x (read on the span's columns). */
class GramMod {
 public:
  /*! prepares x and y_v = Q⁻¹ x_v; ok() is false when Q is singular modulo p. */
  GramMod(const Arrangement& arrangement, const SpanBasis& span, std::uint64_t p)
      : p_(p), n_(arrangement.size() + 1), k_(span.columns.size()), x_(n_ * k_), y_(n_ * k_, 0) {
    for (std::size_t v = 0; v < n_; ++v) {
      const IntegerVector row = configuration_vector(arrangement, v);
      for (std::size_t c = 0; c < k_; ++c) x_[v * k_ + c] = residue(row[span.columns[c]], p);
    }
    // Q and its inverse by Gauss–Jordan mod p.
    const std::size_t k = k_;
    std::vector<std::uint64_t> q(k * k, 0), inv(k * k, 0);
    for (std::size_t v = 0; v < n_; ++v)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b) q[a * k + b] = add_mod(q[a * k + b], mul_mod(x_[v * k + a], x_[v * k + b], p), p);
    for (std::size_t i = 0; i < k; ++i) inv[i * k + i] = 1;
    for (std::size_t c = 0; c < k; ++c) {
      std::size_t piv = c;
      while (piv < k && q[piv * k + c] == 0) ++piv;
      if (piv == k) return;
      for (std::size_t j = 0; j < k; ++j) {
        std::swap(q[piv * k + j], q[c * k + j]);
        std::swap(inv[piv * k + j], inv[c * k + j]);
      }
      const std::uint64_t s = pow_mod(q[c * k + c], p - 2, p);
      for (std::size_t j = 0; j < k; ++j) {
        q[c * k + j] = mul_mod(q[c * k + j], s, p);
        inv[c * k + j] = mul_mod(inv[c * k + j], s, p);
      }
      for (std::size_t r = 0; r < k; ++r) {
        if (r == c || q[r * k + c] == 0) continue;
        const std::uint64_t f = p - q[r * k + c];
        for (std::size_t j = 0; j < k; ++j) {
          q[r * k + j] = add_mod(q[r * k + j], mul_mod(f, q[c * k + j], p), p);
          inv[r * k + j] = add_mod(inv[r * k + j], mul_mod(f, inv[c * k + j], p), p);
        }
      }
    }
    for (std::size_t v = 0; v < n_; ++v)
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = 0; b < k; ++b)
          y_[v * k + a] = add_mod(y_[v * k + a], mul_mod(inv[a * k + b], x_[v * k + b], p), p);
    ok_ = true;
  }

  bool ok() const { return ok_; }
  /*! returns W(u, v) mod p, negated when `negate`. */
  std::uint64_t operator()(std::size_t u, std::size_t v, bool negate = false) const {
    std::uint64_t s = 0;
    for (std::size_t a = 0; a < k_; ++a) s = add_mod(s, mul_mod(x_[u * k_ + a], y_[v * k_ + a], p_), p_);
    return negate && s != 0 ? p_ - s : s;
  }

 private:
  std::uint64_t p_;
  std::size_t n_, k_;
  std::vector<std::uint64_t> x_, y_;
  bool ok_ = false;
};

using Colour = std::pair<std::uint64_t, std::uint64_t>;

struct ColourHash {
  std::size_t operator()(const Colour& c) const { return std::hash<std::uint64_t>()(c.first * 0x9e3779b97f4a7c15ULL ^ c.second); }
};

void collect_automorphism(void* user, unsigned int n, const unsigned int* aut) {
  auto* out = static_cast<std::vector<std::vector<unsigned int>>*>(user);
  out->emplace_back(aut, aut + n);
}

}  // namespace

std::string cycles_to_string(const Permutation& sigma) {
  std::string text;
  std::vector<bool> seen(sigma.size(), false);
  for (std::size_t start = 0; start < sigma.size(); ++start) {
    if (seen[start] || sigma[start] == start) continue;
    text += '(';
    for (std::size_t x = start; !seen[x]; x = sigma[x]) {
      seen[x] = true;
      if (x != start) text += ',';
      text += std::to_string(x + 1);
    }
    text += ')';
  }
  return text.empty() ? "()" : text;
}

nlohmann::json SymmetryGroup::to_json() const {
  nlohmann::json gens = nlohmann::json::array();
  for (const Permutation& g : generators) gens.push_back(cycles_to_string(g));
  return {{"order", order.get_str()}, {"generators", gens}, {"source", source},
          {"note", note.empty() ? nlohmann::json(nullptr) : nlohmann::json(note)}, {"seconds", seconds}};
}

std::string symmetry_defect(const Arrangement& arrangement, const Permutation& sigma) {
  const std::size_t m = arrangement.size();
  if (sigma.size() != m || !is_permutation(sigma))
    return "not a permutation of the " + std::to_string(m) + " hyperplanes";
  // The configuration's permutation τ: infinity stays, hyperplane i goes to σ(i).
  auto tau = [&](std::size_t v) { return v == 0 ? std::size_t{0} : std::size_t{sigma[v - 1]} + 1; };
  const SpanBasis span = span_basis(arrangement);
  std::vector<std::size_t> image_basis;
  for (std::size_t b : span.vectors) image_basis.push_back(tau(b));
  const std::optional<std::vector<RationalVector>> before = coordinates(arrangement, span, span.vectors);
  const std::optional<std::vector<RationalVector>> after = coordinates(arrangement, span, image_basis);
  if (!before) throw InternalError("symmetry_defect: the greedy basis is dependent");
  if (!after) return "the images of independent hyperplanes are dependent";
  // The map N sends basis vector b_k to c_k · τ(b_k); then N v = Σ λ_k c_k τ(b_k) must be a nonzero multiple s_v of
  // τ(v) = Σ μ_k τ(b_k): λ_k c_k = s_v μ_k for every k. Solve for the c_k by propagation, checking every ratio.
  const std::size_t k = span.vectors.size(), n = m + 1;
  std::vector<std::vector<std::size_t>> touching(k);  // basis positions -> vectors whose coordinates use them
  for (std::size_t v = 0; v < n; ++v) {
    const RationalVector& lambda = (*before)[v];
    const RationalVector& mu = (*after)[tau(v)];
    for (std::size_t j = 0; j < k; ++j) {
      if ((sgn(lambda[j]) == 0) != (sgn(mu[j]) == 0))
        return "no affine map sends every hyperplane onto its image: " + hyperplane_name(v) +
               " cannot go onto " + hyperplane_name(tau(v));
      if (sgn(lambda[j]) != 0) touching[j].push_back(v);
    }
  }
  std::vector<std::optional<Rational>> c(k);
  std::vector<bool> done(n, false);
  for (std::size_t root = 0; root < k; ++root) {
    if (c[root]) continue;
    c[root] = Rational(1);
    std::vector<std::size_t> queue{root};
    while (!queue.empty()) {
      const std::size_t j = queue.back();
      queue.pop_back();
      for (std::size_t v : touching[j]) {
        if (done[v]) continue;
        done[v] = true;
        const RationalVector& lambda = (*before)[v];
        const RationalVector& mu = (*after)[tau(v)];
        const Rational s = lambda[j] * *c[j] / mu[j];
        for (std::size_t l = 0; l < k; ++l) {
          if (sgn(lambda[l]) == 0) continue;
          const Rational want = s * mu[l] / lambda[l];
          if (!c[l]) {
            c[l] = want;
            queue.push_back(l);
          } else if (*c[l] != want) {
            return "no affine map sends every hyperplane onto its image: " + hyperplane_name(v) +
                   " cannot go onto " + hyperplane_name(tau(v)) + " with the others";
          }
        }
      }
    }
  }
  return {};
}

SymmetryGroup detect_symmetry(const Arrangement& arrangement, const RunControl& control, std::size_t max_hyperplanes) {
  const auto start = std::chrono::steady_clock::now();
  SymmetryGroup group;
  group.degree = arrangement.size();
  auto finish = [&](SymmetryGroup& g) -> SymmetryGroup {
    g.seconds = seconds_since(start);
    return std::move(g);
  };
  const std::size_t m = arrangement.size();
  if (m < 2) return finish(group);
  if (m > max_hyperplanes) {
    group.note = "not searched: more than " + std::to_string(max_hyperplanes) + " hyperplanes";
    return finish(group);
  }
  const SpanBasis span = span_basis(arrangement);
  const std::size_t n = m + 1;
  const GramMod w[2] = {GramMod(arrangement, span, primes[0]), GramMod(arrangement, span, primes[1])};
  if (!w[0].ok() || !w[1].ok()) {
    group.note = "not searched: the Gram matrix is singular modulo a prime";
    return finish(group);
  }
  auto colour = [&](std::size_t u, std::size_t v, bool negate) -> Colour { return {w[0](u, v, negate), w[1](u, v, negate)}; };
  // Hyperplanes that all differ in W(v, v) admit no symmetry but the identity.
  {
    std::vector<Colour> diagonal;
    for (std::size_t v = 1; v < n; ++v) diagonal.push_back(colour(v, v, false));
    std::sort(diagonal.begin(), diagonal.end());
    if (std::adjacent_find(diagonal.begin(), diagonal.end()) == diagonal.end()) return finish(group);
  }
  control.check_time("symmetry detection");
  // Vertices 2v (+x_v) and 2v + 1 (−x_v), layer 0; the edge colours in binary over further layers.
  const std::size_t vertices = 2 * n;
  std::unordered_map<Colour, std::uint32_t, ColourHash> vertex_ids, edge_ids;
  std::vector<std::uint32_t> vertex_colour(vertices);
  for (std::size_t x = 0; x < vertices; ++x) {
    const std::size_t v = x / 2;
    Colour c = v == 0 ? Colour{primes[0], primes[1]} : colour(v, v, false);  // infinity: a colour no residue has
    vertex_colour[x] = vertex_ids.emplace(c, static_cast<std::uint32_t>(vertex_ids.size())).first->second;
  }
  edge_ids.emplace(Colour{0, 0}, 0);
  std::vector<std::uint32_t> edge(vertices * vertices, 0);
  auto edge_id = [&](const Colour& c) {
    return edge_ids.emplace(c, static_cast<std::uint32_t>(edge_ids.size())).first->second;
  };
  for (std::size_t u = 0; u < n; ++u)
    for (std::size_t v = u; v < n; ++v) {
      const Colour same = colour(u, v, false);
      const Colour opposite{same.first == 0 ? 0 : primes[0] - same.first, same.second == 0 ? 0 : primes[1] - same.second};
      const std::uint32_t same_id = edge_id(same), opposite_id = edge_id(opposite);
      for (std::size_t a = 0; a < 2; ++a)
        for (std::size_t b = 0; b < 2; ++b) {
          const std::size_t x = 2 * u + a, y = 2 * v + b;
          if (x < y) edge[x * vertices + y] = a == b ? same_id : opposite_id;
        }
    }
  const std::size_t layers = std::max<std::size_t>(1, static_cast<std::size_t>(std::bit_width(edge_ids.size() - 1)));
  const std::size_t colours = vertex_ids.size();
  bliss::Graph graph(0);
  for (std::size_t l = 0; l < layers; ++l)
    for (std::size_t x = 0; x < vertices; ++x) graph.add_vertex(static_cast<unsigned int>(l * colours + vertex_colour[x]));
  for (std::size_t l = 0; l + 1 < layers; ++l)
    for (std::size_t x = 0; x < vertices; ++x)
      graph.add_edge(static_cast<unsigned int>(l * vertices + x), static_cast<unsigned int>((l + 1) * vertices + x));
  for (std::size_t x = 0; x < vertices; ++x)
    for (std::size_t y = x + 1; y < vertices; ++y) {
      const std::uint32_t id = edge[x * vertices + y];
      for (std::size_t l = 0; l < layers; ++l)
        if ((id >> l) & 1U)
          graph.add_edge(static_cast<unsigned int>(l * vertices + x), static_cast<unsigned int>(l * vertices + y));
    }
  edge = {};
  control.check_time("symmetry detection");
  std::vector<std::vector<unsigned int>> automorphisms;
  bliss::Stats stats;
  graph.find_automorphisms(stats, collect_automorphism, &automorphisms);
  std::size_t dropped = 0;
  for (const std::vector<unsigned int>& aut : automorphisms) {
    Permutation sigma(m);
    bool valid = true;
    for (std::size_t i = 0; i < m && valid; ++i) {
      const unsigned int image = aut[2 * (i + 1)];
      valid = image < vertices && image / 2 >= 1;
      if (valid) sigma[i] = static_cast<std::uint32_t>(image / 2 - 1);
    }
    if (!valid || !is_permutation(sigma) || sigma == identity_permutation(m)) {
      dropped += valid && is_permutation(sigma) ? 0 : 1;
      continue;
    }
    if (!symmetry_defect(arrangement, sigma).empty()) {
      ++dropped;
      continue;
    }
    group.generators.push_back(std::move(sigma));
  }
  if (dropped > 0) group.note = std::to_string(dropped) + " candidate generator(s) failed the exact check and were dropped";
  group.order = StabiliserChain(m, group.generators).order();
  group.source = "detected";
  return finish(group);
}

SymmetryGroup read_symmetry_file(const std::string& path, const ArrFile& file) {
  const auto start = std::chrono::steady_clock::now();
  const nlohmann::json json = parse_json_text(read_file(path), path);
  if (!json.is_object() || !json.contains("generators") || !json["generators"].is_array())
    throw InputError(path + ": expected an object with \"generators\": an array of permutations");
  const std::size_t inputs = file.input.size(), m = file.arrangement.size();
  // Every permutation group on m ≥ 4 points has a generating set of at most m / 2 elements (McIver and Neumann).
  if (json["generators"].size() > std::max<std::size_t>(m, 4))
    throw InputError(path + ": " + std::to_string(json["generators"].size()) + " generators for " + std::to_string(m) +
                     " hyperplanes; a group on m points needs at most m / 2");
  const std::vector<std::size_t>& merged = file.merge.merged_index;
  SymmetryGroup group;
  group.degree = m;
  group.source = "file";
  std::size_t index = 0;
  for (const nlohmann::json& entry : json["generators"]) {
    ++index;
    const std::string where = path + ": generator " + std::to_string(index);
    if (!entry.is_array() || entry.size() != inputs)
      throw InputError(where + ": expected an array of " + std::to_string(inputs) + " hyperplane numbers (1.." +
                       std::to_string(inputs) + ", the images of the file's hyperplanes in order), got " +
                       describe_json(entry));
    std::vector<std::size_t> images(inputs);
    for (std::size_t i = 0; i < inputs; ++i) {
      const nlohmann::json& x = entry[i];
      if (!x.is_number_integer() || x.get<long long>() < 1 || x.get<long long>() > static_cast<long long>(inputs))
        throw InputError(where + ", entry " + std::to_string(i + 1) + ": expected a hyperplane number 1.." +
                         std::to_string(inputs) + ", got " + describe_json(x));
      images[i] = static_cast<std::size_t>(x.get<long long>() - 1);
    }
    Permutation sigma(m, static_cast<std::uint32_t>(m));
    for (std::size_t i = 0; i < inputs; ++i) {
      const std::size_t from = merged[i], to = merged[images[i]];
      if (sigma[from] != m && sigma[from] != to)
        throw InputError(where + ": maps hyperplane " + std::to_string(i + 1) +
                         " and its duplicate onto different hyperplanes");
      sigma[from] = static_cast<std::uint32_t>(to);
    }
    if (!is_permutation(sigma)) throw InputError(where + ": does not permute the distinct hyperplanes");
    const std::string defect = symmetry_defect(file.arrangement, sigma);
    if (!defect.empty()) throw InputError(where + " is not a symmetry of " + file.name + ": " + defect);
    if (sigma != identity_permutation(m)) group.generators.push_back(std::move(sigma));
  }
  group.order = StabiliserChain(m, group.generators).order();
  group.seconds = seconds_since(start);
  return group;
}

}  // namespace chamber

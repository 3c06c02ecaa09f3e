#include "cnn/cone_regions.hpp"

#include "arrangement/errors.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace chamber {

namespace {

using Bits = std::vector<std::uint64_t>;

bool has_bit(const Bits& bits, std::size_t slot) { return (bits[slot / 64] >> (slot % 64)) & 1u; }
void set_bit(Bits& bits, std::size_t slot) { bits[slot / 64] |= std::uint64_t{1} << (slot % 64); }

std::size_t popcount(const Bits& bits) {
  std::size_t count = 0;
  for (std::uint64_t word : bits) count += static_cast<std::size_t>(std::popcount(word));
  return count;
}

/*! returns whether every bit of `a` is set in `b`. */
bool subset(const Bits& a, const Bits& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] & ~b[i]) return false;
  return true;
}

void negate(IntegerVector& v) {
  for (Integer& x : v) mpz_neg(x.get_mpz_t(), x.get_mpz_t());
}

/*! v ← a·v − b·w, made primitive (a > 0 keeps v's side of every form that vanishes on w). */
void combine(IntegerVector& v, const Integer& a, const Integer& b, const IntegerVector& w) {
  for (std::size_t i = 0; i < v.size(); ++i) {
    mpz_mul(v[i].get_mpz_t(), v[i].get_mpz_t(), a.get_mpz_t());
    mpz_submul(v[i].get_mpz_t(), b.get_mpz_t(), w[i].get_mpz_t());
  }
  make_primitive(v);
}

/*! a generator of a cell's cone: primitive, z0 ≥ 0, with the constraint slots it lies on. */
struct Ray {
  IntegerVector z;
  Bits tight;
};

/*! a constraint row (b, a) of a cell, primitive and ≥ 0 on it; `slot` is its bit in Ray::tight (0 for z0 ≥ 0,
 * 1 + k for neuron k, 1 + N + f for box face f) and `reference` the neuron or N + f (none for z0 ≥ 0). */
struct Constraint {
  IntegerVector row;
  std::size_t slot;
  std::size_t reference;
};

struct Cell {
  std::vector<Constraint> constraints;
  std::vector<Ray> rays;
  std::vector<IntegerVector> lineality;
  std::string pattern;
  std::vector<NonFacetProof> proofs;
  std::size_t oversized_at = SIZE_MAX;  // too many rays in this layer's splits: the fallback takes it from there
};

/*! returns y ≥ 0 with Σ_j y_j columns[j] = target, by an exact simplex (Bland's rule, phase 1 with artificials), or
 * nothing when there is none. `columns` and `target` have n entries each. */
std::optional<RationalVector> simplex_combination(const std::vector<RationalVector>& columns,
                                                  const RationalVector& target) {
  const std::size_t n = target.size(), t = columns.size(), width = t + n;
  // Tableau rows: [A | I | b] with b ≥ 0; basis starts with the artificials.
  std::vector<RationalVector> rows(n, RationalVector(width + 1, 0));
  std::vector<std::size_t> basis(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int s = sgn(target[i]) < 0 ? -1 : 1;
    for (std::size_t j = 0; j < t; ++j) rows[i][j] = s * columns[j][i];
    rows[i][t + i] = 1;
    rows[i][width] = s * target[i];
    basis[i] = t + i;
  }
  for (;;) {
    // Reduced cost of column j in phase 1 (minimise the sum of the artificials): −Σ_i rows[i][j] over rows whose
    // basic variable is artificial, 0 for basic columns.
    std::optional<std::size_t> entering;
    for (std::size_t j = 0; j < width && !entering; ++j) {
      if (std::find(basis.begin(), basis.end(), j) != basis.end()) continue;
      Rational cost = j >= t ? 1 : 0;
      for (std::size_t i = 0; i < n; ++i)
        if (basis[i] >= t) cost -= rows[i][j];
      if (sgn(cost) < 0) entering = j;
    }
    if (!entering) break;
    std::optional<std::size_t> leaving;
    Rational best;
    for (std::size_t i = 0; i < n; ++i) {
      if (sgn(rows[i][*entering]) <= 0) continue;
      Rational ratio = rows[i][width] / rows[i][*entering];
      if (!leaving || ratio < best || (ratio == best && basis[i] < basis[*leaving])) {
        leaving = i;
        best = ratio;
      }
    }
    if (!leaving) return std::nullopt;  // unbounded: cannot happen in phase 1
    const std::size_t r = *leaving;
    const Rational pivot = rows[r][*entering];
    for (Rational& v : rows[r]) v /= pivot;
    for (std::size_t i = 0; i < n; ++i) {
      if (i == r || sgn(rows[i][*entering]) == 0) continue;
      const Rational factor = rows[i][*entering];
      for (std::size_t j = 0; j <= width; ++j) rows[i][j] -= factor * rows[r][j];
    }
    basis[r] = *entering;
  }
  RationalVector y(t, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (basis[i] < t) {
      y[basis[i]] = rows[i][width];
    } else if (sgn(rows[i][width]) != 0) {
      return std::nullopt;  // an artificial stays positive: no nonnegative combination
    }
  }
  return y;
}

/*! returns a solution of Σ_j y_j columns[j] = target by exact Gauss–Jordan elimination (free unknowns 0), or nothing
 * when the system has none. Fraction-free: integer rows, each made primitive after every step, so the only gcds are
 * one per row and step (rationals would take one per entry). */
std::optional<RationalVector> gauss_combination(const std::vector<const IntegerVector*>& columns,
                                                const IntegerVector& target) {
  // Column j is columns[j][1..n] (the linear part of a constraint row), the target target[1..n].
  const std::size_t n = target.size() - 1, t = columns.size();
  std::vector<IntegerVector> rows(n, IntegerVector(t + 1));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < t; ++j) rows[i][j] = (*columns[j])[i + 1];
    rows[i][t] = target[i + 1];
  }
  std::vector<std::size_t> pivot_column;
  std::size_t rank = 0;
  Integer factor, pivot;
  for (std::size_t j = 0; j < t && rank < n; ++j) {
    std::size_t p = rank;
    while (p < n && sgn(rows[p][j]) == 0) ++p;
    if (p == n) continue;
    std::swap(rows[p], rows[rank]);
    pivot = rows[rank][j];
    for (std::size_t i = 0; i < n; ++i) {
      if (i == rank || sgn(rows[i][j]) == 0) continue;
      factor = rows[i][j];
      // row_i ← pivot·row_i − factor·row_rank: column j cleared, every solution kept (pivot ≠ 0).
      for (std::size_t c = 0; c <= t; ++c) {
        mpz_mul(rows[i][c].get_mpz_t(), rows[i][c].get_mpz_t(), pivot.get_mpz_t());
        mpz_submul(rows[i][c].get_mpz_t(), factor.get_mpz_t(), rows[rank][c].get_mpz_t());
      }
      make_primitive(rows[i]);
    }
    pivot_column.push_back(j);
    ++rank;
  }
  for (std::size_t i = rank; i < n; ++i)
    if (sgn(rows[i][t]) != 0) return std::nullopt;
  RationalVector y(t, 0);
  for (std::size_t i = 0; i < rank; ++i) {
    y[pivot_column[i]] = Rational(rows[i][t], rows[i][pivot_column[i]]);
    y[pivot_column[i]].canonicalize();
  }
  return y;
}

/*! what one task found besides its regions (summed over tasks in their order). */
struct TaskStats {
  std::vector<std::uint64_t> cells;
  std::uint64_t splits = 0, proofs = 0, vertex_lps = 0, max_rays = 0, fallback_cells = 0;

  void add(const TaskStats& other) {
    for (std::size_t l = 0; l < cells.size(); ++l) cells[l] += other.cells[l];
    splits += other.splits;
    proofs += other.proofs;
    vertex_lps += other.vertex_lps;
    max_rays = std::max(max_rays, other.max_rays);
    fallback_cells += other.fallback_cells;
  }
};

/*! refines cells depth first, layer by layer, down to regions; one per thread. */
class Refiner {
 public:
  Refiner(const IntegerNetwork& network, const ConeRegionOptions& options)
      : network_(network), options_(options), d_(network.input_dimension + 1),
        words_((1 + network.neurons() + 2 * network.input_dimension + 63) / 64), forms_(network.layers()) {
    if (network.layers() > 0) forms_[0] = network.rows[0];
  }

  /*! returns the cell of the whole domain: Q^n, or the open box (unless `with_box` is false). */
  Cell domain(bool with_box = true) {
    Cell cell;
    for (std::size_t i = 0; i < d_; ++i) {
      IntegerVector e(d_, 0);
      e[i] = 1;
      cell.lineality.push_back(std::move(e));
    }
    IntegerVector z0(d_, 0);
    z0[0] = 1;
    TaskStats ignored{std::vector<std::uint64_t>(network_.layers(), 0)};
    cut(cell, z0, 0, SIZE_MAX, nullptr, ignored);
    if (options_.box && with_box) {
      if (network_.input_dimension >= 63 || (std::size_t{1} << network_.input_dimension) > options_.max_rays)
        throw LimitReached("the box has 2^" + std::to_string(network_.input_dimension) + " vertices, more than " +
                           std::to_string(options_.max_rays) + " rays");
      const std::vector<Hyperplane> faces = box_faces(*options_.box, network_.input_dimension);
      for (std::size_t f = 0; f < faces.size(); ++f)
        if (cut(cell, faces[f].coefficients, 1 + network_.neurons() + f, network_.neurons() + f, nullptr, ignored) != 0)
          throw InternalError("cone regions: a box face does not cut the box");
    }
    return cell;
  }

  /*! splits `cell` by the neurons of `layer` (its pattern holds the earlier layers) into `out`. */
  void split_layer(std::size_t layer, Cell cell, std::vector<Cell>& out, TaskStats& stats) {
    options_.control.check_time("linear-region enumeration (cones)");
    forms_[layer] = layer_forms(network_, layer, cell.pattern, layer > 0 ? forms_[layer - 1] : forms_[layer]);
    const std::vector<IntegerVector>& forms = forms_[layer];
    const std::size_t first = out.size(), offset = network_.first_neuron[layer];
    cell.pattern.resize(cell.pattern.size() + forms.size(), '0');
    out.push_back(std::move(cell));
    IntegerVector g;
    for (std::size_t k = 0; k < forms.size(); ++k) {
      if (is_constant(forms[k])) {
        const int s = sgn(forms[k][0]);
        for (std::size_t p = first; p < out.size(); ++p) out[p].pattern[offset + k] = s > 0 ? '+' : s < 0 ? '-' : '0';
        continue;
      }
      g = forms[k];
      make_primitive(g);
      const std::size_t count = out.size();
      for (std::size_t p = first; p < count; ++p) {
        if (out[p].oversized_at != SIZE_MAX) continue;
        Cell minus;
        const int side = cut(out[p], g, 1 + offset + k, offset + k, &minus, stats);
        if (side == 2) {  // too many rays: the fallback takes this cell from this layer on
          out[p].oversized_at = layer;
          continue;
        }
        if (side != 0) {
          out[p].pattern[offset + k] = side > 0 ? '+' : '-';
          if (options_.keep_proofs) prove_non_cut(out[p], g, side, offset + k, stats);
          continue;
        }
        out[p].pattern[offset + k] = '+';
        minus.pattern[offset + k] = '-';
        out.push_back(std::move(minus));
      }
    }
    stats.cells[layer] += out.size() - first;
  }

  /*! refines `cell` from `layer` on and passes its regions to `sink`. */
  void refine(std::size_t layer, Cell cell, const LinearRegionReceiver& sink, TaskStats& stats) {
    if (cell.oversized_at != SIZE_MAX) {
      const std::size_t at = cell.oversized_at;
      hand_over(at, std::move(cell), sink, stats);
      return;
    }
    if (layer == network_.layers()) {
      finish(std::move(cell), sink, stats);
      return;
    }
    if (cell.rays.size() > options_.max_rays) {
      hand_over(layer, std::move(cell), sink, stats);
      return;
    }
    std::vector<Cell> cells;
    split_layer(layer, std::move(cell), cells, stats);
    for (Cell& c : cells) refine(layer + 1, std::move(c), sink, stats);
  }

  /*! refines cell t of `first` from layer 1 on: its double description is Q^n cut by the cell's rows, the box faces
   * among them (a row that does not cut is no facet of the cell, and the engine that found the cell proved it), so a
   * box of many vertices costs only where a cell has them. A cell whose description would exceed max_rays goes to the
   * fallback at layer 1 with its rows and witness. */
  void refine_first_layer_cell(const FirstLayerCells& first, std::size_t t, const LinearRegionReceiver& sink,
                               TaskStats& stats) {
    options_.control.check_time("linear-region enumeration (cones)");
    const FirstLayerCells::Cell& source = first.cells[t];
    if (!domain_) domain_ = domain(false);
    Cell cell = *domain_;
    TaskStats ignored{std::vector<std::uint64_t>(network_.layers(), 0)};
    IntegerVector g;
    bool oversized = false;
    for (std::size_t j = 0; j < first.rows.size() && !oversized; ++j) {
      const std::size_t reference = first.references[j];
      g = first.rows[j];
      if (source.signs[j] == '-') negate(g);
      const int side = cut(cell, g, 1 + reference, reference, nullptr, ignored);
      if (side < 0) throw InternalError("cone regions: a first-layer cell is empty on the side of its own row");
      oversized = side == 2;
    }
    cell.pattern = source.pattern;
    cell.proofs = source.proofs;
    stats.max_rays = std::max<std::uint64_t>(stats.max_rays, cell.rays.size());
    if (!oversized && cell.rays.size() <= options_.max_rays) {
      refine(1, std::move(cell), sink, stats);
      return;
    }
    if (!options_.fallback)
      throw LimitReached("a cell has more than " + std::to_string(options_.max_rays) + " rays");
    ++stats.fallback_cells;
    FallbackCell fallback;
    fallback.layer = 1;
    for (std::size_t j = 0; j < first.rows.size(); ++j) {
      IntegerVector row = first.rows[j];
      if (source.signs[j] == '-') negate(row);
      fallback.constraints.push_back(Hyperplane{std::move(row)});
      fallback.references.push_back(first.references[j]);
    }
    fallback.witness = source.witness;
    fallback.pattern = source.pattern;
    fallback.previous_forms = forms_[0];
    fallback.proofs = source.proofs;
    options_.fallback(std::move(fallback), sink);
  }

 private:
  /*! the mask of every constraint slot of `cell`. */
  Bits slots_of(const Cell& cell) const {
    Bits mask(words_, 0);
    for (const Constraint& c : cell.constraints) set_bit(mask, c.slot);
    return mask;
  }

  /*! cuts `cell` by the form g (primitive, nonzero linear part): returns +1 or −1 when g has that sign on the whole
   * open cell (cell unchanged), 2 when a half would exceed max_rays (cell unchanged), and 0 after putting the half
   * g > 0 into `cell` and the half g < 0 into `*minus` (dropped when `minus` is null). */
  int cut(Cell& cell, const IntegerVector& g, std::size_t slot, std::size_t reference, Cell* minus, TaskStats& stats) {
    Integer gl, t;
    for (std::size_t j = 0; j < cell.lineality.size(); ++j) {
      gl = dot(g, cell.lineality[j]);
      if (sgn(gl) == 0) continue;
      IntegerVector l = std::move(cell.lineality[j]);
      cell.lineality.erase(cell.lineality.begin() + static_cast<std::ptrdiff_t>(j));
      if (sgn(gl) < 0) {
        negate(l);
        mpz_neg(gl.get_mpz_t(), gl.get_mpz_t());
      }
      for (IntegerVector& other : cell.lineality) {
        t = dot(g, other);
        if (sgn(t) != 0) combine(other, gl, t, l);
      }
      for (Ray& r : cell.rays) {
        t = dot(g, r.z);
        if (sgn(t) != 0) combine(r.z, gl, t, l);
        set_bit(r.tight, slot);
      }
      const Bits all = slots_of(cell);
      if (minus) *minus = cell;
      cell.rays.push_back(Ray{l, all});
      if (minus) {
        negate(l);
        minus->rays.push_back(Ray{std::move(l), all});
      }
      add_constraint(cell, minus, g, slot, reference);
      ++stats.splits;
      stats.max_rays = std::max<std::uint64_t>(stats.max_rays, cell.rays.size());
      return 0;
    }
    const std::size_t m = cell.rays.size();
    values_.resize(m);
    bool positive = false, negative = false;
    for (std::size_t i = 0; i < m; ++i) {
      values_[i] = dot(g, cell.rays[i].z);
      positive |= sgn(values_[i]) > 0;
      negative |= sgn(values_[i]) < 0;
    }
    if (!negative && !positive)
      throw InternalError("cone regions: a non-constant form vanishes on a full-dimensional cell");
    if (!negative) return 1;
    if (!positive) return -1;
    // New rays: one on g = 0 for every adjacent pair across it.
    const std::size_t pointed = d_ - cell.lineality.size();
    const std::size_t need = pointed >= 2 ? pointed - 2 : 0;
    std::vector<Ray> added;
    Bits common(words_);
    std::size_t plus_count = 0, minus_count = 0;
    for (std::size_t i = 0; i < m; ++i) {
      plus_count += sgn(values_[i]) >= 0;
      minus_count += sgn(values_[i]) <= 0;
    }
    for (std::size_t p = 0; p < m; ++p) {
      if (sgn(values_[p]) <= 0) continue;
      for (std::size_t q = 0; q < m; ++q) {
        if (sgn(values_[q]) >= 0) continue;
        const Bits& tp = cell.rays[p].tight;
        const Bits& tq = cell.rays[q].tight;
        for (std::size_t w = 0; w < words_; ++w) common[w] = tp[w] & tq[w];
        if (popcount(common) < need) continue;
        bool adjacent = true;
        for (std::size_t r = 0; r < m && adjacent; ++r)
          if (r != p && r != q && subset(common, cell.rays[r].tight)) adjacent = false;
        if (!adjacent) continue;
        if ((minus ? std::max(plus_count, minus_count) : plus_count) + added.size() >= options_.max_rays) return 2;
        Ray ray{cell.rays[q].z, common};
        t = -values_[q];
        // values_[p] q − values_[q] p: both coefficients positive, and g vanishes there.
        for (std::size_t i = 0; i < d_; ++i) {
          mpz_mul(ray.z[i].get_mpz_t(), ray.z[i].get_mpz_t(), values_[p].get_mpz_t());
          mpz_addmul(ray.z[i].get_mpz_t(), t.get_mpz_t(), cell.rays[p].z[i].get_mpz_t());
        }
        make_primitive(ray.z);
        set_bit(ray.tight, slot);
        added.push_back(std::move(ray));
      }
    }
    if (minus) {
      minus->constraints = cell.constraints;
      minus->lineality = cell.lineality;
      minus->pattern = cell.pattern;
      minus->proofs = cell.proofs;
      minus->rays.reserve(minus_count + added.size());
    }
    std::vector<Ray> plus_rays;
    plus_rays.reserve(plus_count + added.size());
    for (std::size_t i = 0; i < m; ++i) {
      Ray& r = cell.rays[i];
      const int s = sgn(values_[i]);
      if (s == 0) {
        set_bit(r.tight, slot);
        if (minus) minus->rays.push_back(r);
        plus_rays.push_back(std::move(r));
      } else if (s > 0) {
        plus_rays.push_back(std::move(r));
      } else if (minus) {
        minus->rays.push_back(std::move(r));
      }
    }
    if (minus)
      for (Ray& r : added) minus->rays.push_back(r);
    for (Ray& r : added) plus_rays.push_back(std::move(r));
    cell.rays = std::move(plus_rays);
    add_constraint(cell, minus, g, slot, reference);
    ++stats.splits;
    stats.max_rays = std::max<std::uint64_t>(stats.max_rays, std::max(cell.rays.size(), minus ? minus->rays.size() : 0));
    return 0;
  }

  static void add_constraint(Cell& plus, Cell* minus, const IntegerVector& g, std::size_t slot, std::size_t reference) {
    plus.constraints.push_back(Constraint{g, slot, reference});
    if (!minus) return;
    IntegerVector negated = g;
    negate(negated);
    minus->constraints.push_back(Constraint{std::move(negated), slot, reference});
  }

  /*! gives the proof that the neuron `reference` (form g, sign `side` on the whole cell) does not cut `cell`, unless
   * its hyperplane is one of the cell's constraints (then it may carry a facet, which the certificate settles). */
  void prove_non_cut(Cell& cell, const IntegerVector& g, int side, std::size_t reference, TaskStats& stats) {
    IntegerVector h = g;
    if (side < 0) negate(h);
    for (const Constraint& c : cell.constraints)
      if (c.row == h) return;
    cell.proofs.push_back(farkas(cell, h, reference, SIZE_MAX, stats));
    ++stats.proofs;
  }

  /*! returns the Farkas proof that h ≥ 0 (primitive, ≥ 0 on `cell`, the row of `reference`) holds on the closure of
   * the cell given by its constraints other than `own_slot`: −D h plus a nonnegative combination of the constraints
   * tight at the vertex where h is least is the constant −D h(vertex) ≤ 0. */
  NonFacetProof farkas(const Cell& cell, const IntegerVector& h, std::size_t reference, std::size_t own_slot,
                       TaskStats& stats) {
    const Ray* best = nullptr;
    Integer best_value, value, left, right;
    for (const Ray& r : cell.rays) {
      if (sgn(r.z[0]) <= 0) continue;
      value = dot(h, r.z);
      if (best) {
        left = value * best->z[0];
        right = best_value * r.z[0];
        if (left >= right) continue;
      }
      best = &r;
      best_value = value;
    }
    if (!best) throw InternalError("cone regions: a cell without a vertex");
    std::vector<const Constraint*> tight;
    std::vector<const IntegerVector*> columns;
    for (const Constraint& c : cell.constraints) {
      if (c.slot == 0 || c.slot == own_slot || !has_bit(best->tight, c.slot)) continue;
      tight.push_back(&c);
      columns.push_back(&c.row);
    }
    std::optional<RationalVector> y = gauss_combination(columns, h);
    if (!y || std::any_of(y->begin(), y->end(), [](const Rational& v) { return sgn(v) < 0; })) {
      ++stats.vertex_lps;  // a degenerate vertex: the basic solution has a negative entry
      std::vector<RationalVector> rational_columns;
      for (const IntegerVector* column : columns) rational_columns.emplace_back(column->begin() + 1, column->end());
      y = simplex_combination(rational_columns, RationalVector(h.begin() + 1, h.end()));
    }
    if (!y) throw InternalError("cone regions: no Farkas combination for the hyperplane of neuron " + std::to_string(reference));
    Integer denominator = common_denominator(*y);
    NonFacetProof proof;
    proof.hyperplane = reference;
    proof.constraints.push_back(reference);
    proof.sides.push_back(-1);
    proof.multipliers.push_back(denominator);
    IntegerVector sum = h;
    for (Integer& v : sum) v *= -denominator;
    for (std::size_t j = 0; j < tight.size(); ++j) {
      if (sgn((*y)[j]) == 0) continue;
      const Integer multiplier = (*y)[j].get_num() * (denominator / (*y)[j].get_den());
      for (std::size_t i = 0; i < d_; ++i)
        mpz_addmul(sum[i].get_mpz_t(), multiplier.get_mpz_t(), tight[j]->row[i].get_mpz_t());
      proof.constraints.push_back(tight[j]->reference);
      proof.sides.push_back(1);
      proof.multipliers.push_back(multiplier);
    }
    if (sgn(sum[0]) > 0 || std::any_of(sum.begin() + 1, sum.end(), [](const Integer& v) { return sgn(v) != 0; }))
      throw InternalError("cone regions: the Farkas combination for the hyperplane of neuron " +
                          std::to_string(reference) + " does not close");
    return proof;
  }

  /*! returns, per constraint of `cell` (in its order), whether it carries a facet. Combinatorial: the face where a
   * constraint vanishes is L + cone(the rays on it), distinct faces have distinct ray sets, and every facet is carried by
   * one of the constraints; so a constraint carries a facet iff no constraint vanishes on a strict superset of its rays
   * (DD keeps exactly the extreme rays and which constraints each lies on). */
  static std::vector<bool> facets(const Cell& cell) {
    const std::size_t m = cell.rays.size(), words = (m + 63) / 64, count = cell.constraints.size();
    std::vector<Bits> on(count, Bits(words, 0));
    for (std::size_t c = 0; c < count; ++c)
      for (std::size_t r = 0; r < m; ++r)
        if (has_bit(cell.rays[r].tight, cell.constraints[c].slot)) set_bit(on[c], r);
    std::vector<bool> facet(count, true);
    for (std::size_t c = 0; c < count; ++c)
      for (std::size_t other = 0; other < count && facet[c]; ++other)
        if (other != c && subset(on[c], on[other]) && on[c] != on[other]) facet[c] = false;
    return facet;
  }

  /*! the region of a final cell: its witness (the sum of its rays) and, when asked, the proofs of its non-facets. */
  void finish(Cell cell, const LinearRegionReceiver& sink, TaskStats& stats) {
    LinearRegion region;
    IntegerVector sum(d_, 0);
    for (const Ray& r : cell.rays)
      for (std::size_t i = 0; i < d_; ++i) sum[i] += r.z[i];
    region.witness.coordinates = std::move(sum);
    region.witness.normalize();
    if (sgn(region.witness.coordinates[0]) <= 0) throw InternalError("cone regions: a cell without a vertex");
    if (options_.keep_proofs) {
      const std::vector<bool> facet = facets(cell);
      for (std::size_t k = 0; k < cell.constraints.size(); ++k) {
        const Constraint& c = cell.constraints[k];
        if (c.slot == 0 || c.reference >= network_.neurons() || facet[k]) continue;
        if (std::any_of(cell.proofs.begin(), cell.proofs.end(),
                        [&](const NonFacetProof& p) { return p.hyperplane == c.reference; }))
          continue;  // proven before (by the engine that found the first layer)
        cell.proofs.push_back(farkas(cell, c.row, c.reference, c.slot, stats));
        ++stats.proofs;
      }
    }
    region.pattern = std::move(cell.pattern);
    region.proofs = std::move(cell.proofs);
    sink(std::move(region));
  }

  /*! hands `cell` over to the LP engine at `layer`: its constraints, witness and the pattern of the earlier layers. */
  void hand_over(std::size_t layer, Cell cell, const LinearRegionReceiver& sink, TaskStats& stats) {
    if (!options_.fallback)
      throw LimitReached("a cell has more than " + std::to_string(options_.max_rays) + " rays");
    ++stats.fallback_cells;
    if (cell.oversized_at == layer) --stats.cells[layer];  // counted in this layer's cells, which the fallback counts
    FallbackCell fallback;
    fallback.layer = layer;
    for (Constraint& c : cell.constraints) {
      if (c.slot == 0) continue;
      fallback.constraints.push_back(Hyperplane{std::move(c.row)});
      fallback.references.push_back(c.reference);
    }
    IntegerVector sum(d_, 0);
    for (const Ray& r : cell.rays)
      for (std::size_t i = 0; i < d_; ++i) sum[i] += r.z[i];
    fallback.witness.coordinates = std::move(sum);
    fallback.witness.normalize();
    cell.pattern.resize(network_.first_neuron[layer]);
    fallback.pattern = std::move(cell.pattern);
    if (layer > 0) fallback.previous_forms = forms_[layer - 1];
    fallback.proofs = std::move(cell.proofs);
    options_.fallback(std::move(fallback), sink);
  }

  const IntegerNetwork& network_;
  const ConeRegionOptions& options_;
  std::size_t d_, words_;
  std::vector<std::vector<IntegerVector>> forms_;  // per layer, of the current branch
  std::vector<Integer> values_;
  std::optional<Cell> domain_;  // the domain's cell, made once (refine_first_layer_cell)
};

/*! the results of one task, filled by a worker. */
struct TaskResult {
  std::vector<LinearRegion> regions;
  TaskStats stats;
  std::exception_ptr error;
  bool done = false;
};

/*! runs `tasks` tasks (task t: refine(refiner, t, receiver, stats)) on options.threads threads, each worker with a
 * refiner of its own (the first on this thread: `first`), and passes the regions to `emit` in task order, the
 * regions before an error included. Returns the stats summed in task order. */
template <typename Refine>
TaskStats run_tasks(const IntegerNetwork& network, const ConeRegionOptions& options, Refiner& first, std::size_t tasks,
                    const Refine& refine, const std::function<void(std::vector<LinearRegion>&)>& emit) {
  const RunControl& control = options.control;
  TaskStats total{std::vector<std::uint64_t>(network.layers(), 0)};
  std::vector<TaskResult> results(tasks);
  for (TaskResult& r : results) r.stats.cells.assign(network.layers(), 0);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished;
  // A task stops after one region more than the limit: passed on in order, that region ends the run.
  auto run_task = [&](Refiner& refiner, std::size_t t) {
    TaskResult& result = results[t];
    try {
      refine(refiner, t, [&](LinearRegion&& r) {
        result.regions.push_back(std::move(r));
        if (control.max_regions && result.regions.size() > *control.max_regions)
          throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
      }, result.stats);
    } catch (...) {
      result.error = std::current_exception();
    }
  };
  auto work = [&](Refiner& refiner) {
    for (std::size_t t; !stop && (t = next.fetch_add(1)) < tasks;) {
      run_task(refiner, t);
      {
        std::lock_guard<std::mutex> lock(mutex);
        results[t].done = true;
      }
      finished.notify_all();
    }
  };
  std::vector<std::thread> workers;
  auto join = [&] {
    stop = true;
    for (std::thread& w : workers) w.join();
    workers.clear();
  };
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(options.threads, std::max<std::size_t>(tasks, 1)));
  try {
    if (threads > 1)
      for (unsigned i = 0; i < threads; ++i)
        workers.emplace_back([&] {
          Refiner refiner(network, options);
          work(refiner);
        });
    for (std::size_t t = 0; t < tasks; ++t) {
      TaskResult& result = results[t];
      if (threads <= 1) {
        run_task(first, t);
      } else {
        std::unique_lock<std::mutex> lock(mutex);
        finished.wait(lock, [&] { return result.done; });
      }
      total.add(result.stats);
      emit(result.regions);  // the regions before an error, in order (past the limit, this throws)
      if (result.error) std::rethrow_exception(result.error);
      result.regions.shrink_to_fit();
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  return total;
}

}  // namespace

ConeRegionEnumerator::ConeRegionEnumerator(const IntegerNetwork& network, ConeRegionOptions options)
    : network_(network), options_(std::move(options)) {
  if (network_.has_max())
    throw InputError("the cone engine does not handle max-pooling layers: use --engine lp (or auto)");
  options_.threads = std::max(1u, options_.threads);
  if (options_.box && !(options_.box->lo < options_.box->hi))
    throw InputError("box: LO must be smaller than HI, found " + to_string(options_.box->lo) + "," +
                     to_string(options_.box->hi));
}

namespace {

void copy_stats(const TaskStats& total, ConeRegionStats& stats) {
  stats.cells_per_layer = total.cells;
  stats.splits = total.splits;
  stats.proofs = total.proofs;
  stats.vertex_lps = total.vertex_lps;
  stats.max_rays = total.max_rays;
  stats.fallback_cells = total.fallback_cells;
}

/*! returns the sink of ConeRegionEnumerator: every region counted against the limit, passed on and reported. */
std::function<void(std::vector<LinearRegion>&)> region_emitter(const RunControl& control, std::uint64_t& regions,
                                                               const LinearRegionReceiver& sink) {
  return [&control, &regions, &sink](std::vector<LinearRegion>& found) {
    for (LinearRegion& r : found) {
      ++regions;
      if (control.max_regions && regions > *control.max_regions)
        throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
      sink(std::move(r));
      control.report([&] { return "cnn (cones): " + std::to_string(regions) + " regions"; });
    }
    found.clear();
  };
}

}  // namespace

void ConeRegionEnumerator::run(const LinearRegionReceiver& sink) {
  const std::size_t layers = network_.layers();
  stats_ = ConeRegionStats{};
  const auto emit = region_emitter(options_.control, stats_.regions, sink);
  // The first layer on this thread; its cells are the tasks.
  Refiner first(network_, options_);
  Cell start = first.domain();
  TaskStats total{std::vector<std::uint64_t>(layers, 0)};
  if (layers == 0) {
    std::vector<LinearRegion> regions;
    first.refine(0, std::move(start), [&](LinearRegion&& r) { regions.push_back(std::move(r)); }, total);
    emit(regions);
    stats_.cells_per_layer = total.cells;
    return;
  }
  std::vector<Cell> tasks;
  first.split_layer(0, std::move(start), tasks, total);
  total.add(run_tasks(network_, options_, first, tasks.size(),
                      [&](Refiner& refiner, std::size_t t, const LinearRegionReceiver& receiver, TaskStats& stats) {
                        refiner.refine(1, std::move(tasks[t]), receiver, stats);
                      },
                      emit));
  copy_stats(total, stats_);
}

void ConeRegionEnumerator::run_from(FirstLayerCells first_layer, const LinearRegionReceiver& sink) {
  if (network_.layers() < 1) throw InternalError("cone regions: run_from needs a network of one layer or more");
  stats_ = ConeRegionStats{};
  const auto emit = region_emitter(options_.control, stats_.regions, sink);
  Refiner first(network_, options_);
  const TaskStats total = run_tasks(
      network_, options_, first, first_layer.cells.size(),
      [&](Refiner& refiner, std::size_t t, const LinearRegionReceiver& receiver, TaskStats& stats) {
        refiner.refine_first_layer_cell(first_layer, t, receiver, stats);
        first_layer.cells[t] = FirstLayerCells::Cell{};  // done with it
      },
      emit);
  copy_stats(total, stats_);  // cells_per_layer[0] = 0: the first layer's cells are the other engine's
}

}  // namespace chamber

// The intersection lattice, built rank by rank (breadth first) from echelon bases of the flats; flat_levels.hpp has
// the bases, residuals and covers. Flats of one rank are deduplicated by the bitset H(Z).
//
// Möbius values come from Weisner's theorem instead of a sum over the whole down-set: in the
// geometric lattice [Q^n, Z], for the atom h = min H(Z),
//   μ(Z) = −Σ { μ(Y) : Y ⋖ Z, h ∉ H(Y) },
// a sum over covers only. Every cover Y of Z generates Z, and H(Z) is known as soon as Z is first
// generated, so μ(Z) accumulates while Z's level is being built, with no parent lists at all.
//
// The arithmetic runs first on 64-bit integers with overflow checks and restarts on Integer when a
// value leaves ±2^62 (as Normaliz does).
#include "arrangement/lattice.hpp"

#include "arrangement/echelon.hpp"
#include "arrangement/flat_levels.hpp"
#include "arrangement/row_arithmetic.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

namespace chamber {

namespace {

using namespace detail;


/*! what a lattice computation produces: Σ μ per rank, and the flats when asked for. */
struct LatticeResult {
  std::vector<Integer> mobius_per_rank;  // index = rank
  std::vector<Flat> flats;
};

/*! builds the lattice level by level on the number type `Num` (std::int64_t or Integer).
 *
 * A flat's echelon basis is not stored whole: each flat keeps the one row that created it (its
 * residual in the generating flat) and the index of that generator one level down, so the basis is
 * the chain of rows up to Q^n. That costs one row per flat instead of rank many.
 */
template <class Num>
class LatticeBuilder {
 public:
  LatticeBuilder(const Arrangement& arrangement, const ArrangementShape& shape, const RunControl& control, bool keep_flats)
      : control_(control),
        keep_flats_(keep_flats),
        shape_(shape),
        m_(arrangement.size()),
        width_(arrangement.dimension() + 1),
        words_(words_for(m_)) {
    rows_.resize(m_ * width_);
    for (std::size_t i = 0; i < m_; ++i)
      for (std::size_t c = 0; c < width_; ++c) assign(rows_[i * width_ + c], arrangement[i].coefficients[c]);
    basis_.resize(shape.rank);
    basis_pivots_.resize(shape.rank);
    key_.resize(words_);
  }

  LatticeResult run() {
    // A central arrangement has a top flat T (all hyperplanes) and every flat lies below it, so
    // μ(T) = −Σ_{X<T} μ(X): the flats of rank − 1, often the largest level, need no residual work.
    // Otherwise the flats of rank `rank` are the last (their residuals all have zero normal part).
    const std::size_t last_rank = shape_.central && shape_.rank > 0 ? shape_.rank - 1 : shape_.rank;
    levels_.reserve(last_rank + 1);
    levels_.emplace_back(words_);
    Level& root = levels_.back();
    key_.assign(words_, 0);
    root.flats.find_or_insert(key_.data());
    root.lowest.push_back(static_cast<std::uint32_t>(m_));  // no hyperplane: every cover counts
    root.mobius.push_back(Num(1));
    result_.mobius_per_rank.push_back(Integer(1));
    emit(root);
    for (std::size_t r = 0; r < last_rank; ++r) {
      levels_.emplace_back(words_);
      build_level(r + 1, r + 1 < last_rank);
      flats_before_ += levels_[r + 1].flats.size();
      check_flats(0);
      Level& current = levels_[r];
      current.flats.release();
      current.lowest = {};
      current.mobius = {};
      Level& next = levels_[r + 1];
      Integer sum = 0;
      for (std::size_t z = 0; z < next.flats.size(); ++z) {
        next.mobius[z] = -next.mobius[z];  // the accumulated sum, negated (Weisner)
        sum += to_integer(next.mobius[z]);
      }
      result_.mobius_per_rank.push_back(sum);
      emit(next);
    }
    if (last_rank < shape_.rank) {
      Integer sum = 0;
      for (const Integer& value : result_.mobius_per_rank) sum -= value;
      result_.mobius_per_rank.push_back(sum);
      if (keep_flats_) {
        Flat top;
        top.rank = shape_.rank;
        for (std::size_t i = 0; i < m_; ++i) top.hyperplanes.push_back(i);
        top.mobius = sum;
        result_.flats.push_back(std::move(top));
      }
    }
    return std::move(result_);
  }

 private:
  /*! the flats of one rank, in flat arrays indexed by the flat's position in the level. */
  struct Level {
    explicit Level(std::size_t words) : flats(words) {}
    FlatTable flats;                        // the keys H(X)
    std::vector<std::uint32_t> lowest;      // min H(X) (m for Q^n)
    std::vector<Num> mobius;
    // The echelon row that created each flat, its pivot column, and its generator one level down
    // (kept only for levels whose flats generate children).
    std::vector<Num> rows;
    std::vector<std::uint32_t> pivots;
    std::vector<std::uint32_t> generators;
  };


  /*! points basis_[0..r) at the echelon rows of flat y of rank r (oldest first). */
  void gather_basis(std::size_t r, std::size_t y) {
    for (std::size_t k = r; k > 0; --k) {
      const Level& level = levels_[k];
      basis_[k - 1] = level.rows.data() + y * width_;
      basis_pivots_[k - 1] = level.pivots[y];
      y = level.generators[y];
    }
  }

  /*! throws LimitReached when the flats of the finished levels and `in_progress` more exceed control.max_flats
   * (checked within each level and after it, so the limit is hit exactly when the lattice is larger). */
  void check_flats(std::size_t in_progress) const {
    if (control_.max_flats && flats_before_ + in_progress > *control_.max_flats)
      throw LimitReached("flat limit of " + std::to_string(*control_.max_flats) + " exceeded by the intersection lattice");
  }

  /*! builds levels_[rank] from levels_[rank − 1]; keeps echelon rows when the new flats will
   * generate children themselves. */
  void build_level(std::size_t rank, bool keep_rows) {
    const std::size_t r = rank - 1;
    const Level& current = levels_[r];
    Level& next = levels_[rank];
    const std::size_t check_mask = m_ >= 1024 ? 0 : 255;  // about every 10^5 residuals or more often
    for (std::size_t y = 0; y < current.flats.size(); ++y) {
      if ((y & check_mask) == 0) {
        control_.check_time("characteristic polynomial");
        check_flats(next.flats.size());
        std::size_t found = next.flats.size();
        control_.report([&] {
          return "lattice: rank " + std::to_string(rank) + ", " + std::to_string(found) + " flats (" +
                 std::to_string(y) + " of " + std::to_string(current.flats.size()) + " rank-" + std::to_string(r) +
                 " flats done)";
        });
      }
      const Word* y_key = current.flats.key(y);
      gather_basis(r, y);
      const std::size_t groups = groups_.group(y_key, basis_.data(), basis_pivots_.data(), r);

      for (std::size_t g = 0; g < groups; ++g) {
        std::copy(y_key, y_key + words_, key_.begin());
        groups_.add_members(g, key_.data());
        auto [z, inserted] = next.flats.find_or_insert(key_.data());
        if (inserted) {
          next.lowest.push_back(std::min(current.lowest[y], static_cast<std::uint32_t>(groups_.lowest(g))));
          next.mobius.push_back(Num(0));
          if (keep_rows) {
            const Num* residual = groups_.residual(g);
            next.rows.insert(next.rows.end(), residual, residual + width_);
            next.pivots.push_back(static_cast<std::uint32_t>(groups_.pivot(g)));
            next.generators.push_back(static_cast<std::uint32_t>(y));
          }
        }
        // Weisner with h = min H(Z): Y counts iff h ∉ H(Y), i.e. the group holds the smallest index.
        if (groups_.lowest(g) < current.lowest[y]) add_to(next.mobius[z], current.mobius[y]);
      }
    }
  }

  /*! appends the flats of `level` (the last one built) to the result when flats are kept. */
  void emit(const Level& level) {
    if (!keep_flats_) return;
    const std::size_t rank = levels_.size() - 1;
    for (std::size_t x = 0; x < level.flats.size(); ++x) {
      Flat flat;
      flat.rank = rank;
      const Word* key = level.flats.key(x);
      for (std::size_t w = 0; w < words_; ++w)
        for (Word bits = key[w]; bits != 0; bits &= bits - 1)
          flat.hyperplanes.push_back(w * word_bits + static_cast<std::size_t>(std::countr_zero(bits)));
      flat.mobius = to_integer(level.mobius[x]);
      result_.flats.push_back(std::move(flat));
    }
  }

  const RunControl& control_;
  bool keep_flats_;
  ArrangementShape shape_;
  std::size_t m_, width_, words_;
  std::vector<Num> rows_;       // m × width: the hyperplanes
  std::vector<Level> levels_;   // index = rank
  std::vector<const Num*> basis_;           // the echelon rows of the flat being processed
  std::vector<std::size_t> basis_pivots_;
  ResidualGroups<Num> groups_{rows_, m_, width_};
  std::vector<Word> key_;
  LatticeResult result_;
  std::uint64_t flats_before_ = 1;  // flats of the finished levels (the whole space to start)
};

LatticeResult compute_lattice(const Arrangement& arrangement, const RunControl& control, bool keep_flats) {
  ArrangementShape shape = arrangement_shape(arrangement);
  try {
    return LatticeBuilder<std::int64_t>(arrangement, shape, control, keep_flats).run();
  } catch (const MachineOverflow&) {
    return LatticeBuilder<Integer>(arrangement, shape, control, keep_flats).run();
  }
}

CharacteristicPolynomial polynomial_from_ranks(std::size_t dimension, const std::vector<Integer>& mobius_per_rank) {
  CharacteristicPolynomial chi;
  chi.coefficients.assign(dimension + 1, Integer(0));
  for (std::size_t r = 0; r < mobius_per_rank.size() && r <= dimension; ++r) chi.coefficients[r] = mobius_per_rank[r];
  return chi;
}

}  // namespace

// One elimination over all rows (b, a), pivots in the normal part.
ArrangementShape arrangement_shape(const Arrangement& arrangement) {
  const std::size_t width = arrangement.dimension() + 1;
  ArrangementShape shape;
  EchelonBasis basis(width, 1, width);
  for (const Hyperplane& h : arrangement.hyperplanes()) {
    IntegerVector row = h.coefficients;
    const std::size_t pivot = basis.reduce(row);
    if (pivot != EchelonBasis::no_pivot) basis.push(std::move(row), pivot);
    else if (sgn(row[0]) != 0) shape.central = false;  // 0 = b ≠ 0 follows: no common point
  }
  shape.rank = basis.rank();
  return shape;
}

std::vector<std::size_t> IntersectionLattice::flats_per_rank() const {
  std::vector<std::size_t> counts;
  for (const Flat& flat : flats) {
    if (counts.size() <= flat.rank) counts.resize(flat.rank + 1, 0);
    ++counts[flat.rank];
  }
  return counts;
}

Integer CharacteristicPolynomial::evaluate(const Integer& t) const {
  Integer value = 0;
  for (const Integer& c : coefficients) {
    value *= t;
    value += c;
  }
  return value;
}

Integer CharacteristicPolynomial::regions() const {
  Integer value = evaluate(Integer(-1));
  return abs(value);
}

std::size_t CharacteristicPolynomial::rank() const {
  std::size_t r = 0;
  for (std::size_t k = 0; k < coefficients.size(); ++k)
    if (sgn(coefficients[k]) != 0) r = k;
  return r;
}

Integer CharacteristicPolynomial::relatively_bounded_regions() const {
  Integer value = evaluate(Integer(1));
  return abs(value);
}

Integer CharacteristicPolynomial::bounded_regions() const {
  // Every region contains a line when the normals do not span Q^n (then the constant term, the sum
  // of μ over the points, is 0): Zaslavsky's |χ(1)| counts regions bounded modulo that lineality.
  if (coefficients.empty() || sgn(coefficients.back()) == 0) return Integer(0);
  return relatively_bounded_regions();
}

std::string to_string(const CharacteristicPolynomial& chi) {
  std::string text;
  const std::size_t n = chi.coefficients.empty() ? 0 : chi.coefficients.size() - 1;
  for (std::size_t k = 0; k <= n && !chi.coefficients.empty(); ++k) {
    const Integer& c = chi.coefficients[k];
    if (sgn(c) == 0) continue;
    std::size_t degree = n - k;
    Integer magnitude = abs(c);
    if (text.empty())
      text += sgn(c) < 0 ? "-" : "";
    else
      text += sgn(c) < 0 ? " - " : " + ";
    bool show_magnitude = magnitude != 1 || degree == 0;
    if (show_magnitude) text += magnitude.get_str();
    if (degree > 0) {
      if (show_magnitude) text += '*';
      text += 't';
      if (degree > 1) text += '^' + std::to_string(degree);
    }
  }
  return text.empty() ? "0" : text;
}

IntersectionLattice intersection_lattice(const Arrangement& arrangement, const RunControl& control) {
  IntersectionLattice lattice;
  lattice.dimension = arrangement.dimension();
  lattice.flats = compute_lattice(arrangement, control, true).flats;
  return lattice;
}

CharacteristicPolynomial characteristic_polynomial(const IntersectionLattice& lattice) {
  std::vector<Integer> mobius_per_rank;
  for (const Flat& flat : lattice.flats) {
    if (mobius_per_rank.size() <= flat.rank) mobius_per_rank.resize(flat.rank + 1, Integer(0));
    mobius_per_rank[flat.rank] += flat.mobius;
  }
  return polynomial_from_ranks(lattice.dimension, mobius_per_rank);
}

namespace {

/*! hyperplanes whose normals touch a connected set of variables, and those variables (ascending). */
struct Block {
  std::vector<std::size_t> hyperplanes;
  std::vector<std::size_t> variables;
};

/*! returns the blocks of `arrangement` (union-find over the variables each normal touches). */
std::vector<Block> independent_blocks(const Arrangement& arrangement) {
  const std::size_t n = arrangement.dimension();
  std::vector<std::size_t> parent(n);
  for (std::size_t v = 0; v < n; ++v) parent[v] = v;
  auto root = [&](std::size_t v) {
    while (parent[v] != v) v = parent[v] = parent[parent[v]];
    return v;
  };
  std::vector<std::size_t> first(arrangement.size(), n);
  for (std::size_t j = 0; j < arrangement.size(); ++j)
    for (std::size_t v = 0; v < n; ++v) {
      if (sgn(arrangement[j].coefficients[v + 1]) == 0) continue;
      if (first[j] == n) first[j] = v;
      else parent[root(v)] = root(first[j]);
    }
  std::vector<std::size_t> block_of(n, SIZE_MAX);
  std::vector<Block> blocks;
  for (std::size_t j = 0; j < arrangement.size(); ++j) {
    const std::size_t r = root(first[j]);
    if (block_of[r] == SIZE_MAX) {
      block_of[r] = blocks.size();
      blocks.emplace_back();
    }
    blocks[block_of[r]].hyperplanes.push_back(j);
  }
  for (std::size_t v = 0; v < n; ++v)
    if (block_of[root(v)] != SIZE_MAX) blocks[block_of[root(v)]].variables.push_back(v);
  return blocks;
}

/*! returns the block's hyperplanes in its own variables. */
Arrangement restrict_to(const Arrangement& arrangement, const Block& block) {
  std::vector<Hyperplane> rows;
  rows.reserve(block.hyperplanes.size());
  for (std::size_t j : block.hyperplanes) {
    Hyperplane h;
    h.coefficients.push_back(arrangement[j].coefficients[0]);
    for (std::size_t v : block.variables) h.coefficients.push_back(arrangement[j].coefficients[v + 1]);
    rows.push_back(std::move(h));
  }
  return Arrangement(block.variables.size(), rows);
}

/*! returns x·y (coefficients highest degree first). */
CharacteristicPolynomial multiply(const CharacteristicPolynomial& x, const CharacteristicPolynomial& y) {
  CharacteristicPolynomial product;
  product.coefficients.assign(x.coefficients.size() + y.coefficients.size() - 1, Integer(0));
  for (std::size_t i = 0; i < x.coefficients.size(); ++i)
    for (std::size_t k = 0; k < y.coefficients.size(); ++k) product.coefficients[i + k] += x.coefficients[i] * y.coefficients[k];
  return product;
}

/*! runs `per_block` (returning χ and the flats of one block) on every block and multiplies. */
template <class PerBlock>
LatticeSummary product_over_blocks(const Arrangement& arrangement, const PerBlock& per_block) {
  const std::vector<Block> blocks = independent_blocks(arrangement);
  if (blocks.size() <= 1) {
    LatticeSummary whole = per_block(arrangement);
    whole.blocks = blocks.size();
    return whole;
  }
  LatticeSummary summary;
  summary.chi.coefficients = {Integer(1)};
  summary.flats = 1;
  summary.blocks = blocks.size();
  std::size_t used = 0;
  for (const Block& block : blocks) {
    const LatticeSummary part = per_block(restrict_to(arrangement, block));
    summary.chi = multiply(summary.chi, part.chi);
    summary.flats *= part.flats;
    used += block.variables.size();
  }
  summary.chi.coefficients.resize(summary.chi.coefficients.size() + arrangement.dimension() - used, Integer(0));
  return summary;
}

}  // namespace

CharacteristicPolynomial characteristic_polynomial(const Arrangement& arrangement, const RunControl& control) {
  return product_over_blocks(arrangement, [&](const Arrangement& part) {
           return LatticeSummary{
               polynomial_from_ranks(part.dimension(), compute_lattice(part, control, false).mobius_per_rank), 0, 1};
         })
      .chi;
}

std::size_t independent_block_count(const Arrangement& arrangement) { return independent_blocks(arrangement).size(); }

LatticeSummary lattice_summary(const Arrangement& arrangement, const RunControl& control) {
  return product_over_blocks(arrangement, [&](const Arrangement& part) {
    const IntersectionLattice lattice = intersection_lattice(part, control);
    return LatticeSummary{characteristic_polynomial(lattice), Integer(static_cast<unsigned long>(lattice.flats.size())), 1};
  });
}

}  // namespace chamber

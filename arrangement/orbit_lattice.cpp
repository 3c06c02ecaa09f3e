#include "arrangement/orbit_lattice.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/flat_levels.hpp"
#include "arrangement/row_arithmetic.hpp"

#include <bit>
#include <string>
#include <utility>

namespace chamber {

namespace {

using namespace detail;

/*! the orbits of one rank: their canonical keys, a(X) = |H(X)|, |O| and, while the level is built, the sum of
 * Weisner's averaged formula (then μ). */
struct OrbitLevel {
  explicit OrbitLevel(std::size_t words) : flats(words) {}
  FlatTable flats;
  std::vector<std::uint32_t> atoms;
  std::vector<std::uint64_t> size;
  std::vector<Integer> mobius;
};

template <class Num>
class OrbitBuilder {
 public:
  OrbitBuilder(const Arrangement& arrangement, const ArrangementShape& shape, SetCanonicaliser& canon,
               const RunControl& control)
      : control_(control), canon_(canon), shape_(shape), m_(arrangement.size()), width_(arrangement.dimension() + 1),
        words_(words_for(m_)), group_order_(canon.group_order().get_ui()) {
    rows_.resize(m_ * width_);
    for (std::size_t i = 0; i < m_; ++i)
      for (std::size_t c = 0; c < width_; ++c) assign(rows_[i * width_ + c], arrangement[i].coefficients[c]);
    basis_rows_.resize(shape.rank * width_);
    basis_.resize(shape.rank);
    pivots_.resize(shape.rank);
    key_.resize(words_);
  }

  OrbitLatticeSummary run() {
    OrbitLatticeSummary out;
    out.chi.coefficients.assign(width_, Integer(0));
    const std::size_t last_rank = shape_.central && shape_.rank > 0 ? shape_.rank - 1 : shape_.rank;
    OrbitLevel current(words_);
    key_.assign(words_, 0);
    current.flats.find_or_insert(key_.data());
    current.atoms.push_back(0);
    current.size.push_back(1);
    current.mobius.push_back(Integer(1));
    out.chi.coefficients[0] = 1;
    out.flats = 1;
    out.orbits = 1;
    Integer sum = 1;  // Σ_X μ(X) over the flats so far
    for (std::size_t r = 0; r < last_rank; ++r) {
      OrbitLevel next = build_level(current, r, out);
      Integer per_rank = 0;
      for (std::size_t z = 0; z < next.flats.size(); ++z) {
        Integer denominator = Integer(next.atoms[z]) * Integer(static_cast<unsigned long>(next.size[z]));
        Integer& mu = next.mobius[z];
        if (!mpz_divisible_p(mu.get_mpz_t(), denominator.get_mpz_t()))
          throw InternalError("orbit lattice: Weisner's average at rank " + std::to_string(r + 1) +
                              " is not an integer (" + mu.get_str() + " / " + denominator.get_str() + ")");
        mpz_divexact(mu.get_mpz_t(), mu.get_mpz_t(), denominator.get_mpz_t());
        mu = -mu;
        per_rank += mu * Integer(static_cast<unsigned long>(next.size[z]));
        out.flats += Integer(static_cast<unsigned long>(next.size[z]));
      }
      out.orbits += next.flats.size();
      out.chi.coefficients[r + 1] = per_rank;
      sum += per_rank;
      current = std::move(next);
    }
    if (last_rank < shape_.rank) {  // the top of a central arrangement: Σ_X μ(X) = 0
      out.chi.coefficients[shape_.rank] = -sum;
      out.flats += 1;
      out.orbits += 1;
    }
    out.canonical_images = canonical_images_;
    out.stabiliser_chains = canon_.cached_groups();
    return out;
  }

 private:
  /*! the orbits of rank r + 1 from those of rank r, with the averaged Weisner sums in `mobius`. */
  OrbitLevel build_level(const OrbitLevel& current, std::size_t r, const OrbitLatticeSummary& so_far) {
    OrbitLevel next(words_);
    Integer weight;
    for (std::size_t y = 0; y < current.flats.size(); ++y) {
      if ((y & 63) == 0) {
        control_.check_time("characteristic polynomial");
        if (control_.max_flats && so_far.orbits + next.flats.size() > *control_.max_flats)
          throw LimitReached("flat limit of " + std::to_string(*control_.max_flats) +
                             " exceeded by the orbits of the intersection lattice");
        const std::size_t found = next.flats.size();
        control_.report([&] {
          return "orbit lattice: rank " + std::to_string(r + 1) + ", " + std::to_string(found) + " orbits (" +
                 std::to_string(y) + " of " + std::to_string(current.flats.size()) + " rank-" + std::to_string(r) +
                 " orbits done)";
        });
      }
      const Word* y_key = current.flats.key(y);
      build_basis(y_key, r);
      const std::size_t groups = groups_.group(y_key, basis_.data(), pivots_.data(), r);
      weight = current.mobius[y] * Integer(static_cast<unsigned long>(current.size[y]));
      for (std::size_t g = 0; g < groups; ++g) {
        std::copy(y_key, y_key + words_, key_.begin());
        const std::size_t atoms = current.atoms[y] + groups_.add_members(g, key_.data());
        const SetCanonicaliser::Result canonical = canon_.canonical(key_.data());
        ++canonical_images_;
        auto [z, inserted] = next.flats.find_or_insert(canonical.image.data());
        if (inserted) {
          next.atoms.push_back(static_cast<std::uint32_t>(atoms));
          next.size.push_back(group_order_ / canonical.stabiliser);
          next.mobius.emplace_back(0);
        }
        mpz_addmul_ui(next.mobius[z].get_mpz_t(), weight.get_mpz_t(), atoms - current.atoms[y]);
      }
    }
    return next;
  }

  /*! fills basis_ and pivots_ with an echelon basis (r rows) of the flat with key `key`. */
  void build_basis(const Word* key, std::size_t r) {
    std::size_t found = 0;
    for (std::size_t w = 0; w < words_ && found < r; ++w)
      for (Word bits = key[w]; bits != 0 && found < r; bits &= bits - 1) {
        const std::size_t i = w * word_bits + static_cast<std::size_t>(std::countr_zero(bits));
        Num* row = basis_rows_.data() + found * width_;
        for (std::size_t c = 0; c < width_; ++c) row[c] = rows_[i * width_ + c];
        for (std::size_t j = 0; j < found; ++j)
          if (!is_zero(row[pivots_[j]])) eliminate(row, basis_[j], pivots_[j], width_, wide_.data());
        const std::size_t pivot = normalize(row, width_);
        if (pivot == no_pivot) continue;
        basis_[found] = row;
        pivots_[found] = pivot;
        ++found;
      }
    if (found != r) throw InternalError("orbit lattice: a flat of rank " + std::to_string(r) + " has a basis of " +
                                        std::to_string(found) + " rows");
  }

  const RunControl& control_;
  SetCanonicaliser& canon_;
  ArrangementShape shape_;
  std::size_t m_, width_, words_;
  std::uint64_t group_order_;
  std::vector<Num> rows_;
  std::vector<Num> basis_rows_;
  std::vector<const Num*> basis_;
  std::vector<std::size_t> pivots_;
  std::vector<Wide> wide_ = std::vector<Wide>(width_);
  std::vector<Word> key_;
  ResidualGroups<Num> groups_{rows_, m_, width_};
  std::uint64_t canonical_images_ = 0;
};

}  // namespace

OrbitLatticeSummary orbit_lattice_summary(const Arrangement& arrangement, const SymmetryGroup& group,
                                          const RunControl& control) {
  if (group.degree != arrangement.size())
    throw InternalError("orbit lattice: a group on " + std::to_string(group.degree) + " points for " +
                        std::to_string(arrangement.size()) + " hyperplanes");
  const ArrangementShape shape = arrangement_shape(arrangement);
  SetCanonicaliser canon(arrangement.size(), group.generators);
  try {
    return OrbitBuilder<std::int64_t>(arrangement, shape, canon, control).run();
  } catch (const MachineOverflow&) {
    return OrbitBuilder<Integer>(arrangement, shape, canon, control).run();
  }
}

}  // namespace chamber

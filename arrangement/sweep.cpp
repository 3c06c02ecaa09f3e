#include "arrangement/sweep.hpp"

#include "arrangement/row_arithmetic.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <numeric>
#include <unordered_map>
#include <utility>

namespace chamber {

namespace {

/*! the sweep's column layout: variables in the order they close, the constant last; row i of `rows` is
 * hyperplane order[i] in that layout. */
struct Layout {
  std::vector<std::size_t> order;            // hyperplanes in sweep order
  std::vector<IntegerVector> rows;           // their rows, permuted
  std::vector<std::size_t> closed_after;     // closed_after[i]: variables closed once hyperplane i is decided
  std::vector<std::size_t> opened_by;        // opened_by[i]: variables hyperplane i is the first to touch
  std::size_t closed_at_start = 0;           // variables no hyperplane touches
};

Layout make_layout(const Arrangement& arrangement) {
  const std::size_t n = arrangement.dimension(), m = arrangement.size();
  std::vector<std::size_t> first(m, n), last(m, 0);
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t v = 0; v < n; ++v)
      if (sgn(arrangement[j].coefficients[v + 1]) != 0) {
        first[j] = std::min(first[j], v);
        last[j] = v;
      }
  Layout layout;
  layout.order.resize(m);
  std::iota(layout.order.begin(), layout.order.end(), 0);
  std::stable_sort(layout.order.begin(), layout.order.end(), [&](std::size_t x, std::size_t y) {
    return std::pair(first[x], last[x]) < std::pair(first[y], last[y]);
  });
  // A variable closes after the last hyperplane (in sweep order) that touches it.
  constexpr std::size_t untouched = SIZE_MAX;
  std::vector<std::size_t> closes(n, untouched);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t v = 0; v < n; ++v)
      if (sgn(arrangement[layout.order[i]].coefficients[v + 1]) != 0) closes[v] = i;
  std::vector<std::size_t> variables(n);
  std::iota(variables.begin(), variables.end(), 0);
  std::stable_sort(variables.begin(), variables.end(), [&](std::size_t x, std::size_t y) {
    return closes[x] + 1 < closes[y] + 1;  // untouched (SIZE_MAX + 1 = 0) first
  });
  layout.closed_after.assign(m, 0);
  layout.opened_by.assign(m, 0);
  std::vector<bool> touched(n, false);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t v = 0; v < n; ++v)
      if (!touched[v] && sgn(arrangement[layout.order[i]].coefficients[v + 1]) != 0) {
        touched[v] = true;
        ++layout.opened_by[i];
      }
  for (std::size_t v = 0; v < n; ++v) {
    if (closes[v] == untouched) ++layout.closed_at_start;
    else ++layout.closed_after[closes[v]];
  }
  for (std::size_t i = 0; i < m; ++i) {
    const IntegerVector& source = arrangement[layout.order[i]].coefficients;
    IntegerVector row(n + 1);
    for (std::size_t c = 0; c < n; ++c) row[c] = source[variables[c] + 1];
    row[n] = source[0];
    layout.rows.push_back(std::move(row));
  }
  return layout;
}

/*! a state: the reduced echelon basis of W over the open columns (rows one after another, each primitive with a
 * positive pivot, zero in the other rows' pivot columns), which is canonical; packed into bytes as the map key (the
 * states are many, and a packed key takes a fraction of the memory of Integer entries). */
void pack(const std::vector<Integer>& entries, std::string& key) {
  key.clear();
  std::vector<mp_limb_t> limbs;
  for (const Integer& v : entries) {
    const std::size_t count = (mpz_sizeinbase(v.get_mpz_t(), 2) + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS;
    limbs.resize(count + 1);
    std::size_t written = 0;
    mpz_export(limbs.data(), &written, -1, sizeof(mp_limb_t), 0, 0, v.get_mpz_t());
    const std::int32_t header = static_cast<std::int32_t>(written) * sgn(v);
    key.append(reinterpret_cast<const char*>(&header), sizeof header);
    key.append(reinterpret_cast<const char*>(limbs.data()), written * sizeof(mp_limb_t));
  }
}

void unpack(const std::string& key, std::vector<Integer>& entries) {
  entries.clear();
  const char* at = key.data();
  const char* end = at + key.size();
  std::vector<mp_limb_t> limbs;
  while (at < end) {
    std::int32_t header = 0;
    std::memcpy(&header, at, sizeof header);
    at += sizeof header;
    const std::size_t count = static_cast<std::size_t>(header < 0 ? -header : header);
    limbs.resize(count);
    if (count > 0) std::memcpy(limbs.data(), at, count * sizeof(mp_limb_t));  // zero: no limbs, data() may be null
    at += count * sizeof(mp_limb_t);
    Integer& v = entries.emplace_back();
    mpz_import(v.get_mpz_t(), count, -1, sizeof(mp_limb_t), 0, 0, limbs.data());
    if (header < 0) v = -v;
  }
}

/*! the first nonzero column of `row` (width entries), or width. */
std::size_t pivot_of(const Integer* row, std::size_t width) {
  for (std::size_t c = 0; c < width; ++c)
    if (sgn(row[c]) != 0) return c;
  return width;
}

/*! divides `row` by its content and makes its pivot positive; returns the pivot. \pre row ≠ 0 */
std::size_t make_canonical(Integer* row, std::size_t width) {
  const std::size_t pivot = pivot_of(row, width);
  Integer g = 0;
  for (std::size_t c = pivot; c < width; ++c) mpz_gcd(g.get_mpz_t(), g.get_mpz_t(), row[c].get_mpz_t());
  if (sgn(row[pivot]) < 0) g = -g;
  if (g != 1)
    for (std::size_t c = pivot; c < width; ++c) mpz_divexact(row[c].get_mpz_t(), row[c].get_mpz_t(), g.get_mpz_t());
  return pivot;
}

/*! the states after a hyperplane: packed basis -> offset of its counts in `counts`, which holds, per state and
 * rank r = 0..n, Σ (−1)^{|S|} over the subsets S of rank r merged into it. */
template <class Count>
struct States {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Count> counts;
  std::size_t ranks = 0;

  /*! adds `source` (ranks entries) to the state `key`, shifted one rank up and negated when `taken`. */
  void add(std::string&& key, const Count* source, bool taken) {
    auto [it, inserted] = index.try_emplace(std::move(key), counts.size());
    if (inserted) counts.resize(counts.size() + ranks, Count(0));
    Count* target = counts.data() + it->second;
    if (taken) {
      for (std::size_t r = 0; r + 1 < ranks; ++r) target[r + 1] -= source[r];
    } else {
      for (std::size_t r = 0; r < ranks; ++r) target[r] += source[r];
    }
  }
};

template <class Count>
CharacteristicPolynomial sweep(const Arrangement& arrangement, const RunControl& control, SweepStats& stats) {
  const std::size_t n = arrangement.dimension(), m = arrangement.size();
  const Layout layout = make_layout(arrangement);
  States<Count> states;
  states.ranks = n + 1;
  {
    std::vector<Count> start(n + 1, Count(0));
    start[0] = 1;
    states.add(std::string(), start.data(), false);
  }
  std::size_t closed = layout.closed_at_start;  // columns [0, closed) are closed
  std::size_t opened = layout.closed_at_start;  // variables touched by a hyperplane decided or being decided
  std::vector<Integer> basis, reduced, grown, kept;
  std::string key;
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t width = n + 1 - closed;
    const std::size_t now_closed = layout.closed_after[i];  // columns [0, now_closed) of this width close after i
    opened += layout.opened_by[i];
    stats.max_open = std::max(stats.max_open, opened - closed);
    control.check_time("the sweep for χ");
    States<Count> next;
    next.ranks = n + 1;
    next.index.reserve(states.index.size() * 2);
    // Moves the basis `rows` to `next`, after closing columns: a row with its pivot in a closing column leaves W.
    auto deliver = [&](const std::vector<Integer>& rows, const Count* counts, bool taken) {
      kept.clear();
      for (std::size_t r = 0; r < rows.size() / width; ++r) {
        const Integer* row = rows.data() + r * width;
        if (pivot_of(row, width) >= now_closed) kept.insert(kept.end(), row + now_closed, row + width);
      }
      pack(kept, key);
      next.add(std::move(key), counts, taken);
    };
    std::uint64_t done = 0;
    for (const auto& [packed, offset] : states.index) {
      if ((++done & 1023) == 0) {
        control.check_time("the sweep for χ");
        control.report([&] {
          return "sweep: hyperplane " + std::to_string(i + 1) + "/" + std::to_string(m) + ", " +
                 std::to_string(done) + "/" + std::to_string(states.index.size()) + " states";
        });
      }
      const Count* counts = states.counts.data() + offset;
      if (std::all_of(counts, counts + n + 1, [](const Count& c) { return c == 0; })) continue;  // cancelled
      unpack(packed, basis);
      const std::size_t rows = basis.size() / width;
      reduced.assign(layout.rows[i].begin() + static_cast<std::ptrdiff_t>(closed), layout.rows[i].end());
      for (std::size_t r = 0; r < rows; ++r) {
        const Integer* row = basis.data() + r * width;
        const std::size_t p = pivot_of(row, width);
        if (sgn(reduced[p]) != 0) detail::eliminate(reduced.data(), row, p, width, nullptr);
      }
      const std::size_t q = pivot_of(reduced.data(), width);
      if (q == width) continue;  // h ∈ W: S and S ∪ {h} cancel
      deliver(basis, counts, false);
      if (q == width - 1) continue;  // W + h ∋ e_0: the hyperplanes of S ∪ {h} do not meet
      make_canonical(reduced.data(), width);
      // W + h in reduced echelon form: h goes in by its pivot, and leaves the other rows zero in column q.
      grown.clear();
      bool placed = false;
      for (std::size_t r = 0; r < rows; ++r) {
        const std::size_t p = pivot_of(basis.data() + r * width, width);
        if (!placed && q < p) {
          grown.insert(grown.end(), reduced.begin(), reduced.end());
          placed = true;
        }
        const std::size_t at = grown.size();
        grown.insert(grown.end(), basis.begin() + static_cast<std::ptrdiff_t>(r * width),
                     basis.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
        if (sgn(grown[at + q]) != 0) {
          detail::eliminate(grown.data() + at, reduced.data(), q, width, nullptr);
          make_canonical(grown.data() + at, width);
        }
      }
      if (!placed) grown.insert(grown.end(), reduced.begin(), reduced.end());
      deliver(grown, counts, true);
    }
    stats.state_updates += states.index.size();
    states = std::move(next);
    closed += now_closed;
    stats.max_states = std::max<std::uint64_t>(stats.max_states, states.index.size());
    if (control.max_states && states.index.size() > *control.max_states)
      throw LimitReached("state limit of " + std::to_string(*control.max_states) + " exceeded by the sweep for χ");
  }
  std::vector<Count> total(n + 1, Count(0));
  for (const auto& [packed, offset] : states.index)
    for (std::size_t r = 0; r <= n; ++r) total[r] += states.counts[offset + r];
  CharacteristicPolynomial chi;
  chi.coefficients.resize(n + 1);
  for (std::size_t r = 0; r <= n; ++r) chi.coefficients[r] = Integer(total[r]);
  return chi;
}

}  // namespace

CharacteristicPolynomial characteristic_polynomial_by_sweep(const Arrangement& arrangement, const RunControl& control,
                                                            SweepStats* stats) {
  SweepStats local;
  SweepStats& s = stats ? *stats : local;
  // |Σ (−1)^{|S|}| over subsets of m hyperplanes is below 2^m: machine integers hold every count when m < 62.
  if (arrangement.size() < 62) return sweep<long>(arrangement, control, s);
  return sweep<Integer>(arrangement, control, s);
}

CharacteristicPolynomial characteristic_polynomial_within(const Arrangement& arrangement, const RunControl& control) {
  try {
    return characteristic_polynomial(arrangement, control);
  } catch (const LimitReached&) {
    if (control.deadline && RunControl::Clock::now() > *control.deadline) throw;
  }
  return characteristic_polynomial_by_sweep(arrangement, control);
}

}  // namespace chamber

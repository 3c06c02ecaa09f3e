// Schreier–Sims after Holt, Eick and O'Brien, Handbook of Computational Group Theory, §4.4.2 (deterministic, with
// explicit transversals: the groups here act on at most a few thousand points and have small basic orbits). The
// canonical image walks the points in increasing order as in Linton, "Finding the smallest image of a set" (ISSAC
// 2004), carrying multiplicities so that the stabiliser's order falls out of the same walk.
#include "arrangement/permutation_group.hpp"

#include "arrangement/errors.hpp"

#include <algorithm>
#include <bit>
#include <numeric>
#include <stdexcept>

namespace chamber {

Permutation identity_permutation(std::size_t degree) {
  Permutation p(degree);
  std::iota(p.begin(), p.end(), 0U);
  return p;
}

Permutation compose(const Permutation& p, const Permutation& q) {
  Permutation r(p.size());
  for (std::size_t x = 0; x < p.size(); ++x) r[x] = q[p[x]];
  return r;
}

Permutation inverse(const Permutation& p) {
  Permutation r(p.size());
  for (std::size_t x = 0; x < p.size(); ++x) r[p[x]] = static_cast<std::uint32_t>(x);
  return r;
}

bool is_permutation(const Permutation& p) {
  std::vector<bool> seen(p.size(), false);
  for (std::uint32_t x : p) {
    if (x >= p.size() || seen[x]) return false;
    seen[x] = true;
  }
  return true;
}

namespace {

bool is_identity(const Permutation& p) {
  for (std::size_t x = 0; x < p.size(); ++x)
    if (p[x] != x) return false;
  return true;
}

bool fixes(const Permutation& p, const std::vector<std::uint32_t>& points, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i)
    if (p[points[i]] != points[i]) return false;
  return true;
}

}  // namespace

StabiliserChain::StabiliserChain(std::size_t degree, const std::vector<Permutation>& generators,
                                 const std::vector<std::uint32_t>& base_prefix)
    : degree_(degree) {
  for (const Permutation& g : generators) {
    if (g.size() != degree) throw std::invalid_argument("StabiliserChain: a generator of the wrong degree");
    if (!is_identity(g)) strong_.push_back(g);
  }
  for (std::uint32_t b : base_prefix)
    if (std::find(base_.begin(), base_.end(), b) == base_.end()) base_.push_back(b);
  for (const Permutation& s : strong_) {
    if (!fixes(s, base_, base_.size())) continue;
    for (std::uint32_t x = 0; x < degree; ++x)
      if (s[x] != x) {
        base_.push_back(x);
        break;
      }
  }
  levels_.resize(base_.size());
  for (std::size_t l = 0; l < levels_.size(); ++l) rebuild_level(l);

  std::size_t i = levels_.size();
  while (i > 0) {
    const std::size_t level = i - 1;
    bool extended = false;
    // Every Schreier generator of this level must sift through the levels below it.
    for (std::size_t o = 0; o < levels_[level].orbit.size() && !extended; ++o) {
      for (std::size_t s = 0; s < levels_[level].generators.size() && !extended; ++s) {
        const Level& lv = levels_[level];
        const std::uint32_t beta = lv.orbit[o];
        const Permutation& gen = lv.generators[s];
        const std::uint32_t image = gen[beta];
        Permutation schreier = compose(compose(lv.transversal[o], gen), lv.inverse[lv.position[image]]);
        if (is_identity(schreier)) continue;
        auto [h, j] = strip(std::move(schreier), level + 1);
        if (j == levels_.size() && is_identity(h)) continue;
        if (j == levels_.size()) {
          for (std::uint32_t x = 0; x < degree_; ++x)
            if (h[x] != x) {
              base_.push_back(x);
              break;
            }
          levels_.emplace_back();
        }
        strong_.push_back(std::move(h));
        for (std::size_t l = level + 1; l <= j; ++l) rebuild_level(l);
        i = j + 1;
        extended = true;
      }
    }
    if (!extended) --i;
  }
}

void StabiliserChain::rebuild_level(std::size_t level) {
  Level& lv = levels_[level];
  lv.generators.clear();
  for (const Permutation& s : strong_)
    if (fixes(s, base_, level)) lv.generators.push_back(s);
  const std::uint32_t b = base_[level];
  lv.orbit.assign(1, b);
  lv.position.assign(degree_, -1);
  lv.position[b] = 0;
  lv.transversal.assign(1, identity_permutation(degree_));
  lv.inverse.assign(1, identity_permutation(degree_));
  for (std::size_t o = 0; o < lv.orbit.size(); ++o) {
    for (const Permutation& s : lv.generators) {
      const std::uint32_t next = s[lv.orbit[o]];
      if (lv.position[next] >= 0) continue;
      lv.position[next] = static_cast<std::int32_t>(lv.orbit.size());
      lv.orbit.push_back(next);
      Permutation u = compose(lv.transversal[o], s);
      lv.inverse.push_back(inverse(u));
      lv.transversal.push_back(std::move(u));
    }
  }
}

std::pair<Permutation, std::size_t> StabiliserChain::strip(Permutation g, std::size_t level) const {
  for (std::size_t l = level; l < levels_.size(); ++l) {
    const std::uint32_t beta = g[base_[l]];
    const std::int32_t pos = levels_[l].position[beta];
    if (pos < 0) return {std::move(g), l};
    g = compose(g, levels_[l].inverse[static_cast<std::size_t>(pos)]);
  }
  return {std::move(g), levels_.size()};
}

Integer StabiliserChain::order() const {
  Integer order = 1;
  for (const Level& lv : levels_) order *= static_cast<unsigned long>(lv.orbit.size());
  return order;
}

const Permutation* StabiliserChain::to_base(std::size_t level, std::uint32_t image) const {
  const std::int32_t pos = levels_[level].position[image];
  return pos < 0 ? nullptr : &levels_[level].inverse[static_cast<std::size_t>(pos)];
}

std::vector<Permutation> StabiliserChain::stabiliser_generators(std::size_t level) const {
  std::vector<Permutation> out;
  for (const Permutation& s : strong_)
    if (fixes(s, base_, level)) out.push_back(s);
  return out;
}

bool StabiliserChain::contains(const Permutation& p) const {
  if (p.size() != degree_) return false;
  auto [h, j] = strip(p, 0);
  return j == levels_.size() && is_identity(h);
}

// ---------------------------------------------------------------------------------------------------------------

SetCanonicaliser::SetCanonicaliser(std::size_t degree, std::vector<Permutation> generators, std::size_t cache_bytes)
    : degree_(degree), words_(std::max<std::size_t>(1, (degree + 63) / 64)), cache_limit_(cache_bytes) {
  StabiliserChain chain(degree, generators);
  ++groups_;
  root_ = std::make_unique<Node>();
  root_->generators = std::move(generators);
  root_->order = chain.order();
  if (!root_->order.fits_slong_p() || root_->order >= Integer("9223372036854775807"))
    throw LimitReached("symmetry group of order " + root_->order.get_str() + " is too large for orbit counting");
  root_->small_order = root_->order.get_ui();
  root_->trivial = root_->order == 1;
}

SetCanonicaliser::Node::Step& SetCanonicaliser::step(Node& node, std::uint32_t point) {
  if (node.steps.empty()) node.steps.resize(degree_);
  if (node.steps[point]) return *node.steps[point];
  auto step = std::make_unique<Node::Step>();
  StabiliserChain chain(degree_, node.generators, {point});
  ++groups_;
  step->orbit = chain.orbit(0);
  step->orbit_bits.assign(words_, 0);
  for (std::uint32_t x : step->orbit) {
    step->orbit_bits[x / 64] |= std::uint64_t{1} << (x % 64);
    step->to_point.push_back(*chain.to_base(0, x));
  }
  if (step->orbit.size() > 1) {
    step->child = std::make_unique<Node>();
    step->child->generators = chain.stabiliser_generators(1);
    step->child->small_order = node.small_order / step->orbit.size();
    step->child->order = Integer(static_cast<unsigned long>(step->child->small_order));
    step->child->trivial = step->child->small_order == 1;
  }
  cache_used_ += (step->orbit.size() + 1) * (degree_ * sizeof(std::uint32_t) + 64) + words_ * sizeof(std::uint64_t);
  cache_used_ += degree_ * sizeof(void*);
  node.steps[point] = std::move(step);
  return *node.steps[point];
}

SetCanonicaliser::Result SetCanonicaliser::canonical(const std::uint64_t* set) {
  if (cache_used_ > cache_limit_) {  // drop every cached stabiliser below the group itself
    std::vector<std::unique_ptr<Node::Step>>().swap(root_->steps);
    cache_used_ = 0;
    ++resets_;
  }
  const std::size_t w = words_;
  std::vector<std::uint64_t> bits(set, set + w), next_bits;
  std::vector<std::uint64_t> mult(1, 1), next_mult;
  std::size_t size = 0;
  for (std::size_t k = 0; k < w; ++k) size += static_cast<std::size_t>(std::popcount(set[k]));
  auto has = [&](const std::vector<std::uint64_t>& b, std::size_t c, std::uint32_t x) {
    return (b[c * w + x / 64] >> (x % 64)) & 1U;
  };
  Node* node = root_.get();
  std::size_t placed = 0;
  std::vector<std::size_t> order;
  for (std::uint32_t j = 0; j < degree_ && !node->trivial && placed < size; ++j) {
    Node::Step& st = step(*node, j);
    const std::size_t count = mult.size();
    if (st.orbit.size() == 1) {  // j is fixed: keep the candidates holding it, if any
      std::size_t kept = 0;
      for (std::size_t c = 0; c < count; ++c)
        if (has(bits, c, j)) {
          if (kept != c) {
            std::copy(bits.begin() + c * w, bits.begin() + (c + 1) * w, bits.begin() + kept * w);
            mult[kept] = mult[c];
          }
          ++kept;
        }
      if (kept > 0) {
        bits.resize(kept * w);
        mult.resize(kept);
        ++placed;
      }
      continue;
    }
    next_bits.clear();
    next_mult.clear();
    for (std::size_t c = 0; c < count; ++c) {
      const std::uint64_t* cand = bits.data() + c * w;
      for (std::size_t o = 0; o < st.orbit.size(); ++o) {
        const std::uint32_t t = st.orbit[o];
        if (!((cand[t / 64] >> (t % 64)) & 1U)) continue;
        const Permutation& g = st.to_point[o];
        const std::size_t at = next_bits.size();
        next_bits.resize(at + w, 0);
        for (std::size_t k = 0; k < w; ++k)
          for (std::uint64_t b = cand[k]; b != 0; b &= b - 1) {
            const std::uint32_t x = g[k * 64 + static_cast<std::size_t>(std::countr_zero(b))];
            next_bits[at + x / 64] |= std::uint64_t{1} << (x % 64);
          }
        next_mult.push_back(mult[c]);
      }
    }
    if (next_mult.empty()) continue;  // no image holds j
    // Merge equal images, adding their multiplicities.
    const std::size_t n = next_mult.size();
    order.resize(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (n > 1)
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::lexicographical_compare(next_bits.begin() + a * w, next_bits.begin() + (a + 1) * w,
                                            next_bits.begin() + b * w, next_bits.begin() + (b + 1) * w);
      });
    bits.clear();
    mult.clear();
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t c = order[i];
      if (i > 0 && std::equal(next_bits.begin() + c * w, next_bits.begin() + (c + 1) * w, bits.end() - w)) {
        mult.back() += next_mult[c];
        continue;
      }
      bits.insert(bits.end(), next_bits.begin() + c * w, next_bits.begin() + (c + 1) * w);
      mult.push_back(next_mult[c]);
    }
    node = st.child.get();
    ++placed;
  }
  // The smallest image: at the lowest point where two sets differ, the one holding it.
  std::size_t best = 0;
  std::uint64_t best_mult = mult[0];
  for (std::size_t c = 1; c < mult.size(); ++c) {
    int cmp = 0;
    for (std::size_t k = 0; k < w && cmp == 0; ++k) {
      const std::uint64_t a = bits[c * w + k], b = bits[best * w + k];
      if (a == b) continue;
      const std::uint64_t low = (a ^ b) & (~(a ^ b) + 1);
      cmp = (a & low) ? -1 : 1;
    }
    if (cmp < 0) {
      best = c;
      best_mult = mult[c];
    } else if (cmp == 0) {
      best_mult += mult[c];
    }
  }
  Result result;
  result.image.assign(bits.begin() + best * w, bits.begin() + (best + 1) * w);
  result.stabiliser = best_mult * node->small_order;
  return result;
}

}  // namespace chamber

#include "arrangement/enumerate.hpp"

#include "arrangement/errors.hpp"

#include <optional>

namespace chamber {

namespace {

/*! a node of the search: sign conditions on hyperplanes 0..depth−1 and a witness strictly inside them. */
struct Node {
  std::size_t depth;
  std::string signs;
  Point witness;
  std::vector<BlockedHyperplane> blocked;
};

std::vector<SignCondition> conditions_of(const std::string& signs) {
  std::vector<SignCondition> conditions;
  conditions.reserve(signs.size() + 1);
  for (std::size_t j = 0; j < signs.size(); ++j) conditions.push_back({j, signs[j] == '+' ? 1 : -1});
  return conditions;
}

}  // namespace

std::pair<Point, Point> push_off(const Arrangement& arrangement, const Point& p, std::size_t hyperplane,
                                 const std::vector<SignCondition>& conditions) {
  // Move x = y/z0 along a_k: the value of row j changes by t·(a_j·a_k). Choose t with
  // t·|a_j·a_k| < (row_j·z) / z0 for every condition j, namely half the smallest ratio.
  const IntegerVector& ak = arrangement[hyperplane].coefficients;
  std::optional<Rational> step;
  for (const SignCondition& c : conditions) {
    const IntegerVector& aj = arrangement[c.hyperplane].coefficients;
    Integer change = 0;
    for (std::size_t i = 1; i < ak.size(); ++i) mpz_addmul(change.get_mpz_t(), aj[i].get_mpz_t(), ak[i].get_mpz_t());
    if (change == 0) continue;
    Integer value = dot(aj, p.coordinates);
    if (c.sign < 0) value = -value;
    Integer scale = abs(change) * p.coordinates[0];
    Rational ratio(value, scale);
    ratio.canonicalize();
    if (!step || ratio < *step) step = ratio;
  }
  Rational t = step ? Rational(*step / 2) : Rational(1);
  t.canonicalize();
  // Homogeneous: z ± t·(0, a_k) = (q z ± p (0, a_k)) / q with t = p/q, q > 0.
  const Integer& num = t.get_num();
  const Integer& den = t.get_den();
  Point plus, minus;
  plus.coordinates.resize(p.coordinates.size());
  minus.coordinates.resize(p.coordinates.size());
  for (std::size_t i = 0; i < p.coordinates.size(); ++i) {
    Integer base = den * p.coordinates[i];
    Integer shift = i == 0 ? Integer(0) : Integer(num * ak[i] * p.coordinates[0]);
    plus.coordinates[i] = base + shift;
    minus.coordinates[i] = base - shift;
  }
  plus.normalize();
  minus.normalize();
  return {std::move(plus), std::move(minus)};
}

RegionEnumerator::RegionEnumerator(const Arrangement& arrangement, EnumerationOptions options)
    : arrangement_(arrangement), options_(std::move(options)), solver_(arrangement, options_.exact_lp) {}

void RegionEnumerator::run(const RegionSink& sink) {
  Point origin;
  origin.coordinates.assign(arrangement_.dimension() + 1, 0);
  origin.coordinates[0] = 1;
  run_in_cell(std::string(), origin, sink);
}

void RegionEnumerator::run_in_cell(const std::string& cell_signs, const Point& witness, const RegionSink& sink) {
  const std::size_t m = arrangement_.size();
  const RunControl& control = options_.control;
  std::vector<Node> stack;
  stack.push_back(Node{cell_signs.size(), cell_signs, witness, {}});
  Region region;
  while (!stack.empty()) {
    Node node = std::move(stack.back());
    stack.pop_back();
    if (node.depth == m) {
      ++stats_.regions;
      if (control.max_regions && stats_.regions > *control.max_regions)
        throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
      region.signs = std::move(node.signs);
      region.witness = std::move(node.witness);
      sink(region, node.blocked);
      control.report([&] {
        return "enumerate: " + std::to_string(stats_.regions) + " regions, " + std::to_string(solver_.solves()) +
               " LPs";
      });
      continue;
    }
    control.check_time("region enumeration");
    const std::size_t k = node.depth;
    const int side = arrangement_[k].side(node.witness);
    if (side == 0) {
      ++stats_.perturbations;
      auto [plus, minus] = push_off(arrangement_, node.witness, k, conditions_of(node.signs));
      Node other{k + 1, node.signs + '-', std::move(minus), node.blocked};
      node.signs += '+';
      node.witness = std::move(plus);
      ++node.depth;
      stack.push_back(std::move(other));
      stack.push_back(std::move(node));
      continue;
    }
    const char held = side > 0 ? '+' : '-';
    const char flipped = side > 0 ? '-' : '+';
    std::vector<SignCondition> conditions = conditions_of(node.signs);
    conditions.push_back({k, -side});
    FeasibilityResult other = solver_.solve(conditions);
    if (other.feasible) {
      stack.push_back(Node{k + 1, node.signs + flipped, std::move(other.witness), node.blocked});
    } else {
      ++stats_.lp_infeasible;
      if (options_.keep_farkas) {
        node.blocked.push_back({k, farkas_.add(std::move(other.farkas))});
      }
    }
    node.signs += held;
    ++node.depth;
    stack.push_back(std::move(node));
  }
  stats_.lp_solves = solver_.solves();
}

}  // namespace chamber

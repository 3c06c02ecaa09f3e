// Measures the two Debian floating-point LP libraries that could propose chamber's strict-feasibility
// LPs: GLPK and CLP, on the LPs an incremental enumeration actually asks. For each region r and
// hyperplane k the LP is "the signs of r on hyperplanes 0..k-1, the opposite sign on k" (the question
// IncEnu asks when it tries to cross hyperplane k below r's prefix). Both libraries get the same
// program as arrangement/float_lp.cpp builds it (maximise t, rows scaled by powers of two), and the
// same verdict rule (t > 1e-9: feasible). The truth comes from chamber's certified solver.
//
//   lp_backends FILE.arr [MAX_LPS]   prints one JSON line per instance.
#include "arrangement/arr_io.hpp"
#include "arrangement/enumerate.hpp"
#include "arrangement/glpk_problem.hpp"

#include <ClpSimplex.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <vector>

using namespace chamber;

namespace {

struct Program {
  std::size_t columns = 0;  // x_1..x_n, t
  std::vector<double> row_lower;
  std::vector<std::vector<std::pair<int, double>>> rows;  // (column, value), 0-based
};

Program build(const Arrangement& arrangement, const std::vector<SignCondition>& conditions) {
  const std::size_t n = arrangement.dimension();
  Program p;
  p.columns = n + 1;
  for (const SignCondition& c : conditions) {
    const IntegerVector& h = arrangement[c.hyperplane].coefficients;
    const long e = glpk::row_exponent(h);
    const double s = c.sign > 0 ? 1.0 : -1.0;
    p.row_lower.push_back(-s * glpk::scaled(h[0], e));
    std::vector<std::pair<int, double>> row;
    for (std::size_t i = 1; i <= n; ++i) {
      const double v = s * glpk::scaled(h[i], e);
      if (v != 0.0) row.emplace_back(static_cast<int>(i - 1), v);
    }
    row.emplace_back(static_cast<int>(n), -1.0);
    p.rows.push_back(std::move(row));
  }
  return p;
}

/*! returns 1 feasible, 0 infeasible, -1 no answer. */
int solve_glpk(const Program& p) {
  glpk::Problem lp = glpk::make_problem();
  glp_set_obj_dir(lp.get(), GLP_MAX);
  glp_add_rows(lp.get(), static_cast<int>(p.rows.size()));
  glp_add_cols(lp.get(), static_cast<int>(p.columns));
  for (std::size_t c = 1; c < p.columns; ++c) glp_set_col_bnds(lp.get(), static_cast<int>(c), GLP_FR, 0.0, 0.0);
  glp_set_col_bnds(lp.get(), static_cast<int>(p.columns), GLP_UP, 0.0, 1.0);
  glp_set_obj_coef(lp.get(), static_cast<int>(p.columns), 1.0);
  std::vector<int> ia{0}, ja{0};
  std::vector<double> values{0.0};
  for (std::size_t r = 0; r < p.rows.size(); ++r) {
    glp_set_row_bnds(lp.get(), static_cast<int>(r + 1), GLP_LO, p.row_lower[r], 0.0);
    for (auto [c, v] : p.rows[r]) {
      ia.push_back(static_cast<int>(r + 1));
      ja.push_back(c + 1);
      values.push_back(v);
    }
  }
  glpk::load_matrix(lp.get(), ia, ja, values);
  const glp_smcp parameters = glpk::quiet_simplex();
  if (glp_simplex(lp.get(), &parameters) != 0 || glp_get_status(lp.get()) != GLP_OPT) return -1;
  return glp_get_obj_val(lp.get()) > 1e-9 ? 1 : 0;
}

/*! returns 1 feasible, 0 infeasible, -1 no answer; `dual` picks CLP's dual simplex, else primal. */
int solve_clp(const Program& p, bool dual) {
  ClpSimplex model;
  model.setLogLevel(0);
  const int rows = static_cast<int>(p.rows.size()), cols = static_cast<int>(p.columns);
  // Column-major copy of the rows.
  std::vector<std::vector<std::pair<int, double>>> by_column(p.columns);
  for (int r = 0; r < rows; ++r)
    for (auto [c, v] : p.rows[r]) by_column[c].emplace_back(r, v);
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value;
  for (const auto& column : by_column) {
    for (auto [r, v] : column) {
      index.push_back(r);
      value.push_back(v);
    }
    start.push_back(static_cast<CoinBigIndex>(index.size()));
  }
  std::vector<double> col_lower(cols, -COIN_DBL_MAX), col_upper(cols, COIN_DBL_MAX), objective(cols, 0.0);
  col_upper[cols - 1] = 1.0;
  objective[cols - 1] = 1.0;
  std::vector<double> row_upper(rows, COIN_DBL_MAX);
  model.loadProblem(cols, rows, start.data(), index.data(), value.data(), col_lower.data(), col_upper.data(),
                    objective.data(), p.row_lower.data(), row_upper.data());
  model.setOptimizationDirection(-1);
  model.setMaximumIterations(10000);
  if (dual) model.dual();
  else model.primal();
  if (model.status() != 0) return -1;
  return model.objectiveValue() > 1e-9 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: lp_backends FILE.arr [MAX_LPS]\n";
    return 2;
  }
  const std::size_t max_lps = argc > 2 ? std::stoul(argv[2]) : 20000;
  ArrFile file = read_arr_file(argv[1]);
  const Arrangement& arrangement = file.arrangement;
  std::vector<std::string> regions;
  RegionEnumerator enumerator(arrangement, EnumerationOptions{});
  enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>&) { regions.push_back(region.signs); });

  // Every region contributes its flips, regions taken evenly until MAX_LPS.
  const std::size_t m = arrangement.size();
  const std::size_t stride = std::max<std::size_t>(1, regions.size() * m / max_lps);
  std::vector<std::vector<SignCondition>> lps;
  for (std::size_t r = 0; r < regions.size(); r += stride)
    for (std::size_t k = 0; k < m; ++k) {
      std::vector<SignCondition> conditions;
      for (std::size_t j = 0; j <= k; ++j) conditions.push_back({j, (regions[r][j] == '+') != (j == k) ? 1 : -1});
      lps.push_back(std::move(conditions));
    }
  StrictFeasibilitySolver truth_solver(arrangement);
  std::vector<int> truth;
  std::vector<Program> programs;
  for (const auto& conditions : lps) {
    truth.push_back(truth_solver.solve(conditions).feasible ? 1 : 0);
    programs.push_back(build(arrangement, conditions));
  }

  nlohmann::json out;
  out["instance"] = file.name;
  out["lps"] = lps.size();
  std::size_t feasible = 0;
  for (int t : truth) feasible += t;
  out["feasible"] = feasible;
  auto measure = [&](const std::string& name, auto&& solve) {
    const auto start = std::chrono::steady_clock::now();
    std::size_t wrong = 0, unanswered = 0;
    for (std::size_t i = 0; i < programs.size(); ++i) {
      const int verdict = solve(programs[i]);
      if (verdict < 0) ++unanswered;
      else if (verdict != truth[i]) ++wrong;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out[name] = {{"us_per_lp", 1e6 * seconds / static_cast<double>(programs.size())},
                 {"wrong_verdicts", wrong},
                 {"no_answer", unanswered}};
  };
  measure("glpk", [](const Program& p) { return solve_glpk(p); });
  measure("clp_dual", [](const Program& p) { return solve_clp(p, true); });
  measure("clp_primal", [](const Program& p) { return solve_clp(p, false); });
  std::cout << out.dump() << std::endl;
  return 0;
}

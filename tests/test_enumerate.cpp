// Region enumeration, the exact LP, boundedness, and generated certificates (accepted, and rejected once tampered).
#include "arrangement/job_tree.hpp"
#include "arrangement/job_wire.hpp"
#include "arrangement/shards.hpp"
#include "verify/sharded_certificate.hpp"
#include "arrangement/errors.hpp"
#include "tests/certify.hpp"
#include "tests/families.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>

using namespace chamber;
using namespace chamber::test;

namespace {

/*! checks that the regions have distinct sign vectors and witnesses strictly inside them. */
void check_regions(const Arrangement& arrangement, const std::vector<Region>& regions) {
  std::set<std::string> seen;
  for (const Region& region : regions) {
    REQUIRE(region.signs.size() == arrangement.size());
    CHECK(seen.insert(region.signs).second);
    for (std::size_t j = 0; j < arrangement.size(); ++j)
      CHECK(arrangement[j].side(region.witness) == (region.signs[j] == '+' ? 1 : -1));
  }
}

}  // namespace

TEST_CASE("small planar arrangements have the right regions", "[enumerate]") {
  struct Case {
    std::vector<Row> rows;
    std::size_t regions, bounded;
  };
  const Case cases[] = {
      {{}, 1, 0},                                        // no hyperplane: the plane
      {{{0, 1, 0}}, 2, 0},                               // one line
      {{{0, 1, 0}, {0, 0, 1}}, 4, 0},                    // two crossing lines
      {{{0, 1, 0}, {-1, 1, 0}, {-2, 1, 0}}, 4, 0},       // three parallel lines
      {{{0, 1, 0}, {0, 0, 1}, {0, 1, 1}}, 6, 0},         // three lines through the origin
      {{{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}}, 7, 1},        // a triangle
      {{{0, 1, 0}, {-1, 1, 0}, {0, 0, 1}, {-1, 0, 1}}, 9, 1},  // a square grid cell
  };
  for (const Case& c : cases) {
    Arrangement arrangement = make_arrangement(2, c.rows);
    Certified result = enumerate_and_check(arrangement, true, true);
    INFO("hyperplanes " << c.rows.size());
    CHECK(result.regions.size() == c.regions);
    CHECK(result.bounded == c.bounded);
    check_regions(arrangement, result.regions);
    CHECK(result.report.valid);
    CHECK(result.report.regions == c.regions);
  }
}

TEST_CASE("a witness on the next hyperplane is pushed off both ways without an LP", "[enumerate]") {
  // Every hyperplane passes through the origin, the first witness.
  Arrangement arrangement = make_arrangement(3, {{0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}, {0, 1, 1, 1}});
  Certified result = enumerate_and_check(arrangement);
  CHECK(result.regions.size() == 14);
  CHECK(result.stats.perturbations > 0);
  check_regions(arrangement, result.regions);
  CHECK(result.report.valid);

  std::vector<SignCondition> conditions{{0, 1}, {1, -1}};
  Point p = Point::from_rationals({Rational(1), Rational(-1), Rational(0)});
  auto [plus, minus] = push_off(arrangement, p, 2, conditions);
  CHECK(arrangement[2].side(plus) == 1);
  CHECK(arrangement[2].side(minus) == -1);
  for (const Point* q : {&plus, &minus}) {
    CHECK(arrangement[0].side(*q) == 1);
    CHECK(arrangement[1].side(*q) == -1);
  }
}

TEST_CASE("the exact LP returns a witness or a verified Farkas certificate", "[enumerate][lp]") {
  // x > 0, y > 0, x + y < 1 is feasible; adding x + y > 2 makes it infeasible.
  Arrangement arrangement = make_arrangement(2, {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}, {-2, 1, 1}});
  StrictFeasibilitySolver solver(arrangement);
  FeasibilityResult feasible = solver.solve({{0, 1}, {1, 1}, {2, -1}});
  REQUIRE(feasible.feasible);
  CHECK(arrangement[0].side(feasible.witness) == 1);
  CHECK(arrangement[1].side(feasible.witness) == 1);
  CHECK(arrangement[2].side(feasible.witness) == -1);

  FeasibilityResult infeasible = solver.solve({{0, 1}, {1, 1}, {2, -1}, {3, 1}});
  REQUIRE_FALSE(infeasible.feasible);
  CHECK(infeasible.farkas.verifies(arrangement));
  // A tampered certificate no longer verifies.
  FarkasCertificate tampered = infeasible.farkas;
  tampered.multipliers.back() += 1;
  CHECK_FALSE(tampered.verifies(arrangement));
  CHECK(solver.solves() == 2);

  // Parallel hyperplanes: x > 0 and x < 0 (the same hyperplane with both signs cannot occur, so use x − 1).
  Arrangement parallel = make_arrangement(1, {{0, 1}, {-1, 1}});
  StrictFeasibilitySolver parallel_solver(parallel);
  FeasibilityResult empty = parallel_solver.solve({{0, -1}, {1, 1}});  // x < 0 and x > 1
  REQUIRE_FALSE(empty.feasible);
  CHECK(empty.farkas.verifies(parallel));
}

TEST_CASE("boundedness follows the recession cone", "[enumerate][bounded][lp-paths]") {
  Arrangement triangle = make_arrangement(2, {{0, 1, 0}, {0, 0, 1}, {-1, 1, 1}});
  for (bool exact_only : {false, true}) {
    BoundednessTester tester(triangle, exact_only);
    CHECK(tester.is_bounded("++-"));
    CHECK_FALSE(tester.is_bounded("+++"));
    CHECK_FALSE(tester.is_bounded("+-+"));
    CHECK_FALSE(tester.is_bounded("---"));
    const BoundednessCounters& paths = tester.counters();
    if (exact_only) {
      CHECK(paths.exact == 4);
    } else {
      // Both sides proven by verified float proposals: a Stiemke vector, then recession directions.
      CHECK(paths.float_bounded == 1);
      CHECK(paths.float_unbounded == 3);
      CHECK(paths.exact == 0);
    }
  }
  // Normals not spanning the plane: nothing is bounded, and no LP is needed.
  Arrangement strips = make_arrangement(2, {{0, 1, 0}, {-1, 1, 0}});
  BoundednessTester strip_tester(strips);
  CHECK_FALSE(strip_tester.is_bounded("-+"));
  CHECK(strip_tester.counters().total() == 0);
  CHECK(normal_rank(strips) == 1);
  // Three lines through (1, 1), not the origin: central, so every region is a cone, again without an LP.
  Arrangement pencil = make_arrangement(2, {{-1, 1, 0}, {-1, 0, 1}, {-2, 1, 1}});
  BoundednessTester pencil_tester(pencil);
  CHECK_FALSE(pencil_tester.is_bounded("+-+"));
  CHECK(pencil_tester.counters().total() == 0);
  CHECK(normal_rank(triangle) == 2);
}

TEST_CASE("bounded regions counted on threads: same count and paths for any thread count", "[enumerate][bounded]") {
  // 9 generic lines in the plane (moment curve): C(8, 2) = 28 bounded regions of 46.
  const Arrangement arrangement = moment_curve(2, 9);
  std::vector<std::string> signs;
  for (const Region& region : enumerate_and_check(arrangement, false).regions) signs.push_back(region.signs);
  REQUIRE(signs.size() == 46);
  // Repeat the list so that it spans several chunks.
  std::vector<std::string> many;
  for (int copy = 0; copy < 50; ++copy) many.insert(many.end(), signs.begin(), signs.end());
  BoundednessCounters one, three, exact;
  CHECK(count_bounded(arrangement, many, false, 1, one) == 50 * 28);
  CHECK(count_bounded(arrangement, many, false, 3, three) == 50 * 28);
  CHECK(count_bounded(arrangement, signs, true, 2, exact) == 28);
  CHECK(one.float_bounded == three.float_bounded);
  CHECK(one.float_unbounded == three.float_unbounded);
  CHECK(one.exact == three.exact);
  CHECK(one.total() == many.size());
  CHECK(exact.exact == signs.size());
}

TEST_CASE("user limits stop the enumeration with LimitReached", "[enumerate]") {
  Arrangement arrangement = resonance(4);
  EnumerationOptions limited;
  limited.control.max_regions = 10;
  RegionEnumerator enumerator(arrangement, limited);
  std::size_t seen = 0;
  CHECK_THROWS_AS(enumerator.run([&](const Region&, const std::vector<BlockedHyperplane>&) { ++seen; }), LimitReached);
  CHECK(seen == 10);

  EnumerationOptions late;
  late.control.deadline = RunControl::Clock::now() - std::chrono::seconds(1);
  RegionEnumerator stopped(arrangement, late);
  CHECK_THROWS_AS(stopped.run([](const Region&, const std::vector<BlockedHyperplane>&) {}), LimitReached);
}

TEST_CASE("generated certificates are rejected once tampered", "[enumerate][certificate]") {
  Arrangement arrangement = threshold(2);  // 14 regions in Q^3
  Certified result = enumerate_and_check(arrangement);
  REQUIRE(result.report.valid);
  REQUIRE(result.report.regions == 14);
  const nlohmann::json original = result.certificate;
  REQUIRE(!original["farkas"].empty());

  auto verdict = [](const nlohmann::json& certificate) { return verify::check_certificate(certificate); };

  SECTION("a missing region") {
    for (std::size_t k = 0; k < original["regions"].size(); ++k) {
      nlohmann::json c = original;
      c["regions"].erase(k);
      c["region_count"] = c["regions"].size();
      verify::CheckReport report = verdict(c);
      CHECK_FALSE(report.valid);
      CHECK_THAT(report.reason, Catch::Matchers::Contains("is not a region"));
    }
  }
  SECTION("a witness outside its region") {
    nlohmann::json c = original;
    c["regions"][3]["witness"] = c["regions"][4]["witness"];
    verify::CheckReport report = verdict(c);
    CHECK_FALSE(report.valid);
    CHECK_THAT(report.reason, Catch::Matchers::Contains("regions[3]: witness violates hyperplane"));
  }
  SECTION("a wrong sign") {
    nlohmann::json c = original;
    std::string signs = c["regions"][5]["signs"];
    signs[1] = signs[1] == '+' ? '-' : '+';
    c["regions"][5]["signs"] = signs;
    CHECK_FALSE(verdict(c).valid);
  }
  SECTION("a duplicate region") {
    nlohmann::json c = original;
    c["regions"].push_back(c["regions"][2]);
    c["region_count"] = c["regions"].size();
    verify::CheckReport report = verdict(c);
    CHECK_FALSE(report.valid);
    CHECK_THAT(report.reason, Catch::Matchers::Contains("have the same sign vector"));
  }
  SECTION("a Farkas vector that does not verify") {
    for (std::size_t f = 0; f < original["farkas"].size(); ++f) {
      nlohmann::json c = original;
      nlohmann::json& multipliers = c["farkas"][f]["multipliers"];
      Integer first(multipliers[0].get<std::string>());
      multipliers[0] = Integer(first + 1).get_str();
      verify::CheckReport report = verdict(c);
      CHECK_FALSE(report.valid);
      CHECK_THAT(report.reason, Catch::Matchers::StartsWith("farkas[" + std::to_string(f) + "]"));
    }
  }
  SECTION("a wrong region count") {
    nlohmann::json c = original;
    c["region_count"] = 15;
    CHECK_FALSE(verdict(c).valid);
  }
  SECTION("a changed hyperplane") {
    nlohmann::json c = original;
    c["arrangement"]["hyperplanes"][0][0] = "1";
    CHECK_FALSE(verdict(c).valid);
  }
}

TEST_CASE("threads: the same regions, order, blocked lists and Farkas pool for any number of threads", "[enumerate]") {
  struct Run {
    std::vector<Region> regions;
    std::vector<std::vector<BlockedHyperplane>> blocked;
    std::vector<std::string> farkas;
    std::uint64_t lp_solves = 0;
  };
  auto run = [](const Arrangement& arrangement, unsigned threads) {
    Run result;
    RegionEnumerator enumerator(arrangement, EnumerationOptions{RunControl{}, true, false, threads});
    enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
      result.regions.push_back(region);
      result.blocked.push_back(blocked);
    });
    for (const FarkasCertificate& f : enumerator.farkas().entries()) {
      std::string text;
      for (std::size_t k = 0; k < f.conditions.size(); ++k)
        text += std::to_string(f.conditions[k].hyperplane) + (f.conditions[k].sign > 0 ? "+" : "-") +
                f.multipliers[k].get_str() + ",";
      result.farkas.push_back(text);
    }
    result.lp_solves = enumerator.stats().lp_solves;
    return result;
  };
  const Arrangement cases[] = {resonance(4), threshold(3), braid(5), shi(3)};
  for (const Arrangement& arrangement : cases) {
    const Run one = run(arrangement, 1);
    for (unsigned threads : {2u, 3u, 8u}) {
      INFO(arrangement.size() << " hyperplanes, " << threads << " threads");
      const Run many = run(arrangement, threads);
      REQUIRE(many.regions.size() == one.regions.size());
      for (std::size_t r = 0; r < one.regions.size(); ++r) {
        CHECK(many.regions[r].signs == one.regions[r].signs);
        CHECK(many.regions[r].witness.coordinates == one.regions[r].witness.coordinates);
        REQUIRE(many.blocked[r].size() == one.blocked[r].size());
        for (std::size_t b = 0; b < one.blocked[r].size(); ++b) {
          CHECK(many.blocked[r][b].hyperplane == one.blocked[r][b].hyperplane);
          CHECK(many.blocked[r][b].farkas == one.blocked[r][b].farkas);
        }
      }
      CHECK(many.farkas == one.farkas);
      CHECK(many.lp_solves == one.lp_solves);
    }
  }
}

TEST_CASE("threads: a region limit and a deadline still stop the run", "[enumerate]") {
  const Arrangement arrangement = resonance(5);
  RunControl limited;
  limited.max_regions = 50;
  RegionEnumerator enumerator(arrangement, EnumerationOptions{limited, false, false, 2});
  CHECK_THROWS_AS(enumerator.run([](const Region&, const std::vector<BlockedHyperplane>&) {}), LimitReached);
  RunControl late;
  late.deadline = RunControl::Clock::now();
  RegionEnumerator timed(arrangement, EnumerationOptions{late, false, false, 2});
  CHECK_THROWS_AS(timed.run([](const Region&, const std::vector<BlockedHyperplane>&) {}), LimitReached);
}

TEST_CASE("jobs: budgeted jobs give the one-process regions in order, and the same pool on any number of threads",
          "[enumerate][jobs]") {
  struct Run {
    std::vector<Region> regions;
    std::vector<std::vector<BlockedHyperplane>> blocked;
    std::vector<FarkasCertificate> farkas;
    std::uint64_t lp_solves = 0;
    std::size_t jobs = 0;
  };
  auto run = [](const Arrangement& arrangement, std::optional<ThreadJobExecutor> executor) {
    Run result;
    if (executor) set_job_executor(&*executor);
    RegionEnumerator enumerator(arrangement, EnumerationOptions{RunControl{}, true, false, 1});
    enumerator.run([&](const Region& region, const std::vector<BlockedHyperplane>& blocked) {
      result.regions.push_back(region);
      result.blocked.push_back(blocked);
    });
    set_job_executor(nullptr);
    result.farkas = enumerator.farkas().entries();
    result.lp_solves = enumerator.stats().lp_solves;
    if (executor) result.jobs = executor->records().size();
    return result;
  };
  auto same_farkas = [](const FarkasCertificate& a, const FarkasCertificate& b) {
    if (a.multipliers != b.multipliers || a.conditions.size() != b.conditions.size()) return false;
    for (std::size_t k = 0; k < a.conditions.size(); ++k)
      if (a.conditions[k].hyperplane != b.conditions[k].hyperplane || a.conditions[k].sign != b.conditions[k].sign)
        return false;
    return true;
  };
  const Arrangement cases[] = {resonance(4), threshold(3), braid(5), shi(3)};
  for (const Arrangement& arrangement : cases) {
    const Run alone = run(arrangement, std::nullopt);
    for (std::uint64_t budget : {3u, 40u, 1000u}) {
      const Run one = run(arrangement, ThreadJobExecutor(1, JobOptions{budget}));
      INFO(arrangement.size() << " hyperplanes, budget " << budget << ", " << one.jobs << " jobs");
      if (budget == 3 && arrangement.size() >= 10) CHECK(one.jobs > 20);
      REQUIRE(one.regions.size() == alone.regions.size());
      for (std::size_t r = 0; r < alone.regions.size(); ++r) {
        CHECK(one.regions[r].signs == alone.regions[r].signs);
        CHECK(one.regions[r].witness.coordinates == alone.regions[r].witness.coordinates);
      }
      for (unsigned threads : {2u, 3u}) {
        INFO(threads << " threads");
        const Run many = run(arrangement, ThreadJobExecutor(threads, JobOptions{budget}));
        REQUIRE(many.regions.size() == one.regions.size());
        for (std::size_t r = 0; r < one.regions.size(); ++r) {
          CHECK(many.regions[r].signs == one.regions[r].signs);
          REQUIRE(many.blocked[r].size() == one.blocked[r].size());
          for (std::size_t b = 0; b < one.blocked[r].size(); ++b) {
            CHECK(many.blocked[r][b].hyperplane == one.blocked[r][b].hyperplane);
            CHECK(many.blocked[r][b].farkas == one.blocked[r][b].farkas);
          }
        }
        REQUIRE(many.farkas.size() == one.farkas.size());
        for (std::size_t f = 0; f < one.farkas.size(); ++f) CHECK(same_farkas(many.farkas[f], one.farkas[f]));
        CHECK(many.lp_solves == one.lp_solves);
        CHECK(many.jobs == one.jobs);
      }
    }
  }
}

TEST_CASE("jobs: the certificate of a run in budgeted jobs checks; a region limit stops it", "[enumerate][jobs]") {
  for (std::uint64_t budget : {5u, 200u}) {
    ThreadJobExecutor executor(2, JobOptions{budget});
    set_job_executor(&executor);
    const test::Certified found = test::enumerate_and_check(resonance(4));
    set_job_executor(nullptr);
    INFO("budget " << budget << ": " << found.report.reason);
    CHECK(found.report.valid);
    CHECK(found.regions.size() == 370);
    CHECK(executor.records().size() > 1);
  }
  RunControl limited;
  limited.max_regions = 50;
  ThreadJobExecutor executor(2, JobOptions{10});
  set_job_executor(&executor);
  const Arrangement arrangement = resonance(5);
  RegionEnumerator enumerator(arrangement, EnumerationOptions{limited, false, false, 1});
  CHECK_THROWS_AS(enumerator.run([](const Region&, const std::vector<BlockedHyperplane>&) {}), LimitReached);
  RegionEnumerator counter(arrangement, EnumerationOptions{limited, false, false, 1});
  CHECK_THROWS_AS(counter.run(nullptr), LimitReached);  // counting only: the jobs' counts, added up
  set_job_executor(nullptr);
}

TEST_CASE("jobs: counting only (no sink) gives the count and LPs of the full run", "[enumerate][jobs]") {
  for (const Arrangement& arrangement : {resonance(4), threshold(3), shi(3)}) {
    for (std::uint64_t budget : {3u, 200u}) {
      ThreadJobExecutor executor(2, JobOptions{budget});
      set_job_executor(&executor);
      RegionEnumerator listed(arrangement, EnumerationOptions{RunControl{}, false, false, 1});
      std::uint64_t regions = 0;
      listed.run([&](const Region&, const std::vector<BlockedHyperplane>&) { ++regions; });
      RegionEnumerator counted(arrangement, EnumerationOptions{RunControl{}, false, false, 1});
      counted.run(nullptr);
      set_job_executor(nullptr);
      INFO(arrangement.size() << " hyperplanes, budget " << budget);
      CHECK(counted.stats().regions == regions);
      CHECK(counted.stats().lp_solves == listed.stats().lp_solves);
      CHECK(counted.stats().lp_infeasible == listed.stats().lp_infeasible);
      // without an executor too
      RegionEnumerator alone(arrangement, EnumerationOptions{RunControl{}, false, false, 1});
      alone.run(nullptr);
      CHECK(alone.stats().regions == regions);
    }
  }
}

TEST_CASE("jobs: a count stopped by a limit and resumed from its checkpoints counts each region once, with the LPs "
          "of an uninterrupted run", "[enumerate][jobs][checkpoint]") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("chamber-count-checkpoint-" + std::to_string(::getpid()) + ".json"))
                               .string();
  for (const Arrangement& arrangement : {resonance(4), braid(5)}) {  // (≥ 10 hyperplanes: RegionEnumerator splits)
    for (std::uint64_t budget : {3u, 50u}) {
      INFO(arrangement.size() << " hyperplanes, budget " << budget);
      ThreadJobExecutor one(1, JobOptions{budget});
      const JobCount whole = count_in_jobs(arrangement, one, false, RunControl{});
      // The count of RegionEnumerator's jobs (chamber-mpi count without checkpoints): the same tree, the same LPs.
      set_job_executor(&one);
      RegionEnumerator counted(arrangement, EnumerationOptions{RunControl{}, false, false, 1});
      counted.run(nullptr);
      set_job_executor(nullptr);
      CHECK(whole.regions == counted.stats().regions);
      CHECK(whole.lp_solves == counted.stats().lp_solves);
      CHECK(whole.jobs > 1);
      // Stopped at a third and at two thirds of the regions, then resumed to the end, on 2 threads.
      std::filesystem::remove(path);
      RunCheckpoints checkpoints{path, 1e-9, ""};
      ThreadJobExecutor two(2, JobOptions{budget});
      RunControl limited;
      limited.max_regions = whole.regions / 3;
      CHECK_THROWS_AS(count_in_jobs(arrangement, two, false, limited, checkpoints), LimitReached);
      REQUIRE(std::filesystem::exists(path));
      const std::string resumed = path + ".resumed";
      std::filesystem::copy_file(path, resumed, std::filesystem::copy_options::overwrite_existing);
      limited.max_regions = 2 * whole.regions / 3;
      try {  // (its checkpoint may hold enough finished jobs to pass the limit)
        count_in_jobs(arrangement, two, false, limited, RunCheckpoints{path, 1e-9, resumed});
      } catch (const LimitReached&) {
      }
      std::filesystem::copy_file(path, resumed, std::filesystem::copy_options::overwrite_existing);
      ThreadJobExecutor other_budget(2, JobOptions{budget + 1});  // the checkpoint's budget applies
      const JobCount end = count_in_jobs(arrangement, other_budget, false, RunControl{}, RunCheckpoints{"", 1, resumed});
      CHECK(end.regions == whole.regions);
      CHECK(end.lp_solves == whole.lp_solves);
      CHECK(end.resumed_jobs + end.jobs == whole.jobs);
      CHECK(end.resumed_regions > 0);
      CHECK(end.job_budget == budget);
      std::filesystem::remove(resumed);
    }
  }
  // Checkpoints that are not this run's: another arrangement, another kind, a job whose witness is outside its cell.
  ThreadJobExecutor executor(1, JobOptions{5});
  RunControl stopped;
  stopped.max_regions = 1;
  CHECK_THROWS_AS(count_in_jobs(resonance(4), executor, false, stopped, RunCheckpoints{path, 1e-9, ""}), LimitReached);
  CHECK_THROWS_AS(count_in_jobs(threshold(3), executor, false, RunControl{}, RunCheckpoints{"", 1, path}), InputError);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto resume_from = [&](const std::string& changed) {
    std::ofstream(path + ".bad") << changed;
    return [&] { count_in_jobs(resonance(4), executor, false, RunControl{}, RunCheckpoints{"", 1, path + ".bad"}); };
  };
  std::string kind = text;
  kind.replace(kind.find("chamber-count-checkpoint"), 24, "chamber-shards-checkpoint");
  CHECK_THROWS_AS(resume_from(kind)(), InputError);
  // Pending jobs of its own after the checkpoint's head (the run may have finished every job before its checkpoint).
  const std::string head = text.substr(0, text.find("\"pending\": [") + 12);
  auto pending = [&](const std::string& depth, const std::string& signs, const std::string& first) {
    return head + "\n  {\"path\": [], \"job\": {\"depth\": " + depth + ", \"signs\": \"" + signs +
           "\", \"witness\": [\"" + first + "\", \"1\", \"2\", \"3\", \"5\"], \"blocked\": [], \"memo\": []}}\n]}\n";
  };
  CHECK_NOTHROW(resume_from(pending("0", "", "1"))());
  CHECK_THROWS_AS(resume_from(pending("0", "", "-1"))(), InputError);  // a negative homogenizing coordinate
  CHECK_THROWS_AS(resume_from(pending("1", "-", "1"))(), InputError);  // x1 < 0 is false at (1, 2, 3, 5)
  CHECK_THROWS_AS(resume_from(pending("99", std::string(99, '+'), "1"))(), InputError);  // deeper than the hyperplanes
  CHECK_THROWS_AS(resume_from(text.substr(0, text.size() / 2))(), InputError);
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".bad");
}

TEST_CASE("job wire: jobs and results round-trip exactly; malformed bytes are an InternalError", "[enumerate][jobs]") {
  FrontierJob job;
  job.depth = 7;
  job.signs = "+-+-+--";
  job.witness.coordinates = {Integer(1), Integer(0), Integer("-123456789012345678901234567890"), Integer(255),
                             Integer(-256)};
  job.blocked = {{3, 0, 0}, {5, 300, 2}};
  job.memo = {InheritedFarkas{FarkasCertificate{{{0, 1}, {4, -1}, {130, 1}}, {}}, 1, 17},
              InheritedFarkas{FarkasCertificate{{}, {}}, 3, 0}};
  auto same_job = [](const FrontierJob& a, const FrontierJob& b) {
    CHECK(a.depth == b.depth);
    CHECK(a.signs == b.signs);
    CHECK(a.witness.coordinates == b.witness.coordinates);
    REQUIRE(a.blocked.size() == b.blocked.size());
    for (std::size_t k = 0; k < a.blocked.size(); ++k) {
      CHECK(a.blocked[k].hyperplane == b.blocked[k].hyperplane);
      CHECK(a.blocked[k].farkas == b.blocked[k].farkas);
      CHECK(a.blocked[k].up == b.blocked[k].up);
    }
    REQUIRE(a.memo.size() == b.memo.size());
    for (std::size_t k = 0; k < a.memo.size(); ++k) {
      CHECK(a.memo[k].up == b.memo[k].up);
      CHECK(a.memo[k].farkas == b.memo[k].farkas);
      REQUIRE(a.memo[k].conditions.conditions.size() == b.memo[k].conditions.conditions.size());
      for (std::size_t c = 0; c < a.memo[k].conditions.conditions.size(); ++c) {
        CHECK(a.memo[k].conditions.conditions[c].hyperplane == b.memo[k].conditions.conditions[c].hyperplane);
        CHECK(a.memo[k].conditions.conditions[c].sign == b.memo[k].conditions.conditions[c].sign);
      }
    }
  };
  same_job(decode_job(encode_job(job)), job);

  SubtreeResult result;
  result.leaves = {job, FrontierJob{}};
  result.children = {job};
  result.farkas = {FarkasCertificate{{{1, -1}, {2, 1}}, {Integer(3), Integer("98765432109876543210")}}};
  result.stats = EnumerationStats{11, 12, 13, 14, 15, 16};
  result.solves = 99;
  result.nodes = 1u << 20;
  result.counters.float_witness = 4;
  result.counters.float_farkas = 5;
  result.counters.exact = 6;
  result.shard = ShardInfo{"r-000001", 7, 2, 1, 4096, 1, 99, std::string(64, 'a')};
  std::string bytes = encode_result(12345, 0, result);
  set_result_seconds(bytes, 0.25);
  const WireResult wire = decode_result(bytes);
  CHECK(wire.id == 12345);
  CHECK(wire.seconds == 0.25);
  CHECK(wire.result.nodes == result.nodes);
  CHECK(wire.result.solves == 99);
  CHECK(wire.result.stats.regions == 11);
  CHECK(wire.result.stats.lp_reused == 16);
  CHECK(wire.result.counters.exact == 6);
  REQUIRE(wire.result.shard);
  CHECK(wire.result.shard->name == "r-000001");
  CHECK(wire.result.shard->bytes == 4096);
  CHECK(wire.result.shard->sha256 == result.shard->sha256);
  REQUIRE(wire.result.leaves.size() == 2);
  same_job(wire.result.leaves[0], job);
  same_job(wire.result.leaves[1], FrontierJob{});
  REQUIRE(wire.result.farkas.size() == 1);
  CHECK(wire.result.farkas[0].multipliers == result.farkas[0].multipliers);
  CHECK(wire.result.farkas[0].conditions[0].sign == -1);
  CHECK(wire.result.children.empty());
  REQUIRE(wire.children.size() == 1);
  CHECK(wire.children[0].depth == 7);
  const JobMessage message =
      decode_job_message(encode_job_message(3, JobInfo{"r-000002", 4, 7, 0, 1}, wire.children[0]));
  CHECK(message.batch == 3);
  CHECK(message.id == 4);
  CHECK(message.name == "r-000002");
  CHECK(message.level == 1);
  same_job(message.job, job);

  // Every truncation, and a trailing byte, is refused.
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) CHECK_THROWS_AS(decode_result(bytes.substr(0, cut)), InternalError);
  CHECK_THROWS_AS(decode_result(bytes + '\0'), InternalError);
  CHECK_THROWS_AS(decode_job(std::string(12, '\xff')), InternalError);
}

TEST_CASE("shards: jobs write a sharded certificate the checker accepts, the same for any number of threads (search "
          "and completion)",
          "[enumerate][jobs][shards]") {
  const Arrangement arrangement = resonance(4);
  const std::filesystem::path base = std::filesystem::temp_directory_path() /
                                     ("chamber-shards-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  std::string manifests[2];
  for (unsigned threads : {1u, 3u}) {
    const std::string dir = (base / std::to_string(threads)).string();
    ThreadJobExecutor executor(threads, JobOptions{20});
    const ShardedEnumeration run = enumerate_to_shards(arrangement, dir, executor, false, RunControl{}, {}, threads);
    CHECK(run.regions == 370);
    CHECK(run.shards.size() > 10);
    verify::set_shard_check_threads(threads);
    const verify::CheckReport report = verify::check_certificate_file(dir + "/manifest.json");
    verify::set_shard_check_threads(1);
    INFO(report.reason);
    CHECK(report.valid);
    CHECK(report.regions == 370);
    std::ifstream in(dir + "/manifest.json");
    manifests[threads == 1 ? 0 : 1].assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    CHECK_THROWS_AS(enumerate_to_shards(arrangement, dir, executor, false, RunControl{}), InputError);
  }
  CHECK(manifests[0] == manifests[1]);
  std::filesystem::remove_all(base);
}

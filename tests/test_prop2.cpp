#include "cnn/prop2.hpp"
#include "cnn/verdict.hpp"
#include "cnn/random_network.hpp"
#include "arrangement/lattice.hpp"
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
using namespace chamber;

static Integer zaslavsky(const Network& n) { return characteristic_polynomial(first_layer_arrangement(n).arrangement).regions(); }

static double secs(std::chrono::steady_clock::time_point t) { return std::chrono::duration<double>(std::chrono::steady_clock::now()-t).count(); }

TEST_CASE("scratch", "[scratch]") {
  auto t0 = std::chrono::steady_clock::now();
  Network net = read_network_file(std::string(CHAMBER_TEST_DATA) + "/networks/cnn_3x3x1_f2x2_s1_c2.json");
  Integer exact = zaslavsky(net);
  Eq4Verdict v = judge_eq4(net, exact);
  std::cout << to_json(v).dump(1) << "\n" << secs(t0) << " s\n";
  struct Case { InputShape in; ConvSpec conv; };
  for (Case c : {Case{{1,1,7},{3,1,3,1,1}}, Case{{2,3,3},{2,2,2,1,1}}, Case{{2,3,3},{3,2,2,1,1}}, Case{{1,4,4},{2,2,2,1,1}}, Case{{1,3,4},{2,2,2,1,1}}, Case{{1,4,4},{3,2,2,1,1}}, Case{{1,5,5},{2,3,3,1,1}}, Case{{2,4,4},{3,2,2,1,1}}, Case{{1,1,9},{3,1,3,1,1}}}) {
    t0 = std::chrono::steady_clock::now();
    Network r = random_conv_layer(c.in, c.conv, 7, 1000000);
    Prop2Report rep = check_prop2(r);
    double t1 = secs(t0);
    t0 = std::chrono::steady_clock::now();
    StructuralSearch s = find_structural_dependency(c.in, c.conv);
    double t2 = secs(t0);
    std::cout << c.in.channels << "x" << c.in.height << "x" << c.in.width << " f" << c.conv.filters << " k" << c.conv.kernel_h << "x" << c.conv.kernel_w
              << " eq4=" << eq4(c.in, c.conv) << " i=" << (rep.condition_i ? (*rep.condition_i ? "T" : "F") : "?")
              << " ii=" << (rep.condition_ii ? (*rep.condition_ii ? "T" : "F") : "?") << " examined " << rep.subsets_examined_i << "+" << rep.subsets_examined_ii << " in " << t1 << " s; structural "
              << (s.dependency ? "yes deg " + std::to_string(s.dependency->degree) + " size " + std::to_string(s.dependency->neurons.size()) : std::string("no"))
              << (s.random_violation ? " rv " + std::to_string(s.random_violation->neurons.size()) : std::string()) << " in " << t2 << " s\n";
    if (s.dependency) { for (auto& t : s.dependency->coefficient_texts) std::cout << "   " << t << "\n"; }
  }
}

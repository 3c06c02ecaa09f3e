// Closed forms and bounds: the paper's tables, hand cases, and a brute-force oracle for eq. (4).
#include "cnn/formulas.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <vector>

using namespace chamber;

namespace {

/*! returns C(n, k) by the multiplicative formula (independent of the library's GMP binomial). */
Integer choose(std::size_t n, std::size_t k) {
  if (k > n) return 0;
  Integer r = 1;
  for (std::size_t i = 1; i <= k; ++i) {
    r *= static_cast<unsigned long>(n - k + i);
    r /= static_cast<unsigned long>(i);
  }
  return r;
}

/*! returns eq. (4) by its definition: every t in the box, Hall condition tested on all 2^P subsets. */
Integer eq4_brute_force(const Shape& in, const ConvSpec& conv) {
  const std::size_t out_h = (in.height - conv.kernel_h) / conv.stride_h + 1;
  const std::size_t out_w = (in.width - conv.kernel_w) / conv.stride_w + 1;
  const std::size_t positions = out_h * out_w;
  const std::size_t inputs = in.channels * in.height * in.width;
  // receptive fields as bitmasks over input coordinates (at most 64 inputs here)
  std::vector<unsigned long long> field(positions, 0);
  for (std::size_t i = 0; i < out_h; ++i)
    for (std::size_t j = 0; j < out_w; ++j)
      for (std::size_t c = 0; c < in.channels; ++c)
        for (std::size_t a = 0; a < conv.kernel_h; ++a)
          for (std::size_t b = 0; b < conv.kernel_w; ++b)
            field[i * out_w + j] |= 1ULL << ((c * in.height + i * conv.stride_h + a) * in.width +
                                             j * conv.stride_w + b);
  REQUIRE(inputs <= 64);
  std::vector<std::size_t> union_size(std::size_t{1} << positions, 0);
  for (std::size_t mask = 0; mask < union_size.size(); ++mask) {
    unsigned long long u = 0;
    for (std::size_t p = 0; p < positions; ++p)
      if (mask >> p & 1) u |= field[p];
    union_size[mask] = static_cast<std::size_t>(__builtin_popcountll(u));
  }
  const std::size_t top = std::min(conv.filters, conv.kernel_h * conv.kernel_w * in.channels);
  std::vector<std::size_t> t(positions, 0);
  Integer sum = 0;
  while (true) {
    bool hall = true;
    for (std::size_t mask = 1; mask < union_size.size() && hall; ++mask) {
      std::size_t s = 0;
      for (std::size_t p = 0; p < positions; ++p)
        if (mask >> p & 1) s += t[p];
      hall = s <= union_size[mask];
    }
    if (hall) {
      Integer product = 1;
      for (std::size_t x : t) product *= choose(conv.filters, x);
      sum += product;
    }
    std::size_t p = 0;
    while (p < positions && t[p] == top) t[p++] = 0;
    if (p == positions) break;
    ++t[p];
  }
  return sum;
}

ConvSpec conv(std::size_t filters, std::size_t kh, std::size_t kw, std::size_t stride = 1) {
  return ConvSpec{filters, kh, kw, stride, stride};
}

}  // namespace

TEST_CASE("Lemma 1 output shapes", "[formulas]") {
  const Shape out = conv_output(Shape{3, 32, 28}, conv(16, 5, 3, 2));
  CHECK(out.channels == 16);
  CHECK(out.height == 14);
  CHECK(out.width == 13);
  const Shape same = conv_output(Shape{1, 4, 4}, conv(2, 4, 4));
  CHECK(same.height == 1);
  CHECK(same.width == 1);
  const Shape rect = conv_output(Shape{1, 7, 9}, ConvSpec{1, 2, 3, 3, 2});
  CHECK(rect.height == 2);
  CHECK(rect.width == 4);
}

TEST_CASE("invalid layers throw", "[formulas]") {
  CHECK_THROWS_AS(conv_output(Shape{1, 3, 3}, conv(2, 4, 2)), std::invalid_argument);
  CHECK_THROWS_AS(conv_output(Shape{1, 3, 3}, conv(2, 2, 4)), std::invalid_argument);
  CHECK_THROWS_AS(conv_output(Shape{1, 3, 3}, conv(2, 2, 2, 0)), std::invalid_argument);
  CHECK_THROWS_AS(conv_output(Shape{1, 3, 3}, ConvSpec{2, 2, 2, 1, 0}), std::invalid_argument);
  CHECK_THROWS_AS(eq4(Shape{1, 1, 3}, conv(2, 1, 4)), std::invalid_argument);
  CHECK_THROWS_AS(eq4(Shape{1, 1, 3}, conv(2, 1, 2, 0)), std::invalid_argument);
  CHECK_THROWS_AS(in_KN(Shape{1, 3, 3}, conv(2, 2, 2), {1, 1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(receptive_field(Shape{1, 3, 3}, conv(2, 2, 2), 2, 0), std::invalid_argument);
  CHECK_THROWS_AS(theorem5_lower(Shape{1, 1, 4}, {}), std::invalid_argument);
  CHECK_THROWS_AS(theorem5_upper(Shape{1, 1, 4}, {conv(2, 1, 2), conv(2, 1, 4)}), std::invalid_argument);
  CHECK_THROWS_AS(serra_upper(3, {}), std::invalid_argument);
  CHECK_THROWS_AS(montufar_lower(3, {}), std::invalid_argument);
}

TEST_CASE("Lemma 2 and Theorem 1", "[formulas]") {
  CHECK(lemma2(0) == 1);
  CHECK(lemma2(10) == 1024);
  CHECK(lemma2(100) == Integer("1267650600228229401496703205376"));
  const std::vector<unsigned> theorem1_row{4, 15, 42, 93, 176, 299, 470, 697};
  for (std::size_t d1 = 1; d1 <= 8; ++d1) {
    CHECK(lemma2(2 * d1) == Integer(1UL << (2 * d1)));
    CHECK(theorem1(3, 2 * d1) == theorem1_row[d1 - 1]);
  }
  CHECK(theorem1(5, 3) == 8);  // n1 ≤ n0: all 2^n1 patterns
  CHECK(theorem1(0, 7) == 1);
  CHECK(theorem1(2, 4) == 11);
}

TEST_CASE("receptive fields are sorted CHW indices", "[formulas]") {
  CHECK(receptive_field(Shape{1, 3, 3}, conv(2, 2, 2), 1, 1) == std::vector<std::size_t>{4, 5, 7, 8});
  CHECK(receptive_field(Shape{2, 3, 3}, conv(2, 2, 2), 0, 1) ==
        std::vector<std::size_t>{1, 2, 4, 5, 10, 11, 13, 14});
  CHECK(receptive_field(Shape{1, 4, 4}, conv(3, 2, 2, 2), 1, 0) == std::vector<std::size_t>{8, 9, 12, 13});
  CHECK(receptive_field(Shape{1, 8, 1}, conv(3, 3, 1), 5, 0) == std::vector<std::size_t>{5, 6, 7});
}

TEST_CASE("K_N membership by max-flow", "[formulas]") {
  const Shape in{1, 3, 3};
  const ConvSpec c = conv(4, 2, 2);
  CHECK(in_KN(in, c, {0, 0, 0, 0}));
  CHECK(in_KN(in, c, {4, 0, 0, 0}));
  CHECK(in_KN(in, c, {4, 2, 2, 1}));          // 9 = |union| of all four fields
  CHECK_FALSE(in_KN(in, c, {4, 4, 4, 4}));    // 16 > 9 on the union
  CHECK_FALSE(in_KN(in, c, {4, 4, 0, 0}));    // fields (0,0),(0,1) cover 6 inputs
  CHECK(in_KN(in, c, {3, 3, 0, 0}));
  CHECK_FALSE(in_KN(in, c, {4, 3, 2, 1}));    // 10 > 9
  CHECK_FALSE(in_KN(in, c, {5, 0, 0, 0}));    // more than |S_00| = 4
  // 1-D, input 3, kernel 2: fields {0,1}, {1,2}
  CHECK(in_KN(Shape{1, 1, 3}, conv(3, 1, 2), {2, 1}));
  CHECK_FALSE(in_KN(Shape{1, 1, 3}, conv(3, 1, 2), {2, 2}));
  // two channels double every field
  CHECK(in_KN(Shape{2, 3, 3}, conv(8, 2, 2), {8, 4, 4, 2}));
  CHECK_FALSE(in_KN(Shape{2, 3, 3}, conv(8, 2, 2), {8, 4, 4, 3}));
}

TEST_CASE("eq. (4) reproduces the reference numbers", "[formulas]") {
  CHECK(eq4(Shape{1, 3, 3}, conv(2, 2, 2)) == 256);
  CHECK(eq4(Shape{1, 3, 3}, conv(3, 2, 2)) == 4013);
  CHECK(eq4(Shape{1, 3, 4}, conv(2, 2, 2)) == 4096);
  CHECK(eq4(Shape{1, 4, 4}, conv(3, 2, 2, 2)) == 4096);
  CHECK(eq4(Shape{2, 3, 3}, conv(2, 2, 2)) == 256);
  CHECK(eq4(Shape{1, 8, 1}, conv(3, 3, 1)) == 82237);
  CHECK(eq4(Shape{1, 1, 8}, conv(3, 1, 3)) == 82237);  // transposed: same count
  CHECK(eq4(Shape{1, 1, 7}, conv(3, 1, 3)) == 13812);
  // Table 1 / Example 1: (1 + d1)(1 + d1^2)
  const std::vector<unsigned> table1{4, 15, 40, 85, 156, 259, 400, 585};
  for (std::size_t d1 = 1; d1 <= 8; ++d1) {
    CHECK(eq4(Shape{1, 1, 3}, conv(d1, 1, 2)) == table1[d1 - 1]);
    CHECK(eq4(Shape{1, 1, 3}, conv(d1, 1, 2)) == Integer((1 + d1) * (1 + d1 * d1)));
  }
  // one position: a single fully connected layer over its field
  CHECK(eq4(Shape{2, 2, 2}, conv(11, 2, 2)) == theorem1(8, 11));
  // disjoint fields (stride = kernel): product of Theorem 1 per position
  CHECK(eq4(Shape{1, 2, 6}, conv(5, 2, 2, 2)) == theorem1(4, 5) * theorem1(4, 5) * theorem1(4, 5));
}

TEST_CASE("eq. (4) agrees with the 2^positions subset definition of K_N", "[formulas]") {
  struct Case {
    Shape in;
    ConvSpec c;
  };
  const std::vector<Case> cases{
      {{1, 3, 3}, conv(2, 2, 2)}, {{1, 3, 3}, conv(3, 2, 2)},      {{1, 3, 4}, conv(2, 2, 2)},
      {{2, 3, 3}, conv(3, 2, 2)}, {{1, 1, 7}, conv(3, 1, 3)},      {{1, 1, 6}, conv(4, 1, 2)},
      {{1, 4, 4}, conv(2, 2, 2)}, {{1, 5, 5}, conv(2, 3, 3, 2)},   {{1, 4, 5}, ConvSpec{2, 2, 3, 1, 2}},
      {{1, 1, 5}, conv(5, 1, 3, 1)}, {{3, 2, 3}, conv(4, 2, 2)},   {{1, 4, 4}, conv(6, 3, 3)},
  };
  for (const Case& k : cases) {
    INFO("input " << k.in.channels << "x" << k.in.height << "x" << k.in.width << ", kernel " << k.c.kernel_h
                  << "x" << k.c.kernel_w << ", filters " << k.c.filters);
    CHECK(eq4(k.in, k.c) == eq4_brute_force(k.in, k.c));
  }
}

TEST_CASE("Theorem 5 bounds reproduce Table 2", "[formulas]") {
  const Shape in{1, 1, 4};
  CHECK(eq4(in, conv(2, 1, 2)) == 55);  // N'' of Example 4
  const std::vector<unsigned> lower{32, 120, 320, 680, 1248, 2072, 3200, 4680};
  const std::vector<unsigned> upper{220, 880, 3135, 8965, 21230, 43670, 80905, 138435};
  for (std::size_t d2 = 1; d2 <= 8; ++d2) {
    const std::vector<ConvSpec> layers{conv(2, 1, 2), conv(d2, 1, 2)};
    CHECK(theorem5_lower(in, layers) == lower[d2 - 1]);
    CHECK(theorem5_lower(in, layers) == Integer(8 * (1 + d2) * (1 + d2 * d2)));
    CHECK(theorem5_upper(in, layers) == upper[d2 - 1]);
    CHECK(theorem5_upper(in, layers) == 55 * theorem1(4, 2 * d2));
    CHECK(theorem5_lower(in, layers) <= theorem5_upper(in, layers));
  }
  // one layer: both bounds are eq. (4)
  CHECK(theorem5_lower(Shape{1, 3, 3}, {conv(3, 2, 2)}) == 4013);
  CHECK(theorem5_upper(Shape{1, 3, 3}, {conv(3, 2, 2)}) == 4013);
  // floor(d_l / d0) with two input channels: floor(5/2)^(n_1 positions · d0) = 2^(2·2)
  const std::vector<ConvSpec> two{conv(5, 1, 2), conv(2, 1, 2)};
  CHECK(theorem5_lower(Shape{2, 1, 3}, two) == eq4(Shape{2, 1, 2}, conv(2, 1, 2)) * 16);
}

TEST_CASE("Theorem 4 merges two linear conv layers", "[formulas]") {
  const ConvSpec m = theorem4_merge(conv(4, 2, 2), conv(3, 2, 2));
  CHECK(m.filters == 3);
  CHECK(m.kernel_h == 3);
  CHECK(m.kernel_w == 3);
  CHECK(m.stride_h == 1);
  const ConvSpec s = theorem4_merge(ConvSpec{4, 2, 3, 2, 1}, ConvSpec{3, 3, 2, 2, 3});
  CHECK(s.kernel_h == 6);
  CHECK(s.kernel_w == 4);
  CHECK(s.stride_h == 4);
  CHECK(s.stride_w == 3);
  // the merged layer has the shape of the two layers in sequence
  const Shape in{1, 13, 11};
  const Shape chained = conv_output(conv_output(in, ConvSpec{4, 2, 3, 2, 1}), ConvSpec{3, 3, 2, 2, 3});
  const Shape merged = conv_output(in, s);
  CHECK(chained.height == merged.height);
  CHECK(chained.width == merged.width);
}

TEST_CASE("fully connected bounds: Montúfar and Serra", "[formulas]") {
  // one hidden layer: both equal Theorem 1
  CHECK(serra_upper(3, {6}) == theorem1(3, 6));
  CHECK(montufar_lower(3, {6}) == theorem1(3, 6));
  CHECK(serra_upper(5, {3}) == 8);
  // n0 = 1: Serra's bound is Π (n_l + 1); Montúfar's is Π n_i · (n_L + 1)
  CHECK(serra_upper(1, {3, 4}) == 20);
  CHECK(montufar_lower(1, {3, 4}) == 15);
  // n0 = 2, widths 2, 2: j_1 ≤ 2, j_2 ≤ min(2, 2 − j_1): 1·(1+2+1) + 2·(1+2) + 1·1 = 11
  CHECK(serra_upper(2, {2, 2}) == 11);
  CHECK(montufar_lower(2, {4, 4, 3}) == Integer(4 * 4 * 7));
  const std::vector<std::pair<std::size_t, std::vector<std::size_t>>> nets{
      {2, {4, 4}}, {3, {6, 6, 6}}, {4, {8, 3, 8}}, {2, {10, 10, 10, 10}}, {5, {5, 5}}, {3, {2, 9}}};
  for (const auto& [n0, widths] : nets) {
    CHECK(serra_upper(n0, widths) >= montufar_lower(n0, widths));
    std::size_t neurons = 0;
    for (std::size_t n : widths) neurons += n;
    CHECK(serra_upper(n0, widths) <= lemma2(neurons));
  }
}

TEST_CASE("parameter counts", "[formulas]") {
  // Example 4: 2·(1·2·1 + 1) + d2·(1·2·2 + 1)
  for (std::size_t d2 = 1; d2 <= 8; ++d2)
    CHECK(cnn_parameters(Shape{1, 1, 4}, {conv(2, 1, 2), conv(d2, 1, 2)}) == Integer(6 + 5 * d2));
  CHECK(cnn_parameters(Shape{3, 32, 32}, {conv(16, 5, 5), conv(32, 3, 3, 2)}) ==
        16 * (75 + 1) + 32 * (144 + 1));
  CHECK(fc_parameters(4, {3, 5}) == 35);
  CHECK(fc_parameters(784, {100, 10}) == 100 * 785 + 10 * 101);
  CHECK(fc_parameters(4, {}) == 0);
}

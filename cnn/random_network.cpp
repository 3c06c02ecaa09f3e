#include "cnn/random_network.hpp"

#include "arrangement/errors.hpp"

#include <charconv>
#include <cmath>
#include <limits>

// Bit-for-bit reproducibility needs every floating-point operation rounded on its own (IEEE-754 +, −, ×, ÷ and
// sqrt are correctly rounded): forbid fusing a·b + c into one FMA, which some compilers do by default on some CPUs.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

namespace chamber {

namespace {

std::uint64_t splitmix64(std::uint64_t& x) {
  std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/*! returns ln(s) for 0 < s < 1 with basic operations only (libm's log may differ between machines):
 * s = m·2^e exactly (frexp), ln m = 2·atanh(y) with y = (m − 1)/(m + 1) ∈ [−1/3, 0), a fixed number of terms. */
double portable_log(double s) {
  int e = 0;
  double m = std::frexp(s, &e);
  double y = (m - 1.0) / (m + 1.0);
  double y2 = y * y;
  double term = y, sum = 0.0;
  for (int k = 0; k < 40; ++k) {
    sum += term / static_cast<double>(2 * k + 1);
    term *= y2;
  }
  const double ln2 = 0.6931471805599453094;
  double scaled_e = static_cast<double>(e) * ln2;
  return scaled_e + 2.0 * sum;
}

[[noreturn]] void bad_distribution(const std::string& text) {
  throw InputError("weight distribution '" + text + "': expected \"int:LO:HI\" (LO <= HI) or \"he:BITS\" (0..64)");
}

bool parse_long(const std::string& text, long& value) {
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  return error == std::errc() && ptr == end && !text.empty();
}

/*! returns round(w·2^bits)/2^bits exactly (ties away from zero). */
Rational round_to_bits(double w, int bits) {
  Rational q;
  mpq_set_d(q.get_mpq_t(), w);
  Integer scale = 1;
  mpz_mul_2exp(scale.get_mpz_t(), scale.get_mpz_t(), static_cast<mp_bitcnt_t>(bits));
  Rational scaled = abs(q) * scale + Rational(1, 2);
  Integer n;
  mpz_fdiv_q(n.get_mpz_t(), scaled.get_num_mpz_t(), scaled.get_den_mpz_t());
  if (sgn(q) < 0) n = -n;
  Rational result(n, scale);
  result.canonicalize();
  return result;
}

void draw(RandomBits& bits, const WeightDistribution& distribution, std::size_t fan_out, std::size_t count,
          std::vector<Rational>& out) {
  out.reserve(count);
  const double deviation = std::sqrt(2.0 / static_cast<double>(fan_out));
  for (std::size_t i = 0; i < count; ++i) {
    if (distribution.kind == WeightDistribution::Integer) {
      out.emplace_back(bits.uniform_integer(distribution.lo, distribution.hi));
    } else {
      double w = bits.gaussian() * deviation;
      out.push_back(round_to_bits(w, distribution.bits));
    }
  }
}

}  // namespace

RandomBits::RandomBits(std::uint64_t seed) {
  for (std::uint64_t& s : state_) s = splitmix64(seed);
}

std::uint64_t RandomBits::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

long RandomBits::uniform_integer(long lo, long hi) {
  const std::uint64_t n = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  if (n == 0) return static_cast<long>(next());  // the full 64-bit range
  const std::uint64_t reject_below = (0 - n) % n;  // 2^64 mod n: the incomplete block
  std::uint64_t r = next();
  while (r < reject_below) r = next();
  return static_cast<long>(static_cast<std::uint64_t>(lo) + r % n);
}

double RandomBits::uniform_double() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double RandomBits::gaussian() {
  for (;;) {
    double u = 2.0 * uniform_double() - 1.0;
    double v = 2.0 * uniform_double() - 1.0;
    double uu = u * u;
    double vv = v * v;
    double s = uu + vv;
    if (s >= 1.0 || s == 0.0) continue;
    double ratio = -2.0 * portable_log(s) / s;
    return u * std::sqrt(ratio);
  }
}

WeightDistribution parse_weight_distribution(const std::string& text) {
  WeightDistribution d;
  if (text.rfind("int:", 0) == 0) {
    std::string rest = text.substr(4);
    std::size_t colon = rest.find(':', 1);  // position 0 may be the sign of LO
    if (colon == std::string::npos) bad_distribution(text);
    if (!parse_long(rest.substr(0, colon), d.lo) || !parse_long(rest.substr(colon + 1), d.hi) || d.lo > d.hi)
      bad_distribution(text);
    d.kind = WeightDistribution::Integer;
    return d;
  }
  if (text.rfind("he:", 0) == 0) {
    long bits = 0;
    if (!parse_long(text.substr(3), bits) || bits < 0 || bits > 64) bad_distribution(text);
    d.kind = WeightDistribution::He;
    d.bits = static_cast<int>(bits);
    return d;
  }
  bad_distribution(text);
}

std::string to_string(const WeightDistribution& distribution) {
  if (distribution.kind == WeightDistribution::He) return "he:" + std::to_string(distribution.bits);
  return "int:" + std::to_string(distribution.lo) + ":" + std::to_string(distribution.hi);
}

Network random_network(Shape input, std::vector<LayerSpec> layers, std::uint64_t seed,
                       WeightDistribution distribution, std::size_t readout) {
  if (distribution.kind == WeightDistribution::Integer && distribution.lo > distribution.hi)
    throw InputError("random network: empty integer range [" + std::to_string(distribution.lo) + ", " +
                     std::to_string(distribution.hi) + "]");
  if (distribution.kind == WeightDistribution::He && (distribution.bits < 0 || distribution.bits > 64))
    throw InputError("random network: He rounding bits must be in 0..64");
  auto too_big = [](std::size_t a, std::size_t b) { return b != 0 && a > max_network_tensor_entries / b; };
  if (input.channels == 0 || input.height == 0 || input.width == 0 || too_big(input.channels, input.height) ||
      too_big(input.channels * input.height, input.width))
    throw InputError("random network: bad input shape");
  if (layers.empty()) throw InputError("random network: no layers");
  RandomBits bits(seed);
  Network network;
  network.input = input;
  Shape in = input;
  bool after_linear = false;
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const LayerSpec& spec = layers[l];
    const std::string where = "random network: layer " + std::to_string(l) + ": ";
    if (spec.channels_or_units == 0) throw InputError(where + "needs at least one channel or unit");
    if (spec.conv) {
      if (after_linear) throw InputError(where + "conv2d after a linear layer is not supported");
      if (spec.kernel_h == 0 || spec.kernel_w == 0 || spec.stride_h == 0 || spec.stride_w == 0)
        throw InputError(where + "kernel and stride must be at least 1");
      if (spec.kernel_h > in.height || spec.kernel_w > in.width)
        throw InputError(where + "kernel " + std::to_string(spec.kernel_h) + "x" + std::to_string(spec.kernel_w) +
                         " is larger than the " + std::to_string(in.height) + "x" + std::to_string(in.width) +
                         " input");
      Conv2d conv{spec.channels_or_units, spec.kernel_h, spec.kernel_w, spec.stride_h, spec.stride_w, {}, {}};
      std::size_t per_filter = in.channels * spec.kernel_h * spec.kernel_w;
      if (too_big(spec.channels_or_units, per_filter))
        throw InputError(where + "too many weights");
      std::size_t fan_out = spec.channels_or_units * spec.kernel_h * spec.kernel_w;
      draw(bits, distribution, fan_out, spec.channels_or_units * per_filter, conv.weight);
      draw(bits, distribution, fan_out, spec.channels_or_units, conv.bias);
      network.layers.emplace_back(std::move(conv));
    } else {
      if (too_big(spec.channels_or_units, in.size())) throw InputError(where + "too many weights");
      Linear linear{spec.channels_or_units, in.size(), {}, {}};
      draw(bits, distribution, spec.channels_or_units, spec.channels_or_units * in.size(), linear.weight);
      draw(bits, distribution, spec.channels_or_units, spec.channels_or_units, linear.bias);
      network.layers.emplace_back(std::move(linear));
      after_linear = true;
    }
    in = output_shape(in, network.layers.back());
  }
  if (readout > 0) {  // after the hidden layers: they stay those of the same seed without a read-out
    if (too_big(readout, in.size())) throw InputError("random network: read-out: too many weights");
    Linear linear{readout, in.size(), {}, {}};
    draw(bits, distribution, readout, readout * in.size(), linear.weight);
    draw(bits, distribution, readout, readout, linear.bias);
    network.readout = std::move(linear);
  }
  return network;
}

}  // namespace chamber

// The "network" certificate checker's entry point: reads and validates the certificate's fields (network, box,
// sizes, region patterns and blocked pairs, Farkas entries), then hands the regions to the RegionChecker
// (network_region_checker.cpp, network_closure.cpp).
#include "verify/network_certificate.hpp"

#include "network_certificate_internal.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/network_model.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace chamber::verify {

using namespace detail;
using nlohmann::json;

namespace {

/*! reads the domain: null (all of R^n) or a box [lo, hi] with lo < hi, its faces scaled to integers. */
std::optional<Box> read_box(const json& value) {
  if (value.is_null()) return std::nullopt;
  require_array(value, 2, "box", "null or [lo, hi]");
  Box box;
  read_rational(value[0], box.lo, [] { return std::string("box[0]"); });
  read_rational(value[1], box.hi, [] { return std::string("box[1]"); });
  if (box.lo >= box.hi) fail("box: lo = " + box.lo.get_str() + " is not below hi = " + box.hi.get_str());
  mpz_lcm(box.scale.get_mpz_t(), box.lo.get_den_mpz_t(), box.hi.get_den_mpz_t());
  mpz_divexact(box.lo_scaled.get_mpz_t(), box.scale.get_mpz_t(), box.lo.get_den_mpz_t());
  box.lo_scaled *= box.lo.get_num();
  mpz_divexact(box.hi_scaled.get_mpz_t(), box.scale.get_mpz_t(), box.hi.get_den_mpz_t());
  box.hi_scaled *= box.hi.get_num();
  return box;
}

/*! reads region r's pattern (check 1: N characters from "+-0") and the shape of its blocked pairs into `result`; the
 * pattern is viewed in the JSON value, or in a copy kept in `arena` when given (a streamed region is dropped). A Farkas
 * index is range-checked against `farkas_count` (SIZE_MAX while unknown: NetworkChecker::prepare checks it). */
void read_region_shape(std::size_t r, const json& region, std::size_t neurons, std::size_t farkas_count,
                       std::deque<std::string>* arena, ParsedRegions& result) {
  const std::string path = region_path(r);
  if (!region.is_object()) fail(path + ": not a JSON object");
  const json& pattern_value = member(region, "pattern", path);
  if (!pattern_value.is_string()) fail(path + ".pattern: not a string, found " + describe(pattern_value));
  const std::string& text = pattern_value.get_ref<const std::string&>();
  if (text.size() != neurons)
    fail(path + ".pattern: length " + std::to_string(text.size()) + ", expected " + std::to_string(neurons) +
         " (one character per hidden neuron)");
  for (std::size_t k = 0; k < neurons; ++k)
    if (text[k] != '+' && text[k] != '-' && text[k] != '0')
      fail(path + ".pattern[" + std::to_string(k) + "]: bad character " + quoted(text[k]) + " (expected +, - or 0)");
  if (arena) arena->push_back(text);
  result.patterns.push_back(arena ? std::string_view(arena->back()) : std::string_view(text));

  const json& blocked = require_array(member(region, "blocked", path), path + ".blocked");
  result.blocked_begin.push_back(result.blocked.size());
  for (std::size_t t = 0; t < blocked.size(); ++t) {
    auto pair_path = [&] { return path + ".blocked[" + std::to_string(t) + "]"; };
    const json& pair = blocked[t];
    if (!pair.is_array() || pair.size() != 2) fail(pair_path() + ": expected a pair [neuron, farkas entry]");
    const std::size_t k = read_index(pair[0], neurons, "neuron", [&] { return pair_path() + "[0]"; });
    const std::size_t f = read_index(pair[1], farkas_count, "farkas entry", [&] { return pair_path() + "[1]"; });
    result.blocked.push_back({k, f});
  }
}

/*! reads every region's pattern (check 1) and the shape of its blocked pairs. */
ParsedRegions read_regions(const json& regions, std::size_t neurons, std::size_t farkas_count) {
  ParsedRegions result;
  result.patterns.reserve(regions.size());
  result.blocked_begin.reserve(regions.size() + 1);
  for (std::size_t r = 0; r < regions.size(); ++r)
    read_region_shape(r, regions[r], neurons, farkas_count, nullptr, result);
  result.blocked_begin.push_back(result.blocked.size());
  return result;
}

/*! indexes the regions by pattern, failing when two are equal (check 3). */
RegionIndex index_regions(const ParsedRegions& regions) {
  RegionIndex index;
  index.reserve(regions.patterns.size());
  for (std::size_t r = 0; r < regions.patterns.size(); ++r) {
    auto [found, is_new] = index.emplace(regions.patterns[r], r);
    if (!is_new) fail(region_path(found->second) + " and " + region_path(r) + " have the same pattern");
  }
  return index;
}

/*! reads Farkas entry f: conditions (neurons < N, box faces N .. N + 2n - 1 when there is a box), signs, and positive
 * multipliers scaled to integers. Its validity depends on the region reading it (check 4a). */
FarkasEntry read_farkas_entry(std::size_t f, const json& entry, std::size_t neurons, std::size_t dimension,
                              bool has_box) {
  const std::size_t bound = has_box ? neurons + 2 * dimension : neurons;
  const std::string path = "farkas[" + std::to_string(f) + "]";
  if (!entry.is_object()) fail(path + ": not a JSON object");
  FarkasEntry parsed;
  const json& conditions = require_array(member(entry, "conditions", path), path + ".conditions");
  // An empty sum is 0, not > 0: the argument needs at least one condition.
  if (conditions.empty()) fail(path + ".conditions: empty (at least one condition)");
  const std::size_t p = conditions.size();
  parsed.conditions.reserve(p);
  for (std::size_t q = 0; q < p; ++q)
    parsed.conditions.push_back(read_index(conditions[q], bound, has_box ? "condition" : "condition (no box)",
                                           [&] { return path + ".conditions[" + std::to_string(q) + "]"; }));
  parsed.signs = require_signs(member(entry, "signs", path), p, path + ".signs", "one per condition");
  const json& multipliers =
      require_array(member(entry, "multipliers", path), p, path + ".multipliers", "one per condition");
  std::vector<mpq_class> lambdas(p);
  parsed.denominator = 1;
  for (std::size_t q = 0; q < p; ++q) {
    auto lambda_path = [&] { return path + ".multipliers[" + std::to_string(q) + "]"; };
    read_rational(multipliers[q], lambdas[q], lambda_path);
    if (sgn(lambdas[q]) <= 0) fail(lambda_path() + ": multiplier " + lambdas[q].get_str() + " is not positive");
    mpz_lcm(parsed.denominator.get_mpz_t(), parsed.denominator.get_mpz_t(), lambdas[q].get_den_mpz_t());
  }
  parsed.multipliers.resize(p);
  for (std::size_t q = 0; q < p; ++q) {
    mpz_divexact(parsed.multipliers[q].get_mpz_t(), parsed.denominator.get_mpz_t(), lambdas[q].get_den_mpz_t());
    parsed.multipliers[q] *= lambdas[q].get_num();
  }
  return parsed;
}

/*! reads every Farkas entry (read_farkas_entry). */
std::vector<FarkasEntry> read_farkas(const json& farkas, std::size_t neurons, std::size_t dimension, bool has_box) {
  std::vector<FarkasEntry> result;
  result.reserve(farkas.size());
  for (std::size_t f = 0; f < farkas.size(); ++f)
    result.push_back(read_farkas_entry(f, farkas[f], neurons, dimension, has_box));
  return result;
}

}  // namespace

namespace {

/*! the network and domain of a certificate, read and compared with the network file, the claimed neuron count checked
 * (the header checks, before any region). */
struct Header {
  NetworkModel model;
  std::optional<Box> box;
};

Header read_header(const json& certificate, const json* network_file, const std::string& network_file_name,
                   CheckReport& report) {
  Header header{read_network_model(member(certificate, "network", ""), "network"), std::nullopt};
  const NetworkModel& model = header.model;
  report.dimension = model.input_dimension;
  report.neurons = model.neurons();
  // Before the expensive checks: a certificate about another network is worth saying first.
  if (network_file) {
    const std::string name = network_file_name.empty() ? std::string("the network file") : network_file_name;
    std::optional<NetworkModel> other;
    try {
      other = read_network_model(*network_file, "");
    } catch (const CheckFailure& failure) {
      fail(name + ": " + failure.reason);
    }
    const std::string difference = network_difference(model, "the certificate", *other, name);
    if (!difference.empty()) fail("the certificate's network is not " + name + ": " + difference);
  }
  header.box = read_box(member(certificate, "box", ""));
  const json& neurons = member(certificate, "neurons", "");
  const std::optional<std::uint64_t> claimed_neurons = json_natural(neurons);
  if (!claimed_neurons) fail("neurons: expected a JSON integer >= 0, found " + describe(neurons));
  if (*claimed_neurons != model.neurons())  // check 5
    fail("neurons " + std::to_string(*claimed_neurons) + " but the network has " + std::to_string(model.neurons()) +
         " hidden neurons");
  return header;
}

}  // namespace

void check_network_certificate(const json& certificate, const json* network_file, const std::string& network_file_name,
                               CheckReport& report) {
  const Header header = read_header(certificate, network_file, network_file_name, report);
  const NetworkModel& model = header.model;
  const json& regions = require_array(member(certificate, "regions", ""), "regions");
  const json& farkas = require_array(member(certificate, "farkas", ""), "farkas");
  report.regions = regions.size();
  report.farkas = farkas.size();
  check_region_count(member(certificate, "region_count", ""), regions.size(), network_nonempty);

  const ParsedRegions parsed = read_regions(regions, model.neurons(), farkas.size());
  const RegionIndex index = index_regions(parsed);
  const std::vector<FarkasEntry> entries =
      read_farkas(farkas, model.neurons(), model.input_dimension, header.box.has_value());

  std::vector<std::size_t> order(regions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return parsed.patterns[a] < parsed.patterns[b]; });
  RegionChecker checker(model, header.box, parsed, index, entries);
  for (std::size_t r : order) checker.check(r, regions[r]);
  checker.finish();
}

struct NetworkChecker::State {
  Header header;
  std::deque<std::string> patterns;  // the regions' patterns, kept (their JSON is dropped)
  ParsedRegions parsed;
  std::vector<FarkasEntry> farkas;
  RegionIndex index;
  std::optional<RegionChecker> checker;
};

NetworkChecker::NetworkChecker(const json& certificate, const json* network_file, const std::string& network_file_name,
                               CheckReport& report)
    : state_(std::make_unique<State>(State{read_header(certificate, network_file, network_file_name, report), {}, {},
                                           {}, {}, std::nullopt})) {}

NetworkChecker::~NetworkChecker() = default;

void NetworkChecker::add_region_shape(std::size_t r, const json& region) {
  read_region_shape(r, region, state_->header.model.neurons(), std::numeric_limits<std::size_t>::max(),
                    &state_->patterns, state_->parsed);
}

void NetworkChecker::add_farkas(std::size_t f, const json& entry) {
  const NetworkModel& model = state_->header.model;
  state_->farkas.push_back(
      read_farkas_entry(f, entry, model.neurons(), model.input_dimension, state_->header.box.has_value()));
}

void NetworkChecker::prepare() {
  State& st = *state_;
  st.parsed.blocked_begin.push_back(st.parsed.blocked.size());
  for (std::size_t r = 0; r + 1 < st.parsed.blocked_begin.size(); ++r)
    for (std::size_t t = st.parsed.blocked_begin[r]; t < st.parsed.blocked_begin[r + 1]; ++t)
      if (st.parsed.blocked[t].farkas >= st.farkas.size()) {
        std::size_t unused = 0;
        fail(region_path(r) + ".blocked[" + std::to_string(t - st.parsed.blocked_begin[r]) + "][1]: " +
             parse_index(json(st.parsed.blocked[t].farkas), st.farkas.size(), "farkas entry", unused));
      }
  st.index = index_regions(st.parsed);
  st.checker.emplace(st.header.model, st.header.box, st.parsed, st.index, st.farkas);
}

void NetworkChecker::check_region(std::size_t r, const json& region) { state_->checker->check(r, region); }

void NetworkChecker::finish() { state_->checker->finish(); }

}  // namespace chamber::verify

// The checker for certificates of kind "network" (docs/network-certificate.md): the linear regions of a ReLU network.
#pragma once

#include "verify/certificate_check.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <string>

namespace chamber::verify {

/*! checks a "network" certificate (checks 1-5 of docs/network-certificate.md) whose format and version are already
 * checked, and fills report.dimension, neurons, regions and farkas as they become known. When `network_file` is given
 * (the parsed network file called `network_file_name` in reasons), the network written in the certificate must equal
 * it: same input shape, same layers, equal weights and biases as exact rationals.
 * \throws CheckFailure with a reason naming the JSON path, region, neuron or Farkas entry at fault. */
void check_network_certificate(const nlohmann::json& certificate, const nlohmann::json* network_file,
                               const std::string& network_file_name, CheckReport& report);

/// Why a network certificate lists at least one region (check_region_count's `nonempty`).
inline constexpr const char* network_nonempty = "every network has at least one linear region";

/*! The checks of a "network" certificate read as a stream (certificate_check.hpp) in two passes over its lists: first
 * every region's pattern and blocked pairs and every Farkas entry (add_region_shape, add_farkas), then every region
 * again for its witness and closure (check_region), in file order. Kept: the patterns, the pairs and the entries —
 * never a region's JSON. Every member function \throws CheckFailure as check_network_certificate. */
class NetworkChecker {
 public:
  /*! the header checks of check_network_certificate, on an object holding at least `network`, `box` and `neurons`. */
  NetworkChecker(const nlohmann::json& certificate, const nlohmann::json* network_file,
                 const std::string& network_file_name, CheckReport& report);
  ~NetworkChecker();
  NetworkChecker(const NetworkChecker&) = delete;
  NetworkChecker& operator=(const NetworkChecker&) = delete;

  void add_region_shape(std::size_t r, const nlohmann::json& region);
  void add_farkas(std::size_t f, const nlohmann::json& entry);
  /*! after the first pass: every blocked pair names an entry, the patterns are distinct (check 3). */
  void prepare();
  void check_region(std::size_t r, const nlohmann::json& region);
  /*! after the second pass: the kept failure of check 4, if any. */
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace chamber::verify

// The checker for certificates of kind "network" (docs/network-certificate.md): the linear regions of a ReLU network.
#pragma once

#include "verify/certificate_check.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace chamber::verify {

/*! checks a "network" certificate (checks 1-5 of docs/network-certificate.md) whose format and version are already
 * checked, and fills report.dimension, neurons, regions and farkas as they become known. When `network_file` is given
 * (the parsed network file called `network_file_name` in reasons), the network written in the certificate must equal
 * it: same input shape, same layers, equal weights and biases as exact rationals.
 * \throws CheckFailure with a reason naming the JSON path, region, neuron or Farkas entry at fault. */
void check_network_certificate(const nlohmann::json& certificate, const nlohmann::json* network_file,
                               const std::string& network_file_name, CheckReport& report);

}  // namespace chamber::verify

// The independent certificate checker. Exact GMP evaluation only; it never links chamber::arrangement.
// The format and the argument are in docs/certificate.md.
#pragma once

#include <gmpxx.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace chamber::verify {

/*! what a certificate proves: the regions of an arrangement, or the linear regions of a network. */
enum class CertificateKind { unknown, arrangement, network };

struct CheckReport {
  bool valid = false;
  std::string reason;  // why the certificate is invalid (names region k, hyperplane i, farkas f, or a field)
  CertificateKind kind = CertificateKind::unknown;
  std::string declared_kind;  // the certificate's "kind" as written ("" when the header could not be read)
  std::size_t dimension = 0;
  std::size_t hyperplanes = 0;
  std::size_t regions = 0;
  std::size_t farkas = 0;
  std::size_t neurons = 0;  // hidden neurons of a "network" certificate
};

/*! checks a parsed certificate; `input_rows` (integer rows b a1..an of the original file), when given,
 * must each be a nonzero multiple of a certificate row, and every certificate row must be hit (kind "arrangement").
 * `network_file` (a parsed network file, called `network_file_name` in reasons), when given, must equal the network
 * written in the certificate (kind "network", docs/network-certificate.md). Either one given for the other kind makes
 * the certificate invalid: it cannot be about that file. */
/*! the `chamber check --json` object of `report`, without the file names and the time: valid, reason, kind (the
 * declared kind when it is not one of "arrangement", "network"), regions, hyperplanes, dimension, farkas_entries,
 * neurons. */
nlohmann::json to_json(const CheckReport& report);

/*! checks the certificate file at `path` (JSON or gzip JSON) as check_certificate, reading it as a stream, so memory
 * does not grow with the JSON text: an "arrangement" certificate's regions and Farkas entries are checked one at a time
 * as they are parsed and only their sign vectors (bits), blocked hyperplanes and entry signs are kept (a second pass
 * is made when the arrangement comes after the lists); a "network" certificate takes two more passes, one for the
 * patterns, pairs and entries it keeps, one for every region's witness and closure (NetworkChecker). A root key given
 * twice makes the certificate invalid. \throws StreamError (json_stream.hpp) naming the
 * file when it cannot be read or is not JSON, whether or not a check failed before the parser got there. */
CheckReport check_certificate_file(const std::string& path,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows = std::nullopt,
                                   const nlohmann::json* network_file = nullptr,
                                   const std::string& network_file_name = "");

CheckReport check_certificate(const nlohmann::json& certificate,
                              const std::optional<std::vector<std::vector<mpz_class>>>& input_rows = std::nullopt,
                              const nlohmann::json* network_file = nullptr,
                              const std::string& network_file_name = "");

}  // namespace chamber::verify

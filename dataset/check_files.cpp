#include "dataset/check_files.hpp"

#include "verify/json_stream.hpp"

#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"
#include "verify/network_model.hpp"

#include <optional>
#include <vector>

namespace chamber {

nlohmann::json read_json_file(const std::string& path) {
  std::string text;
  try {
    text = verify::read_maybe_gzip(path);
  } catch (const std::runtime_error& e) {
    throw InputError(e.what());
  }
  std::string why;
  std::optional<nlohmann::json> document = verify::parse_json_document(text, why);
  if (!document) throw InputError(path + ": not JSON: " + why);
  return std::move(*document);
}

verify::CheckReport check_certificate_files(const std::string& certificate, const std::string& arrangement,
                                            const std::string& network) {
  std::optional<nlohmann::json> network_json;
  if (!network.empty()) {
    network_json = read_json_file(network);
    // A malformed network file is bad input (exit 2), not a verdict on the certificate: read it once here with the
    // checker's own reader, which check_certificate uses again to compare.
    try {
      verify::read_network_model(*network_json, "");
    } catch (const verify::CheckFailure& failure) {
      throw InputError(network + ": " + failure.reason);
    }
  }
  std::optional<std::vector<std::vector<mpz_class>>> rows;
  if (!arrangement.empty()) {
    ArrFile file = read_arr_file(arrangement);
    rows.emplace();
    for (const Hyperplane& h : file.input) rows->push_back(h.coefficients);
  }
  // Streamed: the certificate is never held whole (an arrangement certificate's memory is its sign vectors as bits).
  try {
    return verify::check_certificate_file(certificate, rows, network_json ? &*network_json : nullptr, network);
  } catch (const verify::StreamError& e) {
    throw InputError(e.what());
  } catch (const std::runtime_error& e) {  // read_maybe_gzip, for a certificate read whole
    throw InputError(e.what());
  }
}

}  // namespace chamber

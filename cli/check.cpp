// chamber check CERT.json [--arrangement FILE.arr | --network NET.json]: re-verifies a certificate with the independent
// checker.
#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "verify/certificate_check.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"
#include "verify/network_model.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace chamber::cli {

namespace {

struct CheckOptions {
  std::string certificate;
  std::string arrangement;
  std::string network;
  CommonOptions common;
};

/*! reads a JSON file, gzip-compressed or not. \throws InputError (exit 2) when it cannot be opened or inflated, or
 * is not JSON. */
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

int run_check(const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const nlohmann::json certificate = read_json_file(options.certificate);
  std::optional<nlohmann::json> network;
  if (!options.network.empty()) {
    network = read_json_file(options.network);
    // A malformed network file is bad input (exit 2), not a verdict on the certificate: read it once here with the
    // checker's own reader, which check_certificate uses again to compare.
    try {
      verify::read_network_model(*network, "");
    } catch (const verify::CheckFailure& failure) {
      throw InputError(options.network + ": " + failure.reason);
    }
  }
  std::optional<std::vector<std::vector<mpz_class>>> rows;
  if (!options.arrangement.empty()) {
    ArrFile file = read_arr_file(options.arrangement);
    rows.emplace();
    for (const Hyperplane& h : file.input) rows->push_back(h.coefficients);
  }
  verify::CheckReport report =
      verify::check_certificate(certificate, rows, network ? &*network : nullptr, options.network);
  const double seconds = seconds_since(start);
  if (options.common.json) {
    nlohmann::json out;
    out["certificate"] = options.certificate;
    out["valid"] = report.valid;
    out["reason"] = report.reason;
    out["kind"] = report.kind;
    out["regions"] = report.regions;
    out["hyperplanes"] = report.hyperplanes;
    out["dimension"] = report.dimension;
    out["farkas_entries"] = report.farkas;
    out["neurons"] = report.neurons;
    if (!options.arrangement.empty()) out["arrangement"] = options.arrangement;
    if (!options.network.empty()) out["network"] = options.network;
    out["seconds"] = seconds;
    std::cout << out.dump(2) << std::endl;
  } else if (report.valid && report.kind == "network") {
    std::cout << "valid: proven " << report.regions << " linear regions of a network with " << report.neurons
              << " hidden neurons on input dimension " << report.dimension << " (" << report.farkas
              << " Farkas entries checked";
    if (!options.network.empty()) std::cout << "; matches " << options.network;
    std::cout << ")\n";
  } else if (report.valid) {
    std::cout << "valid: proven " << report.regions << " regions of " << report.hyperplanes << " hyperplanes in dimension "
              << report.dimension << " (" << report.farkas << " Farkas entries checked";
    if (!options.arrangement.empty()) std::cout << "; matches " << options.arrangement;
    std::cout << ")\n";
  } else {
    std::cout << "invalid: " << report.reason << '\n';
  }
  return report.valid ? 0 : 1;
}

}  // namespace

Command add_check_command(CLI::App& app) {
  auto options = std::make_shared<CheckOptions>();
  CLI::App* command = app.add_subcommand("check", "Verify a certificate (exit 0 valid, 1 invalid)");
  command->add_option("CERT", options->certificate, "Certificate file (JSON, or gzip-compressed JSON)")->required();
  command->add_option("--arrangement", options->arrangement, "Also confirm the certificate is about this .arr file");
  command->add_option("--network", options->network,
                      "Also confirm a network certificate is about this network file (JSON)");
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_check(*options); }};
}

}  // namespace chamber::cli

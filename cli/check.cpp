// chamber check CERT.json [--arrangement FILE.arr]: re-verifies a certificate with the independent checker.
#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "verify/certificate_check.hpp"

#include <fstream>
#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct CheckOptions {
  std::string certificate;
  std::string arrangement;
  CommonOptions common;
};

int run_check(const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::ifstream in(options.certificate);
  if (!in) throw InputError(options.certificate + ": cannot open file");
  nlohmann::json certificate;
  try {
    certificate = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw InputError(options.certificate + ": not JSON: " + e.what());
  }
  std::optional<std::vector<std::vector<mpz_class>>> rows;
  if (!options.arrangement.empty()) {
    ArrFile file = read_arr_file(options.arrangement);
    rows.emplace();
    for (const Hyperplane& h : file.input) rows->push_back(h.coefficients);
  }
  verify::CheckReport report = verify::check_certificate(certificate, rows);
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
    if (!options.arrangement.empty()) out["arrangement"] = options.arrangement;
    out["seconds"] = seconds;
    std::cout << out.dump(2) << std::endl;
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
  command->add_option("CERT", options->certificate, "Certificate file (JSON)")->required();
  command->add_option("--arrangement", options->arrangement, "Also confirm the certificate is about this .arr file");
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_check(*options); }};
}

}  // namespace chamber::cli

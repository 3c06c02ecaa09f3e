// chamber check CERT.json [--arrangement FILE.arr | --network NET.json] [--threads N]: re-verifies a certificate (one
// file, or a sharded one's manifest) with the independent checker.
#include "arrangement/run_limits.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "dataset/check_files.hpp"
#include "verify/sharded_certificate.hpp"

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
  unsigned threads = 0;  // 0: all cores
  CommonOptions common;
};

int run_check(const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  verify::set_shard_check_threads(resolve_threads(options.threads));
  const verify::CheckReport report =
      check_certificate_files(options.certificate, options.arrangement, options.network);
  const double seconds = seconds_since(start);
  if (options.common.json) {
    nlohmann::json out = verify::to_json(report);
    out["certificate"] = options.certificate;
    if (!options.arrangement.empty()) out["arrangement"] = options.arrangement;
    if (!options.network.empty()) out["network"] = options.network;
    out["seconds"] = seconds;
    std::cout << out.dump(2) << std::endl;
  } else if (report.valid && report.kind == verify::CertificateKind::network) {
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
  command->add_option("--threads", options->threads,
                      "Threads checking the shards of a sharded certificate (default: all cores); the same verdict")
      ->check(CLI::Range(1u, 1024u));
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_check(*options); }};
}

}  // namespace chamber::cli

#include "verify/certificate_check.hpp"

#include "verify/arrangement_certificate.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/network_certificate.hpp"

namespace chamber::verify {

namespace {

/*! checks the fields every certificate kind shares and returns the kind ("arrangement" when absent). */
std::string read_header(const nlohmann::json& certificate) {
  if (!certificate.is_object()) fail("certificate: not a JSON object");
  const nlohmann::json& format = member(certificate, "format", "");
  if (format != "chamber-certificate") fail("format: expected \"chamber-certificate\", found " + describe(format));
  const nlohmann::json& version = member(certificate, "version", "");
  const std::optional<std::uint64_t> number = json_natural(version);
  if (!number || *number != 1) fail("version: expected 1, found " + describe(version));
  auto kind = certificate.find("kind");
  if (kind == certificate.end()) return "arrangement";  // version 1 certificates written before kinds existed
  if (!kind->is_string()) fail("kind: not a string, found " + describe(*kind));
  return kind->get<std::string>();
}

}  // namespace

CheckReport check_certificate(const nlohmann::json& certificate,
                              const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                              const nlohmann::json* network_file, const std::string& network_file_name) {
  CheckReport report;
  try {
    report.declared_kind = read_header(certificate);
    if (report.declared_kind == "arrangement") {
      report.kind = CertificateKind::arrangement;
      if (network_file) fail("a network file was given, but this certificate is of kind 'arrangement'");
      check_arrangement_certificate(certificate, input_rows, report);
    } else if (report.declared_kind == "network") {
      report.kind = CertificateKind::network;
      if (input_rows) fail("an arrangement file was given, but this certificate is of kind 'network'");
      check_network_certificate(certificate, network_file, network_file_name, report);
    } else {
      fail("unsupported certificate kind '" + report.declared_kind + "'");
    }
    report.valid = true;
  } catch (const CheckFailure& failure) {
    report.valid = false;
    report.reason = failure.reason;
  } catch (const nlohmann::json::exception& error) {
    // Only reachable through a structural case the checks above missed; still a verdict, not a crash.
    report.valid = false;
    report.reason = std::string("malformed certificate: ") + error.what();
  }
  return report;
}

nlohmann::json to_json(const CheckReport& report) {
  nlohmann::json out;
  out["valid"] = report.valid;
  out["reason"] = report.reason;
  out["kind"] = report.kind == CertificateKind::arrangement ? "arrangement"
                : report.kind == CertificateKind::network   ? "network"
                                                            : report.declared_kind;
  out["regions"] = report.regions;
  out["hyperplanes"] = report.hyperplanes;
  out["dimension"] = report.dimension;
  out["farkas_entries"] = report.farkas;
  out["neurons"] = report.neurons;
  return out;
}

}  // namespace chamber::verify

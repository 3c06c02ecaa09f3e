#include "verify/certificate_check.hpp"

#include "verify/arrangement_certificate.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"
#include "verify/json_stream.hpp"
#include "verify/network_certificate.hpp"
#include "verify/sharded_certificate.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

/*! runs `checks` and records the verdict in `report`: valid when they return, else the reason they failed with. */
template <typename Checks>
void record_verdict(CheckReport& report, Checks&& checks) {
  try {
    checks();
    report.valid = true;
  } catch (const CheckFailure& failure) {
    report.valid = false;
    report.reason = failure.reason;
  } catch (const nlohmann::json::exception& error) {
    // Only reachable through a structural case the checks missed; still a verdict, not a crash.
    report.valid = false;
    report.reason = std::string("malformed certificate: ") + error.what();
  }
}

}  // namespace

CheckReport check_certificate(const nlohmann::json& certificate,
                              const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                              const nlohmann::json* network_file, const std::string& network_file_name) {
  CheckReport report;
  record_verdict(report, [&] {
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
  });
  return report;
}

namespace {

/*! the state of a streamed "arrangement" check: the header members read so far and the checker once the arrangement
 * is known; the first check that failed, and where (the verdict gives header problems first, as the parsed path). */
struct StreamedCheck {
  StreamedCheck(const std::optional<std::vector<std::vector<mpz_class>>>& rows, CheckReport& out)
      : input_rows(rows), report(out) {}

  const std::optional<std::vector<std::vector<mpz_class>>>& input_rows;
  CheckReport& report;
  nlohmann::json header = nlohmann::json::object();
  std::unique_ptr<ArrangementChecker> checker;
  std::optional<CheckFailure> arrangement_failure;  // reading the arrangement or matching the input file
  std::optional<CheckFailure> element_failure;      // the first region or Farkas entry that failed
  std::map<std::string, bool> deferred;             // arrays met before the arrangement: checked in a second pass

  /*! a root member: the arrangement starts the checker (unless the certificate says it is of another kind). */
  void member(const std::string& key, nlohmann::json&& value) {
    if (key == "arrangement" && !checker && !arrangement_failure) {
      try {
        checker = std::make_unique<ArrangementChecker>(value, input_rows, report);
      } catch (const CheckFailure& failure) {
        arrangement_failure = failure;
      }
    }
    header[key] = std::move(value);
  }

  /*! element `index` of "regions" or "farkas", checked now when the arrangement is known; `pass` 1 or 2. */
  void element(const std::string& key, std::size_t index, const nlohmann::json& value, int pass) {
    if (pass == 2 && !deferred[key]) return;
    if (!checker) {
      deferred[key] = true;
      return;
    }
    if (element_failure) return;
    try {
      if (key == "regions")
        checker->add_region(index, value);
      else
        checker->add_farkas(index, value);
    } catch (const CheckFailure& failure) {
      element_failure = failure;
    }
  }
};

/*! the streamed check of a "network" certificate whose header (the members besides the lists) the first pass read:
 * a second pass reads the patterns, pairs and entries, a third checks every region (NetworkChecker). */
CheckReport check_network_file(const std::string& path, nlohmann::json header, StreamSummary& summary,
                               const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                               const nlohmann::json* network_file, const std::string& network_file_name) {
  CheckReport report;
  const std::vector<std::string> streamed{"regions", "farkas"};
  record_verdict(report, [&] {
    if (!summary.repeated_keys.empty()) fail("certificate: key '" + summary.repeated_keys.front() + "' appears twice");
    for (const std::string& key : streamed)
      if (summary.lengths.count(key)) header[key] = nlohmann::json::array();  // its elements are streamed
    report.declared_kind = read_header(header);
    report.kind = CertificateKind::network;
    if (input_rows) fail("an arrangement file was given, but this certificate is of kind 'network'");
    NetworkChecker checker(header, network_file, network_file_name, report);
    require_array(member(header, "regions", ""), "regions");
    require_array(member(header, "farkas", ""), "farkas");
    report.regions = summary.lengths["regions"];
    report.farkas = summary.lengths["farkas"];
    check_region_count(member(header, "region_count", ""), report.regions, network_nonempty);
    std::optional<CheckFailure> failure;  // the first one; the file is still parsed to its end
    auto guarded = [&](auto&& step) {
      if (failure) return;
      try {
        step();
      } catch (const CheckFailure& f) {
        failure = f;
      }
    };
    stream_json_file(
        path, streamed,
        [&](const std::string& key, std::size_t index, nlohmann::json&& value) {
          guarded([&] {
            if (key == "regions")
              checker.add_region_shape(index, value);
            else
              checker.add_farkas(index, value);
          });
        },
        [](const std::string&, nlohmann::json&&) {});
    if (failure) throw *failure;
    checker.prepare();
    stream_json_file(
        path, streamed,
        [&](const std::string& key, std::size_t index, nlohmann::json&& value) {
          if (key == "regions") guarded([&] { checker.check_region(index, value); });
        },
        [](const std::string&, nlohmann::json&&) {});
    if (failure) throw *failure;
    checker.finish();
  });
  return report;
}

}  // namespace

CheckReport check_certificate_file(const std::string& path,
                                   const std::optional<std::vector<std::vector<mpz_class>>>& input_rows,
                                   const nlohmann::json* network_file, const std::string& network_file_name) {
  CheckReport report;
  StreamedCheck check(input_rows, report);
  const std::vector<std::string> streamed{"regions", "farkas"};
  StreamSummary summary = stream_json_file(
      path, streamed,
      [&](const std::string& key, std::size_t index, nlohmann::json&& value) { check.element(key, index, value, 1); },
      [&](const std::string& key, nlohmann::json&& value) { check.member(key, std::move(value)); },
      [&](const std::string& key, std::size_t elements) {
        // Entries complete before the regions: each blocked pair is checked as it is read, none is kept.
        if (key == "farkas" && check.checker && !check.deferred["farkas"] && check.checker->regions() == 0)
          check.checker->expect_farkas(elements);
      });
  // A shard manifest: its shards are read beside it.
  if (summary.root_is_object && check.header.value("format", nlohmann::json()) == "chamber-certificate-shards") {
    CheckReport sharded;
    record_verdict(sharded, [&] {
      if (!summary.repeated_keys.empty())
        fail("manifest: key '" + summary.repeated_keys.front() + "' appears twice");
      const nlohmann::json& kind = member(check.header, "kind", "");
      sharded.declared_kind = kind.is_string() ? kind.get<std::string>() : describe(kind);
      if (kind != "arrangement") fail("kind: sharded certificates are of kind 'arrangement', found " + describe(kind));
      sharded.kind = CertificateKind::arrangement;
      if (network_file) fail("a network file was given, but this certificate is of kind 'arrangement'");
      check_sharded_arrangement(path, check.header, input_rows, sharded);
    });
    return sharded;
  }
  // Anything but an arrangement certificate (another kind, or not an object at all): the parsed path, whole.
  auto kind = check.header.find("kind");
  const bool arrangement_kind = kind == check.header.end() || *kind == "arrangement";
  if (!summary.root_is_object) return check_certificate(summary.root, input_rows, network_file, network_file_name);
  if (!arrangement_kind && *kind == "network") return check_network_file(path, check.header, summary,
                                                                       input_rows, network_file, network_file_name);
  if (!arrangement_kind) {  // another kind, or a kind that is not a string: the parsed check says why
    std::string why;
    std::optional<nlohmann::json> document = parse_json_document(read_maybe_gzip(path), why);
    if (!document) throw StreamError(path + ": not JSON: " + why);
    return check_certificate(*document, input_rows, network_file, network_file_name);
  }
  if (check.checker && (check.deferred["regions"] || check.deferred["farkas"]))
    stream_json_file(
        path, streamed,
        [&](const std::string& key, std::size_t index, nlohmann::json&& value) { check.element(key, index, value, 2); },
        [](const std::string&, nlohmann::json&&) {});

  // The verdict, in the order of the parsed path: the header, the arrangement, the lists, the count, then the regions
  // and entries in file order, then closure.
  record_verdict(report, [&] {
    if (!summary.repeated_keys.empty()) fail("certificate: key '" + summary.repeated_keys.front() + "' appears twice");
    for (const std::string& key : streamed)
      if (summary.lengths.count(key)) check.header[key] = nlohmann::json::array();  // its elements were streamed
    report.declared_kind = read_header(check.header);
    report.kind = CertificateKind::arrangement;
    if (network_file) fail("a network file was given, but this certificate is of kind 'arrangement'");
    if (check.arrangement_failure) throw *check.arrangement_failure;
    member(check.header, "arrangement", "");  // missing: fails here
    require_array(member(check.header, "regions", ""), "regions");
    require_array(member(check.header, "farkas", ""), "farkas");
    report.regions = summary.lengths["regions"];
    report.farkas = summary.lengths["farkas"];
    check_region_count(member(check.header, "region_count", ""), report.regions, arrangement_nonempty);
    if (check.element_failure) throw *check.element_failure;
    check.checker->finish();
  });
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

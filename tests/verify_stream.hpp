// The streaming checker (check_certificate_file) on a certificate written to a file, for the checker's tests: the same
// document in three orders of its root keys, so that every path of the stream (one pass, a second pass for lists met
// before what they need) is taken.
#pragma once

#include "verify/certificate_check.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace chamber::test {

using chamber::verify::CheckReport;
using nlohmann::json;

/*! the certificate as JSON text with its root members in the order `first` gives (the others after them, sorted):
 * the same document, in the byte order another writer might choose. */
inline std::string text_in_order(const json& certificate, const std::vector<std::string>& first) {
  if (!certificate.is_object()) return certificate.dump();
  std::string text = "{";
  auto add = [&](const std::string& key, const json& value) {
    text += (text.size() > 1 ? ",\n" : "") + json(key).dump() + ": " + value.dump();
  };
  for (const std::string& key : first)
    if (certificate.contains(key)) add(key, certificate[key]);
  for (const auto& [key, value] : certificate.items())
    if (std::find(first.begin(), first.end(), key) == first.end()) add(key, value);
  return text + "}";
}

/*! the reports of the streaming checker (check_certificate_file) on the certificate written to a file in three key
 * orders: sorted (farkas before regions), the writers' (arrangement, regions, farkas), and the lists first (a second
 * pass once the arrangement is known). */
inline std::vector<CheckReport> streamed_reports(const json& certificate, const json* network_file = nullptr,
                                                const std::string& network_file_name = "") {
  static int counter = 0;
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("chamber_stream_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) +
                                      ".json");
  std::vector<CheckReport> reports;
  for (const std::vector<std::string>& order :
       {std::vector<std::string>{}, {"format", "version", "kind", "arrangement", "region_count", "regions", "farkas"},
        {"regions", "farkas"}}) {
    {
      std::ofstream out(path);
      out << text_in_order(certificate, order);
    }
    reports.push_back(chamber::verify::check_certificate_file(path.string(), std::nullopt, network_file, network_file_name));
  }
  std::filesystem::remove(path);
  return reports;
}

}  // namespace chamber::test

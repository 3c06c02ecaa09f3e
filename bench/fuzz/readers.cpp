#include "bench/fuzz/readers.hpp"

#include "arrangement/arr_io.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/symmetry.hpp"
#include "cli/architecture.hpp"
#include "dataset/spec.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/network.hpp"
#include "cnn/points.hpp"
#include "cnn/random_network.hpp"
#include "cnn/slice.hpp"
#include "verify/certificate_check.hpp"
#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"

#include <nlohmann/json.hpp>

#include <cxxabi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <typeinfo>

namespace chamber::fuzz {

namespace fs = std::filesystem;

namespace {

// --- Inputs the CLI only reads from a path: one private directory per process ---------------------------------------

/*! a directory of this process under the system temp directory, removed at exit. It holds the input file of the
 * path-based readers and two empty files, net.json and a.arr, so that specs naming them find a regular file. */
class ScratchDirectory {
 public:
  ScratchDirectory() {
    const fs::path base = fs::temp_directory_path();
    for (unsigned attempt = 0;; ++attempt) {
      dir_ = base / ("chamber-fuzz-" + std::to_string(::getpid()) + "-" + std::to_string(attempt));
      std::error_code error;
      if (fs::create_directory(dir_, error)) break;
      if (attempt > 1000) throw std::runtime_error("cannot create a scratch directory under " + base.string());
    }
    for (const char* name : {"net.json", "a.arr"}) std::ofstream(dir_ / name).put('\n');
  }
  ~ScratchDirectory() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  /*! writes `bytes` to the file `name` of the directory and returns its path. */
  std::string write(const char* name, std::string_view bytes) const {
    const fs::path path = dir_ / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write the scratch file " + path.string());
    return path.string();
  }

 private:
  fs::path dir_;
};

const ScratchDirectory& scratch() {
  static const ScratchDirectory directory;
  return directory;
}

std::string text(std::string_view bytes) { return std::string(bytes); }

// --- The readers ----------------------------------------------------------------------------------------------------

/// `chamber count|enumerate|info FILE.arr`.
Outcome arr(std::string_view bytes) {
  std::istringstream in{text(bytes)};
  read_arr(in, "fuzz.arr");
  return Outcome::accepted;
}

/// `chamber count|info FILE.arr --symmetry FILE`: generators for R_3 with one duplicate row (8 rows, 7 hyperplanes),
/// read and verified as the CLI does.
Outcome symmetry(std::string_view bytes) {
  static const ArrFile file = [] {
    std::istringstream in("3 8\n0 1 0 0\n0 0 1 0\n0 1 1 0\n0 0 0 1\n0 1 0 1\n0 0 1 1\n0 1 1 1\n0 2 2 0\n");
    return read_arr(in, "r3.arr");
  }();
  read_symmetry_file(scratch().write("symmetry.json", bytes), file);
  return Outcome::accepted;
}

/// `chamber cnn|sample|slice NET.json`: read_network_file, the path-based entry the CLI uses.
Outcome network(std::string_view bytes) {
  read_network_file(scratch().write("network.json", bytes));
  return Outcome::accepted;
}

/// `chamber check CERT`: the certificate is read as cli/check.cpp reads it (inflated when gzip, then parsed; either
/// failing is exit 2), then checked. With the network the certificate names as --network, a valid one is checked
/// again against it, as `check --network` does.
Outcome certificate(std::string_view bytes) {
  std::string inflated;
  try {
    inflated = verify::inflate_if_gzip(text(bytes));
  } catch (const std::runtime_error&) {
    return Outcome::rejected;
  }
  std::string why;
  std::optional<nlohmann::json> document = verify::parse_json_document(inflated, why);
  if (!document) return Outcome::rejected;
  const nlohmann::json certificate = std::move(*document);
  const verify::CheckReport report = verify::check_certificate(certificate);
  if (report.valid && report.kind == verify::CertificateKind::network && certificate.is_object() && certificate.contains("network")) {
    const nlohmann::json network_file = certificate["network"];
    const verify::CheckReport again = verify::check_certificate(certificate, std::nullopt, &network_file, "net.json");
    if (!again.valid) throw std::logic_error("a valid network certificate does not match its own network: " + again.reason);
  }
  return report.valid ? Outcome::valid : Outcome::invalid;
}

/// `chamber dataset SPEC.json`: read_spec (file based).
Outcome dataset_spec(std::string_view bytes) {
  dataset::read_spec(scratch().write("spec.json", bytes));
  return Outcome::accepted;
}

/// `chamber cnn|slice --box LO,HI`.
Outcome box(std::string_view bytes) {
  parse_box(text(bytes), "--box");
  return Outcome::accepted;
}

/// `chamber slice --through P0;P1;P2`, the inline form (cli/slice.cpp, three_points: parse_point_list): three points of
/// one dimension, then the plane through them. The dimension is the first point's (the network's, in the CLI).
Outcome through(std::string_view bytes) {
  const std::string input = text(bytes);
  const std::string first = input.substr(0, input.find(';'));
  const std::size_t dimension = static_cast<std::size_t>(std::count(first.begin(), first.end(), ',')) + 1;
  const std::vector<RationalVector> points = parse_point_list(input, dimension, "--through");
  if (points.size() != 3) throw InputError("--through: expected 3 points");
  plane_through(points[0], points[1], points[2]);
  return Outcome::accepted;
}

/// `chamber cnn|line --points FILE` and `slice|line --through-file FILE`: a points file for a network on 1x3x3 inputs.
Outcome points(std::string_view bytes) {
  read_points_file(scratch().write("points.csv", bytes), 9);
  return Outcome::accepted;
}

/// `chamber formula|random --input CxHxW --conv K:KHxKW:S --linear U`: one option a line, "--input 1x3x3"; lines
/// naming no architecture option are ignored. Then what `formula` computes from the parsed architecture.
Outcome architecture(std::string_view bytes) {
  ArchitectureText options;
  std::istringstream in{text(bytes)};
  for (std::string line; std::getline(in, line);) {
    const std::size_t space = line.find_first_of(" =");
    const std::string option = line.substr(0, space);
    const std::string value = space == std::string::npos ? std::string() : line.substr(space + 1);
    if (option == "--input") options.input = value;
    else if (option == "--conv") options.conv.push_back(value);
    else if (option == "--linear") options.linear.push_back(value);
  }
  const Architecture parsed = parse_architecture(options);
  parsed.shapes();
  layers_json(parsed);
  closed_forms(parsed);
  return Outcome::accepted;
}

/// `chamber random --weights int:LO:HI|he:BITS` (also a dataset spec's "weights").
Outcome weights(std::string_view bytes) {
  parse_weight_distribution(to_string(parse_weight_distribution(text(bytes))));
  return Outcome::accepted;
}

std::string type_name(const std::type_info& type) {
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> demangled(abi::__cxa_demangle(type.name(), nullptr, nullptr, &status),
                                                        &std::free);
  return status == 0 && demangled ? demangled.get() : type.name();
}

std::string short_what(const char* what) {
  std::string s(what);
  if (s.size() > 300) s = s.substr(0, 300) + "... (" + std::to_string(s.size()) + " bytes)";
  return s;
}

}  // namespace

const std::vector<Reader>& readers() {
  static const std::vector<Reader> table{
      {"arr", "count/enumerate/info FILE.arr (read_arr)", arr},
      {"symmetry", "count/info --symmetry FILE (read_symmetry_file)", symmetry},
      {"network", "cnn/sample/slice NET.json (read_network_file)", network},
      {"arrangement_certificate", "check CERT.json, arrangement certificates", certificate, true},
      {"network_certificate", "check CERT.json [--network], network certificates", certificate, true},
      {"dataset_spec", "dataset SPEC.json (read_spec)", dataset_spec},
      {"box", "--box LO,HI (parse_box)", box},
      {"through", "slice --through P0;P1;P2 (parse_point_list, plane_through)", through},
      {"points", "cnn/line --points FILE, slice/line --through-file FILE (read_points_file)", points},
      {"architecture", "formula/random --input/--conv/--linear (parse_architecture, closed_forms)", architecture},
      {"weights", "random --weights (parse_weight_distribution)", weights},
  };
  return table;
}

const Reader* find_reader(std::string_view name) {
  for (const Reader& reader : readers())
    if (name == reader.name) return &reader;
  return nullptr;
}

Result run_reader(const Reader& reader, std::string_view bytes) {
  Result result;
  auto finding = [&](const std::string& what) {
    result.allowed = false;
    result.message = what;
  };
  try {
    result.outcome = reader.run(bytes);
  } catch (const InputError& e) {
    result.outcome = Outcome::rejected;
    result.message = short_what(e.what());
    if (reader.checker) finding("chamber::InputError escaped the checker: " + result.message);
  } catch (const LimitReached& e) {
    result.outcome = Outcome::limit;
    result.message = short_what(e.what());
    if (reader.checker) finding("chamber::LimitReached escaped the checker: " + result.message);
  } catch (const std::exception& e) {
    finding(type_name(typeid(e)) + ": " + short_what(e.what()));
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    finding("non-std exception " + (type ? type_name(*type) : std::string("(unknown)")));
  }
  return result;
}

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::accepted: return "accepted";
    case Outcome::rejected: return "rejected";
    case Outcome::limit: return "limit";
    case Outcome::valid: return "valid";
    case Outcome::invalid: return "invalid";
  }
  return "?";
}

}  // namespace chamber::fuzz

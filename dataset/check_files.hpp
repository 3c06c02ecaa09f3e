// Certificates checked from files, as `chamber check`, `chamber dataset --verify` and the Python module's
// chamber.check do it: the certificate (JSON or gzip JSON) and, optionally, the .arr or network file it must be
// about, handed to the independent checker (verify/).
#pragma once

#include "verify/certificate_check.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace chamber {

/*! reads a JSON file, gzip-compressed or not. \throws InputError naming it when it cannot be opened or inflated, or
 * is not JSON (nesting and size capped as by every reader). */
nlohmann::json read_json_file(const std::string& path);

/*! checks the certificate at `certificate`; `arrangement` (a .arr file) or `network` (a network file), when not
 * empty, must be what it is about. \throws InputError (exit 2) for a file that cannot be read or is malformed (a
 * network file the checker's own reader refuses included); a certificate that parses but does not verify is a
 * report with valid = false (exit 1). */
verify::CheckReport check_certificate_files(const std::string& certificate, const std::string& arrangement,
                                            const std::string& network);

}  // namespace chamber

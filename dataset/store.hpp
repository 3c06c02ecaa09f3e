// The files of a dataset directory (data/SCHEMA.md): rows.jsonl written a line at a time (resumable), the final
// files written whole (atomically), the hashes a manifest records, and the one reader of rows.jsonl.
#pragma once

#include "arrangement/output_file.hpp"
#include "dataset/spec.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace chamber::dataset {

/*! one row of rows.jsonl: an object whose keys keep the order they were written in. */
using Row = nlohmann::ordered_json;

/*! the schema_version of every row and manifest. */
inline constexpr int schema_version = 1;

/*! writes `content` to `path` whole or not at all (output_file.hpp: a temporary file, synced, renamed) and returns
 * its sha256. */
std::string write_hashed(const std::filesystem::path& path, const std::string& content);

/*! appends one line to `path` and makes it durable (fsync). A line torn by a full disk or a kill is dropped by the
 * next read_rows with `repair`. \throws InputError naming the file. */
void append_line(const std::filesystem::path& path, const std::string& line);

/*! reads the complete lines of rows.jsonl, keyed by index (a missing file: none); with `repair`, a torn last line is
 * cut from the file. A line that is not a row of this program ("FILE:LINE: reason") is an InputError, or, with
 * `problems`, listed there and skipped. */
std::map<std::size_t, Row> read_rows(const std::filesystem::path& path, bool repair,
                                     std::vector<std::string>* problems = nullptr);

/*! the sha256 a manifest records for dataset file `name`: of the file itself, except that rows.jsonl and rows.csv are
 * hashed without their timing field (the last key of each row, the last CSV column), so that the manifest of a
 * regenerated dataset is byte-identical too. */
std::string manifest_hash(const std::filesystem::path& dir, const std::string& name);

using chamber::gzip_bytes;  // (arrangement/output_file.hpp)

/*! the rows as CSV: a header of the first row's keys, one line per row. */
std::string to_csv(const std::vector<Row>& rows);

/*! the markdown summary.md of the rows (networks: counts beside the closed forms, where eq. (4) fails — each failure
 * with its certificate, or without one the budget that left it out and the verdict's verified dependency — and the
 * rows left uncounted with the budgets that stopped them; arrangements: counts, χ, the published count). `spec`
 * gives the budgets named. \pre rows is not empty. */
std::string to_summary(const std::vector<Row>& rows, const Spec& spec);

}  // namespace chamber::dataset

#include "dataset/store.hpp"

#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "dataset/sha256.hpp"
#include "dataset/spec.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace chamber::dataset {

namespace fs = std::filesystem;

std::string write_hashed(const fs::path& path, const std::string& content) {
  write_file_atomically(path.string(), content);
  return sha256_hex(content);
}

void append_line(const fs::path& path, const std::string& line) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw InputError(path.string() + ": cannot open for appending: " + std::strerror(errno));
  const std::string text = line + '\n';
  std::size_t written = 0;
  int error = 0;
  while (written < text.size() && error == 0) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = n < 0 ? errno : EIO;
    else written += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  ::close(fd);
  // A torn line (full disk) is dropped by the next run's reader (read_rows with repair).
  if (error != 0) throw InputError(path.string() + ": write error: " + std::strerror(error));
}

std::map<std::size_t, Row> read_rows(const fs::path& path, bool repair, std::vector<std::string>* problems) {
  std::map<std::size_t, Row> rows;
  if (std::error_code error; !fs::exists(path, error)) return rows;
  std::string content = read_file(path.string());
  const std::size_t complete = content.rfind('\n') == std::string::npos ? 0 : content.rfind('\n') + 1;
  if (complete != content.size()) {
    content.resize(complete);
    if (repair) fs::resize_file(path, complete);  // a line cut off by a kill: it is computed again
  }
  std::istringstream lines(content);
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    Row row;
    std::string why;
    try {
      parse_json_text(line, path.string());  // the depth cap, before the row is parsed
      row = Row::parse(line);
      why = dataset_row_problem(row);
    } catch (const InputError&) {
      why = "not a JSON row";
    } catch (const nlohmann::json::exception&) {
      why = "not a JSON row";
    }
    if (!why.empty()) {
      why = path.string() + ":" + std::to_string(number) + ": " + why;
      if (!problems) throw InputError(why);
      problems->push_back(why);
      continue;
    }
    const std::size_t index = row["index"].get<std::size_t>();
    rows[index] = std::move(row);
  }
  return rows;
}

std::string manifest_hash(const fs::path& dir, const std::string& name) {
  const fs::path path = dir / name;
  if (name != "rows.jsonl" && name != "rows.csv") return sha256_file(path.string());
  std::istringstream lines(read_file(path.string()));
  std::string line, stripped;
  while (std::getline(lines, line)) {
    if (name == "rows.jsonl") {
      const std::size_t at = line.rfind(",\"seconds\":");
      stripped += (at == std::string::npos ? line : line.substr(0, at) + "}") + '\n';
    } else {
      const std::size_t at = line.rfind(',');
      stripped += (at == std::string::npos ? line : line.substr(0, at)) + '\n';
    }
  }
  return sha256_hex(stripped);
}

}  // namespace chamber::dataset

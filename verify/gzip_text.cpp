#include "verify/gzip_text.hpp"

#include <zlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace chamber::verify {

std::string inflate_if_gzip(std::string bytes) {
  if (bytes.size() < 2 || static_cast<unsigned char>(bytes[0]) != 0x1f || static_cast<unsigned char>(bytes[1]) != 0x8b)
    return bytes;
  if (bytes.size() > (std::size_t{1} << 31)) throw std::runtime_error("gzip: over the cap of 2 GiB compressed");
  // Certificates compress 8-15 times; a stream that inflates far beyond that is refused before it exhausts memory.
  const std::size_t cap = max_inflation_ratio * bytes.size() + (std::size_t{1} << 24);
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) throw std::runtime_error("gzip: cannot initialise zlib");
  stream.next_in = reinterpret_cast<Bytef*>(bytes.data());
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[1 << 16];
  int status = Z_OK;
  while (status != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    status = inflate(&stream, Z_NO_FLUSH);
    if (status != Z_OK && status != Z_STREAM_END) {
      inflateEnd(&stream);
      throw std::runtime_error(std::string("gzip: corrupt or truncated stream (") + (stream.msg ? stream.msg : "no detail") +
                               ")");
    }
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > cap) {
      inflateEnd(&stream);
      throw std::runtime_error("gzip: inflates to more than " + std::to_string(max_inflation_ratio) +
                               " times its size plus 16 MiB (the cap)");
    }
    if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
      inflateEnd(&stream);
      throw std::runtime_error("gzip: truncated stream");
    }
  }
  const bool trailing = stream.avail_in != 0;
  inflateEnd(&stream);
  if (trailing) throw std::runtime_error("gzip: data after the end of the stream");
  return out;
}

std::string read_maybe_gzip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  try {
    return inflate_if_gzip(std::move(bytes).str());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace chamber::verify

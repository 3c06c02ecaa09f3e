#include "verify/json_stream.hpp"

#include "verify/certificate_fields.hpp"
#include "verify/gzip_text.hpp"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <istream>
#include <optional>
#include <set>
#include <streambuf>

namespace chamber::verify {

namespace {

/// The bytes of a file, inflated on the fly when it starts with the gzip magic (1f 8b), under read_maybe_gzip's cap.
class InflatingBuffer : public std::streambuf {
 public:
  explicit InflatingBuffer(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw StreamError(path + ": cannot open file");
    in_.seekg(0, std::ios::end);
    const std::streamoff size = in_.tellg();
    in_.seekg(0, std::ios::beg);
    if (size < 0) throw StreamError(path + ": cannot read file");
    char magic[2] = {0, 0};
    in_.read(magic, 2);
    const std::streamsize got = in_.gcount();
    in_.clear();
    in_.seekg(0, std::ios::beg);
    gzip_ = got == 2 && static_cast<unsigned char>(magic[0]) == 0x1f && static_cast<unsigned char>(magic[1]) == 0x8b;
    if (gzip_) {
      if (static_cast<std::uint64_t>(size) > (std::uint64_t{1} << 31))
        throw StreamError(path + ": gzip: over the cap of 2 GiB compressed");
      cap_ = max_inflation_ratio * static_cast<std::size_t>(size) + (std::size_t{1} << 24);
      if (inflateInit2(&stream_, 15 + 16) != Z_OK) throw StreamError(path + ": gzip: cannot initialise zlib");
      zlib_open_ = true;
    }
  }
  ~InflatingBuffer() override {
    if (zlib_open_) inflateEnd(&stream_);
  }
  InflatingBuffer(const InflatingBuffer&) = delete;
  InflatingBuffer& operator=(const InflatingBuffer&) = delete;

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    const std::size_t got = gzip_ ? inflate_some() : read_some();
    if (got == 0) return traits_type::eof();
    setg(out_.data(), out_.data(), out_.data() + got);
    return traits_type::to_int_type(*gptr());
  }

 private:
  std::size_t read_some() {
    in_.read(out_.data(), static_cast<std::streamsize>(out_.size()));
    if (in_.bad()) throw StreamError(path_ + ": cannot read file");
    return static_cast<std::size_t>(in_.gcount());
  }

  std::size_t inflate_some() {
    if (ended_) {
      if (stream_.avail_in != 0 || in_.peek() != std::char_traits<char>::eof())
        throw StreamError(path_ + ": gzip: data after the end of the stream");
      return 0;
    }
    stream_.next_out = reinterpret_cast<Bytef*>(out_.data());
    stream_.avail_out = static_cast<uInt>(out_.size());
    while (stream_.avail_out == out_.size()) {
      if (stream_.avail_in == 0) {
        in_.read(in_buffer_.data(), static_cast<std::streamsize>(in_buffer_.size()));
        if (in_.bad()) throw StreamError(path_ + ": cannot read file");
        stream_.next_in = reinterpret_cast<Bytef*>(in_buffer_.data());
        stream_.avail_in = static_cast<uInt>(in_.gcount());
        if (stream_.avail_in == 0) throw StreamError(path_ + ": gzip: truncated stream");
      }
      const int status = inflate(&stream_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) {
        ended_ = true;
        break;
      }
      if (status != Z_OK)
        throw StreamError(path_ + ": gzip: corrupt or truncated stream (" + (stream_.msg ? stream_.msg : "no detail") +
                          ")");
    }
    const std::size_t got = out_.size() - stream_.avail_out;
    inflated_ += got;
    if (inflated_ > cap_)
      throw StreamError(path_ + ": gzip: inflates to more than " + std::to_string(max_inflation_ratio) +
                        " times its size plus 16 MiB (the cap)");
    if (ended_ && got == 0) return inflate_some();
    return got;
  }

  std::string path_;
  std::ifstream in_;
  bool gzip_ = false, zlib_open_ = false, ended_ = false;
  z_stream stream_{};
  std::size_t cap_ = 0, inflated_ = 0;
  std::array<char, 1 << 16> in_buffer_{};
  std::array<char, 1 << 16> out_{};
};

using json = nlohmann::json;

/// nlohmann's SAX events turned into: root members, and the elements of the streamed arrays one at a time.
class Handler {
 public:
  Handler(const std::vector<std::string>& streamed, const ElementSink& element, const MemberSink& member,
          const ArrayEndSink& array_end, StreamSummary& summary)
      : streamed_(streamed), element_(element), member_(member), array_end_(array_end), summary_(summary) {}

  std::string why;  // the reason the text is not JSON (set before returning false)

  bool null() { return put(json(nullptr)); }
  bool boolean(bool value) { return put(json(value)); }
  bool number_integer(json::number_integer_t value) { return put(json(value)); }
  bool number_unsigned(json::number_unsigned_t value) { return put(json(value)); }
  bool number_float(json::number_float_t value, const std::string& text) {
    if (!std::isfinite(value)) {  // as the DOM parser: a number beyond a double is not accepted
      why = "number overflow parsing '" + text.substr(0, 40) + "'";
      return false;
    }
    return put(json(value));
  }
  bool string(std::string& value) { return put(json(std::move(value))); }
  bool binary(json::binary_t&) {
    why = "binary values are not JSON text";
    return false;
  }
  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool key(std::string& key) {
    if (stack_.empty() && depth_ == 1) {  // a member of the root object
      if (!seen_.insert(key).second) summary_.repeated_keys.push_back(key);
      root_key_ = std::move(key);
      return true;
    }
    keys_.back() = std::move(key);
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& error) {
    why = error.what();
    return false;
  }

 private:
  bool open(json::value_t type) {
    if (++depth_ > max_json_depth) {
      why = "arrays and objects nested deeper than the cap of " + std::to_string(max_json_depth) + " levels";
      return false;
    }
    if (depth_ == 1 && type == json::value_t::object) {  // the root object: its members are taken one by one
      summary_.root_is_object = true;
      return true;
    }
    if (depth_ == 2 && stack_.empty() && summary_.root_is_object && type == json::value_t::array &&
        std::find(streamed_.begin(), streamed_.end(), root_key_) != streamed_.end()) {
      streaming_ = true;  // a streamed array: its elements are the values built from here on
      index_ = 0;
      return true;
    }
    json container(type);
    if (stack_.empty()) {
      building_ = std::move(container);
      stack_.push_back(&building_);
    } else {
      json& parent = *stack_.back();
      json* child = nullptr;
      if (parent.is_array()) {
        parent.push_back(std::move(container));
        child = &parent.back();
      } else {
        child = &(parent[keys_.back()] = std::move(container));
      }
      stack_.push_back(child);
    }
    keys_.emplace_back();
    return true;
  }

  bool close() {
    --depth_;
    if (stack_.empty()) {  // the end of a streamed array, or of the root object
      if (streaming_) {
        streaming_ = false;
        summary_.lengths[root_key_] += index_;
        if (array_end_) array_end_(root_key_, index_);
      }
      return true;
    }
    stack_.pop_back();
    keys_.pop_back();
    if (stack_.empty()) deliver(std::move(building_));
    return true;
  }

  bool put(json&& value) {
    if (stack_.empty()) {
      deliver(std::move(value));
      return true;
    }
    json& parent = *stack_.back();
    if (parent.is_array())
      parent.push_back(std::move(value));
    else
      parent[keys_.back()] = std::move(value);
    return true;
  }

  /*! a complete value outside any container being built: an element, a root member, or the whole root. */
  void deliver(json&& value) {
    if (streaming_)
      element_(root_key_, index_++, std::move(value));
    else if (summary_.root_is_object)
      member_(root_key_, std::move(value));
    else
      summary_.root = std::move(value);
  }

  const std::vector<std::string>& streamed_;
  const ElementSink& element_;
  const MemberSink& member_;
  const ArrayEndSink& array_end_;
  StreamSummary& summary_;
  std::size_t depth_ = 0;
  bool streaming_ = false;
  std::size_t index_ = 0;
  std::string root_key_;
  std::set<std::string> seen_;
  json building_;
  std::vector<json*> stack_;        // the containers being built, innermost last
  std::vector<std::string> keys_;   // the pending key of each (objects)
};

}  // namespace

StreamSummary stream_json_file(const std::string& path, const std::vector<std::string>& streamed,
                               const ElementSink& element, const MemberSink& member, const ArrayEndSink& array_end) {
  InflatingBuffer buffer(path);
  std::istream in(&buffer);
  StreamSummary summary;
  Handler handler(streamed, element, member, array_end, summary);
  const bool parsed = json::sax_parse(in, &handler);
  if (!parsed) throw StreamError(path + ": not JSON: " + (handler.why.empty() ? "parse error" : handler.why));
  return summary;
}

}  // namespace chamber::verify

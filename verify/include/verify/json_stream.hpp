// Reading a large JSON file without holding it: the file (plain or gzip, inflated as it is read, under the same cap as
// read_maybe_gzip) goes through nlohmann's SAX parser, and the elements of chosen arrays of the root object are built
// one at a time, handed over and dropped. Used by the streaming certificate checker (certificate_check.hpp), whose
// memory is then bounded by what it keeps of each element, not by the file.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace chamber::verify {

/// A file that cannot be read, a corrupt gzip stream, or text that is not JSON: bad input (exit 2), not a verdict.
struct StreamError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/*! receives element `index` of the streamed array `key` of the root object. */
using ElementSink = std::function<void(const std::string& key, std::size_t index, nlohmann::json&& element)>;
/*! receives the root object's member `key` (any member that is not a streamed array), in file order. */
using MemberSink = std::function<void(const std::string& key, nlohmann::json&& value)>;
/*! told that the streamed array `key` ended after `elements` elements. */
using ArrayEndSink = std::function<void(const std::string& key, std::size_t elements)>;

struct StreamSummary {
  bool root_is_object = false;
  nlohmann::json root;                          // the whole document when its root is not an object
  std::map<std::string, std::size_t> lengths;   // elements of each streamed array seen
  std::vector<std::string> repeated_keys;       // root keys that appear more than once
};

/*! parses the JSON file at `path`: every element of a root member named in `streamed` whose value is an array goes to
 * `element` (then its end to `array_end`, when given), every other root member to `member`. A root that is not an object is returned whole in the summary.
 * Nesting is capped at max_json_depth levels, numbers beyond a double are refused, as by parse_json_document.
 * \throws StreamError naming `path` when the file cannot be read, its gzip stream is corrupt or over the cap, or it is
 *         not JSON; whatever the sinks throw passes through. */
StreamSummary stream_json_file(const std::string& path, const std::vector<std::string>& streamed,
                               const ElementSink& element, const MemberSink& member,
                               const ArrayEndSink& array_end = nullptr);

}  // namespace chamber::verify

// A compact binary form of the jobs and results of a tree of jobs (arrangement/job_tree.hpp), for chamber-mpi's
// messages: LEB128 integers, GMP integers as sign, length and big-endian bytes. The rank that keeps the tree decodes a
// result's regions and counts but keeps its children encoded (WireJob) and hands them on as they came, so its cost per
// job does not grow with the Farkas entries a child inherits.
#pragma once

#include "arrangement/enumerate.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace chamber {

/*! a job in encoded form (encode_job): its depth, which the tree needs, and its bytes, shared by the copies. */
struct WireJob {
  std::size_t depth = 0;
  std::shared_ptr<const std::string> bytes;
};

/*! a job's result as it arrives: everything decoded but the children, which stay encoded. */
struct WireResult {
  std::size_t id = 0;     // the job's id in the tree
  double seconds = 0;     // its search, where it ran
  SubtreeResult result;   // children empty
  std::vector<WireJob> children;
};

std::string encode_job(const FrontierJob& job);
WireJob wire_job(const FrontierJob& job);
/*! \throws InternalError on bytes that are not an encoded job. */
FrontierJob decode_job(std::string_view bytes);

/*! encodes job `id`'s result (its children too), searched in `seconds`. */
std::string encode_result(std::size_t id, double seconds, const SubtreeResult& result);
/*! sets the seconds of an encoded result (for a time that includes the encoding). */
void set_result_seconds(std::string& bytes, double seconds);
/*! \throws InternalError on bytes that are not an encoded result. */
WireResult decode_result(std::string_view bytes);

/*! a job handed to a worker: its batch (the enumeration it belongs to), its id, name and level in the tree, and the
 * job. */
std::string encode_job_message(std::uint64_t batch, const JobInfo& info, const WireJob& job);
struct JobMessage {
  std::uint64_t batch = 0;
  std::size_t id = 0;
  std::string name;
  std::size_t level = 0;
  FrontierJob job;
};
/*! \throws InternalError on bytes that are not an encoded job message. */
JobMessage decode_job_message(std::string_view bytes);

}  // namespace chamber

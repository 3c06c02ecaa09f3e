// The batch message of chamber-mpi, as JSON text: the arrangement a batch of jobs belongs to with the jobs' options.
// Integers travel as decimal strings, so every number arrives exactly. Jobs and results travel in binary
// (arrangement/job_wire.hpp).
#pragma once

#include "arrangement/enumerate.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace chamber::mpi {

/*! what a worker needs to search a batch's jobs. */
struct Batch {
  std::uint64_t id = 0;
  Arrangement arrangement;
  JobOptions options;
};

nlohmann::json batch_json(std::uint64_t id, const Arrangement& arrangement, const JobOptions& options);
/*! \throws InternalError when the message is not a batch. */
Batch batch_from_json(const nlohmann::json& message);

}  // namespace chamber::mpi

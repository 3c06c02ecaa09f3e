// Architectures on the command line: --input CxHxW, --conv K:KHxKW:S (or :SHxSW), --linear U (cnn/architecture.hpp
// parses them).
#pragma once

#include "cnn/architecture.hpp"

#include <CLI/CLI.hpp>

namespace chamber::cli {

/*! adds --input (required), --conv and --linear (repeatable; conv layers come first). */
void add_architecture_options(CLI::App& command, ArchitectureText& options);

}  // namespace chamber::cli

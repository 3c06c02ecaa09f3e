#include "cli/architecture.hpp"

namespace chamber::cli {

void add_architecture_options(CLI::App& command, ArchitectureText& options) {
  command.add_option("--input", options.input, "Input shape CxHxW (channels x height x width)")->required();
  command.add_option("--conv", options.conv,
                     "A conv layer K:KHxKW:S (K filters of KHxKW, stride S or SHxSW); repeat for more layers");
  command.add_option("--linear", options.linear, "A fully connected layer with U units; repeat, after the conv layers");
}

}  // namespace chamber::cli

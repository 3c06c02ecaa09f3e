// chamber random --input CxHxW --conv … --linear … [--readout U] --seed N [--weights int:LO:HI|he:BITS] -o NET.json
#include "arrangement/errors.hpp"
#include "cli/architecture.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/random_network.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct RandomOptions {
  ArchitectureText architecture;
  std::uint64_t seed = 1;
  std::string weights = "int:-9:9";
  std::size_t readout = 0;  // 0: no read-out layer
  std::string output;
  CommonOptions common;
};

int run_random(const RandomOptions& options) {
  const Architecture architecture = parse_architecture(options.architecture);
  const WeightDistribution distribution = parse_weight_distribution(options.weights);
  Network network = random_network(architecture.input, architecture.layers, options.seed, distribution, options.readout);
  write_network_file(network, options.output);
  if (options.common.json) {
    nlohmann::json out{{"network", options.output},
                       {"seed", options.seed},
                       {"weights", to_string(distribution)},
                       {"input_dimension", network.input_dimension()},
                       {"hidden_neurons", network.hidden_neurons()},
                       {"layers", layers_json(architecture)}};
    if (network.readout) out["readout"] = network.readout->out_features;
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << "wrote " << options.output << ": " << describe_layers(network) << " (" << network.hidden_neurons()
              << " hidden neurons"
              << (network.readout ? ", a read-out of " + std::to_string(network.readout->out_features) + " outputs" : "")
              << ", weights " << to_string(distribution) << ", seed " << options.seed << ")\n";
  }
  return 0;
}

}  // namespace

Command add_random_command(CLI::App& app) {
  auto options = std::make_shared<RandomOptions>();
  CLI::App* command = app.add_subcommand("random", "Write a network with reproducible random weights");
  add_architecture_options(*command, options->architecture);
  command->add_option("--seed", options->seed, "Seed (same seed, same network on every machine)");
  command->add_option("--weights", options->weights,
                      "int:LO:HI (uniform integers) or he:BITS (He Gaussian rounded to BITS binary digits)")
      ->capture_default_str();
  command->add_option("--readout", options->readout,
                      "Add a read-out layer of U outputs (a linear layer without ReLU; drawn after the hidden layers, "
                      "which stay those of the same seed without it)")
      ->check(CLI::Range(std::size_t{1}, max_network_tensor_entries));
  command->add_option("-o,--output", options->output, "Network file to write (JSON)")->required();
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_random(*options); }};
}

}  // namespace chamber::cli

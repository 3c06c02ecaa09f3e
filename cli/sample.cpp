// chamber sample NET.json --samples N --sigma S --seed R: the sampling estimate (Xiong et al. §6), a lower bound.
#include "arrangement/errors.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cnn/sampling.hpp"

#include <iostream>
#include <memory>

namespace chamber::cli {

namespace {

struct SampleCommandOptions {
  std::string network;
  SampleOptions sample;
  CommonOptions common;
};

int run_sample(const SampleCommandOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  Network network = read_network_file(options.network);
  SampleOptions sample = options.sample;
  sample.control = make_run_control(options.common);
  SampleResult result = sample_patterns(network, sample);
  if (options.common.json) {
    nlohmann::json out{{"network", options.network},
                       {"samples", result.samples},
                       {"sigma", sample.sigma},
                       {"seed", sample.seed},
                       {"distinct_patterns", result.distinct_patterns},
                       {"exact_reevaluations", result.exact_reevaluations},
                       {"hidden_neurons", network.hidden_neurons()},
                       {"seconds", seconds_since(start)}};
    std::cout << out.dump(2) << std::endl;
  } else {
    std::cout << result.distinct_patterns << " distinct activation patterns in " << result.samples
              << " Gaussian samples (sigma " << sample.sigma << ", seed " << sample.seed
              << "): a lower bound on the linear regions\n";
  }
  return 0;
}

}  // namespace

Command add_sample_command(CLI::App& app) {
  auto options = std::make_shared<SampleCommandOptions>();
  CLI::App* command =
      app.add_subcommand("sample", "Sampling estimate: distinct activation patterns of Gaussian inputs (a lower bound)");
  command->add_option("NETWORK", options->network, "Network file (JSON)")->required();
  command->add_option("--samples", options->sample.samples, "Number of samples")->capture_default_str();
  command->add_option("--sigma", options->sample.sigma, "Standard deviation of each input coordinate")
      ->capture_default_str();
  command->add_option("--seed", options->sample.seed, "Seed")->capture_default_str();
  add_common_options(*command, options->common, false);
  return {command, [options] { return run_sample(*options); }};
}

}  // namespace chamber::cli

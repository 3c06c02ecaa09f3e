// The library call behind `chamber cnn` (and the Python module's Network.count): the exact linear regions of a ReLU
// network with everything reported beside them — every closed form that applies, for one conv layer the Prop. 2
// check and the verdict on eq. (4), breakpoints in 1-D, a sampling estimate, the regions of given inputs, and a
// certificate. Its to_json() is the command's --json output.
#pragma once

#include "arrangement/count.hpp"
#include "cnn/architecture.hpp"
#include "cnn/linear_regions.hpp"
#include "cnn/points.hpp"
#include "cnn/region_certificate.hpp"
#include "cnn/sampling.hpp"
#include "cnn/verdict.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

/*! the sampling estimate beside the exact count (a lower bound by distinct patterns). */
struct SamplingRequest {
  std::uint64_t samples = 100000;
  double sigma = 3;
  std::uint64_t seed = 1;
};

struct NetworkAnalysisOptions {
  std::optional<Box> box;             // count only regions meeting the open box
  bool verdict = true;                // the Prop. 2 search and the eq. (4) verdict (one conv layer, no box)
  std::uint64_t prop2_budget = 2000000;  // subsets per condition before "undecided"
  std::optional<SamplingRequest> sampling;
  std::vector<InputPoint> points;     // also locate these inputs
  std::string points_file;            // their file, for the report
  std::string certificate;            // write the certificate here (empty: none)
  SearchOptions search;
  NetworkEngine engine = NetworkEngine::automatic;  // the 2-D engine without LPs on 2-D inputs, else the LP engine
};

/*! what the certificate took (NetworkCertificateBuilder's counts). */
struct NetworkCertificateSummary {
  std::string path;
  std::size_t regions = 0;
  std::size_t farkas_entries = 0;
  NetworkCertificateStats stats;
};

/*! what analyse_network found. */
struct NetworkAnalysis {
  std::string network_file;  // as given (the "network" key); empty for a network not read from a file
  std::size_t input_dimension = 0, hidden_neurons = 0;
  Shape input;
  std::string layers_text;  // describe_layers
  nlohmann::json layers;  // layers_json(network)
  std::vector<ClosedForm> closed_forms;
  std::optional<Box> box;
  LinearRegionStats stats;
  std::optional<Eq4Verdict> verdict;
  std::optional<std::vector<Rational>> breakpoints;  // 1-D inputs: the breakpoints of the network, sorted
  std::optional<SamplingRequest> sampling;
  std::optional<SampleResult> sampled;
  std::string points_file;
  std::optional<PointsReport> located;
  std::optional<NetworkCertificateSummary> certificate;
  double seconds = 0;

  /*! the `chamber cnn --json` object. */
  nlohmann::json to_json() const;
};

/*! analyses `network`; every enumerated region also goes to `sink` when given. Cross-checks (sampling never finds
 * more patterns than regions, every located point's region is enumerated) throw InternalError when violated.
 * \throws LimitReached past control's limits, Interrupted on a stop signal, InputError for a bad box or points. */
NetworkAnalysis analyse_network(const Network& network, const NetworkAnalysisOptions& options,
                                const RunControl& control,
                                const std::function<void(const LinearRegion&)>& sink = {});

}  // namespace chamber

// _chamber: the C++ side of the Python module `chamber` (python/chamber/__init__.py is the Python side). Every call
// goes to the same library function as the matching CLI command and returns its report as JSON text, so that a
// result's to_json() equals the command's --json output. Long calls run on a worker thread with the GIL released;
// the calling thread polls Python's signal handlers every 100 ms, so Ctrl-C stops the computation (Interrupted at
// its next poll) and raises KeyboardInterrupt.
#include "arrangement/arr_io.hpp"
#include "arrangement/count.hpp"
#include "arrangement/errors.hpp"
#include "arrangement/input_limits.hpp"
#include "arrangement/output_file.hpp"
#include "arrangement/report_json.hpp"
#include "arrangement/run_limits.hpp"
#include "cnn/analysis.hpp"
#include "cnn/architecture.hpp"
#include "cnn/decision.hpp"
#include "cnn/expectation.hpp"
#include "cnn/formula_report.hpp"
#include "cnn/network.hpp"
#include "cnn/points.hpp"
#include "cnn/line.hpp"
#include "cnn/random_network.hpp"
#include "cnn/realize.hpp"
#include "cnn/slice.hpp"
#include "dataset/check_files.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <signal.h>

#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

namespace py = pybind11;

namespace chamber::python {

namespace {

/*! raised for --max-regions / --time-limit (exit 4 in the CLI). */
PyObject* limit_reached_type = nullptr;

/*! runs `work` on a worker thread with the GIL released and returns its result (its exception rethrown here);
 * Ctrl-C while it runs asks it to stop and raises KeyboardInterrupt once it has unwound. */
template <class Work>
auto interruptible(Work work) -> decltype(work()) {
  using Result = decltype(work());
  std::packaged_task<Result()> task(std::move(work));
  std::future<Result> done = task.get_future();
  clear_stop_request();
  std::thread worker(std::move(task));
  for (;;) {
    bool ready;
    {
      py::gil_scoped_release release;
      ready = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
    }
    if (ready) break;
    if (PyErr_CheckSignals() != 0) {  // KeyboardInterrupt (or another handler's exception) is now set
      ask_to_stop(SIGINT);
      {
        py::gil_scoped_release release;
        worker.join();
      }
      clear_stop_request();
      throw py::error_already_set();
    }
  }
  worker.join();
  return done.get();
}

std::optional<Box> box_of(const std::optional<std::string>& box) {
  if (!box) return std::nullopt;
  return parse_box(*box, "box");
}

RationalVector rationals_of(const std::vector<std::string>& values, const std::string& where) {
  std::string text;
  for (const std::string& v : values) text += (text.empty() ? "" : ",") + v;
  return parse_coordinates(text, where);
}

using ArrHandle = std::shared_ptr<const ArrFile>;
using NetworkHandle = std::shared_ptr<const Network>;

}  // namespace

}  // namespace chamber::python

using namespace chamber;
using namespace chamber::python;

PYBIND11_MODULE(_chamber, m) {
  m.doc() = "chamber's C++ library (use the package `chamber`, not this module)";
  limit_reached_type = PyErr_NewException("chamber.LimitReached", PyExc_RuntimeError, nullptr);
  m.attr("LimitReached") = py::handle(limit_reached_type);
  py::register_exception_translator([](std::exception_ptr error) {
    try {
      if (error) std::rethrow_exception(error);
    } catch (const InputError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const LimitReached& e) {
      PyErr_SetString(limit_reached_type, e.what());
    } catch (const Interrupted& e) {
      PyErr_SetString(PyExc_KeyboardInterrupt, e.what());
    } catch (const InternalError& e) {
      PyErr_SetString(PyExc_RuntimeError, (std::string("internal inconsistency: ") + e.what()).c_str());
    }
  });

  py::class_<ArrFile, std::shared_ptr<ArrFile>>(m, "ArrFile")
      .def_property_readonly("dimension", [](const ArrFile& f) { return f.arrangement.dimension(); })
      .def_property_readonly("hyperplanes", [](const ArrFile& f) { return f.arrangement.size(); })
      .def_property_readonly("input_hyperplanes", [](const ArrFile& f) { return f.input.size(); })
      .def_property_readonly("name", [](const ArrFile& f) { return f.name; });
  m.def("read_arr_file", [](const std::string& path) { return std::make_shared<ArrFile>(read_arr_file(path)); });
  m.def("read_arr_text", [](const std::string& text, const std::string& name) {
    std::istringstream in(text);
    return std::make_shared<ArrFile>(read_arr(in, name));
  });

  m.def(
      "count",
      [](ArrHandle file, const std::string& method, const std::string& chi, bool bounded, bool exact_lp,
         unsigned threads, std::optional<double> time_limit, std::optional<std::uint64_t> max_regions,
         const std::string& name, const std::string& symmetry, const std::string& checkpoint,
         const std::string& resume, double checkpoint_every, std::uint64_t job_budget) {
        if (!(checkpoint_every > 0)) throw InputError("checkpoint_every: must be positive");
        if (job_budget == 0) throw InputError("job_budget: must be positive");
        const CountOptions options{parse_count_method(method, "method"),
                                   parse_chi_method(chi, "chi"),
                                   bounded,
                                   SearchOptions{exact_lp, resolve_threads(threads)},
                                   symmetry,
                                   RunCheckpoints{checkpoint, checkpoint_every, resume},
                                   job_budget};
        const RunControl control = run_limits(time_limit, max_regions);
        CountReport report = interruptible([&] { return count_arrangement(*file, options, control); });
        report.file = name;
        if (!report.disagreement.empty()) throw InternalError(report.disagreement);
        return report.to_json().dump();
      },
      py::arg("file"), py::arg("method"), py::arg("chi"), py::arg("bounded"), py::arg("exact_lp"),
      py::arg("threads"), py::arg("time_limit"), py::arg("max_regions"), py::arg("name"), py::arg("symmetry"),
      py::arg("checkpoint"), py::arg("resume"), py::arg("checkpoint_every"), py::arg("job_budget"));

  m.def(
      "enumerate",
      [](ArrHandle file, bool bounded, const std::string& certificate, bool exact_lp, unsigned threads,
         std::optional<double> time_limit, std::optional<std::uint64_t> max_regions, const std::string& name) {
        const EnumerateOptions options{bounded, certificate, SearchOptions{exact_lp, resolve_threads(threads)}};
        const RunControl control = run_limits(time_limit, max_regions);
        // (signs, witness as "p/q" strings, bounded or None) per region
        using Row = std::tuple<std::string, std::vector<std::string>, std::optional<bool>>;
        auto rows = std::make_shared<std::vector<Row>>();
        EnumerateReport report = interruptible([&] {
          return enumerate_arrangement(*file, options, control, [&](const Region& region, std::optional<bool> b) {
            std::vector<std::string> witness;
            for (const Rational& v : region.witness.to_rationals()) witness.push_back(to_string(v));
            rows->emplace_back(region.signs, std::move(witness), b);
          });
        });
        report.file = name;
        return std::make_pair(report.to_json().dump(), std::move(*rows));
      },
      py::arg("file"), py::arg("bounded"), py::arg("certificate"), py::arg("exact_lp"), py::arg("threads"),
      py::arg("time_limit"), py::arg("max_regions"), py::arg("name"));

  m.def(
      "info",
      [](ArrHandle file, std::size_t examples, std::optional<double> time_limit, const std::string& name,
         const std::string& symmetry) {
        const RunControl control = run_limits(time_limit, std::nullopt);
        DegeneracyReport report =
            interruptible([&] { return arrangement_info(*file, examples, control, symmetry); });
        nlohmann::json out = to_json(report);
        out["file"] = name;
        return out.dump();
      },
      py::arg("file"), py::arg("examples"), py::arg("time_limit"), py::arg("name"), py::arg("symmetry"));

  py::class_<Network, std::shared_ptr<Network>>(m, "NetworkModel")
      .def_property_readonly("input_dimension", &Network::input_dimension)
      .def_property_readonly("hidden_neurons", &Network::hidden_neurons)
      .def_property_readonly("readout_outputs",
                             [](const Network& n) -> std::optional<std::size_t> {
                               if (!n.readout) return std::nullopt;
                               return n.readout->out_features;
                             })
      .def_property_readonly("input_shape",
                             [](const Network& n) {
                               return std::make_tuple(n.input.channels, n.input.height, n.input.width);
                             })
      .def("to_json", [](const Network& n) { return to_json(n).dump(); });
  m.def("read_network_file",
        [](const std::string& path) { return std::make_shared<Network>(read_network_file(path)); });
  m.def("read_network_text", [](const std::string& text, const std::string& name) {
    return std::make_shared<Network>(read_network(parse_json_text(text, name), name));
  });

  m.def(
      "analyse_network",
      [](NetworkHandle network, std::optional<std::string> box, bool verdict, std::uint64_t prop2_budget,
         const std::string& certificate, std::optional<std::uint64_t> samples, double sigma, std::uint64_t seed,
         bool exact_lp, unsigned threads, std::optional<double> time_limit, std::optional<std::uint64_t> max_regions,
         bool collect_regions, const std::string& name, const std::string& engine) {
        NetworkAnalysisOptions options;
        options.box = box_of(box);
        options.engine = parse_network_engine(engine, "engine");
        options.verdict = verdict;
        options.prop2_budget = prop2_budget;
        options.certificate = certificate;
        if (samples) options.sampling = SamplingRequest{*samples, sigma, seed};
        options.search = SearchOptions{exact_lp, resolve_threads(threads)};
        const RunControl control = run_limits(time_limit, max_regions);
        using Row = std::pair<std::string, std::vector<std::string>>;  // (pattern, witness)
        auto rows = std::make_shared<std::vector<Row>>();
        NetworkAnalysis result = interruptible([&] {
          return analyse_network(*network, options, control, [&](const LinearRegion& region) {
            if (!collect_regions) return;
            std::vector<std::string> witness;
            for (const Rational& v : region.witness.to_rationals()) witness.push_back(to_string(v));
            rows->emplace_back(region.pattern, std::move(witness));
          });
        });
        result.network_file = name;
        return std::make_pair(result.to_json().dump(), std::move(*rows));
      },
      py::arg("network"), py::arg("box"), py::arg("verdict"), py::arg("prop2_budget"), py::arg("certificate"),
      py::arg("samples"), py::arg("sigma"), py::arg("seed"), py::arg("exact_lp"), py::arg("threads"),
      py::arg("time_limit"), py::arg("max_regions"), py::arg("collect_regions"), py::arg("name"),
      py::arg("engine") = "auto");

  m.def(
      "slice",
      [](NetworkHandle network, const std::vector<std::string>& p0, const std::vector<std::string>& p1,
         const std::vector<std::string>& p2, const std::string& window_text, const std::string& svg,
         const std::string& colour, std::optional<double> time_limit, std::optional<std::uint64_t> max_regions,
         const std::string& name) {
        if (colour != "region" && colour != "class")
          throw InputError("colour: expected \"region\" or \"class\", found \"" + colour.substr(0, 40) + "\"");
        const bool by_class = colour == "class";
        if (by_class && !network->readout)
          throw InputError((name.empty() ? std::string("network") : name) +
                           ": colour=\"class\" needs a readout layer (the network has none)");
        const std::size_t n = network->input_dimension();
        std::vector<RationalVector> points{rationals_of(p0, "p0"), rationals_of(p1, "p1"), rationals_of(p2, "p2")};
        for (std::size_t k = 0; k < 3; ++k)
          if (points[k].size() != n)
            throw InputError("p" + std::to_string(k) + ": has " + std::to_string(points[k].size()) +
                             " coordinates, the network's input has " + std::to_string(n));
        const Plane plane = plane_through(points[0], points[1], points[2]);
        const Box window = parse_box(window_text, "window");
        const RunControl control = run_limits(time_limit, max_regions);
        const auto start = std::chrono::steady_clock::now();
        const Slice slice = interruptible([&] { return compute_slice(*network, plane, window, control); });
        const std::vector<std::string> colours = region_colours(slice.polygons.size());
        std::optional<DecisionSlice> decision;
        if (by_class) decision = interruptible([&] { return decide_slice(*network, slice); });
        if (!svg.empty()) {
          OutputFile out(svg);
          if (decision)
            write_decision_svg(out.stream(), slice, *decision);
          else
            write_slice_svg(out.stream(), slice, colours);
          out.commit();
        }
        nlohmann::json out = slice_json(slice, plane, window, colours);
        if (decision) add_decision_json(out, *decision);
        out["network"] = name;
        out["svg"] = svg.empty() ? nlohmann::json(nullptr) : nlohmann::json(svg);
        out["seconds"] = seconds_since(start);
        return out.dump();
      },
      py::arg("network"), py::arg("p0"), py::arg("p1"), py::arg("p2"), py::arg("window"), py::arg("svg"),
      py::arg("colour"), py::arg("time_limit"), py::arg("max_regions"), py::arg("name"));

  m.def(
      "line",
      [](NetworkHandle network, const std::vector<std::string>& p0, const std::vector<std::string>& p1,
         std::optional<double> time_limit, std::optional<std::uint64_t> max_regions, const std::string& name) {
        const RationalVector from = rationals_of(p0, "p0"), to = rationals_of(p1, "p1");
        const RunControl control = run_limits(time_limit, max_regions);
        const auto start = std::chrono::steady_clock::now();
        std::vector<LineSegment> segments;
        segments.push_back(interruptible([&] { return compute_line(*network, from, to, control); }));
        nlohmann::json out = lines_json(segments);
        out["network"] = name;
        out["seconds"] = seconds_since(start);
        return out.dump();
      },
      py::arg("network"), py::arg("p0"), py::arg("p1"), py::arg("time_limit"), py::arg("max_regions"),
      py::arg("name"));

  m.def(
      "pre_activations",
      [](NetworkHandle network, const std::vector<std::string>& x) {
        const RationalVector point = rationals_of(x, "x");
        if (point.size() != network->input_dimension())
          throw InputError("x: has " + std::to_string(point.size()) + " coordinates, the network's input has " +
                           std::to_string(network->input_dimension()));
        std::vector<std::string> values;
        for (const Rational& v : pre_activations(*network, point)) values.push_back(to_string(v));
        return values;
      },
      py::arg("network"), py::arg("x"));

  m.def("closed_forms", [](NetworkHandle network) {
    nlohmann::json out;
    out["layers"] = layers_json(*network);
    add_closed_forms_json(out, closed_forms(*network));
    return out.dump();
  });

  m.def(
      "formula",
      [](const std::string& input, const std::vector<std::string>& conv, const std::vector<std::string>& linear,
         bool exact, std::uint64_t seed, const std::string& weights, std::optional<double> time_limit,
         std::optional<std::uint64_t> max_regions) {
        const Architecture architecture = parse_architecture(ArchitectureText{input, conv, linear});
        std::optional<ExactDraw> draw;
        if (exact) draw = ExactDraw{seed, parse_weight_distribution(weights)};
        const RunControl control = run_limits(time_limit, max_regions);
        const FormulaReport report = interruptible([&] { return formula_report(architecture, input, draw, control); });
        return report.to_json().dump();
      },
      py::arg("input"), py::arg("conv"), py::arg("linear"), py::arg("exact"), py::arg("seed"), py::arg("weights"),
      py::arg("time_limit"), py::arg("max_regions"));

  m.def(
      "expect",
      [](const std::string& input, const std::vector<std::string>& conv, const std::vector<std::string>& linear,
         std::size_t draws, const std::string& weights, std::uint64_t seed, const std::string& engine, bool exact_lp,
         unsigned threads, std::optional<double> time_limit, std::optional<std::uint64_t> max_regions) {
        // The option names of `chamber expect` in messages (--engine, --draws), as the architecture's own.
        const ArchitectureText text{input, conv, linear};
        const Architecture architecture = parse_architecture(text);
        ExpectationOptions options;
        options.draws = draws;
        options.weights = parse_weight_distribution(weights);
        options.seed = seed;
        options.engine = parse_network_engine(engine, "--engine");
        options.search = SearchOptions{exact_lp, resolve_threads(threads)};
        const RunControl control = run_limits(time_limit, max_regions);
        const ExpectationEstimate estimate =
            interruptible([&] { return estimate_expectation(architecture, to_string(text), options, control); });
        return estimate.to_json().dump();
      },
      py::arg("input"), py::arg("conv"), py::arg("linear"), py::arg("draws"), py::arg("weights"), py::arg("seed"),
      py::arg("engine"), py::arg("exact_lp"), py::arg("threads"), py::arg("time_limit"), py::arg("max_regions"));

  m.def(
      "realize",
      [](const std::string& breakpoints, const std::string& slopes, const std::string& value_at_zero,
         const std::string& points_file, const std::vector<std::pair<std::string, std::string>>& points,
         const std::string& output, std::optional<double> time_limit, std::optional<std::uint64_t> max_regions) {
        PiecewiseLinearText text{breakpoints, slopes, value_at_zero, points_file, {}};
        for (std::size_t i = 0; i < points.size(); ++i) {
          const std::string where = "points[" + std::to_string(i) + "]";
          const RationalVector xy = rationals_of({points[i].first, points[i].second}, where);
          if (xy.size() != 2) throw InputError(where + ": expected 2 exact numbers (x, y)");
          text.point_list.emplace_back(xy[0], xy[1]);
        }
        const PiecewiseLinear f = parse_piecewise_linear(text);
        const RunControl control = run_limits(time_limit, max_regions);
        const Realization realization = interruptible([&] { return realize_1d(f, control); });
        if (!output.empty()) write_network_file(realization.network, output);
        nlohmann::json out = realization.to_json();
        out["output"] = output.empty() ? nlohmann::json() : nlohmann::json(output);
        return out.dump();
      },
      py::arg("breakpoints"), py::arg("slopes"), py::arg("value_at_zero"), py::arg("points_file"), py::arg("points"),
      py::arg("output"), py::arg("time_limit"), py::arg("max_regions"));

  m.def(
      "check",
      [](const std::string& certificate, const std::string& arrangement, const std::string& network) {
        const auto start = std::chrono::steady_clock::now();
        const verify::CheckReport report = interruptible(
            [&] { return check_certificate_files(certificate, arrangement, network); });
        nlohmann::json out = verify::to_json(report);
        out["certificate"] = certificate;
        if (!arrangement.empty()) out["arrangement"] = arrangement;
        if (!network.empty()) out["network"] = network;
        out["seconds"] = seconds_since(start);
        return out.dump();
      },
      py::arg("certificate"), py::arg("arrangement"), py::arg("network"));
}

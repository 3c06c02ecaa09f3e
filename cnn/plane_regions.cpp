#include "cnn/plane_regions.hpp"

#include "arrangement/errors.hpp"
#include "cnn/plane_geometry.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <span>
#include <string>
#include <thread>

namespace chamber {

namespace {

using plane::ConvexCell;
using plane::Facet;

/*! a cell of the layers refined so far: its polygon, the pattern of those layers, and (with keep_proofs) the proofs
 * found on the way for neurons that missed it, which hold for every region inside it. */
struct Piece {
  ConvexCell polygon;
  std::string pattern;
  std::vector<NonFacetProof> proofs;
};

/*! what one task found besides its regions (summed over tasks in their order). */
struct TaskStats {
  std::vector<std::uint64_t> cells;  // per layer
  std::uint64_t boundary_regions = 0, proofs = 0;
  std::optional<Rational> reach;

  void add(const TaskStats& other) {
    for (std::size_t l = 0; l < cells.size(); ++l) cells[l] += other.cells[l];
    boundary_regions += other.boundary_regions;
    proofs += other.proofs;
    if (other.reach && (!reach || *other.reach > *reach)) reach = other.reach;
  }
};

/*! refines pieces depth first, layer by layer, down to regions; one per thread. */
class Refiner {
 public:
  Refiner(const IntegerNetwork& network, const PlaneRegionOptions& options, const Box& window, bool is_box,
          std::atomic<bool>& doomed)
      : network_(network), options_(options), window_(window), is_box_(is_box), doomed_(&doomed),
        forms_(network.layers()), lines_(network.layers()) {
    if (network.layers() > 0) set_lines(0, network.rows[0]);
  }

  /*! splits `piece` by the neurons of `layer` (its pattern holds the earlier layers) into `out`. */
  void split_layer(std::size_t layer, Piece piece, std::vector<Piece>& out, TaskStats& stats) {
    options_.control.check_time("plane linear-region enumeration");
    if (layer > 0) set_lines(layer, layer_forms(network_, layer, piece.pattern, forms_[layer - 1]));
    const std::vector<IntegerVector>& forms = forms_[layer];
    const std::size_t first = out.size();
    piece.pattern.resize(piece.pattern.size() + forms.size(), '0');
    const std::size_t offset = network_.first_neuron[layer];
    out.push_back(std::move(piece));
    for (std::size_t k = 0; k < forms.size(); ++k) {
      const std::optional<Facet>& line = lines_[layer][k];
      if (!line) {  // constant: the sign of its constant on every piece
        const int s = sgn(forms[k][0]);
        for (std::size_t p = first; p < out.size(); ++p) out[p].pattern[offset + k] = s > 0 ? '+' : s < 0 ? '-' : '0';
        continue;
      }
      const std::size_t count = out.size();
      for (std::size_t p = first; p < count; ++p) {
        const ConvexCell& polygon = out[p].polygon;
        signs_.resize(polygon.start.size());
        bool positive = false, negative = false;
        for (std::size_t i = 0; i < signs_.size(); ++i) {
          signs_[i] = plane::side(forms[k], *polygon.start[i], scratch_);
          positive |= signs_[i] > 0;
          negative |= signs_[i] < 0;
        }
        if (!(positive && negative)) {  // misses the interior: one side on the whole piece
          out[p].pattern[offset + k] = positive ? '+' : '-';
          if (options_.keep_proofs) prove_missed(out[p], *line, positive, stats);
          continue;
        }
        Piece minus{ConvexCell{}, out[p].pattern, out[p].proofs};
        ConvexCell plus;
        plane::split(polygon, signs_, *line, plus, minus.polygon);
        out[p].polygon = std::move(plus);
        out[p].pattern[offset + k] = '+';
        minus.pattern[offset + k] = '-';
        out.push_back(std::move(minus));
      }
    }
    stats.cells[layer] += out.size() - first;
  }

  /*! refines `piece` from `layer` on and appends its regions to `out`, stopping after more than the region limit. */
  void refine(std::size_t layer, Piece piece, std::vector<PlaneRegion>& out, TaskStats& stats) {
    if (layer == network_.layers()) {
      finish(std::move(piece), out, stats);
      return;
    }
    std::vector<Piece> pieces;
    split_layer(layer, std::move(piece), pieces, stats);
    for (Piece& p : pieces) {
      if (options_.control.max_regions && out.size() > *options_.control.max_regions) return;
      refine(layer + 1, std::move(p), out, stats);
    }
  }

 private:
  /*! the proof that `line` (oriented positive when `positive`) carries no edge of any region inside `piece`, given
   * once here for them all (so the certificate holds it once): from the piece's edges at the vertex where the line's
   * form is least. Left to the regions (finish) when the line is an edge of the piece, or when the proof would lean on
   * a side of the computing window, which bounds nothing in all of R^2. */
  void prove_missed(Piece& piece, const Facet& line, bool positive, TaskStats& stats) {
    Facet g = line;
    if (!positive)
      for (Integer* v : {&g.c, &g.a, &g.b}) mpz_neg(v->get_mpz_t(), v->get_mpz_t());
    if (plane::is_facet(piece.polygon, g)) return;
    NonFacetProof proof = plane::non_facet_proof(piece.polygon, g, scratch_);
    if (!is_box_)
      for (std::size_t q = 1; q < proof.constraints.size(); ++q)
        if (proof.constraints[q] >= network_.neurons()) return;
    piece.proofs.push_back(std::move(proof));
    ++stats.proofs;
  }

  /*! stores layer `layer`'s forms and the primitive line of each non-constant one. */
  void set_lines(std::size_t layer, std::vector<IntegerVector> forms) {
    forms_[layer] = std::move(forms);
    std::vector<std::optional<Facet>>& lines = lines_[layer];
    lines.assign(forms_[layer].size(), std::nullopt);
    for (std::size_t k = 0; k < forms_[layer].size(); ++k)
      if (!is_constant(forms_[layer][k]))
        lines[k] = plane::primitive_facet(forms_[layer][k], 1, network_.first_neuron[layer] + k);
  }

  /*! the region of a final piece: its witness, its polygon and, when asked, the proofs of its non-facets. */
  void finish(Piece piece, std::vector<PlaneRegion>& out, TaskStats& stats) {
    const std::size_t neurons = network_.neurons();
    // The oriented line of every non-constant neuron, in reused integers.
    std::size_t count = 0;
    for (std::size_t l = 0; l < network_.layers(); ++l)
      for (const std::optional<Facet>& line : lines_[l]) {
        if (!line) continue;
        if (count == constraints_.size()) constraints_.emplace_back();
        Facet& f = constraints_[count++];
        f.reference = line->reference;
        const bool flip = piece.pattern[f.reference] == '-';
        for (auto [to, from] : {std::pair{&f.c, &line->c}, std::pair{&f.a, &line->a}, std::pair{&f.b, &line->b}}) {
          if (flip)
            mpz_neg(to->get_mpz_t(), from->get_mpz_t());
          else
            mpz_set(to->get_mpz_t(), from->get_mpz_t());
        }
      }
    const std::span<const Facet> constraints(constraints_.data(), count);
    PlaneRegion region;
    region.region.witness = Point::from_rationals(plane::interior_point(piece.polygon));
    region.polygon = plane::vertices(piece.polygon);
    // In all of R^2 a polygon on the window's boundary is only part of its cell: the true cell, or how far to grow.
    std::optional<plane::TrueCell> cell;
    if (plane::touches_boundary(piece.polygon, window_)) {
      ++stats.boundary_regions;
      if (!is_box_) {
        cell = plane::true_cell(piece.polygon, constraints, window_, neurons);
        if (cell->reach) {
          *doomed_ = true;
          if (!stats.reach || *cell->reach > *stats.reach) stats.reach = cell->reach;
        }
      }
    }
    if (options_.keep_proofs && !*doomed_) {  // a doomed window's regions are thrown away
      const ConvexCell& facets = cell ? cell->cell : piece.polygon;
      region.region.proofs = std::move(piece.proofs);
      const std::size_t inherited = region.region.proofs.size();
      for (const Facet& g : constraints) {
        if (plane::is_facet(facets, g)) continue;
        const auto first = region.region.proofs.begin();
        if (std::any_of(first, first + static_cast<std::ptrdiff_t>(inherited),
                        [&](const NonFacetProof& proof) { return proof.hyperplane == g.reference; }))
          continue;  // proven where the neuron missed an enclosing piece
        region.region.proofs.push_back(plane::non_facet_proof(facets, g, scratch_));
        ++stats.proofs;
      }
    }
    region.region.pattern = std::move(piece.pattern);
    out.push_back(std::move(region));
  }

  const IntegerNetwork& network_;
  const PlaneRegionOptions& options_;
  Box window_;
  bool is_box_;
  std::atomic<bool>* doomed_;  // set once a region shows that the window is too small
  std::vector<std::vector<IntegerVector>> forms_;           // per layer, of the current branch
  std::vector<std::vector<std::optional<Facet>>> lines_;    // their primitive lines (none = constant)
  std::vector<Facet> constraints_;  // reused by finish()
  std::vector<int> signs_;
  plane::Scratch scratch_;
};

/*! the results of one task, filled by a worker. */
struct TaskResult {
  std::vector<PlaneRegion> regions;
  TaskStats stats;
  std::exception_ptr error;
  bool done = false;
};

}  // namespace

PlaneRegionEnumerator::PlaneRegionEnumerator(const IntegerNetwork& network, PlaneRegionOptions options)
    : network_(network), options_(std::move(options)) {
  if (network_.has_max())
    throw InputError("the plane engine (slices, decision boundaries, 2-D inputs) does not handle max-pooling layers "
                     "yet: count with the LP engine (chamber cnn)");
  if (network_.input_dimension != 2)
    throw InputError("the plane region engine needs a network on a 2-D input, this one has input dimension " +
                     std::to_string(network_.input_dimension));
  if (options_.box && !(options_.box->lo < options_.box->hi))
    throw InputError("box: LO must be smaller than HI, found " + to_string(options_.box->lo) + "," +
                     to_string(options_.box->hi));
  options_.threads = std::max(1u, options_.threads);
}

void PlaneRegionEnumerator::run(const std::function<void(PlaneRegion&&)>& sink) {
  if (options_.box) {
    stats_.windows = 1;
    stats_.proof_window = *options_.box;
    enumerate(*options_.box, true, sink);
    return;
  }
  Box window = initial_window();
  for (;;) {
    ++stats_.windows;
    std::vector<PlaneRegion> found;
    const std::optional<Rational> reach = enumerate(window, false, [&](PlaneRegion&& r) { found.push_back(std::move(r)); });
    if (!reach) {
      stats_.proof_window = window;
      for (PlaneRegion& r : found) sink(std::move(r));
      return;
    }
    // Hold the offending points with a wide margin, and at least quadruple: a larger window costs a few bits per
    // number, a window too small one more enumeration.
    Integer radius = window.hi.get_num();
    radius *= 4;
    const Rational wanted = 4 * *reach + 1;
    Integer needed = wanted.get_num() / wanted.get_den() + 1;
    if (needed > radius) radius = needed;
    window = Box{Rational(-radius), Rational(radius)};
  }
}

Box PlaneRegionEnumerator::initial_window() const {
  // Every crossing of two first-layer lines, and the point of each line nearest the origin.
  Rational extent = 0;
  auto hold = [&](const Integer& u, const Integer& v, const Integer& denominator) {
    for (const Integer* numerator : {&u, &v}) {
      Rational value(abs(*numerator), abs(denominator));
      value.canonicalize();
      if (value > extent) extent = value;
    }
  };
  std::vector<const IntegerVector*> lines;
  if (network_.layers() > 0)
    for (const IntegerVector& row : network_.rows[0])
      if (!is_constant(row)) lines.push_back(&row);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const IntegerVector& f = *lines[i];
    const Integer norm = f[1] * f[1] + f[2] * f[2];
    hold(Integer(f[0] * f[1]), Integer(f[0] * f[2]), norm);
    for (std::size_t j = i + 1; j < lines.size(); ++j) {
      const IntegerVector& g = *lines[j];
      const Integer det = f[1] * g[2] - g[1] * f[2];
      if (sgn(det) == 0) continue;
      hold(Integer(f[2] * g[0] - g[2] * f[0]), Integer(f[0] * g[1] - g[0] * f[1]), det);
    }
  }
  // Later layers bend their lines far beyond these points (a random 2-16-16-16 network has vertices at 13 times
  // their extent), and a larger window only costs bits: a wide margin.
  const Rational wanted = 64 * extent + 1;
  const Integer radius = wanted.get_num() / wanted.get_den() + 1;
  return Box{Rational(-radius), Rational(radius)};
}

std::optional<Rational> PlaneRegionEnumerator::enumerate(const Box& window, bool is_box,
                                                         const std::function<void(PlaneRegion&&)>& sink) {
  const std::size_t layers = network_.layers();
  stats_.regions = 0;
  stats_.cells_per_layer.assign(layers, 0);
  TaskStats total{std::vector<std::uint64_t>(layers, 0), 0, 0, std::nullopt};
  const RunControl& control = options_.control;
  auto emit = [&](std::vector<PlaneRegion>& regions) {
    for (PlaneRegion& r : regions) {
      ++stats_.regions;
      if (control.max_regions && stats_.regions > *control.max_regions)
        throw LimitReached("region limit of " + std::to_string(*control.max_regions) + " reached");
      sink(std::move(r));
      control.report([&] { return "cnn (plane): " + std::to_string(stats_.regions) + " regions"; });
    }
    regions.clear();
  };

  // The first layer on this thread; its pieces are the tasks.
  std::atomic<bool> doomed{false};
  Refiner first(network_, options_, window, is_box, doomed);
  Piece start{plane::square(window, network_.neurons()), std::string(), {}};
  std::vector<Piece> tasks;
  if (layers == 0) {
    std::vector<PlaneRegion> regions;
    first.refine(0, std::move(start), regions, total);
    emit(regions);
  } else {
    first.split_layer(0, std::move(start), tasks, total);
  }

  std::vector<TaskResult> results(tasks.size());
  for (TaskResult& r : results) r.stats.cells.assign(layers, 0);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished;
  auto work = [&](Refiner& refiner) {
    for (std::size_t t; !stop && (t = next.fetch_add(1)) < tasks.size();) {
      TaskResult& result = results[t];
      try {
        refiner.refine(1, std::move(tasks[t]), result.regions, result.stats);
      } catch (...) {
        result.error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        result.done = true;
      }
      finished.notify_all();
    }
  };
  std::vector<std::thread> workers;
  auto join = [&] {
    stop = true;
    for (std::thread& w : workers) w.join();
    workers.clear();
  };
  const unsigned threads = std::min<std::size_t>(options_.threads, std::max<std::size_t>(tasks.size(), 1));
  try {
    if (threads > 1)
      for (unsigned i = 0; i < threads; ++i)
        workers.emplace_back([&] {
          Refiner refiner(network_, options_, window, is_box, doomed);
          work(refiner);
        });
    for (std::size_t t = 0; t < tasks.size(); ++t) {
      TaskResult& result = results[t];
      if (threads <= 1) {
        try {
          first.refine(1, std::move(tasks[t]), result.regions, result.stats);
        } catch (...) {
          result.error = std::current_exception();
        }
      } else {
        std::unique_lock<std::mutex> lock(mutex);
        finished.wait(lock, [&] { return result.done; });
      }
      if (result.error) std::rethrow_exception(result.error);
      total.add(result.stats);
      emit(result.regions);
      result.regions.shrink_to_fit();
    }
  } catch (...) {
    join();
    throw;
  }
  join();
  stats_.cells_per_layer = total.cells;
  stats_.boundary_regions = total.boundary_regions;
  stats_.proofs = total.proofs;
  return is_box ? std::nullopt : total.reach;
}

}  // namespace chamber

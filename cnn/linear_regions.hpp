// Exact linear regions of a ReLU network (DESIGN.md, "Linear region").
//
// Layer by layer: the first layer's pre-activations are affine in the input x and cut the domain into
// cells (an arrangement enumerated by IncEnu). Inside a cell every later pre-activation is again affine in x
// (ReLU is fixed by the cell's pattern), so the next layer's hyperplanes are enumerated inside that cell,
// with the cell's constraints kept in every LP, and so on. A neuron whose pre-activation is constant on a
// cell (zero weights, or inputs all dead) takes the sign of that constant ('0' when it is identically 0)
// and does not split the cell; a hyperplane that misses the cell's interior does not split it either.
//
// Arithmetic: every layer is scaled by a positive integer so that all weights become integers (scaling a
// pre-activation by a positive factor keeps every sign, and ReLU commutes with it), and pre-activations are
// integer rows (c, a1..an) over (1, x). Every decision is exact.
#pragma once

#include "arrangement/hyperplane.hpp"
#include "arrangement/lp.hpp"
#include "arrangement/run_control.hpp"
#include "cnn/network.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace chamber {

struct FirstLayerCells;

/*! the open box lo < x_i < hi for every input coordinate. */
struct Box {
  Rational lo, hi;
};

/*! parses "LO,HI" (exact rationals, LO < HI). \throws InputError naming `what`. */
Box parse_box(const std::string& text, const std::string& what);

/*! the network with each layer's pre-activations multiplied by a positive integer so that every weight and
 * bias is an integer. The scaled pre-activation of a neuron of layer l is scale[l] times the true one. */
struct IntegerNetwork {
  std::size_t input_dimension = 0;
  std::vector<std::vector<IntegerVector>> rows;  // rows[l][k] = (b, a) over the ReLU of layer l − 1's (scaled) neurons
  /*! linear[l]: empty, or linear[l][k] = (0, a') over layer l − 1's (scaled) neurons as they are (not gated by
   * their sign): the negative-side slopes of leaky_relu/prelu (NeuronRows). */
  std::vector<std::vector<IntegerVector>> linear;
  /*! unit_begin[l]: empty, or for a max layer the first slot of each unit (one more entry: the layer's neuron count);
   * then rows[l] are its pieces, and layer_forms gives the pieces, not the slots' forms p_c − p_s (slot_forms). */
  std::vector<std::vector<std::size_t>> unit_begin;
  std::vector<Integer> scale;                    // S_l > 0
  std::vector<std::size_t> first_neuron;         // index of layer l's first neuron; back() = neuron count

  std::size_t layers() const { return rows.size(); }
  bool is_max(std::size_t layer) const { return !unit_begin[layer].empty(); }
  bool has_max() const;
  std::size_t neurons() const { return first_neuron.back(); }
  /*! returns the layer of neuron `k`. */
  std::size_t layer_of(std::size_t neuron) const;
};

IntegerNetwork integer_network(const Network& network);
/*! the same for layers given as rational NeuronRows over the neurons of the layer before (`layers[0]` over x ∈ Q^n). */
IntegerNetwork integer_network(std::size_t input_dimension, std::vector<NeuronRows> layers);

/*! returns the (scaled) pre-activation forms (c, a1..an) over (1, x) of layer `layer`'s neurons (of its pieces, for
 * a max layer), given the pattern characters of all earlier layers in `pattern` (only its first first_neuron[layer]
 * characters are read): the gated value of neuron j is its form when pattern[j] == '+' and 0 otherwise (rows) — after
 * a max layer, its piece when it is the first '0' of its unit — and its form is taken as it is where `linear` says
 * so. `previous` holds layer_forms of layer − 1 (ignored for layer 0). */
std::vector<IntegerVector> layer_forms(const IntegerNetwork& network, std::size_t layer, const std::string& pattern,
                                       const std::vector<IntegerVector>& previous);

/*! returns the slot of unit `unit` of the max layer `layer` whose piece the unit takes under `pattern`: its first
 * slot with character '0'. \throws InternalError when the unit has none. */
std::size_t chosen_slot(const IntegerNetwork& network, std::size_t layer, std::size_t unit, const std::string& pattern);

/*! returns the forms of a layer's neurons from layer_forms' result `forms`: `forms` itself, or for a max layer the
 * slots' forms p_c − p_s, c the first slot of the unit with character '0' in `pattern` (the piece the unit takes).
 * \throws InternalError when a unit of a max layer has no '0'. */
std::vector<IntegerVector> slot_forms(const IntegerNetwork& network, std::size_t layer, const std::string& pattern,
                                      const std::vector<IntegerVector>& forms);

/*! returns the forms of every neuron under `pattern` (N characters), layer after layer. */
std::vector<IntegerVector> all_forms(const IntegerNetwork& network, const std::string& pattern);

/*! returns whether the linear part a1..an of `form` is zero (the neuron is constant on the cell). */
bool is_constant(const IntegerVector& form);

/*! returns the rows of the box faces x_i − lo > 0 and hi − x_i > 0 (in that order, for i = 0..n−1). */
std::vector<Hyperplane> box_faces(const Box& box, std::size_t dimension);

/*! a linear region: its activation pattern (one of '+', '-', '0' per hidden neuron, layers in order, each
 * layer in CHW order) and a rational witness strictly inside it (and inside the box). */
/*! a proof found by the enumeration that a hyperplane carries no facet of a region: the far side of the hyperplane
 * of neuron `hyperplane` is empty within the listed constraints. Constraints are references: a neuron index k < N,
 * or N + 2i / N + 2i + 1 for the box faces x_i > lo / x_i < hi. `sides[q]` is +1 for the region's side of
 * constraint q and −1 for the far side; the multipliers are those of the primitive integer rows of the forms. */
struct NonFacetProof {
  std::size_t hyperplane = 0;
  std::vector<std::size_t> constraints;
  std::vector<int> sides;
  IntegerVector multipliers;
};

struct LinearRegion {
  std::string pattern;
  Point witness;
  std::vector<NonFacetProof> proofs;  // only with LinearRegionOptions::keep_proofs
};

/*! how the regions are found (a network with a max layer: only the LP engine, which `automatic` takes): `automatic` takes the exact 2-D engine without LPs (plane_regions.hpp) when the input
 * is 2-D, the LP engine for one layer (an arrangement: IncEnu, under two LPs per region) or in a box of more than 6
 * inputs (2^n vertices: too many rays for the cones), else the hybrid; `lp`
 * always the LP engine (cross-checks); `cone` the cone engine (cone_regions.hpp: double description, no LPs, the LP
 * engine for any cell too large for it; it starts from the box's 2^n vertices, so a box of more than max_rays of them
 * is a LimitReached); `hybrid` the first layer by the LP engine, the later layers inside each of its cells by the cone
 * engine (a cell's description built from its own rows, box faces included); `plane` the 2-D engine or an error. */
enum class NetworkEngine { automatic, lp, cone, hybrid, plane };

/*! parses "auto", "lp", "cone", "hybrid" or "plane". \throws InputError naming `what`. */
NetworkEngine parse_network_engine(const std::string& text, const std::string& what);
const char* to_string(NetworkEngine engine);

struct LinearRegionOptions {
  RunControl control;
  bool exact_lp = false;
  std::optional<Box> box;
  /*! keep the enumeration's Farkas proofs with every region (they save LPs when certifying). */
  bool keep_proofs = false;
  /*! threads for the enumeration inside each cell (large cells split; results are the same for any number). */
  unsigned threads = 1;
  NetworkEngine engine = NetworkEngine::automatic;
  /*! the cone engine hands a cell with more rays than this to the LP engine. */
  std::size_t max_rays = 1024;
};

struct LinearRegionStats {
  std::uint64_t regions = 0;
  std::uint64_t lp_solves = 0;
  LpCounters lp_paths;
  std::vector<std::uint64_t> cells_per_layer;  // cells after each layer (the last one = regions)
  NetworkEngine engine = NetworkEngine::lp;    // the engine that ran (never automatic)
  std::uint64_t fallback_cells = 0;            // cone and hybrid engines: cells handed to the LP engine
  std::uint64_t vertex_lps = 0;                // cone and hybrid: small exact LPs at degenerate vertices (in lp_solves)
  std::uint64_t max_rays = 0;                  // cone and hybrid: the most rays a cell had
};

/*! for a network on a 1-D input, whose regions are open intervals: returns the breakpoints between consecutive
 * regions, ascending (the finite interval ends, without the box ends). Each is the exact root of a neuron's form.
 * \pre network.input_dimension == 1 and `regions` are all the regions. */
std::vector<Rational> breakpoints_1d(const IntegerNetwork& network, const std::vector<LinearRegion>& regions,
                                     const std::optional<Box>& box);

using LinearRegionSink = std::function<void(const LinearRegion&)>;

class LinearRegionEnumerator {
 public:
  LinearRegionEnumerator(const Network& network, LinearRegionOptions options);
  /*! enumerates the regions of a network already in integer form (e.g. restricted to a plane, see slice.hpp). */
  LinearRegionEnumerator(IntegerNetwork network, LinearRegionOptions options);

  /*! enumerates every linear region once, in a deterministic order.
   * \throws LimitReached on a user limit. */
  void run(const LinearRegionSink& sink);

  const LinearRegionStats& stats() const { return stats_; }
  const IntegerNetwork& integer_form() const { return network_; }

 private:
  struct Cell;
  Cell domain() const;
  void refine(std::size_t layer, Cell cell, const LinearRegionSink& sink);
  /*! splits `cell` by the neurons of `layer` and passes each part, in order, to `child`. */
  void split(std::size_t layer, Cell cell, const std::function<void(Cell&&)>& child);
  /*! the same for a max layer: unit by unit, each piece that can be the largest inside the cell (one LP unless the
   * witness already shows it), the first among equal pieces. */
  void split_max(std::size_t layer, Cell cell, const std::function<void(Cell&&)>& child);
  /*! the hybrid: the first layer by IncEnu, the later ones by the cone engine. */
  void run_hybrid(const LinearRegionSink& sink);
  /*! the cone engine (from the first layer's cells in `first`, when given), with the LP engine for the cells too
   * large for it. */
  void run_cones(const LinearRegionSink& sink, FirstLayerCells* first = nullptr);

  IntegerNetwork network_;
  LinearRegionOptions options_;
  LinearRegionStats stats_;
};

}  // namespace chamber

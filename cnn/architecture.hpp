// Architectures without weights: an input shape and layers (conv layers, then linear), as written on the command line
// (--input CxHxW --conv K:KHxKW:S --linear U) or in a dataset spec, or read off a network; their shapes (Lemma 1) and
// every closed form and bound of references.md that applies to them.
#pragma once

#include "cnn/formulas.hpp"
#include "cnn/network.hpp"
#include "cnn/shape.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace chamber {

/*! an architecture as text: "CxHxW", conv layers "K:KHxKW:S" (or ":SHxSW"), linear layers "U". */
struct ArchitectureText {
  std::string input;
  std::vector<std::string> conv;
  std::vector<std::string> linear;
};

/*! returns the architecture as a dataset spec writes it ("1x3x3 conv 2:2x2:1 linear 4"). */
std::string to_string(const ArchitectureText& text);

/*! an architecture without weights: the input shape and the layers in order (conv layers, then linear). */
struct Architecture {
  Shape input;
  std::vector<LayerSpec> layers;

  std::vector<ConvSpec> conv_layers() const;
  std::vector<std::size_t> linear_widths() const;
  /*! returns the output shape of every layer (Lemma 1). \throws InputError when a kernel does not fit. */
  std::vector<Shape> shapes() const;
  /*! returns the number of hidden neurons (Σ of the layer output sizes). */
  std::size_t hidden_neurons() const;
};

/*! parses and checks the text (sizes, caps, kernels that fit). \throws InputError naming the option ("--input",
 * "--conv", "--linear") and a short prefix of the text. */
Architecture parse_architecture(const ArchitectureText& text);

/*! returns the architecture of `network` (its weights left out). */
Architecture architecture_of(const Network& network);

/*! returns one JSON object per layer (type, sizes, output shape). */
nlohmann::json layers_json(const Architecture& architecture);

/*! a closed form or bound of references.md evaluated for an architecture: JSON key, printed label, value. */
struct ClosedForm {
  std::string key;
  std::string label;
  std::optional<Integer> value;  // nothing when it is too large to evaluate (eq. (4) past its cap): see `note`
  std::string note = {};
};

/*! returns the value as JSON (null when not evaluated). */
nlohmann::json closed_form_json(const ClosedForm& form);
/*! returns the value as text, or "not evaluated: " and the note. */
std::string closed_form_text(const ClosedForm& form);

/*! returns every closed form and bound that applies to `architecture`, in print order: Lemma 2, parameter counts;
 * eq. (4) and Theorem 1 for one conv layer; Theorem 5 for several; Theorem 1, Montufar and Serra for fully connected
 * nets. Lower bounds are about the best weights. */
std::vector<ClosedForm> closed_forms(const Architecture& architecture);

/*! returns "conv2d 2 filters 2x2 stride 1 -> 2x2x2; …", one entry per layer of `network`. */
std::string describe_layers(const Network& network);

}  // namespace chamber

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

/*! returns the architecture of `network` (its weights left out).
 * \throws InputError when a layer is beyond what an architecture describes (beyond_closed_forms: padding, dilation,
 * groups, batch-norm, pooling): its shapes and closed forms would be wrong. */
Architecture architecture_of(const Network& network);

/*! returns one JSON object per layer (type, sizes, output shape). */
nlohmann::json layers_json(const Architecture& architecture);
/*! the same for the hidden layers of a network, with its padding, dilation, groups and affine steps ("before" and
 * "after": their types) when it has them. */
nlohmann::json layers_json(const Network& network);

/*! a closed form or bound of references.md evaluated for an architecture: JSON key, printed label, value. */
struct ClosedForm {
  std::string key;
  std::string label;
  std::optional<Integer> value;  // nothing when it is too large to evaluate (eq. (4) past its cap): see `note`
  std::string note = {};
  bool applies = true;  // false: the network does not meet its hypotheses (`note` says why); no value
};

/*! returns the value as JSON (null when not evaluated or when it does not apply). */
nlohmann::json closed_form_json(const ClosedForm& form);
/*! returns the value as text, or "not evaluated: " / "does not apply: " and the note. */
std::string closed_form_text(const ClosedForm& form);
/*! sets out[key] to closed_form_json for every form, and out["not_applicable"][key] to the reason of every form that
 * does not apply (the key is left out when all apply). */
void add_closed_forms_json(nlohmann::json& out, const std::vector<ClosedForm>& forms);

/*! returns every closed form and bound that applies to `architecture`, in print order: Lemma 2, parameter counts;
 * eq. (4) and Theorem 1 for one conv layer; Theorem 5 for several; Theorem 1, Montufar and Serra for fully connected
 * nets. Lower bounds are about the best weights. */
std::vector<ClosedForm> closed_forms(const Architecture& architecture);
/*! returns the closed forms of `network`: those of its architecture when it meets their hypotheses; otherwise Lemma 2
 * (true of every ReLU network) and, marked as not applying with the reason, the forms its conv/linear layout would
 * have had (Theorem 2 and Theorem 5 of Xiong et al. assume convolutions without padding, dilation or groups and no
 * batch-norm or pooling; Theorem 1, Montúfar and Serra assume plain fully connected layers). */
std::vector<ClosedForm> closed_forms(const Network& network);

/*! returns "conv2d 2 filters 2x2 stride 1 -> 2x2x2; …", one entry per layer of `network`. */
std::string describe_layers(const Network& network);

}  // namespace chamber

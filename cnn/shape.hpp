// The geometry of conv layers: activation-map shapes, a conv layer's sizes, and Lemma 1 of Xiong et al. (the one
// place the output size floor((n − f)/s) + 1 is computed; verify/ has its own, as it must).
#pragma once

#include <cstddef>
#include <string>

namespace chamber {

/*! the shape C×H×W of an input or activation map (a linear layer's output is U×1×1). */
struct Shape {
  std::size_t channels = 0, height = 0, width = 0;

  /*! returns C·H·W. */
  std::size_t size() const { return channels * height * width; }
  bool operator==(const Shape&) const = default;
};

/*! returns "CxHxW". */
inline std::string shape_text(const Shape& shape) {
  return std::to_string(shape.channels) + "x" + std::to_string(shape.height) + "x" + std::to_string(shape.width);
}

/*! one convolutional layer: `filters` filters of size kernel_h × kernel_w over all input channels, strides stride_h
 * (vertical) and stride_w (horizontal), no padding. */
struct ConvSpec {
  std::size_t filters = 1;
  std::size_t kernel_h = 1;
  std::size_t kernel_w = 1;
  std::size_t stride_h = 1;
  std::size_t stride_w = 1;
};

/*! one layer of an architecture: a conv2d with `channels_or_units` filters of kernel_h×kernel_w and the given strides,
 * or a linear layer with `channels_or_units` outputs (kernel and stride ignored). */
struct LayerSpec {
  bool conv = true;
  std::size_t channels_or_units = 1, kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;

  /*! returns the conv layer's sizes. \pre conv. */
  ConvSpec conv_spec() const { return ConvSpec{channels_or_units, kernel_h, kernel_w, stride_h, stride_w}; }
};

/*! returns the output shape of `conv` on `input` (Lemma 1 per direction: floor((n − f)/s) + 1; `conv.filters`
 * channels). \pre the kernel fits (kernel ≤ input side) and the strides are positive: callers check, each with its own
 * message. */
inline Shape conv_output_shape(const Shape& input, const ConvSpec& conv) {
  return Shape{conv.filters, (input.height - conv.kernel_h) / conv.stride_h + 1,
               (input.width - conv.kernel_w) / conv.stride_w + 1};
}

}  // namespace chamber

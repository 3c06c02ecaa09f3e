#!/usr/bin/python3
"""Export a PyTorch ReLU network to chamber's network JSON (docs/network-format.md), every weight exact.

Supported: a torch.nn.Sequential (nested Sequentials are flattened) of Conv2d (zero padding, dilation, groups), Linear,
the piecewise-linear activations ReLU, LeakyReLU, PReLU, Hardtanh and ReLU6, BatchNorm1d/BatchNorm2d, AvgPool2d
(ceil_mode=False, count_include_pad=True), Flatten, Identity and Dropout, read in eval mode: every Conv2d and Linear is
followed by an activation, with only BatchNorm/AvgPool2d/Flatten/Identity/Dropout between, except an optional last
Linear: the read-out layer, written as the network's "readout" (it changes no linear region; `chamber slice --colour
class` reads it for the predicted classes). MaxPool2d (dilation 1, ceil_mode=False) may follow an activation (and
the BatchNorm/AvgPool2d after it): it is a hidden layer of max units. LeakyReLU's slope and Hardtanh's bounds are
written as the float32 values a float32 model computes with. Anything else (residual connections, attention, smooth
activations, ...) is refused with the layer's index, its name and why.

Each float32/float64 weight is written exactly: an integer when it is one, else the fraction "p/q" of its binary
value (a float *is* a dyadic rational; nothing is rounded). The one exception is batch-norm's
sigma = sqrt(running_var + eps), which is not rational: it is written as the float32 value PyTorch itself computes
(torch.sqrt in float32), and a note on stderr (and the file's "comment") says so.

Usage:
  export_torch.py MODEL.pt --input CxHxW -o NET.json
      MODEL.pt saved with torch.save(model) (a whole nn.Sequential)
  export_torch.py STATE.pt --input CxHxW --conv K:KHxKW:S ... --linear U ... [--readout U] -o NET.json
      STATE.pt saved with torch.save(model.state_dict()); the architecture is given as for `chamber random`
      (the model is rebuilt as Sequential(Conv2d, ReLU, ..., Flatten, Linear, ReLU, ..., [Linear]) and the state
      dict must match it exactly)
  From Python: `import export_torch; export_torch.to_chamber(model, (C, H, W))` returns the JSON document.

Exit codes: 0 written, 2 bad input (unsupported layer, shape mismatch, unreadable file), with a message on stderr.
"""
import argparse
import json
import sys
from fractions import Fraction

import torch
from torch import nn


class ExportError(Exception):
    """A model chamber cannot read; the message names the layer and the reason."""


def exact(value):
    """Returns the exact value of a float as a JSON integer or a "p/q" string."""
    f = Fraction(float(value))  # float32 -> float64 is exact, and Fraction(float) is exact
    if f.denominator == 1:
        return int(f.numerator) if abs(f.numerator) < 2**53 else str(f.numerator)
    return "%d/%d" % (f.numerator, f.denominator)


def exact_array(tensor):
    if tensor.dim() == 0:
        return exact(tensor.item())
    return [exact_array(t) for t in tensor]


def _describe(index, module):
    return "layer %d (%s)" % (index, module.__class__.__name__)


_BN_NOTE = ("batch-norm: sigma = sqrt(running_var + eps) is taken as PyTorch's float32 torch.sqrt value (the one "
            "rounded step; every other number is the exact value of its float)")


_ACTIVATIONS = (nn.ReLU, nn.LeakyReLU, nn.PReLU, nn.Hardtanh)  # nn.ReLU6 is a Hardtanh


def _float32(value):
    """Returns the exact value of the float32 nearest `value`: a model in float32 compares and multiplies with it."""
    return exact(torch.tensor(value, dtype=torch.float32).item())


def _activation(module):
    """Returns the "activation" of a layer closed by `module` (None for ReLU, the format's default)."""
    if isinstance(module, nn.ReLU):
        return None
    if isinstance(module, nn.ReLU6):
        return {"type": "relu6"}
    if isinstance(module, nn.Hardtanh):
        return {"type": "hardtanh", "min_val": _float32(module.min_val), "max_val": _float32(module.max_val)}
    if isinstance(module, nn.LeakyReLU):
        return {"type": "leaky_relu", "negative_slope": _float32(module.negative_slope)}
    return {"type": "prelu", "weight": exact_array(module.weight.detach())}


def _unsupported(index, module):
    """Returns why `module` cannot be exported."""
    reasons = {
        (nn.AdaptiveMaxPool2d, nn.MaxPool1d): "this pooling by maximum is not supported (MaxPool2d is)",
        (nn.AdaptiveAvgPool2d,): "adaptive pooling is not supported (use AvgPool2d with explicit sizes)",
        (nn.Tanh, nn.Sigmoid, nn.GELU, nn.SiLU, nn.ELU, nn.Softplus, nn.Softmax, nn.LogSoftmax):
            "a smooth activation has no linear regions (chamber reads ReLU networks)",
        (nn.MultiheadAttention, nn.TransformerEncoderLayer): "attention is not supported",
    }
    why = next((r for types, r in reasons.items() if isinstance(module, types)),
               "unsupported layer (chamber reads Conv2d, Linear, ReLU, BatchNorm1d/2d, AvgPool2d, Flatten, Identity, "
               "Dropout and nested Sequentials; residual connections and other modules are refused)")
    return "%s: %s" % (_describe(index, module), why)


def _flatten_modules(model):
    """Returns the leaf modules of nested Sequentials in order."""
    out = []
    for module in model.children() if isinstance(model, nn.Sequential) else [model]:
        if isinstance(module, nn.Sequential):
            out.extend(_flatten_modules(module))
        else:
            out.append(module)
    return out


def _pair(value):
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


_SKIPPED = (nn.Identity, nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.AlphaDropout) if hasattr(nn, "Dropout1d") else (
    nn.Identity, nn.Dropout, nn.Dropout2d, nn.AlphaDropout)


def _conv_padding(module, where):
    """Returns the (ph, pw) zero padding of a Conv2d, refusing what is not symmetric zero padding."""
    if module.padding_mode != "zeros":
        raise ExportError("%s: padding_mode %r is not supported (only zero padding)" % (where, module.padding_mode))
    if isinstance(module.padding, str):
        if module.padding == "valid":
            return 0, 0
        extents = [d * (k - 1) for d, k in zip(_pair(module.dilation), _pair(module.kernel_size))]
        if any(e % 2 for e in extents):
            raise ExportError("%s: padding='same' with an even kernel extent pads asymmetrically: not supported"
                              % where)
        return extents[0] // 2, extents[1] // 2
    return _pair(module.padding)


def _conv2d(module, where, c, h, w):
    if module.in_channels != c:
        raise ExportError("%s: expects %d input channels, the input here has %d" % (where, module.in_channels, c))
    kh, kw = _pair(module.kernel_size)
    sh, sw = _pair(module.stride)
    ph, pw = _conv_padding(module, where)
    dh, dw = _pair(module.dilation)
    eh, ew = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    if eh > h + 2 * ph or ew > w + 2 * pw:
        raise ExportError("%s: kernel extent %dx%d is larger than its %dx%d input padded to %dx%d"
                          % (where, eh, ew, h, w, h + 2 * ph, w + 2 * pw))
    weight = module.weight.detach().cpu()
    bias = module.bias.detach().cpu() if module.bias is not None else torch.zeros(module.out_channels)
    layer = {"type": "conv2d", "out_channels": module.out_channels, "kernel_size": [kh, kw], "stride": [sh, sw]}
    if (ph, pw) != (0, 0):
        layer["padding"] = [ph, pw]
    if (dh, dw) != (1, 1):
        layer["dilation"] = [dh, dw]
    if module.groups != 1:
        layer["groups"] = module.groups
    layer["weight"] = exact_array(weight)
    layer["bias"] = exact_array(bias)
    shape = (module.out_channels, (h + 2 * ph - eh) // sh + 1, (w + 2 * pw - ew) // sw + 1)
    return layer, shape


def _batchnorm(module, where, features):
    if module.num_features != features:
        raise ExportError("%s: expects %d features, the input here has %d" % (where, module.num_features, features))
    if module.running_mean is None or module.running_var is None:
        raise ExportError("%s: no running statistics (track_running_stats=False): its eval output depends on the "
                          "batch" % where)
    mean = module.running_mean.detach().cpu()
    var = module.running_var.detach().cpu()
    sigma = torch.sqrt(var + module.eps)  # PyTorch's own float32 value: the one rounded number of the export
    gamma = module.weight.detach().cpu() if module.weight is not None else torch.ones_like(mean)
    beta = module.bias.detach().cpu() if module.bias is not None else torch.zeros_like(mean)
    return {"type": "batchnorm", "num_features": module.num_features, "weight": exact_array(gamma),
            "bias": exact_array(beta), "running_mean": exact_array(mean), "sigma": exact_array(sigma)}


def _pool_window(module, where, c, h, w, kind):
    """Returns a pooling layer of type `kind` with `module`'s window, and its output shape."""
    if module.ceil_mode:
        raise ExportError("%s: ceil_mode=True is not supported" % where)
    kh, kw = _pair(module.kernel_size)
    sh, sw = _pair(module.stride if module.stride is not None else module.kernel_size)
    ph, pw = _pair(module.padding)
    if kh > h + 2 * ph or kw > w + 2 * pw:
        raise ExportError("%s: kernel %dx%d is larger than its %dx%d input padded to %dx%d"
                          % (where, kh, kw, h, w, h + 2 * ph, w + 2 * pw))
    layer = {"type": kind, "kernel_size": [kh, kw], "stride": [sh, sw]}
    if (ph, pw) != (0, 0):
        layer["padding"] = [ph, pw]
    return layer, (c, (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)


def _maxpool2d(module, where, c, h, w):
    window = _pool_window(module, where, c, h, w, "maxpool2d")
    if _pair(module.dilation) != (1, 1):
        raise ExportError("%s: dilation %s is not supported (1 is)" % (where, module.dilation))
    if module.return_indices:
        raise ExportError("%s: return_indices=True is not supported" % where)
    return window


def _avgpool2d(module, where, c, h, w):
    if not module.count_include_pad:
        raise ExportError("%s: count_include_pad=False is not supported (PyTorch's default True is)" % where)
    if module.divisor_override is not None:
        raise ExportError("%s: divisor_override is not supported" % where)
    return _pool_window(module, where, c, h, w, "avgpool2d")


def to_chamber(model, input_shape, notes=None):
    """Returns chamber's network JSON document for `model` (an nn.Sequential, evaluated as in eval mode) and input
    shape (C, H, W). Notes for the user (batch-norm's float32 sigma) are appended to the list `notes` when given, and
    written in the document's "comment"."""
    if not isinstance(model, nn.Sequential):
        raise ExportError("expected a torch.nn.Sequential, found %s" % model.__class__.__name__)
    if len(input_shape) != 3 or any(int(s) < 1 for s in input_shape):
        raise ExportError("input shape must be (C, H, W) with positive sizes, found %r" % (input_shape,))
    c, h, w = (int(s) for s in input_shape)  # the shape chamber sees (a linear layer's output is U x 1 x 1)
    modules = _flatten_modules(model)
    kept = [i for i, m in enumerate(modules) if not isinstance(m, _SKIPPED)]  # Identity and Dropout: eval identity
    layers = []  # each with "relu" (dropped or kept at the end)
    readout = None
    flat = False  # after Flatten or a Linear layer: PyTorch's tensor is (N, features)
    open_main = None  # the index of a Conv2d/Linear whose ReLU has not come yet
    batchnorm = False
    for position, i in enumerate(kept):
        module = modules[i]
        where = _describe(i, module)
        if isinstance(module, _ACTIVATIONS):
            if open_main is None:
                raise ExportError("%s: an activation must follow a Conv2d or Linear layer (with only BatchNorm, "
                                  "AvgPool2d, Flatten, Identity or Dropout between)" % where)
            layers[-1]["relu"] = True
            activation = _activation(module)
            if activation is not None:
                layers[-1]["activation"] = activation
            open_main = None
        elif isinstance(module, nn.Conv2d):
            if flat:
                raise ExportError("%s: a Conv2d after Flatten/Linear is not supported" % where)
            if open_main is not None:
                raise ExportError("%s: %s has no ReLU before this Conv2d (two affine maps in a row are not supported)"
                                  % (where, _describe(open_main, modules[open_main])))
            layer, (c, h, w) = _conv2d(module, where, c, h, w)
            layers.append(dict(layer, relu=False))
            open_main = i
        elif isinstance(module, nn.Linear):
            features = c * h * w
            if module.in_features != features:
                raise ExportError("%s: expects %d input features, the previous output has %d (%dx%dx%d)"
                                  % (where, module.in_features, features, c, h, w))
            if open_main is not None:
                raise ExportError("%s: %s has no ReLU before this Linear (two affine maps in a row are not supported)"
                                  % (where, _describe(open_main, modules[open_main])))
            weight = module.weight.detach().cpu()
            bias = module.bias.detach().cpu() if module.bias is not None else torch.zeros(module.out_features)
            linear = {"out_features": module.out_features, "weight": exact_array(weight), "bias": exact_array(bias)}
            if position == len(kept) - 1 and layers:  # the last Linear: the read-out layer (changes no region)
                readout = linear
                break
            layers.append(dict({"type": "linear"}, relu=False, **linear))
            c, h, w = module.out_features, 1, 1
            flat = True
            open_main = i
        elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            if isinstance(module, nn.BatchNorm2d) and flat:
                raise ExportError("%s: BatchNorm2d after Flatten/Linear (PyTorch refuses it too)" % where)
            if isinstance(module, nn.BatchNorm1d):
                if not flat:
                    raise ExportError("%s: BatchNorm1d on a %dx%dx%d activation map is not supported (after Flatten "
                                      "or Linear it is)" % (where, c, h, w))
                if (h, w) != (1, 1):  # chamber's map is still C x H x W: flatten it, so that features are channels
                    layers.append({"type": "flatten", "relu": False})
                    c, h, w = c * h * w, 1, 1
            layers.append(dict(_batchnorm(module, where, c), relu=False))
            batchnorm = True
        elif isinstance(module, nn.MaxPool2d):
            if open_main is not None:
                raise ExportError("%s: max pooling before the activation of %s is not supported (put it after the "
                                  "activation: Conv2d, ReLU, MaxPool2d)" % (where, _describe(open_main, modules[open_main])))
            if not layers:
                raise ExportError("%s: max pooling of the input itself is not supported" % where)
            if flat:
                raise ExportError("%s: MaxPool2d after Flatten/Linear is not supported" % where)
            layer, (c, h, w) = _maxpool2d(module, where, c, h, w)
            layers.append(dict(layer, relu=True))  # a layer of max units: a hidden layer of its own
        elif isinstance(module, nn.AvgPool2d):
            if flat:
                raise ExportError("%s: AvgPool2d after Flatten/Linear is not supported" % where)
            layer, (c, h, w) = _avgpool2d(module, where, c, h, w)
            layers.append(dict(layer, relu=False))
        elif isinstance(module, nn.Flatten):
            if module.start_dim != 1 or module.end_dim != -1:
                raise ExportError("%s: only Flatten(start_dim=1, end_dim=-1) is supported" % where)
            flat = True  # a linear layer reads the CHW flattening: nothing to write
        else:
            raise ExportError(_unsupported(i, module))
    if open_main is not None:
        raise ExportError("%s: must be followed by ReLU (only the last Linear may go without)"
                          % _describe(open_main, modules[open_main]))
    hidden = [k for k, layer in enumerate(layers) if layer["relu"]]
    if not hidden:
        raise ExportError("no hidden layer: the model has no Conv2d or Linear followed by ReLU")
    if readout is None:  # layers after the last ReLU change no region, and nothing reads them
        layers = layers[: hidden[-1] + 1]
    for layer in layers:  # "relu" written only where it differs from the default of the type
        if (layer["type"] in ("conv2d", "linear", "maxpool2d")) == layer["relu"]:
            del layer["relu"]
    document = {"format": "chamber-network", "version": 1, "input_shape": [int(s) for s in input_shape],
                "layers": layers}
    if batchnorm:
        document["comment"] = _BN_NOTE
        if notes is not None:
            notes.append(_BN_NOTE)
    if readout is not None:
        document["readout"] = readout
    return document


def _parse_sizes(text, parts, what):
    try:
        sizes = [int(t) for t in text.split("x")]
    except ValueError:
        sizes = []
    if len(sizes) != parts or any(s < 1 for s in sizes):
        raise ExportError("%s: expected %s with positive sizes, found '%s'" % (what, "x".join("N" * parts), text))
    return sizes


def build_model(input_shape, convs, linears, readout):
    """Rebuilds the Sequential that a state dict of the given architecture belongs to."""
    c = input_shape[0]
    modules = []
    for text in convs:
        parts = text.split(":")
        if len(parts) != 3:
            raise ExportError("--conv '%s': expected K:KHxKW:S or K:KHxKW:SHxSW" % text)
        k = _parse_sizes(parts[0], 1, "--conv filters")[0]
        kh, kw = _parse_sizes(parts[1], 2, "--conv kernel")
        stride = _parse_sizes(parts[2], 2 if "x" in parts[2] else 1, "--conv stride")
        modules += [nn.Conv2d(c, k, (kh, kw), stride=tuple(stride) if len(stride) == 2 else stride[0]), nn.ReLU()]
        c = k
    shape = list(input_shape)
    probe = torch.zeros([1] + shape)
    features = nn.Sequential(*modules)(probe).numel() if modules else probe.numel()
    if linears or readout:
        modules.append(nn.Flatten())
    for text in linears:
        u = _parse_sizes(text, 1, "--linear")[0]
        modules += [nn.Linear(features, u), nn.ReLU()]
        features = u
    if readout:
        modules.append(nn.Linear(features, readout))
    return nn.Sequential(*modules)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model", help="torch.save(model) of an nn.Sequential, or a state dict with --conv/--linear")
    parser.add_argument("--input", required=True, help="input shape CxHxW")
    parser.add_argument("--conv", action="append", default=[], help="K:KHxKW:S (state dict only); repeat")
    parser.add_argument("--linear", action="append", default=[], help="units (state dict only); repeat")
    parser.add_argument("--readout", type=int, default=0, help="units of a final Linear without ReLU (state dict only)")
    parser.add_argument("-o", "--output", required=True, help="network JSON to write")
    args = parser.parse_args(argv)
    try:
        input_shape = _parse_sizes(args.input, 3, "--input")
        try:
            loaded = torch.load(args.model, map_location="cpu")
        except Exception as error:  # torch raises many kinds; all mean "not a model file"
            raise ExportError("%s: cannot load: %s" % (args.model, error))
        if isinstance(loaded, dict):
            if not args.conv and not args.linear:
                raise ExportError("%s: a state dict needs its architecture (--conv/--linear)" % args.model)
            model = build_model(input_shape, args.conv, args.linear, args.readout)
            try:
                model.load_state_dict(loaded, strict=True)
            except RuntimeError as error:
                raise ExportError("%s: does not match the architecture: %s" % (args.model, str(error).strip()))
        elif isinstance(loaded, nn.Module):
            if args.conv or args.linear or args.readout:
                raise ExportError("%s: holds a whole model; --conv/--linear/--readout are for state dicts" % args.model)
            model = loaded
        else:
            raise ExportError("%s: holds a %s, not a model or a state dict" % (args.model, type(loaded).__name__))
        model.eval()  # batch-norm uses its running statistics, dropout is the identity
        notes = []
        document = to_chamber(model, input_shape, notes)
        for note in notes:
            print("export_torch: note: %s" % note, file=sys.stderr)
    except ExportError as error:
        print("export_torch: error: %s" % error, file=sys.stderr)
        return 2
    with open(args.output, "w") as out:
        json.dump(document, out)
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Export a PyTorch ReLU network to chamber's network JSON (docs/network-format.md), every weight exact.

Supported: a torch.nn.Sequential of Conv2d (padding 0, dilation 1, groups 1), Linear, ReLU and Flatten, where every
Conv2d and Linear is followed by ReLU except an optional last Linear: the read-out layer, written as the network's
"readout" (it changes no linear region; `chamber slice --colour class` reads it for the predicted classes). Anything
else is refused with the layer's index, its name and why.

Each float32/float64 weight is written exactly: an integer when it is one, else the fraction "p/q" of its binary
value (a float *is* a dyadic rational; nothing is rounded).

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


_SUPPORTED = (nn.Conv2d, nn.Linear, nn.ReLU, nn.Flatten)


def _unsupported(index, module):
    """Returns why `module` cannot be exported."""
    reasons = {
        (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d): "pooling is not supported",
        (nn.BatchNorm1d, nn.BatchNorm2d): "batch-norm is not supported (fold it into the previous layer first)",
        (nn.Dropout, nn.Dropout2d): "dropout is not supported (remove it for export)",
    }
    why = next((r for types, r in reasons.items() if isinstance(module, types)),
               "unsupported layer (chamber reads Conv2d, Linear, ReLU and Flatten)")
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


def to_chamber(model, input_shape):
    """Returns chamber's network JSON document for `model` (an nn.Sequential) and input shape (C, H, W)."""
    if not isinstance(model, nn.Sequential):
        raise ExportError("expected a torch.nn.Sequential, found %s" % model.__class__.__name__)
    if len(input_shape) != 3 or any(int(s) < 1 for s in input_shape):
        raise ExportError("input shape must be (C, H, W) with positive sizes, found %r" % (input_shape,))
    c, h, w = (int(s) for s in input_shape)
    modules = _flatten_modules(model)
    layers = []
    readout = None
    flat = False  # after Flatten or a Linear layer
    i = 0
    while i < len(modules):
        module = modules[i]
        where = _describe(i, module)
        if isinstance(module, nn.Conv2d):
            if flat:
                raise ExportError("%s: a Conv2d after Flatten/Linear is not supported" % where)
            padded = module.padding != "valid" if isinstance(module.padding, str) else _pair(module.padding) != (0, 0)
            if padded:
                raise ExportError("%s: padding %r is not supported (chamber reads padding 0 only)" % (where, module.padding))
            if _pair(module.dilation) != (1, 1):
                raise ExportError("%s: dilation %r is not supported" % (where, module.dilation))
            if module.groups != 1:
                raise ExportError("%s: groups=%d is not supported" % (where, module.groups))
            if module.in_channels != c:
                raise ExportError("%s: expects %d input channels, the input here has %d" % (where, module.in_channels, c))
            kh, kw = _pair(module.kernel_size)
            sh, sw = _pair(module.stride)
            if kh > h or kw > w:
                raise ExportError("%s: kernel %dx%d is larger than its %dx%d input" % (where, kh, kw, h, w))
            weight = module.weight.detach().cpu()
            bias = module.bias.detach().cpu() if module.bias is not None else torch.zeros(module.out_channels)
            layers.append({"type": "conv2d", "out_channels": module.out_channels, "kernel_size": [kh, kw],
                           "stride": [sh, sw], "weight": exact_array(weight), "bias": exact_array(bias)})
            c, h, w = module.out_channels, (h - kh) // sh + 1, (w - kw) // sw + 1
        elif isinstance(module, nn.Linear):
            features = c * h * w
            if module.in_features != features:
                raise ExportError("%s: expects %d input features, the previous output has %d (%dx%dx%d)"
                                  % (where, module.in_features, features, c, h, w))
            followed_by_relu = i + 1 < len(modules) and isinstance(modules[i + 1], nn.ReLU)
            if not followed_by_relu and i + 1 < len(modules):
                if not isinstance(modules[i + 1], _SUPPORTED):
                    raise ExportError(_unsupported(i + 1, modules[i + 1]))
                raise ExportError("%s: must be followed by ReLU (only the last Linear may go without)" % where)
            weight = module.weight.detach().cpu()
            bias = module.bias.detach().cpu() if module.bias is not None else torch.zeros(module.out_features)
            linear = {"out_features": module.out_features, "weight": exact_array(weight), "bias": exact_array(bias)}
            if not followed_by_relu:  # the last Linear: the read-out layer (changes no linear region)
                readout = linear
                break
            layers.append(dict({"type": "linear"}, **linear))
            c, h, w = 1, 1, module.out_features
            flat = True
        elif isinstance(module, nn.Flatten):
            if module.start_dim != 1 or module.end_dim != -1:
                raise ExportError("%s: only Flatten(start_dim=1, end_dim=-1) is supported" % where)
            c, h, w = 1, 1, c * h * w
            flat = True
            i += 1
            continue
        elif isinstance(module, nn.ReLU):
            raise ExportError("%s: a ReLU must follow a Conv2d or Linear layer" % where)
        else:
            raise ExportError(_unsupported(i, module))
        # A Conv2d must be followed by ReLU; skip it.
        if i + 1 >= len(modules) or not isinstance(modules[i + 1], nn.ReLU):
            if i + 1 < len(modules) and not isinstance(modules[i + 1], _SUPPORTED):
                raise ExportError(_unsupported(i + 1, modules[i + 1]))
            raise ExportError("%s: must be followed by ReLU" % where)
        i += 2
    if not layers:
        raise ExportError("no hidden layer: the model has no Conv2d or Linear followed by ReLU")
    document = {"format": "chamber-network", "version": 1, "input_shape": [int(s) for s in input_shape],
                "layers": layers}
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
        document = to_chamber(model, input_shape)
    except ExportError as error:
        print("export_torch: error: %s" % error, file=sys.stderr)
        return 2
    with open(args.output, "w") as out:
        json.dump(document, out)
        out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

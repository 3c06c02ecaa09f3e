"""PyTorch in: export real models with cnn/export_torch.py, count them with `chamber cnn`, compare with patterns
sampled in PyTorch. Run by CTest with Debian's python3 (python3-torch):
    test_export_torch.py CHAMBER_BINARY EXPORTER WORKDIR
Exits 1 on the first failed check, naming it."""
import json
import os
import sys
from fractions import Fraction

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import check, finish, run  # noqa: E402

chamber, exporter, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
sys.path.insert(0, os.path.dirname(exporter))
import export_torch  # noqa: E402


def flattened(*arrays):
    """The numbers of nested lists (a network file's weights), in order, as exact fractions."""
    flat = []
    def walk(v):
        if isinstance(v, list):
            for x in v:
                walk(x)
        else:
            flat.append(Fraction(v))
    for array in arrays:
        walk(array)
    return flat


def sampled_patterns(model, input_shape, samples, seed):
    """Distinct activation patterns of the hidden layers (every Conv2d/Linear followed by ReLU) at random inputs."""
    hidden = [m for i, m in enumerate(model) if isinstance(m, (nn.Conv2d, nn.Linear))
              and i + 1 < len(model) and isinstance(model[i + 1], nn.ReLU)]
    outputs = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: outputs.append(out.flatten(1) > 0)) for m in hidden]
    generator = torch.Generator().manual_seed(seed)
    patterns = set()
    with torch.no_grad():
        for start in range(0, samples, 5000):
            outputs.clear()
            model(torch.randn([5000] + list(input_shape), generator=generator) * 3)
            rows = torch.cat(outputs, dim=1)
            patterns.update(bytes(row.to(torch.uint8).tolist()) for row in rows)
    for h in hooks:
        h.remove()
    return len(patterns)


models = {
    "conv-linear": ((1, 3, 3), nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3), nn.ReLU(),
                                             nn.Linear(3, 1))),
    "conv-stride": ((2, 4, 4), nn.Sequential(nn.Conv2d(2, 3, 2, stride=2), nn.ReLU())),
    "mlp": ((1, 1, 3), nn.Sequential(nn.Flatten(), nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 4), nn.ReLU(),
                                     nn.Linear(4, 2))),
}
torch.manual_seed(7)
for name, (shape, model) in models.items():
    model.eval()
    saved = os.path.join(work, name + ".pt")
    net = os.path.join(work, name + ".json")
    torch.save(model, saved)
    result = run(sys.executable, exporter, saved, "--input", "x".join(map(str, shape)), "-o", net)
    check(result.returncode == 0, "%s: export exits 0 (%s)" % (name, result.stderr.strip()))
    document = json.load(open(net))
    # Every weight exact: the fraction written is the float's own value.
    exported = [(layer["weight"], layer["bias"]) for layer in document["layers"]]
    torch_layers = [m for m in model if isinstance(m, (nn.Conv2d, nn.Linear))][: len(exported)]
    same = True
    for (weight, bias), module in zip(exported, torch_layers):
        flat = flattened(weight, bias)
        values = [Fraction(float(x)) for x in torch.cat([module.weight.detach().flatten(), module.bias.detach().flatten()])]
        same = same and flat == values
    check(same, "%s: every exported number equals the float32 weight exactly" % name)
    # The last Linear without ReLU is the read-out, written exactly as "readout".
    has_readout = isinstance(model[-1], nn.Linear)
    check(("readout" in document) == has_readout, "%s: a read-out exactly when the model ends with a Linear" % name)
    if has_readout:
        readout = document["readout"]
        flat = flattened(readout["weight"], readout["bias"])
        values = [Fraction(float(x)) for x in torch.cat([model[-1].weight.detach().flatten(),
                                                         model[-1].bias.detach().flatten()])]
        check(readout["out_features"] == model[-1].out_features and flat == values,
              "%s: the read-out's numbers equal the float32 weights exactly" % name)
    counted = run(chamber, "cnn", net, "--json", "--quiet", "--no-verdict")
    check(counted.returncode == 0, "%s: chamber cnn exits 0 (%s)" % (name, counted.stderr.strip()[-200:]))
    exact = int(json.loads(counted.stdout)["regions"]) if counted.returncode == 0 else -1
    sampled = sampled_patterns(model, shape, 40000, seed=3)
    print("     %s: exact %d regions, %d patterns sampled in PyTorch" % (name, exact, sampled))
    check(sampled >= 2 and exact >= sampled, "%s: exact count >= sampled patterns" % name)

# A state dict with its architecture gives the same file as the whole model.
shape, model = models["conv-linear"]
torch.save(model.state_dict(), os.path.join(work, "state.pt"))
result = run(sys.executable, exporter, os.path.join(work, "state.pt"), "--input", "1x3x3", "--conv", "2:2x2:1",
             "--linear", "3", "--readout", "1", "-o", os.path.join(work, "state.json"))
check(result.returncode == 0 and open(os.path.join(work, "state.json")).read() ==
      open(os.path.join(work, "conv-linear.json")).read(), "state dict + architecture gives the same network file")
result = run(sys.executable, exporter, os.path.join(work, "state.pt"), "--input", "1x3x3", "--conv", "3:2x2:1",
             "-o", os.path.join(work, "wrong.json"))
check(result.returncode == 2 and "does not match the architecture" in result.stderr, "a mismatched state dict: exit 2")

# Unsupported layers are refused by index and name, exit 2.
class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 1)

    def forward(self, x):
        return x + self.conv(x)


unsupported = {
    "pooling": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.MaxPool2d(2, dilation=2)),
                "layer 2 (MaxPool2d): dilation 2 is not supported"),
    "pool-first": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.MaxPool2d(2), nn.ReLU()),
                   "layer 1 (MaxPool2d): max pooling before the activation"),
    "adaptive-max": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.AdaptiveMaxPool2d(1)),
                     "layer 2 (AdaptiveMaxPool2d): this pooling by maximum is not supported"),
    "tanh": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.Tanh()), "layer 1 (Tanh): a smooth activation"),
    "nested-maxpool": (nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 1), nn.ReLU()),
                                     nn.Sequential(nn.MaxPool2d(2, ceil_mode=True))),
                       "layer 2 (MaxPool2d): ceil_mode=True"),
    "ceil-mode": (nn.Sequential(nn.Conv2d(1, 2, 1), nn.ReLU(), nn.AvgPool2d(2, ceil_mode=True)),
                  "layer 2 (AvgPool2d): ceil_mode=True is not supported"),
    "no-relu": (nn.Sequential(nn.Conv2d(1, 2, 1), nn.BatchNorm2d(2), nn.Flatten(), nn.Linear(18, 2), nn.ReLU()),
                "layer 3 (Linear): layer 0 (Conv2d) has no ReLU before this Linear"),
    "reflect": (nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, padding_mode="reflect"), nn.ReLU()),
                "layer 0 (Conv2d): padding_mode 'reflect'"),
}
for name, (model, message) in unsupported.items():
    saved = os.path.join(work, "bad-%s.pt" % name)
    torch.save(model, saved)
    result = run(sys.executable, exporter, saved, "--input", "1x3x3", "-o", os.path.join(work, "bad.json"))
    check(result.returncode == 2 and message in result.stderr, "%s: refused with exit 2 naming it (%s)"
          % (name, result.stderr.strip()))

# A residual block (a module of its own, which a saved file cannot be loaded without): refused in-process.
try:
    export_torch.to_chamber(nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), Residual()), (1, 3, 3))
    refused = ""
except export_torch.ExportError as error:
    refused = str(error)
check("layer 2 (Residual): unsupported layer" in refused, "residual: refused naming it (%s)" % refused)

# ------------------------------------------------------------------------------------------------------------------
# The affine layers real CNNs use: padding, dilation, groups, batch-norm (eval), average pooling, dropout, identity,
# nested Sequentials. chamber's exact forward pass against PyTorch's (float64, same float32 weights) at random points.

try:
    import chamber as chamber_module  # build/python (PYTHONPATH set by CTest when the module is built)
except ImportError:
    chamber_module = None
    print("     note: the chamber Python module is not importable: forward-pass value checks skipped")


def randomise_batchnorm(model, generator):
    """Non-trivial running statistics and affine parameters for every batch-norm of `model`."""
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            k = module.num_features
            module.running_mean.copy_(torch.rand(k, generator=generator) * 2 - 1)
            module.running_var.copy_(torch.rand(k, generator=generator) * 2 + 0.25)
            module.weight.data.copy_(torch.rand(k, generator=generator) * 3 - 1.5)
            module.bias.data.copy_(torch.rand(k, generator=generator) - 0.5)
    model.eval()


def relu_inputs(model, x):
    """PyTorch's pre-activations (the input of every ReLU, flattened CHW), layer by layer, in float64."""
    leaves = export_torch._flatten_modules(model)
    values = []
    hooks = [m.register_forward_hook(lambda _m, inputs, _out: values.append(inputs[0].flatten(1)))
             for m in leaves if isinstance(m, nn.ReLU)]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return torch.cat(values, dim=1)[0]


def export(name, model, shape):
    saved = os.path.join(work, name + ".pt")
    net = os.path.join(work, name + ".json")
    torch.save(model, saved)
    result = run(sys.executable, exporter, saved, "--input", "x".join(map(str, shape)), "-o", net)
    check(result.returncode == 0, "%s: export exits 0 (%s)" % (name, result.stderr.strip()))
    return net, result


generator = torch.Generator().manual_seed(11)
torch.manual_seed(5)
affine_models = {
    "padding": ((2, 4, 4), nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 2, 2, padding=(1, 0),
                                                                                              stride=2), nn.ReLU())),
    "dilation": ((1, 5, 5), nn.Sequential(nn.Conv2d(1, 2, 2, dilation=2), nn.ReLU(), nn.Flatten(), nn.Linear(18, 3),
                                          nn.ReLU(), nn.Linear(3, 2))),
    "groups": ((4, 3, 3), nn.Sequential(nn.Conv2d(4, 6, 2, groups=2, padding=1), nn.ReLU(),
                                        nn.Conv2d(6, 2, 3, groups=2, dilation=(1, 2), padding="same"), nn.ReLU())),
    "bn2d-pool": ((1, 4, 4), nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2)),
                                           nn.ReLU(), nn.Dropout(0.5), nn.AvgPool2d(2, stride=1, padding=1),
                                           nn.Identity(), nn.Flatten(), nn.Linear(50, 4), nn.BatchNorm1d(4),
                                           nn.ReLU(), nn.Dropout(), nn.Linear(4, 3))),
    "bn1d-mlp": ((1, 1, 3), nn.Sequential(nn.Flatten(), nn.BatchNorm1d(3), nn.Linear(3, 4), nn.ReLU(), nn.BatchNorm1d(4),
                                          nn.Linear(4, 3), nn.BatchNorm1d(3), nn.ReLU())),
    "relu-bn": ((1, 3, 3), nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.BatchNorm2d(2), nn.AvgPool2d(2, 1),
                                         nn.Conv2d(2, 2, 1), nn.ReLU(), nn.AvgPool2d(1), nn.Flatten(),
                                         nn.Linear(2, 2))),
}
for name, (shape, model) in affine_models.items():
    randomise_batchnorm(model, generator)
    net, result = export(name, model, shape)
    has_bn = any(isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)) for m in model.modules())
    check(("sigma" in result.stderr and "float32" in result.stderr) == has_bn,
          "%s: the exporter notes the float32 sigma exactly when there is a batch-norm (%s)" % (name, result.stderr))
    document = json.load(open(net))
    types = [layer["type"] for layer in document["layers"]]
    check(has_bn == ("batchnorm" in types), "%s: batch-norm layers exported (%s)" % (name, types))
    # Every batch-norm number is the float's exact value; sigma is PyTorch's float32 sqrt(running_var + eps).
    norms = [m for m in export_torch._flatten_modules(model) if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))]
    exported_norms = [layer for layer in document["layers"] if layer["type"] == "batchnorm"]
    for module, layer in zip(norms, exported_norms):
        sigma = torch.sqrt(module.running_var + module.eps)
        check(sigma.dtype == torch.float32 and [Fraction(v) for v in layer["sigma"]] == [Fraction(float(v)) for v in
                                                                                          sigma],
              "%s: sigma is PyTorch's float32 sqrt(running_var + eps), exactly" % name)
        check([Fraction(v) for v in layer["running_mean"]] == [Fraction(float(v)) for v in module.running_mean],
              "%s: running_mean exact" % name)
    counted = run(chamber, "sample", net, "--samples", "200", "--json")
    check(counted.returncode == 0, "%s: chamber reads the exported file (%s)" % (name, counted.stderr.strip()[-300:]))
    if chamber_module is None:
        continue
    network = chamber_module.Network.read(net)
    model64 = model.double()
    worst, same = 0.0, True
    points = torch.randn([6] + list(shape), generator=generator, dtype=torch.float64) * 2
    for x in points:
        exact = network.pre_activations([Fraction(float(v)) for v in x.flatten()])
        theirs = relu_inputs(model64, x.unsqueeze(0))
        check(len(exact) == len(theirs), "%s: as many neurons as PyTorch's ReLU inputs (%d, %d)"
              % (name, len(exact), len(theirs)))
        for a, b in zip(exact, theirs.tolist()):
            worst = max(worst, abs(float(a) - b) / (1 + abs(b)))
            if abs(b) > 1e-6:
                same = same and (a > 0) == (b > 0)
    print("     %s: %d neurons, largest relative difference to PyTorch %.2e" % (name, len(exact), worst))
    check(same, "%s: the activation patterns equal PyTorch's" % name)
    check(worst < 1e-5, "%s: pre-activations within float32 tolerance of PyTorch's (%.2e)" % (name, worst))

# The readout after trailing affine layers ("relu-bn": AvgPool2d, Flatten before the last Linear) is kept.
check("readout" in json.load(open(os.path.join(work, "relu-bn.json"))), "relu-bn: the read-out after the last ReLU")

# ------------------------------------------------------------------------------------------------------------------
# Counting a padded conv + batch-norm + ReLU + average pooling net in a box, against a brute force over patterns:
# the cell of every pattern (forms computed here from the exported document, in Fractions) clipped from the box
# exactly; a pattern is a region when its cell has positive area.


def affine_forms(document, n):
    """For each layer of the document, a function from input forms (lists of n + 1 Fractions) to output forms."""
    def constant(value):
        return [Fraction(value)] + [Fraction(0)] * n

    def combine(terms, bias):
        out = constant(bias)
        for coefficient, form in terms:
            if coefficient:
                out = [o + coefficient * f for o, f in zip(out, form)]
        return out


    def apply(layer, forms, shape):
        c, h, w = shape
        kind = layer["type"]
        if kind == "linear":
            weight, bias = flattened(layer["weight"]), flattened(layer["bias"])
            u, m = layer["out_features"], len(forms)
            return [combine([(weight[i * m + j], forms[j]) for j in range(m)], bias[i]) for i in range(u)], (u, 1, 1)
        if kind == "flatten":
            return forms, (c * h * w, 1, 1)
        if kind == "batchnorm":
            g, b, mu, sd = (flattened(layer[key]) for key in ("weight", "bias", "running_mean", "sigma"))
            return [combine([(g[k // (h * w)] / sd[k // (h * w)], f)],
                            b[k // (h * w)] - mu[k // (h * w)] * g[k // (h * w)] / sd[k // (h * w)])
                    for k, f in enumerate(forms)], shape
        kh, kw = layer["kernel_size"]
        sh, sw = layer.get("stride", [kh, kw] if kind == "avgpool2d" else [1, 1])
        ph, pw = layer.get("padding", [0, 0])
        dh, dw = layer.get("dilation", [1, 1])
        groups = layer.get("groups", 1)
        k_out = layer["out_channels"] if kind == "conv2d" else c
        oh, ow = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
        weight = flattened(layer["weight"]) if kind == "conv2d" else None
        out = []
        for k in range(k_out):
            for i in range(oh):
                for j in range(ow):
                    terms = []
                    channels = range((k // (k_out // groups)) * (c // groups), (k // (k_out // groups) + 1) * (c // groups)) \
                        if kind == "conv2d" else [k]
                    for ci, cc in enumerate(channels):
                        for a in range(kh):
                            for b in range(kw):
                                r, q = i * sh + a * dh - ph, j * sw + b * dw - pw
                                if 0 <= r < h and 0 <= q < w:
                                    coefficient = weight[((k * (c // groups) + ci) * kh + a) * kw + b] \
                                        if kind == "conv2d" else Fraction(1, kh * kw)
                                    terms.append((coefficient, forms[(cc * h + r) * w + q]))
                    out.append(combine(terms, flattened(layer["bias"])[k] if kind == "conv2d" else 0))
        return out, (k_out, oh, ow)
    return apply


def clip(polygon, form):
    """The part of a convex polygon (exact vertices) where form(x) = form[0] + form[1] x + form[2] y > 0 (closure)."""
    value = lambda p: form[0] + form[1] * p[0] + form[2] * p[1]
    out = []
    for i, p in enumerate(polygon):
        q = polygon[(i + 1) % len(polygon)]
        vp, vq = value(p), value(q)
        if vp >= 0:
            out.append(p)
        if (vp > 0 and vq < 0) or (vp < 0 and vq > 0):
            t = vp / (vp - vq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def area(polygon):
    return abs(sum(p[0] * q[1] - q[0] * p[1] for p, q in zip(polygon, polygon[1:] + polygon[:1]))) / 2


def brute_force_count(document, lo, hi):
    """The number of activation patterns whose cell has positive area in the open box (lo, hi)^2."""
    shape = tuple(document["input_shape"])
    apply = affine_forms(document, 2)
    groups, current = [], []  # hidden layers: lists of document layers ending with ReLU
    for layer in document["layers"]:
        current.append(layer)
        if layer.get("relu", layer["type"] in ("conv2d", "linear")):
            groups.append(current)
            current = []
    box = [(Fraction(lo), Fraction(lo)), (Fraction(hi), Fraction(lo)), (Fraction(hi), Fraction(hi)),
           (Fraction(lo), Fraction(hi))]
    patterns = set()

    def layer_step(g, inputs, shape, polygon, pattern):
        if g == len(groups):
            patterns.add(pattern)
            return
        forms = inputs
        for layer in groups[g]:
            forms, shape = apply(layer, forms, shape)
        neuron_step(g, forms, 0, [], shape, polygon, pattern)

    def neuron_step(g, forms, k, outputs, shape, polygon, pattern):
        if k == len(forms):
            layer_step(g + 1, outputs, shape, polygon, pattern)
            return
        f = forms[k]
        zero = [Fraction(0)] * 3
        if f[1] == 0 and f[2] == 0:  # constant: its sign, no split
            sign = "+" if f[0] > 0 else "-" if f[0] < 0 else "0"
            neuron_step(g, forms, k + 1, outputs + [f if f[0] > 0 else zero], shape, polygon, pattern + sign)
            return
        for sign, oriented, output in (("+", f, f), ("-", [-v for v in f], zero)):
            piece = clip(polygon, oriented)
            if len(piece) >= 3 and area(piece) > 0:
                neuron_step(g, forms, k + 1, outputs + [output], shape, piece, pattern + sign)

    identity = [[Fraction(0), Fraction(1), Fraction(0)], [Fraction(0), Fraction(0), Fraction(1)]]
    layer_step(0, identity, shape, box, "")
    return patterns


torch.manual_seed(3)
small = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.AvgPool2d(2, stride=1, padding=1),
                      nn.Flatten(), nn.Linear(12, 3), nn.ReLU(), nn.Linear(3, 2))
randomise_batchnorm(small, generator)
net, _ = export("padded-bn-pool", small, (1, 2, 1))
document = json.load(open(net))
brute = brute_force_count(document, -50, 50)
counted = run(chamber, "cnn", net, "--box", "-50,50", "--json", "--quiet", "--certificate",
              os.path.join(work, "padded-bn-pool-cert.json"))
check(counted.returncode == 0, "padded-bn-pool: chamber cnn --box exits 0 (%s)" % counted.stderr.strip()[-300:])
report = json.loads(counted.stdout) if counted.returncode == 0 else {}
print("     padded-bn-pool: chamber %s regions in the box, brute force %d" % (report.get("regions"), len(brute)))
check(report.get("regions") == len(brute) and len(brute) > 4, "padded-bn-pool: the count equals the brute force")
check(report.get("eq4") is None and "not_applicable" in report,
      "padded-bn-pool: no closed form is applied to a padded, batch-normed, pooled net (%s)"
      % report.get("not_applicable"))
if chamber_module is not None:
    regions = list(chamber_module.Network.read(net).regions(box=(-50, 50)))
    check({r.pattern for r in regions} == brute, "padded-bn-pool: the region patterns are the brute force's")
    model64 = small.double()
    agree = all(
        "".join("+" if v > 0 else "-" for v in relu_inputs(model64, torch.tensor([[[[float(r.witness[0])],
                                                                                  [float(r.witness[1])]]]],
                                                                                dtype=torch.float64)).tolist())
        == r.pattern.replace("0", "-") for r in regions)
    check(agree, "padded-bn-pool: PyTorch's pattern at every witness is the region's")
# The certificate checks against the network file; a copy with one batch-norm number changed is refused.
certificate = os.path.join(work, "padded-bn-pool-cert.json")
checked = run(chamber, "check", certificate, "--network", net)
check(checked.returncode == 0, "padded-bn-pool: the certificate checks (%s)" % checked.stdout.strip()[-300:])
tampered = json.loads(json.dumps(document))
bn = next(layer for layer in tampered["layers"] if layer["type"] == "batchnorm")
bn["weight"][0] = str(Fraction(bn["weight"][0]) + Fraction(1, 1024))
tampered_path = os.path.join(work, "padded-bn-pool-tampered.json")
json.dump(tampered, open(tampered_path, "w"))
checked = run(chamber, "check", certificate, "--network", tampered_path)
check(checked.returncode == 1 and "layers[1].weight[0]" in checked.stdout + checked.stderr,
      "padded-bn-pool: a network file with one batch-norm weight changed is refused (%s)"
      % (checked.stdout + checked.stderr).strip()[-300:])
# The same change inside the certificate's own network: its regions no longer prove anything.
cert = json.load(open(certificate))
inner = next(layer for layer in cert["network"]["layers"] if layer["type"] == "batchnorm")
inner["sigma"][1] = str(Fraction(inner["sigma"][1]) * 3)
json.dump(cert, open(os.path.join(work, "tampered-cert.json"), "w"))
checked = run(chamber, "check", os.path.join(work, "tampered-cert.json"))
check(checked.returncode == 1, "padded-bn-pool: a certificate whose batch-norm sigma was changed is invalid (%s)"
      % checked.stdout.strip()[-300:])

# ------------------------------------------------------------------------------------------------------------------
# Piecewise-linear activations (LeakyReLU, PReLU, Hardtanh, ReLU6): exported, counted with a certificate the checker
# accepts, and chamber's exact neurons (z − t for each breakpoint t of a unit) against PyTorch's activation inputs.


def max_slots(module, x):
    """A MaxPool2d's neurons at its input x (1×C×H×W): per unit, for each real input of its window, the maximum minus
    that input (0 for the piece taken), in chamber's order (docs/network-format.md, "Max pooling")."""
    kh, kw = export_torch._pair(module.kernel_size)
    sh, sw = export_torch._pair(module.stride if module.stride is not None else module.kernel_size)
    ph, pw = export_torch._pair(module.padding)
    _, c, h, w = x.shape
    out = []
    for k in range(c):
        for i in range((h + 2 * ph - kh) // sh + 1):
            for j in range((w + 2 * pw - kw) // sw + 1):
                window = [x[0, k, i * sh + a - ph, j * sw + b - pw] for a in range(kh) for b in range(kw)
                          if 0 <= i * sh + a - ph < h and 0 <= j * sw + b - pw < w]
                top = max(window)
                out += [top - v for v in window]
    return torch.stack(out).unsqueeze(0)


def activation_inputs(model, x):
    """PyTorch's pre-activations, each unit as its neurons z − t_1, …, z − t_m, and each max-pooling unit as its
    slots (docs/network-format.md), in float64."""
    leaves = export_torch._flatten_modules(model)
    values = []

    def hook(module, inputs, _out):
        z = inputs[0].flatten(1)
        if isinstance(module, nn.MaxPool2d):
            values.append(max_slots(module, inputs[0]))
        elif isinstance(module, nn.Hardtanh):  # ReLU6 too: two neurons per unit, side by side
            values.append(torch.stack([z - module.min_val, z - module.max_val], dim=2).flatten(1))
        else:
            values.append(z)
    hooks = [m.register_forward_hook(hook) for m in leaves
             if isinstance(m, export_torch._ACTIVATIONS + (nn.MaxPool2d,))]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return torch.cat(values, dim=1)[0]


torch.manual_seed(8)
activation_models = {
    "leaky-prelu": ((1, 1, 2), nn.Sequential(nn.Flatten(), nn.Linear(2, 4), nn.LeakyReLU(0.25), nn.Linear(4, 3),
                                             nn.PReLU(3, init=-0.5), nn.Linear(3, 2))),
    "hardtanh-relu6": ((1, 2, 2), nn.Sequential(nn.Conv2d(1, 1, 2, padding=1), nn.Hardtanh(-0.5, 2.0), nn.Flatten(),
                                                nn.Linear(9, 2), nn.ReLU6(), nn.Linear(2, 1))),
    # The newcomer's block (README): Conv2d(padding=1), BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear, ReLU, Linear.
    "conv-bn-relu-maxpool": ((1, 2, 2), nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(),
                                                      nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2, 2), nn.ReLU(),
                                                      nn.Linear(2, 2))),
}
for name, (shape, model) in activation_models.items():
    randomise_batchnorm(model, generator)
    net, _ = export(name, model, shape)
    document = json.load(open(net))
    kinds = [layer["activation"]["type"] if "activation" in layer else layer["type"] for layer in document["layers"]
             if "activation" in layer or layer["type"] == "maxpool2d"]
    check(len(kinds) == 2 or "maxpool2d" in kinds, "%s: the activations are written (%s)" % (name, kinds))
    certificate = os.path.join(work, name + "-cert.json")
    counted = run(chamber, "cnn", net, "--json", "--quiet", "--certificate", certificate)
    check(counted.returncode == 0, "%s: chamber cnn exits 0 (%s)" % (name, counted.stderr.strip()[-300:]))
    report = json.loads(counted.stdout) if counted.returncode == 0 else {}
    checked = run(chamber, "check", certificate, "--network", net)
    check(checked.returncode == 0, "%s: the certificate checks (%s)" % (name, checked.stdout.strip()[-300:]))
    print("     %s: %s regions, activations %s" % (name, report.get("regions"), kinds))
    # In a box too: the regions meeting it, certified; fewer than on the whole input space.
    boxed = run(chamber, "cnn", net, "--box", "-1,1", "--json", "--quiet", "--certificate", certificate + ".box")
    in_box = json.loads(boxed.stdout).get("regions") if boxed.returncode == 0 else None
    checked = run(chamber, "check", certificate + ".box", "--network", net)
    check(checked.returncode == 0 and in_box is not None and 1 <= in_box <= report.get("regions", 0),
          "%s: counted in the box (-1, 1)^n, %s regions, certificate checked (%s)"
          % (name, in_box, checked.stdout.strip()[-200:]))
    if chamber_module is None:
        continue
    network = chamber_module.Network.read(net)
    model64 = model.double()
    worst = 0.0
    for x in torch.randn([6] + list(shape), generator=generator, dtype=torch.float64) * 2:
        exact = network.pre_activations([Fraction(float(v)) for v in x.flatten()])
        theirs = activation_inputs(model64, x.unsqueeze(0)).tolist()
        check(len(exact) == len(theirs), "%s: as many neurons as PyTorch gives (%d, %d)" % (name, len(exact), len(theirs)))
        worst = max([worst] + [abs(float(a) - b) / (1 + abs(b)) for a, b in zip(exact, theirs)])
    check(worst < 1e-5, "%s: pre-activations within float32 tolerance of PyTorch's (%.2e)" % (name, worst))
    regions = list(network.regions())
    check(len(regions) == report.get("regions"), "%s: the module finds the CLI's count" % name)
    # Compared where float64 can tell the sign (a witness may lie close to a hyperplane of a thin region).
    # A max-pooling slot is 0 for the piece taken and positive for the others ('0' and '+').
    agree = all(all(abs(v) < 1e-9 or ("+" if v > 0 else "-") == c.replace("0", "-") for v, c in zip(
        activation_inputs(model64, torch.tensor([float(v) for v in r.witness],
                                                dtype=torch.float64).reshape([1] + list(shape))).tolist(), r.pattern))
        for r in regions)
    check(agree, "%s: PyTorch's pattern at every witness is the region's" % name)
# The README's newcomer block, exactly as written there: export, count with a certificate, check (852 regions).
torch.manual_seed(0)
readme_model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)).eval()
readme_net, _ = export("readme-block", readme_model, (1, 2, 2))
readme_cert = os.path.join(work, "readme-block.cert.json")
counted = run(chamber, "cnn", readme_net, "--certificate", readme_cert)
checked = run(chamber, "check", readme_cert, "--network", readme_net)
check(counted.returncode == 0 and "linear regions: 852 (exact" in counted.stdout and checked.returncode == 0
      and "valid: proven 852 linear regions" in checked.stdout,
      "README: the newcomer's block has 852 certified regions (%s / %s)"
      % (counted.stdout.strip()[:120], checked.stdout.strip()[:120]))

# A changed slope in the certificate's network: its regions no longer prove anything.
cert = json.load(open(os.path.join(work, "leaky-prelu-cert.json")))
inner = next(layer for layer in cert["network"]["layers"] if "activation" in layer)
inner["activation"]["negative_slope"] = "1/3"
json.dump(cert, open(os.path.join(work, "tampered-activation.json"), "w"))
checked = run(chamber, "check", os.path.join(work, "tampered-activation.json"))
check(checked.returncode == 1, "leaky-prelu: a certificate whose slope was changed is invalid (%s)"
      % checked.stdout.strip()[-300:])

finish()

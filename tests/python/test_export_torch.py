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
        flat = []
        def walk(v):
            if isinstance(v, list):
                for x in v:
                    walk(x)
            else:
                flat.append(Fraction(v) if not isinstance(v, str) else Fraction(v))
        walk(weight)
        walk(bias)
        values = [Fraction(float(x)) for x in torch.cat([module.weight.detach().flatten(), module.bias.detach().flatten()])]
        same = same and flat == values
    check(same, "%s: every exported number equals the float32 weight exactly" % name)
    # The last Linear without ReLU is the read-out, written exactly as "readout".
    has_readout = isinstance(model[-1], nn.Linear)
    check(("readout" in document) == has_readout, "%s: a read-out exactly when the model ends with a Linear" % name)
    if has_readout:
        readout = document["readout"]
        flat = []
        walk(readout["weight"])
        walk(readout["bias"])
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

# Unsupported layers are refused by name, exit 2.
unsupported = {
    "padding": (nn.Sequential(nn.Conv2d(1, 2, 2, padding=1), nn.ReLU()), "padding"),
    "pooling": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.MaxPool2d(2)), "MaxPool2d): pooling"),
    "batch-norm": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.BatchNorm2d(2), nn.ReLU()), "BatchNorm2d): batch-norm"),
    "tanh": (nn.Sequential(nn.Conv2d(1, 2, 2), nn.Tanh()), "Tanh): unsupported layer"),
}
for name, (model, message) in unsupported.items():
    saved = os.path.join(work, "bad-%s.pt" % name)
    torch.save(model, saved)
    result = run(sys.executable, exporter, saved, "--input", "1x3x3", "-o", os.path.join(work, "bad.json"))
    check(result.returncode == 2 and message in result.stderr, "%s: refused with exit 2 naming it (%s)"
          % (name, result.stderr.strip()))

finish()

"""Decision boundaries (`chamber slice --colour class`) against PyTorch's own predictions: for every class piece of
every polygon, the float64 PyTorch model (built from the network file, or the trained model itself) predicts the
piece's class at the piece's centroid mapped to input space, x = P0 + u (P1 - P0) + v (P2 - P0) (points where the
top two outputs are closer than 1e-9 are skipped). The Python module gives the CLI's JSON, and a network without a
read-out is refused.

Run by CTest: PYTHONPATH=build/python CHAMBER=build/bin/chamber /usr/bin/python3 -m pytest tests/python/test_decision.py
"""
import json
import os
import subprocess
from fractions import Fraction

import pytest
import torch
from torch import nn

import chamber

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHAMBER = os.environ["CHAMBER"]
MOONS = os.path.join(ROOT, "examples", "moons_mlp.json")
TIMING = {"seconds"}


def cli(*args):
    return subprocess.run([CHAMBER, *args], capture_output=True, text=True)


def cli_json(*args):
    done = cli(*args, "--json", "-q")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def untimed(document):
    return {k: v for k, v in document.items() if k not in TIMING}


def tensor(values):
    """A float64 tensor of the (nested) exact numbers of a network file."""
    def convert(v):
        return [convert(x) for x in v] if isinstance(v, list) else float(Fraction(v))
    return torch.tensor(convert(values), dtype=torch.float64)


def torch_model(document):
    """The network file as a float64 torch.nn.Sequential, read-out last (no ReLU after it)."""
    c, h, w = document["input_shape"]
    modules, flat = [], False
    for layer in document["layers"]:
        if layer["type"] == "conv2d":
            kh, kw = layer["kernel_size"]
            sh, sw = layer.get("stride", [1, 1])
            conv = nn.Conv2d(c, layer["out_channels"], (kh, kw), stride=(sh, sw)).double()
            conv.weight.data, conv.bias.data = tensor(layer["weight"]), tensor(layer["bias"])
            modules += [conv, nn.ReLU()]
            c, h, w = layer["out_channels"], (h - kh) // sh + 1, (w - kw) // sw + 1
        else:
            if not flat:
                modules.append(nn.Flatten())
                flat = True
            linear = nn.Linear(c * h * w, layer["out_features"]).double()
            linear.weight.data, linear.bias.data = tensor(layer["weight"]), tensor(layer["bias"])
            modules += [linear, nn.ReLU()]
            c, h, w = 1, 1, layer["out_features"]
    readout = document["readout"]
    if not flat:
        modules.append(nn.Flatten())
    linear = nn.Linear(c * h * w, readout["out_features"]).double()
    linear.weight.data, linear.bias.data = tensor(readout["weight"]), tensor(readout["bias"])
    modules.append(linear)
    return nn.Sequential(*modules)


def prediction(model, input_shape, x):
    """PyTorch's class at x (argmax; one output: 1 when > 0) and its margin over the runner-up."""
    with torch.no_grad():
        out = model(torch.tensor([float(v) for v in x], dtype=torch.float64).reshape([1] + list(input_shape)))
    out = out.reshape(-1)  # one sample: its outputs (a model without Flatten keeps the input's leading axes)
    if out.numel() == 1:
        return (1 if out.item() > 0 else 0), abs(out.item())
    top = torch.topk(out, 2).values
    return int(torch.argmax(out)), (top[0] - top[1]).item()


def check_pieces(document, model, input_shape):
    """Checks every class piece's centroid against PyTorch; returns how many were compared and skipped."""
    plane = {key: [Fraction(v) for v in document["plane"][key]] for key in ("p0", "d1", "d2")}
    compared = skipped = 0
    for polygon in document["polygons"]:
        assert polygon["classes"], polygon["pattern"]
        for piece in polygon["classes"]:
            vertices = [(Fraction(u), Fraction(v)) for u, v in piece["vertices"]]
            u = sum(p[0] for p in vertices) / len(vertices)
            v = sum(p[1] for p in vertices) / len(vertices)
            x = [a + u * b + v * c for a, b, c in zip(plane["p0"], plane["d1"], plane["d2"])]
            predicted, margin = prediction(model, input_shape, x)
            if margin < 1e-9:
                skipped += 1
                continue
            assert predicted == piece["class"], (polygon["pattern"], piece["class"], predicted, margin)
            compared += 1
    return compared, skipped


def check_structure(document):
    classes = document["classes"]
    counts = [0] * classes
    for polygon in document["polygons"]:
        for piece in polygon["classes"]:
            counts[piece["class"]] += 1
    assert counts == document["class_counts"]
    for segment in document["decision_boundary"]:
        a, b = segment["classes"]
        assert 0 <= a < b < classes
        assert all(isinstance(t, str) for t in segment["from"] + segment["to"])
        assert segment["from"] != segment["to"]


def test_moons_classifier_against_pytorch():
    document = json.load(open(MOONS))
    assert document["readout"]["out_features"] == 2
    result = cli_json("slice", MOONS, "--through", "0,0;1,0;0,1", "--box", "-1.5,2.5", "--colour", "class")
    assert result["colour_by"] == "class" and result["classes"] == 2
    check_structure(result)
    compared, skipped = check_pieces(result, torch_model(document), document["input_shape"])
    print("moons: %d pieces compared, %d skipped" % (compared, skipped))
    assert compared > 100 and skipped <= compared // 100
    assert len(result["decision_boundary"]) > 5
    assert sum(result["class_counts"]) > len(result["polygons"])  # some polygons are split by the boundary


@pytest.mark.parametrize("args,outputs", [
    (["--input", "1x3x3", "--conv", "2:2x2:1", "--linear", "4", "--weights", "he:8"], 3),
    (["--input", "1x1x4", "--linear", "6", "--linear", "5", "--weights", "int:-5:5"], 1),
    (["--input", "1x1x2", "--linear", "8", "--linear", "6", "--weights", "int:-3:3"], 4),
])
def test_random_networks_against_pytorch(tmp_path, args, outputs):
    path = str(tmp_path / "net.json")
    done = cli("random", *args, "--readout", str(outputs), "--seed", "3", "-o", path, "-q")
    assert done.returncode == 0, done.stderr
    document = json.load(open(path))
    assert document["readout"]["out_features"] == outputs
    model = torch_model(document)
    for plane_seed in ("1", "2"):
        result = cli_json("slice", path, "--random-plane", plane_seed, "--box", "-2,3", "--colour", "class")
        assert result["classes"] == max(outputs, 2)
        check_structure(result)
        compared, skipped = check_pieces(result, model, document["input_shape"])
        assert compared >= len(result["polygons"]) and skipped <= compared // 50


def test_trained_model_from_torch_through_the_module(tmp_path):
    """A trained PyTorch model (float32, its own forward pass in float64): the module's slice by class."""
    torch.manual_seed(2)
    x = torch.rand(300, 2) * 4 - 2
    y = ((x[:, 0] * x[:, 1] > 0).long() + (x[:, 0] > 1).long())  # three classes
    model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(), nn.Linear(10, 3))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(200):
        optimiser.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimiser.step()
    net = chamber.Network.from_torch(model, (1, 1, 2))
    assert net.readout_outputs == 3
    svg = tmp_path / "py.svg"
    result = net.slice([0, 0], [1, 0], [0, 1], window=(-2, 2), svg=svg, colour="class")
    assert svg.stat().st_size > 0
    document = result.to_json()
    check_structure(document)
    compared, skipped = check_pieces(document, model.double(), (1, 1, 2))
    assert compared > 20 and skipped <= compared // 50
    assert result.classes == 3 and len(result.decision_boundary) > 0
    assert all(p.classes for p in result.polygons)
    assert all(isinstance(u, Fraction) for p in result.polygons for _, piece in p.classes for u, _ in piece)

    # The same JSON as the command on the same network file.
    path = tmp_path / "trained.json"
    path.write_text(json.dumps(net.to_json()))
    want = cli_json("slice", str(path), "--through", "0,0;1,0;0,1", "--box", "-2,2", "--colour", "class",
                    "--svg", str(tmp_path / "cli.svg"))
    assert untimed(document) == {**untimed(want), "network": "", "svg": str(svg)}
    assert (tmp_path / "cli.svg").read_bytes() == svg.read_bytes()


def test_region_colouring_is_unchanged_by_a_readout(tmp_path):
    """--colour region (the default) gives the slice of the hidden layers, whether or not the file has a read-out."""
    document = json.load(open(MOONS))
    plain = dict(document)
    del plain["readout"]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(plain))
    with_readout = cli_json("slice", MOONS, "--through", "0,0;1,0;0,1", "--box", "-1.5,2.5")
    without = cli_json("slice", str(path), "--through", "0,0;1,0;0,1", "--box", "-1.5,2.5")
    assert "decision_boundary" not in with_readout and "colour_by" not in with_readout
    assert untimed(with_readout) == {**untimed(without), "network": MOONS}
    assert cli_json("cnn", MOONS, "--no-verdict")["regions"] == cli_json("cnn", str(path), "--no-verdict")["regions"]
    # Without a read-out, --colour class is refused (exit 2), and so is colour="class".
    done = cli("slice", str(path), "--through", "0,0;1,0;0,1", "--colour", "class")
    assert done.returncode == 2
    assert "plain.json: --colour class needs a readout layer (the network file has none)" in done.stderr
    with pytest.raises(ValueError, match="needs a readout layer"):
        chamber.Network.read(str(path)).slice([0, 0], [1, 0], [0, 1], colour="class")
    with pytest.raises(ValueError, match="colour"):
        chamber.Network.read(MOONS).slice([0, 0], [1, 0], [0, 1], colour="classes")

"""The Python module `chamber` against the CLI: the same answers (to_json() equal to --json, timing aside) on the
shared instances and on networks (conv, linear, conv→linear, a trained torch model), certificates that both
checkers accept, ValueError naming the field for bad input, limits, a released GIL and Ctrl-C.

Run by CTest: PYTHONPATH=build/python CHAMBER=build/bin/chamber /usr/bin/python3 -m pytest tests/python/test_module.py
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from fractions import Fraction

import numpy
import pytest
import torch
from torch import nn

import chamber

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CHAMBER = os.environ["CHAMBER"]
SHARED = os.path.join(ROOT, "bench", "shared", "instances")
EXAMPLE_NET = os.path.join(ROOT, "examples", "cnn_3x3x1_f2x2_s1_c2.json")
TIMING = {"seconds", "zaslavsky_seconds", "enumeration_seconds"}


def cli_json(*args):
    done = subprocess.run([CHAMBER, *args, "--json", "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cli_check_json(*args):
    done = subprocess.run([CHAMBER, "check", *args, "--json"], capture_output=True, text=True)
    return done.returncode, json.loads(done.stdout)


def untimed(document):
    return {k: untimed(v) if isinstance(v, dict) else v for k, v in document.items() if k not in TIMING}


def shared(name):
    return os.path.join(SHARED, name + ".arr")


# --- arrangements ---------------------------------------------------------------------------------------------------

def test_threshold3_has_104_regions():
    result = chamber.Arrangement.read(os.path.join(ROOT, "examples", "threshold3.arr")).count()
    assert result.regions == 104
    assert isinstance(result.regions, int)
    assert result.agree is True


@pytest.mark.parametrize("name", ["resonance3", "resonance4", "threshold2", "threshold3", "threshold4",
                                  "generic_d4_m20", "cnn_3x3x1_f2x2_s1_c2", "cnn_3x3x1_f2x2_s1_c3"])
def test_count_equals_cli(name):
    path = shared(name)
    result = chamber.Arrangement.read(path).count(threads=1)
    assert untimed(result.to_json()) == untimed(cli_json("count", path, "--threads", "1"))


def test_count_methods_and_sweep_equal_cli():
    path = shared("cnn_3x4x1_f2x2_s1_c2")
    a = chamber.Arrangement.read(path)
    for method, chi in [("zaslavsky", "sweep"), ("enumerate", "lattice"), ("zaslavsky", "lattice"),
                        ("zaslavsky", "symmetric"), ("both", "auto")]:
        got = a.count(method=method, chi=chi, threads=1).to_json()
        want = cli_json("count", path, "--method", method, "--chi", chi, "--threads", "1")
        assert untimed(got) == untimed(want)
    assert a.count(method="zaslavsky").regions == 4061


def test_count_checkpoint_equals_cli_and_resumes(tmp_path):
    # count(checkpoint=...) is `chamber count --checkpoint`; a limited run resumed from its checkpoint counts the
    # regions and LPs of an uninterrupted one; bad combinations raise ValueError.
    path = shared("threshold4")
    a = chamber.Arrangement.read(path)
    whole = a.count(method="enumerate", bounded=False, checkpoint=tmp_path / "a.ck", job_budget=50, threads=1)
    want = cli_json("count", path, "--method", "enumerate", "--no-bounded", "--checkpoint", str(tmp_path / "b.ck"),
                    "--job-budget", "50", "--threads", "1")
    want["jobs"]["checkpoint"] = str(tmp_path / "a.ck")
    assert untimed(whole.to_json()) == untimed(want)
    with pytest.raises(chamber.LimitReached):
        a.count(method="enumerate", bounded=False, checkpoint=tmp_path / "c.ck", checkpoint_every=1e-9, job_budget=50,
                max_regions=whole.regions // 2)
    resumed = a.count(method="enumerate", bounded=False, resume=tmp_path / "c.ck", threads=2)
    assert (resumed.regions, resumed.lp_solves) == (whole.regions, whole.lp_solves)
    assert resumed.jobs["resumed_jobs"] > 0 and resumed.jobs["job_budget"] == 50
    with pytest.raises(ValueError, match="no-bounded"):
        chamber.Arrangement.read(shared("generic_d4_m20")).count(method="enumerate", checkpoint=tmp_path / "d.ck")
    with pytest.raises(ValueError, match="enumerate"):
        a.count(method="zaslavsky", checkpoint=tmp_path / "e.ck")
    with pytest.raises(ValueError, match="another arrangement"):
        chamber.Arrangement.read(shared("threshold3")).count(method="enumerate", bounded=False,
                                                             resume=tmp_path / "c.ck")


def test_symmetry_equals_cli(tmp_path):
    # R_4: the group S_5 found, χ by orbits; a file of generators; a wrong generator raises ValueError (exit 2).
    path = shared("resonance4")
    a = chamber.Arrangement.read(path)
    got = a.count(method="zaslavsky", threads=1)
    assert got.chi_method == "symmetric" and got.symmetry["order"] == "120" and got.regions == 370
    assert untimed(got.to_json()) == untimed(cli_json("count", path, "--method", "zaslavsky", "--threads", "1"))
    assert got.characteristic_polynomial == a.count(method="zaslavsky", chi="lattice").characteristic_polynomial
    generators = tmp_path / "swap.json"
    generators.write_text('{"generators": [[2, 1, 3, 4, 6, 5, 7, 8, 10, 9, 11, 12, 14, 13, 15]]}')
    by_file = a.count(method="zaslavsky", symmetry=generators)
    assert by_file.symmetry["order"] == "2" and by_file.symmetry["source"] == "file" and by_file.regions == 370
    info = a.info(symmetry=generators).to_json()
    assert info["symmetry"]["generators"] == ["(1,2)(5,6)(9,10)(13,14)"]
    assert untimed(info) == untimed(cli_json("info", path, "--symmetry", str(generators)))
    generators.write_text('{"generators": [[2, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]]}')
    with pytest.raises(ValueError, match="generator 1 is not a symmetry"):
        a.count(method="zaslavsky", symmetry=generators)


def test_characteristic_polynomial_as_ints():
    result = chamber.Arrangement.read(shared("resonance4")).count(method="zaslavsky")
    chi = result.characteristic_polynomial
    assert all(isinstance(c, int) for c in chi)
    assert abs(sum(c * (-1) ** (len(chi) - 1 - k) for k, c in enumerate(chi))) == 370


def test_rows_from_ints_fractions_strings_numpy():
    # three lines in the plane: x = 0, y = 0, x + y = 1 (rows b a1 a2): 7 regions, 1 bounded.
    as_ints = chamber.Arrangement([[0, 1, 0], [0, 0, 1], [1, 1, 1]])
    as_fractions = chamber.Arrangement([[Fraction(0), Fraction(1, 3), 0], [0, 0, 2], [Fraction(1, 2), "1/2", "1/2"]])
    as_numpy = chamber.Arrangement(numpy.array([[0, 1, 0], [0, 0, 1], [1, 1, 1]], dtype=numpy.int64))
    for a in (as_ints, as_fractions, as_numpy):
        result = a.count()
        assert (result.regions, result.bounded_regions) == (7, 1)
        assert a.dimension == 2 and len(a) == 3


def test_rows_equal_the_file():
    path = shared("threshold3")
    with open(path) as f:
        lines = [line.split("#")[0].split() for line in f]
    lines = [fields for fields in lines if fields]
    rows = [[int(v) for v in fields] for fields in lines[1:]]
    got = chamber.Arrangement(rows).count(threads=1).to_json()
    want = cli_json("count", path, "--threads", "1")
    assert untimed(got) == {**untimed(want), "file": ""}


def test_regions_iterator_witnesses_are_exact_and_inside():
    rows = [[0, 1, 0], [0, 0, 1], [1, 1, 1], [Fraction(1, 2), 1, -1]]
    a = chamber.Arrangement(rows)
    regions = list(a.regions(bounded=True))
    assert len(regions) == a.count().regions
    assert len({r.signs for r in regions}) == len(regions)
    for region in regions:
        assert all(isinstance(x, Fraction) for x in region.witness)
        for (b, *normal), sign in zip(rows, region.signs):
            value = Fraction(b) + sum(Fraction(c) * x for c, x in zip(normal, region.witness))  # b + a·x
            assert (value > 0) == (sign == "+") and value != 0
    assert sum(r.bounded for r in regions) == a.count().bounded_regions


def test_enumerate_certificate_checked_by_both(tmp_path):
    path = shared("threshold3")
    certificate = tmp_path / "t3.json"
    result = chamber.Arrangement.read(path).enumerate(certificate=certificate, threads=1)
    assert result.regions == 104 and len(result.region_list) == 104
    want = cli_json("enumerate", path, "--threads", "1", "--certificate", str(tmp_path / "cli.json"))
    assert untimed(result.to_json()) == {**untimed(want), "certificate": str(certificate)}
    checked = chamber.check(certificate, arrangement=path)
    assert checked.valid is True and checked.regions == 104 and checked.kind == "arrangement"
    code, cli = cli_check_json(str(certificate), "--arrangement", path)
    assert code == 0 and untimed(cli) == untimed(checked.to_json())


def test_check_rejects_a_tampered_certificate(tmp_path):
    certificate = tmp_path / "t3.json"
    chamber.Arrangement.read(shared("threshold3")).enumerate(certificate=certificate)
    document = json.loads(certificate.read_text())
    document["regions"] = document["regions"][:-1]
    document["region_count"] = len(document["regions"])
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    checked = chamber.check(tampered)
    assert checked.valid is False and checked.reason
    code, cli = cli_check_json(str(tampered))
    assert code == 1 and untimed(cli) == untimed(checked.to_json())


def test_info_equals_cli():
    for name in ("threshold3", "generic_d4_m20", "cnn_3x3x1_f2x2_s1_c2"):
        path = shared(name)
        assert untimed(chamber.Arrangement.read(path).info().to_json()) == untimed(cli_json("info", path))


# --- networks -------------------------------------------------------------------------------------------------------

def random_network(tmp_path, name, *args):
    path = tmp_path / (name + ".json")
    done = subprocess.run([CHAMBER, "random", *args, "-o", str(path), "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return str(path)


def test_example_network_equals_cli():
    net = chamber.Network.read(EXAMPLE_NET)
    result = net.count(threads=1)
    assert result.regions == 255 and result.eq4 == 256
    assert result.verdict == "fails-structural"
    assert untimed(result.to_json()) == untimed(cli_json("cnn", EXAMPLE_NET, "--threads", "1"))
    assert net.verdict().verdict == "fails-structural"


@pytest.mark.parametrize("name,args", [
    ("conv", ["--input", "1x3x4", "--conv", "2:2x2:1", "--seed", "3"]),
    ("linear", ["--input", "1x1x3", "--linear", "5", "--linear", "4", "--seed", "4"]),
    ("conv_linear", ["--input", "1x3x3", "--conv", "2:2x2:1", "--linear", "3", "--seed", "5"]),
])
def test_networks_equal_cli(tmp_path, name, args):
    path = random_network(tmp_path, name, *args)
    net = chamber.Network.read(path)
    # (the eq. (4) verdict is compared on the example network, where its searches are short)
    got = net.count(threads=1, samples=2000, certificate=tmp_path / "py.json", verdict=False)
    want = cli_json("cnn", path, "--threads", "1", "--samples", "2000", "--certificate", str(tmp_path / "py.json"),
                    "--no-verdict")
    assert untimed(got.to_json()) == untimed(want)
    assert chamber.check(tmp_path / "py.json", network=path).valid is True
    patterns = [r.pattern for r in net.regions(threads=1)]
    assert len(patterns) == got.regions == len(set(patterns))
    forms = net.closed_forms().to_json()
    for key, value in forms.items():
        assert want[key] == value


@pytest.mark.parametrize("engine", ["auto", "lp", "cone", "hybrid"])
def test_engines_equal_cli(tmp_path, engine):
    path = random_network(tmp_path, "deep", "--input", "1x1x3", "--linear", "6", "--linear", "5", "--seed", "6")
    net = chamber.Network.read(path)
    got = net.count(threads=1, verdict=False, engine=engine)
    want = cli_json("cnn", path, "--threads", "1", "--no-verdict", "--engine", engine)
    assert untimed(got.to_json()) == untimed(want)
    assert got.engine == ("hybrid" if engine == "auto" else engine)
    assert got.regions == chamber.Network.read(path).count(verdict=False, engine="lp").regions
    assert sorted(r.pattern for r in net.regions(engine=engine)) == sorted(r.pattern for r in net.regions(engine="lp"))
    with pytest.raises(ValueError, match="expected auto, lp, cone, hybrid or plane"):
        net.count(engine="simplex")


def test_box_and_bad_box():
    net = chamber.Network.read(EXAMPLE_NET)
    inside = net.count(box=(Fraction(-1, 2), 1), verdict=False)
    want = cli_json("cnn", EXAMPLE_NET, "--box", "-1/2,1", "--no-verdict")
    assert untimed(inside.to_json()) == untimed(want)
    with pytest.raises(ValueError, match="box"):
        net.count(box=(2, 1))


def train_moons_like(seed=0):
    """A 2-8-8 ReLU MLP with a read-out, trained a few hundred steps on two interleaved half circles."""
    torch.manual_seed(seed)
    t = torch.rand(400) * 3.14159
    upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
    x = torch.cat([upper, lower]) + 0.1 * torch.randn(800, 2)
    y = torch.cat([torch.zeros(400, dtype=torch.long), torch.ones(400, dtype=torch.long)])
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 2))
    optimiser = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(300):
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimiser.step()
    return model, loss.item()


def test_trained_torch_model(tmp_path):
    model, loss = train_moons_like()
    assert loss < 0.4  # it did learn
    net = chamber.Network.from_torch(model, (1, 1, 2))
    path = tmp_path / "moons.json"
    path.write_text(json.dumps(net.to_json()))
    result = net.count(threads=1)
    want = cli_json("cnn", str(path), "--threads", "1")
    assert untimed(result.to_json()) == {**untimed(want), "network": ""}
    # PyTorch's own forward pass at every witness gives the region's pattern ('0': a neuron identically 0 there).
    hidden = [model[0], model[2]]
    regions = list(net.regions(threads=1))
    assert len(regions) == result.regions > 10
    for region in regions:
        h = torch.tensor([[float(v) for v in region.witness]], dtype=torch.float64)
        signs = ""
        with torch.no_grad():
            for layer in hidden:
                h = nn.functional.linear(h, layer.weight.double(), layer.bias.double())
                signs += "".join("+" if v > 0 else "-" for v in h[0].tolist())
                h = torch.relu(h)
        assert len(signs) == len(region.pattern)
        assert all(p == "0" or p == q for p, q in zip(region.pattern, signs)), (region.pattern, signs)


def test_from_torch_refuses_with_value_error():
    with pytest.raises(ValueError, match=r"layer 2 \(MaxPool2d\): ceil_mode=True"):
        chamber.Network.from_torch(nn.Sequential(nn.Conv2d(1, 2, 2, padding=1), nn.ReLU(),
                                                 nn.MaxPool2d(2, ceil_mode=True)), (1, 3, 3))


def test_from_torch_max_pooling_counts_and_checks():
    torch.manual_seed(4)
    # Input 1x1x2; the conv (padding 1) gives 2x2x3 (12 neurons); MaxPool2d(2) one unit per channel with the 4 pieces
    # of the window (rows 0-1, columns 0-1; 8 slots); then 2 units: 22 neurons.
    model = nn.Sequential(nn.Conv2d(1, 2, 2, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(2, 2),
                          nn.ReLU()).eval()
    net = chamber.Network.from_torch(model, (1, 1, 2))
    regions = list(net.regions())
    assert len(regions) >= 2
    compared = 0
    for region in regions:
        assert len(region.pattern) == 22
        x = torch.tensor([float(v) for v in region.witness], dtype=torch.float64).reshape(1, 1, 1, 2)
        rectified = torch.relu(nn.functional.conv2d(x, model[0].weight.double(), model[0].bias.double(), padding=1))
        taken = nn.functional.max_pool2d(rectified, 2, return_indices=True)[1].flatten().tolist()
        for unit, index in enumerate(taken):
            slots = region.pattern[12 + 4 * unit:16 + 4 * unit]
            assert set(slots) <= {"+", "0"} and "0" in slots
            if slots.count("0") == 1:  # no tie: PyTorch takes the same piece (index = row * 3 + column)
                assert slots.index("0") == (index // 3) * 2 + index % 3, (region.pattern, taken)
                compared += 1
    assert compared > 0


def test_from_torch_padding_and_batch_norm_against_torch():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Conv2d(1, 2, 2, padding=1), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(32, 2))
    model[1].running_mean.copy_(torch.tensor([0.5, -0.25]))
    model[1].running_var.copy_(torch.tensor([2.0, 0.5]))
    model.eval()
    net = chamber.Network.from_torch(model, (1, 3, 3))
    assert net.hidden_neurons == 32 and net.readout_outputs == 2
    x = [Fraction(k - 4, 3) for k in range(9)]
    with torch.no_grad():
        theirs = model[:2].double()(torch.tensor([float(v) for v in x], dtype=torch.float64).reshape(1, 1, 3, 3))
    ours = net.pre_activations(x)
    assert max(abs(float(a) - b) for a, b in zip(ours, theirs.flatten().tolist())) < 1e-6
    assert net.closed_forms().to_json()["not_applicable"]["eq4"].startswith("layer 0 (conv2d) has a batchnorm")


def test_slice_equals_cli(tmp_path):
    net = chamber.Network.read(EXAMPLE_NET)
    p0, p1, p2 = [0] * 9, [1] + [0] * 8, [0, 1] + [0] * 7
    result = net.slice(p0, p1, p2, window=(-2, 3), svg=tmp_path / "py.svg")
    through = ";".join(",".join(str(v) for v in p) for p in (p0, p1, p2))
    want = cli_json("slice", EXAMPLE_NET, "--through", through, "--box", "-2,3", "--svg", str(tmp_path / "py.svg"))
    assert untimed(result.to_json()) == {**untimed(want), "network": EXAMPLE_NET}
    assert len(result.polygons) == result.regions > 1
    assert all(isinstance(u, Fraction) for polygon in result.polygons for u, _ in polygon.vertices)


# --- bad input, limits, interrupts ------------------------------------------------------------------------------------

def test_bad_inputs_raise_value_error_naming_the_field(tmp_path):
    with pytest.raises(ValueError, match=r"rows\[0\]\[1\].*float"):
        chamber.Arrangement([[0, 0.5], [1, 1]])
    with pytest.raises(ValueError, match=r"rows\[1\]: 3 entries"):
        chamber.Arrangement([[0, 1], [1, 1, 1]])
    with pytest.raises(ValueError, match=r"rows\[1\]"):
        chamber.Arrangement([[0, 1], ["x", 1]])
    with pytest.raises(ValueError, match=r"rows\[0\]"):
        chamber.Arrangement([[1, 0, 0]])  # the zero normal
    with pytest.raises(ValueError, match="numpy array of dtype float"):
        chamber.Arrangement(numpy.array([[0.0, 1.0]]))
    with pytest.raises(ValueError, match="missing.arr"):
        chamber.Arrangement.read(tmp_path / "missing.arr")
    bad = tmp_path / "bad.arr"
    bad.write_text("2 1\n0 1\n")
    done = subprocess.run([CHAMBER, "count", str(bad)], capture_output=True, text=True)
    assert done.returncode == 2
    with pytest.raises(ValueError) as error:
        chamber.Arrangement.read(bad)
    assert "chamber: error: " + str(error.value) == done.stderr.strip()
    with pytest.raises(ValueError, match="method"):
        chamber.Arrangement.read(shared("threshold2")).count(method="guess")
    with pytest.raises(ValueError, match="input_shape"):
        chamber.Network.from_json({"format": "chamber-network", "version": 1, "input_shape": [0, 1, 1], "layers": []})
    with pytest.raises(ValueError, match="p1"):
        chamber.Network.read(EXAMPLE_NET).slice([0] * 9, [1, 2], [0] * 9)
    with pytest.raises(ValueError, match="not-there"):
        chamber.check(tmp_path / "not-there.json")


def test_limits_raise_limit_reached():
    with pytest.raises(chamber.LimitReached, match="region limit"):
        chamber.Arrangement.read(shared("threshold4")).count(method="enumerate", max_regions=100)
    with pytest.raises(chamber.LimitReached, match="time limit"):
        chamber.Arrangement.read(shared("resonance6")).count(method="enumerate", time_limit=0.5)
    assert issubclass(chamber.LimitReached, RuntimeError)


def test_the_gil_is_released():
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.01)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        chamber.Arrangement.read(shared("resonance5")).count(method="enumerate", bounded=False, threads=1)
    finally:
        done.set()
        ticker.join()
    assert len(ticks) > 20


def test_ctrl_c_raises_keyboard_interrupt():
    program = ("import chamber, sys, time\n"
               "start = time.time()\n"
               "try:\n"
               "    chamber.Arrangement.read(%r).count(method='enumerate')\n"
               "except KeyboardInterrupt:\n"
               "    print('interrupted after', time.time() - start, flush=True)\n"
               "    print(chamber.Arrangement.read(%r).count().regions, flush=True)\n"
               "    sys.exit(0)\n"
               "sys.exit(5)\n") % (shared("resonance6"), shared("threshold3"))
    process = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=os.environ)
    time.sleep(2.5)
    sent = time.time()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    waited = time.time() - sent
    assert process.returncode == 0, err
    assert "interrupted after" in out
    assert out.strip().endswith("104")  # the next call runs normally
    assert waited < 3, waited


# --- segments (chamber line) ------------------------------------------------------------------------------------------

def test_line_equals_cli(tmp_path):
    net = chamber.Network.read(EXAMPLE_NET)
    p0, p1 = [-1] * 9, [Fraction(1, 2), 2, 3, 4, 5, 6, 7, 8, "9"]
    result = net.line(p0, p1)
    want = cli_json("line", EXAMPLE_NET, "--through", "-1,-1,-1,-1,-1,-1,-1,-1,-1;1/2,2,3,4,5,6,7,8,9")
    assert untimed(result.to_json()) == untimed(want)
    segment = want["segments"][0]
    assert result.regions == segment["regions"] == len(result.pieces) == len(result.breakpoints) + 1 > 2
    assert result.transitions == want["total_transitions"] == len(result.breakpoints)
    assert result.distinct_regions == result.regions  # regions are convex: never re-entered
    assert [b.t for b in result.breakpoints] == [piece.start for piece in result.pieces[1:]]
    assert all(isinstance(b.t, Fraction) and 0 < b.t < 1 for b in result.breakpoints)
    for b in result.breakpoints:
        assert b.x == tuple(Fraction(a) + b.t * (Fraction(c) - Fraction(a)) for a, c in zip(p0, p1))
    # The same segment through --through-file and as a pair of --points: the same segment entry.
    pair = tmp_path / "pair.csv"
    pair.write_text("# P0\n-1,-1,-1,-1,-1,-1,-1,-1,-1\n1/2,2,3,4,5,6,7,8,9\n")
    assert cli_json("line", EXAMPLE_NET, "--through-file", str(pair))["segments"] == want["segments"]
    assert cli_json("line", EXAMPLE_NET, "--points", str(pair))["segments"] == want["segments"]


def _exact_pattern(document, x):
    """The activation pattern of a fully connected network (its JSON document) at x, in Fractions: the brute force."""
    h, pattern = [Fraction(v) for v in x], ""
    for layer in document["layers"]:
        z = [Fraction(b) + sum(Fraction(w) * v for w, v in zip(row, h))
             for row, b in zip(layer["weight"], layer["bias"])]
        pattern += "".join("+" if v > 0 else "-" if v < 0 else "0" for v in z)
        h = [max(v, Fraction(0)) for v in z]
    return pattern


def test_line_pieces_against_exact_evaluation():
    # Layer 1: x1, x2, x1 + x2, a dead neuron; layer 2: relu(x1) - relu(x2) and a generic neuron.
    document = {"format": "chamber-network", "version": 1, "input_shape": [1, 1, 2], "layers": [
        {"type": "linear", "out_features": 4, "weight": [[1, 0], [0, 1], [1, 1], [0, 0]], "bias": [0, 0, 0, -1]},
        {"type": "linear", "out_features": 2, "weight": [[1, -1, 0, 0], ["1/2", 2, -3, 5]], "bias": [0, "1/3"]}]}
    net = chamber.Network.from_json(document)
    for p0, p1, inside in [([-1, -2], [1, 2], None), ([-1, -1], [1, 1], 4), ([-3, 1], [2, "-1/2"], None)]:
        result = net.line(p0, p1)
        for piece in result.pieces:
            assert _exact_pattern(document, piece.midpoint) == piece.pattern
        for b in result.breakpoints:
            assert all(_exact_pattern(document, b.x)[k] == "0" for k in b.neurons)
        assert [h["neuron"] for h in result.on_hyperplane] == ([] if inside is None else [inside])
    with pytest.raises(ValueError, match="P0 and P1 are equal"):
        net.line([1, 2], [1, 2])
    with pytest.raises(ValueError, match="P1 has 3 coordinates"):
        net.line([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="float"):
        net.line([0.5, 2], [1, 2])

"""chamber.formula, chamber.expect and chamber.realize against `chamber formula`, `chamber expect` and `chamber realize`:
to_json() equal to the command's --json for the same arguments (timing aside), architectures given as text or as
tuples, and ValueError with the command's exit-2 message for bad input.

Run by CTest: PYTHONPATH=build/python CHAMBER=build/bin/chamber /usr/bin/python3 -m pytest \
tests/python/test_formula_expect_realize.py
"""
import json
import os
import subprocess
from fractions import Fraction

import pytest

import chamber

CHAMBER = os.environ["CHAMBER"]
TIMING = {"seconds"}


def cli_json(*args):
    done = subprocess.run([CHAMBER, *args, "--json", "-q"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def cli_error(*args):
    """The message of `chamber ARGS` exiting 2 ("chamber: error: MESSAGE")."""
    done = subprocess.run([CHAMBER, *args], capture_output=True, text=True)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    prefix = "chamber: error: "
    assert done.stderr.startswith(prefix), done.stderr
    return done.stderr[len(prefix):].rstrip("\n")


def untimed(document):
    return {k: v for k, v in document.items() if k not in TIMING}


def architecture_args(input, conv=(), linear=()):
    return ["--input", input] + [a for c in conv for a in ("--conv", c)] + [a for u in linear for a in ("--linear", u)]


# --- formula --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("input,conv,linear", [
    ("1x3x3", ["2:2x2:1"], []),                      # the structural failure: eq. (4) 256, growth table
    ("1x1x3", ["3:1x2:1"], []),                      # Table 1
    ("1x1x4", ["2:1x2:1", "2:1x2:1"], []),           # Theorem 5 (Table 2)
    ("1x1x2", [], ["4", "4"]),                       # fully connected: Theorem 1, Montufar, Serra
    ("2x4x4", ["3:2x2:2x1"], ["5"]),                 # conv then linear, a stride SHxSW
])
def test_formula_equals_cli(input, conv, linear):
    assert chamber.formula(input, conv, linear).to_json() == cli_json("formula", *architecture_args(input, conv, linear))


def test_formula_exact_regions_per_parameter_equals_cli():
    got = chamber.formula("1x1x4", ["2:1x2:1", "3:1x2:1"], exact=True, seed=3, weights="int:-9:9")
    want = cli_json("formula", *architecture_args("1x1x4", ["2:1x2:1", "3:1x2:1"]), "--exact", "--seed", "3",
                    "--weights", "int:-9:9")
    assert got.to_json() == want
    assert got.regions_per_parameter["exact_draw"] == {"seed": 3, "weights": "int:-9:9"}


def test_formula_architecture_as_tuples():
    as_text = chamber.formula("1x3x3", ["2:2x2:1"]).to_json()
    assert chamber.formula((1, 3, 3), [(2, (2, 2), 1)]).to_json() == as_text
    assert chamber.formula((1, 3, 3), (2, 2, 1)).to_json() == as_text        # one layer alone; kernel 2 = 2x2
    assert chamber.formula([1, 3, 3], "2:2x2:1").to_json() == as_text
    result = chamber.formula((1, 3, 3), [(2, 2, 1)])
    assert result.eq4 == 256 and isinstance(result.eq4, int)
    assert chamber.formula((1, 1, 2), linear=[4, 4]).to_json() == cli_json("formula", "--input", "1x1x2", "--linear",
                                                                            "4", "--linear", "4")
    assert chamber.formula((2, 4, 4), [(3, (2, 2), (2, 1))], 5).to_json() == \
        cli_json("formula", *architecture_args("2x4x4", ["3:2x2:2x1"], ["5"]))


# --- expect ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("input,conv,linear,draws,weights,seed", [
    ("1x3x3", ["2:2x2:1"], [], 3, "int:-9:9", 1),     # mean below eq. (4)
    ("1x1x3", ["3:1x2:1"], [], 4, "he:8", 5),         # mean = eq. (4) = 40
    ("1x1x2", [], ["3"], 1, "int:-9:9", 1),           # one draw: no variance, no interval
])
def test_expect_equals_cli(input, conv, linear, draws, weights, seed):
    got = chamber.expect(input, conv, linear, draws=draws, weights=weights, seed=seed, threads=1)
    want = cli_json("expect", *architecture_args(input, conv, linear), "--draws", str(draws), "--weights", weights,
                    "--seed", str(seed), "--threads", "1")
    assert untimed(got.to_json()) == untimed(want)
    assert len(got.counts) == draws and got.seeds == [seed, seed + draws - 1]


def test_expect_attributes_and_engine():
    result = chamber.expect((1, 1, 3), [(3, (1, 2), 1)], draws=4, weights="he:8", engine="lp")
    assert result.mean == "40" and result.eq4 == 40 and result.mean_vs_eq4 == "equal"
    assert Fraction(result.mean) == Fraction(sum(result.counts), len(result.counts))
    interval = result.confidence_interval
    assert interval["low"] <= result.mean_decimal <= interval["high"]
    want = cli_json("expect", "--input", "1x1x3", "--conv", "3:1x2:1", "--draws", "4", "--weights", "he:8",
                    "--engine", "lp")
    assert untimed(result.to_json()) == untimed(want)


def test_expect_time_limit_raises_limit_reached():
    with pytest.raises(chamber.LimitReached, match="time limit"):
        chamber.expect("1x1x7", ["3:1x3:1"], draws=50, weights="int:-1000000:1000000", time_limit=0.3)


# --- realize --------------------------------------------------------------------------------------------------------

def test_realize_equals_cli():
    # k neurons suffice (the jumps at -1 and 2 sum to -s0 = -1).
    got = chamber.realize([-1, Fraction(1, 2), 2], [1, -1, 2, 0], value_at_0=3)
    want = cli_json("realize", "--breakpoints", "-1,1/2,2", "--slopes", "1,-1,2,0", "--value-at-0", "3")
    assert got.to_json() == want
    assert (got.neurons, got.lower_bound, got.extra_neuron) == (3, 3, False)
    assert got.check["enumerated_breakpoints"] == ["-1", "1/2", "2"]
    # The command's own text form, and one more neuron (a single jump 3 is not -s0 = -2).
    assert chamber.realize("-1,1/2,2", "1,-1,2,0", "3").to_json() == want
    got = chamber.realize(["1/3"], [2, 5])
    assert got.to_json() == cli_json("realize", "--breakpoints", "1/3", "--slopes", "2,5")
    assert got.neurons == 2 and got.extra_neuron is True


def test_realize_points_file_and_list_equal_cli(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("# x, y\n0,0\n1,1\n2,0\n3,0\n4,1/2\n")
    want = cli_json("realize", "--points", str(path))
    assert chamber.realize(points=path).to_json() == want
    assert chamber.realize(points=str(path)).to_json() == want
    pairs = [(0, 0), (1, 1), (2, 0), (3, 0), (4, Fraction(1, 2))]
    assert chamber.realize(points=pairs).to_json() == want
    assert chamber.realize(points=list(reversed(pairs))).to_json() == want  # sorted by x, as a file's are
    assert want["breakpoints"] == ["1", "2", "3"]


def test_realize_output_and_network(tmp_path):
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    got = chamber.realize([-1, "1/2", 2], [1, -1, 2, 0], 3, output=ours)
    want = cli_json("realize", "--breakpoints", "-1,1/2,2", "--slopes", "1,-1,2,0", "--value-at-0", "3", "-o",
                    str(theirs))
    assert ours.read_bytes() == theirs.read_bytes()
    assert got.to_json() == {**want, "output": str(ours)}
    assert got.network.count().regions == 4
    assert got.network.to_json() == want["network"]
    # Without output the network comes from the JSON: f(x) = read-out, checked at a breakpoint and beyond the ends.
    net = chamber.realize([-1, "1/2", 2], [1, -1, 2, 0], 3).network
    assert net.line([-10], [10]).breakpoints[0].x == (Fraction(-1),)
    assert net.count().regions == 4


def test_realize_limit():
    with pytest.raises(chamber.LimitReached):
        chamber.realize(list(range(1, 40)), [(-1) ** i * (i + 1) for i in range(40)], time_limit=1e-9)


# --- errors: the command's message ----------------------------------------------------------------------------------

@pytest.mark.parametrize("call,args", [
    (lambda: chamber.formula("1x3x3", ["2:2x:1"]), ["formula", "--input", "1x3x3", "--conv", "2:2x:1"]),
    (lambda: chamber.formula((1, 3, 3), [(2, 4, 1)]), ["formula", "--input", "1x3x3", "--conv", "2:4x4:1"]),
    (lambda: chamber.formula((1, 3), [(2, 2, 1)]), ["formula", "--input", "1x3", "--conv", "2:2x2:1"]),
    (lambda: chamber.formula("1x3x3"), ["formula", "--input", "1x3x3"]),
    (lambda: chamber.formula("1x1x3", "2:1x2:1", exact=True, weights="nope"),
     ["formula", "--input", "1x1x3", "--conv", "2:1x2:1", "--exact", "--weights", "nope"]),
    (lambda: chamber.expect("1x3x3", "2:2x2:1", draws=0, weights="he:8"),
     ["expect", "--input", "1x3x3", "--conv", "2:2x2:1", "--draws", "0", "--weights", "he:8"]),
    (lambda: chamber.expect("1x3x3", "2:2x2:1", draws=2, weights="gauss"),
     ["expect", "--input", "1x3x3", "--conv", "2:2x2:1", "--draws", "2", "--weights", "gauss"]),
    (lambda: chamber.expect("1x3x3", "2:9x9:1", draws=2, weights="he:8"),
     ["expect", "--input", "1x3x3", "--conv", "2:9x9:1", "--draws", "2", "--weights", "he:8"]),
    (lambda: chamber.expect("1x3x3", "2:2x2:1", draws=2, weights="he:8", engine="fast"),
     ["expect", "--input", "1x3x3", "--conv", "2:2x2:1", "--draws", "2", "--weights", "he:8", "--engine", "fast"]),
    (lambda: chamber.realize([1, 1], [1, 2, 3]), ["realize", "--breakpoints", "1,1", "--slopes", "1,2,3"]),
    (lambda: chamber.realize([1, 2], [1, 2]), ["realize", "--breakpoints", "1,2", "--slopes", "1,2"]),
    (lambda: chamber.realize([1], [2, 2]), ["realize", "--breakpoints", "1", "--slopes", "2,2"]),
    (lambda: chamber.realize(["x"], [1, 2]), ["realize", "--breakpoints", "x", "--slopes", "1,2"]),
    (lambda: chamber.realize([1], [1, 2], "1,2"), ["realize", "--breakpoints", "1", "--slopes", "1,2",
                                                   "--value-at-0", "1,2"]),
    (lambda: chamber.realize([1]), ["realize", "--breakpoints", "1"]),
    (lambda: chamber.realize(), ["realize"]),
    (lambda: chamber.realize([1], [1, 2], points="p.csv"), ["realize", "--breakpoints", "1", "--slopes", "1,2",
                                                            "--points", "p.csv"]),
    (lambda: chamber.realize(points="/nonexistent/missing.csv"), ["realize", "--points", "/nonexistent/missing.csv"]),
])
def test_bad_input_raises_the_commands_message(call, args):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == cli_error(*args)


def test_bad_points_files_and_lists(tmp_path):
    same_x, line = tmp_path / "same_x.csv", tmp_path / "line.csv"
    same_x.write_text("0,0\n1,1\n1,2\n")
    line.write_text("0,0\n1,1\n2,2\n")
    for path in (same_x, line):
        with pytest.raises(ValueError) as error:
            chamber.realize(points=path)
        assert str(error.value) == cli_error("realize", "--points", str(path))
    # A list names its entries where a file names its lines.
    with pytest.raises(ValueError, match=r"points\[2\]: x = 1 also at points\[1\]"):
        chamber.realize(points=[(0, 0), (1, 1), (1, 2)])
    with pytest.raises(ValueError, match=r"points\[0\]: the points are collinear"):
        chamber.realize(points=[(0, 0), (1, 1), (2, 2)])
    with pytest.raises(ValueError, match=r"points\[1\]: expected a pair"):
        chamber.realize(points=[(0, 0), (1, 1, 1)])
    with pytest.raises(ValueError, match=r"points\[0\] y: .* is a float"):
        chamber.realize(points=[(0, 0.5), (1, 1)])


def test_bad_python_arguments_raise_value_error():
    with pytest.raises(ValueError, match="--draws: expected a non-negative integer"):
        chamber.expect("1x1x3", "2:1x2:1", draws=-1, weights="he:8")
    with pytest.raises(ValueError, match=r"conv\[0\]: expected"):
        chamber.formula("1x1x3", [(2, 2)])
    with pytest.raises(ValueError, match=r"linear\[0\]: .* is not a size"):
        chamber.formula("1x1x3", linear=[2.5])
    with pytest.raises(ValueError, match=r"breakpoints\[0\]: 0.5 is a float"):
        chamber.realize([0.5], [1, 2])

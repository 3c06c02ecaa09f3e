"""chamber: exact regions of hyperplane arrangements and linear regions of ReLU networks, with certificates.

The same library as the `chamber` command: every method here calls the function behind one command, and its
result's ``to_json()`` is that command's ``--json`` output (the file name keys aside when nothing was read from a
file). Numbers are exact: integers are Python ints, coordinates are ``fractions.Fraction``.

    import chamber
    a = chamber.Arrangement.read("examples/threshold3.arr")
    a.count().regions                        # 104
    chamber.formula("1x3x3", ["2:2x2:1"]).eq4                              # 256
    chamber.expect((1, 3, 3), [(2, 2, 1)], draws=5, weights="int:-9:9").mean
    chamber.realize([-1, "1/2", 2], [1, -1, 2, 0]).neurons                 # 3
    net = chamber.Network.from_torch(model, (1, 8, 8))
    result = net.count(certificate="net-cert.json")
    chamber.check("net-cert.json").valid     # True

Bad input raises ValueError with the message the command prints for exit 2; ``time_limit``/``max_regions`` raise
chamber.LimitReached; Ctrl-C raises KeyboardInterrupt within about a second.
"""
import json
import numbers
import os
import re
from fractions import Fraction

from . import _chamber

LimitReached = _chamber.LimitReached

__all__ = ["Arrangement", "Network", "Result", "Region", "LinearRegion", "Polygon", "Breakpoint", "LinePiece", "check",
           "formula", "expect", "realize", "LimitReached"]

# Keys whose values are exact integers, which the JSON holds as numbers or, past 64 bits, as decimal strings.
_INTEGER_KEYS = {"regions", "bounded_regions", "relatively_bounded_regions", "flats", "exact", "lemma2", "eq4",
                 "theorem1", "theorem5_lower", "theorem5_upper", "montufar_lower", "serra_upper", "theorem1_fc"}
_INTEGER_LIST_KEYS = {"characteristic_polynomial"}


def _exact(key, value):
    if key in _INTEGER_KEYS and isinstance(value, str) and re.fullmatch(r"-?[0-9]+", value):
        return int(value)
    if key in _INTEGER_LIST_KEYS and isinstance(value, list):
        return [int(v) if isinstance(v, str) else v for v in value]
    return value


class Result:
    """A report: its attributes are the keys of the command's --json object (``.regions``, ``.lp_solves``, ...),
    exact integers as ints; ``to_json()`` returns the object itself (a dict, as the CLI prints it)."""

    def __init__(self, document):
        self._json = document

    def to_json(self):
        return json.loads(json.dumps(self._json))

    def __getattr__(self, key):
        try:
            value = self.__dict__["_json"][key]
        except KeyError:
            raise AttributeError("this result has no %r (keys: %s)" % (key, ", ".join(sorted(self._json)))) from None
        return _exact(key, value)

    def __getitem__(self, key):
        return _exact(key, self._json[key])

    def keys(self):
        return self._json.keys()

    def __dir__(self):
        return sorted(set(self._json) | {"to_json", "keys"})

    def __repr__(self):
        shown = {k: self._json[k] for k in ("regions", "valid", "verdict", "reason") if k in self._json}
        return "Result(%s)" % ", ".join("%s=%r" % kv for kv in shown.items())


class Region:
    """A region of an arrangement: its sign vector ('+'/'-' per hyperplane) and an interior point."""

    __slots__ = ("signs", "witness", "bounded")

    def __init__(self, signs, witness, bounded):
        self.signs, self.witness, self.bounded = signs, witness, bounded

    def __iter__(self):
        return iter((self.signs, self.witness))

    def __repr__(self):
        return "Region(%r, witness=%r%s)" % (self.signs, self.witness,
                                            "" if self.bounded is None else ", bounded=%r" % self.bounded)


class LinearRegion:
    """A linear region of a network: its activation pattern and an interior input."""

    __slots__ = ("pattern", "witness")

    def __init__(self, pattern, witness):
        self.pattern, self.witness = pattern, witness

    def __iter__(self):
        return iter((self.pattern, self.witness))

    def __repr__(self):
        return "LinearRegion(%r, witness=%r)" % (self.pattern, self.witness)


class Polygon:
    """A region of a slice: its pattern, exact vertices (u, v) in the plane's coordinates, colour and witness; with
    colour="class", .classes lists its class pieces as (class, vertices) (else it is None)."""

    __slots__ = ("pattern", "vertices", "colour", "witness", "classes")

    def __init__(self, document):
        self.pattern = document["pattern"]
        self.vertices = [(Fraction(u), Fraction(v)) for u, v in document["vertices"]]
        self.colour = document["colour"]
        self.witness = tuple(Fraction(x) for x in document["witness"])
        self.classes = None
        if "classes" in document:
            self.classes = [(piece["class"], [(Fraction(u), Fraction(v)) for u, v in piece["vertices"]])
                            for piece in document["classes"]]

    def __repr__(self):
        return "Polygon(%r, %d vertices)" % (self.pattern, len(self.vertices))


class Breakpoint:
    """A breakpoint of a segment: its parameter t in (0, 1), the exact point x(t), and every neuron whose
    pre-activation vanishes there with its layer (neurons[i] is in layers[i])."""

    __slots__ = ("t", "x", "neurons", "layers")

    def __init__(self, document):
        self.t = Fraction(document["t"])
        self.x = _fractions(document["x"])
        self.neurons, self.layers = list(document["neurons"]), list(document["layers"])

    def __repr__(self):
        return "Breakpoint(t=%s, neurons=%r)" % (self.t, self.neurons)


class LinePiece:
    """A piece of a segment: the parameters start < t < end on which the activation pattern is constant, the
    pattern, and the exact point x(t) at the middle of the piece."""

    __slots__ = ("start", "end", "pattern", "midpoint")

    def __init__(self, document):
        self.start, self.end = Fraction(document["from"]), Fraction(document["to"])
        self.pattern = document["pattern"]
        self.midpoint = _fractions(document["midpoint"])

    def __repr__(self):
        return "LinePiece(%s..%s, %r)" % (self.start, self.end, self.pattern)


def _fractions(values):
    return tuple(Fraction(v) for v in values)


def _number_text(value, where):
    """An exact number as the readers' text: ints, Fractions, integer numpy scalars, strings "p/q"; floats are
    refused (write Fraction(x) to mean a float's exact binary value)."""
    if isinstance(value, bool):
        raise ValueError("%s: a boolean is not a number" % where)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, Fraction):
        return "%d/%d" % (value.numerator, value.denominator) if value.denominator != 1 else str(value.numerator)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, numbers.Real):
        raise ValueError("%s: %r is a float; give an int, a Fraction or a string \"p/q\" (exact numbers only)"
                         % (where, value))
    raise ValueError("%s: %r is not a number" % (where, value))


def _rows(rows):
    if hasattr(rows, "tolist"):  # numpy arrays
        if getattr(rows, "dtype", None) is not None and rows.dtype.kind not in "iu":
            raise ValueError("rows: a numpy array of dtype %s; give integers (or Fractions in lists)" % rows.dtype)
        rows = rows.tolist()
    try:
        rows = [list(row) for row in rows]
    except TypeError:
        raise ValueError("rows: expected a list of rows (each b a1 ... an)") from None
    return rows


def _box_text(box, where="box"):
    if box is None:
        return None
    if isinstance(box, str):
        return box
    try:
        lo, hi = box
    except (TypeError, ValueError):
        raise ValueError("%s: expected (lo, hi)" % where) from None
    return "%s,%s" % (_number_text(lo, where + " lo"), _number_text(hi, where + " hi"))


def _point_text(point, where):
    if hasattr(point, "tolist"):
        point = point.tolist()
    return [_number_text(x, "%s coordinate %d" % (where, i + 1)) for i, x in enumerate(point)]


class Arrangement:
    """A hyperplane arrangement in Q^n: one row (b, a1, ..., an) per hyperplane b + a·x = 0, its positive side
    b + a·x > 0 (the .arr convention, docs/arr-format.md)."""

    def __init__(self, rows=None, *, _file=None, _name=""):
        if _file is not None:
            self._file, self._name = _file, _name
            return
        rows = _rows(rows)
        if not rows:
            raise ValueError("rows: an arrangement needs at least one row (to know its dimension)")
        width = len(rows[0])
        if width < 2:
            raise ValueError("rows[0]: a row b a1 ... an needs at least 2 entries")
        lines = ["%d %d" % (width - 1, len(rows))]
        for i, row in enumerate(rows):
            if len(row) != width:
                raise ValueError("rows[%d]: %d entries, rows[0] has %d" % (i, len(row), width))
            lines.append(" ".join(_number_text(v, "rows[%d][%d]" % (i, j)) for j, v in enumerate(row)))
        try:
            self._file = _chamber.read_arr_text("\n".join(lines) + "\n", "rows")
        except ValueError as error:
            # "rows:L: ..." names a line of the text built above: line 1 is the header, line L is rows[L - 2].
            message = re.sub(r"^rows:(\d+):", lambda m: "rows[%d]:" % (int(m.group(1)) - 2), str(error))
            raise ValueError(message) from None
        self._name = ""

    @classmethod
    def read(cls, path):
        """Reads a .arr file."""
        path = str(path)
        return cls(_file=_chamber.read_arr_file(path), _name=path)

    @property
    def dimension(self):
        return self._file.dimension

    def __len__(self):
        return self._file.hyperplanes

    def __repr__(self):
        return "Arrangement(%d hyperplanes in Q^%d%s)" % (len(self), self.dimension,
                                                        ", " + self._name if self._name else "")

    def count(self, method="both", chi="auto", bounded=True, *, exact_lp=False, threads=0, time_limit=None,
              max_regions=None, symmetry=None, checkpoint=None, resume=None, checkpoint_every=300.0,
              job_budget=2000):
        """`chamber count`: regions, bounded regions and χ, by enumeration and by Zaslavsky's theorem (compared;
        a disagreement raises RuntimeError). method: "both", "enumerate" or "zaslavsky"; chi: "auto" (by orbits of
        the symmetry group when it is non-trivial, else the lattice), "lattice", "sweep" or "symmetric"; symmetry: a
        file of generators to use instead of searching (docs/symmetry-format.md; a wrong one raises ValueError).
        checkpoint, resume, checkpoint_every, job_budget: `chamber count --checkpoint/--resume/--checkpoint-every/
        --job-budget` (the enumeration as a tree of jobs that a killed run continues; needs bounded=False unless no
        region is bounded)."""
        return Result(json.loads(_chamber.count(self._file, method, chi, bounded, exact_lp, threads, time_limit,
                                                max_regions, self._name, "" if symmetry is None else str(symmetry),
                                                "" if checkpoint is None else str(checkpoint),
                                                "" if resume is None else str(resume), float(checkpoint_every),
                                                int(job_budget))))

    def _enumerate(self, bounded, certificate, exact_lp, threads, time_limit, max_regions):
        text, rows = _chamber.enumerate(self._file, bounded, "" if certificate is None else str(certificate),
                                        exact_lp, threads, time_limit, max_regions, self._name)
        return json.loads(text), rows

    def regions(self, bounded=False, *, exact_lp=False, threads=0, time_limit=None, max_regions=None):
        """An iterator over the regions: Region(signs, witness as Fractions[, bounded])."""
        _, rows = self._enumerate(bounded, None, exact_lp, threads, time_limit, max_regions)
        return (Region(signs, _fractions(witness), b) for signs, witness, b in rows)

    def enumerate(self, certificate=None, bounded=False, *, exact_lp=False, threads=0, time_limit=None,
                  max_regions=None):
        """`chamber enumerate --json`: the report with its "region_list", and the certificate written to
        `certificate` when given (check it with chamber.check)."""
        document, rows = self._enumerate(bounded, certificate, exact_lp, threads, time_limit, max_regions)
        region_list = []
        for signs, witness, b in rows:
            entry = {"signs": signs, "witness": witness}
            if b is not None:
                entry["bounded"] = b
            region_list.append(entry)
        document["region_list"] = region_list
        return Result(document)

    def info(self, examples=10, *, time_limit=None, symmetry=None):
        """`chamber info`: general position or not, and why; the symmetry group (found, or generated by the file
        `symmetry`, verified)."""
        return Result(json.loads(_chamber.info(self._file, examples, time_limit, self._name,
                                               "" if symmetry is None else str(symmetry))))


class Network:
    """A ReLU network (conv2d and linear layers, and the affine layers around them: batch-norm, average pooling,
    flatten; docs/network-format.md) with exact rational weights."""

    def __init__(self, model, name=""):
        self._model, self._name = model, name

    @classmethod
    def read(cls, path):
        """Reads a network file (JSON, format chamber-network)."""
        path = str(path)
        return cls(_chamber.read_network_file(path), path)

    @classmethod
    def from_json(cls, document, name="network"):
        """A network from its JSON document (a dict or JSON text)."""
        text = document if isinstance(document, str) else json.dumps(document)
        return cls(_chamber.read_network_text(text, name))

    @classmethod
    def from_torch(cls, module, input_shape):
        """A network from a torch.nn.Sequential (Conv2d with padding/dilation/groups, Linear, ReLU, BatchNorm1d/2d in
        eval mode, AvgPool2d, Flatten, Identity, Dropout, nested Sequentials; an optional last Linear is its read-out),
        every float weight taken as its exact binary value: the exporter cnn/export_torch.py."""
        from . import export_torch
        try:
            document = export_torch.to_chamber(module, tuple(input_shape))
        except export_torch.ExportError as error:
            raise ValueError(str(error)) from None
        return cls.from_json(document, "torch")

    def to_json(self):
        return json.loads(self._model.to_json())

    @property
    def input_shape(self):
        return self._model.input_shape

    @property
    def input_dimension(self):
        return self._model.input_dimension

    @property
    def hidden_neurons(self):
        return self._model.hidden_neurons

    @property
    def readout_outputs(self):
        """The read-out layer's number of outputs, or None without one."""
        return self._model.readout_outputs

    def __repr__(self):
        return "Network(input %dx%dx%d, %d hidden neurons%s)" % (
            self.input_shape + (self.hidden_neurons, ", " + self._name if self._name else ""))

    def pre_activations(self, x):
        """The exact pre-activation of every hidden neuron at the input x (Fractions, ints or exact strings; neurons
        numbered as in the patterns: layer by layer, CHW), computed layer by layer with ReLU in between."""
        return [Fraction(v) for v in _chamber.pre_activations(self._model, _point_text(x, "x"))]

    def pattern(self, x):
        """The activation pattern at x: '+', '-' or '0' per hidden neuron (the sign of its pre-activation)."""
        return "".join("+" if v > 0 else "-" if v < 0 else "0" for v in self.pre_activations(x))

    def _analyse(self, box, certificate, verdict, collect, prop2_budget, samples, sigma, seed, exact_lp, threads,
                 time_limit, max_regions, engine):
        text, rows = _chamber.analyse_network(self._model, _box_text(box), verdict, prop2_budget,
                                              "" if certificate is None else str(certificate), samples, sigma, seed,
                                              exact_lp, threads, time_limit, max_regions, collect, self._name,
                                              str(engine))
        return json.loads(text), rows

    def count(self, box=None, certificate=None, *, verdict=True, prop2_budget=2000000, samples=None, sigma=3.0,
              seed=1, exact_lp=False, threads=0, time_limit=None, max_regions=None, engine="auto"):
        """`chamber cnn`: the exact number of linear regions (in the open box lo < x_i < hi when box=(lo, hi)),
        beside every closed form that applies, the Prop. 2 check and the eq. (4) verdict for one conv layer
        (verdict=False skips them), and a certificate written to `certificate` when given. engine: "auto", "lp",
        "cone", "hybrid" or "plane" (`chamber cnn --engine`; result.engine says which ran)."""
        document, _ = self._analyse(box, certificate, verdict, False, prop2_budget, samples, sigma, seed, exact_lp,
                                    threads, time_limit, max_regions, engine)
        return Result(document)

    def regions(self, box=None, *, exact_lp=False, threads=0, time_limit=None, max_regions=None, engine="auto"):
        """An iterator over the linear regions: LinearRegion(pattern, witness as Fractions)."""
        _, rows = self._analyse(box, None, False, True, 0, None, 3.0, 1, exact_lp, threads, time_limit,
                                max_regions, engine)
        return (LinearRegion(pattern, _fractions(witness)) for pattern, witness in rows)

    def verdict(self, *, prop2_budget=2000000, time_limit=None, max_regions=None):
        """The verdict on eq. (4) (one conv layer): the count's "verdict", "conclusion", "prop2", ... keys."""
        return self.count(prop2_budget=prop2_budget, time_limit=time_limit, max_regions=max_regions)

    def closed_forms(self):
        """Every closed form and bound that applies to this architecture (the keys of `chamber cnn --json`)."""
        return Result(json.loads(_chamber.closed_forms(self._model)))

    def slice(self, p0, p1, p2, window=(-1, 2), *, svg=None, colour="region", time_limit=None, max_regions=None):
        """`chamber slice`: the exact linear regions on the plane x = p0 + u (p1 - p0) + v (p2 - p0), window
        lo < u, v < hi, as polygons with exact vertices (result.polygons: Polygon objects; to_json() as the CLI).
        colour="class" (`--colour class`, needs a read-out) splits each polygon by the predicted class: the result
        also has .decision_boundary, .class_counts and .classes, and each Polygon its .classes pieces."""
        text = _chamber.slice(self._model, _point_text(p0, "p0"), _point_text(p1, "p1"), _point_text(p2, "p2"),
                              _box_text(window, "window"), "" if svg is None else str(svg), str(colour), time_limit,
                              max_regions, self._name)
        result = Result(json.loads(text))
        result.__dict__["polygons"] = [Polygon(p) for p in result._json["polygons"]]
        return result

    def line(self, p0, p1, *, time_limit=None, max_regions=None):
        """`chamber line --through "p0;p1"`: the exact breakpoints and linear regions along the segment
        x(t) = p0 + t (p1 - p0), 0 <= t <= 1, without LPs. to_json() is the command's --json (one entry in
        "segments"); the segment's .breakpoints (Breakpoint), .pieces (LinePiece), .regions, .distinct_regions,
        .transitions and .on_hyperplane are also attributes of the result."""
        text = _chamber.line(self._model, _point_text(p0, "p0"), _point_text(p1, "p1"), time_limit, max_regions,
                             self._name)
        result = Result(json.loads(text))
        segment = result._json["segments"][0]
        result.__dict__["breakpoints"] = [Breakpoint(b) for b in segment["breakpoints"]]
        result.__dict__["pieces"] = [LinePiece(p) for p in segment["pieces"]]
        for key in ("regions", "distinct_regions", "transitions", "on_hyperplane"):
            result.__dict__[key] = segment[key]
        return result


def check(certificate, arrangement=None, network=None):
    """`chamber check`: re-verifies a certificate file with the independent checker. The result's .valid and
    .reason are the verdict; `arrangement` (.arr) or `network` (network file) must be what it is about."""
    return Result(json.loads(_chamber.check(str(certificate), "" if arrangement is None else str(arrangement),
                                            "" if network is None else str(network))))


def _size_text(value, where):
    """A size as the architecture options write it: an int (numpy ints too) or its text."""
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    raise ValueError("%s: %r is not a size (give an int)" % (where, value))


def _pair_text(value, where):
    """An int as itself, a pair (A, B) as "AxB" (kernel and stride sizes)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError("%s: expected an int or a pair, found %r" % (where, value))
        return "%sx%s" % (_size_text(value[0], where), _size_text(value[1], where))
    return _size_text(value, where)


def _architecture_text(input, conv, linear):
    """The options of `chamber formula`/`chamber expect` as text: --input "CxHxW" from a string or (C, H, W); --conv
    "K:KHxKW:S" from a string or (K, kernel, stride) with kernel KH (square) or (KH, KW) and stride S or (SH, SW);
    --linear U from an int or a string. One layer may be given alone, not in a list. The text is checked by the same
    parser as the command's, so a bad layer raises its message."""
    if isinstance(input, (tuple, list)):
        input_text = "x".join(_size_text(v, "--input") for v in input)
    else:
        input_text = _size_text(input, "--input")
    if isinstance(conv, str) or (isinstance(conv, tuple) and conv and isinstance(conv[0], numbers.Integral)):
        conv = [conv]
    conv_text = []
    for i, layer in enumerate(conv):
        where = "conv[%d]" % i
        if isinstance(layer, str):
            conv_text.append(layer)
            continue
        if not isinstance(layer, (tuple, list)) or len(layer) != 3:
            raise ValueError("%s: expected \"K:KHxKW:S\" or (K, kernel, stride), found %r" % (where, layer))
        filters, kernel, stride = layer
        if not isinstance(kernel, (tuple, list)):
            kernel = (kernel, kernel)
        conv_text.append("%s:%s:%s" % (_size_text(filters, where), _pair_text(kernel, where),
                                       _pair_text(stride, where)))
    if isinstance(linear, (str, numbers.Integral)):
        linear = [linear]
    linear_text = [_size_text(units, "linear[%d]" % i) for i, units in enumerate(linear)]
    return input_text, conv_text, linear_text


def _natural(value, where):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError("%s: expected a non-negative integer, found %r" % (where, value))
    return int(value)


def _numbers_text(values, where):
    """Exact numbers as the command's comma-separated list (a string is passed as it is)."""
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    if hasattr(values, "tolist"):
        values = values.tolist()
    if isinstance(values, numbers.Number):
        values = [values]
    return ",".join(_number_text(v, "%s[%d]" % (where, i)) for i, v in enumerate(values))


def formula(input, conv=(), linear=(), *, exact=False, seed=1, weights="int:-1000000:1000000", time_limit=None,
            max_regions=None):
    """`chamber formula`: every closed form and bound that applies to an architecture (keys "eq4", "theorem1",
    "lemma2", "theorem5_lower", ... as in `chamber cnn`), eq. (4) as a polynomial in the number of filters
    ("eq4_growth", one conv layer) and regions per parameter beside the fully connected net of the same widths
    ("regions_per_parameter", conv layers only; exact=True also counts both nets at one random draw: seed, weights
    as `chamber random`). input: "CxHxW" or (C, H, W); conv: layers "K:KHxKW:S" or (K, kernel, stride); linear:
    layer widths. to_json() is `chamber formula --json`."""
    input_text, conv_text, linear_text = _architecture_text(input, conv, linear)
    return Result(json.loads(_chamber.formula(input_text, conv_text, linear_text, bool(exact), _natural(seed, "--seed"),
                                              str(weights), time_limit, max_regions)))


def expect(input, conv=(), linear=(), *, draws, weights, seed=1, engine="auto", exact_lp=False, threads=0,
           time_limit=None, max_regions=None):
    """`chamber expect`: eq. (5) of Xiong et al. checked by exact counts. Draws `draws` weight choices (weights:
    "int:LO:HI" or "he:BITS"; draw i uses seed + i, as `chamber random`), counts each network's linear regions
    exactly and reports .counts, the exact .mean and .variance ("p/q" strings), a 95% Student t
    .confidence_interval and the closed forms beside them (.mean_vs_eq4 for one conv layer). The architecture is
    given as to formula(). to_json() is `chamber expect --json`."""
    input_text, conv_text, linear_text = _architecture_text(input, conv, linear)
    return Result(json.loads(_chamber.expect(input_text, conv_text, linear_text, _natural(draws, "--draws"),
                                             str(weights), _natural(seed, "--seed"), str(engine), exact_lp, threads,
                                             time_limit, max_regions)))


def realize(breakpoints=None, slopes=None, value_at_0=None, *, points=None, output=None, time_limit=None,
            max_regions=None):
    """`chamber realize`: the one-hidden-layer ReLU network with the fewest neurons computing a continuous
    piecewise-linear function on R (Qi & Wei), why fewer cannot, and chamber's enumeration of what it built.
    The function: breakpoints b1 < ... < bk and slopes s0, ..., sk (lists of ints, Fractions or "p/q" strings, or
    the command's comma-separated text) and f(0) (default 0); or points: a points file's path, or a list of (x, y)
    pairs that f interpolates. output: also write the network there. to_json() is `chamber realize --json`;
    .network is the network built, as a chamber.Network (read back from `output` when given)."""
    points_file, point_list = "", []
    if isinstance(points, (str, os.PathLike)):
        points_file = str(points)
    elif points is not None:
        if hasattr(points, "tolist"):
            points = points.tolist()
        for i, pair in enumerate(points):
            if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
                raise ValueError("points[%d]: expected a pair (x, y), found %r" % (i, pair))
            point_list.append((_number_text(pair[0], "points[%d] x" % i), _number_text(pair[1], "points[%d] y" % i)))
    value_text = "" if value_at_0 is None else _number_text(value_at_0, "--value-at-0")
    text = _chamber.realize(_numbers_text(breakpoints, "breakpoints"), _numbers_text(slopes, "slopes"), value_text,
                            points_file, point_list, "" if output is None else str(output), time_limit, max_regions)
    result = Result(json.loads(text))
    if output is not None:
        result.__dict__["network"] = Network.read(output)
    else:
        result.__dict__["network"] = Network.from_json(result._json["network"], "realize")
    return result

#!/usr/bin/env python3
"""Writes data/specs/one_layer.json: every one-conv-layer architecture with C*H*W <= 12, kernel <= 3x3 (and within the
input), stride <= 2 per axis, 1..3 filters, three seeds. Certificates
are kept only where the exact count differs from eq. (4); the other counts are proven twice, by enumeration and by
Zaslavsky's theorem (they must agree). A stride along an axis where the output has size 1 changes
nothing, so only stride 1 is listed there.

data/specs/one_layer_16.json, the larger sweep of issue 15 (C*H*W <= 16, 1..4 filters: 3,436 architectures, 10,308
networks), built with chamber-mpi (data/regenerate.sh one_layer_16), is written by
  make_one_layer.py --max-size 16 --max-filters 4 --name one_layer_16 --max-enumerated-regions 20000 \
                    --max-flats 100000 --max-sweep-states 200000 --max-certified-regions 50000
(smaller budgets than one_layer's: its 1-D inputs of width 12-16 with 3-4 filters need millions of sweep states, and the
verdict's counts at random weights cost three more χ per architecture).
usage: make_one_layer.py [--max-size N] [--max-filters K] [--name NAME] [--max-enumerated-regions R] [--max-flats F]
                         [--max-sweep-states S] [--max-certified-regions C] [--samples B]"""
import argparse
import json
import os

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--max-size", type=int, default=12, help="largest C*H*W (default 12)")
parser.add_argument("--max-filters", type=int, default=3, help="1..K filters (default 3)")
parser.add_argument("--name", default="one_layer", help="writes data/specs/NAME.json (default one_layer)")
parser.add_argument("--max-enumerated-regions", type=int, default=50000)
parser.add_argument("--max-flats", type=int, default=300000)
parser.add_argument("--max-sweep-states", type=int, default=6000000)
parser.add_argument("--max-certified-regions", type=int, default=250000)
parser.add_argument("--samples", type=int, default=1000, help="Gaussian inputs sampled per network (default 1000)")
args = parser.parse_args()
size, filters = args.max_size, args.max_filters

architectures = []
for c in range(1, size + 1):
    for h in range(1, size + 1):
        for w in range(1, size + 1):
            if c * h * w > size:
                continue
            for kh in range(1, min(3, h) + 1):
                for kw in range(1, min(3, w) + 1):
                    for sh in (1, 2):
                        for sw in (1, 2):
                            if (sh == 2 and h - kh < 1) or (sw == 2 and w - kw < 1):
                                continue  # one output row/column: the stride does not matter
                            for k in range(1, filters + 1):
                                stride = "%d" % sh if sh == sw else "%dx%d" % (sh, sw)
                                architectures.append({"input": "%dx%dx%d" % (c, h, w),
                                                      "conv": ["%d:%dx%d:%s" % (k, kh, kw, stride)]})
spec = {
    "format": "chamber-dataset-spec",
    "version": 1,
    "description": "every one-conv-layer architecture with C*H*W <= %d, kernel <= 3x3, stride <= 2, filters <= %d; "
                   "three seeds of large random integer weights; exact counts beside eq. (4) and Theorem 1"
                   % (size, filters),
    "architectures": architectures,
    "weights": ["int:-1000000:1000000"],
    "seeds": [1, 2, 3],
    "samples": [args.samples],
    "certificates": "eq4-failures",
    "max_enumerated_regions": args.max_enumerated_regions,
    "max_flats": args.max_flats,
    "max_sweep_states": args.max_sweep_states,
    "max_certified_regions": args.max_certified_regions,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), args.name + ".json")
with open(path, "w") as out:
    json.dump(spec, out, indent=1)
    out.write("\n")
print("%s: %d architectures" % (path, len(architectures)))

#!/usr/bin/env python3
"""Writes data/specs/one_layer.json: every one-conv-layer architecture with C*H*W <= 12, kernel <= 3x3 (and within the
input), stride <= 2 per axis, 1..3 filters, three seeds. Certificates
are kept only where the exact count differs from eq. (4); the other counts are proven twice, by enumeration and by
Zaslavsky's theorem (they must agree). A stride along an axis where the output has size 1 changes
nothing, so only stride 1 is listed there."""
import json
import os

architectures = []
for c in range(1, 13):
    for h in range(1, 13):
        for w in range(1, 13):
            if c * h * w > 12:
                continue
            for kh in range(1, min(3, h) + 1):
                for kw in range(1, min(3, w) + 1):
                    for sh in (1, 2):
                        for sw in (1, 2):
                            if (sh == 2 and h - kh < 1) or (sw == 2 and w - kw < 1):
                                continue  # one output row/column: the stride does not matter
                            for k in (1, 2, 3):
                                stride = "%d" % sh if sh == sw else "%dx%d" % (sh, sw)
                                architectures.append({"input": "%dx%dx%d" % (c, h, w),
                                                      "conv": ["%d:%dx%d:%s" % (k, kh, kw, stride)]})
spec = {
    "format": "chamber-dataset-spec",
    "version": 1,
    "description": "every one-conv-layer architecture with C*H*W <= 12, kernel <= 3x3, stride <= 2, filters <= 3; "
                   "three seeds of large random integer weights; exact counts beside eq. (4) and Theorem 1",
    "architectures": architectures,
    "weights": ["int:-1000000:1000000"],
    "seeds": [1, 2, 3],
    "samples": [1000],
    "certificates": "eq4-failures",
    "max_enumerated_regions": 50000,
    "max_flats": 300000,
    "max_sweep_states": 6000000,
    "max_certified_regions": 250000,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "one_layer.json")
with open(path, "w") as out:
    json.dump(spec, out, indent=1)
    out.write("\n")
print("%s: %d architectures" % (path, len(architectures)))

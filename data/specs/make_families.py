#!/usr/bin/env python3
"""Writes the arrangement families of ../shared/references.md as .arr files (data/specs/families/) and the dataset
spec data/specs/families.json, with each family member's published number of regions."""
import json
import os
import sys
from math import comb, factorial

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "bench"))
from families import braid_like, subset_row  # noqa: E402  (bench/families.py: the same rows for bench/chi.sh)

folder = os.path.join(here, "families")
os.makedirs(folder, exist_ok=True)
entries = []


def write(name, label, n, rows, published):
    with open(os.path.join(folder, name + ".arr"), "w") as out:
        out.write("# %s (chamber data/specs/make_families.py)\n%d %d\n" % (label, n, len(rows)))
        for row in rows:
            out.write(" ".join(str(v) for v in row) + "\n")
    entries.append({"file": "families/%s.arr" % name, "label": label, "published_regions": str(published)})


for n, r in zip(range(2, 7), [6, 32, 370, 11292, 1066044]):
    write("resonance%d" % n, "resonance R_%d" % n, n, [subset_row(n, m) for m in range(1, 1 << n)], r)
for n, r in zip(range(2, 6), [14, 104, 1882, 94572]):
    write("threshold%d" % n, "threshold T_%d" % n, n + 1, [subset_row(n + 1, 1 | m << 1) for m in range(1 << n)], r)
for n in range(3, 7):
    write("braid%d" % n, "braid A_%d" % (n - 1), n, braid_like(n, [0]), factorial(n))
for n in range(3, 6):
    write("shi%d" % n, "Shi, n = %d" % n, n, braid_like(n, [0, 1]), (n + 1) ** (n - 1))
for n in range(2, 9, 2):
    write("coordinate%d" % n, "coordinate, n = %d" % n, n, [subset_row(n, 1 << i) for i in range(n)], 2 ** n)
for n, m in [(2, 6), (3, 8), (4, 10)]:
    rows = [[t ** k for k in range(n + 1)] for t in range(1, m + 1)]  # moment curve: general position
    write("generic_n%d_m%d" % (n, m), "%d generic hyperplanes in R^%d" % (m, n), n, rows,
          sum(comb(m, j) for j in range(n + 1)))

spec = {
    "format": "chamber-dataset-spec",
    "version": 1,
    "description": "the arrangement families of references.md: regions by certified enumeration and by Zaslavsky's "
                   "theorem, bounded regions, chi(t), beside the published counts (the largest, R_6 and T_5, by "
                   "Zaslavsky alone, to keep the certificates small)",
    "arrangements": entries,
    "max_enumerated_regions": 20000,
}
with open(os.path.join(here, "families.json"), "w") as out:
    json.dump(spec, out, indent=1)
    out.write("\n")
print("%d arrangements" % len(entries))

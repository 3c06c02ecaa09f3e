#!/usr/bin/env python3
"""Writes the arrangement families of bench/chi.sh as .arr files, with their published numbers of regions.

usage: python3 bench/families.py DIR [NAME ...]
  NAME: resonanceN (R_N: sum_{i in S} x_i = 0 for every nonempty S of [N], in R^N),
        thresholdN (T_N: x_0 + sum_{i in S} x_i = 0 for every S of [N], the empty set included, in R^{N+1}),
        braidN (A_{N-1}: x_i = x_j for i < j, in R^N), shiN (x_i - x_j in {0, 1} for i < j, in R^N).
  Default: resonance5..9 threshold4..7 braid6 braid8 shi5 shi6.
Writes DIR/NAME.arr and prints one line per file, "NAME PUBLISHED" (the published number of regions, or "-").
No dependencies beyond the standard library.
"""
import os
import re
import sys
from math import factorial

# Published region counts: resonance R_n, OEIS A034997; threshold T_n, OEIS A000609 (the number of threshold
# functions of n variables, which are T_n's regions). Braid A_{n-1}: n!; Shi in R^n: (n+1)^(n-1).
RESONANCE = {1: 2, 2: 6, 3: 32, 4: 370, 5: 11292, 6: 1066044, 7: 347326352, 8: 419172756930,
             9: 1955230985997140}
THRESHOLD = {0: 2, 1: 4, 2: 14, 3: 104, 4: 1882, 5: 94572, 6: 15028134, 7: 8378070864}
DEFAULT = ["resonance%d" % n for n in range(5, 10)] + ["threshold%d" % n for n in range(4, 8)] + \
          ["braid6", "braid8", "shi5", "shi6"]


def subset_row(n, mask):
    """The row 0 + sum_{i: bit i of mask} x_i of a hyperplane through the origin in R^n."""
    return [0] + [1 if mask >> i & 1 else 0 for i in range(n)]


def braid_like(n, constants):
    """x_i - x_j = c for i < j and each c of constants, as rows b a_1 ... a_n of b + a.x = 0."""
    rows = []
    for c in constants:
        for i in range(n):
            for j in range(i + 1, n):
                row = [0] * (n + 1)
                row[0], row[i + 1], row[j + 1] = -c, 1, -1
                rows.append(row)
    return rows


def family(name):
    """(label, dimension, rows, published regions or None) of a family member's name."""
    match = re.fullmatch(r"(resonance|threshold|braid|shi)(\d+)", name)
    if not match:
        raise ValueError("unknown family member %r (resonanceN, thresholdN, braidN, shiN)" % name)
    kind, n = match.group(1), int(match.group(2))
    if kind == "resonance":
        if n < 1:
            raise ValueError("resonance needs N >= 1")
        return "resonance R_%d" % n, n, [subset_row(n, m) for m in range(1, 1 << n)], RESONANCE.get(n)
    if kind == "threshold":
        # x_0 is coordinate 0, x_1..x_N the others: bit 0 always set, S as the bits above it.
        return "threshold T_%d" % n, n + 1, [subset_row(n + 1, 1 | m << 1) for m in range(1 << n)], THRESHOLD.get(n)
    if n < 2:
        raise ValueError("%s needs N >= 2" % kind)
    if kind == "braid":
        return "braid A_%d" % (n - 1), n, braid_like(n, [0]), factorial(n)
    return "Shi arrangement in R^%d" % n, n, braid_like(n, [0, 1]), (n + 1) ** (n - 1)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    folder = argv[1]
    os.makedirs(folder, exist_ok=True)
    for name in argv[2:] or DEFAULT:
        try:
            label, n, rows, published = family(name)
        except ValueError as error:
            sys.stderr.write("families.py: %s\n" % error)
            return 2
        with open(os.path.join(folder, name + ".arr"), "w") as out:
            out.write("# %s (chamber bench/families.py)\n" % label)
            if published is not None:
                out.write("# published regions: %d\n" % published)
            out.write("%d %d\n" % (n, len(rows)))
            for row in rows:
                out.write(" ".join(str(v) for v in row) + "\n")
        print(name, published if published is not None else "-")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

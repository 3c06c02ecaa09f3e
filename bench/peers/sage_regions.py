# Run by bench/compare.sh with `sage -python`: reads a .arr file and times Sage's exact regions() or n_regions().
# usage: sage -python sage_regions.py FILE.arr regions|n_regions ; prints "<count> <seconds>" (seconds exclude
# Sage's start-up and the file reading). A run under 1 s is repeated on a fresh arrangement (Sage caches both
# results on the object) up to 3 times and the fastest counts, as compare.sh does for chamber.
import sys
import time

from sage.all import QQ, HyperplaneArrangements


def load(path):
    header, rows = None, []
    with open(path) as f:
        for line in f:
            line = line.split('#')[0].strip()
            if not line:
                continue
            if header is None:
                header = [int(t) for t in line.split()]
                continue
            rows.append([QQ(t) for t in line.split()])
    n = header[0]
    H = HyperplaneArrangements(QQ, tuple('x%d' % i for i in range(n)))
    return H([[r[1:], r[0]] for r in rows])


best = None
for attempt in range(3):
    arrangement = load(sys.argv[1])
    start = time.time()
    count = len(arrangement.regions()) if sys.argv[2] == 'regions' else arrangement.n_regions()
    seconds = time.time() - start
    best = seconds if best is None else min(best, seconds)
    if seconds >= 1:
        break
print(count, best)

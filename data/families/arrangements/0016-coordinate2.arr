# coordinate, n = 2 (chamber data/specs/make_families.py)
2 2
0 1 0
0 0 1

# coordinate, n = 4 (chamber data/specs/make_families.py)
4 4
0 1 0 0 0
0 0 1 0 0
0 0 0 1 0
0 0 0 0 1

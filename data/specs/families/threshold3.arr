# threshold T_3 (chamber data/specs/make_families.py)
4 8
0 1 0 0 0
0 1 1 0 0
0 1 0 1 0
0 1 1 1 0
0 1 0 0 1
0 1 1 0 1
0 1 0 1 1
0 1 1 1 1

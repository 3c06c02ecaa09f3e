# braid A_3 (chamber data/specs/make_families.py)
4 6
0 1 -1 0 0
0 1 0 -1 0
0 1 0 0 -1
0 0 1 -1 0
0 0 1 0 -1
0 0 0 1 -1

# braid A_2 (chamber data/specs/make_families.py)
3 3
0 1 -1 0
0 1 0 -1
0 0 1 -1

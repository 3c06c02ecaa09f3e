# braid A_4 (chamber data/specs/make_families.py)
5 10
0 1 -1 0 0 0
0 1 0 -1 0 0
0 1 0 0 -1 0
0 1 0 0 0 -1
0 0 1 -1 0 0
0 0 1 0 -1 0
0 0 1 0 0 -1
0 0 0 1 -1 0
0 0 0 1 0 -1
0 0 0 0 1 -1

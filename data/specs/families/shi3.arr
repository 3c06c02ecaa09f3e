# Shi, n = 3 (chamber data/specs/make_families.py)
3 6
0 1 -1 0
0 1 0 -1
0 0 1 -1
-1 1 -1 0
-1 1 0 -1
-1 0 1 -1

# resonance R_4 (chamber data/specs/make_families.py)
4 15
0 1 0 0 0
0 0 1 0 0
0 1 1 0 0
0 0 0 1 0
0 1 0 1 0
0 0 1 1 0
0 1 1 1 0
0 0 0 0 1
0 1 0 0 1
0 0 1 0 1
0 1 1 0 1
0 0 0 1 1
0 1 0 1 1
0 0 1 1 1
0 1 1 1 1

# resonance R_3 (chamber data/specs/make_families.py)
3 7
0 1 0 0
0 0 1 0
0 1 1 0
0 0 0 1
0 1 0 1
0 0 1 1
0 1 1 1

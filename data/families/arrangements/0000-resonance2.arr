# resonance R_2 (chamber data/specs/make_families.py)
2 3
0 1 0
0 0 1
0 1 1

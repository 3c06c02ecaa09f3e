# 8 generic hyperplanes in R^3 (chamber data/specs/make_families.py)
3 8
1 1 1 1
1 2 4 8
1 3 9 27
1 4 16 64
1 5 25 125
1 6 36 216
1 7 49 343
1 8 64 512

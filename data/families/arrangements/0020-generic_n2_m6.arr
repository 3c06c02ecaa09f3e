# 6 generic hyperplanes in R^2 (chamber data/specs/make_families.py)
2 6
1 1 1
1 2 4
1 3 9
1 4 16
1 5 25
1 6 36

# Threshold arrangement T3 in R^4, coordinates (x0, x1, x2, x3): the hyperplanes x0 + sum_{i in S} x_i = 0
# for every subset S of {1, 2, 3}. Row "0 1 s1 s2 s3" has b = 0 (all 8 hyperplanes pass through the origin:
# a central arrangement) and normal (1, s) with s the 0/1 indicator vector of S.
# Published count: 104 regions, none bounded. Copied from the shared benchmark set (threshold3.arr).
4 8
0 1 0 0 0
0 1 0 0 1
0 1 0 1 0
0 1 0 1 1
0 1 1 0 0
0 1 1 0 1
0 1 1 1 0
0 1 1 1 1

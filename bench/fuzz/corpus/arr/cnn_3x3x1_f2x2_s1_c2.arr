# One conv layer: input 1x3x3 (flattened CHW, x = (c*3 + i)*3 + j), 2 filters of 2x2, stride 1, no padding.
# Each row is one hidden neuron: bias, then its weights on the 9 input coordinates.
# Exact count: 255 regions; eq. (4) of Xiong et al. (ICML 2020) says 256.
9 8
4 -12 16 0 -16 -4 0 0 0 0
-7 -13 11 0 8 10 0 0 0 0
4 0 -12 16 0 -16 -4 0 0 0
-7 0 -13 11 0 8 10 0 0 0
4 0 0 0 -12 16 0 -16 -4 0
-7 0 0 0 -13 11 0 8 10 0
4 0 0 0 0 -12 16 0 -16 -4
-7 0 0 0 0 -13 11 0 8 10

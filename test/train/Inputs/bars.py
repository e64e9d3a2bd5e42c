#!/usr/bin/env python3
"""Writes an NPY pair of 8x8 images with one horizontal (label 0) or one
vertical (label 1) bar of random position, length >= 4 and brightness, plus
uniform noise. usage: bars.py FEATURES.npy LABELS.npy COUNT SEED"""
import sys
import numpy as np

features, labels, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
x = rng.uniform(0.0, 0.3, size=(count, 1, 8, 8)).astype(np.float32)
y = rng.integers(0, 2, size=count)
for i in range(count):
    line, start = rng.integers(0, 8), rng.integers(0, 4)
    length = rng.integers(4, 9 - start)
    value = rng.uniform(0.7, 1.0)
    if y[i] == 0:
        x[i, 0, line, start:start + length] += value
    else:
        x[i, 0, start:start + length, line] += value
np.save(features, x)
np.save(labels, y.astype(np.float32))

#!/usr/bin/env python3
"""Writes an NPY pair of symbol sequences for the recurrent training test.

usage: sequences.py FEATURES.npy LABELS.npy COUNT SEED TASK

Each sequence is 32 steps of one-hot symbols from an alphabet of 8
(features [COUNT, 32 * 8], float32). TASK:
  recall:   the label is the symbol of step 26, followed by five random
            distractors (steps 27..31). A model reading only the last
            step, or with no memory, is at chance (1/8); the answer must be
            carried through five steps of the recurrence.
  majority: the label is the most frequent symbol (sequences with a tie
            are redrawn).
"""
import sys
import numpy as np

features, labels, count, seed, task = sys.argv[1:6]
count, seed = int(count), int(seed)
T, K = 32, 8
rng = np.random.default_rng(seed)
rows, ys = [], []
while len(rows) < count:
    s = rng.integers(0, K, size=T)
    if task == "recall":
        y = s[T - 6]
    else:
        c = np.bincount(s, minlength=K)
        if (c == c.max()).sum() > 1:
            continue
        y = c.argmax()
    rows.append(s)
    ys.append(y)
x = np.eye(K, dtype=np.float32)[np.array(rows)].reshape(count, T * K)
np.save(features, x)
np.save(labels, np.array(ys, dtype=np.float32))

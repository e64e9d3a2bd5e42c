#!/usr/bin/env python3
"""Checks that dropout regularizes: `compare_curves.py PLAIN.csv DROPOUT.csv`.

The plain MLP's last training loss must be below 0.01 (it memorizes), and
the dropout run's at least 3x the plain run's (the masks are active in the
training step). Prints both, exits 1 otherwise.
"""
import metrics_csv
import csv
import sys

plain, drop = (metrics_csv.epochs(p) for p in sys.argv[1:3])
p, d = float(plain[-1]["train_loss"]), float(drop[-1]["train_loss"])
print(f"last training loss: plain {p:.5f}, dropout {d:.5f}")
if not p < 0.01:
    sys.exit("the plain MLP did not memorize its training set")
if not d >= 3 * p:
    sys.exit("dropout did not raise the training loss")

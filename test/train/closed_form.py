#!/usr/bin/env python3
"""Compares the trained single-neuron regression with least squares.

usage: closed_form.py DATA.csv CHECKPOINT.safetensors
The model is price = relu(w * z + b) with z the standardized `rm` column
(population statistics over all rows, as `loomc train ... standardize`
computes them when the whole file is the training split). Points where the
line is <= 0 get no gradient through the ReLU, so the fit that training
converges to is the least-squares line over the points it keeps active:
fit on all points, drop those the line sends to <= 0, refit, until stable.
Passes when w and b agree with that closed form within 2%.
"""
import csv
import json
import math
import struct
import sys

data_path, ckpt_path = sys.argv[1:3]
rows = list(csv.DictReader(open(data_path)))
rm = [float(r["rm"]) for r in rows]
y = [float(r["medv"]) for r in rows]
n = len(rm)
mean = sum(rm) / n
std = math.sqrt(sum((x - mean) ** 2 for x in rm) / n)
z = [(x - mean) / std for x in rm]


def least_squares(idx):
    zs = [z[i] for i in idx]
    ys = [y[i] for i in idx]
    mz, my = sum(zs) / len(zs), sum(ys) / len(ys)
    w = sum((a - mz) * (c - my) for a, c in zip(zs, ys)) / sum((a - mz) ** 2 for a in zs)
    return w, my - w * mz


active = list(range(n))
while True:
    w, b = least_squares(active)
    now = [i for i in range(n) if w * z[i] + b > 0]
    if now == active:
        break
    active = now

blob = open(ckpt_path, "rb").read()
(hlen,) = struct.unpack("<Q", blob[:8])
header = json.loads(blob[8:8 + hlen])
def tensor(name):
    begin, end = header[name]["data_offsets"]
    raw = blob[8 + hlen + begin:8 + hlen + end]
    return struct.unpack("<%df" % (len(raw) // 4), raw)

tw, tb = tensor("neuron.weight")[0], tensor("neuron.bias")[0]
print(f"closed form over {len(active)} of {n} points: w = {w:.5f}, b = {b:.5f}")
print(f"trained:                              w = {tw:.5f}, b = {tb:.5f}")
ok = abs(tw - w) <= 0.02 * abs(w) and abs(tb - b) <= 0.02 * abs(b)
print("within 2%" if ok else "NOT within 2%")
sys.exit(0 if ok else 1)

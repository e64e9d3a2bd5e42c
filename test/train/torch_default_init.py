#!/usr/bin/env python3
"""Checks init::torch_default() against PyTorch's own layer initialization.

usage: torch_default_init.py LOOMC MODEL WORK_DIR

Inputs/torch_default_init.cpp holds frozen layers initialized with
init::torch_default(); one `loomc train` epoch (only `scale` trains) writes
their initial values to the checkpoint. Loom's generator is not PyTorch's,
so the values cannot match one for one; what must match is the
distribution. For each layer, PyTorch's bounds come from torch's own code
on a freshly constructed nn.Linear / nn.Conv2d / nn.ConvTranspose2d:
fan_in from torch.nn.init._calculate_fan_in_and_fan_out(layer.weight),
the weight's bound from kaiming_uniform_(a=sqrt(5))'s formula
(calculate_gain("leaky_relu", sqrt(5)) * sqrt(3 / fan_in)), the bias's
1 / sqrt(fan_in) (reset_parameters). Then, with b that bound and n values:
  - the shape is torch's (dense's transposed: Loom keeps [in, out]);
  - every |value| <= b * (1 + 2^-23): the draw is in [-b, b) in double,
    and rounding to f32 may land one f32 step (relative 2^-24) past b;
  - the sample variance (mean square) is b^2 / 3, that of U(-b, b),
    within 4 standard errors: the standard error of the mean square of n
    draws of U(-b, b) is sqrt(4/5) / sqrt(n) relative, so the tolerance is
    4 * 0.894 / sqrt(n) relative (0.08 for the 2,000 dense weights, 0.18
    for the 384 deconv weights, where taking the fan-in from C instead of
    torch's F/groups, 1/sqrt(64) for 1/sqrt(48), is off by -0.25);
  - the mean is 0 within 4 standard errors, 4 * b / sqrt(3 n);
  - the Kolmogorov-Smirnov distance to U(-b, b) is below 1.63 / sqrt(n)
    (the 1% critical value).
Biases of fewer than 40 values (conv's 8, deconv's 6) get only the bound
check on their own; the moments and KS also run on all biases pooled, each
divided by its bound (118 values of U(-1, 1)), so biases left at zeros (a
broken bias rule) fail there. Torch's own freshly initialized weights are
checked against the same bounds, which tests the bound formulas
themselves. The checks are deterministic (fixed seeds); the tolerances say
how unlikely a correct draw would be to fail them.
"""
import math
import os
import subprocess
import sys

import numpy as np
import torch

import safetensors_io

loomc, model, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
torch.manual_seed(0)

rng = np.random.default_rng(0)
np.save(f"{work}/x.npy", rng.standard_normal((16, 3, 10, 10)).astype(np.float32))
np.save(f"{work}/y.npy", rng.standard_normal((16, 1)).astype(np.float32))
ckpt = f"{work}/init.safetensors"
subprocess.run([loomc, "train", model, f"--data=npy={work}/x.npy:{work}/y.npy",
                "--val-fraction", "0", "--test-fraction", "0", "--epochs", "1",
                "--batch", "16", "--optimizer", "sgd", "--lr", "0.01",
                "--no-progress", "--checkpoint", ckpt],
               check=True, stdout=subprocess.DEVNULL)
loom = safetensors_io.load(ckpt)

# Loom's layer name -> (PyTorch's layer, whether Loom's weight is the
# transpose of torch's).
layers = {
    "fc": (torch.nn.Linear(50, 40), True),
    "conv": (torch.nn.Conv2d(3, 8, 5), False),
    "grouped": (torch.nn.Conv2d(8, 64, 3, groups=2), False),
    "deconv": (torch.nn.ConvTranspose2d(8, 6, 4, groups=2), False),
}


def ks_uniform(v, b):
    """Kolmogorov-Smirnov distance of the sample v to U(-b, b)."""
    u = np.sort((np.asarray(v, np.float64) / b + 1) / 2)
    n = len(u)
    i = np.arange(1, n + 1)
    return max(np.max(i / n - u), np.max(u - (i - 1) / n))


failed = False


def check(what, ok, detail):
    global failed
    failed |= not ok
    print(f"{what}: {detail} ({'ok' if ok else 'FAIL'})")


def check_distribution(what, v, b, moments=True):
    v = np.asarray(v, np.float64).ravel()
    n = len(v)
    check(f"{what} bound", np.all(np.abs(v) <= b * (1 + 2.0**-23)),
          f"max |v| / b = {np.max(np.abs(v)) / b:.4f} over {n} values")
    if not moments:
        return
    rel = np.mean(v**2) / (b * b / 3) - 1
    check(f"{what} variance", abs(rel) <= 4 * math.sqrt(0.8) / math.sqrt(n),
          f"relative {rel:+.3f}, tolerance {4 * math.sqrt(0.8) / math.sqrt(n):.3f}")
    m = np.mean(v)
    check(f"{what} mean", abs(m) <= 4 * b / math.sqrt(3 * n),
          f"{m:+.5f}, tolerance {4 * b / math.sqrt(3 * n):.5f}")
    d = ks_uniform(v, b)
    check(f"{what} KS", d < 1.63 / math.sqrt(n),
          f"{d:.4f}, tolerance {1.63 / math.sqrt(n):.4f}")


pooled = []
for name, (layer, transposed) in layers.items():
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    gain = torch.nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    wb = gain * math.sqrt(3.0 / fan_in)
    bb = 1 / math.sqrt(fan_in)
    w, b = loom[f"{name}.weight"], loom[f"{name}.bias"]
    tshape = tuple(layer.weight.shape)
    check(f"{name} shapes", w.shape == (tshape[::-1] if transposed else tshape)
          and b.shape == tuple(layer.bias.shape),
          f"weight {list(w.shape)}, bias {list(b.shape)}, fan_in {fan_in}")
    # The bounds are torch's: its own draws lie within them.
    check_distribution(f"{name}.weight (torch's own)", layer.weight.detach(), wb, False)
    check_distribution(f"{name}.bias (torch's own)", layer.bias.detach(), bb, False)
    check_distribution(f"{name}.weight", w, wb)
    check_distribution(f"{name}.bias", b, bb, moments=len(b) >= 40)
    pooled.extend(np.asarray(b, np.float64) / bb)
check_distribution("all biases / bound", pooled, 1.0)
sys.exit(1 if failed else 0)

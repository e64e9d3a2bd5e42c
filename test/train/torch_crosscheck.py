#!/usr/bin/env python3
"""Cross-checks Loom's compiled training step against PyTorch.

usage: torch_crosscheck.py LOOMC EXAMPLES_DIR WORK_DIR

For logistic regression (breast_cancer) and the 784-256-128-10 MLP
(Fashion-MNIST, 512 images), with SGD and with Adam: the same initial
weights (written by this script as a safetensors checkpoint, loaded with
`loomc train --init`), the same data in the same order (full batch, no
shuffle), ten steps each. Loom's loss before each step (its metrics file)
must match PyTorch's within 1e-4 relative.
"""
import metrics_csv
import csv
import gzip
import os
import subprocess
import sys

import numpy as np
import torch

import safetensors_io

loomc, examples, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
torch.manual_seed(0)
torch.set_num_threads(1)
STEPS = 10
TOLERANCE = 1e-4


def breast_cancer():
    rows = list(csv.DictReader(open(os.path.join(examples, "data", "breast_cancer.csv"))))
    y = np.array([[float(r.pop("malignant"))] for r in rows], dtype=np.float32)
    x = np.array([[float(v) for v in r.values()] for r in rows], dtype=np.float64)
    x = ((x - x.mean(0)) / x.std(0)).astype(np.float32)
    return x, y


def fashion(n=512):
    d = "/usr/share/datasets/fashion-mnist"
    with gzip.open(f"{d}/train-images-idx3-ubyte.gz") as f:
        img = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: n * 784]
    with gzip.open(f"{d}/train-labels-idx1-ubyte.gz") as f:
        lab = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:n]
    return (img.reshape(n, 784) / 255.0).astype(np.float32), lab.astype(np.float32)


def loom_losses(model, name, x, y, params, optimizer, lr, batch=None, epochs=STEPS):
    tag = f"{name}-{optimizer}-{batch}"
    np.save(f"{work}/{tag}-x.npy", x)
    np.save(f"{work}/{tag}-y.npy", y)
    safetensors_io.save(f"{work}/{tag}-init.safetensors", params)
    ckpt = f"{work}/{tag}.safetensors"
    subprocess.run([loomc, "train", model, "--model", name,
                    f"--data=npy={work}/{tag}-x.npy:{work}/{tag}-y.npy",
                    "--val-fraction", "0", "--test-fraction", "0", "--shuffle=false",
                    "--epochs", str(epochs), "--batch", str(batch or len(x)),
                    "--optimizer", optimizer, "--lr", str(lr),
                    "--init", f"{work}/{tag}-init.safetensors", "--checkpoint", ckpt],
                   check=True, stdout=subprocess.DEVNULL)
    rows = metrics_csv.epochs(ckpt.replace(".safetensors", ".metrics.csv"))
    return [float(r["train_loss"]) for r in rows]


def torch_losses(forward, loss_fn, x, y, params, optimizer, lr, batch=None, epochs=STEPS):
    """Per-epoch mean of the step losses, weighted by batch size (what
    loomc's metrics file holds); full batch makes it the step's loss."""
    params = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(params.values(), lr=lr)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    batch = batch or len(x)
    out = []
    for _ in range(epochs):
        total = 0.0
        for i in range(0, len(x), batch):
            opt.zero_grad()
            loss = loss_fn(forward(params, xs[i:i + batch]), ys[i:i + batch])
            total += loss.item() * len(xs[i:i + batch])
            loss.backward()
            opt.step()
        out.append(total / len(x))
    return out


def logreg(p, x):
    return x @ p["fc.weight"] + p["fc.bias"]


def mlp(p, x):
    h = torch.relu(x @ p["fc1.weight"] + p["fc1.bias"])
    h = torch.relu(h @ p["fc2.weight"] + p["fc2.bias"])
    return h @ p["fc3.weight"] + p["fc3.bias"]


def init(shapes):
    # Loom's dense layout is [in, out]; values small and seeded.
    return {k: torch.randn(*s) * (0.1 if len(s) == 2 else 0.01) for k, s in shapes.items()}


cases = []
bx, by = breast_cancer()
bparams = init({"fc.weight": (30, 1), "fc.bias": (1,)})
fx, fy = fashion()
fparams = init({"fc1.weight": (784, 256), "fc1.bias": (256,), "fc2.weight": (256, 128),
                "fc2.bias": (128,), "fc3.weight": (128, 10), "fc3.bias": (10,)})
bce = torch.nn.functional.binary_cross_entropy_with_logits
ce = lambda logits, labels: torch.nn.functional.cross_entropy(logits, labels.long())
for optimizer, lr_bc, lr_mlp in (("sgd", 0.5, 0.1), ("adam", 0.05, 0.001)):
    cases.append(("logistic regression", optimizer,
                  loom_losses(f"{examples}/breast_cancer/model.cpp", "breast_cancer", bx, by, bparams, optimizer, lr_bc),
                  torch_losses(logreg, bce, bx, by, bparams, optimizer, lr_bc)))
    cases.append(("MLP 784-256-128-10", optimizer,
                  loom_losses(f"{examples}/fashion_mlp/model.cpp", "fashion_mlp", fx, fy, fparams, optimizer, lr_mlp),
                  torch_losses(mlp, ce, fx, fy, fparams, optimizer, lr_mlp)))

# Mini-batches of 100 over 569 examples: the sixth step of each epoch runs
# the 69-example remainder through its own compiled specialization.
cases.append(("logistic regression, batch 100 with a ragged last batch of 69", "sgd",
              loom_losses(f"{examples}/breast_cancer/model.cpp", "breast_cancer", bx, by, bparams, "sgd", 0.5, 100, 2),
              torch_losses(logreg, bce, bx, by, bparams, "sgd", 0.5, 100, 2)))

failed = False
for what, optimizer, loom, ref in cases:
    worst = max(abs(a - b) / abs(b) for a, b in zip(loom, ref))
    ok = len(loom) == len(ref) and worst <= TOLERANCE
    failed |= not ok
    print(f"{what}, {optimizer}: last loss loom {loom[-1]:.7f} torch {ref[-1]:.7f}; "
          f"worst relative difference over {len(ref)} epochs {worst:.2e} ({'ok' if ok else 'FAIL'})")
sys.exit(1 if failed else 0)

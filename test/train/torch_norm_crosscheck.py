#!/usr/bin/env python3
"""Cross-checks batch_norm, layer_norm, leaky_relu and gelu against PyTorch.

usage: torch_norm_crosscheck.py LOOMC MODEL WORK_DIR

The CNN of Inputs/norm_cnn.cpp (conv, batch_norm, leaky_relu, max pool,
dense, layer_norm, gelu, dense) on 512 Fashion-MNIST images, full batch,
Adam, ten steps, from identical weights (`loomc train --init`). Checked
against the same network written with torch.nn.functional:
  - the loss before every step (training mode: batch statistics), 5e-4
    relative;
  - the running mean and variance after the ten steps (the checkpoint's
    bn1.running_mean / running_var against F.batch_norm's in-place
    updates), 1e-3 relative;
  - the logits of `loomc run` (inference mode: running statistics) on 64
    images against the model in eval mode, 1e-2 absolute.
The tolerances are looser than torch_crosscheck.py's 1e-4 because
batch_norm's statistics sum 401,408 values per channel: Loom accumulates
them in one f32 running sum, PyTorch in blocks, and the two orders differ
by ~2e-5 relative already at the first step; Adam then carries that into
the weights. A wrong rule (a biased running variance, a missing momentum,
statistics over the wrong axes) is off by 1e-2 or more.
"""
import metrics_csv
import csv
import gzip
import os
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

import safetensors_io

loomc, model, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
torch.manual_seed(0)
torch.set_num_threads(1)
STEPS, LR, N = 10, 0.01, 512


d = "/usr/share/datasets/fashion-mnist"
with gzip.open(f"{d}/train-images-idx3-ubyte.gz") as f:
    img = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: N * 784]
with gzip.open(f"{d}/train-labels-idx1-ubyte.gz") as f:
    lab = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:N]
x = (img.reshape(N, 784) / 255.0).astype(np.float32)
y = lab.astype(np.float32)
np.save(f"{work}/x.npy", x)
np.save(f"{work}/y.npy", y)
np.save(f"{work}/x64.npy", x[:64])

params = {
    "conv1.weight": torch.randn(4, 1, 3, 3) * 0.3,
    "bn1.weight": 1 + torch.randn(4) * 0.1, "bn1.bias": torch.randn(4) * 0.1,
    "bn1.running_mean": torch.randn(4) * 0.1, "bn1.running_var": 1 + torch.rand(4),
    "fc1.weight": torch.randn(784, 32) * 0.05, "fc1.bias": torch.randn(32) * 0.01,
    "ln1.weight": 1 + torch.randn(32) * 0.1, "ln1.bias": torch.randn(32) * 0.1,
    "fc2.weight": torch.randn(32, 10) * 0.1, "fc2.bias": torch.randn(10) * 0.01,
}
safetensors_io.save(f"{work}/init.safetensors", params)
ckpt = f"{work}/trained.safetensors"
subprocess.run([loomc, "train", model, f"--data=npy={work}/x.npy:{work}/y.npy",
                "--val-fraction", "0", "--test-fraction", "0", "--shuffle=false",
                "--epochs", str(STEPS), "--batch", str(N), "--optimizer", "adam",
                "--lr", str(LR), "--init", f"{work}/init.safetensors",
                "--checkpoint", ckpt, "--no-progress"],
               check=True, stdout=subprocess.DEVNULL)
loom_losses = [float(r["train_loss"]) for r in
               metrics_csv.epochs(ckpt.replace(".safetensors", ".metrics.csv"))]
loom_params = safetensors_io.load(ckpt)
subprocess.run([loomc, "run", model, "--checkpoint", ckpt, "--input", f"x={work}/x64.npy",
                "--output", f"logits={work}/logits.npy"], check=True, stdout=subprocess.DEVNULL)
loom_logits = np.load(f"{work}/logits.npy")

p = {k: v.clone().requires_grad_(k in ("conv1.weight", "bn1.weight", "bn1.bias",
                                        "fc1.weight", "fc1.bias", "ln1.weight", "ln1.bias",
                                        "fc2.weight", "fc2.bias"))
     for k, v in params.items()}


def forward(xb, training):
    h = F.conv2d(xb.reshape(-1, 1, 28, 28), p["conv1.weight"], padding=1)
    h = F.batch_norm(h, p["bn1.running_mean"], p["bn1.running_var"], p["bn1.weight"],
                     p["bn1.bias"], training=training, momentum=0.1, eps=1e-5)
    h = F.max_pool2d(F.leaky_relu(h, 0.1), 2).flatten(1)
    h = F.layer_norm(h @ p["fc1.weight"] + p["fc1.bias"], (32,), p["ln1.weight"],
                     p["ln1.bias"], 1e-5)
    return F.gelu(h) @ p["fc2.weight"] + p["fc2.bias"]


opt = torch.optim.Adam([v for v in p.values() if v.requires_grad], lr=LR)
xs, ys = torch.from_numpy(x), torch.from_numpy(y).long()
torch_losses = []
for _ in range(STEPS):
    opt.zero_grad()
    loss = F.cross_entropy(forward(xs, True), ys)
    torch_losses.append(loss.item())
    loss.backward()
    opt.step()
with torch.no_grad():
    torch_logits = forward(xs[:64], False).numpy()

failed = False


def report(what, worst, tolerance):
    global failed
    ok = worst <= tolerance
    failed |= not ok
    print(f"{what}: worst {worst:.2e} (tolerance {tolerance:g}) ({'ok' if ok else 'FAIL'})")


report("training loss over 10 steps, relative",
       max(abs(a - b) / abs(b) for a, b in zip(loom_losses, torch_losses))
       if len(loom_losses) == STEPS else float("inf"), 5e-4)
for stat in ("running_mean", "running_var"):
    ref = p[f"bn1.{stat}"].detach().numpy()
    report(f"bn1.{stat} after 10 steps, relative",
           float(np.max(np.abs(loom_params[f"bn1.{stat}"] - ref) / np.abs(ref))), 1e-3)
report("inference logits (running statistics), absolute",
       float(np.max(np.abs(loom_logits - torch_logits))), 1e-2)
sys.exit(1 if failed else 0)

#!/usr/bin/env python3
"""Cross-checks loom's lstm and gru layers against torch.nn.LSTM / nn.GRU.

usage: torch_recurrent_crosscheck.py LOOMC MODEL WORK_DIR

The two models of Inputs/recurrent_seq.cpp (an LSTM or GRU with hidden size
16 over 12 steps of 4 features, a dense layer, cross-entropy over 3
classes) train for ten full-batch Adam steps (lr 0.01) on 256 random
sequences whose class is the sign pattern of the sum of the first feature
over the first and last six steps, from identical weights (written here,
loaded with `loomc train --init`). The parameter names are PyTorch's
without the `_l0` suffix. Checked against torch.nn.LSTM / nn.GRU with
batch_first=True holding the same weights:
  - the loss before every step, 1e-4 relative (as torch_crosscheck.py);
  - every trained parameter after the ten steps, 1e-4 relative to the
    parameter's largest magnitude (observed ~1e-5: Adam divides by
    sqrt(v), so f32 round-off in a near-zero gradient still moves a weight
    by a fraction of lr; a wrong gate order, bias or missing gradient term
    moves weights by ~lr = 1e-2 per step).
"""
import metrics_csv
import csv
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
STEPS, LR, N, T, I, H, C = 10, 0.01, 256, 12, 4, 16, 3


rng = np.random.default_rng(0)
x = rng.standard_normal((N, T, I)).astype(np.float32)
first, last = x[:, :T // 2, 0].sum(1), x[:, T // 2:, 0].sum(1)
y = np.where(first > 0, 1, 0) + np.where(last > 0, 1, 0)
np.save(f"{work}/x.npy", x.reshape(N, T * I))
np.save(f"{work}/y.npy", y.astype(np.float32))

failed = False


def report(what, worst, tolerance):
    global failed
    ok = worst <= tolerance
    failed |= not ok
    print(f"{what}: worst {worst:.2e} (tolerance {tolerance:g}) ({'ok' if ok else 'FAIL'})")


for kind in ("lstm", "gru"):
    gates = 4 if kind == "lstm" else 3
    net = (torch.nn.LSTM if kind == "lstm" else torch.nn.GRU)(I, H, batch_first=True)
    fc_w = torch.randn(H, C) * 0.3
    fc_b = torch.randn(C) * 0.1
    params = {f"rnn.{n[:-3]}": p.detach().clone() for n, p in net.named_parameters()}
    params.update({"fc.weight": fc_w, "fc.bias": fc_b})
    assert set(params) == {"rnn.weight_ih", "rnn.weight_hh", "rnn.bias_ih", "rnn.bias_hh",
                           "fc.weight", "fc.bias"}
    safetensors_io.save(f"{work}/{kind}.init.safetensors", params)
    ckpt = f"{work}/{kind}.trained.safetensors"
    subprocess.run([loomc, "train", model, "--model", f"{kind}_seq",
                    f"--data=npy={work}/x.npy:{work}/y.npy",
                    "--val-fraction", "0", "--test-fraction", "0", "--shuffle=false",
                    "--epochs", str(STEPS), "--batch", str(N), "--optimizer", "adam",
                    "--lr", str(LR), "--init", f"{work}/{kind}.init.safetensors",
                    "--checkpoint", ckpt, "--no-progress"],
                   check=True, stdout=subprocess.DEVNULL)
    loom_losses = [float(r["train_loss"]) for r in
                   metrics_csv.epochs(ckpt.replace(".safetensors", ".metrics.csv"))]
    loom_params = safetensors_io.load(ckpt)

    fc_w.requires_grad_(True)
    fc_b.requires_grad_(True)
    opt = torch.optim.Adam(list(net.parameters()) + [fc_w, fc_b], lr=LR)
    xs, ys = torch.from_numpy(x), torch.from_numpy(y).long()
    torch_losses = []
    for _ in range(STEPS):
        opt.zero_grad()
        seq, last = net(xs)
        if kind == "lstm":
            h, c = last
            feat = h[0] + c[0].mean(1, keepdim=True)
        else:
            feat = seq.mean(1)
        loss = F.cross_entropy(feat @ fc_w + fc_b, ys)
        torch_losses.append(loss.item())
        loss.backward()
        opt.step()

    report(f"{kind}: training loss over {STEPS} steps, relative",
           max(abs(a - b) / abs(b) for a, b in zip(loom_losses, torch_losses))
           if len(loom_losses) == STEPS else float("inf"), 1e-4)
    trained = {f"rnn.{n[:-3]}": p for n, p in net.named_parameters()}
    trained.update({"fc.weight": fc_w, "fc.bias": fc_b})
    worst = 0.0
    for name, p in trained.items():
        ref = p.detach().numpy()
        worst = max(worst, float(np.max(np.abs(loom_params[name] - ref)) / np.max(np.abs(ref))))
    report(f"{kind}: parameters after {STEPS} steps, relative", worst, 1e-4)
    print(f"{kind}: losses {torch_losses[0]:.4f} -> {torch_losses[-1]:.4f}")
sys.exit(1 if failed else 0)

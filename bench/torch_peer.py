#!/usr/bin/env python3
"""The PyTorch side of bench/run_bench.py: one workload, median ms per step.

usage: torch_peer.py WORKLOAD BATCH OPTIMIZER MIN_SECONDS
WORKLOAD: logistic | mlp | sgemm (numpy's OpenBLAS sgemm, BATCH = n).
"""
import resource
import sys
import time

import numpy as np
import torch

workload, batch, optimizer, min_s = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
torch.set_num_threads(2)


def median_ms(fn, warmup=5):
    for _ in range(warmup):
        fn()
    times, start = [], time.perf_counter()
    while len(times) < 20 or time.perf_counter() - start < min_s:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return sorted(times)[len(times) // 2]


if workload == "sgemm":
    a = np.random.randn(batch, batch).astype(np.float32)
    b = np.random.randn(batch, batch).astype(np.float32)
    print(f"forward_ms={median_ms(lambda: a @ b):.5f}")
    sys.exit(0)

if workload == "logistic":
    model = torch.nn.Linear(30, 1)
    x, y = torch.randn(batch, 30), torch.randint(0, 2, (batch, 1)).float()
    loss_fn = torch.nn.functional.binary_cross_entropy_with_logits
else:
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                                torch.nn.ReLU(), torch.nn.Linear(128, 10))
    x, y = torch.randn(batch, 784), torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.functional.cross_entropy
opt = torch.optim.SGD(model.parameters(), lr=1e-6, momentum=0.9 if optimizer == "momentum" else 0)


def step():
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()


def forward():
    with torch.no_grad():
        model(x)


print(f"train_ms={median_ms(step):.5f} forward_ms={median_ms(forward):.5f} "
      f"rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")

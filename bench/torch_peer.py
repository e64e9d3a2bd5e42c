#!/usr/bin/env python3
"""The PyTorch side of bench/run_bench.py: one workload, median ms per step.

usage: torch_peer.py WORKLOAD BATCH OPTIMIZER MIN_SECONDS

WORKLOAD: logistic | mlp | lenet | resnet | lstm | transformer (the networks
of bench/models/workloads.cpp, layer for layer) | sgemm (numpy's OpenBLAS
sgemm, BATCH = n) | fashion_epoch (one epoch of the Fashion-MNIST MLP with
a DataLoader, as `loomc train examples/fashion_mlp/model.cpp` does it).
OPTIMIZER: sgd | momentum (0.9) | adam.

Prints `train_ms=... forward_ms=...` (medians after a warm-up; forward is
model.eval() under no_grad, like Loom's forward entry) and the memory
figures: rss_kb is the process's peak RSS (ru_maxrss, torch's libraries
included), base_kb the RSS after `import torch` before anything is built,
step_peak_kb the peak RSS from then through the timed training steps.
Runs on 2 intra-op threads; the caller sets OPENBLAS_NUM_THREADS.
"""
import ctypes
import re
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

workload, batch, optimizer, min_s = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
torch.set_num_threads(2)
torch.manual_seed(0)
FASHION = "/usr/share/datasets/fashion-mnist"


def status_kb(key):
    return int(re.search(key + r":\s+(\d+)", open("/proc/self/status").read()).group(1))


def reset_peak_rss():
    """Make VmHWM restart from the current RSS (Linux >= 4.0); False if not
    allowed. Freed memory goes back to the system first (as loomc bench does),
    so that what the model allocates shows as new pages."""
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def median_ms(fn, warmup=2):
    for _ in range(warmup):
        fn()
    times, start = [], time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_s:
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return sorted(times)[len(times) // 2]


if workload == "sgemm":
    a = np.random.randn(batch, batch).astype(np.float32)
    b = np.random.randn(batch, batch).astype(np.float32)
    print(f"forward_ms={median_ms(lambda: a @ b):.5f}")
    sys.exit(0)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5)
        self.fc1, self.fc2, self.fc3 = nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x)), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(h)))))


class Block(nn.Module):
    """torchvision's BasicBlock with an identity shortcut."""

    def __init__(self, c):
        super().__init__()
        self.conv1, self.bn1 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)
        self.conv2, self.bn2 = nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c)

    def forward(self, x):
        return F.relu(self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x))))) + x)


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem, self.stem_bn = nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16)
        self.blocks = nn.Sequential(Block(16), Block(16), Block(16))
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        h = self.blocks(F.relu(self.stem_bn(self.stem(x))))
        return self.fc(h.mean((2, 3)))


class Lstm(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm, self.head = nn.LSTM(64, 128, batch_first=True), nn.Linear(128, 10)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1])


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.TransformerEncoderLayer(256, 4, 1024, 0.1, batch_first=True)
        # Loom's layer drops out after attention, after the feed-forward
        # activation and after linear2, not the attention probabilities.
        self.encoder.self_attn.dropout = 0.0
        self.head = nn.Linear(256, 10)

    def forward(self, x):
        return self.head(self.encoder(x).mean(1))


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def make_optimizer(params):
    if optimizer == "adam":
        return torch.optim.Adam(params, lr=1e-6 if workload != "fashion_epoch" else 1e-3)
    return torch.optim.SGD(params, lr=1e-6, momentum=0.9 if optimizer == "momentum" else 0)


def fashion_epoch():
    """`loomc train examples/fashion_mlp/model.cpp --data fashion-mnist
    --val-fraction 0.1 --epochs 1 --batch B --optimizer adam --lr 0.001`:
    read the gzip'd IDX files, hold out 10% for validation, one shuffled
    epoch through a DataLoader, then the validation and test metrics."""
    import gzip
    from torch.utils.data import DataLoader, TensorDataset

    start = time.perf_counter()

    def idx(prefix):
        with gzip.open(f"{FASHION}/{prefix}-images-idx3-ubyte.gz") as f:
            x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
        with gzip.open(f"{FASHION}/{prefix}-labels-idx1-ubyte.gz") as f:
            y = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
        return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y)

    x, y = idx("train")
    tx, ty = idx("t10k")
    perm = torch.randperm(len(x))
    n_val = int(round(0.1 * len(x)))
    val, train = perm[:n_val], perm[n_val:]
    model = mlp()
    opt = make_optimizer(model.parameters())
    loader = DataLoader(TensorDataset(x[train], y[train]), batch_size=batch, shuffle=True)
    model.train()
    for xb, yb in loader:
        opt.zero_grad()
        logits = model(xb)
        loss = F.cross_entropy(logits, yb)
        loss.backward()
        opt.step()
        (logits.argmax(1) == yb).float().mean().item()  # the step's accuracy, as loomc reports
    model.eval()
    with torch.no_grad():
        for ex, ey in ((x[val], y[val]), (tx, ty)):
            for xb, yb in DataLoader(TensorDataset(ex, ey), batch_size=batch):
                logits = model(xb)
                F.cross_entropy(logits, yb).item(), (logits.argmax(1) == yb).float().mean().item()
    print(f"epoch_s={time.perf_counter() - start:.3f}")


if workload == "fashion_epoch":
    fashion_epoch()
    sys.exit(0)

peak_resettable = reset_peak_rss()
base_kb = status_kb("VmRSS")
if workload == "logistic":
    model, x, y = nn.Linear(30, 1), torch.randn(batch, 30), torch.randint(0, 2, (batch, 1)).float()
    loss_fn = F.binary_cross_entropy_with_logits
    head = torch.sigmoid
else:
    model, shape = {"mlp": (mlp, (784,)), "lenet": (LeNet, (1, 28, 28)), "resnet": (ResNet, (3, 32, 32)),
                    "lstm": (Lstm, (32, 64)), "transformer": (Transformer, (128, 256))}[workload]
    model, x, y = model(), torch.randn(batch, *shape), torch.randint(0, 10, (batch,))
    loss_fn = F.cross_entropy
    head = nn.Identity()
opt = make_optimizer(model.parameters())


def step():
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()


def forward():
    with torch.no_grad():
        head(model(x))


model.train()
train_ms = median_ms(step)
step_peak_kb = status_kb("VmHWM") if peak_resettable else 0
model.eval()
forward_ms = median_ms(forward)
print(f"train_ms={train_ms:.5f} forward_ms={forward_ms:.5f} "
      f"rss_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} base_kb={base_kb} step_peak_kb={step_peak_kb}")

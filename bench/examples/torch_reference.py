#!/usr/bin/env python3
"""PyTorch twins of Loom's examples, for the accuracy comparison.

usage: torch_reference.py EXAMPLE SEED [--epochs N] [--limit N] [--variant V]

EXAMPLE: image_logistic, regularization (--variant plain, l2, dropout,
dropout_early), fashion_lenet, fashion_transformer, fashion_resnet,
char_lstm, char_gru, char_gpt, karate_gcn, transfer (--variant scratch:
the fine-tuning data alone, from scratch)

Each twin has the architecture, initialization scheme, optimizer, learning
rate, batch size, epochs, data split fractions and preprocessing of the Loom
example it names (examples/EXAMPLE/model.cpp and the command in
bench/examples/compare.py); the random draws differ (PyTorch's generator).
Prints `test loss L accuracy A`, the line loomc train ends with (karate_gcn,
which has no test split: `train (no test split) loss L  accuracy A`, as loomc).
Runs on Debian's python3-torch (1.13), 2 threads.
"""
import argparse
import csv
import gzip
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FASHION = "/usr/share/datasets/fashion-mnist"


def fashion(split, classes=None, limit=None):
    prefix = "train" if split == "train" else "t10k"
    with gzip.open(f"{FASHION}/{prefix}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(f"{FASHION}/{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), dtype=np.uint8, offset=8).astype(np.int64)
    x = x.astype(np.float32) / 255.0
    if classes:
        keep = np.isin(y, classes)
        x, y = x[keep], np.array([classes.index(c) for c in y[keep]])
    if limit:
        x, y = x[:limit], y[:limit]
    return torch.from_numpy(x), torch.from_numpy(y)


def split(n, fractions, gen):
    """Random split into parts of the given fractions (the rest last)."""
    perm = torch.randperm(n, generator=gen)
    sizes = [int(round(f * n)) for f in fractions]
    out, start = [], 0
    for s in sizes:
        out.append(perm[start:start + s])
        start += s
    out.append(perm[start:])
    return out


def no_attention_dropout(layers):
    """Loom's transformer_encoder_layer drops out after the attention block,
    after the feed-forward activation and after linear2 (nn's dropout1,
    dropout, dropout2), but not the attention probabilities, which
    nn.TransformerEncoderLayer(dropout=p) also drops (its self_attn gets
    dropout=p): switch that one off."""
    for layer in layers:
        layer.self_attn.dropout = 0.0
    return layers


def he_uniform_(w):
    nn.init.kaiming_uniform_(w, nonlinearity="relu")  # U(+-sqrt(6 / fan_in))


class Dense(nn.Linear):
    """Loom's dense(): Xavier-uniform weight (or He), zero bias."""

    def __init__(self, i, o, he=False, zeros=False):
        super().__init__(i, o)
        if zeros:
            nn.init.zeros_(self.weight)
        elif he:
            he_uniform_(self.weight)
        else:
            nn.init.xavier_uniform_(self.weight)
        nn.init.zeros_(self.bias)


def image_logistic():
    return nn.Sequential(Dense(784, 1, zeros=True))


def regularization(variant):
    rate = 0.5 if variant.startswith("dropout") else 0.0
    layers = [Dense(30, 512, he=True), nn.ReLU()]
    if rate:
        layers.append(nn.Dropout(rate))
    layers += [Dense(512, 512, he=True), nn.ReLU()]
    if rate:
        layers.append(nn.Dropout(rate))
    return nn.Sequential(*layers, Dense(512, 1))


class LeNet(nn.Module):
    """examples/fashion_lenet: He-uniform convolutions and fc1/fc2, Xavier
    fc3, zero biases (Loom's defaults for those layers)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        for c in (self.conv1, self.conv2):
            he_uniform_(c.weight)
            nn.init.zeros_(c.bias)
        self.fc1, self.fc2, self.fc3 = Dense(400, 120, he=True), Dense(120, 84, he=True), Dense(84, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x.reshape(-1, 1, 28, 28))), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2).flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(h)))))


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(28, 64)
        self.pos = nn.Parameter(torch.randn(28, 64) * 0.02)
        self.encoder = no_attention_dropout(nn.ModuleList(
            nn.TransformerEncoderLayer(64, 4, 128, 0.1, batch_first=True) for _ in range(2)))
        self.head = nn.Linear(64, 10)

    def forward(self, x):
        h = self.embed(x.reshape(-1, 28, 28)) + self.pos
        for layer in self.encoder:
            h = layer(h)
        return self.head(h.mean(1))


class Block(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, 0, bias=False),
                                            nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (self.downsample(x) if self.downsample else x))


class ResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.blocks = nn.Sequential(Block(16, 16, 1), Block(16, 32, 2), Block(32, 64, 2))
        self.fc = Dense(64, 10)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                he_uniform_(m.weight)  # Loom's conv2d default

    def forward(self, x):
        h = F.relu(self.stem_bn(self.stem(x.reshape(-1, 1, 28, 28))))
        return self.fc(self.blocks(h).mean((2, 3)))


LICENSES = "/usr/share/common-licenses"


def text_windows(gen, window=64):
    """loomc's text= source: the regular files (not symbolic links) of the
    directory in name order, joined; non-overlapping windows of `window`
    bytes, labels one byte later; split 70/15/15 at random."""
    names = sorted(n for n in os.listdir(LICENSES) if not os.path.islink(f"{LICENSES}/{n}"))
    text = b"".join(open(f"{LICENSES}/{n}", "rb").read() for n in names)
    t = torch.tensor(list(text), dtype=torch.int64)
    n = (len(t) - (window + 1)) // window + 1
    starts = torch.arange(n) * window
    idx = starts[:, None] + torch.arange(window)[None, :]
    x, y = t[idx], t[idx + 1]
    tr, va, te = split(n, [0.70, 0.15], gen)
    return (x[tr], y[tr]), (x[va], y[va]), (x[te], y[te])


class CharRNN(nn.Module):
    """examples/char_lstm: nn.Embedding / nn.LSTM / nn.GRU / nn.Linear with
    PyTorch's default initializations (what Loom's layers reproduce)."""

    def __init__(self, cell):
        super().__init__()
        self.embed = nn.Embedding(128, 64)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(64, 256, batch_first=True)
        self.head = nn.Linear(256, 128)

    def forward(self, x):
        return self.head(self.rnn(self.embed(x))[0])


class CharGPT(nn.Module):
    """examples/char_gpt: three pre-norm causal encoder layers."""

    def __init__(self, window=64, width=128):
        super().__init__()
        self.embed = nn.Embedding(128, width)
        nn.init.normal_(self.embed.weight, 0.0, 0.02)
        self.pos = nn.Parameter(torch.randn(window, width) * 0.02)
        self.blocks = no_attention_dropout(nn.ModuleList(
            nn.TransformerEncoderLayer(width, 4, 512, 0.1, activation="gelu", batch_first=True,
                                       norm_first=True) for _ in range(3)))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, 128)
        self.register_buffer("mask", torch.triu(torch.full((window, window), float("-inf")), 1))

    def forward(self, x):
        h = self.embed(x) + self.pos
        for block in self.blocks:
            h = block(h, src_mask=self.mask)
        return self.head(self.norm(h))


def breast_cancer(gen):
    rows = list(csv.DictReader(open(f"{ROOT}/examples/data/breast_cancer.csv")))
    y = torch.tensor([[float(r.pop("malignant"))] for r in rows])
    x = torch.tensor([[float(v) for v in r.values()] for r in rows])
    tr, va, te = split(len(x), [0.70, 0.15], gen)
    mean, std = x[tr].mean(0), x[tr].std(0, unbiased=False)
    x = (x - mean) / std
    return (x[tr], y[tr]), (x[va], y[va]), (x[te], y[te])


def evaluate(model, data, loss_fn, binary, batch=1024):
    model.eval()
    x, y = data
    total, correct = 0.0, 0.0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out = model(x[i:i + batch])
            t = y[i:i + batch]
            if isinstance(out, tuple):  # karate_gcn: (logits, mask)
                total += loss_fn(out, t).item() * len(t)
                correct += (out[0].argmax(-1) == t).float().mean().item() * len(t)
                continue
            total += loss_fn(out, t).item() * len(t)
            pred = (out > 0).float() if binary else out.argmax(-1)
            correct += (pred == t).float().mean().item() * len(t)
    model.train()
    return total / len(x), correct / len(x)


def fit(model, train, val, loss_fn, binary, lr, batch, epochs, gen, weight_decay=0.0, patience=0,
        params=None):
    """loomc train's loop: Adam, a new shuffle every epoch, then the
    validation loss (the training loss of the current weights when there is
    no validation data); the weights with the lowest one are what training
    leaves (loomc always restores them, with or without early stopping)."""
    opt = torch.optim.Adam(model.parameters() if params is None else params, lr=lr,
                           weight_decay=weight_decay)
    best, best_state, waited = math.inf, None, 0
    for epoch in range(epochs):
        perm = torch.randperm(len(train[0]), generator=gen)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(train[0][idx]), train[1][idx])
            loss.backward()
            opt.step()
        if len(val[0]):
            val_loss, val_acc = evaluate(model, val, loss_fn, binary)
            print(f"epoch {epoch + 1}/{epochs} val loss {val_loss:.4f} accuracy {val_acc:.4f}", flush=True)
        else:
            val_loss, _ = evaluate(model, train, loss_fn, binary)
        if val_loss < best:
            best, best_state, waited = val_loss, {k: v.clone() for k, v in model.state_dict().items()}, 0
        else:
            waited += 1
            if patience and waited >= patience:
                break
    model.load_state_dict(best_state)
    return model


def karate(seed):
    """examples/karate_gcn: the graph normalization of graph_from_edge_list
    (A + I as a set of directed pairs, both directions of every edge,
    weight 1 / sqrt(deg(s) deg(t)), degrees counted at the targets), two
    gcn_layers (Xavier-uniform weight without bias in the dense, zero
    bias), tanh between them, identity features; the loss is the
    cross-entropy over the labeled members of the batch, the accuracy
    counts all of them. Every member is a training row (no validation or
    test split), batch 34: one full-graph step per epoch."""
    edges = [tuple(map(int, r)) for r in csv.reader(open(f"{ROOT}/examples/data/karate_club_edges.csv"))
             if r and r[0].strip().isdigit()]
    n = 34
    pairs = {(i, i) for i in range(n)} | {(s, t) for s, t in edges} | {(t, s) for s, t in edges}
    degree = [0.0] * n
    for s, t in pairs:
        degree[t] += 1.0
    a_hat = torch.zeros(n, n)
    for s, t in pairs:
        a_hat[t, s] = 1.0 / math.sqrt(degree[s] * degree[t])
    rows = list(csv.DictReader(open(f"{ROOT}/examples/karate_gcn/nodes.csv")))
    x = torch.tensor([[int(r["node"]), int(r["labeled"])] for r in rows])
    y = torch.tensor([int(r["club"]) for r in rows])

    class GCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.w1, self.w2 = nn.Parameter(torch.empty(n, 4)), nn.Parameter(torch.empty(4, 2))
            nn.init.xavier_uniform_(self.w1)
            nn.init.xavier_uniform_(self.w2)
            self.b1, self.b2 = nn.Parameter(torch.zeros(4)), nn.Parameter(torch.zeros(2))

        def forward(self, rows):
            h = torch.tanh(a_hat @ self.w1 + self.b1)  # identity features: X W = W
            return (a_hat @ (h @ self.w2) + self.b2)[rows[:, 0]], rows[:, 1].float()

    def loss_fn(out, t):
        logits, mask = out
        picked = F.log_softmax(logits, 1).gather(1, t[:, None])[:, 0]
        return -(picked * mask).sum() / (mask.sum() + 1e-9)

    model = GCN()
    gen = torch.Generator().manual_seed(seed)
    fit(model, (x, y), (x[:0], y[:0]), loss_fn, False, 0.01, 34, 200, gen)
    model.eval()
    with torch.no_grad():
        out = model(x)
        loss, acc = loss_fn(out, y).item(), (out[0].argmax(-1) == y).float().mean().item()
    print(f"train (no test split) loss {loss:.4f}  accuracy {acc:.4f}")


class TransferNet(nn.Module):
    """examples/transfer: LeNet-5's convolutions and fc1 (He-uniform, zero
    biases) and a 5-class Xavier head."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        for c in (self.conv1, self.conv2):
            he_uniform_(c.weight)
            nn.init.zeros_(c.bias)
        self.fc1, self.head = Dense(400, 120, he=True), Dense(120, 5)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x.reshape(-1, 1, 28, 28))), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2).flatten(1)
        return self.head(F.relu(self.fc1(h)))


def transfer(seed, variant, loss_fn):
    """Pretrain on classes 0-4 (val 0.1, 1 epoch, batch 64, Adam 2e-3), then
    a fresh model takes conv1, conv2 and fc1 from it (--init-partial; the
    head is new), conv1 and conv2 frozen (no gradient, no optimizer state),
    and trains on the first 500 images of classes 5-9 (val 0.1, 20 epochs,
    batch 32, Adam 2e-3). variant "scratch": the second phase alone."""
    gen = torch.Generator().manual_seed(seed)
    finetuned = TransferNet()
    params = None
    if variant != "scratch":
        x, y = fashion("train", [0, 1, 2, 3, 4])
        tr, va = split(len(x), [0.9], gen)
        pre = fit(TransferNet(), (x[tr], y[tr]), (x[va], y[va]), loss_fn, False, 2e-3, 64, 1, gen)
        state = {k: v for k, v in pre.state_dict().items() if not k.startswith("head.")}
        finetuned.load_state_dict(state, strict=False)
        for c in (finetuned.conv1, finetuned.conv2):
            c.requires_grad_(False)
        params = [p for p in finetuned.parameters() if p.requires_grad]
    x, y = fashion("train", [5, 6, 7, 8, 9], 500)
    tr, va = split(len(x), [0.9], gen)
    fit(finetuned, (x[tr], y[tr]), (x[va], y[va]), loss_fn, False, 2e-3, 32, 20, gen, params=params)
    return finetuned, fashion("test", [5, 6, 7, 8, 9])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("example")
    ap.add_argument("seed", type=int)
    ap.add_argument("--epochs", type=int)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--variant", default="")
    a = ap.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(2)
    if a.example == "karate_gcn":
        return karate(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    binary = a.example in ("image_logistic", "regularization")
    loss_fn = F.binary_cross_entropy_with_logits if binary else \
        (lambda out, t: F.cross_entropy(out.reshape(-1, out.shape[-1]), t.reshape(-1)))
    if a.example == "transfer":
        model, test = transfer(a.seed, a.variant, loss_fn)
        test_loss, test_acc = evaluate(model, test, loss_fn, False)
        print(f"test loss {test_loss:.4f} accuracy {test_acc:.4f}")
        return
    weight_decay, patience = 0.0, 0
    if a.example == "regularization":
        train, val, test = breast_cancer(gen)
        model, lr, batch, epochs = regularization(a.variant), 1e-3, 32, 100
        weight_decay = 0.01 if a.variant == "l2" else 0.0
        patience = 10 if a.variant == "dropout_early" else 0
    elif a.example.startswith("char_"):
        train, val, test = text_windows(gen)
        model, lr, batch, epochs = {
            "char_lstm": (CharRNN("lstm"), 2e-3, 32, 2),
            "char_gru": (CharRNN("gru"), 2e-3, 32, 2),
            "char_gpt": (CharGPT(), 1e-3, 32, 5),
        }[a.example]
    else:
        classes = [2, 4] if a.example == "image_logistic" else None
        x, y = fashion("train", classes, a.limit)
        tr, va = split(len(x), [0.9], gen)
        train, val = (x[tr], y[tr]), (x[va], y[va])
        test = fashion("test", classes)
        if binary:
            train, val, test = [(d[0], d[1].float().unsqueeze(1)) for d in (train, val, test)]
        model, lr, batch, epochs = {
            "image_logistic": (image_logistic(), 1e-3, 64, 5),
            "fashion_transformer": (Transformer(), 1e-3, 64, 3),
            "fashion_resnet": (ResNet(), 1e-3, 64, 1),
            "fashion_lenet": (LeNet(), 2e-3, 64, 1),
        }[a.example]
    fit(model, train, val, loss_fn, binary, lr, batch, a.epochs or epochs, gen, weight_decay, patience)
    test_loss, test_acc = evaluate(model, test, loss_fn, binary)
    print(f"test loss {test_loss:.4f} accuracy {test_acc:.4f}")


if __name__ == "__main__":
    main()

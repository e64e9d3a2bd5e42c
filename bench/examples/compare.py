#!/usr/bin/env python3
"""Trains each example with loomc and its PyTorch twin; writes the table.

usage: compare.py LOOMC [--seeds N] [--only NAME,...] [--out docs/examples.md]

For every example (the commands below, the same as the examples' READMEs)
and seeds 0..N-1: `loomc train ... --seed S` and
`torch_reference.py EXAMPLE S`, each reporting its test loss and accuracy
(PRE lists loomc runs an example needs first, e.g. transfer's pretraining).
Classifiers are compared on test accuracy (the issue asks for the means
within 1 percentage point), language models on test loss (within 3%).
Results accumulate in docs/examples.json (one entry per example, replaced
when it is run again), so `--only` runs one example without losing the
others; the table in the markdown file is rewritten from all of them
between its <!-- table --> markers, leaving the text around it alone.
Runs one job at a time (2 cores).
"""
import argparse
import json
import datetime
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BC = f"csv={ROOT}/examples/data/breast_cancer.csv,label=malignant,standardize"

TEXT = "text=/usr/share/common-licenses"

# name: (model file args, loomc train args, torch_reference args, description
# [, "loss" for language models])
EXAMPLES = {
    "image_logistic": (
        ["examples/image_logistic/model.cpp"],
        "--data fashion-mnist,classes=2:4 --val-fraction 0.1 --epochs 5 --batch 64 --optimizer adam --lr 0.001",
        ["image_logistic"], "pullover vs coat, 784 -> 1, Adam 1e-3, batch 64, 5 epochs"),
    "fashion_lenet": (
        ["examples/fashion_lenet/model.cpp"],
        "--data fashion-mnist --val-fraction 0.1 --epochs 1 --batch 64 --optimizer adam --lr 0.002",
        ["fashion_lenet"], "LeNet-5, Adam 2e-3, batch 64, 1 epoch"),
    "regularization (plain)": (
        ["examples/regularization/model.cpp", "--model", "mlp_plain"],
        f"--data {BC} --epochs 100 --batch 32 --optimizer adam --lr 0.001",
        ["regularization", "--variant", "plain"], "30-512-512-1 MLP, Adam 1e-3, batch 32, 100 epochs"),
    "regularization (L2 0.01)": (
        ["examples/regularization/model.cpp", "--model", "mlp_plain"],
        f"--data {BC} --epochs 100 --batch 32 --optimizer adam --lr 0.001 --weight-decay 0.01",
        ["regularization", "--variant", "l2"], "the same with weight decay 0.01"),
    "regularization (dropout 0.5)": (
        ["examples/regularization/model.cpp", "--model", "mlp_dropout"],
        f"--data {BC} --epochs 100 --batch 32 --optimizer adam --lr 0.001",
        ["regularization", "--variant", "dropout"], "the same with dropout 0.5"),
    "regularization (dropout + early stopping)": (
        ["examples/regularization/model.cpp", "--model", "mlp_dropout"],
        f"--data {BC} --epochs 100 --batch 32 --optimizer adam --lr 0.001 --early-stopping 10",
        ["regularization", "--variant", "dropout_early"], "dropout, patience 10 on the validation loss"),
    "fashion_transformer": (
        ["examples/fashion_transformer/model.cpp"],
        "--data fashion-mnist --val-fraction 0.1 --epochs 3 --batch 64 --optimizer adam --lr 0.001",
        ["fashion_transformer"], "2 encoder layers, d 64, 4 heads, ff 128, Adam 1e-3, batch 64, 3 epochs"),
    "fashion_resnet": (
        ["examples/fashion_resnet/model.cpp"],
        "--data fashion-mnist,limit=12000 --val-fraction 0.1 --epochs 1 --batch 64 --optimizer adam --lr 0.001",
        ["fashion_resnet", "--limit", "12000"], "stem + 3 basic blocks (16/32/64), first 12,000 images, Adam 1e-3, batch 64, 1 epoch"),
    "char_lstm": (
        ["examples/char_lstm/model.cpp", "--model", "char_lstm"],
        f"--data {TEXT} --epochs 2 --batch 32 --optimizer adam --lr 0.002",
        ["char_lstm"], "64 bytes, embed 64, LSTM 256, Adam 2e-3, batch 32, 2 epochs", "loss"),
    "char_gru": (
        ["examples/char_lstm/model.cpp", "--model", "char_gru"],
        f"--data {TEXT} --epochs 2 --batch 32 --optimizer adam --lr 0.002",
        ["char_gru"], "the same with a GRU", "loss"),
    "char_gpt": (
        ["examples/char_gpt/model.cpp"],
        f"--data {TEXT} --epochs 5 --batch 32 --optimizer adam --lr 0.001",
        ["char_gpt"], "64 bytes, 3 pre-norm causal layers, d 128, 4 heads, ff 512, Adam 1e-3, batch 32, 5 epochs",
        "loss"),
    "karate_gcn": (
        ["examples/karate_gcn/model.cpp"],
        "--data csv=examples/karate_gcn/nodes.csv,label=club --val-fraction 0 --test-fraction 0 "
        "--batch 34 --epochs 200 --optimizer adam --lr 0.01",
        ["karate_gcn"], "2 GCN layers (34 -> 4 -> 2, tanh), 2 labeled members, Adam 1e-2, batch 34, 200 epochs"),
    "transfer (fine-tuned)": (
        ["examples/transfer/model.cpp", "--model", "finetune"],
        "--data fashion-mnist,classes=5:6:7:8:9,limit=500 --val-fraction 0.1 --epochs 20 --batch 32 "
        "--optimizer adam --lr 0.002 --init {tmp}/pre.safetensors --init-partial --freeze conv1,conv2",
        ["transfer"], "LeNet body pretrained on classes 0-4 (1 epoch, batch 64), frozen conv1/conv2, new head, "
        "500 images of classes 5-9, Adam 2e-3, batch 32, 20 epochs"),
    "transfer (from scratch)": (
        ["examples/transfer/model.cpp", "--model", "finetune"],
        "--data fashion-mnist,classes=5:6:7:8:9,limit=500 --val-fraction 0.1 --epochs 20 --batch 32 "
        "--optimizer adam --lr 0.002",
        ["transfer", "--variant", "scratch"], "the same 500 images, no pretraining"),
}

# What a row is compared on when it is not the test split's metric.
COMPARED_ON = {"karate_gcn": "accuracy over all 34 members (no test split)"}

# Preliminary `loomc train` runs (model file args, loomc train args) before
# an example's own, with the same seed; {tmp} is a temporary directory the
# runs share (and the example's own arguments may name). Their time counts
# in the example's Loom time.
PRE = {
    "transfer (fine-tuned)": [
        (["examples/transfer/model.cpp", "--model", "pretrain"],
         "--data fashion-mnist,classes=0:1:2:3:4 --val-fraction 0.1 --epochs 1 --batch 64 "
         "--optimizer adam --lr 0.002 --checkpoint {tmp}/pre.safetensors"),
    ],
}


def test_line(text):
    """(loss, accuracy) from the `test loss L  accuracy A` line (or, for a
    model trained on all its data, `train (no test split) loss L ...`)."""
    lines = [l for l in text.splitlines() if l.startswith(("test", "train (no test split)"))]
    m = re.search(r"loss (-?[0-9.]+)\s+accuracy (-?[0-9.]+)", lines[-1]) if lines else None
    if not m:
        raise RuntimeError("no test loss and accuracy in output:\n" + text[-2000:])
    return float(m.group(1)), float(m.group(2))


def within(metric, loom, torch):
    if metric == "loss":
        return abs(loom - torch) <= 0.03 * torch
    return abs(loom - torch) <= 0.01


def table(results):
    rows = ["| example | setup | compared on | Loom (per seed) | PyTorch (per seed) | Loom mean | "
            "PyTorch mean | difference | within bound | s per run (Loom / PyTorch) | run on |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name in EXAMPLES:
        r = results.get(name)
        if not r:
            continue
        metric = r["metric"]
        la, ta = r["loom"], r["torch"]
        lm, tm = statistics.mean(la), statistics.mean(ta)
        if metric == "loss":
            diff = f"{100 * (lm - tm) / tm:+.1f}% (bound 3%)"
        else:
            diff = f"{100 * (lm - tm):+.2f} pp (bound 1 pp)"
        rows.append(f"| {name} | {r['what']} | {COMPARED_ON.get(name, 'test ' + metric)} | {', '.join(f'{v:.4f}' for v in la)} | "
                    f"{', '.join(f'{v:.4f}' for v in ta)} | {lm:.4f} | {tm:.4f} | {diff} | "
                    f"{'yes' if within(metric, lm, tm) else 'no'} | {r['loom_s']:.0f} / {r['torch_s']:.0f} | "
                    f"{r['date']} |")
    return "\n".join(rows) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("loomc")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=f"{ROOT}/docs/examples.md")
    a = ap.parse_args()
    store = os.path.splitext(a.out)[0] + ".json"
    results = json.load(open(store)) if os.path.exists(store) else {}
    names = [n for n in EXAMPLES if not a.only or n.split(" ")[0] in a.only.split(",")]
    for name in names:
        model, loom_args, torch_args, what, *rest = EXAMPLES[name]
        metric = rest[0] if rest else "accuracy"
        pick = 0 if metric == "loss" else 1
        loom_v, torch_v, loom_s, torch_s = [], [], [], []
        for seed in range(a.seeds):
            t = time.time()
            with tempfile.TemporaryDirectory() as tmp:
                for pre_model, pre_args in PRE.get(name, []) + [(model, loom_args)]:
                    out = subprocess.run([a.loomc, "train", *pre_model, *pre_args.format(tmp=tmp).split(),
                                          "--seed", str(seed), "--no-progress"],
                                         cwd=ROOT, capture_output=True, text=True)
                    if out.returncode:
                        sys.exit(f"{name}: loomc failed:\n{out.stderr}")
            loom_v.append(test_line(out.stdout)[pick])
            loom_s.append(time.time() - t)
            t = time.time()
            out = subprocess.run(["/usr/bin/python3", f"{HERE}/torch_reference.py", *torch_args, str(seed)],
                                 capture_output=True, text=True)
            if out.returncode:
                sys.exit(f"{name}: torch failed:\n{out.stderr}")
            torch_v.append(test_line(out.stdout)[pick])
            torch_s.append(time.time() - t)
            print(f"{name} seed {seed}: test {metric} loom {loom_v[-1]:.4f} ({loom_s[-1]:.0f} s) "
                  f"torch {torch_v[-1]:.4f} ({torch_s[-1]:.0f} s)", flush=True)
        results[name] = {"what": what, "metric": metric, "loom": loom_v, "torch": torch_v,
                         "loom_s": statistics.mean(loom_s), "torch_s": statistics.mean(torch_s),
                         "date": str(datetime.date.today()), "seeds": a.seeds}
        with open(store, "w") as f:
            json.dump(results, f, indent=1)

    doc = open(a.out).read() if os.path.exists(a.out) else "# Examples: Loom against PyTorch\n\n<!-- table -->\n<!-- end table -->\n"
    before, rest = doc.split("<!-- table -->", 1)
    after = rest.split("<!-- end table -->", 1)[1]
    with open(a.out, "w") as f:
        f.write(before + "<!-- table -->\n" + table(results) + "<!-- end table -->" + after)
    print(f"wrote {a.out} and {store}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Loom against its peers, side by side, in one run (`make bench`).

Waits for an idle machine, then for every workload interleaves Loom
(`loomc bench`) and PyTorch (Debian's python3-torch, 2 intra-op threads)
runs, takes the median ms per step after warm-up, and reports the ratio
PyTorch / Loom (> 1 means Loom is faster). Also: square matmul GFLOP/s of
Loom against OpenBLAS sgemm (numpy) on 1 and 2 threads, and compile time.
Writes docs/performance.md. Only the workloads whose ops Loom has today are
run; the others are listed as not yet measurable.

usage: run_bench.py LOOMC [--quick]
"""
import datetime
import os
import platform
import re
import statistics
import subprocess
import sys
import time

LOOMC = sys.argv[1]
QUICK = "--quick" in sys.argv
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = os.path.join(HERE, "models", "workloads.cpp")
PY = "/usr/bin/python3"


def cpu_busy(seconds=1.0):
    """Share of CPU time used by all processes over `seconds`."""
    def snap():
        v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        return sum(v), v[3] + v[4]
    t0, i0 = snap()
    time.sleep(seconds)
    t1, i1 = snap()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


def wait_for_idle(limit=0.10, timeout=300):
    start = time.time()
    while True:
        busy = cpu_busy()
        if busy < limit or time.time() - start > timeout:
            return busy
        print(f"waiting for an idle machine (CPU {busy:.0%} busy)", flush=True)


def loom(model, batch, optimizer="sgd", entry="both"):
    out = subprocess.run([LOOMC, "bench", WORKLOADS, "--model", model, "--batch", str(batch),
                          "--optimizer", optimizer, "--entry", entry,
                          "--min-seconds", "0.5" if QUICK else "2"],
                         check=True, capture_output=True, text=True).stdout
    res = {}
    for line in out.splitlines():
        m = re.search(r"entry=(\w+) median_ms=([0-9.]+)", line)
        if m:
            res[m.group(1)] = float(m.group(2))
        m = re.search(r"compile_s=([0-9.]+)", line)
        if m:
            res["compile_s"] = float(m.group(1))
        m = re.search(r"peak_rss_kb=([0-9]+)", line)
        if m:
            res["rss_kb"] = int(m.group(1))
    return res


def torch_peer(workload, batch, optimizer, env_extra):
    env = dict(os.environ, **env_extra)
    out = subprocess.run([PY, os.path.join(HERE, "torch_peer.py"), workload, str(batch), optimizer,
                          "0.5" if QUICK else "2"],
                         check=True, capture_output=True, text=True, env=env).stdout
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", out)}


def main():
    busy = wait_for_idle()
    rows, notes = [], []
    # OpenBLAS's own threads either fight torch's or not: measure both, keep the faster.
    blas_env = {"1 OpenBLAS thread": {"OPENBLAS_NUM_THREADS": "1"}, "default OpenBLAS threads": {}}
    for name, model, batch, opt in (("logistic regression 30->1, BCE, SGD", "logistic", 569, "sgd"),
                                    ("MLP 784-256-128-10, batch 64, momentum", "mlp", 64, "momentum"),
                                    ("MLP 784-256-128-10, batch 256, momentum", "mlp", 256, "momentum")):
        l, t = [], []
        for _ in range(1 if QUICK else 3):  # interleaved repeats
            l.append(loom(model, batch, opt))
            t.append(min((torch_peer(model, batch, opt, env) for env in blas_env.values()),
                         key=lambda r: r["train_ms"]))
        lm = {k: statistics.median(r[k] for r in l) for k in ("train_step", "forward")}
        tm = {k: statistics.median(r[k] for r in t) for k in ("train_ms", "forward_ms")}
        rows.append((name, tm["train_ms"], lm["train_step"], tm["forward_ms"], lm["forward"],
                     l[-1]["rss_kb"], t[-1].get("rss_kb", 0)))
    mm = []
    for n in (128, 256, 512, 1024):
        ms = loom("matmul", n, entry="forward")["forward"]
        blas = {th: torch_peer("sgemm", n, "none", {"OPENBLAS_NUM_THREADS": str(th)})["forward_ms"] for th in (1, 2)}
        flop = 2.0 * n ** 3
        mm.append((n, flop / ms / 1e6, flop / blas[1] / 1e6, flop / blas[2] / 1e6))
    cold = subprocess.run(["bash", "-c", f"export LOOM_CACHE_DIR=$(mktemp -d); /usr/bin/time -f %e {LOOMC} emit {WORKLOADS} --model mlp --stage llvm > /dev/null; /usr/bin/time -f %e {LOOMC} emit {WORKLOADS} --model mlp --stage llvm >/dev/null"],
                          capture_output=True, text=True).stderr.split()

    lines = [f"# Performance", "",
             f"Measured by `make bench` (bench/run_bench.py) on {datetime.date.today()}, "
             f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; CPU busy before the run: {busy:.0%}. "
             f"Loom runs single-threaded today; PyTorch {subprocess.run([PY, '-c', 'import torch; print(torch.__version__)'], capture_output=True, text=True).stdout.strip()} "
             "with 2 intra-op threads and whichever OpenBLAS threading was faster.", "",
             "| workload | PyTorch train ms | Loom train ms | ratio | PyTorch forward ms | Loom forward ms | ratio | Loom peak RSS MB |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, tt, lt, tf, lf, rss, _ in rows:
        lines.append(f"| {name} | {tt:.3f} | {lt:.3f} | {tt / lt:.2f} | {tf:.3f} | {lf:.3f} | {tf / lf:.2f} | {rss / 1024:.0f} |")
    geo = statistics.geometric_mean(r[1] / r[2] for r in rows)
    lines += ["", f"Geometric mean of the training ratios: {geo:.2f}.", "",
              "| n | Loom GFLOP/s (1 thread) | OpenBLAS 1 thread | OpenBLAS 2 threads | Loom / OpenBLAS 2 threads |",
              "| --- | --- | --- | --- | --- |"]
    for n, lg, b1, b2 in mm:
        lines.append(f"| {n} | {lg:.1f} | {b1:.1f} | {b2:.1f} | {lg / b2:.2f} |")
    lines += ["", f"Compile time of the MLP (model-file build, graph and lowering to the LLVM dialect, `loomc emit --stage llvm`; the JIT adds about 1 s, see `loomc bench`'s compile_s): "
              f"cold {cold[0]} s, with the model-file cache {cold[1]} s.", "",
              "Not yet measurable (ops missing): LeNet-5, ResNet stem, LSTM, Transformer encoder layer, "
              "the Fashion-MNIST epoch against a DataLoader loop.", ""]
    open(os.path.join(ROOT, "docs", "performance.md"), "w").write("\n".join(lines))
    print("\n".join(lines))


main()

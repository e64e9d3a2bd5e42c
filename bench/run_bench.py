#!/usr/bin/env python3
"""Loom against its peers, side by side, in one run (`make bench`).

Waits for an idle machine (recording what else is running), then:

- for every workload of issue 5 (bench/models/workloads.cpp and the same
  networks in bench/torch_peer.py) interleaves Loom (`loomc bench`) and
  PyTorch (Debian's python3-torch, 2 intra-op threads, once with
  OPENBLAS_NUM_THREADS=1 and once with OpenBLAS's default, the faster kept
  and named), takes the median ms per step after warm-up of the training
  step and of the forward pass, and reports the ratio PyTorch / Loom
  (> 1 means Loom is faster), plus the memory of the training step;
- one epoch of the Fashion-MNIST MLP end to end (`loomc train` against a
  PyTorch DataLoader loop), process wall time;
- square matmul GFLOP/s of Loom (LOOM_NUM_THREADS=1 and 2) against
  OpenBLAS sgemm (numpy) on 1 and 2 threads, and the FMA peak when
  loom-gemm-bench is built next to loomc (or named by $LOOM_GEMM_BENCH);
- compile time from model file to a ready training step, cold (empty
  LOOM_CACHE_DIR) and cached.

Writes docs/performance.md with the date, the machine and the commands.

usage: run_bench.py LOOMC [--quick]
  --quick: one round and short timings, to check that everything runs.
"""
import datetime
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LOOMC = os.path.abspath(sys.argv[1])
QUICK = "--quick" in sys.argv
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WORKLOADS = os.path.join(HERE, "models", "workloads.cpp")
FASHION_MLP = os.path.join(ROOT, "examples", "fashion_mlp", "model.cpp")
GEMM_BENCH = os.environ.get("LOOM_GEMM_BENCH", os.path.join(os.path.dirname(LOOMC), "loom-gemm-bench"))
PY = "/usr/bin/python3"
ROUNDS = 1 if QUICK else 3  # interleaved Loom / PyTorch rounds per workload
MIN_S = 0.3 if QUICK else 1.5  # timing per entry and call of each side
BLAS = {"1 thread": {"OPENBLAS_NUM_THREADS": "1"}, "default": {}}

# (table name, workloads.cpp / torch_peer.py model, batch, optimizer)
WORKLOAD_ROWS = (
    ("logistic regression 30->1, batch 569, BCE, SGD", "logistic", 569, "sgd"),
    ("MLP 784-256-128-10, batch 64, momentum", "mlp", 64, "momentum"),
    ("MLP 784-256-128-10, batch 256, momentum", "mlp", 256, "momentum"),
    ("LeNet-5 1x28x28, batch 64, momentum", "lenet", 64, "momentum"),
    ("ResNet stem + 3 basic blocks (16 ch) 3x32x32, batch 32, momentum", "resnet", 32, "momentum"),
    ("LSTM 64->128, seq 32, batch 32, Adam", "lstm", 32, "adam"),
    ("Transformer encoder layer d256 h4 ff1024, seq 128, batch 8, Adam", "transformer", 8, "adam"),
)
EPOCH_ARGS = ["--data", "fashion-mnist", "--val-fraction", "0.1", "--epochs", "1", "--batch", "64",
              "--optimizer", "adam", "--lr", "0.001"]
commands = []  # one example of each command the run used, for the report
waited = []  # seconds spent waiting for an idle machine


def note(cmd, env_extra=None):
    """Records `cmd` for the report unless one like it (other model, batch,
    optimizer or thread count) is there already."""
    tmp = tempfile.gettempdir() + "/loom-bench-cache-"
    env = [f"{k}={'$CACHE' if v.startswith(tmp) else v}" for k, v in (env_extra or {}).items()]
    line = " ".join(env + [os.path.relpath(c, ROOT) if c.startswith(ROOT) else c for c in cmd])
    like = lambda text: re.sub(r"\b(\d+(\.\d+)?|logistic|mlp|lenet|resnet|lstm|transformer|sgd|momentum|adam)\b",
                               "_", text)
    if like(line) not in map(like, commands):
        commands.append(line)


def run(cmd, env_extra=None, record=True):
    if record:
        note(cmd, env_extra)
    return subprocess.run(cmd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, **(env_extra or {}))).stdout


def cpu_busy(seconds=1.0):
    """Share of all CPUs used over `seconds`, and the processes using it."""
    def snap():
        v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
        procs = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                stat = open(f"/proc/{pid}/stat").read()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            procs[pid] = (name, int(rest[11]) + int(rest[12]))  # utime + stime, ticks
        return sum(v), v[3] + v[4], procs
    t0, i0, p0 = snap()
    time.sleep(seconds)
    t1, i1, p1 = snap()
    ticks = os.sysconf("SC_CLK_TCK") * seconds
    users = {}
    for pid, (name, t) in p1.items():
        if pid in p0 and pid != str(os.getpid()):
            users[name] = users.get(name, 0) + (t - p0[pid][1]) / ticks
    top = sorted(((u, n) for n, u in users.items() if u >= 0.05), reverse=True)[:5]
    return 1.0 - (i1 - i0) / max(1, t1 - t0), ", ".join(f"{n} {u:.0%}" for u, n in top)


def wait_for_idle(limit=0.10, timeout=60 if QUICK else 600):
    """(CPU busy, who is busy) once the machine is idle or `timeout`
    has passed."""
    start = time.time()
    while True:
        busy, who = cpu_busy()
        if busy < limit or time.time() - start > timeout:
            waited.append(time.time() - start)
            return busy, who
        print(f"waiting for an idle machine (CPU {busy:.0%} busy: {who})", flush=True)
        time.sleep(4)


def parse(out):
    res = {}
    for line in out.splitlines():
        if m := re.search(r"entry=(\w+) median_ms=([0-9.]+)", line):
            res[m.group(1)] = float(m.group(2))
        for k, v in re.findall(r"\b(compile_s|peak_rss_kb|rss_kb|base_kb|step_peak_kb|train_ms|forward_ms|epoch_s)=([0-9.]+)",
                               line):
            res[k] = float(v)
    return res


def loom(model, batch, optimizer="sgd", entry="both", env_extra=None, file=WORKLOADS):
    return parse(run([LOOMC, "bench", file, "--model", model, "--batch", str(batch), "--optimizer", optimizer,
                      "--entry", entry, "--min-seconds", str(MIN_S), "--steps", "5", "--warmup", "2"],
                     env_extra))


def torch_peer(workload, batch, optimizer, env_extra):
    return parse(run([PY, os.path.join(HERE, "torch_peer.py"), workload, str(batch), optimizer, str(MIN_S)],
                     env_extra))


def wall(cmd, env_extra=None):
    t = time.perf_counter()
    out = run(cmd, env_extra)
    return time.perf_counter() - t, out


def workloads():
    rows = []
    for name, model, batch, opt in WORKLOAD_ROWS:
        # A busy core hurts PyTorch's OpenMP threads most: wait again (briefly).
        busy = wait_for_idle(timeout=10 if QUICK else 120)[0]
        print(f"workload: {name} (CPU {busy:.0%} busy before)", flush=True)
        lo, to = [], {b: [] for b in BLAS}
        for _ in range(ROUNDS):
            lo.append(loom(model, batch, opt))
            for b, env in BLAS.items():
                to[b].append(torch_peer(model, batch, opt, env))
        med = lambda runs, k: statistics.median(r[k] for r in runs)
        blas = min(BLAS, key=lambda b: med(to[b], "train_ms"))
        t = to[blas]
        rows.append(dict(name=name, blas=blas, busy=busy, torch_train=med(t, "train_ms"), loom_train=med(lo, "train_step"),
                         torch_fwd=med(t, "forward_ms"), loom_fwd=med(lo, "forward"),
                         loom_step_mb=(lo[-1]["step_peak_kb"] - lo[-1]["base_kb"]) / 1024,
                         torch_step_mb=(t[-1]["step_peak_kb"] - t[-1]["base_kb"]) / 1024,
                         loom_rss_mb=lo[-1]["peak_rss_kb"] / 1024, torch_rss_mb=t[-1]["rss_kb"] / 1024,
                         other_blas=med(to[next(b for b in BLAS if b != blas)], "train_ms")))
    return rows


def fashion_epoch():
    """Process wall time of one epoch, compile cached (a tiny run first)."""
    print("Fashion-MNIST epoch", flush=True)
    cache = tempfile.mkdtemp(prefix="loom-bench-cache-")
    env = {"LOOM_CACHE_DIR": cache}
    warm = [LOOMC, "train", FASHION_MLP] + EPOCH_ARGS
    # 1,120 images leave the same partial batches as the full set (a 112-image
    # validation split, like 6,000, ends in 48), so every module is cached.
    warm[warm.index("fashion-mnist")] = "fashion-mnist,limit=1120"
    run(warm, env)
    lo, to = [], {b: [] for b in BLAS}
    for _ in range(ROUNDS - 1 or 1):
        lo.append(wall([LOOMC, "train", FASHION_MLP] + EPOCH_ARGS, env)[0])
        for b, benv in BLAS.items():
            to[b].append(wall([PY, os.path.join(HERE, "torch_peer.py"), "fashion_epoch", "64", "adam", "0"], benv)[0])
    shutil.rmtree(cache, ignore_errors=True)
    blas = min(BLAS, key=lambda b: statistics.median(to[b]))
    return dict(loom=statistics.median(lo), torch=statistics.median(to[blas]), blas=blas)


def matmuls():
    print("matmul", flush=True)
    mm = []
    for n in (128, 256, 512, 1024):
        flop = 2.0 * n ** 3
        gf = lambda ms: flop / ms / 1e6
        row = {"n": n}
        for th in (1, 2):
            row[f"loom{th}"] = gf(loom("matmul", n, entry="forward", env_extra={"LOOM_NUM_THREADS": str(th)})["forward"])
            row[f"blas{th}"] = gf(torch_peer("sgemm", n, "none", {"OPENBLAS_NUM_THREADS": str(th)})["forward_ms"])
        mm.append(row)
    peak = {}
    if os.access(GEMM_BENCH, os.X_OK):
        try:
            for th, gflops in re.findall(r"^peak threads=(\d+) gflops=([0-9.]+)", run([GEMM_BENCH, "peak"]), re.M):
                peak[int(th)] = float(gflops)
        except subprocess.CalledProcessError as e:
            print(f"{GEMM_BENCH} failed: {e.stderr}", flush=True)
    return mm, peak


def compile_times():
    """Model file to a ready training step, per workload: a fresh cache
    (model-file build and object code), then the same cache again."""
    print("compile times", flush=True)
    out = []
    for name, model, batch, opt in WORKLOAD_ROWS:
        if (QUICK and model != "mlp") or any(o["model"] == model for o in out):
            continue
        cache = tempfile.mkdtemp(prefix="loom-bench-cache-")
        cmd = [LOOMC, "bench", WORKLOADS, "--model", model, "--batch", str(batch), "--optimizer", opt,
               "--entry", "train_step", "--steps", "1", "--warmup", "0", "--min-seconds", "0"]
        cold_wall, cold = wall(cmd, {"LOOM_CACHE_DIR": cache})
        warm_wall, warm = wall(cmd, {"LOOM_CACHE_DIR": cache})
        shutil.rmtree(cache, ignore_errors=True)
        out.append(dict(model=model, cold_wall=cold_wall, cold=parse(cold)["compile_s"],
                        warm_wall=warm_wall, warm=parse(warm)["compile_s"]))
    return out


def machine():
    model = re.search(r"Model name:\s*(.+)", run(["lscpu"], record=False))
    return f"{model.group(1).strip() if model else os.uname().machine}, {os.cpu_count()} CPUs"


def report(busy, busy_after, rows, epoch, mm, peak, comp, started):
    f2 = lambda x: f"{x:.2f}"
    f3 = lambda x: f"{x:.3f}"
    torch_version = run([PY, "-c", "import torch; print(torch.__version__)"], record=False).strip()
    lines = [
        "# Performance", "",
        f"Measured by `make bench` (bench/run_bench.py{' --quick' if QUICK else ''}) on {started:%Y-%m-%d %H:%M}, "
        f"{machine()}: {(datetime.datetime.now() - started).total_seconds() / 60 - sum(waited) / 60:.1f} minutes "
        f"of measurements and {sum(waited) / 60:.1f} waiting for an idle machine. "
        f"CPU busy before the run: {busy[0]:.0%}{f' ({busy[1]})' if busy[1] else ''}; after: "
        f"{busy_after[0]:.0%}{f' ({busy_after[1]})' if busy_after[1] else ''}. "
        f"Loom uses LOOM_NUM_THREADS' default (all cores) outside the matmul table; PyTorch {torch_version} runs "
        f"with 2 intra-op threads and OPENBLAS_NUM_THREADS=1 or OpenBLAS's default, whichever trained faster "
        f"(column BLAS). Times are medians over {ROUNDS} interleaved round{'s' if ROUNDS > 1 else ''} of each side's "
        f"median ms per call after a warm-up (at least {MIN_S} s of calls per entry); ratio = PyTorch / Loom, "
        "> 1 means Loom is faster. Forward is inference (PyTorch: eval() under no_grad).", "",
        "| workload | PyTorch train ms | Loom train ms | ratio | PyTorch forward ms | Loom forward ms | ratio "
        "| BLAS (other setting's train ms) | CPU busy before |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['name']} | {f3(r['torch_train'])} | {f3(r['loom_train'])} | "
                     f"{f2(r['torch_train'] / r['loom_train'])} | {f3(r['torch_fwd'])} | {f3(r['loom_fwd'])} | "
                     f"{f2(r['torch_fwd'] / r['loom_fwd'])} | {r['blas']} ({f3(r['other_blas'])}) | {r['busy']:.0%} |")
    geo = statistics.geometric_mean(r["torch_train"] / r["loom_train"] for r in rows)
    geo_f = statistics.geometric_mean(r["torch_fwd"] / r["loom_fwd"] for r in rows)
    slower = [f"{r['name'].split(',')[0]} {r['loom_train'] / r['torch_train']:.1f}x" for r in rows
              if r["loom_train"] > r["torch_train"]]
    lines += ["", f"Geometric mean of the training ratios: {geo:.2f} (forward: {geo_f:.2f}). "
              f"Loom trains slower than PyTorch on: {', '.join(slower) if slower else 'none'}.", "",
              "One epoch of the Fashion-MNIST MLP end to end (process wall time: start-up, reading the IDX files, "
              "54,000 training images in batches of 64 with Adam, validation and test evaluation; Loom's compile "
              "cached): "
              f"PyTorch DataLoader loop {epoch['torch']:.2f} s (BLAS {epoch['blas']}), `loomc train` "
              f"{epoch['loom']:.2f} s, ratio {epoch['torch'] / epoch['loom']:.2f}.", "",
              "Memory of the training step: the peak RSS from just before the model's parameters exist through "
              "the timed training steps, less the RSS at that point (the compiler's or torch's libraries), "
              "i.e. parameters, optimizer state, data and the step's buffers. The process peak is ru_maxrss "
              "of the whole process (Loom: including the MLIR/LLVM compile).", "",
              "| workload | PyTorch step MB | Loom step MB | PyTorch process peak MB | Loom process peak MB |",
              "| --- | --- | --- | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['name'].split(',')[0]}, batch {r['name'].split('batch ')[1].split(',')[0]} | "
                     f"{r['torch_step_mb']:.1f} | {r['loom_step_mb']:.1f} | {r['torch_rss_mb']:.0f} | "
                     f"{r['loom_rss_mb']:.0f} |")
    shown = os.path.relpath(GEMM_BENCH, ROOT) if GEMM_BENCH.startswith(ROOT) else GEMM_BENCH
    peak_note = (f"FMA peak measured by `{shown} peak`: "
                 + ", ".join(f"{p:.1f} GFLOP/s on {t} thread{'s' if t > 1 else ''}" for t, p in sorted(peak.items()))
                 if peak else "FMA peak: not measured (loom-gemm-bench is not built next to loomc)")
    lines += ["", "Square matmul C = A B, GFLOP/s (Loom: `loomc bench --model matmul`, the forward call "
              "including its output allocation; OpenBLAS: numpy's sgemm). " + peak_note + ".", "",
              "| n | Loom 1 thread | OpenBLAS 1 thread | Loom 2 threads | OpenBLAS 2 threads | Loom / OpenBLAS, "
              "2 threads |" + (" Loom 1 thread / peak |" if 1 in peak else ""),
              "| --- | --- | --- | --- | --- | --- |" + (" --- |" if 1 in peak else "")]
    for r in mm:
        lines.append(f"| {r['n']} | {r['loom1']:.1f} | {r['blas1']:.1f} | {r['loom2']:.1f} | {r['blas2']:.1f} | "
                     f"{r['loom2'] / r['blas2']:.2f} |" + (f" {r['loom1'] / peak[1]:.0%} |" if 1 in peak else ""))
    lines += ["", "Compile time from model file to a ready training step (`loomc bench ... --entry train_step "
              "--steps 1 --warmup 0`): cold = an empty LOOM_CACHE_DIR (the model file is built by the host "
              "compiler and the module compiled), cached = the same again. compile_s is loomc's own figure "
              "(model-file load, graph, training step, lowering, JIT, session); wall is the whole process "
              "including one step. Issue 5's target for the MLP: under 3 s cold, under 0.3 s cached.", "",
              "| model | cold compile_s | cold wall s | cached compile_s | cached wall s |",
              "| --- | --- | --- | --- | --- |"]
    for c in comp:
        lines.append(f"| {c['model']} | {c['cold']:.2f} | {c['cold_wall']:.2f} | {c['warm']:.2f} | "
                     f"{c['warm_wall']:.2f} |")
    lines += ["", "Commands (one of each kind; the others differ in model, batch, optimizer or thread count):", "",
              "```sh"] + commands + ["```", ""]
    return "\n".join(lines)


def main():
    started = datetime.datetime.now()
    busy = wait_for_idle()
    print(f"CPU busy before the run: {busy[0]:.0%} {busy[1]}", flush=True)
    note([PY, os.path.abspath(sys.argv[0]), LOOMC] + sys.argv[2:])
    def timed(part):
        t = time.perf_counter()
        result = part()
        print(f"  ({time.perf_counter() - t:.0f} s)", flush=True)
        return result
    rows = timed(workloads)
    epoch = timed(fashion_epoch)
    mm, peak = timed(matmuls)
    comp = timed(compile_times)
    text = report(busy, cpu_busy(), rows, epoch, mm, peak, comp, started)
    open(os.path.join(ROOT, "docs", "performance.md"), "w").write(text)
    print(text)


main()

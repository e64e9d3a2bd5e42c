#!/usr/bin/env python3
"""Checks a number in loomc's output against a threshold.

usage: check_metric.py LOG[,LOG...] PREFIX NAME OP VALUE
Finds the last line of each LOG starting with PREFIX (e.g. "test"), reads
the number after NAME on it (e.g. "accuracy 0.9651") and checks their mean
with OP (>=, <=, ==). Several logs (runs with different seeds) make a
threshold about the method rather than one lucky or unlucky split. Prints
what it compared, exits 1 on failure.
"""
import re
import sys

logs, prefix, name, op, value = sys.argv[1:6]
values = []
for log in logs.split(","):
    lines = [l for l in open(log) if l.startswith(prefix)]
    if not lines:
        sys.exit(f"no line starting with {prefix!r} in {log}")
    m = re.search(re.escape(name) + r" (-?[0-9.eE+-]+|nan|inf)", lines[-1])
    if not m:
        sys.exit(f"no {name!r} in: {lines[-1].strip()}")
    values.append(float(m.group(1)))
got, want = sum(values) / len(values), float(value)
if len(values) > 1:
    print(f"{prefix} {name} per run: {values}")
ok = {">=": got >= want, "<=": got <= want, "==": got == want}[op]
print(f"{prefix} {name} = {got} (required {op} {want}): {'ok' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)

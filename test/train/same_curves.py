#!/usr/bin/env python3
"""`same_curves.py A.csv B.csv REL`: two metrics CSVs of the same training
run compiled two ways agree: same rows and columns, every number within
REL relative (plus 1e-7 absolute, for values near zero). Prints the
largest difference; exits 1 on any mismatch."""
import metrics_csv
import csv
import sys

a, b = (metrics_csv.epochs(p) for p in sys.argv[1:3])
rel = float(sys.argv[3])
if len(a) != len(b) or not a or a[0].keys() != b[0].keys():
    sys.exit(f"different shapes: {len(a)} vs {len(b)} rows")
worst = 0.0
for i, (ra, rb) in enumerate(zip(a, b)):
    for k in ra:
        if k in ("seconds", "samples_per_s") or ra[k] == rb[k] == "":
            continue  # wall time measures the machine; empty: no value
        x, y = float(ra[k]), float(rb[k])
        d = abs(x - y) / max(abs(x), abs(y), 1e-30)
        worst = max(worst, d)
        if abs(x - y) > rel * max(abs(x), abs(y)) + 1e-7:
            sys.exit(f"row {i + 1} column {k}: {x} vs {y}")
print(f"{len(a)} rows agree; largest relative difference {worst:.2e}")

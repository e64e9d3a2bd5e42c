#!/usr/bin/env python3
"""`same_metrics.py A.csv B.csv`: two metrics files of runs that must be
identical (a resumed run and a straight one, cached and fresh objects) hold
the same configuration header and the same rows, every value equal as text,
except the wall-time columns (`seconds`, `samples_per_s`), which measure
the machine rather than the run. Exits 1 naming the first difference."""
import sys

TIMING = {"seconds", "samples_per_s"}


def read(path):
    lines = open(path).read().splitlines()
    header = [l for l in lines if l.startswith("#")]
    body = [l.split(",") for l in lines if not l.startswith("#")]
    cols = body[0]
    keep = [i for i, c in enumerate(cols) if c not in TIMING]
    return header, [[r[i] for i in keep] for r in body]


(ha, ra), (hb, rb) = read(sys.argv[1]), read(sys.argv[2])
if ha != hb:
    for x, y in zip(ha, hb):
        if x != y:
            sys.exit(f"headers differ:\n  {x}\n  {y}")
    sys.exit("headers differ in length")
if len(ra) != len(rb):
    sys.exit(f"{len(ra)} vs {len(rb)} rows")
for i, (x, y) in enumerate(zip(ra, rb)):
    if x != y:
        sys.exit(f"row {i}: {','.join(x)} vs {','.join(y)}")
print(f"{len(ra) - 1} rows agree (timing columns aside)")

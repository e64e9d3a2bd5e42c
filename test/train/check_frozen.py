#!/usr/bin/env python3
"""`check_frozen.py PRETRAINED FINETUNED FROZEN_PREFIXES TRAINED_PREFIXES`

Parameters under the frozen prefixes must be bit-identical in the two
checkpoints; those under the trained prefixes present in both must have
changed. Prefixes are comma-separated. Exits 1 otherwise.
"""
import json
import struct
import sys


def load(path):
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    return {k: blob[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]
            for k, v in header.items() if k != "__metadata__"}


pre, post = load(sys.argv[1]), load(sys.argv[2])
frozen, trained = sys.argv[3].split(","), sys.argv[4].split(",")
ok = True
for name in sorted(post):
    if name.startswith("optim."):
        continue
    if any(name.startswith(p) for p in frozen):
        same = pre.get(name) == post[name]
        print(f"{name}: frozen, {'unchanged' if same else 'CHANGED'}")
        ok &= same
    elif any(name.startswith(p) for p in trained) and name in pre:
        changed = pre[name] != post[name]
        print(f"{name}: trained, {'changed' if changed else 'UNCHANGED'}")
        ok &= changed
sys.exit(0 if ok else 1)

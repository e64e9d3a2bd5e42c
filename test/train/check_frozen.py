#!/usr/bin/env python3
"""`check_frozen.py PRETRAINED FINETUNED FROZEN_PREFIXES TRAINED_PREFIXES`

Parameters under the frozen prefixes must be bit-identical in the two
checkpoints; those under the trained prefixes present in both must have
changed. Prefixes are comma-separated. Exits 1 otherwise.
"""
import sys

import safetensors_io


def load(path):
    """Raw bytes per tensor: "unchanged" means bit-identical."""
    header, blob, start = safetensors_io.read_header(path)
    return {k: blob[start + v["data_offsets"][0]:start + v["data_offsets"][1]]
            for k, v in header.items()}


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

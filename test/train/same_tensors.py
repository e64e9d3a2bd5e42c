#!/usr/bin/env python3
"""`same_tensors.py A B`: the two safetensors files hold the same tensor
names with bit-identical values (parameters and optimizer state). Prints
"N tensors identical", or the names that differ and exits 1."""
import sys

import numpy as np

import safetensors_io

a, b = safetensors_io.load(sys.argv[1]), safetensors_io.load(sys.argv[2])
differ = sorted(k for k in a.keys() | b.keys()
                if k not in a or k not in b or not np.array_equal(a[k], b[k]))
if differ:
    print("differ:", ", ".join(differ))
    sys.exit(1)
print(len(a), "tensors identical")

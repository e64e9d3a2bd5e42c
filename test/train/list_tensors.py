#!/usr/bin/env python3
"""Prints a safetensors file's parameter names and shapes (optimizer state
and metadata left out), sorted: `list_tensors.py FILE`."""
import json
import struct
import sys

blob = open(sys.argv[1], "rb").read()
(n,) = struct.unpack("<Q", blob[:8])
header = json.loads(blob[8:8 + n])
print(sorted((k, v["shape"]) for k, v in header.items()
             if k != "__metadata__" and not k.startswith("optim.")))

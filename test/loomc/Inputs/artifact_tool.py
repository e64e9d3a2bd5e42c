#!/usr/bin/env python3
"""Rewrites .loom artifacts for the bad-input tests (independently of the
runtime: the container layout of rt/core/Artifact.h, re-encoded here).

  artifact_tool.py set-version IN OUT N        the header's format version
  artifact_tool.py set-meta IN OUT KEY JSON    one field of the metadata
  artifact_tool.py corrupt-section IN OUT NAME flips the bytes of a section
  artifact_tool.py show IN                     sections and metadata fields
"""
import json
import struct
import sys

MAGIC = b"LOOM\0ART"


def read(path):
    b = open(path, "rb").read()
    assert b[:8] == MAGIC
    version, n = struct.unpack_from("<II", b, 8)
    secs = []
    for i in range(n):
        name, off, size = struct.unpack_from("<16sQQ", b, 16 + 32 * i)
        secs.append([name.rstrip(b"\0").decode(), b[off:off + size]])
    return version, secs


def write(path, version, secs):
    out = bytearray(MAGIC + struct.pack("<II", version, len(secs)))
    off = 16 + 32 * len(secs)
    offs = []
    for _, data in secs:
        off = (off + 63) // 64 * 64
        offs.append(off)
        off += len(data)
    for (name, data), o in zip(secs, offs):
        out += struct.pack("<16sQQ", name.encode(), o, len(data))
    for (_, data), o in zip(secs, offs):
        out += b"\0" * (o - len(out)) + data
    open(path, "wb").write(bytes(out))


cmd = sys.argv[1]
version, secs = read(sys.argv[2])
if cmd == "set-version":
    write(sys.argv[3], int(sys.argv[4]), secs)
elif cmd == "set-meta":
    meta = next(s for s in secs if s[0] == "meta")
    m = json.loads(meta[1])
    m[sys.argv[4]] = json.loads(sys.argv[5])
    meta[1] = json.dumps(m, separators=(",", ":")).encode()
    write(sys.argv[3], version, secs)
elif cmd == "corrupt-section":
    sec = next(s for s in secs if s[0] == sys.argv[4])
    sec[1] = bytes((x ^ 0x5A) for x in sec[1])
    write(sys.argv[3], version, secs)
elif cmd == "show":
    print("version", version)
    for name, data in secs:
        print("section", name, len(data))
    m = json.loads(next(d for n, d in secs if n == "meta"))
    for k in ("model", "target", "cpu", "cpu_features", "batch", "training", "requires"):
        print(k, json.dumps(m[k]))
    print("entries", [e["name"] for e in m["entries"]])

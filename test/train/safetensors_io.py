"""Reading and writing f32 safetensors files for the test scripts (the
PyTorch cross-checks, check_frozen.py, list_tensors.py): one header, the
tensors back to back, offsets relative to the end of the header."""
import json
import struct

import numpy as np


def read_header(path):
    """(header dict without __metadata__, the file's bytes, data start)."""
    blob = open(path, "rb").read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    return header, blob, 8 + n


def load(path):
    """Every tensor as a numpy f32 array, by name."""
    header, blob, start = read_header(path)
    out = {}
    for k, v in header.items():
        a, b = v["data_offsets"]
        out[k] = np.frombuffer(blob[start + a:start + b], dtype="<f4").reshape(v["shape"])
    return out


def save(path, tensors):
    """Writes torch tensors or numpy arrays (as f32), in the given order."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)
        raw = a.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

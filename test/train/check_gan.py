#!/usr/bin/env python3
"""`check_gan.py METRICS_CSV SAMPLES_PGM [MAX_D_LOSS MAX_G_LOSS]`

The GAN example's checks: every epoch's discriminator and generator losses
(columns train_discriminator_loss, train_generator_loss) are finite and
within (0, MAX]; the sample grid is a well-formed binary PGM (P5) of 8x8
28x28 tiles with 2-pixel borders (242x242), whose tiles are not constant
and not all alike. Prints one summary line; exits 1 on a failure.
"""
import metrics_csv
import csv
import math
import sys

import numpy as np

metrics, pgm = sys.argv[1], sys.argv[2]
max_d = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
max_g = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
ok = True

rows = metrics_csv.epochs(metrics)
for r in rows:
    d, g = float(r["train_discriminator_loss"]), float(r["train_generator_loss"])
    good = math.isfinite(d) and math.isfinite(g) and 0 < d <= max_d and 0 < g <= max_g
    print(f"epoch {r['epoch']}: discriminator {d:.4f} generator {g:.4f}"
          f"{'' if good else '  OUT OF BOUNDS'}")
    ok &= good
ok &= len(rows) > 0

blob = open(pgm, "rb").read()
fields = blob.split(maxsplit=4)  # P5, width, height, maxval, pixels
magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
header_len = len(b" ".join(fields[:4])) + 1
pixels = np.frombuffer(blob[header_len:], np.uint8)
well_formed = (magic == b"P5" and maxval == 255 and width == 242 and
               height == 242 and pixels.size == width * height)
print(f"pgm {magic.decode()} {width}x{height} maxval {maxval}, "
      f"{pixels.size} pixels: {'well-formed' if well_formed else 'MALFORMED'}")
ok &= well_formed
if well_formed:
    image = pixels.reshape(height, width).astype(np.float64)
    tiles = np.stack([image[2 + r * 30:2 + r * 30 + 28, 2 + c * 30:2 + c * 30 + 28]
                      for r in range(8) for c in range(8)])
    inside = tiles.std(axis=(1, 2))  # contrast within each sample
    across = tiles.std(axis=0).mean()  # how much the samples differ
    print(f"tiles: mean {tiles.mean():.1f}, within-tile std min {inside.min():.1f}, "
          f"across-tile std {across:.1f}")
    ok &= inside.min() > 5 and across > 5
sys.exit(0 if ok else 1)

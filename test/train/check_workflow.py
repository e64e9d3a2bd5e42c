#!/usr/bin/env python3
"""Checks for the training workflow tests (workflow.test), each computed
independently of loomc from the files it wrote and the raw data:

  same-predictions A.csv B.csv COLUMN   two predictions files agree per row
                                        (1e-6 relative + 1e-6 absolute)
  labels-match PRED.csv DATA.csv COLUMN the label column of PRED.csv is the
                                        DATA.csv column, in its own units
                                        (1e-5 relative)
  regression-report REPORT.json PRED.csv COLUMN
                                        RMSE, MAE and R^2 recomputed with
                                        numpy from PRED.csv equal the report
                                        (1e-9 relative)
  classification-report REPORT.json PRED.csv COLUMN
                                        accuracy and the confusion matrix
                                        recomputed from PRED.csv (threshold
                                        0.5) equal the report exactly
  lstsq TRAIN.csv TEST.csv LABEL PRED.csv COLUMN TOL
                                        predictions equal ordinary least
                                        squares fitted on TRAIN.csv (numpy),
                                        within TOL of the target's std
  meta CK.safetensors KEY               prints a checkpoint metadata value
"""
import csv
import json
import struct
import sys

import numpy as np


def table(path):
    with open(path) as f:
        rows = list(csv.DictReader(l for l in f if not l.startswith("#")))
    return rows


def column(path, name):
    return np.array([float(r[name]) for r in table(path)])


def fail(msg):
    sys.exit("FAIL: " + msg)


cmd = sys.argv[1]
if cmd == "same-predictions":
    a, b = column(sys.argv[2], sys.argv[4]), column(sys.argv[3], sys.argv[4])
    if a.shape != b.shape:
        fail(f"{len(a)} vs {len(b)} rows")
    d = np.abs(a - b) - (1e-6 * np.maximum(np.abs(a), np.abs(b)) + 1e-6)
    if (d > 0).any():
        i = int(np.argmax(d))
        fail(f"row {i}: {a[i]} vs {b[i]}")
    print(f"{len(a)} predictions agree")
elif cmd == "labels-match":
    got, want = column(sys.argv[2], "label"), column(sys.argv[3], sys.argv[4])
    if got.shape != want.shape or not np.allclose(got, want, rtol=1e-5, atol=1e-4):
        fail(f"labels differ from {sys.argv[3]}:{sys.argv[4]}")
    print(f"{len(got)} labels are the file's, in its units")
elif cmd == "regression-report":
    rep = json.load(open(sys.argv[2]))
    p, y = column(sys.argv[3], sys.argv[4]), column(sys.argv[3], "label")
    rmse = float(np.sqrt(np.mean((p - y) ** 2)))
    mae = float(np.mean(np.abs(p - y)))
    r2 = float(1 - np.sum((p - y) ** 2) / np.sum((y - y.mean()) ** 2))
    for k, v in (("rmse", rmse), ("mae", mae), ("r2", r2)):
        if abs(rep[k] - v) > 1e-9 * max(1.0, abs(v)):
            fail(f"{k}: report {rep[k]} vs numpy {v}")
    print(f"report agrees with numpy: rmse {rmse:.4f} mae {mae:.4f} r2 {r2:.4f}")
elif cmd == "classification-report":
    rep = json.load(open(sys.argv[2]))
    p, y = column(sys.argv[3], sys.argv[4]), column(sys.argv[3], "label")
    pred = (p >= 0.5).astype(int)
    conf = [[int(np.sum((y == t) & (pred == q))) for q in (0, 1)] for t in (0, 1)]
    acc = float(np.mean(pred == y))
    if conf != rep["confusion"] or abs(acc - rep["accuracy"]) > 1e-12:
        fail(f"confusion {conf} accuracy {acc} vs report {rep['confusion']} {rep['accuracy']}")
    print(f"report agrees: accuracy {acc:.4f}, confusion {conf}")
elif cmd == "lstsq":
    train, test, label, pred_csv, col, tol = sys.argv[2:8]
    tr, te = table(train), table(test)
    feats = [k for k in tr[0] if k != label]
    X = np.array([[float(r[k]) for k in feats] for r in tr])
    y = np.array([float(r[label]) for r in tr])
    A = np.hstack([X, np.ones((len(X), 1))])
    w, *_ = np.linalg.lstsq(A, y, rcond=None)
    Xt = np.array([[float(r[k]) for k in feats] for r in te])
    want = np.hstack([Xt, np.ones((len(Xt), 1))]) @ w
    got = column(pred_csv, col)
    worst = float(np.max(np.abs(got - want)) / y.std())
    if worst > float(tol):
        fail(f"largest difference from least squares {worst:.4f} std > {tol}")
    print(f"within {tol} std of least squares (largest {worst:.4f})")
elif cmd == "meta":
    b = open(sys.argv[2], "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    print(json.loads(b[8:8 + n])["__metadata__"].get(sys.argv[3], "<absent>"))
else:
    fail("unknown command " + cmd)

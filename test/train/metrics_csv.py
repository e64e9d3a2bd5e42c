"""Reads a loomc metrics file: the '#' configuration lines skipped, one
dict per epoch row (the final `test` row left out; `test_row` returns it)."""
import csv


def _rows(path):
    with open(path) as f:
        return list(csv.DictReader(l for l in f if not l.startswith("#")))


def epochs(path):
    return [r for r in _rows(path) if r["epoch"] != "test"]


def test_row(path):
    rows = [r for r in _rows(path) if r["epoch"] == "test"]
    return rows[0] if rows else None

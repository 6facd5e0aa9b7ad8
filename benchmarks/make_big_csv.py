"""Write large numeric CSV files fast, for the load benchmark's uploads.

Every value is written as ``D.DDDD`` (six characters, in [0, 10)), so a row
of ``columns`` values takes exactly ``7 * columns`` bytes and 1,000,000 rows ×
20 columns is 140 MB: under the app's 200 MB upload limit
(``.streamlit/config.toml``), where shortest round-trip floats (about 19
characters each) would not be. The text is built as one byte array with
numpy (no per-value formatting): about a second for 1,000,000 × 20.

The last column ``y`` is a linear function of the others plus noise (mapped
into [0, 10)), so the file has a meaningful least-squares fit.

Run from the repository root::

    .venv/bin/python benchmarks/make_big_csv.py out.csv --rows 1000000 --columns 20

or ``from benchmarks.make_big_csv import write_csv``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

WIDTH = 6  # characters per value: D.DDDD
SCALE = 10_000  # a value is an integer k in [0, 100000) written as k / SCALE


def _header(columns: int) -> bytes:
    names = [f"x{k}" for k in range(1, columns)] + ["y"]
    return (",".join(names) + "\n").encode("ascii")


def _values(rows: int, columns: int, rng: np.random.Generator) -> np.ndarray:
    """Integers in [0, 100000): uniform features, and a noisy linear target in the last column."""
    ints = np.empty((rows, columns), dtype=np.int64)
    ints[:, :-1] = rng.integers(0, 10 * SCALE, size=(rows, columns - 1))
    if columns > 1:
        weights = rng.uniform(-1.0, 1.0, size=columns - 1)
        y = ints[:, :-1] @ weights + rng.normal(0.0, 0.1 * SCALE, size=rows)
    else:
        y = rng.normal(0.0, SCALE, size=rows)
    low, high = y.min(), y.max()
    ints[:, -1] = ((y - low) / max(high - low, 1e-300) * (10 * SCALE - 1)).astype(np.int64)
    return ints


def csv_bytes(rows: int, columns: int, seed: int = 0, chunk_rows: int = 200_000):
    """Yield the CSV file's bytes in chunks: a header, then ``rows`` rows of ``columns`` values."""
    if rows < 1 or columns < 1:
        raise ValueError(f"A CSV needs at least one row and one column; asked for {rows} rows and "
                         f"{columns} columns.")
    rng = np.random.default_rng(seed)
    yield _header(columns)
    powers = np.array([10_000, 1_000, 100, 10, 1], dtype=np.int64)
    for start in range(0, rows, chunk_rows):
        n = min(chunk_rows, rows - start)
        ints = _values(n, columns, rng)
        digits = (ints[..., None] // powers) % 10  # (n, columns, 5): D, then the four decimals
        text = np.empty((n, columns, WIDTH + 1), dtype=np.uint8)
        text[..., 0] = digits[..., 0] + ord("0")
        text[..., 1] = ord(".")
        text[..., 2:WIDTH] = digits[..., 1:] + ord("0")
        text[..., WIDTH] = ord(",")
        text[:, -1, WIDTH] = ord("\n")
        yield text.tobytes()


def write_csv(path: Path, rows: int, columns: int, seed: int = 0) -> int:
    """Write the CSV to ``path``; returns its size in bytes."""
    size = 0
    with open(path, "wb") as out:
        for chunk in csv_bytes(rows, columns, seed):
            out.write(chunk)
            size += len(chunk)
    return size


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    size = write_csv(args.path, args.rows, args.columns, args.seed)
    print(f"wrote {args.path}: {args.rows:,} rows × {args.columns} columns, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

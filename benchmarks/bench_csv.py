"""Benchmark: CSV loading speed of ``core.data.read_csv`` against pandas and polars.

Writes a numeric CSV of about ``size_mb`` megabytes (20 float64 columns) to a
temporary directory, then times, best of ``repeats`` (rounds interleaved so
that background load hits every reader alike):

* ``core.data.read_csv`` (format detection + parse + checks) on the path,
  and on the file's bytes already in memory (as an upload arrives),
* ``pandas.read_csv`` with default options,
* ``pandas.read_csv(engine="pyarrow")``, for reference,
* ``polars.read_csv`` (the speed target: ours should be within 1.2 times).

Run from the repository root::

    .venv/bin/python benchmarks/bench_csv.py [--size-mb 100] [--repeats 3]

or ``from benchmarks.bench_csv import run``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow `python benchmarks/bench_csv.py`
    sys.path.insert(0, str(ROOT))

from core.data import read_csv  # noqa: E402

N_COLUMNS = 20
TARGET_RATIO = 1.2  # ours / polars


def write_numeric_csv(path: Path, size_mb: float, columns: int = N_COLUMNS, seed: int = 0) -> int:
    """Write a CSV of standard-normal float64 values of about ``size_mb`` MB.

    Returns the number of data rows. Uses polars' fast writer when available
    (same shortest round-trip float text as pandas).
    """
    bytes_per_row = columns * 20  # ~19 characters per value plus delimiter
    rows = max(2, int(size_mb * 1e6 / bytes_per_row))
    values = np.random.default_rng(seed).standard_normal((rows, columns))
    names = [f"c{i}" for i in range(columns)]
    try:
        import polars as pl

        pl.DataFrame(values, schema=names).write_csv(path)
    except ImportError:
        pd.DataFrame(values, columns=names).to_csv(path, index=False)
    return rows


def _readers(data: bytes) -> dict[str, Callable[[Path], object]]:
    readers: dict[str, Callable[[Path], object]] = {
        "core.data.read_csv": read_csv,
        # An upload arrives as bytes in memory (Streamlit's UploadedFile).
        "core.data.read_csv(bytes)": lambda path: read_csv(data),
        "pandas.read_csv": pd.read_csv,
        # For reference: the engine the C engine was chosen over (see core/data.py).
        "pandas.read_csv(engine='pyarrow')": lambda path: pd.read_csv(path, engine="pyarrow"),
    }
    try:
        import polars as pl

        readers["polars.read_csv"] = pl.read_csv
    except ImportError:
        pass
    return readers


def run(size_mb: float = 100, repeats: int = 3) -> list[dict]:
    """Time the CSV readers on a fresh ~``size_mb`` MB numeric file.

    Parameters
    ----------
    size_mb : float
        Approximate file size in megabytes.
    repeats : int
        Timed rounds; the best time of each reader is reported.

    Returns
    -------
    list of dict
        One row per reader: ``reader``, ``seconds`` (best), ``size_mb``
        (actual), ``rows``, ``columns``, ``vs_polars`` and ``vs_pandas``
        (seconds divided by that reader's best; None if polars is missing),
        and for our readers ``target_met`` (vs_polars <= 1.2).
    """
    with tempfile.TemporaryDirectory(prefix="bench_csv_") as tmp:
        path = Path(tmp) / "numeric.csv"
        rows = write_numeric_csv(path, size_mb)
        actual_mb = path.stat().st_size / 1e6
        readers = _readers(path.read_bytes())
        for reader in readers.values():  # warm-up: page cache, imports
            reader(path)
        best = {name: float("inf") for name in readers}
        for _ in range(repeats):
            for name, reader in readers.items():
                start = time.perf_counter()
                frame = reader(path)
                elapsed = time.perf_counter() - start
                best[name] = min(best[name], elapsed)
                if frame.shape != (rows, N_COLUMNS):
                    raise AssertionError(f"{name} read shape {frame.shape}, expected {(rows, N_COLUMNS)}")
                del frame
    polars_s = best.get("polars.read_csv")
    pandas_s = best["pandas.read_csv"]
    results = []
    for name, seconds in best.items():
        row = {
            "reader": name,
            "seconds": seconds,
            "size_mb": actual_mb,
            "rows": rows,
            "columns": N_COLUMNS,
            "vs_polars": seconds / polars_s if polars_s else None,
            "vs_pandas": seconds / pandas_s,
        }
        if name.startswith("core.data.read_csv"):
            row["target_met"] = bool(polars_s) and seconds / polars_s <= TARGET_RATIO
        results.append(row)
    return results


def markdown_table(results: list[dict]) -> str:
    """Format :func:`run` results as a markdown table."""
    first = results[0]
    lines = [
        f"CSV load, {first['size_mb']:.1f} MB, {first['rows']:,} rows × {first['columns']} float columns "
        f"(best of timed rounds; target: ours ≤ {TARGET_RATIO}× polars)",
        "",
        "| reader | seconds | ratio vs polars | ratio vs pandas |",
        "|---|---:|---:|---:|",
    ]
    for row in results:
        vs_polars = "n/a" if row["vs_polars"] is None else f"{row['vs_polars']:.2f}×"
        lines.append(f"| {row['reader']} | {row['seconds']:.3f} | {vs_polars} | {row['vs_pandas']:.2f}× |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print(markdown_table(run(args.size_mb, args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

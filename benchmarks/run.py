"""Run every benchmark in one process and write its sections of ``benchmarks/RESULTS.md``.

    make bench                      # everything
    .venv/bin/python benchmarks/run.py --only core csv

Benchmarks are scripts, not timed tests: the numbers depend on the machine,
so they are reported as ratios against the alternatives measured in the
same run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUITES = {
    "core": ("Core engine (fit, gradient descent, cost grid)", "benchmarks.bench_core"),
    "csv": ("CSV loading (~100 MB numeric file)", "benchmarks.bench_csv"),
    "browser": ("Browser redraw (headless Chromium)", "benchmarks.bench_browser"),
}


def markdown_table(rows: list[dict]) -> str:
    """A markdown table with one column per key seen in ``rows`` (floats to 4 significant digits)."""
    if not rows:
        return "(no results)"
    keys = list(dict.fromkeys(k for row in rows for k in row))

    def cell(v):
        if isinstance(v, float):
            return f"{v:.4g}"
        return "" if v is None else str(v)

    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(cell(row.get(k)) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    import numpy as np

    blas = ""
    try:
        from threadpoolctl import threadpool_info

        info = threadpool_info()
        blas = ", ".join(f"{i['internal_api']} {i.get('version', '')} ({i.get('architecture', '')}, "
                         f"{i['num_threads']} threads)" for i in info)
    except Exception:  # threadpoolctl is optional
        pass
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"numpy {np.__version__}{', ' + blas if blas else ''}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(SUITES), default=list(SUITES))
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "RESULTS.md"))
    args = parser.parse_args(argv)
    import importlib

    from benchmarks.results_file import replace_header, replace_section

    out = Path(args.out)
    replace_header(f"Measured {datetime.date.today()} on {machine()}.\n"
                   "Regenerate with `make bench`; each benchmark replaces only its own sections.", out)
    for key in args.only:
        title, module = SUITES[key]
        print(f"== {title}", flush=True)
        rows = importlib.import_module(module).run()
        table = markdown_table(rows)
        print(table, flush=True)
        replace_section(title, table, out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

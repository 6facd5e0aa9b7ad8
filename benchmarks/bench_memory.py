"""Upload memory: how far the server's resident memory rises when a 1,000,000 × 20 CSV is uploaded.

Run from the repository root::

    .venv/bin/python benchmarks/bench_memory.py             # both parts, 1,000,000 × 20 (140 MB file)
    .venv/bin/python benchmarks/bench_memory.py --no-browser --rows 200000

A benchmark, not a test (``tests/test_memory.py`` is the test). All on 127.0.0.1, bounded in time
(every wait has a timeout), and it stops what it starts. The file is written by
``benchmarks/make_big_csv.py`` (every value ``D.DDDD``, so 1,000,000 × 20 is 140 MB, under the
200 MB upload limit). "Parsed data" is the table as float64: 8 bytes × rows × columns (160 MB,
152.6 MiB for 1,000,000 × 20); the target is a peak below 4× that above the server's baseline.

1. **The real path** (default): ``streamlit run app.py`` (``tests/e2e/e2e_support.py``) and Debian's
   headless Chromium driven by Playwright. The Data page is opened and left idle (the baseline is the
   server's RSS then), the file is chosen in the uploader (Chromium reads it from disk: CDP
   ``DOM.setFileInputFiles``, as ``benchmarks/bench_load.py`` does), then the sidebar must show it,
   the Data page's run must be over and its chart drawn, then the Normal equation page and the
   Gradient descent page are opened and drawn. The server's VmRSS (``/proc/<pid>/status``, the process
   and its children) is sampled every 20 ms throughout, and VmHWM read at the end; the peak of each
   phase is reported above the baseline.
2. **The stages in one process** (a fresh child process): the upload's bytes as Streamlit holds them
   (an ``UploadedFile``), then each step the app takes on them, with the peak of each step read from
   VmHWM after resetting it (``/proc/self/clear_refs``): parse (``read_csv``), the upload let go of
   (as ``ui.session.load_csv`` does), content hash, design matrix, sufficient statistics, fit, plot
   sample, the teaching steps, the cost model; the CSV for the download button (built only when the
   button is pressed) last.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests" / "e2e"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from benchmarks.bench_load import _tree, memory  # noqa: E402
from benchmarks.make_big_csv import write_csv  # noqa: E402

MiB = 2**20
TARGET_RATIO = 4.0
SAMPLE_S = 0.020
WAIT_MS = 300_000  # any one wait in the browser run (parsing 140 MB on a loaded 2-core machine)


def _status(pid, what: str) -> int:
    """Bytes of ``what`` (``VmRSS``, ``VmHWM``) in ``/proc/<pid>/status`` (0 if the process is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(what + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """The process tree's VmRSS every :data:`SAMPLE_S` seconds, with the phase it was taken in."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.phase, self.samples, self.done = pid, "baseline", [], threading.Event()
        self.pids = _tree(pid)
        self.start()

    def run(self) -> None:
        n = 0
        while not self.done.wait(SAMPLE_S):
            n += 1
            if n % 50 == 0:  # children are rare: look for new ones once a second
                self.pids = _tree(self.pid)
            self.samples.append((time.monotonic(), self.phase, sum(_status(p, "VmRSS") for p in self.pids)))

    def stop(self) -> int:
        """Stop sampling; the peak VmHWM of the tree (the kernel's own high-water mark)."""
        self.done.set()
        self.join(timeout=5)
        return memory(self.pid, "VmHWM")

    def peak(self, phase: str | None = None) -> int:
        values = [rss for _, ph, rss in self.samples if phase is None or ph == phase]
        return max(values, default=0)


# --------------------------------------------------------------------------- the browser run

def browser_run(path: Path, rows: int, columns: int) -> dict:
    """Upload ``path`` in a fresh server, open the three pages; RSS per phase and times."""
    from playwright.sync_api import sync_playwright

    from benchmarks.bench_browser import GD_CHART_KEYS
    from benchmarks.bench_load import _SIDEBAR_JS, _loopback_only, upload_file
    from e2e_support import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_streamlit, stop_process, wait_idle

    exe = chromium_path()
    if exe is None:
        raise SystemExit("Chromium not found on PATH; run `make test` (it installs Debian's chromium).")
    proc, url, log = start_streamlit()
    times, errors = {}, []
    sampler = None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(viewport=dict(VIEWPORT))
                context.route("**/*", _loopback_only)
                page = context.new_page()
                page.goto(url, timeout=WAIT_MS)
                wait_idle(page, timeout=WAIT_MS)
                time.sleep(2.0)  # let the first run's garbage go
                sampler = Sampler(proc.pid)
                time.sleep(1.0)
                baseline = memory(proc.pid)
                t0 = time.monotonic()

                def mark(name: str, next_phase: str) -> None:
                    times[name] = time.monotonic() - t0
                    sampler.phase = next_phase

                sampler.phase = "upload and parse"
                upload_file(page, str(path))
                page.wait_for_function(_SIDEBAR_JS, arg=[path.name, rows], timeout=WAIT_MS, polling=100)
                mark("sidebar shows the upload", "Data page")
                wait_idle(page, timeout=WAIT_MS)
                page.locator(".st-key-data_preview .js-plotly-plot").first.wait_for(timeout=WAIT_MS)
                mark("Data page drawn", "Normal equation page")
                page.get_by_test_id("stSidebarNav").get_by_role("link", name="Normal equation").click()
                wait_idle(page, timeout=WAIT_MS)
                page.get_by_test_id("stMain").locator(".js-plotly-plot").first.wait_for(timeout=WAIT_MS)
                mark("Normal equation page drawn", "Gradient descent page")
                page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
                wait_idle(page, timeout=WAIT_MS)
                page.wait_for_function(
                    "(keys) => keys.every(k => document.querySelector('.st-key-' + k + ' .js-plotly-plot'))",
                    arg=list(GD_CHART_KEYS), timeout=WAIT_MS, polling=100)
                mark("Gradient descent page drawn", "after")
                time.sleep(1.0)
                boxes = page.get_by_test_id("stException").all_inner_texts()
                alerts = page.get_by_test_id("stAlertContentError").all_inner_texts()
                errors += [t.splitlines()[0] for t in boxes + alerts if t.strip()]
                context.close()
            finally:
                browser.close()
    finally:
        hwm = sampler.stop() if sampler else 0
        stop_process(proc)
        log.close()
    phases = ["upload and parse", "Data page", "Normal equation page", "Gradient descent page"]
    return {"baseline": baseline, "peak_sampled": sampler.peak(), "hwm": hwm, "times": times, "errors": errors,
            "phases": {ph: sampler.peak(ph) for ph in phases},
            "samples": [(t - t0, phase, rss) for t, phase, rss in sampler.samples]}


# --------------------------------------------------------------------------- the stages in one process

def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # resets VmHWM to the current RSS (Linux ≥ 4.0)
        return True
    except OSError:
        return False


def stages_child(path: Path) -> None:
    """Run in a fresh process: each stage's peak and what stays, as JSON lines on stdout."""
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    from core import data as cdata
    from core.cost import LeastSquaresCost
    from core.display import sample_design
    from core.solve import fit_normal_equation
    from core.stats import gram_statistics
    from core.teaching import normal_equation_steps
    from ui.cache import freeze
    from core.design import design_matrix

    me = os.getpid()
    base = _status(me, "VmRSS")
    held = {}

    def stage(name: str, compute):
        resettable = _reset_peak()
        before = _status(me, "VmRSS")
        t = time.perf_counter()
        value = compute()
        seconds = time.perf_counter() - t
        peak = _status(me, "VmHWM") if resettable else float("nan")
        print(json.dumps({"stage": name, "peak": peak - base, "step": peak - before,
                          "after": _status(me, "VmRSS") - base, "seconds": seconds}), flush=True)
        return value

    held["upload"] = stage("bytes received (UploadedFile)", lambda: UploadedFile(
        UploadedFileRec("bench", path.name, "text/csv", path.read_bytes()), None))
    frame = held["frame"] = stage("parse (read_csv)", lambda: cdata.read_csv(held["upload"]))
    stage("upload released (as ui.session.load_csv does)", lambda: held.pop("upload").truncate(0))
    stage("content hash", lambda: cdata.content_key(frame))
    target = frame.columns[-1]
    features = [c for c in frame.columns if c != target]
    design = held["design"] = stage("design matrix", lambda: freeze(design_matrix(frame, target, features, 1)))
    stage("sufficient statistics", lambda: gram_statistics(design.X, design.y, True))
    fit = held["fit"] = stage("fit (statistics, solve, refinement)", lambda: freeze(fit_normal_equation(design)))
    held["shown"] = stage("plot sample", lambda: freeze(sample_design(design)))
    held["steps"] = stage("teaching steps", lambda: normal_equation_steps(fit.design, fit=fit))
    held["model"] = stage("cost model", lambda: LeastSquaresCost.from_fit(fit))
    stage("CSV for the download (when pressed)", lambda: len(cdata.to_csv_bytes(frame)))


def stages_run(path: Path) -> list[dict]:
    out = subprocess.run([sys.executable, __file__, "--stages-child", str(path)], cwd=REPO, capture_output=True,
                         text=True, timeout=900, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


# --------------------------------------------------------------------------- the report

def report(rows: int, columns: int, file_bytes: int, browser: dict | None, stages: list | None,
           loads: list) -> str:
    parsed = 8 * rows * columns
    lines = [f"{rows:,} × {columns} CSV ({file_bytes / 1e6:.0f} MB); parsed data 8 B × rows × columns = "
             f"{parsed / MiB:.1f} MiB; load average {' → '.join(f'{a:.1f}' for a in loads)} (1 min).", ""]
    if browser:
        base = browser["baseline"]
        peak = max(browser["peak_sampled"], browser["hwm"])
        ratio = (peak - base) / parsed
        lines += ["| server (`streamlit run app.py`, Chromium) | RSS peak above the baseline | ÷ parsed | "
                  "time from the upload |", "| --- | --- | --- | --- |",
                  f"| baseline: the Data page open, idle | {base / MiB:,.0f} MiB (absolute) | | |"]
        marks = list(browser["times"].items())
        for (phase, value), (mark, t) in zip(browser["phases"].items(), marks):
            lines.append(f"| {phase} … until {mark} | {(value - base) / MiB:,.0f} MiB | "
                         f"{(value - base) / parsed:.2f}× | {t:.1f} s |")
        held = browser["samples"][-1][2] if browser["samples"] else base
        lines.append(f"| held 1 s after the Gradient descent page was drawn | {(held - base) / MiB:,.0f} MiB | "
                     f"{(held - base) / parsed:.2f}× | |")
        lines.append(f"| **whole run** (max of 20 ms samples and VmHWM) | **{(peak - base) / MiB:,.0f} MiB** | "
                     f"**{ratio:.2f}×** (target < {TARGET_RATIO:g}×: {'met' if ratio < TARGET_RATIO else 'NOT met'}) | |")
        if browser["errors"]:
            lines.append(f"\nErrors on the page: {browser['errors']}")
        lines.append("")
    if stages:
        lines += ["| stage (one process) | peak above start | ÷ parsed | this step's rise | held after | time |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for s in stages:
            lines.append(f"| {s['stage']} | {s['peak'] / MiB:,.0f} MiB | {s['peak'] / parsed:.2f}× | "
                         f"{s['step'] / parsed:+.2f}× | {s['after'] / parsed:.2f}× | {s['seconds']:.2f} s |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="only the stages in one process")
    parser.add_argument("--no-stages", action="store_true", help="only the server run")
    parser.add_argument("--samples", type=Path, help="write the server's RSS samples (s, phase, MiB) here")
    parser.add_argument("--stages-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages_child:
        stages_child(args.stages_child)
        return 0
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        path = Path(tmp) / f"upload-{args.rows}x{args.columns}.csv"
        size = write_csv(path, args.rows, args.columns, seed=7)
        stages = None if args.no_stages else stages_run(path)
        loads.append(os.getloadavg()[0])
        browser = None if args.no_browser else browser_run(path, args.rows, args.columns)
    if browser and args.samples:
        args.samples.write_text("".join(f"{t:.3f},{phase},{rss / MiB:.1f}\n" for t, phase, rss in browser["samples"]))
    loads.append(os.getloadavg()[0])
    print(report(args.rows, args.columns, size, browser, stages, loads))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

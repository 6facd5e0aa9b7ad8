"""Load benchmark: many browser sessions on one server at once, and one very large upload.

Run ``.venv/bin/python benchmarks/bench_load.py --quick`` (4 sessions, 10 s; prints the table) or
``.venv/bin/python benchmarks/bench_load.py`` (20 sessions, 60 s; also writes it to
``benchmarks/RESULTS.md`` under "## Load"); ``--sessions N --seconds S --no-write --no-big-upload``.
A benchmark, not a test: nothing in ``tests/`` runs it. All on 127.0.0.1, bounded, stops by itself.

1. One headless Debian Chromium (the end-to-end tests' flags plus a loopback DevTools port) and
   ``streamlit run app.py`` (``tests/e2e/e2e_support.py``). Each session is a thread with its own
   sync Playwright connected to that Chromium, in its own browser context (its own Streamlit
   session); requests to other hosts are blocked.
2. Solo: one session alone loads an example, opens the Gradient descent page and moves the
   learning rate (arrow keys on the ``.st-key-alpha`` slider's thumb, 3 left then 3 right) for
   ``min(S, 20)`` s. A move is timed with ``benchmarks/bench_browser.py``'s page script: from the
   keydown until the surface and contour have painted their last redraw and the run is over.
3. Load: N sessions at once each load a DIFFERENT dataset (example buttons, the "Synthetic data
   generator" form with other sizes and seeds, generated CSV uploads, one of 1,000,000 rows × 5),
   open the Gradient descent page and move α for S seconds, checking after every move for an
   exception box and that the sidebar shows their own dataset's name and row count.
4. Large upload (fresh server): one session uploads a 1,000,000 × 20 CSV (140 MB); times to the
   sidebar showing it, to the run being over, then α moves on that data.

Server memory: ``/proc/<pid>/status`` of the server and its children (VmRSS sampled every 0.2 s,
and VmHWM); psutil is not installed.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests" / "e2e"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from benchmarks.bench_browser import _ARM_JS, _INAPP_JS, _READ_JS, _SETTLED_JS, GD_CHART_KEYS, QUIET_MS, _js  # noqa: E402
from benchmarks.make_big_csv import write_csv  # noqa: E402
from core import data as cdata  # noqa: E402
from e2e_support import CHROMIUM_ARGS, VIEWPORT, chromium_path, free_port, start_streamlit  # noqa: E402
from e2e_support import stop_process, wait_idle  # noqa: E402

EXAMPLE_KEYS = ("hours", "three_points", "tips", "iris", "gapminder")
LOAD_TIMEOUT_MS = 240_000  # loading or parsing a dataset under load (the 1M-row uploads)
REDRAW_TIMEOUT_MS = 60_000
SOLO_SECONDS = 20.0
BIG_ROWS, BIG_COLUMNS, LOAD_BIG_COLUMNS = 1_000_000, 20, 5
MOVES = ("ArrowLeft",) * 3 + ("ArrowRight",) * 3
TARGET_P95_RATIO, TARGET_MEMORY_RATIO = 2.0, 4.0
RESULTS = REPO / "benchmarks" / "RESULTS.md"

#: True once the sidebar names the dataset and its row count (``name``, ``rows``).
_SIDEBAR_JS = _js("sidebar_shows_data")


# --------------------------------------------------------------------------- memory

def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc/<pid>/task/*/children)."""
    out = [pid]
    for p in out:  # the list grows as children are found: breadth first
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                out += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return out


def memory(pid: int, what: str = "VmRSS") -> int:
    """Bytes of ``what`` (``VmRSS``, or the peak ``VmHWM``) summed over ``pid`` and its descendants."""
    total = 0
    for p in _tree(pid):
        try:
            lines = Path(f"/proc/{p}/status").read_text().splitlines()
        except OSError:  # the process is gone
            continue
        total += sum(int(line.split()[1]) * 1024 for line in lines if line.startswith(what + ":"))
    return total


class RssSampler(threading.Thread):
    """Samples the process tree's resident memory every 0.2 s until :meth:`stop`; returns the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, memory(self.pid))

    def stop(self) -> int:
        self.done.set()
        self.join(timeout=5)
        return max(self.peak, memory(self.pid, "VmHWM"))


# --------------------------------------------------------------------------- datasets

@dataclass(frozen=True)
class Source:
    """A dataset one session loads: how, and what its sidebar must then show."""

    kind: str  # "example", "synthetic" or "upload"
    key: str  # example key, synthetic "n:seed", or the CSV's path
    name: str  # a part of the sidebar's dataset name unique to this dataset
    rows: int


def example_source(key: str) -> Source:
    ex = cdata.example(key)
    return Source("example", key, ex.title, len(ex.frame))


def upload_source(path: Path, rows: int, columns: int, seed: int) -> Source:
    write_csv(path, rows, columns, seed)
    return Source("upload", str(path), path.name, rows)


def plan(sessions: int, tmp: Path) -> list[Source]:
    """A different dataset for each of ``sessions``: examples, synthetic data and uploads
    (the first upload 1,000,000 rows × 5 columns)."""
    n_ex = min(len(EXAMPLE_KEYS), max(1, sessions // 4))
    n_up = max(1, (sessions - n_ex) // 2) if sessions > 1 else 0
    out = [example_source(k) for k in EXAMPLE_KEYS[:n_ex]]
    for k in range(sessions - n_ex - n_up):  # synthetic
        n, seed = 60 + 7 * k, 100 + k
        out.append(Source("synthetic", f"{n}:{seed}", f"Synthetic (n={n},", n))
    for k in range(n_up):
        rows, cols = (BIG_ROWS, LOAD_BIG_COLUMNS) if k == 0 else (300 + 97 * k, 3)
        out.append(upload_source(tmp / f"load-{k:02d}-{rows}x{cols}.csv", rows, cols, seed=k))
    return out


# --------------------------------------------------------------------------- one session

def _loopback_only(route) -> None:
    host = re.match(r"^[a-z]+://([^/:]+)", route.request.url)
    if host and host.group(1) not in ("127.0.0.1", "localhost"):
        route.abort()
    else:
        route.continue_()


def upload_file(page, path: str) -> None:
    """Choose ``path`` in the Data page's CSV uploader: Chromium reads it from disk (CDP
    ``DOM.setFileInputFiles``). Playwright's ``set_input_files`` on a browser reached over CDP
    pushes the bytes through the page as base64 instead (minutes for 35 MB, refused over 50 MB)."""
    selector = '[data-testid="stFileUploader"] input[type="file"]'
    page.locator(selector).first.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    client = page.context.new_cdp_session(page)
    try:
        root = client.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = client.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        client.send("DOM.setFileInputFiles", {"files": [str(Path(path).resolve())], "nodeId": node})
    finally:
        client.detach()


@dataclass
class Session:
    """One browser session: load ``source``, open the Gradient descent page, move α until told to stop."""

    source: Source
    sidebar_s: float | None = None  # from the load action until the sidebar shows the data
    loaded_s: float | None = None  # ... until the Data page's run is over
    nav_s: float | None = None  # Data page to Gradient descent page with its charts drawn
    painted_ms: list = field(default_factory=list)  # keydown to charts painted and run over
    run_over_ms: list = field(default_factory=list)  # keydown to stApp notRunning
    errors: list = field(default_factory=list)  # exception boxes, redraw timeouts, crashes
    isolation: list = field(default_factory=list)  # a sidebar showing another dataset
    nav_failures: int = 0  # the app or a page that did not open (or a load that never showed)

    def run(self, cdp: str, url: str, ready: threading.Event, go: threading.Event,
            stop_at: list, max_moves: int, before_load) -> None:
        """Thread body. ``stop_at[0]`` is the monotonic end time, set by the caller before ``go``."""
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                browser = pw.chromium.connect_over_cdp(cdp)
                try:
                    context = browser.new_context(viewport=dict(VIEWPORT))
                    context.route("**/*", _loopback_only)
                    page = context.new_page()
                    self._setup(page, url, before_load)
                    ready.set()
                    if go.wait(timeout=LOAD_TIMEOUT_MS / 1000 * 2):
                        self._move(page, stop_at[0], max_moves)
                    context.close()
                finally:
                    browser.close()
        except Exception as exc:  # recorded, reported: the benchmark goes on with the others
            self.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
        finally:
            ready.set()

    def _setup(self, page, url: str, before_load) -> None:
        try:
            page.goto(url, timeout=LOAD_TIMEOUT_MS)
            wait_idle(page, timeout=LOAD_TIMEOUT_MS)
            before_load()
            t0 = time.monotonic()
            self._load(page)
            page.wait_for_function(_SIDEBAR_JS, arg=[self.source.name, self.source.rows],
                                   timeout=LOAD_TIMEOUT_MS, polling=100)
            self.sidebar_s = time.monotonic() - t0
            wait_idle(page, timeout=LOAD_TIMEOUT_MS)
            self.loaded_s = time.monotonic() - t0
            self._check(page, "after loading the data")
            t0 = time.monotonic()
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
            wait_idle(page, timeout=LOAD_TIMEOUT_MS)
            page.wait_for_function(
                "(keys) => !!window.Plotly && keys.every(k => document.querySelector('.st-key-' + k + "
                "' .js-plotly-plot'))", arg=list(GD_CHART_KEYS), timeout=LOAD_TIMEOUT_MS, polling=100)
            self.nav_s = time.monotonic() - t0
        except Exception:
            self.nav_failures += 1
            alerts = page.get_by_test_id("stAlertContentError").all_inner_texts()
            self.errors += [f"the page says: {a.splitlines()[0][:300]}" for a in alerts if a.strip()]
            raise
        page.evaluate(_INAPP_JS)
        self._check(page, "on the Gradient descent page")
        self._move(page, float("inf"), 1, record=False)  # one warm-up move, before the timed phase

    def _load(self, page) -> None:
        src = self.source
        if src.kind == "example":
            page.locator(f".st-key-example_{src.key}").get_by_role("button").first.click()
        elif src.kind == "synthetic":
            n, seed = src.key.split(":")
            page.get_by_text("Synthetic data generator").click()
            page.locator(".st-key-syn_n input").fill(n)
            page.locator(".st-key-syn_seed input").fill(seed)
            page.get_by_test_id("stForm").get_by_role("button", name="Generate").click()
        else:
            upload_file(page, src.key)

    def _check(self, page, when: str) -> None:
        """Record an exception box, or a sidebar that does not show this session's data."""
        boxes = [t.strip().splitlines()[0] for t in page.get_by_test_id("stException").all_inner_texts() if t.strip()]
        if boxes:
            self.errors.append(f"exception box {when}: " + " | ".join(boxes)[:300])
        if not page.evaluate(_SIDEBAR_JS, [self.source.name, self.source.rows]):
            text = page.get_by_test_id("stSidebarUserContent").inner_text()
            self.isolation.append(f"sidebar {when} shows other data: {text[:200]!r}")

    def _press(self, page, key: str) -> tuple[float, float]:
        """One α move: (keydown to charts painted and run over, keydown to run over), in ms."""
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.evaluate(_ARM_JS, list(GD_CHART_KEYS))
        page.locator(".st-key-alpha").get_by_role("slider").focus()
        page.keyboard.press(key)
        wait_idle(page, timeout=REDRAW_TIMEOUT_MS)
        page.wait_for_function(_SETTLED_JS, arg=[list(GD_CHART_KEYS), QUIET_MS], timeout=REDRAW_TIMEOUT_MS,
                               polling=50)
        res = page.evaluate(_READ_JS)
        painted = max(max(res["rec"][k]["paint"]) for k in GD_CHART_KEYS)
        return max(painted, res["idle"]) - res["t0"], res["idle"] - res["t0"]

    def _move(self, page, stop_at: float, max_moves: int, record: bool = True) -> None:
        """Move α until ``stop_at`` or ``max_moves`` moves (or 3 failures), checking after each move."""
        failures = 0
        for n, key in enumerate(itertools.cycle(MOVES)):
            if n >= max_moves or time.monotonic() >= stop_at or failures >= 3:
                return
            try:
                painted, over = self._press(page, key)
            except Exception as exc:
                failures += 1
                self.errors.append(f"no redraw after {key}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
                continue
            if record:
                self.painted_ms.append(painted)
                self.run_over_ms.append(over)
            self._check(page, f"after move {n}")


def run_sessions(cdp: str, url: str, sources: list[Source], seconds: float, max_moves: int = 10_000,
                 before_load=lambda: None) -> tuple[list[Session], float]:
    """Run one thread per source: all load, then all move α for ``seconds``; returns (sessions, load s)."""
    sessions, ready = [Session(s) for s in sources], [threading.Event() for _ in sources]
    go, stop_at = threading.Event(), [0.0]
    threads = [threading.Thread(target=s.run, args=(cdp, url, r, go, stop_at, max_moves, before_load),
                                daemon=True) for s, r in zip(sessions, ready)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for r in ready:
        r.wait(timeout=LOAD_TIMEOUT_MS / 1000 * 2)
    load_s = time.monotonic() - t0
    stop_at[0] = time.monotonic() + seconds
    go.set()
    for t in threads:
        t.join(timeout=seconds + 4 * REDRAW_TIMEOUT_MS / 1000)
    return sessions, load_s


# --------------------------------------------------------------------------- the runs

def start_chromium(profile: Path) -> tuple[subprocess.Popen, str]:
    """One headless Chromium with a DevTools port on 127.0.0.1; returns (process, CDP endpoint)."""
    exe = chromium_path()
    if exe is None:
        raise SystemExit("Chromium not found on PATH; run `make test` (it installs Debian's chromium).")
    port = free_port()
    proc = subprocess.Popen([exe, *CHROMIUM_ARGS, f"--remote-debugging-port={port}",
                             "--remote-debugging-address=127.0.0.1", f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(endpoint + "/json/version", timeout=2):
                return proc, endpoint
        except OSError:
            time.sleep(0.2)
    stop_process(proc)
    raise RuntimeError(f"Chromium did not open its DevTools port {port} within 30 s.")


def _pooled(sessions: list[Session], name: str) -> list:
    return [v for s in sessions for v in getattr(s, name)]


def load_run(cdp: str, tmp: Path, n_sessions: int, seconds: float) -> dict:
    """Solo α moves, then ``n_sessions`` at once, on one server; times, errors and memory."""
    sources = plan(n_sessions, tmp)
    proc, url, log = start_streamlit()
    try:
        sampler = RssSampler(proc.pid)
        solo, _ = run_sessions(cdp, url, [example_source("hours")], min(seconds, SOLO_SECONDS))
        time.sleep(1.0)
        baseline = memory(proc.pid)
        sessions, load_s = run_sessions(cdp, url, sources, seconds)
        peak = sampler.stop()
    finally:
        stop_process(proc)
        log.close()
    return {"solo": solo, "sessions": sessions, "load_s": load_s, "baseline": baseline, "peak": peak,
            "n": n_sessions, "seconds": seconds}


def big_upload_run(cdp: str, tmp: Path, moves: int = 4) -> dict:
    """One session on a fresh server uploads a 1,000,000 × 20 CSV; times and memory."""
    path = tmp / f"big-{BIG_ROWS}x{BIG_COLUMNS}.csv"
    source = upload_source(path, BIG_ROWS, BIG_COLUMNS, seed=7)
    proc, url, log = start_streamlit()
    warm = []
    try:
        sampler = RssSampler(proc.pid)
        (session,), _ = run_sessions(cdp, url, [source], seconds=120.0, max_moves=moves,
                                     before_load=lambda: warm.append(memory(proc.pid)))
        peak = sampler.stop()
    finally:
        stop_process(proc)
        log.close()
    return {"session": session, "file_bytes": path.stat().st_size, "warm": warm[0] if warm else 0,
            "peak": peak, "data_bytes": 8 * BIG_ROWS * BIG_COLUMNS}


# --------------------------------------------------------------------------- the report

def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MiB"


def _ms(values: list) -> str:
    """Median / 95th percentile of ``values`` (ms), and their count."""
    if not values:
        return "none measured"
    return f"{statistics.median(values):,.0f} / {np.percentile(values, 95):,.0f} ms (n={len(values)})"


def report(load: dict | None, big: dict | None) -> tuple[str, list[str]]:
    """The markdown table (measure, value, target, met), and every error seen (one line each)."""
    rows, errors = ["| measure | value | target | met |", "| --- | --- | --- | --- |"], []

    def row(measure, value, target="", met=None):
        rows.append(f"| {measure} | {value} | {target} | {'' if met is None else 'yes' if met else '**no**'} |")

    if load:
        solo, sessions = load["solo"], load["sessions"]
        for s in solo + sessions:
            errors += [f"{s.source.kind} {s.source.name!r}: {e}" for e in s.errors + s.isolation]
        count = {k: sum(getattr(s, k) if k == "nav_failures" else len(getattr(s, k)) for s in solo + sessions)
                 for k in ("errors", "nav_failures", "isolation")}
        alone, loaded = _pooled(solo, "painted_ms"), _pooled(sessions, "painted_ms")
        ratio = np.percentile(loaded, 95) / np.percentile(alone, 95) if alone and loaded else float("nan")
        kinds = {k: [s.loaded_s for s in sessions if s.source.kind == k and s.loaded_s is not None]
                 for k in ("example", "synthetic", "upload")}
        row("sessions at once, α moved for", f"{load['n']} sessions ({sum(bool(s.painted_ms) for s in sessions)} "
            f"moved α), {load['seconds']:.0f} s")
        row("errors (exception boxes, redraw timeouts, crashes)", count["errors"], 0, count["errors"] == 0)
        row("failed navigations", count["nav_failures"], 0, count["nav_failures"] == 0)
        row("isolation: a sidebar showing another session's data (checked after every move)",
            count["isolation"], 0, count["isolation"] == 0)
        row("α move, keydown to surface + contour painted and run over, one session alone: median / p95",
            _ms(alone))
        row("the same, every session under load", f"{_ms(loaded)}: p95 {ratio:.1f}× alone",
            f"p95 ≤ {TARGET_P95_RATIO:g}× alone", ratio <= TARGET_P95_RATIO)
        row("α move, keydown to script run over (stApp notRunning): alone; under load",
            f"{_ms(_pooled(solo, 'run_over_ms'))}; {_ms(_pooled(sessions, 'run_over_ms'))}")
        row("all sessions loaded and on the Gradient descent page after", f"{load['load_s']:.1f} s")
        row("load (click, form or upload until the Data page's run is over), median per kind",
            "; ".join(f"{k} {statistics.median(v):.1f} s" for k, v in kinds.items() if v)
            + "".join(f"; the {s.source.rows:,}-row upload {s.loaded_s:.1f} s" for s in sessions
                      if s.source.rows == BIG_ROWS and s.loaded_s is not None))
        row("server RSS after the solo session; peak under load", f"{_mb(load['baseline'])}; {_mb(load['peak'])}")
        row("server memory per session (peak growth ÷ sessions)", _mb((load["peak"] - load["baseline"]) / load["n"]))
    if big:
        s, data = big["session"], big["data_bytes"]
        errors += [f"large upload: {e}" for e in s.errors + s.isolation]
        ratio = big["peak"] / data

        def sec(v):
            return "not reached" if v is None else f"{v:.1f} s"

        row(f"{BIG_ROWS:,} × {BIG_COLUMNS} CSV ({big['file_bytes'] / 1e6:.0f} MB), one session: upload until the "
            "sidebar shows it", sec(s.sidebar_s))
        row("... until the Data page's run is over", sec(s.loaded_s))
        row("... Data page to Gradient descent page drawn", sec(s.nav_s))
        alone = _pooled(load["solo"], "painted_ms") if load else []
        limit = TARGET_P95_RATIO * statistics.median(alone) if alone else float("inf")
        row("... α move on that data: median / p95", _ms(s.painted_ms), "median ≤ 2× alone (responsive)",
            bool(s.painted_ms) and not s.errors and statistics.median(s.painted_ms) <= limit)
        row(f"... server peak RSS ÷ parsed data (8 B × rows × columns = {_mb(data)})",
            f"{_mb(big['peak'])}: {ratio:.1f}×", f"< {TARGET_MEMORY_RATIO:g}×", ratio < TARGET_MEMORY_RATIO)
        row(f"... peak growth over the warm server ({_mb(big['warm'])}) ÷ parsed data",
            f"{(big['peak'] - big['warm']) / data:.1f}×")
    return "\n".join(rows), errors


def write_results(table: str, errors: list[str], argv: list[str]) -> None:
    """Replace the "## Load" section of RESULTS.md (every other section is kept)."""
    from benchmarks.results_file import replace_section

    cmd = " ".join([".venv/bin/python benchmarks/bench_load.py", *argv])
    section = (f"Measured {datetime.date.today()} with `{cmd}` on {os.cpu_count()} cores shared "
               "with other work (the server, Chromium with every session's tab and the Playwright drivers all on "
               f"those cores, beside other jobs: load average {os.getloadavg()[0]:.1f} at the end). Times are "
               f"medians / 95th percentiles over every move of every session.\n\n{table}\n")
    if errors:
        section += "\nErrors seen:\n\n" + "\n".join(f"- {e}" for e in errors) + "\n"
    replace_section("Load", section, RESULTS)


def _within(kind, lo, hi):
    """An argparse type: ``kind(text)`` between ``lo`` and ``hi``, or the reason it is not."""
    def parse(text: str):
        value = kind(text)
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be {lo} to {hi}, not {text}")
        return value
    return parse


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=_within(int, 1, 64), default=20, help="browser sessions (1 to 64)")
    parser.add_argument("--seconds", type=_within(float, 1, 600), default=60.0, help="length of the run (1 to 600)")
    parser.add_argument("--quick", action="store_true", help="4 sessions for 10 s; prints only")
    parser.add_argument("--no-write", action="store_true", help="do not write benchmarks/RESULTS.md")
    parser.add_argument("--no-big-upload", action="store_true", help="skip the 1,000,000 × 20 upload")
    args = parser.parse_args(argv)
    args.sessions, args.seconds = (4, 10.0) if args.quick else (args.sessions, args.seconds)
    t = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmpdir:
        chromium, cdp = start_chromium((tmp := Path(tmpdir)) / "profile")
        try:
            load = load_run(cdp, tmp, args.sessions, args.seconds)
            big = None if args.no_big_upload else big_upload_run(cdp, tmp)
        finally:
            stop_process(chromium)
    table, errors = report(load, big)
    print(table, "\n".join(["", "Errors:"] + errors) if errors else "\nNo errors.",
          f"\n({time.monotonic() - t:.0f} s; load average {os.getloadavg()[0]:.1f})", sep="\n")
    if not (args.quick or args.no_write):
        write_results(table, errors, list(argv if argv is not None else sys.argv[1:]))
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

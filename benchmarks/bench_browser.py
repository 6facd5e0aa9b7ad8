"""Browser benchmark: how long a learning-rate change takes to redraw the plots.

Run ``.venv/bin/python benchmarks/bench_browser.py`` (prints a markdown table);
``run()`` returns the rows as a list of dicts.  Headless Debian Chromium with the
same flags as the end-to-end tests; only loopback traffic.

What is measured (median of ``REPS`` repetitions after one warm-up).

Headline, in the app (two Streamlit servers on free loopback ports, one tab each,
the same arrow keys pressed on the learning-rate slider of both, interleaved and
alternating which goes first):

``Gradient descent page (app.py)``
    ``streamlit run app.py``, page ``/gradient_descent``. Time from the keydown
    event (page clock) until the surface and contour charts have painted their
    last redraw of that rerun (``plotly_afterplot`` or a resolved
    ``Plotly.react``/``Plotly.newPlot``, + two animation frames) and the run is
    over (``stApp`` back to ``notRunning``); a measurement ends after
    ``QUIET_MS`` without a redraw.  Also reported: every chart on the page
    painted, each chart's time, when the browser sent the rerun request, and
    whether a chart's DOM element was replaced (Streamlit 1.67 derives a
    ``st.plotly_chart``'s element id from its spec, so a changed figure is
    remounted; the page's ``views/live_chart.py`` charts must show 0 remounts).

``baseline app`` (``benchmarks/combined_layout_app.py``)
    The naive single-figure layout: the same α control (label, key, options,
    start value) on the same data, with the surface and contour as ONE
    ``make_subplots`` figure over a 200x200 grid drawn with ``st.plotly_chart``.
    It draws nothing else (no history or fitted-line chart), so it does less
    work per rerun than the real page.  Ratio: ours / baseline (ratio of
    medians, and the median of per-repetition ratios, "paired").

Secondary, standalone (no Streamlit; each case in its own tab, interleaved):

``combined figure (standalone)``
    A standalone HTML page (plotly.js inlined from the installed ``plotly``
    package) holding ONE figure made with ``make_subplots``: a 200x200 surface
    in a 3D scene and a 200x200 contour on an xy axis, plus a descent path on
    both.  Each repetition parses a new figure JSON and calls
    ``Plotly.react``; "afterplot" is the time until ``plotly_afterplot`` fired,
    "painted" adds two animation frames.

``our two figures (standalone)``
    The same harness with the two figures ``core.figures`` builds for the
    Gradient descent page, each in its own div, both updated with
    ``Plotly.react``; the same with ``Plotly.purge`` + ``Plotly.newPlot`` (a
    remount), and the contour figure alone.

Payload: websocket bytes the browser received when each page was opened in a
fresh session, and per learning-rate change; the standalone rows give the
figures' JSON sizes.

By data size, with overlays, and the instant lab (:func:`gd_cases`; one server,
one tab and session per dataset, keypresses interleaved between the tabs):

``GD page, <data>, one optimizer`` / ``3 optimizers overlaid``
    The default example (hours, 5 rows), a ``SMALL_ROWS`` × 5 upload and a
    ``BIG_ROWS`` (1,000,000) × 5 upload of the same kind
    (``benchmarks/make_big_csv.py``; the uploads go through the Data page's
    uploader, then the sidebar opens the Gradient descent page in the same
    session). Time from the α keydown until every chart (surface, contour,
    history, fitted line) has painted and the run is over; then the same with
    three other optimizers overlaid (``OVERLAY``, picked in the ``overlay``
    multiselect). Ratios: 1M / small upload (only m differs), 1M / example,
    overlay / single. Also the first visit: the sidebar click until every
    chart is there.

``instant lab, <data>``
    The lab opened (toggle ``lab_open``); a keydown on its own α slider until
    its contour and path are redrawn (its ``__lab.latencies`` grows) plus two
    animation frames. No server round trip is timed (the lab hands α back to
    the page after 1 s of quiet; that rerun is waited out between presses).

The load average (``/proc/loadavg``) is recorded at the start and after each
phase: the machine is shared. ``--only-cases`` runs these alone,
``--no-cases`` skips them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "e2e"))

from e2e_support import (  # noqa: E402  (the e2e helpers: server, flags, idle wait)
    CHROMIUM_ARGS,
    VIEWPORT,
    chromium_path,
    start_streamlit,
    stop_process,
    wait_idle,
)


def _js(name: str) -> str:
    """The text of ``benchmarks/js/<name>.js``: a script the benchmark runs in the page."""
    return (REPO / "benchmarks" / "js" / f"{name}.js").read_text(encoding="utf-8")


REPS = 9
COMBINED_N = 200
CHART_WIDTH = 610  # px: one of st.columns(2) in the wide layout at a 1400 px viewport


def _page_grid_n(default: int = 61) -> int:
    """The Gradient descent page's grid size (its GRID_N constant)."""
    import re

    try:
        text = (REPO / "views" / "gradient_descent.py").read_text(encoding="utf-8")
    except OSError:
        return default
    found = re.search(r"^GRID_N\s*=\s*(\d+)", text, re.M)
    return int(found.group(1)) if found else default


GRID_N = _page_grid_n()  # our cost grid per axis, as on the page
TARGET_RATIO = 0.35
PAYLOAD_LIMIT = 1_000_000

# JS: resolve when every plotly div in `divs` has fired plotly_afterplot at
# least once after the call, then wait two animation frames.
_HARNESS_JS = _js("standalone_harness")


def _launch(playwright):
    exe = chromium_path()
    if exe is None:
        raise SystemExit("Chromium not found on PATH; run `make test` (it installs Debian's chromium).")
    return playwright.chromium.launch(executable_path=exe, args=list(CHROMIUM_ARGS))


def _new_page(browser):
    """A tab whose requests to any host but this machine are blocked (loopback traffic only)."""
    from urllib.parse import urlsplit

    page = browser.new_page(viewport=dict(VIEWPORT))

    def guard(route):
        url = route.request.url
        if url.startswith(("http://", "https://")) and urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    return page


def _page_html(plotly_js: str, width: int, height: int) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<style>body{{margin:0}} .chart{{display:inline-block;vertical-align:top;"
        f"width:{width}px;height:{height}px}}</style>"
        f"<script>{plotly_js}</script><script>{_HARNESS_JS}</script>"
        "</head><body><div id='root'></div></body></html>"
    )


def _plotly_js() -> str:
    import plotly

    return (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- figures


def _path(rep: int, k: int = 60):
    """A descent path that differs per repetition (as after an alpha change)."""
    t = np.linspace(0.0, 1.0, k)
    rate = 2.0 + 0.5 * rep
    a = 1.0 - np.exp(-rate * t)
    return -1.0 + 1.7 * a, -1.0 + 2.2 * a


def combined_figure(rep: int = 0, n: int = COMBINED_N):
    """ONE figure: n x n surface (3D scene) + n x n contour (xy) + the path on both."""
    from plotly.subplots import make_subplots
    import plotly.graph_objects as go

    a = np.linspace(-2.0, 3.0, n)
    b = np.linspace(-2.0, 3.0, n)
    A, B = np.meshgrid(a, b)
    z = 0.5 * ((A - 0.7) ** 2 + 3.0 * (B - 1.2) ** 2 + 1.5 * (A - 0.7) * (B - 1.2)) + 0.1
    pa, pb = _path(rep)
    pz = 0.5 * ((pa - 0.7) ** 2 + 3.0 * (pb - 1.2) ** 2 + 1.5 * (pa - 0.7) * (pb - 1.2)) + 0.1
    fig = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}]])
    fig.add_trace(go.Surface(x=a, y=b, z=z, showscale=False), row=1, col=1)
    fig.add_trace(go.Scatter3d(x=pa, y=pb, z=pz, mode="lines+markers", marker={"size": 3}), row=1, col=1)
    fig.add_trace(go.Contour(x=a, y=b, z=z, showscale=False), row=1, col=2)
    fig.add_trace(go.Scatter(x=pa, y=pb, mode="lines+markers"), row=1, col=2)
    fig.update_layout(height=580, showlegend=False, margin={"l": 40, "r": 20, "t": 30, "b": 40})
    return fig


def our_figures(rep: int = 0):
    """The Gradient descent page's two figures, built by core.figures (hours example).

    Returns a list of plotly figures.  The learning rate differs per repetition,
    so the descent path differs, as after a slider move.
    """
    from core import data as cdata
    from core import figures
    from core.cost import LeastSquaresCost, cost_grid
    from core.descent import gradient_descent, learning_rate_choices
    from core.design import design_matrix
    from core.solve import fit_normal_equation

    ex = cdata.example("hours")
    design = design_matrix(ex.frame, ex.target, list(ex.features), ex.degree)
    fit = fit_normal_equation(design)
    model = LeastSquaresCost.from_fit(fit)
    choices = learning_rate_choices(model)
    stable = [a for a in choices if a < model.max_stable_alpha]
    alpha = stable[-1 - (rep % min(4, len(stable)))]
    theta0 = np.zeros(model.p)
    trace = gradient_descent(None, None, alpha, 1000, theta0, tol=1e-6, model=model)
    # As the page does: the grid covers the path's bounding box.
    points = [trace.thetas.min(axis=0), trace.thetas.max(axis=0)]
    grid = cost_grid(model, 0, 1, points=points, n=GRID_N)
    return [
        figures.cost_surface(grid, [trace], model.optimum, uirevision="bench"),
        figures.cost_contour(grid, [trace], model.optimum, uirevision="bench"),
    ]


# --------------------------------------------------------------------------- standalone runs


def _standalone_paired(browser, cases: dict, reps: int, tmp: Path) -> dict[str, dict]:
    """Time ``Plotly.react`` updates for several cases, interleaved.

    ``cases`` maps a label to ``(make_figs, css_width_px)`` or
    ``(make_figs, css_width_px, fresh)``; ``make_figs(rep)`` returns the
    figures of one state; ``fresh=True`` replaces ``Plotly.react`` by
    ``Plotly.purge`` + ``Plotly.newPlot`` (a remount).  Each case gets its own tab; the
    repetitions alternate between the cases (and their order), so a load spike
    on this machine hits all cases alike.  Returns per case the median time to
    ``plotly_afterplot`` on every figure and to the frame after (painted), and
    the median of the per-repetition ratios to the first case.
    """
    js = _plotly_js()
    tabs, specs = {}, {}
    for k, (label, case) in enumerate(cases.items()):
        make_figs, width = case[:2]
        fresh = bool(case[2]) if len(case) > 2 else False
        specs[label] = [[f.to_json() for f in make_figs(r)] for r in range(reps + 2)]
        html = tmp / f"case{k}.html"
        html.write_text(_page_html(js, width, 580), encoding="utf-8")
        page = _new_page(browser)
        page.goto(html.as_uri())
        page.evaluate(f"() => {{ window.__fresh = {str(fresh).lower()}; }}")
        page.evaluate("specs => window.__init(specs)", specs[label][0])
        page.evaluate("specs => window.__update(specs)", specs[label][1])  # warm-up
        tabs[label] = page
    times = {label: [] for label in cases}
    labels = list(cases)
    for r in range(reps):
        for label in (labels if r % 2 == 0 else labels[::-1]):
            page = tabs[label]
            page.bring_to_front()
            page.evaluate("() => window.__twoFrames()")
            times[label].append(page.evaluate("specs => window.__update(specs)", specs[label][r + 2]))
    out = {}
    first = labels[0]
    for label, page in tabs.items():
        if page.get_by_text("WebGL is not supported").count():
            raise RuntimeError(f"{label}: WebGL is not available in this Chromium")
        page.close()
        painted = [t["painted_ms"] for t in times[label]]
        ratios = [a["painted_ms"] / b["painted_ms"] for a, b in zip(times[label], times[first])]
        out[label] = {
            "case": label,
            "median_ms": statistics.median(painted),
            "median_afterplot_ms": statistics.median(t["afterplot_ms"] for t in times[label]),
            "reps": len(painted),
            "payload_bytes": sum(len(s) for s in specs[label][1]),
            "payload_what": f"figure JSON ({len(specs[label][1])} figure(s))",
        }
        if label != first:
            out[label]["ratio_vs_combined"] = statistics.median(ratios)
    return out


# --------------------------------------------------------------------------- in-app run

#: Installed once per tab (after Plotly has loaded). Records, per chart key (the ``st-key-<key>``
#: class around the plot div), every redraw that finished after the armed keydown: each
#: ``plotly_afterplot`` event and each resolved ``Plotly.react`` / ``Plotly.newPlot`` call (a
#: remounted ``st.plotly_chart`` is a fresh div whose first afterplot may fire before an observer
#: could attach a listener; the wrapped call catches it), each followed by two animation frames
#: ("painted"). Also: when the script run was over (``stApp`` back to ``notRunning``) and when the
#: browser sent the rerun request (first websocket message after the key).
_INAPP_JS = _js("inapp_recorder")

_ARM_JS = _js("inapp_arm")

#: True once every chart in ``keys`` has painted, the run is over, and nothing was redrawn for ``quiet`` ms.
_SETTLED_JS = _js("inapp_settled")

#: Which charts were replaced by a new DOM element (Streamlit remounted them) since _ARM_JS.
_REMOUNTED_JS = _js("inapp_remounted")

_READ_JS = _js("inapp_read")

#: The two charts the learning rate redraws on the Gradient descent page (live_plotly_chart keys).
GD_CHART_KEYS = ("surface", "contour")
#: Every chart on that page (also timed, for the breakdown).
GD_ALL_CHART_KEYS = ("surface", "contour", "history", "fit_at_step")
#: The baseline app's one chart (benchmarks/combined_layout_app.py).
BASELINE_APP = "benchmarks/combined_layout_app.py"
BASELINE_KEYS = ("combined",)
#: Redraws that are this far apart (ms) end a measurement.
QUIET_MS = 300


def _ws_counter(page):
    """Count bytes of websocket frames ``page`` receives; returns a dict updated live."""
    counter = {"bytes": 0, "frames": 0}

    def on_ws(ws):
        def on_frame(payload):
            counter["bytes"] += len(payload)
            counter["frames"] += 1

        ws.on("framereceived", on_frame)

    page.on("websocket", on_ws)
    return counter


def _page_payloads(browser, url: str) -> list[dict]:
    """Websocket bytes received when each page is opened in a fresh session."""
    page = _new_page(browser)
    page.goto(url)
    wait_idle(page)
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    targets = [(links.nth(k).inner_text().split("\n")[-1].strip(), links.nth(k).get_attribute("href"))
               for k in range(links.count())]
    page.close()
    out = []
    for name, href in targets:
        page = _new_page(browser)
        counter = _ws_counter(page)
        page.goto(href)
        wait_idle(page)
        # Charts appear once Plotly has loaded (a lazily loaded chunk): wait until their count is
        # steady for a second (at most 20 s).
        seen, steady = -1, 0
        for _ in range(80):
            n = page.locator(".js-plotly-plot").count()
            steady = steady + 1 if n == seen else 0
            seen = n
            if steady >= 4:
                break
            page.wait_for_timeout(250)
        out.append({"page": name, "ws_bytes": counter["bytes"], "ws_frames": counter["frames"],
                    "plots": page.locator(".js-plotly-plot").count(),
                    "errors": page.get_by_test_id("stException").count()})
        page.close()
    return out


class _AppTab:
    """One app in one tab, ready to time learning-rate keypresses."""

    def __init__(self, browser, url: str, keys: tuple[str, ...], all_keys: tuple[str, ...]):
        self.keys, self.all_keys = keys, all_keys
        self.page = page = _new_page(browser)
        page.goto(url)
        wait_idle(page)
        page.wait_for_function(
            "(keys) => keys.every(k => document.querySelector('.st-key-' + k + ' .js-plotly-plot'))",
            arg=list(keys), timeout=60_000)
        page.wait_for_function("() => !!window.Plotly", timeout=60_000)
        page.evaluate(_INAPP_JS)
        self.counter = _ws_counter(page)  # after the first load: counts only what follows
        page.reload()
        wait_idle(page)
        page.wait_for_function("() => !!window.Plotly", timeout=60_000)
        if not page.evaluate(_INAPP_JS):
            raise RuntimeError(f"{url}: Plotly did not load")
        self.painted, self.after, self.bytes, self.values, self.idle, self.sent = [], [], [], [], [], []
        self.all_painted = []
        self.each = {k: [] for k in all_keys}
        self.remounts = {k: 0 for k in all_keys}

    def press(self, key: str, record: bool) -> float | None:
        """Press ``key`` on the α slider; the time (ms) from keydown until the charts in ``keys``
        were painted and the run was over (or None if not ``record``)."""
        page = self.page
        page.bring_to_front()
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        page.evaluate(_ARM_JS, list(self.all_keys))
        before = self.counter["bytes"]
        page.locator(".st-key-alpha").get_by_role("slider").focus()
        page.keyboard.press(key)
        wait_idle(page)
        try:
            page.wait_for_function(_SETTLED_JS, arg=[list(self.keys), QUIET_MS], timeout=30_000, polling=50)
        except Exception:
            raise RuntimeError(f"{page.url}: the charts {self.keys} did not redraw after {key}: "
                               f"{page.evaluate(_READ_JS)}") from None
        res = page.evaluate(_READ_JS)
        self.values.append(page.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue").inner_text())
        if not record:
            return None
        t0 = res["t0"]
        done = max(max(res["rec"][k]["paint"]) for k in self.keys)
        done = max(done, res["idle"])
        self.painted.append(done - t0)
        self.after.append(max(max(res["rec"][k]["after"]) for k in self.keys) - t0)
        self.all_painted.append(max([res["idle"]] + [max(r["paint"]) for r in res["rec"].values() if r["paint"]]) - t0)
        self.bytes.append(self.counter["bytes"] - before)
        self.idle.append(res["idle"] - t0)
        if res["sent"] is not None:
            self.sent.append(res["sent"] - t0)
        for k, gone in zip(self.all_keys, page.evaluate(_REMOUNTED_JS, list(self.all_keys))):
            self.remounts[k] += bool(gone)
        for k in self.all_keys:
            rec = res["rec"].get(k)
            if rec and rec["paint"]:
                self.each[k].append(max(rec["paint"]) - t0)
        return self.painted[-1]

    def row(self, case: str) -> dict:
        n = len(self.painted)
        return {
            "case": case,
            "median_ms": statistics.median(self.painted),
            "median_afterplot_ms": statistics.median(self.after),
            "reps": n,
            "payload_bytes": int(statistics.median(self.bytes)),
            "payload_what": "websocket bytes per α change",
            "alphas": self.values,
            "median_all_charts_ms": statistics.median(self.all_painted),
            "median_rerun_done_ms": statistics.median(self.idle),
            "median_rerun_requested_ms": statistics.median(self.sent) if self.sent else None,
            "median_painted_ms_per_chart": {k: statistics.median(v) for k, v in self.each.items() if v},
            "charts_remounted": {k: f"{self.remounts[k]}/{n}" for k in self.all_keys},
        }


def _in_app(browser, reps: int) -> tuple[dict, dict, list[dict]]:
    """Time learning-rate changes on the real Gradient descent page (app.py) and on the
    combined-figure baseline app, two servers, same keypresses, interleaved; page payloads."""
    ours_proc, ours_url, ours_log = start_streamlit()
    base_proc = base_log = None
    try:
        base_proc, base_url, base_log = start_streamlit(BASELINE_APP)
        payloads = _page_payloads(browser, ours_url)
        ours = _AppTab(browser, ours_url + "/gradient_descent", GD_CHART_KEYS, GD_ALL_CHART_KEYS)
        base = _AppTab(browser, base_url, BASELINE_KEYS, BASELINE_KEYS)
        # Around the default α, staying mostly below the stability limit: 3 steps down, 3 up, ...
        moves = (["ArrowLeft"] * 3 + ["ArrowRight"] * 3) * (reps // 6 + 2)
        ratios = []
        for r, key in enumerate(moves[: reps + 1]):
            order = (ours, base) if r % 2 == 0 else (base, ours)
            for tab in order:
                tab.press(key, record=r > 0)  # the first is a warm-up
            if r > 0:
                ratios.append(ours.painted[-1] / base.painted[-1])
        if ours.values != base.values:
            raise RuntimeError(f"the two apps visited different α values: {ours.values} vs {base.values}")
        ours_row = ours.row("Gradient descent page (app.py): keydown to surface + contour painted and run over")
        base_row = base.row(f"baseline app ({BASELINE_APP}): one {COMBINED_N}x{COMBINED_N} surface+contour "
                            "st.plotly_chart, keydown to painted and run over")
        ours_row["ratio_vs_baseline"] = ours_row["median_ms"] / base_row["median_ms"]
        ours_row["ratio_vs_baseline_paired"] = statistics.median(ratios)
        ours_row["ratio_all_charts_vs_baseline"] = ours_row["median_all_charts_ms"] / base_row["median_ms"]
        ours.page.close()
        base.page.close()
        return ours_row, base_row, payloads
    finally:
        stop_process(ours_proc)
        ours_log.close()
        if base_proc is not None:
            stop_process(base_proc)
            base_log.close()



# ---------------------------------------------------------------------------------------------
# The Gradient descent page by data size, with overlays, and the instant lab (one server)
# ---------------------------------------------------------------------------------------------

#: Rows and columns of the large upload (benchmarks/make_big_csv.py: four features and y), and the rows
#: of a small upload of the same kind (the same columns and fit: only m differs from the large one).
BIG_ROWS, BIG_COLUMNS = 1_000_000, 5
SMALL_ROWS = 200
#: The other optimizers overlaid in the overlay phase (three, each at its default α).
OVERLAY = ("momentum", "nesterov", "adam")
#: Timed keypresses per case and phase (after one warm-up each).
CASE_REPS = 7
#: Lab keypresses: ArrowLeft/ArrowRight on the lab's own α slider (.dl-slider).
LAB_REPS = 7

#: Page clock at the lab slider's keydown; then the lab's own input→redraw latency list grows.
_LAB_ARM_JS = _js("lab_arm")
_LAB_READ_JS = _js("lab_read")


def _load_avg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def _open_gd(page, base_url: str, csv: Path | None, rows: int = BIG_ROWS) -> float:
    """Open the app (the default example), upload ``csv`` on the Data page if given, then go to the
    Gradient descent page through the sidebar (the same session); returns ms from the click until
    every chart was there and the run over (the first visit)."""
    from e2e_support import upload

    page.goto(base_url)
    wait_idle(page)
    if csv is not None:
        upload(page, csv)
        page.wait_for_function(
            "(n) => document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes(n)",
            arg=f"{rows:,} rows", timeout=180_000)
    t0 = time.perf_counter()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
    wait_idle(page, timeout=180_000)
    page.wait_for_function(
        "(keys) => keys.every(k => document.querySelector('.st-key-' + k + ' .js-plotly-plot'))",
        arg=list(GD_ALL_CHART_KEYS), timeout=180_000)
    return (time.perf_counter() - t0) * 1000


def _choose_overlay(page, labels) -> None:
    """Pick ``labels`` in the "Overlay other optimizers" multiselect (key ``overlay``)."""
    box = page.locator(".st-key-overlay")
    for label in labels:
        field = box.locator("input").first
        field.click()
        field.fill(label)
        page.keyboard.press("Enter")
        wait_idle(page, timeout=120_000)
    page.keyboard.press("Escape")
    wait_idle(page, timeout=120_000)
    shown = box.inner_text()
    missing = [label for label in labels if label not in shown]
    if missing:
        raise RuntimeError(f"the overlay multiselect did not take {missing}: {shown!r}")


class _CaseTab(_AppTab):
    """An _AppTab opened through the Data page (optionally with an upload) instead of a URL."""

    def __init__(self, browser, base_url: str, csv: Path | None, rows: int = BIG_ROWS):
        self.keys, self.all_keys = GD_ALL_CHART_KEYS, GD_ALL_CHART_KEYS
        self.page = page = _new_page(browser)
        self.counter = _ws_counter(page)  # before the websocket opens (press() takes differences)
        self.open_ms = _open_gd(page, base_url, csv, rows)
        page.wait_for_function("() => !!window.Plotly", timeout=60_000)
        if not page.evaluate(_INAPP_JS):
            raise RuntimeError(f"{base_url}: Plotly did not load")
        self.reset()

    def reset(self) -> None:
        self.painted, self.after, self.bytes, self.values, self.idle, self.sent = [], [], [], [], [], []
        self.all_painted = []
        self.each = {k: [] for k in self.all_keys}
        self.remounts = {k: 0 for k in self.all_keys}

    def lab_press(self, key: str) -> dict:
        page = self.page
        page.bring_to_front()
        page.evaluate(_LAB_ARM_JS)
        page.locator(".dl-slider").focus()
        page.keyboard.press(key)
        res = page.evaluate(_LAB_READ_JS)
        if res is None:
            raise RuntimeError(f"{page.url}: the instant lab did not redraw after {key}")
        page.wait_for_timeout(1300)  # the lab hands α to the page after 1 s of quiet: let that rerun end
        wait_idle(page, timeout=120_000)
        return res


def _phase(tabs: dict, reps: int) -> dict[str, dict]:
    """α keypresses on every tab, interleaved (alternating order), one warm-up; a row per tab."""
    moves = (["ArrowLeft"] * 3 + ["ArrowRight"] * 3) * (reps // 6 + 2)
    for tab in tabs.values():
        tab.reset()
    names = list(tabs)
    for r, key in enumerate(moves[: reps + 1]):
        for name in (names if r % 2 == 0 else names[::-1]):
            tabs[name].press(key, record=r > 0)
    return {name: tab.row(name) for name, tab in tabs.items()}


def gd_cases(browser, reps: int = CASE_REPS, lab_reps: int = LAB_REPS) -> list[dict]:
    """The Gradient descent page on the default example (5 rows) and on a 1,000,000 × 5 upload, one
    optimizer and then with three overlaid, and the instant lab's α keypress; one server, one tab
    (session) per data, interleaved. Rows carry the 1M/small and overlay/single ratios."""
    from benchmarks.make_big_csv import write_csv
    from core.optimizers import REGISTRY

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-gd-") as tmpdir:
        csv, small_csv = Path(tmpdir) / "big.csv", Path(tmpdir) / "small.csv"
        write_csv(csv, BIG_ROWS, BIG_COLUMNS)
        write_csv(small_csv, SMALL_ROWS, BIG_COLUMNS)
        proc, url, log = start_streamlit()
        try:
            load = [_load_avg()]
            tabs = {"small": _CaseTab(browser, url, None), "small CSV": _CaseTab(browser, url, small_csv, SMALL_ROWS),
                    "1M": _CaseTab(browser, url, csv)}
            opened = {name: tab.open_ms for name, tab in tabs.items()}
            single = _phase(tabs, reps)
            load.append(_load_avg())
            for tab in tabs.values():
                _choose_overlay(tab.page, [REGISTRY[k].label for k in OVERLAY])
            overlaid = _phase(tabs, reps)
            load.append(_load_avg())
            for tab in tabs.values():
                tab.page.bring_to_front()
                tab.page.locator(".st-key-lab_open").get_by_text("Instant lab").click()
                wait_idle(tab.page, timeout=120_000)
                tab.page.wait_for_function(
                    "() => { const r = document.querySelector('.descent-lab'); return r && r.__lab && r.__lab.redraws > 0; }",
                    timeout=60_000)
            lab = {name: {"painted": [], "redraw": []} for name in tabs}
            for r, key in enumerate((["ArrowLeft"] * 2 + ["ArrowRight"] * 2) * (lab_reps // 4 + 2)):
                if r > lab_reps:
                    break
                for name in (list(tabs) if r % 2 == 0 else list(tabs)[::-1]):
                    res = tabs[name].lab_press(key)
                    if r > 0:
                        lab[name]["painted"].append(res["painted"])
                        lab[name]["redraw"].append(res["redraw"])
            load.append(_load_avg())
            for tab in tabs.values():
                tab.page.close()
        finally:
            stop_process(proc)
            log.close()
    what = {"small": "default example (hours, 5 rows)", "small CSV": f"{SMALL_ROWS:,} x {BIG_COLUMNS} upload",
            "1M": f"{BIG_ROWS:,} x {BIG_COLUMNS} upload"}
    for phase, found in (("one optimizer", single), (f"{len(OVERLAY)} optimizers overlaid", overlaid)):
        for name, row in found.items():
            row["case"] = f"GD page, {what[name]}, {phase}: keydown to every chart painted and run over"
            row["data"], row["phase"] = name, phase
            row["open_ms"] = opened[name] if phase == "one optimizer" else None
            rows.append(row)
    by = {(r["data"], r["phase"]): r for r in rows}
    for r in rows:
        if r["data"] == "1M":  # against the same columns on SMALL_ROWS rows (m alone differs), and the example
            r["ratio_1m_small"] = r["median_ms"] / by[("small CSV", r["phase"])]["median_ms"]
            r["ratio_1m_example"] = r["median_ms"] / by[("small", r["phase"])]["median_ms"]
        first = by[(r["data"], "one optimizer")]
        r["ratio_overlay_single"] = r["median_ms"] / first["median_ms"] if r["phase"] != "one optimizer" else None
    for name in tabs:
        rows.append({"case": f"instant lab, {what[name]}: lab α keydown to its contour + path redrawn (painted)",
                     "data": name, "phase": "lab", "median_ms": statistics.median(lab[name]["painted"]),
                     "median_redraw_ms": statistics.median(lab[name]["redraw"]), "reps": len(lab[name]["painted"])})
    lab_rows = {r["data"]: r for r in rows[-len(tabs):]}
    lab_rows["1M"]["ratio_1m_small"] = lab_rows["1M"]["median_ms"] / lab_rows["small CSV"]["median_ms"]
    lab_rows["1M"]["ratio_1m_example"] = lab_rows["1M"]["median_ms"] / lab_rows["small"]["median_ms"]
    for r in rows:
        r["load_avg"] = " → ".join(load)
    return rows


def _cell(row: dict, key: str, fmt: str) -> str:
    """``row[key]`` formatted, or "" when it is missing or None."""
    return fmt.format(row[key]) if row.get(key) is not None else ""


def _table_row(row: dict, *cells) -> str:
    """One markdown table row: each cell a ``(key, fmt)`` pair read from ``row`` by :func:`_cell`, or a string."""
    return "| " + " | ".join(c if isinstance(c, str) else _cell(row, *c) for c in cells) + " |"


def _cases_markdown(rows: list[dict]) -> str:
    out = [f"| case | median ms | rerun over (ms) | first visit (ms) | reps | 1M / {SMALL_ROWS} rows | "
           "1M / example | overlay / single | payload per α change |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        pay = f"{r['payload_bytes'] / 1024:.1f} KiB" if "payload_bytes" in r else ""
        out.append(_table_row(r, r["case"], ("median_ms", "{:.0f}"), ("median_rerun_done_ms", "{:.0f}"),
                              ("open_ms", "{:.0f}"), str(r["reps"]), ("ratio_1m_small", "{:.2f}"),
                              ("ratio_1m_example", "{:.2f}"), ("ratio_overlay_single", "{:.2f}"), pay))
    for r in rows:
        if "median_painted_ms_per_chart" in r:
            per = ", ".join(f"{k} {v:.0f}" for k, v in r["median_painted_ms_per_chart"].items())
            out.append(f"\n{r['case'].split(':')[0]}: each chart painted (ms) {per}; remounts "
                       + ", ".join(f"{k} {v}" for k, v in r["charts_remounted"].items()) + ".")
        elif "median_redraw_ms" in r:
            out.append(f"\n{r['case'].split(':')[0]}: the lab's own input→redraw (Plotly.react returned) "
                       f"{r['median_redraw_ms']:.0f} ms.")
    if rows:
        out.append(f"\nLoad average (1, 5, 15 min) at the start, after each phase: {rows[0]['load_avg']}.")
    return "\n".join(out)


def run(reps: int = REPS, in_app: bool = True, cases: bool = True, only_cases: bool = False) -> list[dict]:
    """Run the benchmark; returns one dict per measured case (and per page payload).

    ``cases``: also :func:`gd_cases` (small and 1,000,000-row data, overlays, the instant lab), whose
    rows have a ``phase`` key; ``only_cases``: nothing else."""
    from playwright.sync_api import sync_playwright

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmpdir, sync_playwright() as pw:
        tmp = Path(tmpdir)
        browser = _launch(pw)
        try:
            if cases or only_cases:
                rows += gd_cases(browser)
            if only_cases:
                return rows
            if in_app:
                ours, base, payloads = _in_app(browser, reps)
                rows += [ours, base]
            combined_label = f"combined figure, {COMBINED_N}x{COMBINED_N} surface + contour (standalone)"
            ours_label = f"our two figures from core.figures, {GRID_N}x{GRID_N} grid (standalone)"
            fresh_label = "our two figures, purge + newPlot each time (what a Streamlit remount does)"
            contour_label = "our contour figure alone (if the surface did not change with α)"
            res = _standalone_paired(browser, {
                combined_label: (lambda r: [combined_figure(r)], 2 * CHART_WIDTH),
                ours_label: (our_figures, CHART_WIDTH),
                fresh_label: (our_figures, CHART_WIDTH, True),
                contour_label: (lambda r: our_figures(r)[1:], CHART_WIDTH),
            }, reps, tmp)
            combined = res[combined_label]
            rows += [combined, res[ours_label], res[fresh_label], res[contour_label]]
            if in_app:
                # Secondary: the in-app time against the standalone Plotly.react of the combined
                # figure (not the same pipeline, and not paired: indicative only).
                ours["ratio_vs_combined"] = ours["median_ms"] / combined["median_ms"]
                for p in payloads:
                    rows.append({"case": f"open page: {p['page']}", "payload_bytes": p["ws_bytes"],
                                 "payload_what": f"websocket bytes ({p['ws_frames']} frames, {p['plots']} plots)",
                                 "under_1mb": p["ws_bytes"] < PAYLOAD_LIMIT})
        finally:
            browser.close()
    return rows


def _markdown(rows: list[dict]) -> str:
    out = ["| case | median ms (painted) | median ms (afterplot) | reps | ours / in-app baseline | "
           "ratio vs standalone combined | payload |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        pay = f"{r['payload_bytes'] / 1024:.1f} KiB {r['payload_what']}" if "payload_bytes" in r else ""
        if "under_1mb" in r:
            pay += "" if r["under_1mb"] else " (OVER 1 MB)"
        base = _cell(r, "ratio_vs_baseline", "{:.2f}")
        if base:
            base += f" (paired {r['ratio_vs_baseline_paired']:.2f})"
        out.append(_table_row(r, r["case"], ("median_ms", "{:.1f}"), ("median_afterplot_ms", "{:.1f}"),
                              ("reps", "{}"), base, ("ratio_vs_combined", "{:.2f}"), pay))
    for r in rows:
        if "median_painted_ms_per_chart" in r:
            per = ", ".join(f"{k} {v:.0f}" for k, v in r["median_painted_ms_per_chart"].items())
            out.append("")
            requested = r.get("median_rerun_requested_ms")
            out.append(f"{r['case'].split(':')[0]}, per α change (median ms from keydown): rerun requested "
                       f"(websocket send) {'n/a' if requested is None else f'{requested:.0f}'}; script run over "
                       f"(stApp notRunning) {r['median_rerun_done_ms']:.0f}; each chart painted: {per}; every "
                       f"chart painted and run over: {r['median_all_charts_ms']:.0f}"
                       + (f" ({r['ratio_all_charts_vs_baseline']:.2f}x the baseline)"
                          if "ratio_all_charts_vs_baseline" in r else "") + ".")
            out.append("Charts replaced by a new element (Streamlit remount, Plotly.newPlot): "
                       + ", ".join(f"{k} {v}" for k, v in r["charts_remounted"].items()) + ".")
            out.append("α values visited: " + ", ".join(r["alphas"]) + ".")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-app", action="store_true", help="skip the in-app comparison with the baseline app")
    parser.add_argument("--no-cases", action="store_true", help="skip the small/1M/overlay/lab cases")
    parser.add_argument("--only-cases", action="store_true", help="only the small/1M/overlay/lab cases")
    args = parser.parse_args(argv)
    t = time.monotonic()
    result = run(in_app=not args.no_app, cases=not args.no_cases, only_cases=args.only_cases)
    print(_cases_markdown([r for r in result if "phase" in r]))
    print()
    print(_markdown([r for r in result if "phase" not in r]))
    print(f"\n(target: ours <= {TARGET_RATIO}x the in-app baseline; payload < 1 MB per page; "
          f"{time.monotonic() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Compare page: the normal equation and gradient descent on the same data, and how each scales."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import streamlit as st

from core import figures
from core.compare import scaling_benchmark, scaling_summary
from core.scaling import scale_check
from ui import latex as tex
from ui import links, results, session
from ui.controls import CHART_CONFIG

TOLERANCES = [1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10]
BUDGETS = [1, 2, 3, 5, 8]  # seconds
BENCH_ROWS = (1_000, 10_000, 100_000)
BENCH_FEATURES = (2, 10, 50, 100)  # 200 features: one size alone can take seconds


def _seconds(s: float) -> str:
    if not np.isfinite(s):
        return "—"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def _tol_label(t: float) -> str:
    return f"{t:.0e}"


def _show_link_problem(key: str, labels, where) -> None:
    """A link's value this bound control does not offer, said beside the control."""
    problem = links.bound_problem(key, list(labels))
    if problem:
        where.warning(tex.md(problem), icon=":material/link_off:")


# ------------------------------------------------------------------------------ page

ds = session.current()
st.title("Compare: normal equation vs gradient descent")
st.markdown("Both methods minimise the same cost on the same data. How close do they get, and at what price?")

try:
    design, fit = results.design(ds), results.fit(ds)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"This data cannot be fitted: {exc} Choose other columns on the Data page."))
    st.stop()

toggles, slider = st.columns(2)  # the two toggles stacked: their labels stay whole at 1024 px
_show_link_problem("cmp_page_alpha", ("true", "false"), toggles)
use_page_alpha = toggles.toggle(
    "α from the Gradient descent page", key="cmp_page_alpha", bind="query-params",
    help="Off: α = 1/λmax, a safe and fast choice for batch descent. On: the α you last chose there, "
         "with its scaling.")
page_settings = session.descent_settings()
follow_page = bool(use_page_alpha and page_settings)
if follow_page:
    standardise = page_settings.standardise
    toggles.markdown(f"Features {'standardised' if standardise else 'in their own units'}, as on the Gradient "
                "descent page.")
else:
    _show_link_problem("cmp_standardise", ("true", "false"), toggles)
    standardise = toggles.toggle("Standardise features", key="cmp_standardise", bind="query-params",
                            value=scale_check(results.model(ds)).differ,
                            help="Run gradient descent on columns centred and scaled to unit spread (θ is "
                                 "compared in the original units). On by default when the columns' scales "
                                 "differ a lot, as on the Gradient descent page.")
_show_link_problem("cmp_tol", [_tol_label(t) for t in TOLERANCES], slider)
tol = slider.select_slider("Stopping tolerance", options=TOLERANCES, value=1e-6, key="cmp_tol",
                       format_func=_tol_label, bind="query-params",
                       help="Gradient descent stops when ‖∇J(θ)‖ ≤ tol · ‖∇J(θ₀)‖, "
                            "starting from θ₀ = 0.")
alpha = page_settings.alpha if follow_page else None
if use_page_alpha and not page_settings:
    st.caption("No learning rate chosen on the Gradient descent page yet: using 1/λmax.")

try:
    with st.spinner(f"Solving both ways on {design.m:,} rows (once per data set and settings)…"):
        result = results.comparison(ds, alpha=alpha, tol=tol, standardise=standardise)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"The comparison could not run: {exc}"))
    st.stop()

status = result.trace.status
show = {"converged": st.success, "max_iterations": st.warning, "diverged": st.error}.get(status, st.info)
show(f"Gradient descent (α = {result.trace.alpha:.4g}{', standardised features' if standardise else ''}): "
     f"{result.trace.message}")

names = list(design.names)
theta_ne, theta_gd = result.theta_normal, result.theta_gd
table = pd.DataFrame({
    "coefficient": [figures.coefficient_label(k, n) for k, n in enumerate(names)],
    "normal equation": [f"{v:.10g}" for v in theta_ne],
    "gradient descent": [f"{v:.10g}" for v in theta_gd],
    "difference": [tex.plain(v, 3) for v in theta_gd - theta_ne],
})
st.dataframe(table, hide_index=True, key="compare_table", width="stretch")
m1, m2 = st.columns(2)
m3, m4 = st.columns(2)  # two by two: the labels stay whole at 1024 px
m1.metric("Digits of agreement", f"{result.agreement_digits:.1f}",
          help="Significant digits on which the two θ agree, for the worst coefficient (15 = all).")
m2.metric("Gradient-descent steps", f"{result.trace.iterations:,}",
          help="Steps taken to reach the tolerance (or the limit).")
m3.metric("Normal equation time", _seconds(result.seconds_normal),
          help="Wall-clock time of the stable solve, measured once for this data.")
m4.metric("Gradient descent time", _seconds(result.seconds_gd),
          help="Wall-clock time of gradient descent from scratch: one pass over the rows for XᵀX and Xᵀy, "
               "then every step from those at O(p²), whatever the number of rows.")
if result.naive_is_estimated:
    naive = (f"The textbook loop over every row, every step, would take about {_seconds(result.seconds_gd_naive)} "
             f"for the same {result.trace.iterations:,} steps (estimated: {result.naive_steps_timed} steps were "
             "timed and scaled, as its cost grows in proportion to the steps).")
else:
    naive = (f"The textbook loop over every row, every step, took {_seconds(result.seconds_gd_naive)} for the "
             "same steps.")
st.caption(naive + " Timings are from one run on this server and vary by a few tens of percent between runs.")

# --- the scaling measurement
st.header("How the cost grows with the data")
st.markdown("Time both methods on random problems with more rows m and more features n. "
            "The normal equation costs one pass over the data, O(m·n²), plus an O(n³) solve; "
            "gradient descent costs O(m·n) per step, times the steps it needs.")
b1, b2 = st.columns([1, 3])
_show_link_problem("bench_budget", [str(b) for b in BUDGETS], b1)
budget = b1.select_slider("Time budget (seconds)", options=BUDGETS, value=3, key="bench_budget", bind="query-params",
                          help="Sizes run from small to large and stop once this much time is spent.")
b2.markdown(f"Rows m: {', '.join(f'{r:,}' for r in BENCH_ROWS)} · features n: "
            f"{', '.join(map(str, BENCH_FEATURES))}")
if st.button("Run the measurement", key="run_benchmark", type="primary", icon=":material/timer:",
             help="Takes about the time budget; the page waits until it finishes."):
    bar = st.progress(0.0, text="Starting…")

    def _progress(fraction: float, text: str) -> None:
        bar.progress(float(min(max(fraction, 0.0), 1.0)), text=text)

    started = time.perf_counter()
    try:
        session.store_benchmark(scaling_benchmark(rows=BENCH_ROWS, features=BENCH_FEATURES,
                                                  budget_s=float(budget), progress=_progress),
                                time.perf_counter() - started)
    except (MemoryError, *session.INPUT_ERRORS) as exc:
        st.error(tex.md(f"The measurement stopped: {exc}"))
    bar.empty()

bench, bench_seconds = session.benchmark()
if isinstance(bench, pd.DataFrame) and not bench.empty:
    scaling_fig = figures.scaling_plot(bench)
    st.plotly_chart(scaling_fig, key="scaling", config=CHART_CONFIG)
    st.caption(tex.md(figures.describe(scaling_fig)))
    st.markdown(scaling_summary(bench))
    st.caption(f"Measured in {bench_seconds:.1f} s on this server.")
    with st.expander("The timings as a table"):
        st.dataframe(bench, hide_index=True, key="bench_table")
else:
    st.caption("No measurement yet: press the button.")

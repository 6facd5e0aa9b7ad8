"""Gradient descent page: the same least-squares problem, solved one step at a time, by several optimizers."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from core import figures
from core.convergence import convergence, rate_line
from core.cost import path_cover_points, slice_fixed
from core.lab_line import sample_size
from core.lab_payload import lab_payload
from core.optimizers import REGISTRY
from core.rates import default_learning_rate, learning_rate_choices, nearest_choice
from core.scaling import scale_check
from core.schedules import SCHEDULES
from core.settings import MAX_ITERATIONS, TOLERANCES, DescentSettings
from core.share import CHALLENGES
from core.spectrum import spectrum
from ui import latex as tex
from ui import results, session
from ui.components.descent_lab import descent_lab
from ui.components.live_chart import live_plotly_chart
from ui.controls import CHART_CONFIG, point_editor_ui
from ui.downloads import downloads_ui

GRID_N = 61
# Steps drawn on the surface and contour (dense at the start, where the path moves; always the first
# and last): a 1000-step run as 1000 SVG markers made each redraw of the contour noticeably slower.
PATH_POINTS = 400
# Data points up to which the fitted-line chart draws the gradient-descent iterate as a trace (above: a shape),
# and the rows it samples from large data: each step's redraw lays out every point in the browser's page.
TRACE_POINTS = 300
FIT_POINTS = 1_000
ICONS = {"converged": ":material/check_circle:", "diverged": ":material/trending_up:",
         "oscillating": ":material/swap_vert:", "too_slow": ":material/hourglass_bottom:",
         "noisy": ":material/grain:"}
SHOW = {"converged": st.success, "diverged": st.error}


def _alpha_label(run, optimizer: str, choices: list[float]):
    """Option labels for α that mark the choices nearest the stability limit and the fastest rate."""
    spec = spectrum(run)
    marks = {}
    if REGISTRY[optimizer].rates == "curvature" and np.isfinite(spec.alpha_max):
        for name, value in (("α* fastest", spec.alpha_best), ("2/λmax limit", spec.alpha_max)):
            nearest = nearest_choice(choices, value)
            marks[nearest] = marks.get(nearest, "") + f" ≈ {name}"
    return lambda a: f"{a:g}{marks.get(a, '')}"


def settings_ui(ds, model, names: list[str], hidden=()) -> DescentSettings:
    """Every control of the run, as one settings value (hidden ones keep the values a link set)."""
    p = model.p
    held = session.held_descent_values()
    scaled = scale_check(model)
    c0, c1, c2 = st.columns([2, 2, 1])
    with c0:
        optimizer = held["optimizer"] if "optimizer" in hidden else st.selectbox(
            "Optimizer", list(REGISTRY), key="optimizer", persist_state="session",
            format_func=lambda key: REGISTRY[key].label,
            help="Batch gradient descent is the plain rule. Stochastic and mini-batch descent use a few rows per "
                 "step; momentum and Nesterov remember the previous step; Adam scales each coordinate's step; "
                 "Newton's method divides by the curvature (one step is the normal equation).")
    with c1:
        standardise = st.toggle("Standardise features", key="standardise", value=scaled.differ,
                                persist_state="session",
                                help="Run on columns centred and scaled to unit spread, then map θ back to the "
                                     "original units. " + scaled.message)
    with c2:
        ridge = st.number_input("Ridge λ", min_value=0.0, max_value=1e6, step=0.1, key="ridge", value=0.0,
                                persist_state="session", format="%g",
                                help="Adds λ/(2m)·‖θ‖² (the intercept is not penalised): the normal equation "
                                     "becomes (XᵀX + λI)θ = Xᵀy, solvable even when XᵀX is singular.")
    run, _ = results.run_model(ds, DescentSettings(standardise=bool(standardise), ridge=float(ridge)))
    rule = REGISTRY[optimizer]
    choices = learning_rate_choices(run, optimizer)
    session.reset_descent_controls(tuple(names), default_learning_rate(run, choices, optimizer), choices)
    a1, a2, a3 = st.columns([3, 1, 1])
    with a1:
        alpha = held["alpha"] or choices[0] if "alpha" in hidden else st.select_slider(
            "Learning rate α", options=choices, key="alpha", persist_state="session",
            format_func=_alpha_label(run, optimizer, choices),
            help="Step size, on a log scale. Values marked ≈ α* (the fastest constant rate for batch descent, "
                 "2/(λmin + λmax)) and ≈ 2/λmax (above it batch descent diverges) are on the slider itself.")
        _alpha_caption(run, rule, float(alpha))
    with a2:
        iterations = held["iterations"] if "iterations" in hidden else st.number_input(
            "Most iterations", min_value=0, max_value=MAX_ITERATIONS, step=100, key="iterations",
            persist_state="session", help="Stop after this many steps if not converged earlier.")
    with a3:
        tol = held["tol"] if "tol" in hidden else st.select_slider(
            "Stopping tolerance", options=list(TOLERANCES), key="tol", persist_state="session",
            format_func=lambda t: f"{t:.0e}",
            help="Converged when the gradient's length falls below this fraction of its starting length: "
                 "‖∇J(θ)‖ ≤ tol · ‖∇J(θ₀)‖.")
    with st.expander("More settings: the optimizer's parameters, a learning-rate schedule, the start θ₀",
                     icon=":material/tune:"):
        params = _parameters_ui(rule)
        schedule, schedule_params = _schedule_ui()
        batch_size, seed = 32, 0
        if rule.rows:
            b1, b2 = st.columns(2)
            batch_size = 1 if rule.batch == 1 else b1.number_input(
                "Batch size", min_value=1, max_value=100_000, value=32, step=1, key="batch_size",
                help="Rows used for each step's gradient.")
            seed = b2.number_input("Random seed", min_value=0, max_value=2**31 - 1, value=0, step=1, key="gd_seed",
                                   help="The same seed draws the same rows: the same path.")
        if "theta0" not in hidden:
            _theta0_ui(names)
    return DescentSettings(optimizer=optimizer, alpha=float(alpha), iterations=int(iterations),
                           theta0=session.theta0(p), tol=float(tol), params=params, batch_size=int(batch_size),
                           seed=int(seed), schedule=schedule, schedule_params=schedule_params, ridge=float(ridge),
                           standardise=bool(standardise))


def _alpha_caption(run, rule, alpha: float) -> None:
    spec = spectrum(run)
    if rule.rates != "curvature" or not np.isfinite(spec.alpha_max):
        st.caption("This optimizer's step does not scale with the curvature: batch descent's limit "
                   f"2/λmax = {tex.plain(spec.alpha_max, 4)} does not apply to it.")
        return
    where = (" · α is **above** it: batch descent diverges." if alpha > spec.alpha_max
             else f" · α is {alpha / spec.alpha_max:.0%} of it.")
    st.caption(f"Stability limit for batch descent: 2/λmax = **{tex.plain(spec.alpha_max, 4)}**{where} "
               f"Fastest constant rate α* = 2/(λmin + λmax) = {tex.plain(spec.alpha_best, 4)}; "
               f"κ = λmax/λmin = {tex.plain(spec.kappa, 3)}.")


def _parameters_ui(rule) -> tuple:
    if not rule.params:
        return ()
    cols = st.columns(len(rule.params))
    return tuple((q.name, float(col.number_input(q.label, min_value=float(q.low), max_value=float(q.high),
                                                 value=float(q.default), format="%g", key=f"hp_{rule.key}_{q.name}",
                                                 help=q.help)))
                 for col, q in zip(cols, rule.params))


def _schedule_ui() -> tuple[str, tuple]:
    s1, s2 = st.columns(2)
    key = s1.selectbox("Learning-rate schedule", list(SCHEDULES), key="schedule",
                       format_func=lambda k: f"{SCHEDULES[k].label}: {SCHEDULES[k].formula}",
                       help="How α changes with the step t.")
    chosen = SCHEDULES[key]
    values = tuple((q.name, float(s2.number_input(q.label, min_value=float(q.low), max_value=float(q.high),
                                                  value=float(q.default), format="%g", key=f"sched_{key}_{q.name}",
                                                  help=q.help)))
                   for q in chosen.params)
    return key, values


def _theta0_ui(names: list[str]) -> None:
    st.markdown("**Start θ₀** (original units)")
    cols = st.columns(min(len(names), 6))
    for k, name in enumerate(names):
        cols[k % len(cols)].number_input(tex.md(figures.coefficient_label(k, name)), step=0.5, format="%g",
                                         key=f"theta0_{k}", persist_state="session",
                                         help="Where gradient descent starts for this coefficient.")


def overlay_ui(run, settings: DescentSettings) -> list[DescentSettings]:
    """Other optimizers from the same start, each at its own default learning rate."""
    others = [k for k in REGISTRY if k != settings.optimizer]
    keys = st.multiselect("Overlay other optimizers (same start, each at its default α)", others, key="overlay",
                          format_func=lambda k: REGISTRY[k].label, placeholder="None",
                          help="Each gets its own colour on the contour, the surface and the cost plot.")
    return [replace(settings, optimizer=k, params=(), alpha=default_learning_rate(run, None, k)) for k in keys]


def metrics_ui(trace, fit, model) -> None:
    final = trace.thetas_original[-1]
    r1, r2, r3, r4 = st.columns(4)
    r1.metric("Steps taken", f"{trace.iterations:,}")
    r2.metric("Final cost J(θ)", tex.plain(trace.costs[-1], 8),
              help=f"J = 1/(2m)·Σ(ŷ − y)² at the last step (plus the ridge term, if any). The minimum, at the "
                   f"normal equation's θ̂, is J(θ̂) = {tex.plain(fit.cost_min, 8)}.")
    r3.metric("Above the minimum", tex.plain(model.gap(final), 3),
              help="J(θ) − J(θ̂): how much cost is left to lose. Zero means gradient descent reached the "
                   "normal equation's answer (up to rounding, about 1e-16 × J).")
    r4.metric("Distance to θ̂", tex.plain(model.distance(final), 3),
              help="‖θ − θ̂‖ in the original units: how far the last step is from the exact answer.")
    line = (r"\theta_{\text{GD}} = " + tex.bmatrix(final, max_rows=12) + r"\qquad \hat\theta = "
            + tex.bmatrix(fit.theta, max_rows=12))
    if trace.scaling is not None:
        line = (r"\theta_{\text{GD}}^{\text{standardised}} = " + tex.bmatrix(trace.theta, max_rows=12)
                + r"\;\mapsto\; " + line)
    st.latex(line)


def surface_ui(ds, run, traces, names, hidden) -> dict:
    p = run.p
    if p < 2:
        st.info("The model has a single coefficient, so there is no cost surface to draw: the history below "
                "shows the descent.", icon=":material/info:")
        return {}
    trace = traces[0]
    fixed = None
    if p > 2:
        s1, s2, s3 = st.columns([1, 1, 2])
        label = lambda k: figures.coefficient_label(k, names[k])  # noqa: E731
        if "surface" in hidden:
            held = session.held_descent_values()
            i, j = held["coef_i"], held["coef_j"]
        else:
            i = s1.selectbox("Surface: x-axis coefficient", range(p), key="coef_i", format_func=label,
                             help="The surface is a slice through two coefficients.")
            j = s2.selectbox("Surface: y-axis coefficient", range(p), key="coef_j", format_func=label,
                             help="The surface is a slice through two coefficients.")
        mode = s3.radio("The other coefficients are held", ["optimum", "current"], key="slice_mode",
                        horizontal=True, format_func={"optimum": "at θ̂", "current": "at the last iterate"}.get)
        fixed = slice_fixed(run, mode, trace.theta)
    else:
        i, j = 0, 1
    if i == j:
        st.error("Choose two different coefficients for the surface.")
        return {}
    # A grid that depends on the data and θ₀ only (not on α), so an α change redraws the path alone,
    # widened only for a path that leaves it (see core.cost.path_cover_points).
    points = [q for t in traces for q in path_cover_points(run, t.thetas[0], t.thetas, i, j)]
    settings = trace.settings
    grid = results.grid(ds, i, j, points, n=GRID_N, theta_fixed=fixed, settings=settings)
    view = f"{ds.version}|{i}|{j}|{settings.standardise}|{settings.ridge}"
    units = "standardised units (the run's)" if settings.standardise else "the original units"
    if p > 2:
        st.caption(f"With more than two coefficients the surface is a slice: the others are held "
                   f"{'at θ̂' if fixed is None or np.allclose(fixed, run.theta_hat) else 'at the last iterate'}. "
                   "The path is drawn at its true cost J(θ), so it floats above the slice while the other "
                   f"coefficients are still on their way. Axes in {units}.")
    else:
        st.caption(f"Surface and contour in {units}.")
    g1, g2 = st.columns(2)
    # Updated in place (Plotly.react), not remounted as st.plotly_chart would be on every α change:
    # faster, and the 3D camera the user chose survives (ui/components/live_chart).
    drawn = {"Cost surface": figures.cost_surface(grid, traces, run.optimum, max_path_points=PATH_POINTS,
                                                  uirevision=view),
             "Contour": figures.cost_contour(grid, traces, run.optimum, max_path_points=PATH_POINTS,
                                             uirevision=view)}
    with g1:
        live_plotly_chart(drawn["Cost surface"], key="surface", config=CHART_CONFIG)
    with g2:
        live_plotly_chart(drawn["Contour"], key="contour", config=CHART_CONFIG)
    return drawn


def instant_lab_ui(ds, model, trace, choices: list[float]) -> None:
    """The same run redrawn in the browser as α or θ₀ move: no server round trip (full-batch rules only).

    Its fourth chart draws the model at the step shown on a sample of the rows (cached once per dataset).
    """
    if REGISTRY[trace.settings.optimizer].rows or model.p < 2:
        return
    # Drawn only when asked for: its three plotly charts would otherwise be laid out, hidden, on every run.
    if not st.toggle("Instant lab: drag α or θ₀ and watch the path redraw in your browser", key="lab_open",
                     help="The same run, recomputed in the browser as you move α or the start (no server round "
                          "trip); let go and the rest of the page follows."):
        return
    with st.container(border=True):
        st.caption("The path is computed in the browser from a few hundred bytes (θ̂, J(θ̂) and the factor R of "
                   "XᵀX), exactly as the server computes it; drag the start on the contour, or press play. "
                   "Let go and the rest of the page follows.")
        try:
            full = results.design(ds)
            shown, _ = results.display_design(ds, sample_size(len(full.features)))
            payload = lab_payload(model, trace.settings, None, step=trace.iterations, alphas=choices, data=shown,
                                  total=full.m)
        except ValueError as exc:
            st.info(tex.md(str(exc)), icon=":material/info:")
            return
        descent_lab(payload, key="descent_lab", on_change=session.take_lab_choice)


def scaling_view_ui(ds, settings: DescentSettings) -> None:
    """Unscaled against standardised contours of the same data, each with the steps batch descent needs."""
    runs = []
    for standardise in (False, True):
        s = replace(settings, optimizer="gd", standardise=standardise, schedule="constant", schedule_params=(),
                    params=())
        run, _ = results.run_model(ds, s)
        s = replace(s, alpha=spectrum(run).alpha_best)
        runs.append((run, s, results.trace(ds, s)))
    if runs[0][0].p < 2:
        return
    cols = st.columns(2)
    for col, (run, s, trace) in zip(cols, runs):
        grid = results.grid(ds, 0, 1, path_cover_points(run, trace.thetas[0], trace.thetas, 0, 1), n=GRID_N,
                            settings=s)
        kind = "standardised" if s.standardise else "original units"
        with col:
            live_plotly_chart(figures.cost_contour(grid, [trace], run.optimum, max_path_points=PATH_POINTS,
                                                   title=f"{kind}: κ = {spectrum(run).kappa:.3g}, "
                                                         f"{trace.iterations:,} steps at α*",
                                                   uirevision=f"{ds.version}|scale|{kind}"),
                              key=f"scaling_{'on' if s.standardise else 'off'}", config=CHART_CONFIG)


def history_ui(traces, run) -> dict:
    h1, h2 = st.columns(2)
    series = [convergence(t, run) for t in traces]
    rate = rate_line(traces[0], run) if traces[0].settings.optimizer == "gd" else None
    drawn = {"Cost history": figures.cost_history(traces, run.optimum),
             "Convergence": figures.convergence_plot(traces, series, rate)}
    with h1:
        live_plotly_chart(drawn["Cost history"], key="history", config=CHART_CONFIG)
    with h2:
        live_plotly_chart(drawn["Convergence"], key="convergence", config=CHART_CONFIG)
    return drawn


def fit_at_step_ui(ds, fit, trace) -> None:
    last = trace.iterations
    session.scrubber_step(trace.settings, last)  # a new run: show where it ended
    k = st.slider("Show the model after step k", min_value=0, max_value=last, key="step",
                  help="Drag (or use the arrow keys) to watch the fitted line move as gradient descent runs.") \
        if last > 0 else 0
    shown, note = results.display_design(ds, FIT_POINTS)  # the sample is drawn once per dataset (cached)
    # Above a few hundred points the iterate is a layout shape: a step then redraws the shape alone, not
    # the thousands of unchanged data points (core.figures.data_space), as cheap as on 5 rows.
    live_plotly_chart(figures.data_and_fit(shown, fit, theta=trace.thetas_original[k],
                                           theta_label=f"Gradient descent, step {k}", uirevision=ds.version,
                                           iterate="shape" if shown.m > TRACE_POINTS else "trace"),
                      key="fit_at_step", config=CHART_CONFIG)
    if note:
        st.caption(note)


# ------------------------------------------------------------------------------ page

ds = session.current()
st.title("Gradient descent")
try:
    design, fit, model = results.design(ds), results.fit(ds), results.model(ds)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"Gradient descent cannot be set up for this data: {exc} Choose other columns on the Data page."))
    st.stop()
names = list(design.names)

st.markdown(
    "Start somewhere, look at the slope of the cost, step downhill, repeat. Each step is "
    r"$\theta \leftarrow \theta - \alpha\,\nabla J(\theta)$ with "
    r"$\nabla J(\theta) = \tfrac1m X^\top(X\theta - y)$."
)
st.info(
    r"**Cost convention.** This page minimises $J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}\big(h_\theta(x^{(i)}) - "
    r"y^{(i)}\big)^2$, the mean form. The source material's $\tfrac12\sum$ form (no $\tfrac1m$) has a gradient "
    rf"$m$ times larger, so its learning rate acts like $m\cdot\alpha$ here: to follow one of its paths, "
    rf"multiply its $\alpha$ by $m = {design.m:,}$.",
    icon=":material/info:",
)

hidden, challenge = session.teacher()
if challenge in CHALLENGES:
    st.info(f"**Challenge:** {CHALLENGES[challenge].text}", icon=":material/flag:")
settings = settings_ui(ds, model, names, hidden)
try:
    trace = results.trace(ds, settings)
    run, _ = results.run_model(ds, settings)
    overlays = [results.trace(ds, s) for s in overlay_ui(run, trace.settings)]
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"Gradient descent could not run: {exc}"))
    st.stop()
session.remember_descent(trace.settings)
if challenge in CHALLENGES and CHALLENGES[challenge].met(trace if CHALLENGES[challenge].needs == "trace" else fit):
    st.success("**Challenge met!** " + CHALLENGES[challenge].text, icon=":material/emoji_events:")

SHOW.get(trace.verdict, st.warning)(trace.message, icon=ICONS.get(trace.verdict))
for other in overlays:
    st.caption(f"{other.label}: {other.message}")
metrics_ui(trace, fit, model)
instant_lab_ui(ds, model, trace, learning_rate_choices(run, trace.settings.optimizer))
drawn = surface_ui(ds, run, [trace, *overlays], names, hidden)

if session.editable_points(ds) is not None:  # (it checks the cached design's row count before any row)
    with st.expander("Drag the data points: the cost surface and the path follow", icon=":material/touch_app:"):
        point_editor_ui(ds, "gd_point_editor")

# --- history and the line moving on the data (live charts: an α change or a scrubber move updates them
# in place instead of remounting them)
drawn |= history_ui([trace, *overlays], run)
fit_at_step_ui(ds, fit, trace)

st.markdown("**Downloads**")
downloads_ui(session.csv_file_name(ds).removesuffix(".csv"), fit, trace, design, drawn)

with st.expander("Why scaling matters: the same data, unscaled and standardised", icon=":material/compare:"):
    st.markdown("Batch descent at its fastest constant rate α* on the raw columns and on standardised ones. "
                "Long, thin valleys (a large condition number κ) make it crawl; standardising rounds them.")
    scaling_view_ui(ds, trace.settings)

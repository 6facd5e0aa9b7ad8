"""Gradient descent page: the same least-squares problem, solved one step at a time."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import figures
from core.cost import path_cover_points
from core.descent import default_learning_rate, learning_rate_choices
from core.optimizers import OPTIMIZERS
from core.settings import MAX_ITERATIONS, DescentSettings
from ui import latex as tex
from ui import results, session
from ui.components.live_chart import live_plotly_chart
from ui.controls import point_editor_ui

TOLERANCES = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12]
GRID_N = 61
# Steps drawn on the surface and contour (dense at the start, where the path moves; always the first
# and last): a 1000-step run as 1000 SVG markers made each redraw of the contour noticeably slower.
PATH_POINTS = 400
CHART_CONFIG = {"displaylogo": False}


def controls_ui(model, names: list[str], choices: list[float]) -> DescentSettings:
    """The learning rate, iterations, tolerance, optimizer and start: the run's settings, as one value."""
    p, limit = model.p, model.max_stable_alpha
    c1, c2, c3 = st.columns([3, 1, 1])
    with c1:
        alpha = st.select_slider(
            "Learning rate α", options=choices, key="alpha", persist_state="session",
            format_func=lambda a: f"{a:g}",
            help=f"Step size, on a log scale. Batch gradient descent converges only below the stability limit "
                 f"2/λmax = {limit:.4g} (λmax: the largest eigenvalue of XᵀX/m, the steepest curvature of J). "
                 "The last values are above it, so you can watch it diverge.",
        )
        st.caption(f"Stability limit for batch descent: 2/λmax = **{tex.plain(limit, 4)}**"
                   + (" · α is **above** it: expect divergence." if alpha >= limit else
                      f" · α is {alpha / limit:.0%} of it."))
    with c2:
        iterations = st.number_input("Most iterations", min_value=0, max_value=MAX_ITERATIONS, step=100,
                                     key="iterations", persist_state="session",
                                     help="Stop after this many steps if not converged earlier.")
    with c3:
        tol = st.select_slider("Stopping tolerance", options=TOLERANCES, key="tol", persist_state="session",
                               format_func=lambda t: f"{t:.0e}",
                               help="Converged when the gradient's length falls below this fraction of its "
                                    "starting length: ‖∇J(θ)‖ ≤ tol · ‖∇J(θ₀)‖.")
    c4, c5 = st.columns([1, 3])
    with c4:
        optimizer = st.selectbox("Optimizer", list(OPTIMIZERS), key="optimizer", persist_state="session",
                                 format_func=lambda key: OPTIMIZERS[key].label,
                                 help="Batch gradient descent is the plain rule above. Momentum and Nesterov "
                                      "remember the previous step; Adam scales each coordinate's step.")
    with c5 if p <= 6 else st.expander(f"Start θ₀ ({p} coefficients, all 0 unless you change them)"):
        st.markdown("**Start θ₀**")
        start_cols = st.columns(min(p, 6))
        for k in range(p):
            start_cols[k % len(start_cols)].number_input(
                tex.md(figures.coefficient_label(k, names[k])), step=0.5, format="%g", key=f"theta0_{k}",
                persist_state="session",
                help="Where gradient descent starts for this coefficient.")
    return DescentSettings(optimizer=optimizer, alpha=float(alpha), iterations=int(iterations),
                           theta0=session.theta0(p), tol=float(tol))


# ------------------------------------------------------------------------------ page

ds = session.current()
st.title("Gradient descent")
try:
    design, fit, model = results.design(ds), results.fit(ds), results.model(ds)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"Gradient descent cannot be set up for this data: {exc} Choose other columns on the Data page."))
    st.stop()

names = list(design.names)
m, p = design.m, design.p
choices = learning_rate_choices(model)
session.reset_descent_controls(tuple(names), default_learning_rate(model, choices), choices)

st.markdown(
    "Start somewhere, look at the slope of the cost, step downhill, repeat. Each step is "
    r"$\theta \leftarrow \theta - \alpha\,\nabla J(\theta)$ with "
    r"$\nabla J(\theta) = \tfrac1m X^\top(X\theta - y)$."
)
st.info(
    r"**Cost convention.** This page minimises $J(\theta) = \frac{1}{2m}\sum_{i=1}^{m}\big(h_\theta(x^{(i)}) - "
    r"y^{(i)}\big)^2$, the mean form. The source material's $\tfrac12\sum$ form (no $\tfrac1m$) has a gradient "
    rf"$m$ times larger, so its learning rate acts like $m\cdot\alpha$ here: to follow one of its paths, "
    rf"multiply its $\alpha$ by $m = {m:,}$.",
    icon=":material/info:",
)

settings = controls_ui(model, names, choices)
try:
    trace = results.trace(ds, settings)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"Gradient descent could not run: {exc}"))
    st.stop()
session.remember_descent(trace.settings)

show = {"converged": st.success, "max_iterations": st.warning, "diverged": st.error}.get(trace.status, st.info)
icons = {"converged": ":material/check_circle:", "max_iterations": ":material/hourglass_bottom:",
         "diverged": ":material/trending_up:"}
show(trace.message, icon=icons.get(trace.status))

final = trace.theta
r1, r2, r3, r4 = st.columns(4)
r1.metric("Steps taken", f"{trace.iterations:,}")
r2.metric("Final cost J(θ)", tex.plain(trace.costs[-1], 8),
          help=f"J = 1/(2m)·Σ(ŷ − y)² at the last step. The minimum, at the normal equation's θ̂, "
               f"is J(θ̂) = {tex.plain(fit.cost_min, 8)}.")
r3.metric("Above the minimum", tex.plain(model.gap(final), 3),
          help="J(θ) − J(θ̂): how much cost is left to lose. Zero means gradient descent reached the "
               "normal equation's answer (up to rounding, about 1e-16 × J).")
r4.metric("Distance to θ̂", tex.plain(model.distance(final), 3),
          help="‖θ − θ̂‖: how far the last step is from the exact answer.")
st.latex(r"\theta_{\text{GD}} = " + tex.bmatrix(final, max_rows=12) + r"\qquad \hat\theta = "
         + tex.bmatrix(fit.theta, max_rows=12))

# --- the cost surface and contours
if p < 2:
    st.info("The model has a single coefficient, so there is no cost surface to draw: the history below "
            "shows the descent.", icon=":material/info:")
else:
    if p > 2:
        s1, s2, _ = st.columns([1, 1, 2])
        label = lambda k: figures.coefficient_label(k, names[k])  # noqa: E731
        i = s1.selectbox("Surface: x-axis coefficient", range(p), key="coef_i", format_func=label,
                         help="The surface is a slice: the other coefficients are held at θ̂.")
        j = s2.selectbox("Surface: y-axis coefficient", range(p), key="coef_j", format_func=label,
                         help="The surface is a slice: the other coefficients are held at θ̂.")
    else:
        i, j = 0, 1
    if i == j:
        st.error("Choose two different coefficients for the surface.")
    else:
        # A grid that depends on the data and θ₀ only (not on α), so an α change redraws the path
        # alone, widened only for a path that leaves it (see core.cost.path_cover_points).
        grid = results.grid(ds, i, j, path_cover_points(model, trace.thetas[0], trace.thetas, i, j), n=GRID_N)
        view = f"{ds.version}|{i}|{j}"
        if p > 2:
            st.caption("With more than two coefficients the surface is a slice: the others are held at θ̂. "
                       "The path is drawn at its true cost J(θ), so it floats above the slice while the other "
                       "coefficients are still on their way to θ̂.")
        g1, g2 = st.columns(2)
        # Updated in place (Plotly.react), not remounted as st.plotly_chart would be on every α change:
        # faster, and the 3D camera the user chose survives (ui/components/live_chart).
        with g1:
            live_plotly_chart(figures.cost_surface(grid, [trace], model.optimum, max_path_points=PATH_POINTS,
                                                   uirevision=view),
                              key="surface", config=CHART_CONFIG)
        with g2:
            live_plotly_chart(figures.cost_contour(grid, [trace], model.optimum, max_path_points=PATH_POINTS,
                                                   uirevision=view),
                              key="contour", config=CHART_CONFIG)

if session.editable_points(ds) is not None:
    with st.expander("Drag the data points: the cost surface and the path follow", icon=":material/touch_app:"):
        point_editor_ui(ds, "gd_point_editor")

# --- history and the line moving on the data (also live charts: an α change or a scrubber move
# updates them in place instead of remounting them, which kept the main thread busy with two
# Plotly.newPlot calls while the surface and contour were being redrawn)
h1, h2 = st.columns(2)
with h1:
    live_plotly_chart(figures.cost_history([trace], model.optimum), key="history", config=CHART_CONFIG)
with h2:
    last = trace.iterations
    session.scrubber_step(trace.settings, last)  # a new run: show where it ended
    if last > 0:
        k = st.slider("Show the model after step k", min_value=0, max_value=last, key="step",
                      help="Drag (or use the arrow keys) to watch the fitted line move as gradient descent runs.")
    else:
        k = 0
    theta_k = trace.thetas[k]
    if np.all(np.isfinite(theta_k)):
        shown, note = results.display_design(ds)
        live_plotly_chart(figures.data_and_fit(shown, fit, theta=theta_k,
                                               theta_label=f"Gradient descent, step {k}",
                                               uirevision=ds.version),
                          key="fit_at_step", config=CHART_CONFIG)
        if note:
            st.caption(note)
    else:
        st.warning(f"At step {k} θ is no longer a finite number (the run diverged).")

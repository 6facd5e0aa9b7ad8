"""Benchmark-only Streamlit app: the naive single-figure layout of the Gradient descent page.

Not part of the app. ``benchmarks/bench_browser.py`` runs it beside ``app.py``
(``streamlit run benchmarks/combined_layout_app.py``) as the fair in-app
baseline: the same learning-rate control (same label, key and options, from
``core.descent.learning_rate_choices``), the same start value, the same other
descent controls, on the same default data (the hours example, through the
same ``core`` calls), but the cost surface and the contour are ONE plotly
figure (``make_subplots``: a 3D scene and an xy axis) over a 200x200 grid,
drawn with ``st.plotly_chart`` (key ``combined``): what the page would be
without the work in ``views/live_chart.py``.

Conservative by design: it draws only that figure (no cost-history or
fitted-line chart), so it does less work per rerun than the real page.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402
from plotly.subplots import make_subplots  # noqa: E402

from core import data as cdata  # noqa: E402
from core.cost import LeastSquaresCost, cost_grid  # noqa: E402
from core.descent import OPTIMIZERS, descend  # noqa: E402
from core.design import design_matrix  # noqa: E402
from core.rates import default_learning_rate, learning_rate_choices  # noqa: E402
from core.settings import MAX_ITERATIONS, TOLERANCES, DescentSettings  # noqa: E402
from core.solve import fit_normal_equation  # noqa: E402

N = 200  # grid points per axis

st.set_page_config(page_title="Benchmark: combined surface + contour figure", layout="wide")


@st.cache_resource(show_spinner=False)
def _problem():
    ex = cdata.example("hours")
    design = design_matrix(ex.frame, ex.target, list(ex.features), ex.degree)
    fit = fit_normal_equation(design)
    return design, fit, LeastSquaresCost.from_fit(fit)


design, fit, model = _problem()
choices = learning_rate_choices(model)

st.title("Gradient descent (combined-figure baseline)")
c1, c2, c3 = st.columns([3, 1, 1])
with c1:
    alpha = st.select_slider("Learning rate α", options=choices, value=default_learning_rate(model, choices),
                             key="alpha", format_func=lambda a: f"{a:g}")
with c2:
    iterations = st.number_input("Most iterations", min_value=0, max_value=MAX_ITERATIONS, step=100,
                                 value=1000, key="iterations")
with c3:
    tol = st.select_slider("Stopping tolerance", options=TOLERANCES, value=1e-6, key="tol",
                           format_func=lambda t: f"{t:.0e}")
optimizer = st.selectbox("Optimizer", list(OPTIMIZERS), key="optimizer", format_func=lambda k: OPTIMIZERS[k].label)
settings = DescentSettings(optimizer=optimizer, alpha=alpha, iterations=int(iterations), tol=tol).checked(model.p)
trace = descend(model, settings)
st.info(trace.message)

finite = trace.thetas[np.all(np.isfinite(trace.thetas), axis=1)]
points = [finite.min(axis=0), finite.max(axis=0), model.theta_hat]
grid = cost_grid(model, 0, 1, points=points, n=N)
a, b, z = np.asarray(grid.a), np.asarray(grid.b), np.asarray(grid.z)
path = finite[:, :2]
costs = np.asarray(trace.costs)[: len(finite)]

fig = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}]],
                    subplot_titles=("Cost J(θ)", "Contours of J(θ)"))
fig.add_trace(go.Surface(x=a, y=b, z=z.astype(np.float32), colorscale="Cividis", showscale=False,
                         name="J(θ)"), row=1, col=1)
fig.add_trace(go.Scatter3d(x=path[:, 0], y=path[:, 1], z=costs, mode="lines+markers",
                           name="gradient-descent path", marker=dict(size=3)), row=1, col=1)
fig.add_trace(go.Contour(x=a, y=b, z=np.log10(np.maximum(z - fit.cost_min, 1e-300)).astype(np.float32),
                         colorscale="Cividis", showscale=False, name="log J"), row=1, col=2)
fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines+markers", name="gradient-descent path"),
              row=1, col=2)
fig.update_layout(height=580, showlegend=False, uirevision="combined",
                  margin=dict(l=40, r=20, t=40, b=40))
st.plotly_chart(fig, key="combined", config={"displaylogo": False})

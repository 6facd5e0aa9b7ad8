"""Figures in data space: the observations, the fitted model, and its residuals.

:func:`data_and_fit` draws the data with the normal-equation fit (a line, a
curve, a plane, or predicted against actual, whichever the design allows) and,
optionally, another θ such as a gradient-descent iterate; :func:`residuals`
draws ``y − ŷ`` against ``ŷ``. Predictions come from ``fit.predict`` and new
design rows from the design's own recipe (``design.matrix(raw=...)``): these
builders only arrange what they are given.

With ``iterate="shape"`` the other θ is drawn as a layout shape (a line,
a curve, or small crosses on at most ``max_iterate_points`` rows) instead of
a trace: a chart updated in place with ``Plotly.react`` then redraws only the
shape when θ moves, and the thousands of data points (unchanged traces) are
not laid out again, so a step costs the same on 5 rows and on a 1,000-point
sample of 1,000,000.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..display import sample_rows
from .style import PALETTE, as_f8, axis_title, finish, inert, pretty_name

__all__ = ["data_and_fit", "residuals"]


def _design_rows(design, raw: np.ndarray) -> np.ndarray | None:
    """Design-matrix rows for other raw feature values, built by the design's own
    recipe (``Design.matrix(raw=...)``); ``None`` if the design cannot rebuild them
    or its recipe does not reproduce its own ``X`` (then only data rows are used)."""
    build = getattr(design, "matrix", None)
    if build is None:
        return None
    try:
        if not np.allclose(build(), design.X, rtol=1e-12, atol=0.0):
            return None
        return build(raw=raw)
    except (TypeError, ValueError):
        return None


def _iterate_shape(path: str, name: str) -> dict:
    """A layout shape in data coordinates drawn like the iterate's trace, with a legend entry."""
    return dict(type="path", path=path, xref="x", yref="y", name=name, showlegend=True, layer="above",
                line=dict(color=PALETTE["iterate"], width=3))


def _polyline(xs: np.ndarray, ys: np.ndarray) -> str:
    """An SVG path through the points (non-finite ones, from a diverged run, are left out)."""
    keep = np.isfinite(xs) & np.isfinite(ys)
    return "M" + "L".join(f"{a:.12g},{b:.12g}" for a, b in zip(xs[keep], ys[keep])) if keep.any() else ""


def _crosses(xs: np.ndarray, ys: np.ndarray, half: float) -> str:
    """An SVG path of small "x" marks, ``half`` data units from the centre."""
    keep = np.isfinite(xs) & np.isfinite(ys)
    return "".join(f"M{a - half:.12g},{b - half:.12g}L{a + half:.12g},{b + half:.12g}"
                   f"M{a - half:.12g},{b + half:.12g}L{a + half:.12g},{b - half:.12g}"
                   for a, b in zip(xs[keep], ys[keep]))


def data_and_fit(design, fit, theta=None, *, title: str | None = None, units: dict | None = None,
                 theta_label: str = "Gradient descent", n_curve: int = 200,
                 height: int = 460, uirevision="data_and_fit", iterate: str = "trace",
                 max_iterate_points: int = 500) -> go.Figure:
    """The data and the fitted model.

    * One feature: scatter of the data and the fitted line (degree 1) or a
      smooth curve over a dense x range (degree > 1).
    * Two features, degree 1: 3D scatter of the data and the fitted plane.
    * Otherwise: predicted against actual, with the y = x diagonal.

    Parameters
    ----------
    design : Design
        ``raw`` (m, k), ``y`` (m,), ``X`` (m, p), ``features``, ``target``,
        ``degree``; new rows are built with ``design.matrix(raw=...)``.
    fit : NormalEquationFit
        Predictions come from ``fit.predict(X)``.
    theta : array_like, shape (p,), optional
        Another θ (e.g. a gradient-descent iterate). Its line/plane is drawn
        solid and the normal-equation fit dashed.
    title : str, optional
    units : dict, optional
        ``{column name: unit}``, shown in the axis titles.
    theta_label : str, default "Gradient descent"
        Legend name for ``theta``.
    n_curve : int, default 200
        Points along the curve for degree > 1.
    height : int, default 460
    uirevision : hashable, default "data_and_fit"
    iterate : {"trace", "shape"}, default "trace"
        How ``theta`` is drawn: a trace, or a layout shape (see the module
        docstring) whose change leaves the data traces as they were. The 3D
        plane (two features) is always a trace.
    max_iterate_points : int, default 500
        Rows marked for ``theta`` on a predicted-against-actual chart drawn
        with ``iterate="shape"`` (evenly spaced, the first and last included).

    Returns
    -------
    plotly.graph_objects.Figure
    """
    if iterate not in ("trace", "shape"):
        raise ValueError(f"iterate must be 'trace' or 'shape', not {iterate!r}.")
    as_shape = iterate == "shape" and theta is not None
    raw = np.asarray(design.raw, dtype=np.float64)
    k = raw.shape[1] if raw.ndim == 2 else 1
    y = as_f8(design.y)
    theta = None if theta is None else as_f8(theta).ravel()
    fit_name = "Normal equation"
    equation = getattr(fit, "equation", None)
    if callable(equation):
        try:
            text = equation()
            # A long equation would run past a half-width chart's edge: the page prints it in full.
            fit_name = f"Normal equation: {inert(text)}" if len(text) <= 48 else "Normal equation (equation above)"
        except Exception:  # a label is never worth a crash
            pass
    fig = go.Figure()

    if k == 1:
        x = as_f8(raw[:, 0])
        fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name="data",
                                 marker=dict(color=PALETTE["data"], size=8, opacity=0.85)))
        n = 2 if design.degree == 1 else max(int(n_curve), 2)
        xs = as_f8(np.linspace(x.min(), x.max(), n))
        rows = _design_rows(design, xs[:, None])
        if rows is None:  # fall back to the data rows themselves, sorted along x
            order = np.argsort(x, kind="stable")
            xs, rows = x[order], np.asarray(design.X)[order]
        fig.add_trace(go.Scatter(x=xs, y=as_f8(fit.predict(rows)), mode="lines", name=fit_name,
                                 line=dict(color=PALETTE["fit"], width=3,
                                           dash="dash" if theta is not None else "solid")))
        if as_shape:
            fig.add_shape(**_iterate_shape(_polyline(np.asarray(xs, float), np.asarray(rows @ theta, float)),
                                           theta_label))
        elif theta is not None:
            fig.add_trace(go.Scatter(x=xs, y=as_f8(rows @ theta), mode="lines", name=theta_label,
                                     line=dict(color=PALETTE["iterate"], width=3)))
        return finish(fig, title=title or f"{pretty_name(design.target)} against {pretty_name(design.features[0])}",
                      height=height, uirevision=uirevision,
                      xaxis_title=axis_title(design.features[0], units),
                      yaxis_title=axis_title(design.target, units))

    if k == 2 and design.degree == 1:
        x1, x2 = as_f8(raw[:, 0]), as_f8(raw[:, 1])
        fig.add_trace(go.Scatter3d(x=x1, y=x2, z=y, mode="markers", name="data",
                                   marker=dict(color=PALETTE["data"], size=4)))
        a = as_f8([x1.min(), x1.max()])
        b = as_f8([x2.min(), x2.max()])
        corners = np.column_stack([np.tile(a, 2), np.repeat(b, 2)])  # row r, col c → (a[c], b[r])
        rows = _design_rows(design, corners)
        planes = [] if rows is None else [(fit_name, as_f8(fit.predict(rows)), PALETTE["fit"])]
        if rows is not None and theta is not None:
            planes.append((theta_label, as_f8(rows @ theta), PALETTE["iterate"]))
        for name, z, colour in planes:
            fig.add_trace(go.Surface(x=a, y=b, z=z.reshape(2, 2), name=name, showscale=False,
                                     showlegend=True, opacity=0.55,
                                     colorscale=[[0.0, colour], [1.0, colour]]))
        return finish(fig, title=title or f"{pretty_name(design.target)} against "
                                          f"{pretty_name(design.features[0])} and {pretty_name(design.features[1])}",
                      height=max(height, 520), uirevision=uirevision,
                      scene=dict(xaxis_title=axis_title(design.features[0], units),
                                 yaxis_title=axis_title(design.features[1], units),
                                 zaxis_title=axis_title(design.target, units),
                                 camera=dict(eye=dict(x=1.6, y=-1.6, z=0.9))))

    X = np.asarray(design.X, dtype=np.float64)
    predicted = as_f8(fit.predict(X))
    fig.add_trace(go.Scatter(x=y, y=predicted, mode="markers", name=fit_name,
                             marker=dict(color=PALETTE["fit"], size=7, opacity=0.8)))
    extra = [] if theta is None or as_shape else [as_f8(X @ theta)]
    for values in extra:
        fig.add_trace(go.Scatter(x=y, y=values, mode="markers", name=theta_label,
                                 marker=dict(color=PALETTE["iterate"], size=6, symbol="x")))
    if as_shape:  # the diagonal below then depends on the data alone: an unchanged trace as θ moves
        marked = sample_rows(len(y), max_iterate_points)
        half = 0.006 * (float(np.ptp(y)) or 1.0)
        fig.add_shape(**_iterate_shape(_crosses(np.asarray(y[marked], float),
                                                np.asarray(X[marked] @ theta, float), half), theta_label))
    lo = float(min(y.min(), predicted.min(), *(v.min() for v in extra)))
    hi = float(max(y.max(), predicted.max(), *(v.max() for v in extra)))
    fig.add_trace(go.Scatter(x=as_f8([lo, hi]), y=as_f8([lo, hi]), mode="lines", name="y = ŷ (perfect prediction)",
                             line=dict(color=PALETTE["reference"], dash="dot", width=1)))
    target = axis_title(design.target, units)
    return finish(fig, title=title or f"Predicted against actual {pretty_name(design.target)}",
                  height=height, uirevision=uirevision,
                  xaxis_title=f"actual {target}", yaxis_title=f"predicted {target}")


def residuals(design, fit, *, title: str | None = None, units: dict | None = None,
              height: int = 360, uirevision="residuals") -> go.Figure:
    """Residuals ``y − ŷ`` against the fitted values ``ŷ``, with the zero line.

    Parameters
    ----------
    design : Design
        ``X`` (m, p) and ``y`` (m,).
    fit : NormalEquationFit
        ``ŷ = fit.predict(design.X)``.
    title : str, optional
    units : dict, optional
        ``{column name: unit}`` for the target.
    height : int, default 360
    uirevision : hashable, default "residuals"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    fitted = as_f8(fit.predict(np.asarray(design.X, dtype=np.float64)))
    resid = as_f8(design.y) - fitted
    fig = go.Figure(go.Scatter(x=fitted, y=resid, mode="markers", name="residual",
                               marker=dict(color=PALETTE["data"], size=7, opacity=0.85),
                               hovertemplate="ŷ = %{x:.4g}<br>y − ŷ = %{y:.4g}<extra></extra>"))
    fig.add_hline(y=0.0, line=dict(color=PALETTE["reference"], width=1, dash="dash"))
    target = axis_title(design.target, units)
    return finish(fig, title=title or "Residuals against fitted values", height=height,
                  uirevision=uirevision, xaxis_title=f"fitted value ŷ: {target}",
                  yaxis_title="residual y − ŷ")


"""Plotly figure builders for the linear-regression pages.

Every builder takes results computed elsewhere in ``core`` (a
:class:`~core.design.Design`, a :class:`~core.solve.NormalEquationFit`, a
:class:`~core.cost.CostGrid`, a :class:`~core.descent.Trace`, a benchmark
``DataFrame``) and returns a :class:`plotly.graph_objects.Figure`. The
builders do no mathematics of their own beyond arranging what they are
given: predictions come from ``fit.predict``, costs from the grid or the
trace. (Two display transforms are the exception and are labelled on the
figure: the contour plot colours ``log10`` of the cost, and the history plot
subtracts ``J(θ̂)`` when asked for the optimality gap.)

Conventions

* Colours come from :data:`PALETTE` (Okabe–Ito, safe for colour-blind
  readers); the cost surface uses the ``"Cividis"`` colour scale.
* Arrays are handed to plotly as numpy arrays, so plotly 7 serialises them
  as base64 typed arrays (``{"dtype": "f4", "bdata": ..., "shape": ...}``)
  instead of long JSON lists. The surface heights are sent as float32.
* ``template="plotly_white"`` and a fixed ``uirevision`` on every figure, so
  that a user's zoom or 3D rotation survives a Streamlit rerun. Pass a
  different ``uirevision`` (e.g. a data-set key) to reset the view when the
  data change.

This module never imports streamlit.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "coefficient_label",
    "data_and_fit",
    "residuals",
    "cost_surface",
    "cost_contour",
    "cost_history",
    "scaling_plot",
    "figure_bytes",
]

#: The eight Okabe–Ito colours, in their usual order.
OKABE_ITO = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)

#: Colours by role. Every colour is an Okabe–Ito colour; ``surface`` is a
#: plotly colour-scale name (Cividis: designed for colour-vision deficiency).
PALETTE: dict[str, str] = {
    "data": "#0072B2",          # observations
    "fit": "#D55E00",           # the normal-equation fit
    "iterate": "#009E73",       # gradient descent in data space and in timings
    "path": "#E69F00",          # the gradient-descent path over the cost
    "optimum": "#F0E442",       # θ̂ (drawn with a black outline)
    "start": "#CC79A7",         # θ₀ of gradient descent
    "reference": "#000000",     # zero line, y = x diagonal, outlines
    "grid": "#56B4E9",          # secondary guide lines (round-off floor)
    "converged": "#009E73",
    "max_iterations": "#E69F00",
    "diverged": "#D55E00",
    "surface": "Cividis",
}

_METHOD_COLOURS = {
    "normal equation": PALETTE["fit"],
    "gradient descent": PALETTE["iterate"],
}
_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_STATUS_TEXT = {
    "converged": "converged",
    "max_iterations": "stopped at the iteration limit",
    "diverged": "diverged",
}
_TEMPLATE = "plotly_white"


# --------------------------------------------------------------------------- helpers


def _f8(values) -> np.ndarray:
    """Contiguous float64 numpy array (serialised by plotly as a typed array)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64))


def _f4(values) -> np.ndarray:
    """Contiguous float32 numpy array, for values drawn but never read back exactly."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32))


def _pretty_name(name: str) -> str:
    """``"x^2"`` → ``"x²"``."""
    return re.sub(r"\^(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPT), str(name))


def coefficient_label(index: int, name: str) -> str:
    """Axis title for a coefficient, e.g. ``"θ₀ (intercept)"``, ``"θ₁ (hours)"``.

    Parameters
    ----------
    index : int
        Position of the coefficient in θ.
    name : str
        The design column's name (``"1"`` is the intercept's column).

    Returns
    -------
    str
    """
    theta = "θ" + str(int(index)).translate(_SUBSCRIPT)
    label = "intercept" if str(name) in ("1", "intercept", "const") else _pretty_name(name)
    return f"{theta} ({label})"


def _axis_title(name: str, units: dict | None) -> str:
    unit = (units or {}).get(name)
    return f"{_pretty_name(name)} ({unit})" if unit else _pretty_name(name)


_TEMPLATE_JSON: dict | None = None


def _set_template(fig: go.Figure) -> None:
    """``fig.update_layout(template=_TEMPLATE)``, without re-validating the template.

    Assigning a template by name makes plotly validate and deep-copy the whole
    template on every figure (about 10 ms, most of the time it takes to build
    one of these small figures, and the Gradient descent page rebuilds four of
    them on every slider move). The registered template is valid already, so a
    fresh copy of it (plain dicts, copied so no figure shares state with the
    registry) is assigned with plotly's validation switched off for that one
    assignment. The figure's JSON holds the same template.
    """
    import copy

    import plotly.io as pio

    global _TEMPLATE_JSON
    if _TEMPLATE_JSON is None:
        _TEMPLATE_JSON = pio.templates[_TEMPLATE].to_plotly_json()
    layout = fig.layout
    validate = getattr(layout, "_validate", True)
    try:
        layout._validate = False
        layout.template = go.layout.Template(copy.deepcopy(_TEMPLATE_JSON), _validate=False)
    finally:
        layout._validate = validate


def _finish(fig: go.Figure, *, title: str, height: int, uirevision, **layout) -> go.Figure:
    _set_template(fig)
    settings = dict(
        title=dict(text=title, x=0.0, xanchor="left", font=dict(size=15)),
        height=height,
        uirevision=uirevision,
        margin=dict(l=60, r=20, t=60, b=110),
        # Legends sit under the title, never across it (half-width charts are narrow).
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0.0),
    )
    settings.update(layout)
    fig.update_layout(**settings)
    return fig


def _theta_vector(value):
    """θ as a float array from an array, a fit (``.theta``) or a cost model (``.theta_hat``)."""
    if value is None:
        return None
    for attr in ("theta", "theta_hat"):
        if hasattr(value, attr) and not isinstance(value, np.ndarray):
            return _f8(getattr(value, attr)).ravel()
    return _f8(value).ravel()


def _pair(theta: np.ndarray, grid) -> tuple[float, float]:
    """The (θ_i, θ_j) coordinates of a full θ (length p) or of a pair (length 2)."""
    p = len(np.ravel(grid.theta_fixed))
    if theta.size == p:
        return float(theta[grid.i]), float(theta[grid.j])
    if theta.size == 2:
        return float(theta[0]), float(theta[1])
    raise ValueError(f"Expected θ with {p} values (or the pair θ_{grid.i}, θ_{grid.j}); got {theta.size}.")


def _path_indices(n_points: int, max_points: int | None) -> np.ndarray:
    """Rows of a trace to draw: all of them, or (if too many) a subset that keeps
    the first and last step and is dense where the path moves most (the start)."""
    if max_points is None or n_points <= max_points:
        return np.arange(n_points)
    half = max(max_points // 2, 2)
    early = np.round(np.geomspace(1, n_points, half)).astype(int) - 1
    even = np.round(np.linspace(0, n_points - 1, max_points - half)).astype(int)
    return np.unique(np.concatenate([early, even, [0, n_points - 1]]))


def _grid_range(values) -> list[float]:
    values = np.asarray(values, dtype=np.float64)
    return [float(values.min()), float(values.max())]


def _leaves_grid(trace, grid) -> bool:
    """True if some point of the path is outside the grid's rectangle (or not finite)."""
    thetas = np.asarray(trace.thetas, dtype=np.float64)
    x, y = thetas[:, int(grid.i)], thetas[:, int(grid.j)]
    (a0, a1), (b0, b1) = _grid_range(grid.a), _grid_range(grid.b)
    with np.errstate(invalid="ignore"):
        inside = (x >= a0) & (x <= a1) & (y >= b0) & (y <= b1)
    return not bool(np.all(inside))


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


# --------------------------------------------------------------------------- data space


def data_and_fit(design, fit, theta=None, *, title: str | None = None, units: dict | None = None,
                 theta_label: str = "Gradient descent", n_curve: int = 200,
                 height: int = 460, uirevision="data_and_fit") -> go.Figure:
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

    Returns
    -------
    plotly.graph_objects.Figure
    """
    raw = np.asarray(design.raw, dtype=np.float64)
    k = raw.shape[1] if raw.ndim == 2 else 1
    y = _f8(design.y)
    theta = None if theta is None else _f8(theta).ravel()
    fit_name = "Normal equation"
    equation = getattr(fit, "equation", None)
    if callable(equation):
        try:
            fit_name = f"Normal equation: {equation()}"
        except Exception:  # a label is never worth a crash
            pass
    fig = go.Figure()

    if k == 1:
        x = _f8(raw[:, 0])
        fig.add_trace(go.Scatter(x=x, y=y, mode="markers", name="data",
                                 marker=dict(color=PALETTE["data"], size=8, opacity=0.85)))
        n = 2 if design.degree == 1 else max(int(n_curve), 2)
        xs = _f8(np.linspace(x.min(), x.max(), n))
        rows = _design_rows(design, xs[:, None])
        if rows is None:  # fall back to the data rows themselves, sorted along x
            order = np.argsort(x, kind="stable")
            xs, rows = x[order], np.asarray(design.X)[order]
        fig.add_trace(go.Scatter(x=xs, y=_f8(fit.predict(rows)), mode="lines", name=fit_name,
                                 line=dict(color=PALETTE["fit"], width=3,
                                           dash="dash" if theta is not None else "solid")))
        if theta is not None:
            fig.add_trace(go.Scatter(x=xs, y=_f8(rows @ theta), mode="lines", name=theta_label,
                                     line=dict(color=PALETTE["iterate"], width=3)))
        return _finish(fig, title=title or f"{_pretty_name(design.target)} against {_pretty_name(design.features[0])}",
                       height=height, uirevision=uirevision,
                       xaxis_title=_axis_title(design.features[0], units),
                       yaxis_title=_axis_title(design.target, units))

    if k == 2 and design.degree == 1:
        x1, x2 = _f8(raw[:, 0]), _f8(raw[:, 1])
        fig.add_trace(go.Scatter3d(x=x1, y=x2, z=y, mode="markers", name="data",
                                   marker=dict(color=PALETTE["data"], size=4)))
        a = _f8([x1.min(), x1.max()])
        b = _f8([x2.min(), x2.max()])
        corners = np.column_stack([np.tile(a, 2), np.repeat(b, 2)])  # row r, col c → (a[c], b[r])
        rows = _design_rows(design, corners)
        planes = [] if rows is None else [(fit_name, _f8(fit.predict(rows)), PALETTE["fit"])]
        if rows is not None and theta is not None:
            planes.append((theta_label, _f8(rows @ theta), PALETTE["iterate"]))
        for name, z, colour in planes:
            fig.add_trace(go.Surface(x=a, y=b, z=z.reshape(2, 2), name=name, showscale=False,
                                     showlegend=True, opacity=0.55,
                                     colorscale=[[0.0, colour], [1.0, colour]]))
        return _finish(fig, title=title or f"{_pretty_name(design.target)} against "
                                           f"{_pretty_name(design.features[0])} and {_pretty_name(design.features[1])}",
                       height=max(height, 520), uirevision=uirevision,
                       scene=dict(xaxis_title=_axis_title(design.features[0], units),
                                  yaxis_title=_axis_title(design.features[1], units),
                                  zaxis_title=_axis_title(design.target, units),
                                  camera=dict(eye=dict(x=1.6, y=-1.6, z=0.9))))

    X = np.asarray(design.X, dtype=np.float64)
    predicted = _f8(fit.predict(X))
    fig.add_trace(go.Scatter(x=y, y=predicted, mode="markers", name=fit_name,
                             marker=dict(color=PALETTE["fit"], size=7, opacity=0.8)))
    extra = [] if theta is None else [_f8(X @ theta)]
    for values in extra:
        fig.add_trace(go.Scatter(x=y, y=values, mode="markers", name=theta_label,
                                 marker=dict(color=PALETTE["iterate"], size=6, symbol="x")))
    lo = float(min(y.min(), predicted.min(), *(v.min() for v in extra)))
    hi = float(max(y.max(), predicted.max(), *(v.max() for v in extra)))
    fig.add_trace(go.Scatter(x=_f8([lo, hi]), y=_f8([lo, hi]), mode="lines", name="y = ŷ (perfect prediction)",
                             line=dict(color=PALETTE["reference"], dash="dot", width=1)))
    target = _axis_title(design.target, units)
    return _finish(fig, title=title or f"Predicted against actual {_pretty_name(design.target)}",
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
    fitted = _f8(fit.predict(np.asarray(design.X, dtype=np.float64)))
    resid = _f8(design.y) - fitted
    fig = go.Figure(go.Scatter(x=fitted, y=resid, mode="markers", name="residual",
                               marker=dict(color=PALETTE["data"], size=7, opacity=0.85),
                               hovertemplate="ŷ = %{x:.4g}<br>y − ŷ = %{y:.4g}<extra></extra>"))
    fig.add_hline(y=0.0, line=dict(color=PALETTE["reference"], width=1, dash="dash"))
    target = _axis_title(design.target, units)
    return _finish(fig, title=title or "Residuals against fitted values", height=height,
                   uirevision=uirevision, xaxis_title=f"fitted value ŷ: {target}",
                   yaxis_title="residual y − ŷ")


# --------------------------------------------------------------------------- parameter space


def _optimum_height(theta_hat, cost_min, model):
    for source in (cost_min, getattr(theta_hat, "cost_min", None), getattr(model, "cost_min", None)):
        if source is not None:
            return float(source)
    return None


def cost_surface(grid, trace=None, theta_hat=None, start=None, *, model=None, cost_min=None,
                 max_path_points: int | None = 2000, title: str | None = None,
                 height: int = 580, uirevision="cost_surface") -> go.Figure:
    """The cost J(θ) over two coefficients as a 3D surface, with the descent path.

    Parameters
    ----------
    grid : CostGrid
        ``a`` (na,) values of θ_i, ``b`` (nb,) values of θ_j, ``z`` (nb, na)
        with ``z[r, c] = J`` at ``θ_i = a[c]``, ``θ_j = b[r]``; ``i``, ``j``,
        ``names``, ``theta_fixed`` (p,).
    trace : Trace, optional
        Drawn as a line with markers at ``(thetas[:, i], thetas[:, j], costs)``.
        With exactly two coefficients those points lie on the surface.
    theta_hat : array_like (p,) or (2,), NormalEquationFit or LeastSquaresCost, optional
        The optimum, marked at height ``J(θ̂)``.
    start : array_like (p,) or (2,), optional
        The start of descent; default the trace's first row.
    model : LeastSquaresCost, optional
        Supplies ``J`` at ``start`` and ``J(θ̂)`` when they are not otherwise known.
    cost_min : float, optional
        ``J(θ̂)``; default ``theta_hat.cost_min`` or ``model.cost_min``.
        Without any of these, θ̂ is drawn at the lowest grid value.
    max_path_points : int or None, default 2000
        Longer traces are thinned (first and last step always kept).
    title : str, optional
    height : int, default 580
    uirevision : hashable, default "cost_surface"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    i, j = int(grid.i), int(grid.j)
    p = len(np.ravel(grid.theta_fixed))
    label_i, label_j = coefficient_label(i, grid.names[0]), coefficient_label(j, grid.names[1])
    z = np.asarray(grid.z)
    fig = go.Figure(go.Surface(
        x=_f8(grid.a), y=_f8(grid.b), z=_f4(z), name="J(θ)", colorscale=PALETTE["surface"],
        opacity=0.92, colorbar=dict(title=dict(text="J(θ)"), len=0.75),
        contours=dict(z=dict(show=True, usecolormap=True, project_z=True, width=1)),
        hovertemplate=f"{label_i} = %{{x:.4g}}<br>{label_j} = %{{y:.4g}}<br>J = %{{z:.4g}}<extra></extra>",
    ))

    if trace is not None:
        idx = _path_indices(len(trace.costs), max_path_points)
        thetas = np.asarray(trace.thetas, dtype=np.float64)[idx]
        fig.add_trace(go.Scatter3d(
            x=_f8(thetas[:, i]), y=_f8(thetas[:, j]), z=_f8(np.asarray(trace.costs)[idx]),
            customdata=idx, mode="lines+markers", name="gradient-descent path",
            line=dict(color=PALETTE["path"], width=7),
            marker=dict(color=PALETTE["path"], size=3.5),
            hovertemplate=(f"step %{{customdata}}<br>{label_i} = %{{x:.4g}}<br>{label_j} = %{{y:.4g}}"
                           "<br>J = %{z:.4g}<extra></extra>"),
        ))
        # Its shadow on the floor, beside the projected contours: the path itself runs on the
        # surface (exactly: its heights are J), where the surface can hide it from some angles.
        fig.add_trace(go.Scatter3d(
            x=_f8(thetas[:, i]), y=_f8(thetas[:, j]), z=_f8(np.full(len(idx), np.nanmin(z))),
            mode="lines", name="path, projected on the floor", showlegend=False, hoverinfo="skip",
            line=dict(color=PALETTE["path"], width=4, dash="dot"),
        ))

    start_theta = _theta_vector(start)
    start_z = None
    if start_theta is None and trace is not None:
        start_theta = _f8(trace.thetas[0])
        start_z = float(trace.costs[0])
    elif start_theta is not None:
        if trace is not None and np.allclose(_pair(start_theta, grid), _pair(_f8(trace.thetas[0]), grid)):
            start_z = float(trace.costs[0])
        elif model is not None and start_theta.size == p:
            start_z = float(model(start_theta))
    if start_theta is not None:
        sx, sy = _pair(start_theta, grid)
        note = "" if start_z is not None else " (height unknown: drawn at the lowest grid value)"
        fig.add_trace(go.Scatter3d(
            x=_f8([sx]), y=_f8([sy]), z=_f8([start_z if start_z is not None else np.nanmin(z)]),
            mode="markers", name="start θ⁽⁰⁾" + note,
            marker=dict(color=PALETTE["start"], size=7, symbol="diamond",
                        line=dict(color=PALETTE["reference"], width=1)),
        ))

    hat = _theta_vector(theta_hat)
    if hat is not None:
        hx, hy = _pair(hat, grid)
        hz = _optimum_height(theta_hat, cost_min, model)
        note = "" if hz is not None else " (J(θ̂) not given: drawn at the lowest grid value)"
        fig.add_trace(go.Scatter3d(
            x=_f8([hx]), y=_f8([hy]), z=_f8([hz if hz is not None else np.nanmin(z)]),
            mode="markers", name="optimum θ̂ (normal equation)" + note,
            marker=dict(color=PALETTE["optimum"], size=8, symbol="diamond",
                        line=dict(color=PALETTE["reference"], width=2)),
        ))

    if title is None:
        title = f"Cost J(θ) over {label_i} and {label_j}"
        if p > 2:
            title += "<br><sup>slice through θ̂: the other coefficients held fixed</sup>"
    scene = dict(xaxis_title=label_i, yaxis_title=label_j, zaxis_title="J(θ)",
                 aspectmode="cube", camera=dict(eye=dict(x=1.2, y=-1.5, z=1.5)))  # from above: the valley in view
    if trace is not None and _leaves_grid(trace, grid):
        # A diverging path would zoom the scene out until the bowl is a dot:
        # keep the axes on the grid and let the path run off the edge.
        scene.update(xaxis_range=_grid_range(grid.a), yaxis_range=_grid_range(grid.b),
                     zaxis_range=[float(np.nanmin(z)), float(np.nanmax(z))])
        fig.update_traces(selector=dict(name="gradient-descent path"),
                          name="gradient-descent path (leaves the plotted range)")
    return _finish(fig, title=title, height=height, uirevision=uirevision, scene=scene,
                   margin=dict(l=0, r=0, t=60, b=40),
                   legend=dict(orientation="h", yanchor="top", y=0.02, xanchor="left", x=0.0))


def cost_contour(grid, trace=None, theta_hat=None, start=None, *, cost_min=None, log_scale: bool = True,
                 max_path_points: int | None = 2000, title: str | None = None,
                 height: int = 520, uirevision="cost_contour") -> go.Figure:
    """Contours of J(θ) over two coefficients, with the descent path.

    A quadratic's level sets crowd together far from the optimum and vanish
    near it on a linear scale, so by default the colours and contour lines
    are of ``log10(J − J(θ̂))`` when ``J(θ̂)`` is known (``cost_min`` or
    ``theta_hat.cost_min``), else of ``log10 J``; the colour bar is labelled
    in J and the hover text shows J itself.

    Parameters
    ----------
    grid : CostGrid
        ``a`` (na,), ``b`` (nb,), ``z`` (nb, na), ``i``, ``j``, ``names``.
    trace : Trace, optional
        The path: a line with markers through ``(thetas[:, i], thetas[:, j])``.
    theta_hat : array_like (p,) or (2,), NormalEquationFit or LeastSquaresCost, optional
        Marked with a star.
    start : array_like (p,) or (2,), optional
        Default the trace's first row.
    cost_min : float, optional
        ``J(θ̂)``, the baseline of the log scale.
    log_scale : bool, default True
        False: plain linear contours of J.
    max_path_points : int or None, default 2000
    title : str, optional
    height : int, default 520
    uirevision : hashable, default "cost_contour"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    i, j = int(grid.i), int(grid.j)
    p = len(np.ravel(grid.theta_fixed))
    label_i, label_j = coefficient_label(i, grid.names[0]), coefficient_label(j, grid.names[1])
    z = np.asarray(grid.z, dtype=np.float64)
    base = _optimum_height(theta_hat, cost_min, None)

    contour = dict(x=_f8(grid.a), y=_f8(grid.b), colorscale=PALETTE["surface"], name="J(θ)",
                   line=dict(width=0.6), ncontours=30)
    if log_scale:
        shift = 0.0 if base is None else base
        above = z - shift
        finite = above[np.isfinite(above) & (above > 0)]
        top = float(finite.max()) if finite.size else 1.0
        # The grid usually passes through θ̂ itself, where the gap is 0 or
        # round-off; clamp the handful of lowest points so the colour range is
        # spent on the visible bowl, not on ten decades of rounding noise.
        low = float(np.quantile(finite, 0.002)) if finite.size else top
        floor = max(low, top * 1e-12, np.finfo(np.float64).tiny)
        shown = np.log10(np.maximum(np.where(np.isfinite(above), above, top), floor))
        decades = np.arange(np.floor(shown.min()), np.ceil(shown.max()) + 1)
        bar = "J(θ) − J(θ̂)" if base is not None else "J(θ)"
        contour.update(z=_f4(shown), customdata=_f4(z),
                       colorbar=dict(title=dict(text=f"{bar}<br>(log scale)"),
                                     tickvals=_f8(decades), ticktext=[f"{10.0 ** d:.0e}" for d in decades]),
                       hovertemplate=(f"{label_i} = %{{x:.4g}}<br>{label_j} = %{{y:.4g}}"
                                      "<br>J = %{customdata:.4g}<extra></extra>"))
    else:
        contour.update(z=_f4(z), colorbar=dict(title=dict(text="J(θ)")),
                       hovertemplate=f"{label_i} = %{{x:.4g}}<br>{label_j} = %{{y:.4g}}<br>J = %{{z:.4g}}<extra></extra>")
    fig = go.Figure(go.Contour(**contour))

    if trace is not None:
        idx = _path_indices(len(trace.costs), max_path_points)
        thetas = np.asarray(trace.thetas, dtype=np.float64)[idx]
        fig.add_trace(go.Scatter(
            x=_f8(thetas[:, i]), y=_f8(thetas[:, j]), customdata=_f8(np.asarray(trace.costs)[idx]),
            mode="lines+markers", name="gradient-descent path",
            line=dict(color=PALETTE["path"], width=2), marker=dict(color=PALETTE["path"], size=5),
            hovertemplate=(f"{label_i} = %{{x:.4g}}<br>{label_j} = %{{y:.4g}}"
                           "<br>J = %{customdata:.4g}<extra></extra>"),
        ))

    start_theta = _theta_vector(start)
    if start_theta is None and trace is not None:
        start_theta = _f8(trace.thetas[0])
    if start_theta is not None:
        sx, sy = _pair(start_theta, grid)
        fig.add_trace(go.Scatter(x=_f8([sx]), y=_f8([sy]), mode="markers", name="start θ⁽⁰⁾",
                                 marker=dict(color=PALETTE["start"], size=12, symbol="diamond",
                                             line=dict(color=PALETTE["reference"], width=1))))
    hat = _theta_vector(theta_hat)
    if hat is not None:
        hx, hy = _pair(hat, grid)
        fig.add_trace(go.Scatter(x=_f8([hx]), y=_f8([hy]), mode="markers", name="optimum θ̂ (normal equation)",
                                 marker=dict(color=PALETTE["optimum"], size=18, symbol="star",
                                             line=dict(color=PALETTE["reference"], width=1.5))))
    if title is None:
        title = f"Contours of J(θ) over {label_i} and {label_j}"
        if p > 2:
            title += "<br><sup>slice through θ̂: the other coefficients held fixed</sup>"
    if trace is not None and _leaves_grid(trace, grid):
        fig.update_traces(selector=dict(name="gradient-descent path"),
                          name="gradient-descent path (leaves the plotted range)")
    # The axes stay on the grid, so a diverging path runs off the edge instead
    # of shrinking the contours to a dot.
    return _finish(fig, title=title, height=height, uirevision=uirevision,
                   xaxis=dict(title=dict(text=label_i), range=_grid_range(grid.a)),
                   yaxis=dict(title=dict(text=label_j), range=_grid_range(grid.b)))


# --------------------------------------------------------------------------- descent and timing


def cost_history(trace, cost_min=None, *, title: str | None = None, height: int = 380,
                 uirevision="cost_history") -> go.Figure:
    """Cost per iteration on a log y-axis, and how the run ended.

    Parameters
    ----------
    trace : Trace
        ``costs`` (k+1,), ``status``, ``iterations``, ``message``.
    cost_min : float, optional
        ``J(θ̂)``. If given, the plot shows the optimality gap
        ``J(θ_k) − J(θ̂)``, floored at a round-off level (machine epsilon
        times the cost's scale) because a log axis cannot show zero or the
        negative noise of subtracting nearly equal numbers.
    title : str, optional
    height : int, default 380
    uirevision : hashable, default "cost_history"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    costs = _f8(trace.costs)
    steps = np.arange(costs.size)
    finite = costs[np.isfinite(costs)]
    if cost_min is not None:
        scale = abs(float(cost_min)) or (float(np.max(np.abs(finite))) if finite.size else 1.0)
        floor = max(np.finfo(np.float64).eps * scale, np.finfo(np.float64).tiny)
        values = costs - float(cost_min)
        y_title = "optimality gap J(θₖ) − J(θ̂)  (log scale)"
        name = "J(θₖ) − J(θ̂)"
    else:
        positive = finite[finite > 0]
        floor = max(np.finfo(np.float64).eps * (float(positive.max()) if positive.size else 1.0),
                    np.finfo(np.float64).tiny)
        values = costs.copy()
        y_title = "cost J(θₖ)  (log scale)"
        name = "J(θₖ)"
    floored = np.isfinite(values) & (values < floor)
    values = np.where(floored, floor, values)

    status = str(getattr(trace, "status", ""))
    colour = PALETTE.get(status, PALETTE["reference"])
    fig = go.Figure(go.Scatter(x=steps, y=values, mode="lines", name=name,
                               line=dict(color=PALETTE["path"], width=2),
                               hovertemplate="step %{x}<br>%{y:.4g}<extra></extra>"))
    if floored.any():
        fig.add_hline(y=floor, line=dict(color=PALETTE["grid"], width=1, dash="dot"),
                      annotation_text="round-off floor", annotation_position="bottom left")
    last = int(np.flatnonzero(np.isfinite(values))[-1]) if np.isfinite(values).any() else None
    status_text = _STATUS_TEXT.get(status, status or "finished")
    iterations = getattr(trace, "iterations", costs.size - 1)
    if last is not None:
        fig.add_trace(go.Scatter(x=np.array([last]), y=_f8([values[last]]), mode="markers",
                                 name=f"{status_text} (step {last})",
                                 marker=dict(color=colour, size=11, symbol="circle",
                                             line=dict(color=PALETTE["reference"], width=1)),
                                 hovertext=[str(getattr(trace, "message", ""))], hoverinfo="text"))
    fig.add_annotation(text=f"<b>{status_text}</b> after {iterations} iteration(s)",
                       xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right", yanchor="bottom",
                       showarrow=False, font=dict(color=colour, size=13))
    return _finish(fig, title=title or "Gradient descent: cost per iteration", height=height,
                   uirevision=uirevision, xaxis_title="iteration k", yaxis_title=y_title,
                   yaxis_type="log", showlegend=False)


def scaling_plot(df, *, title: str | None = None, height: int = 440, uirevision="scaling_plot") -> go.Figure:
    """Wall-clock seconds against the number of rows m, log–log.

    One colour per method, one dash style per number of features n.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ``m``, ``n``, ``method``, ``seconds`` (as returned by
        ``core.compare.scaling_benchmark``).
    title : str, optional
    height : int, default 440
    uirevision : hashable, default "scaling_plot"

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ValueError
        If a required column is missing.
    """
    missing = [c for c in ("m", "n", "method", "seconds") if c not in df.columns]
    if missing:
        raise ValueError(f"scaling_plot needs columns m, n, method, seconds; missing {missing}.")
    fig = go.Figure()
    methods = list(dict.fromkeys(df["method"].astype(str)))
    n_values = sorted(df["n"].unique())
    others = iter([c for c in OKABE_ITO[1:] if c not in _METHOD_COLOURS.values()] * 4)
    colours = {mth: _METHOD_COLOURS.get(mth.lower()) or next(others) for mth in methods}
    for method in methods:
        for n_index, n in enumerate(n_values):
            part = df[(df["method"].astype(str) == method) & (df["n"] == n)].sort_values("m")
            if part.empty:
                continue
            label = f"{method}, n = {n}" if len(n_values) > 1 else method
            fig.add_trace(go.Scatter(
                x=_f8(part["m"].to_numpy()), y=_f8(part["seconds"].to_numpy()),
                mode="lines+markers", name=label, legendgroup=method,
                line=dict(color=colours[method], dash=_DASHES[n_index % len(_DASHES)], width=2),
                marker=dict(color=colours[method], size=7),
                hovertemplate=f"{method}, n = {n}<br>m = %{{x:,}}<br>%{{y:.3g}} s<extra></extra>",
            ))
    if df.empty:
        fig.add_annotation(text="No timings yet.", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return _finish(fig, title=title or "Time to fit against number of rows", height=height,
                   uirevision=uirevision, xaxis_title="rows m (log scale)",
                   yaxis_title="wall-clock time, seconds (log scale)", xaxis_type="log", yaxis_type="log")


def figure_bytes(fig: go.Figure) -> int:
    """Size of the figure's JSON, ``len(fig.to_json())``: what the browser is sent.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure

    Returns
    -------
    int
    """
    return len(fig.to_json())

"""Figures in parameter space: the cost J(θ) over two coefficients, with the runs' paths.

:func:`cost_surface` (3D) and :func:`cost_contour` (2D) take one shape of
input: a :class:`~core.cost.CostGrid`, a sequence (possibly empty) of
gradient-descent runs (:class:`~core.descent.Trace`) and the optimum
(:class:`~core.cost.Optimum`, ``(θ̂, J(θ̂))``) or None. Both open the same way
(:func:`_open`: the grid's two coefficients, their labels, the heights and
the title) and lay out the runs the same way (:func:`_drawn_runs`: a colour and
a legend entry per run, long paths thinned, runs that leave the grid named so).

One run is drawn as the pages have always drawn it: a path named
"gradient-descent path" in ``PALETTE["path"]``, a "start θ⁽⁰⁾" marker and the
"optimum θ̂ (normal equation)" marker. Several runs are named by their
``label`` and coloured from :data:`~core.figures.style.RUN_COLOURS`; runs that
share θ₀ share one start marker, otherwise each start is marked in its run's
colour.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np
import plotly.graph_objects as go

from .style import (PALETTE, RunStyle, as_f4, as_f8, check_runs, coefficient_label, finish,
                    run_styles)

__all__ = ["cost_surface", "cost_contour", "ONE_PATH", "START", "OPTIMUM"]

#: Legend names of a single run's path, of the (shared) start and of θ̂.
ONE_PATH = "gradient-descent path"
START = "start θ⁽⁰⁾"
OPTIMUM = "optimum θ̂ (normal equation)"
_LEAVES = " (leaves the plotted range)"
#: The 3D camera: from above, so the valley is in view, and far enough back that the cube, its tick
#: labels and all three axis titles fit a phone's narrow scene (358 × 462 px at 390 px: plotly's
#: field of view is fixed vertically, so a narrow scene is where a label is cut first; the z-axis
#: title went off the left edge at 1.0×, and the surface has no colour bar to take more width).
_EYE = dict(x=1.2 * 1.5, y=-1.5 * 1.5, z=1.5 * 1.5)
_SLICE_NOTE = "<br><sup>slice through θ̂: the other coefficients held fixed</sup>"


class _Slice(NamedTuple):
    """What both cost figures start from: the grid's coefficients, labels and heights."""

    i: int
    j: int
    p: int
    label_i: str
    label_j: str
    z: np.ndarray

    def title(self, what: str) -> str:
        """``"<what> over θ_i (…) and θ_j (…)"``, noting a slice when p > 2."""
        text = f"{what} over {self.label_i} and {self.label_j}"
        return text + _SLICE_NOTE if self.p > 2 else text

    def hover(self, height: str, before: str = "") -> str:
        """Hover text: the two coefficients and J (``height`` is a plotly format field)."""
        return (f"{before}{self.label_i} = %{{x:.4g}}<br>{self.label_j} = %{{y:.4g}}"
                f"<br>J = {height}<extra></extra>")

    def pair(self, theta) -> tuple[float, float]:
        """The (θ_i, θ_j) coordinates of a full θ (length p)."""
        theta = np.ravel(np.asarray(theta, dtype=np.float64))
        if theta.size != self.p:
            raise ValueError(f"Expected θ with {self.p} values, one per coefficient; got {theta.size}.")
        return float(theta[self.i]), float(theta[self.j])




class _DrawnRun(NamedTuple):
    """One run as drawn: its style, the rows kept, and whether it leaves the grid."""

    run: object
    style: RunStyle
    rows: np.ndarray      # indices of the kept steps
    thetas: np.ndarray    # (len(rows), p)
    costs: np.ndarray     # (len(rows),)
    leaves: bool

    @property
    def name(self) -> str:
        return self.style.name + (_LEAVES if self.leaves else "")

    def group(self, several: bool) -> dict:
        """Legend grouping (path, shadow and start toggle together) when there are several runs."""
        return dict(legendgroup=self.style.name) if several else {}

    def line(self, width: float, dash: str | None = None) -> dict:
        dash = dash or self.style.dash
        return dict(color=self.style.colour, width=width, **({} if dash == "solid" else {"dash": dash}))


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


def _leaves_grid(thetas: np.ndarray, grid) -> bool:
    """True if some point of the path is outside the grid's rectangle (or not finite)."""
    x, y = thetas[:, int(grid.i)], thetas[:, int(grid.j)]
    (a0, a1), (b0, b1) = _grid_range(grid.a), _grid_range(grid.b)
    with np.errstate(invalid="ignore"):
        inside = (x >= a0) & (x <= a1) & (y >= b0) & (y <= b1)
    return not bool(np.all(inside))


def _drawn_runs(runs: Sequence, grid, max_path_points: int | None) -> list[_DrawnRun]:
    """Each run with its colour and legend name (one run: "gradient-descent path")."""
    runs = check_runs(runs)
    styles = run_styles(runs)
    if len(runs) == 1:
        styles = [RunStyle(PALETTE["path"], "solid", ONE_PATH)]
    drawn = []
    for run, style in zip(runs, styles):
        all_thetas = np.asarray(run.thetas, dtype=np.float64)
        rows = _path_indices(len(run.costs), max_path_points)
        drawn.append(_DrawnRun(run=run, style=style, rows=rows, thetas=all_thetas[rows],
                               costs=np.asarray(run.costs, dtype=np.float64)[rows],
                               leaves=_leaves_grid(all_thetas, grid)))
    return drawn


def _open(grid, runs: Sequence, max_path_points: int | None) -> tuple[_Slice, list[_DrawnRun], bool]:
    """The common opening of both cost figures: the slice, the runs as drawn, and whether there are several."""
    i, j = int(grid.i), int(grid.j)
    s = _Slice(i=i, j=j, p=len(np.ravel(grid.theta_fixed)),
               label_i=coefficient_label(i, grid.names[0]), label_j=coefficient_label(j, grid.names[1]),
               z=np.asarray(grid.z, dtype=np.float64))
    drawn = _drawn_runs(runs, grid, max_path_points)
    return s, drawn, len(drawn) > 1


class _Start(NamedTuple):
    theta: np.ndarray
    cost: float
    colour: str
    name: str
    group: dict


def _starts(drawn: list[_DrawnRun]) -> list[_Start]:
    """One start marker if every run starts at the same θ₀, else one per run in its colour."""
    firsts = [np.asarray(d.run.thetas[0], dtype=np.float64) for d in drawn]
    if not firsts:
        return []
    if all(np.array_equal(f, firsts[0]) for f in firsts):
        return [_Start(firsts[0], float(drawn[0].run.costs[0]), PALETTE["start"], START, {})]
    return [_Start(f, float(d.run.costs[0]), d.style.colour, f"{START} of {d.style.name}",
                   dict(d.group(True), showlegend=False)) for f, d in zip(firsts, drawn)]


def cost_surface(grid, runs: Sequence = (), optimum=None, *, max_path_points: int | None = 2000,
                 title: str | None = None, height: int = 580, uirevision="cost_surface") -> go.Figure:
    """The cost J(θ) over two coefficients as a 3D surface, with each run's path.

    Parameters
    ----------
    grid : CostGrid
        ``a`` (na,) values of θ_i, ``b`` (nb,) values of θ_j, ``z`` (nb, na)
        with ``z[r, c] = J`` at ``θ_i = a[c]``, ``θ_j = b[r]``; ``i``, ``j``,
        ``names``, ``theta_fixed`` (p,).
    runs : sequence of Trace
        Each drawn as a line with markers at ``(thetas[:, i], thetas[:, j], costs)``
        (with exactly two coefficients those points lie on the surface), with
        its shadow on the floor, and its start at height ``costs[0]``. May be
        empty; a single trace (not in a list) raises TypeError.
    optimum : Optimum, optional
        ``(θ̂ (p,), J(θ̂))``, marked at height ``J(θ̂)``.
    max_path_points : int or None, default 2000
        Longer runs are thinned (first and last step always kept).
    title : str, optional
    height : int, default 580
    uirevision : hashable, default "cost_surface"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    s, drawn, several = _open(grid, runs, max_path_points)
    floor = float(np.nanmin(s.z))
    fig = go.Figure(go.Surface(
        x=as_f8(grid.a), y=as_f8(grid.b), z=as_f4(s.z), name="J(θ)", colorscale=PALETTE["surface"],
        opacity=0.92, showscale=False,  # the z axis is J(θ): a colour bar would only repeat it, in width a phone lacks
        contours=dict(z=dict(show=True, usecolormap=True, project_z=True, width=1)),
        hovertemplate=s.hover("%{z:.4g}"),
    ))
    for d in drawn:
        fig.add_trace(go.Scatter3d(
            x=as_f8(d.thetas[:, s.i]), y=as_f8(d.thetas[:, s.j]), z=as_f8(d.costs), customdata=d.rows,
            mode="lines+markers", name=d.name, line=d.line(7), marker=dict(color=d.style.colour, size=3.5),
            hovertemplate=s.hover("%{z:.4g}", f"{d.style.name}<br>" * several + "step %{customdata}<br>"),
            **d.group(several),
        ))
        # Its shadow on the floor, beside the projected contours: the path itself runs on the
        # surface (exactly: its heights are J), where the surface can hide it from some angles.
        fig.add_trace(go.Scatter3d(
            x=as_f8(d.thetas[:, s.i]), y=as_f8(d.thetas[:, s.j]), z=as_f8(np.full(len(d.rows), floor)),
            mode="lines", name="path, projected on the floor", showlegend=False, hoverinfo="skip",
            line=d.line(4, "dot"), **d.group(several),
        ))
    for start in _starts(drawn):
        sx, sy = s.pair(start.theta)
        fig.add_trace(go.Scatter3d(
            x=as_f8([sx]), y=as_f8([sy]), z=as_f8([start.cost]), mode="markers", name=start.name,
            marker=dict(color=start.colour, size=7, symbol="diamond",
                        line=dict(color=PALETTE["reference"], width=1)), **start.group,
        ))
    if optimum is not None:
        hx, hy = s.pair(optimum.theta)
        fig.add_trace(go.Scatter3d(
            x=as_f8([hx]), y=as_f8([hy]), z=as_f8([float(optimum.cost)]), mode="markers", name=OPTIMUM,
            marker=dict(color=PALETTE["optimum"], size=8, symbol="diamond",
                        line=dict(color=PALETTE["reference"], width=2)),
        ))

    scene = dict(xaxis_title=s.label_i, yaxis_title=s.label_j, zaxis_title="J(θ)",
                 aspectmode="cube", camera=dict(eye=_EYE))
    if any(d.leaves for d in drawn):
        # A diverging path would zoom the scene out until the bowl is a dot:
        # keep the axes on the grid and let the path run off the edge.
        scene.update(xaxis_range=_grid_range(grid.a), yaxis_range=_grid_range(grid.b),
                     zaxis_range=[floor, float(np.nanmax(s.z))])
    return finish(fig, title=title or s.title("Cost J(θ)"), height=height, uirevision=uirevision,
                  scene=scene, margin=dict(l=0, r=0, t=60, b=40),
                  legend=dict(orientation="h", yanchor="top", y=0.02, xanchor="left", x=0.0))


def _log_contour(s: _Slice, base: float | None) -> dict:
    """Contour settings colouring ``log10(J − J(θ̂))`` (or ``log10 J`` without J(θ̂))."""
    above = s.z - (0.0 if base is None else base)
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
    return dict(z=as_f4(shown), customdata=as_f4(s.z), hovertemplate=s.hover("%{customdata:.4g}"),
                colorbar=dict(title=dict(text=f"{bar}<br>(log scale)"),
                              tickvals=as_f8(decades), ticktext=[f"{10.0 ** d:.0e}" for d in decades]))


def cost_contour(grid, runs: Sequence = (), optimum=None, *, log_scale: bool = True,
                 max_path_points: int | None = 2000, title: str | None = None,
                 height: int = 520, uirevision="cost_contour") -> go.Figure:
    """Contours of J(θ) over two coefficients, with each run's path.

    A quadratic's level sets crowd together far from the optimum and vanish
    near it on a linear scale, so by default the colours and contour lines
    are of ``log10(J − J(θ̂))`` when the optimum is given, else of
    ``log10 J``; the colour bar is labelled in J and the hover text shows J
    itself.

    Parameters
    ----------
    grid : CostGrid
        ``a`` (na,), ``b`` (nb,), ``z`` (nb, na), ``i``, ``j``, ``names``.
    runs : sequence of Trace
        Each drawn as a line with markers through ``(thetas[:, i], thetas[:, j])``,
        with its start. May be empty; a single trace (not in a list)
        raises TypeError.
    optimum : Optimum, optional
        ``(θ̂ (p,), J(θ̂))``: θ̂ is marked with a star and J(θ̂) is the
        baseline of the log scale.
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
    s, drawn, several = _open(grid, runs, max_path_points)
    contour = dict(x=as_f8(grid.a), y=as_f8(grid.b), colorscale=PALETTE["surface"], name="J(θ)",
                   line=dict(width=0.6), ncontours=30)
    if log_scale:
        contour.update(_log_contour(s, None if optimum is None else float(optimum.cost)))
    else:
        contour.update(z=as_f4(s.z), colorbar=dict(title=dict(text="J(θ)")), hovertemplate=s.hover("%{z:.4g}"))
    fig = go.Figure(go.Contour(**contour))
    for d in drawn:
        fig.add_trace(go.Scatter(
            x=as_f8(d.thetas[:, s.i]), y=as_f8(d.thetas[:, s.j]), customdata=as_f8(d.costs),
            mode="lines+markers", name=d.name, line=d.line(2), marker=dict(color=d.style.colour, size=5),
            hovertemplate=s.hover("%{customdata:.4g}", f"{d.style.name}<br>" * several), **d.group(several),
        ))
    for start in _starts(drawn):
        sx, sy = s.pair(start.theta)
        fig.add_trace(go.Scatter(x=as_f8([sx]), y=as_f8([sy]), mode="markers", name=start.name,
                                 marker=dict(color=start.colour, size=12, symbol="diamond",
                                             line=dict(color=PALETTE["reference"], width=1)), **start.group))
    if optimum is not None:
        hx, hy = s.pair(optimum.theta)
        fig.add_trace(go.Scatter(x=as_f8([hx]), y=as_f8([hy]), mode="markers", name=OPTIMUM,
                                 marker=dict(color=PALETTE["optimum"], size=18, symbol="star",
                                             line=dict(color=PALETTE["reference"], width=1.5))))
    # The axes stay on the grid, so a diverging path runs off the edge instead
    # of shrinking the contours to a dot.
    return finish(fig, title=title or s.title("Contours of J(θ)"), height=height, uirevision=uirevision,
                  xaxis=dict(title=dict(text=s.label_i), range=_grid_range(grid.a)),
                  yaxis=dict(title=dict(text=s.label_j), range=_grid_range(grid.b)))

"""Residuals drawn as squares: the sum of squares a straight line leaves, made visible.

:func:`residual_squares` draws one feature's data, its least-squares line,
optionally a student's own line ("my line", dashed), and for the chosen line
each residual y − ŷ as a square of side |y − ŷ| standing on the vertical gap
between the point and the line, so the squares' total area is the line's sum
of squares. :func:`sum_of_squares_bars` compares the two sums side by side.

A square of side |r| is only square on screen when one unit of x is drawn as
long as one unit of y, so the figure locks the axes to one scale
(``scaleanchor``) whenever the data's spans in x and y are within a factor of
:data:`EQUAL_AXES_MAX_RATIO` of each other. Beyond that one scale would squash
the data into a strip, and the residuals are drawn as rectangles instead:
height |r|, width |r|·(x-span / y-span), so each covers the same fraction of
the x-span as of the y-span, and their areas stay proportional to r².
The figure's subtitle says which of the two it is. Every number comes from
:mod:`core.squares`; this module only arranges it.
"""

from __future__ import annotations

import math
import textwrap
from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go

from ..squares import LineSums, least_squares_line, line_sums
from .style import PALETTE, as_f8, axis_title, finish, pretty_name

__all__ = ["EQUAL_AXES_MAX_RATIO", "MAX_SQUARES", "SHOW", "residual_squares", "sum_of_squares_bars"]

#: Equal axes (true squares) while the y-span and x-span are within this factor of each other.
EQUAL_AXES_MAX_RATIO = 3.0
#: Most squares drawn (evenly spread over the rows); the sums always count every row.
MAX_SQUARES = 400
#: What ``show`` may be: whose residuals are drawn as squares.
SHOW = ("least squares", "my line", "both", "none")
SQUARE_OPACITY = 0.25
_DIGITS = 4
_LS_NAME, _MY_NAME = "least-squares line", "my line"
_THE = {_LS_NAME: "the least-squares line", _MY_NAME: "my line"}


class _Line(NamedTuple):
    """One line of the figure: its ``show`` key, legend name, sums, colour and dash."""

    key: str
    name: str
    sums: LineSums
    colour: str
    dash: str


#: Characters per line of a title and of a subtitle: a chart on a phone (about 360 px) shows them whole.
TITLE_CHARS, SUBTITLE_CHARS = 44, 56


def _lines(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters at spaces (plotly titles do not wrap).

    >>> _lines("My line's sum of squares, 12.3, is larger: least squares (7.5) is never larger", 44)
    "My line's sum of squares, 12.3, is larger:<br>least squares (7.5) is never larger"
    """
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _number(value: float) -> str:
    """A number as the figures print it: four significant digits, a true minus sign."""
    return f"{value:.{_DIGITS}g}".replace("-", "−")


def _rgba(colour: str, opacity: float) -> str:
    """``"#D55E00"`` at ``opacity`` as ``"rgba(213, 94, 0, 0.25)"`` (the same Okabe–Ito colour, see-through)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {opacity})"


def _equation(sums: LineSums, feature: str) -> str:
    """``"ŷ = 0.7 + 1.2·hours"`` (``feature`` already escaped)."""
    sign = "−" if sums.slope < 0 else "+"
    return f"ŷ = {_number(sums.intercept)} {sign} {_number(abs(sums.slope))}·{feature}"


def _my_line(my_line) -> tuple[float, float]:
    """``my_line`` as two finite floats ``(intercept, slope)``, or a ValueError saying what it must be."""
    try:
        a, b = (float(v) for v in my_line)
    except (TypeError, ValueError):
        raise ValueError(f"my_line must be a pair (intercept, slope) of numbers; got {my_line!r}.") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise ValueError(f"My line's intercept and slope must be finite numbers; got ({a}, {b}).")
    return a, b


def _spread(values: np.ndarray) -> float:
    spread = float(np.ptp(values)) if values.size else 0.0
    return spread if spread > 0 else 1.0


def _squares_path(x: np.ndarray, y: np.ndarray, sums: LineSums, width_per_unit: float) -> tuple[np.ndarray, np.ndarray]:
    """The outlines of the residuals' squares, one closed polygon per row, separated by NaN.

    Each square stands on the vertical segment from the line (x, ŷ) to the
    point (x, y) and reaches sideways by |r|·``width_per_unit`` in x units, on
    the side where the line does not cross it: left when the point is above a
    rising line (or below a falling one), right otherwise.
    """
    r, yhat = sums.residuals, sums.predictions
    rows = np.arange(r.size)
    if r.size > MAX_SQUARES:  # evenly spread rows, in their order
        rows = np.unique(np.linspace(0, r.size - 1, MAX_SQUARES).round().astype(int))
    x0, y0, y1, side = x[rows], yhat[rows], y[rows], np.abs(r[rows]) * width_per_unit
    direction = np.where(r[rows] * sums.slope > 0, -1.0, 1.0)
    x1 = x0 + direction * side
    gap = np.full(rows.size, np.nan)
    xs = np.column_stack([x0, x1, x1, x0, x0, gap]).ravel()
    ys = np.column_stack([y0, y0, y1, y1, y0, gap]).ravel()
    return as_f8(xs), as_f8(ys)


def residual_squares(design, fit, my_line=None, *, show: str = "least squares", equal_axes: bool | None = None,
                     units: dict | None = None, title: str | None = None, height: int = 520,
                     uirevision="residual_squares") -> go.Figure:
    """The data, the least-squares line, "my line", and one line's residuals drawn as squares.

    Parameters
    ----------
    design : Design
        One feature, degree 1, with an intercept.
    fit : NormalEquationFit
        Its normal-equation fit (the least-squares line is ``fit.theta``).
    my_line : (float, float), optional
        A student's line ``(intercept, slope)``, drawn dashed.
    show : {"least squares", "my line", "both", "none"}, default "least squares"
        Whose residuals are drawn as squares, each in its line's colour at
        :data:`SQUARE_OPACITY`.
    equal_axes : bool, optional
        True: one scale on both axes (``yaxis.scaleanchor="x"``), true
        squares. False: independent axes, residuals as rectangles of width
        |r|·(x-span / y-span). None (default): equal unless the spans differ
        by more than :data:`EQUAL_AXES_MAX_RATIO`. The subtitle says which.
    units : dict, optional
        ``{column name: unit}``, shown in the axis titles.
    title : str, optional
        Replaces the title (which otherwise gives the sums); escape user text.
    height : int, default 520
    uirevision : hashable, default "residual_squares"

    Returns
    -------
    plotly.graph_objects.Figure
        ``layout.meta`` holds a one-sentence text alternative.

    Raises
    ------
    ValueError
        When the design is not one feature at degree 1 with an intercept
        (see :func:`core.squares.require_straight_line`), when ``show`` is
        not one of :data:`SHOW`, or when it asks for my line's squares
        without ``my_line``.
    """
    if show not in SHOW:
        raise ValueError(f"show must be one of {', '.join(map(repr, SHOW))}; got {show!r}.")
    if show in ("my line", "both") and my_line is None:
        raise ValueError(f"Squares of {show!r} need my_line, the pair (intercept, slope) of my line.")
    x = as_f8(np.asarray(design.raw, dtype=np.float64)[:, 0])
    y = as_f8(design.y)
    feature, target = pretty_name(design.features[0]), pretty_name(design.target)
    lines = [_Line("least squares", _LS_NAME, line_sums(x, y, *least_squares_line(design, fit)),
                   PALETTE["fit"], "solid")]
    if my_line is not None:
        lines.append(_Line("my line", _MY_NAME, line_sums(x, y, *_my_line(my_line)), PALETTE["iterate"], "dash"))
    squared = [line for line in lines if show in (line.key, "both")]

    x_span = _spread(x)
    y_span = _spread(np.concatenate([y, *(line.sums.predictions for line in lines)]))
    if equal_axes is None:
        equal_axes = 1 / EQUAL_AXES_MAX_RATIO <= y_span / x_span <= EQUAL_AXES_MAX_RATIO
    width_per_unit = 1.0 if equal_axes else x_span / y_span

    fig = go.Figure()
    reach = [x.min(), x.max()]
    for line in squared:
        xs, ys = _squares_path(x, y, line.sums, width_per_unit)
        reach += [np.nanmin(xs), np.nanmax(xs)]
        shown = xs.size // 6
        of = "" if shown == line.sums.m else f" ({shown:,} of {line.sums.m:,} shown)"
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgba(line.colour, SQUARE_OPACITY),
            line=dict(color=line.colour, width=1), name=f"squares of {_THE[line.name]}'s residuals{of}",
            hoveron="fills", hoverinfo="name"))
    ends = as_f8([min(reach), max(reach)])
    for line in lines:
        fig.add_trace(go.Scatter(
            x=ends, y=as_f8(line.sums.intercept + line.sums.slope * ends), mode="lines",
            name=f"{line.name}: {_equation(line.sums, feature)}, sum of squares {_number(line.sums.sum_of_squares)}",
            line=dict(color=line.colour, width=3, dash=line.dash), hoverinfo="name"))
    first = (squared or lines)[0]
    fig.add_trace(go.Scatter(
        x=x, y=y, mode="markers", name="data", marker=dict(color=PALETTE["data"], size=8, opacity=0.9),
        customdata=np.column_stack([first.sums.residuals, first.sums.squares]),
        hovertemplate=(f"{feature} = %{{x:.4g}}<br>{target} = %{{y:.4g}}<br>residual y − ŷ to {_THE[first.name]} = "
                       "%{customdata[0]:.4g}<br>its square = %{customdata[1]:.4g}<extra></extra>")))

    sums_text = ", ".join(f"{line.name} {_number(line.sums.sum_of_squares)}" for line in lines)
    drawn = " and ".join(f"{_THE[line.name]}'s" for line in squared) or "no"
    alternative = (f"Residual squares: {x.size:,} points of {target} against {feature}; sums of squared "
                   f"residuals: {sums_text}; {drawn} residuals drawn as {'squares' if equal_axes else 'rectangles'}.")
    scale = ("Each residual y − ŷ is a square: side |y − ŷ|, area (y − ŷ)², true squares because both axes "
             f"use one scale (a unit of {feature} is as long as a unit of {target})."
             if equal_axes else
             f"{feature} and {target} span very different ranges, so the axes differ in scale and each residual "
             f"is a rectangle: height |y − ŷ|, width |y − ŷ| × ({feature} span / {target} span), area ∝ (y − ŷ)².")
    alternative += " " + scale.replace(" ²", "²")
    heading = _lines(title or f"Residual squares: sum {_number(first.sums.sum_of_squares)} for {_THE[first.name]}",
                     TITLE_CHARS)
    y_title = axis_title(design.target, units)
    axes = dict(yaxis=dict(scaleanchor="x", scaleratio=1, title=dict(text=y_title))) if equal_axes \
        else dict(yaxis_title=y_title)
    finish(fig, title=heading, height=height, uirevision=uirevision, meta=alternative,
           margin=dict(l=60, r=20, t=105, b=130), xaxis_title=axis_title(design.features[0], units), **axes)
    # The subtitle is short enough for a phone; the whole explanation is in the text alternative.
    short = ("Squares: side |y − ŷ|, area (y − ŷ)²; both axes on one scale" if equal_axes else
             "Rectangles: height |y − ŷ|, area ∝ (y − ŷ)² (the axes' scales differ)")
    fig.update_layout(title_subtitle_text=_lines(short, SUBTITLE_CHARS), title_subtitle_font_size=12)
    return fig


def sum_of_squares_bars(ls_sum: float, my_sum: float, *, height: int = 260,
                        uirevision="sum_of_squares_bars") -> go.Figure:
    """Two horizontal bars: the least-squares line's sum of squares and my line's.

    The title gives the verdict: my line's sum is larger (least squares is
    never larger), or the two are equal within rounding (they agree to
    four significant digits, as printed). A sum of my line below the
    least-squares sum beyond rounding cannot come from the same data; the
    title says so rather than hiding it.

    Parameters
    ----------
    ls_sum, my_sum : float
        Sums of squared residuals (``LineSums.sum_of_squares``), finite and ≥ 0.
    height : int, default 260
    uirevision : hashable, default "sum_of_squares_bars"

    Returns
    -------
    plotly.graph_objects.Figure
        Its text alternative (``layout.meta``) gives both sums and the verdict.

    Raises
    ------
    ValueError
        When a sum is negative or not a finite number.
    """
    sums = []
    for name, value in ((_LS_NAME, ls_sum), (_MY_NAME, my_sum)):
        value = float(value)
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(f"The {name}'s sum of squares must be a finite number ≥ 0; got {value}.")
        sums.append(value)
    ls, mine = sums
    ls_text, my_text = _number(ls), _number(mine)
    if ls_text == my_text:
        verdict = f"Equal within rounding: both lines leave a sum of squares of {ls_text}"
    elif mine > ls:
        verdict = f"My line's sum of squares, {my_text}, is larger: least squares ({ls_text}) is never larger"
    else:
        verdict = (f"My line's sum, {my_text}, is below the least-squares sum, {ls_text}: "
                   "the two sums do not come from the same data")
    fig = go.Figure(go.Bar(
        x=as_f8([mine, ls]), y=[_MY_NAME, _LS_NAME], orientation="h",
        marker=dict(color=[PALETTE["iterate"], PALETTE["fit"]]), text=[my_text, ls_text], textposition="auto",
        hovertemplate="%{y}: Σ(y − ŷ)² = %{x:.6g}<extra></extra>", showlegend=False))
    return finish(fig, title=_lines(verdict, TITLE_CHARS), height=height, uirevision=uirevision,
                  meta=f"Sums of squared residuals: least-squares line {ls_text}, my line {my_text}. {verdict}.",
                  margin=dict(l=130, r=20, t=60, b=50), xaxis_title="sum of squared residuals Σ(y − ŷ)²",
                  xaxis_rangemode="tozero", title_font_size=13)

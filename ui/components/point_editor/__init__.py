"""Click to create points: a plot where a click adds a point, a click on a point removes it, a drag moves it.

``st.plotly_chart`` cannot report clicks on empty space (streamlit issue
8824), so :func:`point_editor` draws the points itself in SVG with a small
``st.components.v2`` component (``point_editor.js`` and ``point_editor.css`` in
this folder; no external scripts). The component draws the axes, the points,
the least-squares line and its equation "y = a + b·x" (updated live while a
point is dragged), and has Undo, Clear and "Fit axes to points" buttons.

The component sends the whole list of points back as a *trigger value*
(``setTriggerValue("points", ...)``) after each add, remove, drag end, undo and
clear, never during a drag. The pure logic (checking points, default axis
ranges, the reference least-squares line) is in :mod:`core.points`.

Notes
-----
* Python stays the owner of the points: the component shows the ``points`` it
  is given. When the caller stores an edit and passes it back on the next run,
  the component recognises its own edit (the view and the undo history stay);
  any other change of ``points`` (a new dataset) replaces what it shows and
  starts a new undo history.
* If the caller does not store the edits, the component keeps showing them
  until ``points`` changes, but the returned value is only there on the run
  right after an edit.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable, Sequence

import streamlit as st

from core.points import MAX_POINTS, PADDING, default_ranges, points_array

__all__ = ["point_editor", "component_data"]

HERE = Path(__file__).resolve().parent
#: The trigger value the JavaScript sets: the full list of points after an edit.
EVENT = "points"

_component = st.components.v2.component(
    "linreg_point_editor",
    js=(HERE / "point_editor.js").read_text(encoding="utf-8"),
    css=(HERE / "point_editor.css").read_text(encoding="utf-8"),
)

Points = list[tuple[float, float]]


def _range(value, name: str, fallback: tuple[float, float]) -> list[float]:
    """An axis range as ``[lo, hi]`` with finite lo < hi, or a ValueError in words."""
    if value is None:
        return [float(fallback[0]), float(fallback[1])]
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be two numbers (low, high); it is {value!r}.") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be two finite numbers with low < high; it is ({lo}, {hi}).")
    return [lo, hi]


def component_data(points, *, x_label: str = "x", y_label: str = "y",
                   x_range: Sequence[float] | None = None, y_range: Sequence[float] | None = None,
                   height: int = 420) -> dict:
    """What the JavaScript is sent: the checked points, labels, axis ranges and sizes.

    Parameters
    ----------
    points, x_label, y_label, x_range, y_range, height
        As for :func:`point_editor`.

    Returns
    -------
    dict
        ``{"points": [[x, y], ...], "x_label", "y_label", "x_range": [x0, x1],
        "y_range": [y0, y1], "height", "max_points", "padding"}``; a missing range
        is :func:`core.points.default_ranges` of the points.

    Raises
    ------
    core.columns.DataError
        When the points are not finite (x, y) pairs or more than ``MAX_POINTS``.
    ValueError
        When a range is not two finite numbers with low < high.
    """
    arr = points_array(points)
    fit_x, fit_y = default_ranges(arr)
    return {
        "points": arr.tolist(),
        "x_label": str(x_label),
        "y_label": str(y_label),
        "x_range": _range(x_range, "x_range", fit_x),
        "y_range": _range(y_range, "y_range", fit_y),
        "height": max(200, int(height)),
        "max_points": MAX_POINTS,
        "padding": PADDING,
    }


def _as_points(value) -> Points:
    return [(float(x), float(y)) for x, y in points_array(value)]


def point_editor(points, *, key: str, x_label: str = "x", y_label: str = "y",
                 x_range: Sequence[float] | None = None, y_range: Sequence[float] | None = None,
                 height: int = 420, on_change: Callable[[Points], None] | None = None) -> Points | None:
    """Show the points on a plot the person edits with clicks, taps and drags.

    Parameters
    ----------
    points : sequence of (x, y) pairs, (n, 2) array, two-column DataFrame, or None
        The points to show (at most :data:`core.points.MAX_POINTS`).
    key : str
        Required: the editor's identity across reruns (and its ``st-key-<key>`` CSS class).
    x_label, y_label : str
        Axis titles (column names), shown as plain text.
    x_range, y_range : (low, high), optional
        Axis ranges; default :func:`core.points.default_ranges` of ``points``.
        A range that changes while the points stay the same is applied; the
        "Fit axes to points" button changes the view in the browser only.
    height : int
        Height of the plot in pixels (at least 200); the buttons and the equation come on top.
    on_change : callable, optional
        Called as ``on_change(points)`` with the edited points, before the
        script reruns (like a widget callback): the place to store them.

    Returns
    -------
    list of (float, float) or None
        The full list of points after the person's edit, on the script run that
        edit caused; None on every other run (first run, and runs caused by
        anything else). An edit is an add, a remove, the end of a drag, an undo
        or a clear; each causes one rerun. Drag frames cause none.

    Raises
    ------
    core.columns.DataError
        When ``points`` are not finite (x, y) pairs or there are too many.
    ValueError
        When a range is not two finite numbers with low < high.
    """
    data = component_data(points, x_label=x_label, y_label=y_label, x_range=x_range, y_range=y_range,
                          height=height)

    def changed() -> None:
        if on_change is not None:
            value = st.session_state[key].get(EVENT)
            if value is not None:
                on_change(_as_points(value))

    result = _component(key=key, data=data, width="stretch", height="content", **{f"on_{EVENT}_change": changed})
    value = result.get(EVENT)
    return None if value is None else _as_points(value)

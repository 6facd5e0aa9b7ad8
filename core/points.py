"""A small table of (x, y) points that a person draws by hand, and its straight line.

One idea: the pure logic behind the click-to-create point editor
(``ui/components/point_editor``). The component's JavaScript adds, removes and
drags points and draws their least-squares line; Python needs to

* check what comes back and turn it into a table (:func:`points_frame`),
* choose axis ranges that show the points with some room around them
  (:func:`default_ranges`), and
* know the line the JavaScript must draw (:func:`least_squares_line`, the
  reference the component's equation is tested against).

Points are any sequence of ``(x, y)`` pairs (a list of tuples, an ``(n, 2)``
array) or a two-column DataFrame. Rows are counted from 1, as elsewhere in the
app ("point 3" is the third point).
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from core.columns import DataError, quote

__all__ = [
    "MAX_POINTS", "DEFAULT_RANGE", "PADDING", "points_array", "points_frame", "default_ranges",
    "least_squares_line",
]

#: Most points the editor accepts (a hand-drawn table, not a data set).
MAX_POINTS = 1000
#: Axis range used when the points do not fix one (no point, or all at one value).
DEFAULT_RANGE = (0.0, 10.0)
#: Room left on each side of the points, as a fraction of their spread.
PADDING = 0.1
_LARGEST = float(np.finfo(np.float64).max)


def points_array(points) -> np.ndarray:
    """The points as a float64 array of shape ``(n, 2)``, checked.

    Parameters
    ----------
    points : sequence of (x, y) pairs, array_like of shape (n, 2), DataFrame with 2 columns, or None
        None and an empty sequence are no points.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, dtype float64, a new array.

    Raises
    ------
    DataError
        When a point is not a pair of finite numbers or there are more than
        :data:`MAX_POINTS` points; the message names the point.

    Examples
    --------
    >>> points_array([(1, 2), (3, 4.5)]).tolist()
    [[1.0, 2.0], [3.0, 4.5]]
    >>> points_array(None).shape
    (0, 2)
    >>> points_array([(1, float("nan"))])
    Traceback (most recent call last):
    ...
    core.columns.DataError: Point 1 has a y value that is not a finite number (nan).
    """
    if points is None:
        return np.empty((0, 2))
    if isinstance(points, pd.DataFrame):
        if points.shape[1] != 2:
            raise DataError(f"A table of points needs exactly 2 columns (x and y); this one has {points.shape[1]}.")
        points = points.to_numpy()
    rows = list(points) if not isinstance(points, np.ndarray) else points
    if len(rows) > MAX_POINTS:
        raise DataError(f"There are {len(rows)} points; the point editor takes at most {MAX_POINTS}.")
    out = np.empty((len(rows), 2))
    for i, row in enumerate(rows, start=1):
        out[i - 1] = _pair(row, i)
    return out


def _pair(row, number: int) -> tuple[float, float]:
    """One point as two finite floats, or a DataError naming the point."""
    try:
        values = list(row)
    except TypeError:
        values = None
    if values is None or len(values) != 2:
        raise DataError(f"Point {number} is not a pair of numbers (x, y): it is {quote(repr(row))}.")
    pair = []
    for name, value in zip("xy", values):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise DataError(f"Point {number} has a {name} value that is not a number ({quote(repr(value))}).")
        number_value = float(value)
        if not math.isfinite(number_value):
            raise DataError(f"Point {number} has a {name} value that is not a finite number ({number_value}).")
        pair.append(number_value)
    return pair[0], pair[1]


def points_frame(points, x: str = "x", y: str = "y") -> pd.DataFrame:
    """The points as a two-column float64 table, checked.

    Parameters
    ----------
    points : sequence of (x, y) pairs, array_like of shape (n, 2), DataFrame with 2 columns, or None
    x, y : str
        Column names of the table (must differ).

    Returns
    -------
    pandas.DataFrame
        Columns ``[x, y]``, float64, a fresh 0..n-1 index.

    Raises
    ------
    DataError
        As :func:`points_array`, or when ``x`` and ``y`` are the same name.

    Examples
    --------
    >>> points_frame([(1, 2), (3, 4)], x="hours", y="score")
       hours  score
    0    1.0    2.0
    1    3.0    4.0
    >>> points_frame([(1, 2)] * 1001)
    Traceback (most recent call last):
    ...
    core.columns.DataError: There are 1001 points; the point editor takes at most 1000.
    """
    if x == y:
        raise DataError(f"The two columns of a table of points need different names; both are {quote(x)}.")
    return pd.DataFrame(points_array(points), columns=[x, y])


def _axis_range(values: np.ndarray) -> tuple[float, float]:
    """One axis: the values' span padded by :data:`PADDING` on each side.

    No values: :data:`DEFAULT_RANGE`. One distinct value v: ``(v - 5, v + 5)``
    (for |v| so large that v ± 5 is v itself: v ± 10 % of |v|). Never infinite.
    """
    if values.size == 0:
        return DEFAULT_RANGE
    lo, hi = float(values.min()), float(values.max())
    half = (DEFAULT_RANGE[1] - DEFAULT_RANGE[0]) / 2
    if lo == hi and lo - half < lo < lo + half:
        return lo - half, lo + half
    pad = abs(lo) * PADDING if lo == hi else hi * PADDING - lo * PADDING  # no overflow
    return max(lo - pad, -_LARGEST), min(hi + pad, _LARGEST)


def default_ranges(points) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis ranges that show every point with :data:`PADDING` of room on each side.

    The component's "Fit axes to points" button computes the same ranges in
    JavaScript (``fitRanges`` in ``point_editor.js``).

    Parameters
    ----------
    points : as for :func:`points_array`

    Returns
    -------
    ((x0, x1), (y0, y1))
        ``x0 < x1`` and ``y0 < y1``. With no points both are :data:`DEFAULT_RANGE`;
        an axis where all points share one value v gets ``(v - 5, v + 5)``.

    Examples
    --------
    >>> default_ranges([])
    ((0.0, 10.0), (0.0, 10.0))
    >>> default_ranges([(2, 3)])
    ((-3.0, 7.0), (-2.0, 8.0))
    >>> default_ranges([(0, 0), (10, 20)])
    ((-1.0, 11.0), (-2.0, 22.0))
    """
    arr = points_array(points)
    return _axis_range(arr[:, 0]), _axis_range(arr[:, 1])


def canvas_ranges(points, held=None) -> tuple[tuple[float, float], tuple[float, float]]:
    """Axis ranges for the click-to-create plot that stay put while points are added near the edges.

    ``held`` (the ranges a canvas of clicked points started with) is only widened to hold every point;
    without it, the points' :func:`default_ranges` get a quarter of their width more room on each side.

    >>> canvas_ranges([(11, 5)], held=((0.0, 10.0), (0.0, 10.0)))
    ((0.0, 16.0), (0.0, 10.0))
    >>> canvas_ranges([(0, 0), (10, 20)])
    ((-4.0, 14.0), (-8.0, 28.0))
    """
    (x0, x1), (y0, y1) = default_ranges(points)
    if held is not None:
        (a0, a1), (b0, b1) = held
        return (min(a0, x0), max(a1, x1)), (min(b0, y0), max(b1, y1))
    wx, wy = (x1 - x0) * 0.25, (y1 - y0) * 0.25
    return (x0 - wx, x1 + wx), (y0 - wy, y1 + wy)


def frame_points(frame: pd.DataFrame, x: str, y: str) -> list[list[float]] | None:
    """The rows of two columns as points to drag (rows missing either left out), or None above
    :data:`MAX_POINTS` rows."""
    pairs = frame[[x, y]].apply(pd.to_numeric, errors="coerce").dropna()
    return None if len(pairs) > MAX_POINTS else pairs.to_numpy(dtype=float).tolist()


def least_squares_line(points) -> tuple[float, float] | None:
    """Intercept and slope of the least-squares line y = a + b·x through the points.

    The stable centred formula b = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², a = ȳ − b·x̄,
    with the deviations x − x̄ divided by the largest of them (so that their
    squares neither overflow nor underflow). The component's JavaScript does
    the same operations in the same order, so its equation equals this.

    Parameters
    ----------
    points : as for :func:`points_array`

    Returns
    -------
    (intercept, slope) or None
        None when fewer than two points have different x (no line is defined),
        or when a mean or the result overflows float64 (coordinates near 1e308).

    Examples
    --------
    >>> a, b = least_squares_line([(1, 2), (2, 3), (3, 4.5), (4, 5), (5, 7)])
    >>> round(a, 12), round(b, 12)
    (0.7, 1.2)
    >>> least_squares_line([(1, 2), (1, 5)]) is None
    True
    """
    arr = points_array(points)
    if arr.shape[0] < 2 or np.ptp(arr[:, 0]) == 0:
        return None
    x, y = arr[:, 0].tolist(), arr[:, 1].tolist()  # Python floats: IEEE arithmetic, inf on overflow
    xm, ym = _mean(x), _mean(y)
    dx = [v - xm for v in x]
    scale = max(abs(d) for d in dx)  # x deviations divided by the largest: no overflow, no underflow
    if scale == 0 or not math.isfinite(scale):
        return None
    u = [d / scale for d in dx]
    suu = _sum(d * d for d in u)
    suy = _sum(d * (v - ym) for d, v in zip(u, y))
    slope = suy / (suu * scale)
    intercept = ym - slope * xm
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        return None
    return intercept, slope


def _sum(values: Iterable[float]) -> float:
    """A plain left-to-right sum, as the JavaScript adds (numpy sums pairwise)."""
    total = 0.0
    for v in values:
        total += v
    return total


def _mean(values: Sequence[float]) -> float:
    return _sum(values) / len(values)

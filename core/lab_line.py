"""The descent lab's fourth chart: the data and the model at any step, sent as a capped sample and a recipe.

The browser redraws the model at the scrubbed step itself (``descent_lab.js``),
so it needs the design's recipe (powers ``x, x², …, x^d`` of each raw
feature, with or without the column of ones: :func:`core.design.expand`), a
sample of the rows (at most :data:`MAX_ROWS`, and at most :data:`MAX_VALUES`
numbers in all, whatever the number of rows m) and the normal equation's θ
(original units) for reference. With one feature it draws the data and the
curve ŷ(x) = θ·basis(x) on :data:`CURVE_POINTS` values of x across the data's
range; with more, the predictions Xθ of the sampled rows against their targets.

The same arithmetic as the browser's, for the tests: :func:`curve_x` (the x
values, operation for operation) and :func:`basis` (the design's own
:func:`core.design.expand`).

Examples
--------
>>> import numpy as np
>>> from core.design import design_from_arrays
>>> d = design_from_arrays(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7])
>>> line = line_payload(d, [0.7, 1.2], total=5)
>>> line["kind"], line["x"], line["range"], line["degree"], line["intercept"]
('curve', [1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 5.0], 1, True)
>>> curve_x(1.0, 5.0, 5).tolist()
[1.0, 2.0, 3.0, 4.0, 5.0]
>>> basis([2.0], 3, True).tolist()
[[1.0, 2.0, 4.0, 8.0]]
>>> sample_size(1), sample_size(5), sample_size(63)
(500, 300, 62)
"""

from __future__ import annotations

import numpy as np

from .design import Design, expand

__all__ = ["MAX_ROWS", "CURVE_ROWS", "MAX_VALUES", "CURVE_POINTS", "sample_size", "curve_x", "basis",
           "line_payload"]

#: Most rows sent for the predicted-against-actual chart (more than one feature).
MAX_ROWS = 300
#: Most rows sent for the data-and-curve chart (one feature).
CURVE_ROWS = 500
#: Most numbers (raw feature values and targets) sent in all: the payload does not grow with m or p.
MAX_VALUES = 4_000
#: Values of x the curve is drawn on.
CURVE_POINTS = 100


def sample_size(features: int) -> int:
    """Rows to send for ``features`` raw features: :data:`CURVE_ROWS` for one, else within :data:`MAX_VALUES`."""
    features = max(int(features), 1)
    if features == 1:
        return CURVE_ROWS
    return max(min(MAX_ROWS, MAX_VALUES // (features + 1)), 2)


def curve_x(lo: float, hi: float, n: int = CURVE_POINTS) -> np.ndarray:
    """``n`` evenly spaced values from ``lo`` to ``hi``, computed as the browser does: lo + (hi − lo)·k/(n − 1)."""
    k = np.arange(int(n), dtype=np.float64)
    return lo + (hi - lo) * k / (int(n) - 1)


def basis(raw, degree: int, intercept: bool) -> np.ndarray:
    """The design's columns for raw feature values: (n,) for one feature or (n, k) → (n, p), as the design builds them."""
    raw = np.asarray(raw, dtype=np.float64)
    return expand(raw[:, None] if raw.ndim == 1 else raw, int(degree), bool(intercept))


def line_payload(sample: Design, theta_fit, *, total: int | None = None) -> dict:
    """The fourth chart's part of the lab's payload: the sampled rows, the recipe and the normal equation's θ.

    Parameters
    ----------
    sample : Design
        The rows to draw (already sampled: :func:`core.display.sample_design`
        with :func:`sample_size`; trimmed here if it holds more).
    theta_fit : sequence of float
        The normal equation's θ, in the design's (original) units.
    total : int, optional
        The number of rows of the whole data (for the caption); default ``sample.m``.

    Returns
    -------
    dict
        ``kind`` ("curve" for one feature, "predicted" for more), ``degree``,
        ``intercept``, ``features`` and ``target`` (user text), ``y`` (n,),
        ``theta_fit`` (p,), ``shown``, ``total``; for a curve ``x`` (n,),
        ``range`` [min, max] and ``points`` (:data:`CURVE_POINTS`); else
        ``raw`` (n × k nested lists).

    Raises
    ------
    ValueError
        When ``theta_fit`` does not have one value per design column.
    """
    theta = [float(v) for v in np.asarray(theta_fit, dtype=np.float64).ravel()]
    if len(theta) != sample.p:
        raise ValueError(f"The normal equation's θ has {len(theta)} values for {sample.p} design columns.")
    k = int(sample.raw.shape[1])
    rows = np.arange(sample.m)
    if sample.m > sample_size(k):
        rows = np.unique(np.linspace(0, sample.m - 1, sample_size(k)).round().astype(int))
    raw, y = np.asarray(sample.raw, dtype=np.float64)[rows], np.asarray(sample.y, dtype=np.float64)[rows]
    out = {"kind": "curve" if k == 1 else "predicted", "degree": int(sample.degree),
           "intercept": bool(sample.intercept), "features": [str(f) for f in sample.features],
           "target": str(sample.target), "y": [float(v) for v in y], "theta_fit": theta,
           "shown": int(rows.size), "total": int(sample.m if total is None else total)}
    if k == 1:
        x = raw[:, 0]
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
        if lo == hi:
            lo, hi = lo - 1.0, hi + 1.0
        out |= {"x": [float(v) for v in x], "range": [lo, hi], "points": CURVE_POINTS}
    else:
        out["raw"] = [[float(v) for v in row] for row in raw]
    return out

"""What a chart is sent of a large dataset: an evenly spaced sample of its rows.

Every fit uses all the rows; only scatter plots are thinned, so the browser
is not sent megabytes of points.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .design import Design

#: Scatter points sent to the browser; more makes the page slow to draw.
MAX_PLOT_POINTS = 5_000


def sample_rows(m: int, max_points: int = MAX_PLOT_POINTS) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spaced rows of ``m``, first and last included.

    Examples
    --------
    >>> sample_rows(10, 4)
    array([0, 3, 6, 9])
    >>> len(sample_rows(3, 5000))
    3
    """
    if m <= max_points:
        return np.arange(m)
    return np.unique(np.linspace(0, m - 1, max_points).round().astype(int))


def sample_design(design: Design, max_points: int = MAX_PLOT_POINTS) -> Design:
    """The design restricted to :func:`sample_rows` (the same design when it is small enough)."""
    if design.m <= max_points:
        return design
    rows = sample_rows(design.m, max_points)
    return replace(design, X=design.X[rows], y=design.y[rows], raw=design.raw[rows])


def sample_note(shown: int, total: int) -> str:
    """A caption for a thinned plot, or "" when every row is drawn."""
    if shown >= total:
        return ""
    return f"The plot shows {shown:,} evenly spaced rows of {total:,}; the fit uses all of them."

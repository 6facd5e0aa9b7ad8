"""Synthetic data: a reproducible noisy straight line, optionally with outliers.

One idea: :func:`synthetic` draws ``n`` points around ``y = intercept +
slope·x`` from a seeded generator, so the same arguments always give the
same data and the "true" line is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import DataError

__all__ = ["synthetic", "MAX_POINTS"]

#: The most points :func:`synthetic` draws.
MAX_POINTS = 1_000_000


def synthetic(
    n: int = 50,
    slope: float = 2.0,
    intercept: float = 1.0,
    noise: float = 1.0,
    outliers: int = 0,
    seed: int = 0,
    x_min: float = 0.0,
    x_max: float = 10.0,
) -> pd.DataFrame:
    """Draw ``n`` points around the line ``y = intercept + slope·x``.

    Parameters
    ----------
    n : int
        Number of points, 2 ≤ n ≤ 1,000,000.
    slope, intercept : float
        The true line.
    noise : float
        Standard deviation of the normal noise added to y (≥ 0; 0 gives
        points exactly on the line).
    outliers : int
        How many of the points (0 ≤ outliers ≤ n) get a large vertical shift
        of ``±(5·noise + 0.5·range of y)`` (1 if that is 0), with random signs.
    seed : int
        Seed for :func:`numpy.random.default_rng`; the same arguments always
        give the same data. Changing ``outliers`` only moves the outlier
        points: the others stay where they were.
    x_min, x_max : float
        x is drawn uniformly from [x_min, x_max) and sorted.

    Returns
    -------
    pandas.DataFrame
        Columns ``x`` and ``y``, shape (n, 2), float64.

    Raises
    ------
    DataError
        If an argument is out of range; the message says what to change.
    """
    _check_synthetic_args(n, slope, intercept, noise, outliers, x_min, x_max)
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(x_min, x_max, size=n))
    y = intercept + slope * x + rng.normal(0.0, noise, size=n)
    if outliers:
        spread = float(np.ptp(y))
        shift = 5.0 * noise + 0.5 * spread
        if shift == 0.0:  # noise-free horizontal line: still make outliers visible
            shift = 1.0
        index = rng.choice(n, size=outliers, replace=False)
        signs = rng.choice(np.array([-1.0, 1.0]), size=outliers)
        y[index] += signs * shift
    return pd.DataFrame({"x": x, "y": y})


def _check_synthetic_args(n, slope, intercept, noise, outliers, x_min, x_max) -> None:
    """Raise DataError with a fix-it message for invalid synthetic() arguments."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise DataError(f"n must be a whole number of points, not {n!r}.")
    if n < 2:
        raise DataError(f"n must be at least 2 (got {n}): a line needs at least 2 points.")
    if n > MAX_POINTS:
        raise DataError(f"n must be at most 1,000,000 (got {n:,}); choose fewer points.")
    for name, value in (("slope", slope), ("intercept", intercept), ("noise", noise), ("x_min", x_min), ("x_max", x_max)):
        if not np.isfinite(value):
            raise DataError(f"{name} must be a finite number (got {value!r}).")
    if noise < 0:
        raise DataError(f"noise must be 0 or more (got {noise}); it is a standard deviation.")
    if isinstance(outliers, bool) or not isinstance(outliers, (int, np.integer)):
        raise DataError(f"outliers must be a whole number of points, not {outliers!r}.")
    if not 0 <= outliers <= n:
        raise DataError(f"outliers must be between 0 and n = {n} (got {outliers}).")
    if not x_min < x_max:
        raise DataError(f"x_min must be less than x_max (got x_min = {x_min}, x_max = {x_max}).")



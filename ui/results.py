"""Results for a dataset: every cached computation, asked for with the Dataset and what else decides it.

Thin: each function passes the dataset's data (unhashed) and its version key
(hashed) to :mod:`ui.cache`.
"""

from __future__ import annotations

import numpy as np

from core.display import MAX_PLOT_POINTS, sample_note
from core.settings import DescentSettings
from ui import cache
from ui.session import Dataset


def design(ds: Dataset):
    return cache.design(ds.frame, ds.version, ds.target, ds.features, ds.degree)


def fit(ds: Dataset):
    return cache.fit(design(ds), ds.version)


def model(ds: Dataset):
    return cache.model(fit(ds), ds.version)


def steps(ds: Dataset):
    return cache.steps(fit(ds), ds.version)


def trace(ds: Dataset, settings: DescentSettings):
    """A gradient-descent run on the cached cost model (O(p²) per step; O(b·p) for row-based rules)."""
    return cache.trace(model(ds), design(ds), ds.version, settings.checked(model(ds).p))


def run_model(ds: Dataset, settings: DescentSettings):
    """``(cost, scaling)``: the cost the run descends (standardised, ridge), in its own coordinates."""
    return cache.run_model(model(ds), ds.version, bool(settings.standardise), float(settings.ridge))


def grid(ds: Dataset, i: int, j: int, points, n: int = 61, theta_fixed=None, settings: DescentSettings | None = None):
    """The cost surface over coefficients i and j (others at ``theta_fixed``, default θ̂), in the run's units."""
    pts = tuple(tuple(float(v) for v in np.ravel(p)) for p in points)
    fixed = None if theta_fixed is None else tuple(float(v) for v in np.ravel(theta_fixed))
    if settings is None:
        cost, key = model(ds), (ds.version,)
    else:
        cost, key = run_model(ds, settings)[0], (ds.version, bool(settings.standardise), float(settings.ridge))
    return cache.grid(cost, key, int(i), int(j), pts, int(n), fixed)


def display_design(ds: Dataset, max_points: int = MAX_PLOT_POINTS):
    """The design to draw (an evenly spaced sample above ``max_points`` rows) and a caption."""
    full = design(ds)
    shown = cache.display_design(full, ds.version, int(max_points))
    return shown, sample_note(shown.m, full.m)


def comparison(ds: Dataset, alpha: float | None = None, tol: float = 1e-6, max_iterations: int = 100_000,
               standardise: bool = False):
    """Both methods on the data, from scratch, timed (once per version and settings)."""
    return cache.comparison(design(ds), ds.version, None if alpha is None else float(alpha), float(tol),
                            int(max_iterations), bool(standardise))


def fit_summary(ds: Dataset, precision: int = 4) -> str:
    """One line for the sidebar, e.g. "ŷ = 0.7 + 1.2·hours · R² 0.96"."""
    f = fit(ds)
    return f"{f.equation(precision=precision)} · R² {f.r_squared:.3g}"


def csv_bytes(ds: Dataset) -> bytes:
    return cache.csv_bytes(ds.frame, ds.content)

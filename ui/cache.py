"""Cached computations for the pages, shared by every session and frozen so none can change another's.

Each function takes its data through ``_``-prefixed arguments, which are not
part of the key, and an explicit ``version`` key (a hash of every row plus the
column choices), which is (with the other arguments). The results live in one
memo per server process (:mod:`ui.memo`), bounded by the bytes they hold, not
by their count; every session shares the same objects, so :func:`freeze` makes
every array in them read-only and every list a tuple before they are shared.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import pandas as pd
import streamlit as st

from core import data as cdata
from core.compare import Comparison, compare_methods
from core.cost import CostGrid, LeastSquaresCost, cost_grid
from core.descent import Trace, descend
from core.descent import run_model as descent_run_model
from core.optimizers import REGISTRY
from core.design import Design, design_matrix
from core.display import sample_design
from core.settings import DescentSettings
from core.solve import NormalEquationFit, fit_normal_equation
from core.teaching import NormalEquationSteps, normal_equation_steps
from ui.memo import Memo


def freeze(value):
    """``value`` with its arrays read-only and its lists tuples, recursively through dataclasses.

    Frozen dataclasses are rebuilt with :func:`dataclasses.replace`; arrays are
    marked read-only in place (they are not copied). Other objects (a cost
    model's arrays, a DataFrame) are handled by their own attributes.
    """
    if isinstance(value, np.ndarray):
        value.flags.writeable = False
        return value
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(freeze(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            old = getattr(value, f.name)
            new = freeze(old)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, LeastSquaresCost):
        for name in ("theta_hat", "R"):
            freeze(getattr(value, name))
        value.names = tuple(value.names)
        return value
    return value


#: Bytes the shared results may hold before the least recently used are dropped
#: (``LINREG_CACHE_MB`` in the environment; default 512 MB).
BUDGET_BYTES = int(float(os.environ.get("LINREG_CACHE_MB", "512")) * 2**20)


@st.cache_resource(show_spinner=False)
def memo() -> Memo:
    """The one memo of this server process (shared by every session)."""
    return Memo(BUDGET_BYTES)


def _shared(key: tuple, compute):
    return memo().get(key, lambda: freeze(compute()))


def hold(content: str, record: tuple) -> None:
    """Keep a dataset too large for a link on this server (bounded like every result), by its content hash."""
    memo().get(("held", content), lambda: record)


def held(content: str):
    """The record :func:`hold` kept for ``content``, or None (never held, or evicted since)."""
    return memo().peek(("held", content))


def design(_frame: pd.DataFrame, version: str, target: str, features: tuple, degree: int) -> Design:
    """The design matrix of a dataset's column choice."""
    return _shared(("design", version), lambda: design_matrix(_frame, target, list(features), degree))


def fit(_design: Design, version: str) -> NormalEquationFit:
    """The normal-equation fit."""
    return _shared(("fit", version), lambda: fit_normal_equation(_design))


def model(_fit: NormalEquationFit, version: str) -> LeastSquaresCost:
    """The O(p²) cost model J(θ) of the fit."""
    return _shared(("model", version), lambda: LeastSquaresCost.from_fit(_fit))


def steps(_fit: NormalEquationFit, version: str) -> NormalEquationSteps:
    """The normal equation's teaching steps."""
    return _shared(("steps", version), lambda: normal_equation_steps(_fit.design, fit=_fit))


def trace(_model: LeastSquaresCost, _design: Design, version: str, settings: DescentSettings) -> Trace:
    """A gradient-descent run: the settings value is the key (row-based optimizers get the rows)."""
    rows = (_design.X, _design.y) if REGISTRY[settings.optimizer].rows else None
    return _shared(("trace", version, settings), lambda: descend(_model, settings, rows=rows))


def run_model(_model: LeastSquaresCost, version: str, standardise: bool, ridge: float):
    """The cost a run descends (standardised and/or with a ridge penalty), and its scaling."""
    return _shared(("run_model", version, standardise, ridge),
                   lambda: descent_run_model(_model, DescentSettings(standardise=standardise, ridge=ridge)))


def grid(_model: LeastSquaresCost, version: tuple, i: int, j: int, points: tuple, n: int,
         theta_fixed: tuple | None) -> CostGrid:
    """J over two coefficients (the others at ``theta_fixed``, default θ̂); ``version`` names the cost."""
    fixed = None if theta_fixed is None else np.array(theta_fixed, dtype=float)
    return _shared(("grid", version, i, j, points, n, theta_fixed),
                   lambda: cost_grid(_model, i, j, points=[np.array(p, dtype=float) for p in points], n=n,
                                     theta_fixed=fixed))


def display_design(_design: Design, version: str, max_points: int) -> Design:
    """An evenly spaced sample of the rows, for scatter plots."""
    return _shared(("display", version, max_points), lambda: sample_design(_design, max_points))


def comparison(_design: Design, version: str, alpha: float | None, tol: float, max_iterations: int,
               standardise: bool = False) -> Comparison:
    """Both methods on the data, from scratch, timed."""
    return _shared(("comparison", version, alpha, tol, max_iterations, standardise),
                   lambda: compare_methods(_design, alpha=alpha, tol=tol, max_iterations=max_iterations,
                                           standardise=standardise))


def csv_bytes(_frame: pd.DataFrame, content: str) -> bytes:
    """The data as CSV bytes (for the download button), once per content."""
    return _shared(("csv", content), lambda: cdata.to_csv_bytes(_frame))

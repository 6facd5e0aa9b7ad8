"""What the browser needs to redo a full-batch gradient-descent run itself: a few hundred bytes.

One idea: the full-gradient optimizers (batch descent, momentum, Nesterov,
Adam, Newton) see the data only through the cost model's p×p statistics
(θ̂, J(θ̂), a factor R with XᵀX = RᵀR, m; :class:`core.cost.LeastSquaresCost`),
so with those, the run's settings and the cost surface's rectangle, the
browser computes the whole path for any α or start θ₀ with the same maths as
:func:`core.descent.descend` (same update rules, schedules, stopping rule and
divergence rule), and the surface's heights J(θ) itself. Nothing scales with
the number of rows or the grid's size: the fourth chart (the model at the step
shown, on the data) gets a capped sample of rows and the design's recipe
(:func:`core.lab_line.line_payload`).

The model shipped is the run's own (:func:`core.descent.run_model`:
standardised and with the ridge penalty when the settings ask for them), with
the change of coordinates (:class:`core.scaling.Scaling`), so θ₀ travels in
the user's units and the path in the run's, as in
:attr:`core.descent.Trace.thetas`.

Examples
--------
>>> import json, numpy as np
>>> from core.cost import least_squares_cost
>>> from core.settings import DescentSettings
>>> model = least_squares_cost(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7])
>>> payload = lab_payload(model, DescentSettings(alpha=0.1))
>>> [round(v, 12) for v in payload["theta_hat"]], payload["optimizer"], len(json.dumps(payload)) < 2000
([0.7, 1.2], 'gd', True)
"""

from __future__ import annotations

import numpy as np

from .cost import CostGrid, LeastSquaresCost, cost_grid, path_cover_points
from .descent import run_model
from .design import Design
from .lab_line import line_payload
from .optimizers import optimizer as _optimizer
from .rates import learning_rate_bounds
from .settings import DescentSettings
from .spectrum import spectrum

__all__ = ["LAB_VERSION", "MANTISSAS", "lab_payload", "lab_alphas", "alpha_marks"]

#: The payload's format version (the JavaScript refuses another).
LAB_VERSION = 1
#: Mantissas of the learning rates offered, per decade: includes 1, 2, 5 (the page's own choices).
MANTISSAS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
#: Grid points per axis when the grid is made here.
GRID_N = 61


def lab_alphas(run: LeastSquaresCost, optimizer: str, hp=None, alpha: float | None = None) -> list[float]:
    """Round learning rates, about ten per decade, spanning :func:`core.rates.learning_rate_bounds`.

    Parameters
    ----------
    run : LeastSquaresCost
        The cost the run descends.
    optimizer : str
    hp : dict, optional
        The optimizer's parameters.
    alpha : float, optional
        A rate that must be among the choices (the current one), added if missing.

    Returns
    -------
    list of float
        Sorted, distinct; every 1, 2, 5 × 10ᵏ in the range is there.
    """
    lo, hi, _ = learning_rate_bounds(run, optimizer, hp)
    values = {float(f"{mantissa:g}e{k}") for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
              for mantissa in MANTISSAS}
    values = {v for v in values if lo * (1 - 1e-12) <= v <= hi * (1 + 1e-12)}
    if alpha is not None:
        values.add(float(alpha))
    return sorted(values)


def alpha_marks(run: LeastSquaresCost, settings: DescentSettings) -> list[dict]:
    """The learning rates worth marking on the slider: the stability limit α_max and the best rate α*.

    Parameters
    ----------
    run : LeastSquaresCost
    settings : DescentSettings
        Checked.

    Returns
    -------
    list of dict
        ``{"alpha", "label", "title"}`` each (label short, title a sentence);
        batch descent: α* = 2/(λmin + λmax) and α_max = 2/λmax; momentum and
        Nesterov: their limit for the chosen β; Newton: 1 (the full step) and 2;
        Adam: none. Only finite, positive values.
    """
    rule = _optimizer(settings.optimizer)
    spec = spectrum(run)
    marks = []
    if rule.rates == "newton":
        marks = [(1.0, "α* = 1", "α = 1 is the full Newton step: it lands on θ̂ in one step."),
                 (rule.limit({}), "α_max = 2", "Above α = 2 every Newton step overshoots θ̂ by more than it gains.")]
    elif rule.limit is not None and spec.lambda_max > 0:
        limit = rule.limit(settings.hyperparameters()) / spec.lambda_max
        if rule.key == "gd":
            marks.append((spec.alpha_best, "α*", f"α* = 2/(λmin + λmax) = {spec.alpha_best:.4g}: the fastest "
                                                 "constant rate; above it the path zig-zags."))
            formula = "2/λmax"
        else:
            formula = "2(1 + β)/λmax" if rule.key == "momentum" else "2(1 + β)/((1 + 2β)λmax)"
        marks.append((limit, "α_max", f"α_max = {formula} = {limit:.4g}: above it the path diverges."))
    return [{"alpha": float(a), "label": label, "title": title} for a, label, title in marks
            if np.isfinite(a) and a > 0]


def _grid(run: LeastSquaresCost, start: np.ndarray, grid: CostGrid | None, i: int, j: int) -> dict:
    """The surface's rectangle (its heights are computed in the browser from the model); ``start`` in run units."""
    if grid is None:
        grid = cost_grid(run, i, j, points=path_cover_points(run, start, start[None, :], i, j), n=GRID_N)
    if (int(grid.i), int(grid.j)) != (i, j):
        raise ValueError(f"The grid is over coefficients {grid.i} and {grid.j}, not {i} and {j}.")
    a, b = np.asarray(grid.a, dtype=np.float64), np.asarray(grid.b, dtype=np.float64)
    fixed = np.asarray(grid.theta_fixed, dtype=np.float64)
    if fixed.shape != (run.p,) or a.size < 2 or b.size < 2:
        raise ValueError(f"The grid must hold {run.p} fixed coefficients and at least two values per axis.")
    return {"a": [float(a[0]), float(a[-1])], "b": [float(b[0]), float(b[-1])], "n": [int(a.size), int(b.size)],
            "fixed": [float(v) for v in fixed]}


def lab_payload(model: LeastSquaresCost, settings: DescentSettings, grid: CostGrid | None = None, *,
                i: int = 0, j: int = 1, step: int | None = None, alphas=None, data: Design | None = None,
                theta_fit=None, total: int | None = None) -> dict:
    """Everything the descent lab's JavaScript needs, as JSON-safe plain types.

    Parameters
    ----------
    model : LeastSquaresCost
        The plain least-squares cost of the data (original units).
    settings : DescentSettings
        The run (a full-gradient optimizer: the row-based ones stay on the server).
    grid : CostGrid, optional
        The surface's rectangle: only its ``a``, ``b`` (evenly spaced, as
        :func:`core.cost.cost_grid` makes them: first, last and count are sent)
        and ``theta_fixed`` are used, and it must be over the run's own model
        (``run_model(model, settings)[0]``: the same as ``model`` unless
        standardising or a ridge penalty is on). Default: an n = 61 grid over
        ``(θ_i, θ_j)`` covering the run from θ₀ whatever α (see
        :func:`core.cost.path_cover_points`).
    i, j : int
        The surface's two coefficients.
    step : int, optional
        Where the step scrubber starts (default: the last step).
    alphas : sequence of float, optional
        The slider's learning rates; default :func:`lab_alphas` (with ``settings.alpha``).
    data : Design, optional
        Rows of the data to draw the model on (a sample: :func:`core.display.sample_design`
        with :func:`core.lab_line.sample_size`), the design ``model`` was built from.
    theta_fit : sequence of float, optional
        The normal equation's θ (original units) drawn for reference; default ``model.theta_hat``.
    total : int, optional
        The whole data's row count (for the caption).

    Returns
    -------
    dict
        ``version``; the run model: ``p``, ``m``, ``theta_hat`` (p,), ``cost_min``,
        ``R`` (q×p nested lists), ``lambda_max``; ``scaling`` (``{"mean", "scale",
        "intercept"}`` or None); ``names`` (user text: show as text only);
        the run: ``optimizer``, ``label``, ``hp``, ``schedule``, ``schedule_hp``,
        ``iterations``, ``tol``, ``theta0`` (original units), ``alpha``;
        the divergence verdict's limit: ``limit`` (on α·λmax, or on α for
        Newton; None when the spectrum gives none), ``limit_on`` ("curvature"
        or "alpha"); the slider: ``alphas``, ``marks`` (:func:`alpha_marks`);
        the surface: ``grid`` = ``{"a": [a0, a1], "b": [b0, b1], "n": [na, nb],
        "fixed": (p,)}``, ``i``, ``j``; ``step``; ``line``: None, or
        :func:`core.lab_line.line_payload` of ``data`` (the fourth chart).

    Raises
    ------
    ValueError
        For a row-based optimizer, Newton's method on a singular XᵀX, a model
        with fewer than two coefficients, a bad pair ``i``, ``j``, or invalid settings.
    """
    settings = settings.checked(model.p)
    rule = _optimizer(settings.optimizer)
    if rule.rows:
        raise ValueError(f"{rule.label} takes each step from a sample of the rows, so it cannot be redrawn in the "
                         "browser from the cost model; run it on the server (core.descent.descend).")
    if model.p < 2:
        raise ValueError("The descent lab draws a cost surface, which needs at least two coefficients.")
    if not (0 <= i < model.p and 0 <= j < model.p) or i == j:
        raise ValueError(f"Choose two different coefficients among 0..{model.p - 1} for the surface; "
                         f"got {i} and {j}.")
    run, scaling = run_model(model, settings)
    spec = spectrum(run)
    if rule.key == "newton" and not (run.R.shape == (run.p, run.p) and run.lambda_min > 0):
        raise ValueError("Newton's method divides by XᵀX/m, which is singular here; add a ridge penalty λ > 0.")
    hp = settings.hyperparameters()
    start = np.array(settings.theta0, dtype=np.float64)
    start = start if scaling is None else scaling.to_scaled(start)
    limit = None
    if rule.limit is not None and settings.schedule == "constant":
        limit = float(rule.limit(hp))
    choices = lab_alphas(run, settings.optimizer, hp, settings.alpha) if alphas is None \
        else sorted({float(a) for a in alphas} | {settings.alpha})
    if data is not None and data.p != model.p:
        raise ValueError(f"The rows to draw have {data.p} design columns; the model has {model.p}.")
    if not all(np.isfinite(a) and a > 0 for a in choices):
        raise ValueError("The learning rates offered must be positive finite numbers.")
    return {
        "version": LAB_VERSION,
        "p": int(run.p), "m": int(run.m),
        "theta_hat": [float(v) for v in run.theta_hat],
        "cost_min": float(run.cost_min),
        "R": [[float(v) for v in row] for row in run.R],
        "lambda_max": float(spec.lambda_max),
        "scaling": None if scaling is None else {"mean": [float(v) for v in scaling.mean],
                                                 "scale": [float(v) for v in scaling.scale],
                                                 "intercept": bool(scaling.intercept)},
        "names": [str(n) for n in run.names],
        "optimizer": rule.key, "label": rule.label,
        "hp": {k: float(v) for k, v in hp.items()},
        "schedule": settings.schedule,
        "schedule_hp": {k: float(v) for k, v in settings.schedule_parameters().items()},
        "iterations": int(settings.iterations), "tol": float(settings.tol),
        "theta0": [float(v) for v in settings.theta0], "alpha": float(settings.alpha),
        "limit": limit, "limit_on": "alpha" if rule.rates == "newton" else "curvature",
        "alphas": choices, "marks": alpha_marks(run, settings),
        "grid": _grid(run, start, grid, int(i), int(j)), "i": int(i), "j": int(j),
        "step": None if step is None else int(step),
        "line": None if data is None else line_payload(data, model.theta_hat if theta_fit is None else theta_fit,
                                                        total=total),
    }

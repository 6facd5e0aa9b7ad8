"""Gradient descent on J(θ) = 1/(2m)·‖Xθ − y‖², one O(p²) step at a time.

Each step needs the gradient ∇J(θ) = Xᵀ(Xθ − y)/m. A naive loop recomputes
it from the m rows every time (O(mp) per step); here it comes from the
sufficient statistics held by :class:`~core.cost.LeastSquaresCost`
(``XᵀX(θ − θ̂)/m``), so 1000 steps on a million rows cost what they cost on
ten.

Convention: J = 1/(2m)·Σ(h(x) − y)². With the ½·Σ form the gradient is m
times larger, so the same path needs a learning rate α/m.

The settings may ask for standardised features (:mod:`core.scaling`) and a
ridge penalty (:mod:`core.ridge`): the run then descends that cost
(:func:`run_model`), in its coordinates; every rate goes through the
schedule (:mod:`core.schedules`); the row-based optimizers take their
gradients from a few rows at a time (:mod:`core.sampling`), so only they need
the rows. The verdict comes from the spectrum (:mod:`core.verdict`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cost import LeastSquaresCost, least_squares_cost
from .design import Design
from .optimizers import OPTIMIZERS, REGISTRY, Oracle, optimizer as _optimizer
from .rates import default_learning_rate, learning_rate_bounds, learning_rate_choices
from .ridge import penalised, ridge_model
from .sampling import RowBatches
from .scaling import Scaling, scale_model, scaling_of
from .schedules import schedule as _schedule
from .settings import MAX_ITERATIONS, DescentSettings
from .spectrum import spectrum
from .verdict import unstable, verdict

__all__ = ["DIVERGENCE_FACTOR", "MAX_ITERATIONS", "OPTIMIZERS", "REGISTRY", "Trace", "descend",
           "gradient_descent", "learning_rate_bounds", "learning_rate_choices", "default_learning_rate",
           "run_model"]

#: A run is stopped as diverged once its cost passes this multiple of its start
#: (or stops at the iteration limit higher than it started).
DIVERGENCE_FACTOR = 1e12
#: The largest cost a run may record (float64 overflows just above 1.8e308).
_COST_CEILING = 1e307


@dataclass(frozen=True, eq=False)
class Trace:
    """The path of one gradient-descent run, and the settings that produced it.

    Attributes
    ----------
    thetas : ndarray, shape (k + 1, p)
        Row 0 is the start θ₀, row t is θ after t steps. Always finite: a step
        that would leave float64's range ends the run instead.
    costs : ndarray, shape (k + 1,)
        J at each row of ``thetas``.
    grad_norms : ndarray, shape (k + 1,)
        ‖∇J‖ at each row.
    status : {"converged", "max_iterations", "diverged"}
        What the run did.
    settings : DescentSettings
        What produced this run (validated).
    message : str
        A sentence saying what happened and why.
    verdict : str
        The diagnosis, one of :data:`core.verdict.VERDICTS` ("converged",
        "diverged", "oscillating", "too_slow", "noisy").
    scaling : Scaling or None
        Set when the run was on standardised features: ``thetas`` are then in
        standardised units and :attr:`thetas_original` maps them back.
    """

    thetas: np.ndarray
    costs: np.ndarray
    grad_norms: np.ndarray
    status: str
    settings: DescentSettings
    message: str
    verdict: str = ""
    scaling: Scaling | None = None

    @property
    def thetas_original(self) -> np.ndarray:
        """``thetas`` in the original units of the features (the same array when not standardised)."""
        return self.thetas if self.scaling is None else self.scaling.to_original(self.thetas)

    @property
    def iterations(self) -> int:
        """Steps taken."""
        return self.thetas.shape[0] - 1

    @property
    def theta(self) -> np.ndarray:
        """The last iterate, shape (p,)."""
        return self.thetas[-1]

    @property
    def alpha(self) -> float:
        return self.settings.alpha

    @property
    def tol(self) -> float:
        return self.settings.tol

    @property
    def optimizer(self) -> str:
        return self.settings.optimizer

    @property
    def label(self) -> str:
        """A legend entry for this run, e.g. "Batch gradient descent, α = 0.05"."""
        return self.settings.label


def run_model(model: LeastSquaresCost, settings: DescentSettings) -> tuple[LeastSquaresCost, Scaling | None]:
    """The cost a run with these settings descends, in its own coordinates: O(p³), no rows.

    Parameters
    ----------
    model : LeastSquaresCost
        The plain least-squares cost of the data (original units).
    settings : DescentSettings

    Returns
    -------
    model : LeastSquaresCost
        Standardised (:func:`core.scaling.scale_model`) if
        ``settings.standardise``, then with the ridge penalty
        (:func:`core.ridge.ridge_model`; λ applies to the run's coordinates).
    scaling : Scaling or None
        The change of coordinates, when standardised.
    """
    scaling = scaling_of(model) if settings.standardise else None
    run = scale_model(model, scaling) if scaling is not None else model
    return ridge_model(run, settings.ridge), scaling


def descend(model: LeastSquaresCost, settings: DescentSettings, rows=None) -> Trace:
    """Minimise J(θ) = 1/(2m)·‖Xθ − y‖² (plus the ridge term) from the cost model, as ``settings`` say.

    Every step is O(p²) whatever the number of rows (the gradient comes from
    the model's factor R), or O(b·p) for the row-based optimizers. No
    infinite or NaN value is ever recorded: a step that overflows, or a cost
    above :data:`DIVERGENCE_FACTOR` times the start, ends the run as diverged
    with the last finite iterate.

    Parameters
    ----------
    model : LeastSquaresCost
        The plain least-squares cost (original units).
    settings : DescentSettings
        θ₀ is in original units; with ``standardise`` the run (and the
        trace's ``thetas``) are in standardised units.
    rows : tuple (X, y), optional
        The design matrix (original units) and target: needed by the
        row-based optimizers (stochastic, mini-batch), ignored by the others.

    Returns
    -------
    Trace
        ``costs`` are J_λ, ``grad_norms`` ‖∇J_λ‖ in the run's coordinates.

    Raises
    ------
    ValueError
        If a setting is invalid, a row-based optimizer has no rows, or J(θ₀)
        itself is too large to compute.
    """
    settings = settings.checked(model.p)
    rule = _optimizer(settings.optimizer)
    hp = settings.hyperparameters()
    tol = settings.tol
    # α_t of every step at once, through the schedule (one function for every optimizer)
    rates = np.atleast_1d(_schedule(settings.schedule).rate(settings.alpha, np.arange(settings.iterations),
                                                            settings.schedule_parameters()))
    run, scaling = run_model(model, settings)
    theta = np.array(settings.theta0, dtype=np.float64)
    if scaling is not None:
        theta = scaling.to_scaled(theta)
    batches = _batches(rule, settings, run, scaling, rows)
    oracle = Oracle(run.gradient, _newton_solve(run))
    if rule.key == "newton" and oracle.solve is None:
        raise ValueError("Newton's method divides by XᵀX/m, which is singular here (a column repeats a "
                         "combination of others, or there are fewer rows than coefficients). Add a ridge "
                         "penalty λ > 0 to make it invertible.")
    with np.errstate(over="ignore", invalid="ignore"):
        g = run.gradient(theta)
        J0 = float(run(theta))
        g0 = float(np.linalg.norm(g))
    if not (np.isfinite(J0) and J0 <= _COST_CEILING and np.isfinite(g0) and np.all(np.isfinite(theta))):
        raise ValueError("The start θ₀ is so far from the optimum that the cost there is too large to "
                         "compute in floating point; start closer (smaller numbers).")
    ceiling = min(DIVERGENCE_FACTOR * max(J0, run.cost_min, np.finfo(np.float64).tiny), _COST_CEILING)
    thetas, costs, grad_norms = [theta], [J0], [g0]
    state = rule.start(run.p)
    status = "max_iterations"
    for t in range(1, settings.iterations + 1):
        if grad_norms[-1] <= tol * g0:
            status = "converged"
            break
        alpha = float(rates[t - 1])
        with np.errstate(over="ignore", invalid="ignore"):
            if batches is not None:
                sample = batches.gradient_on(batches.take())
                theta, state = rule.step(theta, sample(theta), state, Oracle(sample), alpha, t, hp)
            else:
                theta, state = rule.step(theta, g, state, oracle, alpha, t, hp)
            g = run.gradient(theta)
            J = float(run(theta))
            gn = float(np.linalg.norm(g))
        if not (np.isfinite(J) and np.isfinite(gn) and np.all(np.isfinite(theta))) or J > ceiling:
            status = "diverged"  # the step left float64's range or blew up: keep the last finite one
            break
        thetas.append(theta)
        costs.append(J)
        grad_norms.append(gn)
    else:
        if grad_norms[-1] <= tol * g0:
            status = "converged"
        elif costs[-1] > costs[0] or unstable(settings, spectrum(run)):
            status = "diverged"  # ran out of steps, but climbing (or bound to, by the spectrum)
    steps = len(thetas) - 1
    said = verdict(status, steps, settings, spectrum(run), rows=None if rows is None else len(rows[1]))
    return Trace(thetas=np.array(thetas), costs=np.array(costs), grad_norms=np.array(grad_norms),
                 status=status, settings=settings, message=said.message, verdict=said.status, scaling=scaling)


def _batches(rule, settings: DescentSettings, run: LeastSquaresCost, scaling, rows) -> RowBatches | None:
    """The mini-batch gradients of a row-based rule (None for the full-gradient ones)."""
    if not rule.rows:
        return None
    if rows is None:
        raise ValueError(f"{rule.label} takes each step from a sample of the rows, so it needs the data's rows: "
                         "call descend(model, settings, rows=(X, y)).")
    X, y = rows
    batches = RowBatches(X, y, settings.batch_size, settings.seed, scaling, settings.ridge, penalised(run))
    if batches.X.shape[1] != run.p or batches.m != run.m:
        raise ValueError(f"The rows do not match the cost model: it has {run.m} rows and {run.p} coefficients, "
                         f"the rows given have shape {batches.X.shape}.")
    return batches


def _newton_solve(model: LeastSquaresCost):
    """g ↦ H⁻¹g with H = RᵀR/m, by two triangular-like solves with R (None when R is not square/invertible)."""
    R = model.R
    if R.shape != (model.p, model.p) or not model.lambda_min > 0:
        return None
    return lambda g: model.m * np.linalg.solve(R, np.linalg.solve(R.T, g))


def gradient_descent(X, y, alpha: float, iterations: int, theta0=None, *, tol: float = 1e-6,
                     optimizer: str = "gd", beta: float | None = None,
                     model: LeastSquaresCost | None = None, lab: dict | None = None, **params) -> Trace:
    """Minimise J(θ) = 1/(2m)·‖Xθ − y‖² by gradient descent (loose arguments).

    The textbook-shaped entry point; it builds a :class:`DescentSettings` and
    calls :func:`descend`.

    Parameters
    ----------
    X : Design or array_like, shape (m, p), or None with ``model``
    y : array_like, shape (m,), or None
    alpha : float
        Learning rate α > 0. Batch descent converges for α < 2/λ_max(XᵀX/m).
    iterations : int
        Most steps to take, 0..100 000.
    theta0 : array_like, shape (p,), optional
        Start; default zeros.
    tol : float, default 1e-6
        Stop once ‖∇J(θ)‖ ≤ tol·‖∇J(θ₀)‖.
    optimizer : str
        A key of :data:`REGISTRY`: "gd", "stochastic", "minibatch", "momentum",
        "nesterov", "adam", "newton" (the row-based ones need X and y).
    beta : float, optional
        Momentum coefficient (Adam's β₁); default the optimizer's.
    model : LeastSquaresCost, optional
        The cost, already computed (then X and y are only used as rows).
    lab : dict, optional
        Other settings by name (``batch_size``, ``seed``, ``schedule``,
        ``schedule_params``, ``ridge``, ``standardise``), as in
        :meth:`DescentSettings.to_dict`.
    **params
        Other parameters of the optimizer (e.g. ``eps`` for Adam).

    Returns
    -------
    Trace
    """
    if model is None:
        if X is None:
            raise ValueError("Give the data (X, y) or a model.")
        model = least_squares_cost(X, y)
    rows = None
    if X is not None:
        rows = (X.X, X.y) if isinstance(X, Design) else (np.asarray(X, dtype=np.float64), np.asarray(y, dtype=float))
    if beta is not None:
        params["beta"] = beta
    if theta0 is None:
        theta0 = ()
    else:
        try:
            theta0 = tuple(np.ravel(np.asarray(theta0, dtype=np.float64)))
        except (TypeError, ValueError):
            raise ValueError(f"The start θ₀ must be numbers; got {theta0!r}.") from None
    settings = DescentSettings.from_dict({**(lab or {}), "optimizer": optimizer, "alpha": alpha,
                                          "iterations": iterations, "theta0": theta0, "tol": tol,
                                          "params": params})
    return descend(model, settings, rows=rows)

"""Gradient descent on J(θ) = 1/(2m)·‖Xθ − y‖², one O(p²) step at a time.

Each step needs the gradient ∇J(θ) = Xᵀ(Xθ − y)/m. A naive loop recomputes
it from the m rows every time (O(mp) per step); here it comes from the
sufficient statistics held by :class:`~core.cost.LeastSquaresCost`
(``XᵀX(θ − θ̂)/m``), so 1000 steps on a million rows cost what they cost on
ten.

Convention: J = 1/(2m)·Σ(h(x) − y)². With the ½·Σ form the gradient is m
times larger, so the same path needs a learning rate α/m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cost import LeastSquaresCost, least_squares_cost
from .optimizers import OPTIMIZERS, optimizer as _optimizer
from .settings import MAX_ITERATIONS, DescentSettings

__all__ = ["DIVERGENCE_FACTOR", "MAX_ITERATIONS", "OPTIMIZERS", "Trace", "descend", "gradient_descent",
           "learning_rate_bounds", "learning_rate_choices", "default_learning_rate"]

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
    settings : DescentSettings
        What produced this run (validated).
    message : str
        A sentence saying what happened and why.
    """

    thetas: np.ndarray
    costs: np.ndarray
    grad_norms: np.ndarray
    status: str
    settings: DescentSettings
    message: str

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


def descend(model: LeastSquaresCost, settings: DescentSettings) -> Trace:
    """Minimise J(θ) = 1/(2m)·‖Xθ − y‖² from the cost model, as ``settings`` say.

    Every step is O(p²) whatever the number of rows (the gradient comes from
    the model's factor R). No infinite or NaN value is ever recorded: a step
    that overflows, or a cost above :data:`DIVERGENCE_FACTOR` times the
    start, ends the run as diverged with the last finite iterate.

    Parameters
    ----------
    model : LeastSquaresCost
    settings : DescentSettings

    Returns
    -------
    Trace

    Raises
    ------
    ValueError
        If a setting is invalid, or J(θ₀) itself is too large to compute.
    """
    settings = settings.checked(model.p)
    rule = _optimizer(settings.optimizer)
    hp = settings.hyperparameters()
    alpha, tol = settings.alpha, settings.tol
    theta = np.array(settings.theta0, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        g = model.gradient(theta)
        J0 = float(model(theta))
        g0 = float(np.linalg.norm(g))
    if not (np.isfinite(J0) and J0 <= _COST_CEILING and np.isfinite(g0)):
        raise ValueError("The start θ₀ is so far from the optimum that the cost there is too large to "
                         "compute in floating point; start closer (smaller numbers).")
    ceiling = min(DIVERGENCE_FACTOR * max(J0, model.cost_min, np.finfo(np.float64).tiny), _COST_CEILING)
    thetas, costs, grad_norms = [theta], [J0], [g0]
    state = rule.start(model.p)
    status = "max_iterations"
    for t in range(1, settings.iterations + 1):
        if grad_norms[-1] <= tol * g0:
            status = "converged"
            break
        with np.errstate(over="ignore", invalid="ignore"):
            theta, state = rule.step(theta, g, state, model.gradient, alpha, t, hp)
            g = model.gradient(theta)
            J = float(model(theta))
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
        elif costs[-1] > costs[0] or _unstable(model, settings):
            status = "diverged"  # ran out of steps, but climbing (or bound to, by the spectrum)
    steps = len(thetas) - 1
    return Trace(thetas=np.array(thetas), costs=np.array(costs), grad_norms=np.array(grad_norms),
                 status=status, settings=settings, message=_message(status, steps, settings, model))


def gradient_descent(X, y, alpha: float, iterations: int, theta0=None, *, tol: float = 1e-6,
                     optimizer: str = "gd", beta: float | None = None,
                     model: LeastSquaresCost | None = None, **params) -> Trace:
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
        A key of :data:`OPTIMIZERS`: "gd", "momentum", "nesterov", "adam".
    beta : float, optional
        Momentum coefficient (Adam's β₁); default the optimizer's.
    model : LeastSquaresCost, optional
        The cost, already computed (then X and y are ignored).
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
    if beta is not None:
        params["beta"] = beta
    if theta0 is None:
        theta0 = ()
    else:
        try:
            theta0 = tuple(np.ravel(np.asarray(theta0, dtype=np.float64)))
        except (TypeError, ValueError):
            raise ValueError(f"The start θ₀ must be numbers; got {theta0!r}.") from None
    settings = DescentSettings(optimizer=optimizer, alpha=alpha, iterations=iterations, theta0=theta0,
                               tol=tol, params=tuple(sorted(params.items())))
    return descend(model, settings)


def learning_rate_bounds(model: LeastSquaresCost) -> tuple[float, float, float]:
    """A range for a log-scale learning-rate slider.

    Returns
    -------
    lo, hi, suggested : float
        ``hi`` lies a little above the stability limit 2/λ_max so that
        divergence can be shown; ``suggested`` is 1/λ_max.
    """
    limit = model.max_stable_alpha
    if not np.isfinite(limit):
        return 1e-3, 1.0, 0.1
    return limit * 1e-4, limit * 1.5, limit / 2


def learning_rate_choices(model: LeastSquaresCost) -> list[float]:
    """Round learning rates (1, 2, 5 × 10ᵏ) spanning :func:`learning_rate_bounds`, sorted."""
    lo, hi, _ = learning_rate_bounds(model)
    values = []
    for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1):
        for mantissa in (1, 2, 5):
            value = float(f"{mantissa}e{k}")
            if lo <= value <= hi:
                values.append(value)
    return values


def default_learning_rate(model: LeastSquaresCost, choices: list[float] | None = None) -> float:
    """A safe first learning rate: the largest round value at most 1/λ_max (half the stability limit).

    Parameters
    ----------
    model : LeastSquaresCost
    choices : list of float, optional
        The values a control offers; default :func:`learning_rate_choices`.
    """
    choices = learning_rate_choices(model) if choices is None else choices
    _, _, suggested = learning_rate_bounds(model)
    below = [a for a in choices if a <= suggested]
    return below[-1] if below else choices[0]


def _unstable(model: LeastSquaresCost, settings: DescentSettings) -> bool:
    """True when the spectrum says batch descent at this α grows along the steepest direction."""
    return settings.optimizer == "gd" and settings.alpha > model.max_stable_alpha


def _message(status: str, steps: int, settings: DescentSettings, model: LeastSquaresCost) -> str:
    alpha, tol = settings.alpha, settings.tol
    limit = model.max_stable_alpha
    if status == "converged":
        return (f"Converged in {steps} step(s): the gradient norm fell below {tol:g} × its "
                f"starting value.")
    if status == "diverged":
        if _unstable(model, settings):
            growth = abs(1 - alpha * model.lambda_max)
            why = (f"α = {alpha:g} is above the stability limit 2/λ_max = {limit:.4g}, so along the "
                   f"steepest direction every step overshoots the minimum and the error there grows by a "
                   f"factor {growth:.4g} per step")
        else:
            why = "the steps grew instead of shrinking"
        return f"Diverged after {steps} step(s): {why}. Lower the learning rate."
    slow = ""
    if settings.optimizer == "gd" and model.lambda_min > 0:
        ratio = model.lambda_max / model.lambda_min
        rate = max(abs(1 - alpha * model.lambda_min), abs(1 - alpha * model.lambda_max))
        if rate < 1 and tol > 0:
            needed = int(np.ceil(np.log(tol) / np.log(rate))) if rate > 0 else 1
            slow = (f" At this α each step shrinks the error by a factor {rate:.6g} at best, so reaching "
                    f"the tolerance takes about {needed:,} steps.")
        if ratio > 100:
            slow += (f" The cost's curvature differs by a factor {ratio:.3g} between directions "
                     "(the condition number of XᵀX/m): the flattest direction shrinks slowly. "
                     "Raise the iterations, use α closer to 2/(λ_min + λ_max), or scale the features.")
        else:
            slow += " Raise the iterations or the learning rate."
    return f"Stopped at the iteration limit ({steps} steps) before reaching the tolerance.{slow}"

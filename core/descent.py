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

OPTIMIZERS = {
    "gd": "Batch gradient descent",
    "momentum": "Momentum (heavy ball)",
    "nesterov": "Nesterov accelerated gradient",
    "adam": "Adam",
}
MAX_ITERATIONS = 100_000
#: A run is stopped as diverged once its cost passes this multiple of its start
#: (or stops at the iteration limit higher than it started).
DIVERGENCE_FACTOR = 1e12


@dataclass(frozen=True, eq=False)
class Trace:
    """The path of one gradient-descent run.

    Attributes
    ----------
    thetas : ndarray, shape (k + 1, p)
        Row 0 is the start θ₀, row t is θ after t steps.
    costs : ndarray, shape (k + 1,)
        J at each row of ``thetas``.
    grad_norms : ndarray, shape (k + 1,)
        ‖∇J‖ at each row.
    status : {"converged", "max_iterations", "diverged"}
    tol : float
        Stopping tolerance: converged when ‖∇J(θ_t)‖ ≤ tol·‖∇J(θ₀)‖.
    alpha : float
    optimizer : str
    message : str
        A sentence saying what happened and why.
    """

    thetas: np.ndarray
    costs: np.ndarray
    grad_norms: np.ndarray
    status: str
    tol: float
    alpha: float
    optimizer: str
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
    def label(self) -> str:
        """A legend entry for this run, e.g. "Batch gradient descent, α = 0.05"."""
        return f"{OPTIMIZERS.get(self.optimizer, self.optimizer)}, α = {self.alpha:g}"


def gradient_descent(X, y, alpha: float, iterations: int, theta0=None, *, tol: float = 1e-6,
                     optimizer: str = "gd", beta: float = 0.9,
                     model: LeastSquaresCost | None = None) -> Trace:
    """Minimise J(θ) = 1/(2m)·‖Xθ − y‖² by gradient descent.

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
    optimizer : {"gd", "momentum", "nesterov", "adam"}
    beta : float, default 0.9
        Momentum coefficient (also Adam's β₁; β₂ = 0.999).
    model : LeastSquaresCost, optional
        The cost, already computed (then X and y are ignored).

    Returns
    -------
    Trace
    """
    if model is None:
        if X is None:
            raise ValueError("Give the data (X, y) or a model.")
        model = least_squares_cost(X, y)
    p = model.p
    alpha = _check_number("alpha (the learning rate)", alpha, positive=True)
    tol = _check_number("tol", tol, positive=False)
    beta = _check_number("beta", beta, positive=False)
    if not beta < 1:
        raise ValueError(f"beta must be in [0, 1); got {beta}.")
    if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) \
            or not 0 <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be a whole number from 0 to {MAX_ITERATIONS}; got {iterations!r}.")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {optimizer!r}; choose one of {list(OPTIMIZERS)}.")
    theta = np.zeros(p) if theta0 is None else np.array(theta0, dtype=np.float64).reshape(-1)
    if theta.shape != (p,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"θ₀ must be {p} finite numbers; got {theta0!r}.")

    thetas = [theta.copy()]
    g = model.gradient(theta)
    g0 = float(np.linalg.norm(g))
    grad_norms = [g0]
    costs = [float(model(theta))]
    velocity = np.zeros(p)
    second = np.zeros(p)
    status = "max_iterations"
    for t in range(1, iterations + 1):
        if grad_norms[-1] <= tol * g0:
            status = "converged"
            break
        if optimizer == "gd":
            theta = theta - alpha * g
        elif optimizer == "momentum":
            velocity = beta * velocity + g
            theta = theta - alpha * velocity
        elif optimizer == "nesterov":
            velocity = beta * velocity + model.gradient(theta - alpha * beta * velocity)
            theta = theta - alpha * velocity
        else:  # adam
            velocity = beta * velocity + (1 - beta) * g
            second = 0.999 * second + 0.001 * g * g
            v_hat = velocity / (1 - beta**t)
            s_hat = second / (1 - 0.999**t)
            theta = theta - alpha * v_hat / (np.sqrt(s_hat) + 1e-12)
        g = model.gradient(theta)
        J = float(model(theta))
        thetas.append(theta.copy())
        costs.append(J)
        grad_norms.append(float(np.linalg.norm(g)))
        if not np.isfinite(J) or J > DIVERGENCE_FACTOR * costs[0]:
            status = "diverged"
            break
    else:
        if grad_norms[-1] <= tol * g0:
            status = "converged"
        elif costs[-1] > costs[0]:
            status = "diverged"  # ran out of steps, but climbing

    trace_thetas = np.array(thetas)
    return Trace(thetas=trace_thetas, costs=np.array(costs), grad_norms=np.array(grad_norms),
                 status=status, tol=float(tol), alpha=float(alpha), optimizer=optimizer,
                 message=_message(status, len(thetas) - 1, alpha, tol, model, optimizer))


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


def _check_number(name: str, value, positive: bool) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        rule = "greater than 0" if positive else "0 or more"
        raise ValueError(f"{name} must be a finite number {rule}; got {value}.")
    return value


def _message(status: str, steps: int, alpha: float, tol: float, model: LeastSquaresCost,
             optimizer: str) -> str:
    limit = model.max_stable_alpha
    if status == "converged":
        return (f"Converged in {steps} step(s): the gradient norm fell below {tol:g} × its "
                f"starting value.")
    if status == "diverged":
        why = (f"α = {alpha:g} is above the stability limit 2/λ_max = {limit:.4g}, so every step "
               "overshoots the minimum by more than it gained" if optimizer == "gd" and alpha >= limit
               else "the steps grew instead of shrinking")
        return f"Diverged after {steps} step(s): {why}. Lower the learning rate."
    slow = ""
    if optimizer == "gd" and model.lambda_min > 0:
        ratio = model.lambda_max / model.lambda_min
        slow = (f" The cost's curvature differs by a factor {ratio:.3g} between directions "
                "(the condition number of XᵀX/m): the flattest direction shrinks slowly. "
                "Raise the iterations or α, or scale the features.") if ratio > 100 else \
            " Raise the iterations or the learning rate."
    return f"Stopped at the iteration limit ({steps} steps) before reaching the tolerance.{slow}"

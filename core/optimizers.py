"""The optimizers: one update rule each, in a registry.

An optimizer is its parameters (with defaults and bounds), its state (what it
remembers between steps) and its step. The descent loop
(:func:`core.descent.descend`), the timing loops of :mod:`core.compare` and
the pages all go through :data:`OPTIMIZERS`, so adding a method is adding an
entry here, not editing a chain of ``if``/``elif``.

A step sees only a gradient function, so the same rule runs on the O(p²)
cost model, on the rows of the data, or on the statistics XᵀX, Xᵀy.

Examples
--------
One batch step from θ = 0 on the points (1, 2), (2, 3), (3, 4) with α = 0.1:

>>> import numpy as np
>>> X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]); y = np.array([2.0, 3.0, 4.0])
>>> gradient = lambda theta: X.T @ (X @ theta - y) / 3
>>> rule = OPTIMIZERS["gd"]
>>> theta, state = rule.step(np.zeros(2), gradient(np.zeros(2)), rule.start(2), gradient, 0.1, 1,
...                          rule.defaults())
>>> np.round(theta, 3)
array([0.3  , 0.667])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

Gradient = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class Param:
    """A hyperparameter of an optimizer.

    Attributes
    ----------
    name : str
        Its key in :attr:`core.settings.DescentSettings.params`.
    label : str
        For a control, e.g. "Momentum β".
    default, low, high : float
        The default and the closed range of allowed values.
    help : str
    """

    name: str
    label: str
    default: float
    low: float
    high: float
    help: str = ""

    def check(self, value) -> float:
        """The value as a float inside [low, high], or a ValueError naming the parameter."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{self.label} must be a number; got {value!r}.") from None
        if not (np.isfinite(value) and self.low <= value <= self.high):
            raise ValueError(f"{self.label} must be between {self.low:g} and {self.high:g}; got {value!r}.")
        return value


@dataclass(frozen=True)
class Optimizer:
    """One update rule.

    Attributes
    ----------
    key : str
    label : str
    params : tuple of Param
    start : callable(p) -> tuple of ndarray
        The state before the first step.
    step : callable(theta, g, state, gradient, alpha, t, hp) -> (theta, state)
        One step from θ with ∇J(θ) = g (``gradient`` evaluates ∇J elsewhere,
        for look-ahead rules), learning rate α, step number t ≥ 1 and the
        hyperparameters ``hp`` (a dict by :attr:`Param.name`).
    curvature_scaled : bool
        True when the useful learning rates scale with 1/λmax (a step moves
        α·∇J); False for per-coordinate rules such as Adam, whose step is
        about α in each coordinate whatever the curvature.
    help : str
    """

    key: str
    label: str
    params: tuple[Param, ...]
    start: Callable[[int], tuple]
    step: Callable
    curvature_scaled: bool = True
    help: str = ""

    def defaults(self) -> dict[str, float]:
        """Every hyperparameter at its default."""
        return {q.name: q.default for q in self.params}

    def hyperparameters(self, given=()) -> dict[str, float]:
        """The defaults, overridden by ``given`` (pairs or a dict), each checked.

        Raises
        ------
        ValueError
            For a name this optimizer does not have, or a value out of range.
        """
        known = {q.name: q for q in self.params}
        values = self.defaults()
        for name, value in dict(given).items():
            if name not in known:
                raise ValueError(f"{self.label} has no parameter {name!r}; it has {sorted(known) or 'none'}.")
            values[name] = known[name].check(value)
        return values


def _no_state(p: int) -> tuple:
    return ()


def _one_vector(p: int) -> tuple:
    return (np.zeros(p),)


def _two_vectors(p: int) -> tuple:
    return (np.zeros(p), np.zeros(p))


def _gd(theta, g, state, gradient, alpha, t, hp):
    return theta - alpha * g, state


def _momentum(theta, g, state, gradient, alpha, t, hp):
    (velocity,) = state
    velocity = hp["beta"] * velocity + g
    return theta - alpha * velocity, (velocity,)


def _nesterov(theta, g, state, gradient, alpha, t, hp):
    (velocity,) = state
    velocity = hp["beta"] * velocity + gradient(theta - alpha * hp["beta"] * velocity)
    return theta - alpha * velocity, (velocity,)


def _adam(theta, g, state, gradient, alpha, t, hp):
    first, second = state
    b1, b2 = hp["beta"], hp["beta2"]
    first = b1 * first + (1 - b1) * g
    second = b2 * second + (1 - b2) * g * g
    first_hat = first / (1 - b1**t)
    second_hat = second / (1 - b2**t)
    return theta - alpha * first_hat / (np.sqrt(second_hat) + hp["eps"]), (first, second)


_BETA = Param("beta", "Momentum β", 0.9, 0.0, 0.999,
              "How much of the previous step is kept (0: none, plain gradient descent).")

OPTIMIZERS: dict[str, Optimizer] = {o.key: o for o in (
    Optimizer("gd", "Batch gradient descent", (), _no_state, _gd,
              help="θ ← θ − α∇J(θ): the plain rule."),
    Optimizer("momentum", "Momentum (heavy ball)", (_BETA,), _one_vector, _momentum,
              help="v ← βv + ∇J(θ), θ ← θ − αv: remembers the previous step."),
    Optimizer("nesterov", "Nesterov accelerated gradient", (_BETA,), _one_vector, _nesterov,
              help="Momentum with the gradient taken where the momentum is about to carry θ."),
    Optimizer("adam", "Adam", (
        Param("beta", "Adam β₁", 0.9, 0.0, 0.999, "Decay of the running mean of the gradient."),
        Param("beta2", "Adam β₂", 0.999, 0.0, 0.999999, "Decay of the running mean of its square."),
        Param("eps", "Adam ε", 1e-8, 1e-16, 1.0, "Added to the root mean square before dividing."),
    ), _two_vectors, _adam, curvature_scaled=False,
        help="Scales each coordinate's step by a running root mean square of its gradient."),
)}


def optimizer(key: str) -> Optimizer:
    """The optimizer registered as ``key``, or a ValueError listing the choices."""
    try:
        return OPTIMIZERS[key]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown optimizer {key!r}; choose one of {list(OPTIMIZERS)}.") from None


def run_steps(key: str, theta0, gradient: Gradient, alpha: float, iterations: int, hp=None,
              tol: float = 0.0) -> tuple[np.ndarray, int]:
    """Up to ``iterations`` steps of an optimizer with no bookkeeping (for timing loops).

    Parameters
    ----------
    key : str
    theta0 : array_like, shape (p,)
    gradient : callable
        θ ↦ ∇J(θ).
    alpha : float
    iterations : int
    hp : dict, optional
        Hyperparameters; default the optimizer's defaults.
    tol : float, default 0
        Stop early once ‖∇J(θ)‖ ≤ tol·‖∇J(θ₀)‖ (0: never).

    Returns
    -------
    theta : ndarray, shape (p,)
        The last iterate.
    steps : int
        Steps taken.
    """
    rule = optimizer(key)
    hp = rule.hyperparameters(hp or {})
    theta = np.array(theta0, dtype=np.float64)
    state = rule.start(theta.shape[0])
    g = gradient(theta)
    stop = tol * float(np.linalg.norm(g))
    for t in range(1, iterations + 1):
        if tol and np.linalg.norm(g) <= stop:
            return theta, t - 1
        theta, state = rule.step(theta, g, state, gradient, alpha, t, hp)
        g = gradient(theta)
    return theta, iterations

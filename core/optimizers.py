"""The optimizers: one update rule each, in a registry.

An optimizer is its parameters (with defaults and bounds), its state (what it
remembers between steps) and its step. The descent loop
(:func:`core.descent.descend`), the timing loops of :mod:`core.compare` and
the pages all go through :data:`OPTIMIZERS`, so adding a method is adding an
entry here, not editing a chain of ``if``/``elif``.

A step sees an :class:`Oracle` (a gradient function, and for second-order
rules a solve with the Hessian), so the same rule runs on the O(p²) cost
model, on the statistics XᵀX, Xᵀy, or on a sample of rows: the row-based
entries (stochastic and mini-batch gradient descent) are the plain rule fed a
gradient from a few rows (:mod:`core.sampling`). :data:`REGISTRY` holds every
entry; :data:`OPTIMIZERS` those that need only the cost model.

Examples
--------
One batch step from θ = 0 on the points (1, 2), (2, 3), (3, 4) with α = 0.1:

>>> import numpy as np
>>> X = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]); y = np.array([2.0, 3.0, 4.0])
>>> gradient = lambda theta: X.T @ (X @ theta - y) / 3
>>> rule = OPTIMIZERS["gd"]
>>> theta, state = rule.step(np.zeros(2), gradient(np.zeros(2)), rule.start(2), Oracle(gradient), 0.1, 1,
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
    integer : bool
        Whole numbers only (e.g. a number of steps).
    """

    name: str
    label: str
    default: float
    low: float
    high: float
    help: str = ""
    integer: bool = False

    def check(self, value) -> float:
        """The value as a float inside [low, high], or a ValueError naming the parameter."""
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{self.label} must be a number; got {value!r}.") from None
        if not (np.isfinite(value) and self.low <= value <= self.high):
            raise ValueError(f"{self.label} must be between {self.low:g} and {self.high:g}; got {value!r}.")
        if self.integer and value != int(value):
            raise ValueError(f"{self.label} must be a whole number; got {value!r}.")
        return value


def checked_parameters(owner: str, params: tuple[Param, ...], given=()) -> dict[str, float]:
    """The defaults of ``params``, overridden by ``given`` (pairs or a dict), each checked.

    Parameters
    ----------
    owner : str
        Who has these parameters, for the message (e.g. "Adam").
    params : tuple of Param
    given : dict or iterable of (str, float)

    Raises
    ------
    ValueError
        For a name ``owner`` does not have, or a value out of range.
    """
    known = {q.name: q for q in params}
    values = {q.name: q.default for q in params}
    for name, value in dict(given).items():
        if name not in known:
            raise ValueError(f"{owner} has no parameter {name!r}; it has {sorted(known) or 'none'}.")
        values[name] = known[name].check(value)
    return values


@dataclass(frozen=True)
class Oracle:
    """What a step may ask about the cost.

    Attributes
    ----------
    gradient : callable
        θ ↦ ∇J(θ) (for a row-based rule: the gradient of the current sample).
    solve : callable, optional
        g ↦ H⁻¹g with H the Hessian; needed by Newton's method only.
    """

    gradient: Gradient
    solve: Callable[[np.ndarray], np.ndarray] | None = None


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
    step : callable(theta, g, state, oracle, alpha, t, hp) -> (theta, state)
        One step from θ with ∇J(θ) = g (``oracle`` evaluates ∇J elsewhere,
        for look-ahead rules, or solves with the Hessian), learning rate α,
        step number t ≥ 1 and the hyperparameters ``hp`` (a dict by
        :attr:`Param.name`).
    rates : {"curvature", "coordinate", "newton"}
        How its useful learning rates scale: with 1/λmax (a step moves α·∇J),
        per coordinate whatever the curvature (Adam: a step is about α in each
        coordinate), or around 1 (Newton: α = 1 is the full step).
    limit : callable(hp) -> float, optional
        Its stability limit on α·λmax for a constant α on a quadratic (on α
        itself for Newton), or None when it has none (Adam).
    rows : bool
        True when each step uses a sample of rows, not the full gradient.
    batch : int, optional
        The rows per step when fixed by the rule (1 for stochastic descent);
        None takes :attr:`core.settings.DescentSettings.batch_size`.
    help : str
    """

    key: str
    label: str
    params: tuple[Param, ...]
    start: Callable[[int], tuple]
    step: Callable
    rates: str = "curvature"
    limit: Callable[[dict], float] | None = None
    rows: bool = False
    batch: int | None = None
    help: str = ""

    @property
    def curvature_scaled(self) -> bool:
        """True when the useful learning rates scale with 1/λmax."""
        return self.rates == "curvature"

    def defaults(self) -> dict[str, float]:
        """Every hyperparameter at its default."""
        return {q.name: q.default for q in self.params}

    def hyperparameters(self, given=()) -> dict[str, float]:
        """The defaults, overridden by ``given`` (pairs or a dict), each checked (:func:`checked_parameters`)."""
        return checked_parameters(self.label, self.params, given)


def _no_state(p: int) -> tuple:
    return ()


def _one_vector(p: int) -> tuple:
    return (np.zeros(p),)


def _two_vectors(p: int) -> tuple:
    return (np.zeros(p), np.zeros(p))


def _gd(theta, g, state, oracle, alpha, t, hp):
    return theta - alpha * g, state


def _momentum(theta, g, state, oracle, alpha, t, hp):
    (velocity,) = state
    velocity = hp["beta"] * velocity + g
    return theta - alpha * velocity, (velocity,)


def _nesterov(theta, g, state, oracle, alpha, t, hp):
    (velocity,) = state
    velocity = hp["beta"] * velocity + oracle.gradient(theta - alpha * hp["beta"] * velocity)
    return theta - alpha * velocity, (velocity,)


def _newton(theta, g, state, oracle, alpha, t, hp):
    if oracle.solve is None:
        raise ValueError("Newton's method needs the Hessian XᵀX/m; run it on a cost model (core.descent.descend).")
    return theta - alpha * oracle.solve(g), state


def _adam(theta, g, state, oracle, alpha, t, hp):
    first, second = state
    b1, b2 = hp["beta"], hp["beta2"]
    first = b1 * first + (1 - b1) * g
    second = b2 * second + (1 - b2) * g * g
    first_hat = first / (1 - b1**t)
    second_hat = second / (1 - b2**t)
    return theta - alpha * first_hat / (np.sqrt(second_hat) + hp["eps"]), (first, second)


_BETA = Param("beta", "Momentum β", 0.9, 0.0, 0.999,
              "How much of the previous step is kept (0: none, plain gradient descent).")

#: Every optimizer, by key, in menu order.
REGISTRY: dict[str, Optimizer] = {o.key: o for o in (
    Optimizer("gd", "Batch gradient descent", (), _no_state, _gd, limit=lambda hp: 2.0,
              help="θ ← θ − α∇J(θ): the plain rule, with the gradient of all the rows."),
    Optimizer("stochastic", "Stochastic gradient descent", (), _no_state, _gd, limit=lambda hp: 2.0,
              rows=True, batch=1,
              help="The plain rule with the gradient of one row at a time, the rows in a shuffled order."),
    Optimizer("minibatch", "Mini-batch gradient descent", (), _no_state, _gd, limit=lambda hp: 2.0,
              rows=True,
              help="The plain rule with the gradient of a few rows at a time (the batch size)."),
    Optimizer("momentum", "Momentum (heavy ball)", (_BETA,), _one_vector, _momentum,
              limit=lambda hp: 2.0 * (1.0 + hp["beta"]),
              help="v ← βv + ∇J(θ), θ ← θ − αv: remembers the previous step."),
    Optimizer("nesterov", "Nesterov accelerated gradient", (_BETA,), _one_vector, _nesterov,
              limit=lambda hp: 2.0 * (1.0 + hp["beta"]) / (1.0 + 2.0 * hp["beta"]),
              help="Momentum with the gradient taken where the momentum is about to carry θ."),
    Optimizer("adam", "Adam", (
        Param("beta", "Adam β₁", 0.9, 0.0, 0.999, "Decay of the running mean of the gradient."),
        Param("beta2", "Adam β₂", 0.999, 0.0, 0.999999, "Decay of the running mean of its square."),
        Param("eps", "Adam ε", 1e-8, 1e-16, 1.0, "Added to the root mean square before dividing."),
    ), _two_vectors, _adam, rates="coordinate",
        help="Scales each coordinate's step by a running root mean square of its gradient."),
    Optimizer("newton", "Newton's method", (), _no_state, _newton, rates="newton", limit=lambda hp: 2.0,
              help="θ ← θ − α(XᵀX/m)⁻¹∇J(θ): the gradient divided by the curvature. With α = 1 this is "
                   "the normal equation, so it lands on θ̂ in one step."),
)}

#: The optimizers that need only the cost model (no rows): what the timing loops and the figures
#: of the O(p²) runs use.
OPTIMIZERS: dict[str, Optimizer] = {k: o for k, o in REGISTRY.items() if not o.rows}


def optimizer(key: str) -> Optimizer:
    """The optimizer registered as ``key``, or a ValueError listing the choices."""
    try:
        return REGISTRY[key]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown optimizer {key!r}; choose one of {list(REGISTRY)}.") from None


def run_steps(key: str, theta0, gradient: Gradient, alpha: float, iterations: int, hp=None,
              tol: float = 0.0, solve=None) -> tuple[np.ndarray, int]:
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
    solve : callable, optional
        g ↦ H⁻¹g, for Newton's method.

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
    oracle = Oracle(gradient, solve)
    g = gradient(theta)
    stop = tol * float(np.linalg.norm(g))
    for t in range(1, iterations + 1):
        if tol and np.linalg.norm(g) <= stop:
            return theta, t - 1
        theta, state = rule.step(theta, g, state, oracle, alpha, t, hp)
        g = gradient(theta)
    return theta, iterations

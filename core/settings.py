"""The settings of one gradient-descent run, as one frozen, hashable value.

A :class:`DescentSettings` is what a run is keyed by everywhere: the cache
key of a run, the key of the step scrubber, what a share link encodes, what
an overlay of several optimizers is a list of, and what a benchmark takes.
It is validated once, when made (:meth:`DescentSettings.checked`), against
the optimizer registry in :mod:`core.optimizers`.

Examples
--------
>>> s = DescentSettings(alpha=0.1, iterations=1).checked(p=2)
>>> s.theta0, s.optimizer, s.tol
((0.0, 0.0), 'gd', 1e-06)
>>> s == DescentSettings(alpha=0.1, iterations=1, theta0=(0.0, 0.0)).checked(p=2)
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .optimizers import optimizer as _optimizer

#: Most steps one run may take.
MAX_ITERATIONS = 100_000
#: Default stopping tolerance: ‖∇J(θ)‖ ≤ tol·‖∇J(θ₀)‖.
DEFAULT_TOL = 1e-6
DEFAULT_ITERATIONS = 1000


@dataclass(frozen=True)
class DescentSettings:
    """Everything that decides a gradient-descent run on given data.

    Attributes
    ----------
    optimizer : str
        A key of :data:`core.optimizers.OPTIMIZERS`.
    alpha : float
        Learning rate α > 0.
    iterations : int
        Most steps, 0..:data:`MAX_ITERATIONS`.
    theta0 : tuple of float
        The start; empty means zeros (filled in by :meth:`checked`).
    tol : float
        Stop once ‖∇J(θ)‖ ≤ tol·‖∇J(θ₀)‖.
    params : tuple of (str, float)
        The optimizer's own parameters (e.g. ``(("beta", 0.9),)``), sorted by
        name; those left out take their defaults.
    """

    optimizer: str = "gd"
    alpha: float = 0.05
    iterations: int = DEFAULT_ITERATIONS
    theta0: tuple[float, ...] = ()
    tol: float = DEFAULT_TOL
    params: tuple[tuple[str, float], ...] = ()

    def checked(self, p: int | None = None) -> "DescentSettings":
        """The same settings, validated and normalised (θ₀ of length ``p``, params sorted).

        Parameters
        ----------
        p : int, optional
            Number of coefficients; an empty θ₀ becomes ``p`` zeros.

        Raises
        ------
        ValueError
            With a sentence naming the setting that is wrong.
        """
        rule = _optimizer(self.optimizer)
        alpha = _number("The learning rate α", self.alpha, positive=True)
        tol = _number("The stopping tolerance", self.tol, positive=False)
        iterations = self.iterations
        if isinstance(iterations, bool) or not isinstance(iterations, (int, np.integer)) \
                or not 0 <= iterations <= MAX_ITERATIONS:
            raise ValueError(f"The number of iterations must be a whole number from 0 to {MAX_ITERATIONS:,}; "
                             f"got {iterations!r}.")
        theta0 = self.theta0
        if not len(theta0) and p is not None:
            theta0 = (0.0,) * int(p)
        try:
            theta0 = tuple(float(v) for v in np.ravel(np.asarray(theta0, dtype=np.float64)))
        except (TypeError, ValueError):
            raise ValueError(f"The start θ₀ must be numbers; got {self.theta0!r}.") from None
        if p is not None and len(theta0) != p:
            raise ValueError(f"The start θ₀ must have {p} numbers (one per coefficient); got {len(theta0)}.")
        if not all(np.isfinite(theta0)):
            raise ValueError(f"The start θ₀ must be finite numbers; got {theta0!r}.")
        hp = rule.hyperparameters(self.params)
        given = {name for name, _ in self.params}
        params = tuple(sorted((k, v) for k, v in hp.items() if k in given))
        return replace(self, alpha=alpha, tol=tol, iterations=int(iterations), theta0=theta0, params=params)

    def hyperparameters(self) -> dict[str, float]:
        """The optimizer's parameters: defaults, overridden by :attr:`params`."""
        return _optimizer(self.optimizer).hyperparameters(self.params)

    @property
    def label(self) -> str:
        """A legend entry, e.g. "Batch gradient descent, α = 0.05"."""
        return f"{_optimizer(self.optimizer).label}, α = {self.alpha:g}"


def _number(name: str, value, positive: bool) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        rule = "greater than 0" if positive else "0 or more"
        raise ValueError(f"{name} must be a finite number {rule}; got {value}.")
    return value

"""The settings of one gradient-descent run, as one frozen, hashable value.

A :class:`DescentSettings` is what a run is keyed by everywhere: the cache
key of a run, the key of the step scrubber, what a share link encodes, what
an overlay of several optimizers is a list of, and what a benchmark takes.
It is validated once, when made (:meth:`DescentSettings.checked`), against
the optimizer registry in :mod:`core.optimizers` and the schedules in
:mod:`core.schedules`, and travels as plain JSON types
(:meth:`DescentSettings.to_dict`, :meth:`DescentSettings.from_dict`).
The lab's fields (batch size, seed, schedule, ridge, standardising) default
to a plain run, so a run made without them is the same run as before.

Examples
--------
>>> s = DescentSettings(alpha=0.1, iterations=1).checked(p=2)
>>> s.theta0, s.optimizer, s.tol
((0.0, 0.0), 'gd', 1e-06)
>>> s == DescentSettings(alpha=0.1, iterations=1, theta0=(0.0, 0.0)).checked(p=2)
True
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from .optimizers import optimizer as _optimizer
from .schedules import schedule as _schedule

#: Most steps one run may take.
MAX_ITERATIONS = 100_000
#: Default stopping tolerance: ‖∇J(θ)‖ ≤ tol·‖∇J(θ₀)‖.
DEFAULT_TOL = 1e-6
DEFAULT_ITERATIONS = 1000
#: The stopping tolerances a person (or a link) can choose.
TOLERANCES = (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12)
#: Rows per step of mini-batch descent, unless chosen.
DEFAULT_BATCH_SIZE = 32
#: Largest batch size and seed accepted.
MAX_BATCH_SIZE = 10_000_000
MAX_SEED = 2**32 - 1


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
    batch_size : int
        Rows per step of mini-batch descent (1 for stochastic descent; not
        used, and reset to its default, for the full-gradient optimizers).
    seed : int
        Seed of the row order of the row-based optimizers (reset to 0 for the
        others): the same seed gives the same path.
    schedule : str
        A key of :data:`core.schedules.SCHEDULES` ("constant", "step",
        "inverse", "exponential").
    schedule_params : tuple of (str, float)
        The schedule's parameters, sorted by name, like :attr:`params`.
    ridge : float
        The ridge penalty λ ≥ 0 (:mod:`core.ridge`; 0: plain least squares).
    standardise : bool
        Run on standardised features (:mod:`core.scaling`).
    """

    optimizer: str = "gd"
    alpha: float = 0.05
    iterations: int = DEFAULT_ITERATIONS
    theta0: tuple[float, ...] = ()
    tol: float = DEFAULT_TOL
    params: tuple[tuple[str, float], ...] = ()
    batch_size: int = DEFAULT_BATCH_SIZE
    seed: int = 0
    schedule: str = "constant"
    schedule_params: tuple[tuple[str, float], ...] = ()
    ridge: float = 0.0
    standardise: bool = False

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
        iterations = _whole("The number of iterations", self.iterations, 0, MAX_ITERATIONS)
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
        params = _given(rule.hyperparameters(self.params), self.params)
        plan = _schedule(self.schedule)
        schedule_params = _given(plan.hyperparameters(self.schedule_params), self.schedule_params)
        batch_size = _whole("The batch size", self.batch_size, 1, MAX_BATCH_SIZE)
        seed = _whole("The random seed", self.seed, 0, MAX_SEED)
        if not rule.rows:  # not used: one run, one key
            batch_size, seed = DEFAULT_BATCH_SIZE, 0
        elif rule.batch is not None:
            batch_size = rule.batch
        ridge = _number("The ridge penalty λ", self.ridge, positive=False)
        if not isinstance(self.standardise, (bool, np.bool_)):
            raise ValueError(f"Standardise features must be true or false; got {self.standardise!r}.")
        return replace(self, alpha=alpha, tol=tol, iterations=iterations, theta0=theta0, params=params,
                       batch_size=batch_size, seed=seed, schedule_params=schedule_params, ridge=ridge,
                       standardise=bool(self.standardise))

    def hyperparameters(self) -> dict[str, float]:
        """The optimizer's parameters: defaults, overridden by :attr:`params`."""
        return _optimizer(self.optimizer).hyperparameters(self.params)

    def schedule_parameters(self) -> dict[str, float]:
        """The schedule's parameters: defaults, overridden by :attr:`schedule_params`."""
        return _schedule(self.schedule).hyperparameters(self.schedule_params)

    @property
    def label(self) -> str:
        """A legend entry, e.g. "Batch gradient descent, α = 0.05" (plus what differs from a plain run)."""
        rule = _optimizer(self.optimizer)
        extra = [f"batch {self.batch_size}" if rule.rows and rule.batch is None else "",
                 f"{_schedule(self.schedule).label.lower()} schedule" if self.schedule != "constant" else "",
                 f"λ = {self.ridge:g}" if self.ridge else "", "standardised" if self.standardise else ""]
        return ", ".join([rule.label, f"α = {self.alpha:g}", *[e for e in extra if e]])

    def to_dict(self) -> dict:
        """Plain JSON types (str, float, int, bool, list, dict), for share links and exports.

        Examples
        --------
        >>> d = DescentSettings(optimizer="momentum", params=(("beta", 0.5),)).to_dict()
        >>> d["params"], d["theta0"]
        ({'beta': 0.5}, [])
        >>> DescentSettings.from_dict(d) == DescentSettings(optimizer="momentum", params=(("beta", 0.5),))
        True
        """
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("params", "schedule_params"):
                value = {k: float(v) for k, v in value}
            elif f.name == "theta0":
                value = [float(v) for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict, p: int | None = None) -> "DescentSettings":
        """Settings from :meth:`to_dict`'s form, validated (:meth:`checked`); missing keys take defaults.

        Raises
        ------
        ValueError
            For an unknown key or an invalid value, in a sentence naming it.
        """
        if not isinstance(data, dict):
            raise ValueError(f"Gradient-descent settings must be a mapping of names to values; got {data!r}.")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"Unknown gradient-descent setting(s) {unknown}; the settings are {sorted(names)}.")
        values = dict(data)
        for key in ("params", "schedule_params"):
            if key in values:
                given = values[key]
                if not isinstance(given, dict):
                    raise ValueError(f"The setting {key!r} must be a mapping of names to numbers; got {given!r}.")
                values[key] = tuple(sorted(given.items()))
        if "theta0" in values:
            values["theta0"] = tuple(values["theta0"]) if isinstance(values["theta0"], (list, tuple)) \
                else values["theta0"]
        return cls(**values).checked(p)


def _given(values: dict[str, float], given) -> tuple[tuple[str, float], ...]:
    """The checked values of the parameters that were given, sorted by name (defaults left out)."""
    names = {name for name, _ in given}
    return tuple(sorted((k, v) for k, v in values.items() if k in names))


def _whole(name: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high:,}; got {value!r}.")
    return int(value)


def _number(name: str, value, positive: bool) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number; got {value!r}.") from None
    if not np.isfinite(value) or value < 0 or (positive and value == 0):
        rule = "greater than 0" if positive else "0 or more"
        raise ValueError(f"{name} must be a finite number {rule}; got {value}.")
    return value

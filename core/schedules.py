"""Learning-rate schedules: how the step size α changes from step to step.

One idea: a schedule turns the chosen learning rate α into the rate of each
step, α_t, for t = 0, 1, 2, … steps already taken (so the first step always
uses α itself). Every optimizer gets its rate through :func:`scheduled_rate`,
and the schedules are entries of :data:`SCHEDULES`, each with its parameters
(defaults and bounds, as :class:`core.optimizers.Param`):

========== ============================ =====================
key        α_t                          parameter
========== ============================ =====================
constant   α                            —
step       α · ½^⌊t/N⌋ (halve every N)  ``every`` = N
inverse    α / (1 + t/τ)                ``tau`` = τ
exponential α · γᵗ                      ``gamma`` = γ
========== ============================ =====================

Examples
--------
>>> scheduled_rate("step", {"every": 10}, 0.4, 25)
0.1
>>> scheduled_rate("inverse", {"tau": 100}, 1.0, 100)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .optimizers import Param, checked_parameters

#: Most steps a run may take (the bound of the step schedule's N); equal to core.settings.MAX_ITERATIONS.
_MOST_STEPS = 100_000


@dataclass(frozen=True)
class Schedule:
    """One learning-rate schedule.

    Attributes
    ----------
    key, label : str
    params : tuple of Param
    rate : callable(alpha, t, hp) -> float or ndarray
        α_t after t steps (t may be an array).
    formula : str
        The rule, for a caption, e.g. "α/(1 + t/τ)".
    """

    key: str
    label: str
    params: tuple[Param, ...]
    rate: Callable
    formula: str

    def hyperparameters(self, given=()) -> dict[str, float]:
        """The defaults overridden by ``given``, each checked; a ValueError names a bad one."""
        return checked_parameters(f"The {self.label.lower()} schedule", self.params, given)


SCHEDULES: dict[str, Schedule] = {s.key: s for s in (
    Schedule("constant", "Constant", (), lambda alpha, t, hp: alpha + 0.0 * np.asarray(t), "α"),
    Schedule("step", "Step", (Param("every", "Steps between halvings N", 100, 1, _MOST_STEPS,
                                    "α is halved after every N steps.", integer=True),),
             lambda alpha, t, hp: alpha * 0.5 ** np.floor_divide(t, int(hp["every"])), "α·½^⌊t/N⌋"),
    Schedule("inverse", "Inverse", (Param("tau", "Decay time τ", 100.0, 1e-3, 1e9,
                                          "After τ steps α is halved, after 3τ quartered."),),
             lambda alpha, t, hp: alpha / (1.0 + np.asarray(t) / hp["tau"]), "α/(1 + t/τ)"),
    Schedule("exponential", "Exponential", (Param("gamma", "Decay factor γ", 0.99, 0.01, 1.0,
                                                  "α is multiplied by γ at every step."),),
             lambda alpha, t, hp: alpha * hp["gamma"] ** np.asarray(t, dtype=np.float64), "α·γᵗ"),
)}


def schedule(key: str) -> Schedule:
    """The schedule registered as ``key``, or a ValueError listing the choices."""
    try:
        return SCHEDULES[key]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown learning-rate schedule {key!r}; choose one of {list(SCHEDULES)}.") from None


def scheduled_rate(key: str, hp, alpha: float, t):
    """The learning rate after ``t`` steps: the one function every optimizer's rate goes through.

    Parameters
    ----------
    key : str
        A key of :data:`SCHEDULES`.
    hp : dict or iterable of (str, float)
        The schedule's parameters (checked; missing ones take their defaults).
    alpha : float
        The chosen learning rate (the rate of the first step).
    t : int or array_like of int
        Steps already taken (0 for the first step).

    Returns
    -------
    float or ndarray
    """
    rule = schedule(key)
    value = rule.rate(float(alpha), t, rule.hyperparameters(hp))
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)

"""How fast a run approaches θ̂: its distance and cost gap per step, and the rate theory predicts.

One idea: the convergence plot's series. For a run and the cost model it
descended (the same units: standardised, with ridge, if the run was),

* ‖θₖ − θ̂‖, the distance to the optimum, and
* J(θₖ) − J(θ̂) = ½‖R(θₖ − θ̂)‖²/m, the cost gap (computed from R, never by
  subtracting two costs, so never negative),

both floored at the round-off level of θ̂ and J(θ̂) so a log axis shows them
whole; and batch descent's predicted line ‖θ₀ − θ̂‖·rateᵏ with
rate = max|1 − αλ| (:meth:`core.spectrum.Spectrum.rate`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .cost import LeastSquaresCost
from .spectrum import spectrum

_EPS = np.finfo(np.float64).eps
_TINY = np.finfo(np.float64).tiny


class Convergence(NamedTuple):
    """The two series, one value per recorded step (k = 0 … K)."""

    distance: np.ndarray
    gap: np.ndarray


def convergence(trace, model: LeastSquaresCost) -> Convergence:
    """‖θₖ − θ̂‖ and J(θₖ) − J(θ̂) for each row of ``trace.thetas``: finite, positive, floored at round-off.

    Parameters
    ----------
    trace : Trace
        A run (its ``thetas`` are finite by construction).
    model : LeastSquaresCost
        The cost that run descended (:func:`core.descent.run_model`).

    Returns
    -------
    Convergence
    """
    d = np.asarray(trace.thetas, dtype=np.float64) - model.theta_hat
    Rd = d @ model.R.T
    distance = np.linalg.norm(d, axis=1)
    gap = 0.5 * np.einsum("ki,ki->k", Rd, Rd) / model.m
    size = float(np.linalg.norm(model.theta_hat))
    d_floor = max(_EPS * size, _TINY)
    g_floor = max(_EPS * abs(model.cost_min), 0.5 * model.lambda_max * d_floor**2, _TINY)
    big = np.finfo(np.float64).max
    return Convergence(np.clip(np.nan_to_num(distance, nan=big, posinf=big), d_floor, big),
                       np.clip(np.nan_to_num(gap, nan=big, posinf=big), g_floor, big))


def rate_line(trace, model: LeastSquaresCost) -> np.ndarray:
    """Batch descent's predicted distance ‖θ₀ − θ̂‖·rateᵏ at the run's α, k = 0 … K (floored like the data).

    For batch descent at a constant α this bounds the run's distance from
    above; for other rules it is the reference they are measured against.
    """
    steps = np.arange(np.asarray(trace.thetas).shape[0])
    start = float(np.linalg.norm(np.asarray(trace.thetas[0], dtype=np.float64) - model.theta_hat))
    rate = spectrum(model).rate(trace.settings.alpha)
    with np.errstate(over="ignore", under="ignore"):
        line = start * np.power(rate, steps, dtype=np.float64)
    floor = max(_EPS * float(np.linalg.norm(model.theta_hat)), _TINY)
    return np.clip(np.nan_to_num(line, posinf=np.finfo(np.float64).max), floor, np.finfo(np.float64).max)

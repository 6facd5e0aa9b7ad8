"""Learning-rate ranges that suit each optimizer: what a learning-rate control offers.

One idea: the useful α of an optimizer depends on how its step scales
(:attr:`core.optimizers.Optimizer.rates`):

* curvature-scaled rules (batch, stochastic and mini-batch descent,
  momentum, Nesterov) move α·∇J, so their range is tied to 1/λmax: from
  10⁻⁴ of their stability limit (2/λmax for batch descent, 2(1 + β)/λmax for
  momentum, 2(1 + β)/((1 + 2β)λmax) for Nesterov) to 1.5 times it, so
  divergence can be shown; suggested: half the limit (row-based rules: at
  most 1/trace(XᵀX/m), the mean curvature of a single row);
* Adam moves about α in every coordinate whatever the curvature, so its
  range is 10⁻⁴ … 10 in units of the size of θ̂ (a power of ten), suggested
  0.1 of that unit;
* Newton's method divides by the curvature, so α = 1 is the full step:
  10⁻³ … 2, suggested 1.

The values offered are round (1, 2, 5 × 10ᵏ).
"""

from __future__ import annotations

import numpy as np

from .cost import LeastSquaresCost
from .optimizers import Optimizer, optimizer as _optimizer


def learning_rate_bounds(model: LeastSquaresCost, optimizer="gd", hp=None) -> tuple[float, float, float]:
    """A range for a log-scale learning-rate slider.

    Parameters
    ----------
    model : LeastSquaresCost
        The cost the run descends (standardised or with ridge if the run is).
    optimizer : str or Optimizer, default "gd"
    hp : dict, optional
        The optimizer's parameters (e.g. β, which moves momentum's limit).

    Returns
    -------
    lo, hi, suggested : float
        For batch descent ``hi`` lies a little above the stability limit
        2/λ_max so that divergence can be shown, and ``suggested`` is 1/λ_max.
    """
    rule = optimizer if isinstance(optimizer, Optimizer) else _optimizer(optimizer)
    hp = rule.hyperparameters(hp or {})
    if rule.rates == "newton":
        return 1e-3, 2.5, 1.0
    if rule.rates == "coordinate":
        size = float(np.max(np.abs(model.theta_hat), initial=0.0))
        unit = 10.0 ** np.floor(np.log10(size)) if np.isfinite(size) and size > 0 else 1.0
        return 1e-4 * unit, 10.0 * unit, 0.1 * unit
    if not (model.lambda_max > 0 and np.isfinite(model.lambda_max)):
        return 1e-3, 1.0, 0.1
    limit = rule.limit(hp) / model.lambda_max
    suggested = limit / 2
    if rule.rows:
        suggested = min(suggested, 1.0 / float(np.trace(model.hessian())))
    return limit * 1e-4, limit * 1.5, suggested


def learning_rate_choices(model: LeastSquaresCost, optimizer="gd", hp=None) -> list[float]:
    """Round learning rates (1, 2, 5 × 10ᵏ) spanning :func:`learning_rate_bounds`, sorted."""
    lo, hi, _ = learning_rate_bounds(model, optimizer, hp)
    values = []
    for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1):
        for mantissa in (1, 2, 5):
            value = float(f"{mantissa}e{k}")
            if lo <= value <= hi:
                values.append(value)
    return values


def nearest_choice(choices: list[float], value: float) -> float:
    """The offered learning rate nearest ``value`` on a log scale (where a mark such as 2/λmax goes).

    >>> nearest_choice([0.01, 0.02, 0.05, 0.1], 0.07)
    0.05
    """
    return min(choices, key=lambda a: abs(np.log(a) - np.log(value)))


def default_learning_rate(model: LeastSquaresCost, choices: list[float] | None = None, optimizer="gd",
                          hp=None) -> float:
    """A safe first learning rate: the largest offered value at most the suggested one.

    For batch descent that is at most 1/λ_max (half the stability limit); for
    Newton's method 1.

    Parameters
    ----------
    model : LeastSquaresCost
    choices : list of float, optional
        The values a control offers; default :func:`learning_rate_choices`.
    optimizer : str or Optimizer, default "gd"
    hp : dict, optional
    """
    choices = learning_rate_choices(model, optimizer, hp) if choices is None else choices
    _, _, suggested = learning_rate_bounds(model, optimizer, hp)
    below = [a for a in choices if a <= suggested * (1 + 1e-12)]
    return below[-1] if below else choices[0]

"""Standardised features: the same least-squares problem in better-scaled coordinates.

One idea: a change of coordinates. With an intercept, each other column x_j
becomes z_j = (x_j − μ_j)/s_j (mean 0, standard deviation 1); without one,
z_j = x_j/s_j (root mean square 1). Then Xθ = Zφ for

    φ_j = s_j·θ_j (j ≥ 1),        φ₀ = θ₀ + Σ_j μ_j·θ_j,

i.e. φ = Aθ and X = ZA. So the scaled cost model needs no rows: its factor is
R·A⁻¹ (ZᵀZ = A⁻ᵀXᵀXA⁻¹), its minimiser A·θ̂, its minimum the same J(θ̂).
Gradient descent runs on φ; :meth:`Scaling.to_original` maps a path back.

The means and scales themselves come from the p×p statistics too
(:func:`scaling_of`: μ_j = (XᵀX)₀ⱼ/m and s_j = ‖R(e_j − μ_j e₀)‖/√m, the
centring done on the factor), or from the rows (:func:`column_scaling`).
Only consistency matters for exactness: any μ, s give an exact change of
coordinates; good ones make the bowl round.

Examples
--------
Hours studied, x = 1..5: μ = 3, s = √2, and θ̂ = (0.7, 1.2) becomes
φ̂ = (0.7 + 3·1.2, √2·1.2) = (4.3, 1.697…):

>>> import numpy as np
>>> from core.cost import least_squares_cost
>>> model = least_squares_cost(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7])
>>> scaled = scale_model(model, scaling_of(model))
>>> np.round(scaled.theta_hat, 4), np.round(scaled.hessian(), 12) + 0.0
(array([4.3   , 1.6971]), array([[1., 0.],
       [0., 1.]]))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cost import LeastSquaresCost

#: Columns whose typical sizes differ by more than this factor call for standardising.
SCALE_RATIO_LIMIT = 10.0


@dataclass(frozen=True, eq=False)
class Scaling:
    """The standardising change of coordinates φ = Aθ.

    Attributes
    ----------
    mean : ndarray, shape (p,)
        μ_j subtracted from column j (0 for the intercept, and for every
        column without an intercept).
    scale : ndarray, shape (p,)
        s_j > 0 dividing column j (1 for the intercept).
    intercept : bool
        Whether column 0 is the column of ones.
    """

    mean: np.ndarray
    scale: np.ndarray
    intercept: bool

    def to_scaled(self, theta) -> np.ndarray:
        """φ = Aθ: coefficients in original units → standardised units (shape (..., p))."""
        theta = np.asarray(theta, dtype=np.float64)
        phi = theta * self.scale
        if self.intercept:
            phi[..., 0] = theta[..., 0] + theta[..., 1:] @ self.mean[1:]
        return phi

    def to_original(self, phi) -> np.ndarray:
        """θ = A⁻¹φ: coefficients in standardised units → original units (shape (..., p))."""
        phi = np.asarray(phi, dtype=np.float64)
        theta = phi / self.scale
        if self.intercept:
            theta[..., 0] = phi[..., 0] - theta[..., 1:] @ self.mean[1:]
        return theta

    def rows(self, X) -> np.ndarray:
        """Z = (X − μ)/s: rows of the design in standardised units (the intercept column stays ones)."""
        return (np.asarray(X, dtype=np.float64) - self.mean) / self.scale


def scaling_of(model: LeastSquaresCost) -> Scaling:
    """The standardising means and scales from the cost model's factor alone (no rows).

    Parameters
    ----------
    model : LeastSquaresCost
        Its :attr:`~core.cost.LeastSquaresCost.intercept` says whether column
        0 is the column of ones.

    Returns
    -------
    Scaling
        A constant (or zero) non-intercept column keeps μ = 0, s = 1.
    """
    R, m, p = model.R, model.m, model.p
    mean = np.zeros(p)
    centred = R.copy()
    if model.intercept and p:
        mean[1:] = (R[:, 0] @ R[:, 1:]) / m
        centred[:, 1:] -= np.outer(R[:, 0], mean[1:])
    scale = np.linalg.norm(centred, axis=0) / np.sqrt(m)
    rms = np.linalg.norm(R, axis=0) / np.sqrt(m)
    flat = ~(scale > 1e-12 * rms) | ~np.isfinite(scale)
    if model.intercept and p:
        flat[0] = True
        mean[flat] = 0.0
    scale[flat] = 1.0
    return Scaling(mean=mean, scale=scale, intercept=model.intercept)


def column_scaling(X, intercept: bool) -> Scaling:
    """The standardising means and standard deviations computed from the rows (one O(mp) pass).

    Parameters
    ----------
    X : array_like, shape (m, p)
        The design matrix (column 0 the ones when ``intercept``).
    intercept : bool

    Returns
    -------
    Scaling
    """
    X = np.asarray(X, dtype=np.float64)
    p = X.shape[1]
    mean = X.mean(axis=0) if intercept else np.zeros(p)
    scale = np.sqrt(np.mean((X - mean) ** 2, axis=0))
    flat = ~(scale > 1e-12 * np.sqrt(np.mean(X**2, axis=0)))
    if intercept:
        flat[0] = True
        mean[flat] = 0.0
    scale[flat] = 1.0
    return Scaling(mean=mean, scale=scale, intercept=intercept)


def scale_model(model: LeastSquaresCost, scaling: Scaling) -> LeastSquaresCost:
    """The same cost in standardised coordinates φ = Aθ: factor R·A⁻¹, minimiser A·θ̂, same minimum.

    Parameters
    ----------
    model : LeastSquaresCost
    scaling : Scaling

    Returns
    -------
    LeastSquaresCost
        Same names, rows and intercept flag.
    """
    R = model.R / scaling.scale
    if scaling.intercept and model.p:
        R[:, 1:] = (model.R[:, 1:] - np.outer(model.R[:, 0], scaling.mean[1:])) / scaling.scale[1:]
    return LeastSquaresCost(scaling.to_scaled(model.theta_hat), model.cost_min, R, model.m, model.names,
                            intercept=model.intercept)


@dataclass(frozen=True)
class ScaleCheck:
    """Whether the columns' scales differ a lot: the default of a "Standardise features" toggle.

    Attributes
    ----------
    ratio : float
        Largest over smallest root mean square of a column (sqrt of XᵀX's
        diagonal over m), zero columns left out.
    kappa, kappa_scaled : float
        Condition number λmax/λmin of XᵀX/m as given and after standardising.
    differ : bool
        ``ratio`` > :data:`SCALE_RATIO_LIMIT`.
    message : str
    """

    ratio: float
    kappa: float
    kappa_scaled: float
    differ: bool
    message: str


def scale_check(model: LeastSquaresCost) -> ScaleCheck:
    """Say whether standardising is worth it for this problem (off for the hand-checked worked examples).

    The rule is the ratio of the columns' typical sizes (> 10: standardise),
    which a student can check by eye; the condition numbers before and after
    say how much rounder the cost's bowl becomes.
    """
    rms = np.sqrt(np.maximum(np.diag(model.hessian()), 0.0))
    used = rms[rms > 0]
    ratio = float(used.max() / used.min()) if used.size else 1.0
    scaled = scale_model(model, scaling_of(model))
    kappa, kappa_scaled = _kappa(model), _kappa(scaled)
    differ = ratio > SCALE_RATIO_LIMIT
    sizes = f"The columns' typical sizes (root mean squares) differ by a factor {ratio:.3g}"
    if differ:
        message = (f"{sizes}, more than {SCALE_RATIO_LIMIT:g}: standardising them changes the condition "
                   f"number of XᵀX/m from {kappa:.3g} to {kappa_scaled:.3g}, so gradient descent needs far "
                   "fewer steps.")
    else:
        message = (f"{sizes}, at most {SCALE_RATIO_LIMIT:g}: the features can stay in their own units "
                   f"(condition number {kappa:.3g}; {kappa_scaled:.3g} after standardising).")
    return ScaleCheck(ratio=ratio, kappa=kappa, kappa_scaled=kappa_scaled, differ=differ, message=message)


def _kappa(model: LeastSquaresCost) -> float:
    return model.lambda_max / model.lambda_min if model.lambda_min > 0 else float("inf")

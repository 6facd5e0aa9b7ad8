"""Ridge regression from the fit's factor: the penalised cost without touching the rows.

One idea: adding λ‖θ′‖² to the least-squares problem. The convention, the same
for the normal equation and for gradient descent:

    J_λ(θ) = 1/(2m)·‖Xθ − y‖² + λ/(2m)·‖θ′‖²,
    ∇J_λ(θ) = (XᵀXθ − Xᵀy + λI′θ)/m,
    (XᵀX + λI′)·θ̂_λ = Xᵀy,

where θ′ is θ without the intercept and I′ the identity with a 0 for the
intercept (the intercept is never penalised; without an intercept every
coefficient is). λ is on the scale of XᵀX (a sum over rows), so the same λ
means less on more rows.

From the fit's R (XᵀX = RᵀR) and θ̂ (which solves RᵀRθ̂ = Xᵀy, so
Xᵀy = Rᵀc with c = Rθ̂), the ridge problem is the small least-squares problem

    minimise ‖[R; √λ·I′]θ − [c; 0]‖²,

solved by Householder QR of the stacked (p + p′)×p matrix: its triangle R_λ
is the ridge factor (XᵀX + λI′ = R_λᵀR_λ) and θ̂_λ comes from one triangular
solve, never forming XᵀX + λI′. A rank-deficient XᵀX (a duplicated column)
becomes solvable for any λ > 0.

Examples
--------
Hours studied (XᵀX = [[5, 15], [15, 55]], Xᵀy = (21.5, 76.5)) with λ = 10:
(XᵀX + λI′)θ = Xᵀy gives θ = (2.5, 0.6).

>>> import numpy as np
>>> from core.cost import least_squares_cost
>>> model = least_squares_cost(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7])
>>> np.round(ridge_model(model, 10.0).theta_hat, 12) + 0.0
array([2.5, 0.6])
"""

from __future__ import annotations

import numpy as np

from .cost import LeastSquaresCost


def penalised(model: LeastSquaresCost) -> np.ndarray:
    """I′'s diagonal: 1 for each penalised coefficient, 0 for the intercept."""
    mask = np.ones(model.p)
    if model.intercept and model.p:
        mask[0] = 0.0
    return mask


def ridge_model(model: LeastSquaresCost, lam: float) -> LeastSquaresCost:
    """The cost J_λ (see the module docstring) as a cost model: its minimiser θ̂_λ, minimum and factor R_λ.

    Parameters
    ----------
    model : LeastSquaresCost
        The plain least-squares cost (its ``intercept`` flag says which
        coefficient is left unpenalised).
    lam : float
        λ ≥ 0; 0 returns ``model`` itself.

    Returns
    -------
    LeastSquaresCost
        J_λ(θ) = J_λ(θ̂_λ) + ½‖R_λ(θ − θ̂_λ)‖²/m, exact.

    Raises
    ------
    ValueError
        For a negative or non-finite λ, or when J_λ still has no unique
        minimiser (only possible when the intercept column itself is zero).
    """
    lam = float(lam)
    if not (np.isfinite(lam) and lam >= 0):
        raise ValueError(f"The ridge penalty λ must be a finite number 0 or more; got {lam!r}.")
    if lam == 0:
        return model
    p, m = model.p, model.m
    mask = penalised(model)
    P = np.sqrt(lam) * np.eye(p)[mask > 0]
    stacked = np.vstack([model.R, P])
    c = np.concatenate([model.R @ model.theta_hat, np.zeros(P.shape[0])])
    Q, R_lam = np.linalg.qr(stacked)
    d = Q.T @ c
    diag = np.abs(np.diag(R_lam))
    if not np.all(diag > 1e-14 * max(diag.max(initial=0.0), np.finfo(float).tiny)):
        raise ValueError("The ridge problem still has no unique solution: the intercept column has no data.")
    theta = np.linalg.solve(R_lam, d)  # R_λ is triangular with a nonzero diagonal (checked above)
    # J_λ(θ̂_λ) = J(θ̂) + (‖R(θ̂_λ − θ̂)‖² + λ‖θ̂_λ′‖²)/(2m): a sum of squares, no cancellation.
    shift = model.R @ (theta - model.theta_hat)
    cost_min = model.cost_min + 0.5 * (shift @ shift + lam * (mask * theta) @ theta) / m
    return LeastSquaresCost(theta, cost_min, R_lam, m, model.names, intercept=model.intercept)


def ridge_cost(X, y, theta, lam: float, intercept: bool) -> float:
    """J_λ(θ) straight from the definition (the reference): 1/(2m)·(‖Xθ − y‖² + λ‖θ′‖²).

    Parameters
    ----------
    X : array_like, shape (m, p)
    y : array_like, shape (m,)
    theta : array_like, shape (p,)
    lam : float
    intercept : bool
        Whether θ₀ is the (unpenalised) intercept.
    """
    X, y, theta = (np.asarray(a, dtype=np.float64) for a in (X, y, theta))
    r = X @ theta - y
    penalty = theta[int(intercept):] @ theta[int(intercept):]
    return float(r @ r + lam * penalty) / (2 * X.shape[0])

"""The cost J(θ) = 1/(2m)·‖Xθ − y‖² and its surface over two coefficients.

Convention: the mean squared error halved, J(θ) = 1/(2m)·Σ(h(x) − y)². Some
texts write ½·Σ(h(x) − y)² instead; that is m times this J, so its gradient is
m times larger and the same step needs a learning rate m times smaller.

From the fit, J is evaluated without touching the data again:

    J(θ) = J(θ̂) + ½·‖R(θ − θ̂)‖² / m,     XᵀX = RᵀR,

exact for a quadratic, O(p²) per point whatever m is, and free of the
cancellation of ``yᵀy − 2θᵀXᵀy + θᵀXᵀXθ`` near the optimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .design import Design, design_from_arrays
from .solve import NormalEquationFit, fit_normal_equation


class Optimum(NamedTuple):
    """The minimiser θ̂ and the minimum J(θ̂): what the figures mark with a star."""

    theta: np.ndarray
    cost: float


class LeastSquaresCost:
    """J(θ) = 1/(2m)·‖Xθ − y‖², from the normal-equation fit.

    Parameters
    ----------
    theta_hat : ndarray, shape (p,)
        The minimiser θ̂.
    cost_min : float
        J(θ̂).
    R : ndarray, shape (q, p)
        Any factor with XᵀX = RᵀR.
    m : int
        Number of rows.
    names : list of str, optional
        Coefficient names.
    intercept : bool, optional
        Whether coefficient 0 multiplies the column of ones (unpenalised by
        ridge, not centred by standardising); default: its name is "1".
    """

    def __init__(self, theta_hat, cost_min: float, R, m: int, names=None, intercept: bool | None = None):
        self.theta_hat = np.asarray(theta_hat, dtype=np.float64)
        self.cost_min = float(cost_min)
        self.R = np.asarray(R, dtype=np.float64)
        self.m = int(m)
        self.p = self.theta_hat.shape[0]
        self.names = list(names) if names is not None else [f"θ{j}" for j in range(self.p)]
        self.intercept = bool(self.p and self.names[0] == "1") if intercept is None else bool(intercept)
        s = np.linalg.svd(self.R, compute_uv=False) if self.R.size else np.zeros(1)
        eig = s**2 / self.m
        #: Largest and smallest eigenvalue of the Hessian XᵀX/m.
        self.lambda_max = float(eig.max())
        self.lambda_min = float(eig.min()) if self.R.shape[0] == self.p else 0.0

    @classmethod
    def from_fit(cls, fit: NormalEquationFit) -> "LeastSquaresCost":
        """The cost of a fitted problem."""
        intercept = fit.design.intercept if fit.design is not None else None
        return cls(fit.theta, fit.cost_min, fit.r_factor, fit.m, fit.names, intercept=intercept)

    @property
    def optimum(self) -> Optimum:
        """(θ̂, J(θ̂))."""
        return Optimum(self.theta_hat, self.cost_min)

    @property
    def max_stable_alpha(self) -> float:
        """2/λ_max: batch gradient descent converges for 0 < α < this."""
        return 2.0 / self.lambda_max if self.lambda_max > 0 else np.inf

    def __call__(self, thetas) -> np.ndarray:
        """J at one or many θ.

        Parameters
        ----------
        thetas : array_like, shape (..., p)

        Returns
        -------
        ndarray, shape (...)
        """
        d = np.asarray(thetas, dtype=np.float64) - self.theta_hat
        Rd = d @ self.R.T
        return self.cost_min + 0.5 * np.einsum("...i,...i->...", Rd, Rd) / self.m

    def gradient(self, thetas) -> np.ndarray:
        """∇J(θ) = XᵀX(θ − θ̂)/m = Xᵀ(Xθ − y)/m.

        Parameters
        ----------
        thetas : array_like, shape (..., p)

        Returns
        -------
        ndarray, shape (..., p)
        """
        d = np.asarray(thetas, dtype=np.float64) - self.theta_hat
        return (d @ self.R.T) @ self.R / self.m

    def gap(self, theta) -> float:
        """J(θ) − J(θ̂): how much cost is left to lose (never negative; inf for a non-finite θ)."""
        theta = np.asarray(theta, dtype=np.float64)
        if not np.all(np.isfinite(theta)):
            return float("inf")
        d = theta - self.theta_hat
        Rd = self.R @ d
        return float(0.5 * (Rd @ Rd) / self.m)

    def distance(self, theta) -> float:
        """‖θ − θ̂‖: how far θ is from the exact answer (inf for a non-finite θ)."""
        theta = np.asarray(theta, dtype=np.float64)
        if not np.all(np.isfinite(theta)):
            return float("inf")
        return float(np.linalg.norm(theta - self.theta_hat))

    def hessian(self) -> np.ndarray:
        """XᵀX/m, shape (p, p)."""
        return self.R.T @ self.R / self.m


def least_squares_cost(design_or_X, y=None) -> LeastSquaresCost:
    """Fit, then return the cost of the problem (see :class:`LeastSquaresCost`)."""
    return LeastSquaresCost.from_fit(fit_normal_equation(design_or_X, y))


def cost(X, y, theta) -> float:
    """J(θ) = 1/(2m)·‖Xθ − y‖², straight from the definition (the reference).

    Parameters
    ----------
    X : array_like, shape (m, p)
    y : array_like, shape (m,)
    theta : array_like, shape (p,)

    Returns
    -------
    float
    """
    design = X if isinstance(X, Design) else design_from_arrays(X, y)
    theta = np.asarray(theta, dtype=np.float64)
    if theta.shape != (design.p,):
        raise ValueError(f"θ must have {design.p} entries; got shape {theta.shape}.")
    r = design.X @ theta - design.y
    return float(r @ r) / (2 * design.m)


@dataclass(frozen=True, eq=False)
class CostGrid:
    """J over a rectangle of two coefficients, the others held fixed.

    Attributes
    ----------
    i, j : int
        The coefficients on the x axis (θ_i) and the y axis (θ_j).
    names : tuple of str
    a : ndarray, shape (na,)
        θ_i values (x axis).
    b : ndarray, shape (nb,)
        θ_j values (y axis).
    z : ndarray, shape (nb, na)
        ``z[r, c] = J(θ)`` with θ_i = a[c], θ_j = b[r] (plotly's z[row][col]).
    theta_fixed : ndarray, shape (p,)
        The values of all the other coefficients.
    """

    i: int
    j: int
    names: tuple[str, str]
    a: np.ndarray
    b: np.ndarray
    z: np.ndarray
    theta_fixed: np.ndarray


def cost_grid(model: LeastSquaresCost, i: int = 0, j: int = 1, *, points=(), n: int = 61,
              theta_fixed=None) -> CostGrid:
    """J on an n×n grid of (θ_i, θ_j), centred on θ̂ and wide enough for ``points``.

    Parameters
    ----------
    model : LeastSquaresCost
    i, j : int
        Two different coefficient indices.
    points : sequence of array_like, shape (p,)
        Points that should fall inside the grid (a start, a path); non-finite
        ones and points more than 1e6 times further than the nearest scale are
        ignored so a diverging run does not shrink the bowl to a dot.
    n : int, default 61
        Points per axis (a quadratic needs no more).
    theta_fixed : array_like, shape (p,), optional
        Values of the other coefficients; default θ̂.

    Returns
    -------
    CostGrid
    """
    p = model.p
    if p < 2:
        raise ValueError("A cost surface needs at least two coefficients.")
    if not (0 <= i < p and 0 <= j < p) or i == j:
        raise ValueError(f"Choose two different coefficients among 0..{p - 1}; got {i} and {j}.")
    if not 5 <= n <= 401:
        raise ValueError(f"Grid size n must be between 5 and 401; got {n}.")
    centre = model.theta_hat
    fixed = centre.copy() if theta_fixed is None else np.asarray(theta_fixed, dtype=np.float64).copy()
    half = np.array([_half_width(model, k, points) for k in (i, j)])
    a = centre[i] + np.linspace(-half[0], half[0], n)
    b = centre[j] + np.linspace(-half[1], half[1], n)
    thetas = np.broadcast_to(fixed, (n, n, p)).copy()
    thetas[:, :, i] = a[None, :]
    thetas[:, :, j] = b[:, None]
    return CostGrid(i=i, j=j, names=(model.names[i], model.names[j]), a=a, b=b,
                    z=model(thetas), theta_fixed=fixed)


#: How the coefficients off a cost slice are held: the choices of :func:`slice_fixed`.
SLICE_MODES = {"optimum": "the others at θ̂", "current": "the others at the current step"}


def slice_fixed(model: LeastSquaresCost, mode: str = "optimum", current=None) -> np.ndarray:
    """The θ that holds the coefficients off a two-coefficient slice (``cost_grid(theta_fixed=...)``).

    With more than two coefficients a surface shows J over two of them, the
    others held fixed: at θ̂ (the slice through the optimum: its lowest point
    is J(θ̂)), or at the current iterate (the slice the path is on now: the
    path's point lies on it, but its lowest point may be above J(θ̂)).

    Parameters
    ----------
    model : LeastSquaresCost
    mode : {"optimum", "current"}
    current : array_like, shape (p,)
        The current iterate, for ``mode="current"``.

    Returns
    -------
    ndarray, shape (p,)
    """
    if mode == "optimum":
        return model.theta_hat.copy()
    if mode != "current":
        raise ValueError(f"Unknown slice {mode!r}; choose one of {list(SLICE_MODES)}.")
    theta = np.asarray(current, dtype=np.float64) if current is not None else np.zeros(0)
    if theta.shape != (model.p,) or not np.all(np.isfinite(theta)):
        raise ValueError(f"The slice through the current step needs that step's {model.p} finite coefficients; "
                         f"got {current!r}.")
    return theta.copy()


def path_cover_points(model: LeastSquaresCost, theta0, thetas, i: int, j: int) -> list[np.ndarray]:
    """Points a cost grid over (θ_i, θ_j) must cover to show a descent path from θ₀.

    With α < 2/λ_max each eigen-component of θ − θ̂ shrinks at every batch
    step (by |1 − αλ| < 1), so every such path stays in the box
    θ̂ ± Σₖ |vₖ·(θ₀ − θ̂)|·|vₖ|. A grid over that box depends on the data and θ₀
    only, not on α, so the surface stays the same while α changes. A path that
    leaves the box (momentum, Adam, an unstable α) widens it to the path's
    bounding box, so the drawn surface still covers every step.

    Parameters
    ----------
    model : LeastSquaresCost
    theta0 : array_like, shape (p,)
    thetas : ndarray, shape (k + 1, p)
        The path (non-finite rows are ignored).
    i, j : int
        The grid's two coefficients.

    Returns
    -------
    list of ndarray, shape (p,)
        For :func:`cost_grid`'s ``points``.
    """
    theta0 = np.asarray(theta0, dtype=np.float64)
    _, vecs = np.linalg.eigh(model.hessian())
    half = np.abs(vecs) @ np.abs(vecs.T @ (theta0 - model.theta_hat))
    lo, hi = model.theta_hat - half, model.theta_hat + half
    points = [theta0, lo, hi]
    slack = 1e-9 * (half + np.abs(model.theta_hat))  # θ₀ sits on the box's edge: allow rounding
    thetas = np.asarray(thetas, dtype=np.float64)
    finite = thetas[np.all(np.isfinite(thetas), axis=1)]
    if len(finite):
        pair = finite[:, [i, j]]
        if not np.all((pair >= (lo - slack)[[i, j]]) & (pair <= (hi + slack)[[i, j]])):
            points += [finite.min(axis=0), finite.max(axis=0)]
    return points


def _half_width(model: LeastSquaresCost, k: int, points) -> float:
    """Half the grid's extent along θ_k."""
    centre = model.theta_hat[k]
    # The curvature scale: where J rises by about J(θ̂) (or 1) along θ_k alone.
    h_kk = model.hessian()[k, k]
    rise = max(model.cost_min, 1e-12 + abs(centre) ** 2 * h_kk)
    natural = np.sqrt(2 * rise / h_kk) if h_kk > 0 else max(1.0, abs(centre))
    base = max(natural, 0.5 * abs(centre), 1e-6)
    offsets = [abs(float(np.asarray(q, dtype=np.float64)[k]) - centre) for q in points]
    offsets = [o for o in offsets if np.isfinite(o) and o < 1e6 * base]
    return 1.2 * max([base, *offsets]) if offsets else base

"""What the eigenvalues of the Hessian XᵀX/m say about gradient descent before it runs.

One idea: on the quadratic J(θ) = J(θ̂) + ½(θ − θ̂)ᵀH(θ − θ̂), H = XᵀX/m, batch
gradient descent multiplies the error's component along the eigenvector of
eigenvalue λ by (1 − αλ) at every step. Everything follows from the extreme
eigenvalues λmin ≤ λmax (of the run's cost: standardised or not, with ridge
or not):

* α_max = 2/λmax: above it the steepest component grows: divergence;
* α* = 2/(λmin + λmax): the fastest constant rate, contraction (κ−1)/(κ+1)
  with κ = λmax/λmin; between α* and α_max the steepest component flips sign
  every step and dominates: the path zig-zags;
* at any α the error shrinks by max|1 − αλ| per step, so reaching a tolerance
  ε takes about log ε / log(max|1 − αλ|) steps;
* heavy-ball momentum with β is stable for α < 2(1 + β)/λmax, and fastest at
  α = 4/(√λmax + √λmin)², β = ((√κ − 1)/(√κ + 1))², contraction about
  (√κ − 1)/(√κ + 1).

Examples
--------
Hours studied: H = [[1, 3], [3, 11]], λ = 6 ∓ √34.

>>> import numpy as np
>>> from core.cost import least_squares_cost
>>> s = spectrum(least_squares_cost(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7]))
>>> round(s.lambda_max, 4), round(s.alpha_max, 4), round(s.alpha_best, 4), round(s.kappa, 2)
(11.831, 0.169, 0.1667, 69.99)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .cost import LeastSquaresCost


@dataclass(frozen=True, eq=False)
class Spectrum:
    """The eigenvalues of XᵀX/m and the learning-rate bounds they give.

    Attributes
    ----------
    eigenvalues : ndarray, shape (p,)
        Ascending; zeros for a rank-deficient XᵀX.
    """

    eigenvalues: np.ndarray

    @property
    def lambda_min(self) -> float:
        return float(self.eigenvalues[0]) if self.eigenvalues.size else 0.0

    @property
    def lambda_max(self) -> float:
        return float(self.eigenvalues[-1]) if self.eigenvalues.size else 0.0

    @property
    def kappa(self) -> float:
        """κ = λmax/λmin (inf when XᵀX is singular)."""
        return self.lambda_max / self.lambda_min if self.lambda_min > 0 else float("inf")

    @property
    def alpha_max(self) -> float:
        """2/λmax: batch gradient descent diverges above it."""
        return 2.0 / self.lambda_max if self.lambda_max > 0 else float("inf")

    @property
    def alpha_best(self) -> float:
        """α* = 2/(λmin + λmax): the fastest constant learning rate of batch descent."""
        total = self.lambda_min + self.lambda_max
        return 2.0 / total if total > 0 else float("inf")

    @property
    def best_rate(self) -> float:
        """(κ − 1)/(κ + 1): the error's contraction per step at α*."""
        return (self.lambda_max - self.lambda_min) / (self.lambda_max + self.lambda_min) \
            if self.lambda_max > 0 else 0.0

    def rate(self, alpha: float) -> float:
        """max|1 − αλ|: the worst contraction per batch step at α (≥ 1: no convergence)."""
        return max(abs(1.0 - alpha * self.lambda_min), abs(1.0 - alpha * self.lambda_max))

    def oscillates(self, alpha: float) -> bool:
        """True for α* < α < α_max: converging, but the steepest direction flips sign every step and dominates."""
        return self.alpha_best < alpha < self.alpha_max

    def steps_needed(self, alpha: float, tol: float) -> float:
        """Batch steps to shrink the error (and the gradient) by ``tol`` at α: ⌈log tol / log rate⌉ (inf if never)."""
        rate = self.rate(alpha)
        if not 0 < tol < 1:
            return 0.0 if tol >= 1 else float("inf")
        if rate >= 1:
            return float("inf")
        if rate == 0:
            return 1.0
        return float(np.ceil(np.log(tol) / np.log(rate)))

    def momentum_limit(self, beta: float) -> float:
        """2(1 + β)/λmax: heavy-ball momentum diverges above it (β = 0: batch descent's limit)."""
        return 2.0 * (1.0 + beta) / self.lambda_max if self.lambda_max > 0 else float("inf")

    def momentum_best(self) -> tuple[float, float]:
        """(α, β) = (4/(√λmax + √λmin)², ((√κ − 1)/(√κ + 1))²): heavy-ball momentum's fastest setting."""
        a, b = np.sqrt(self.lambda_max), np.sqrt(self.lambda_min)
        return 4.0 / (a + b) ** 2, ((a - b) / (a + b)) ** 2


def spectrum(model: LeastSquaresCost) -> Spectrum:
    """The eigenvalues of ``model``'s Hessian RᵀR/m, from the singular values of R (squared, so
    never negative), padded with zeros when R has fewer rows than columns."""
    s = np.linalg.svd(model.R, compute_uv=False) if model.R.size else np.zeros(0)
    eig = np.sort(np.concatenate([s**2 / model.m, np.zeros(max(model.p - s.size, 0))]))
    return Spectrum(eigenvalues=eig)

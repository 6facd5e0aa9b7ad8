"""Gradients from a few rows at a time: what stochastic and mini-batch gradient descent step with.

One idea: a reproducible stream of mini-batch gradients. Each pass over the
data (an epoch) visits the rows in a fresh random order drawn from
``numpy.random.default_rng(seed)``, cut into batches of ``b`` rows; the
gradient of a batch B,

    g_B(θ) = X_Bᵀ(X_Bθ − y_B)/b + λI′θ/m,

is an unbiased estimate of ∇J_λ(θ) (the ridge term is the full one, as the
penalty does not depend on the rows) and costs O(b·p), whatever m is. When
the run is on standardised features the batch's rows are standardised on the
fly (:meth:`core.scaling.Scaling.rows`), so no scaled copy of the data exists.
The same seed gives the same batches, so the same path.
"""

from __future__ import annotations

import numpy as np

from .scaling import Scaling


class RowBatches:
    """The mini-batch gradients of one run, in order.

    Parameters
    ----------
    X : array_like, shape (m, p)
        The design matrix in original units.
    y : array_like, shape (m,)
    batch : int
        Rows per step; more than m means all rows (batch descent).
    seed : int
    scaling : Scaling, optional
        Standardise the rows first (θ is then in standardised units).
    ridge : float
        λ of the ridge term.
    penalised : ndarray, shape (p,), optional
        I′'s diagonal (1 for each penalised coefficient).
    """

    def __init__(self, X, y, batch: int, seed: int, scaling: Scaling | None = None, ridge: float = 0.0,
                 penalised=None):
        self.X = np.asarray(X, dtype=np.float64)
        self.y = np.asarray(y, dtype=np.float64)
        if self.X.ndim != 2 or self.y.shape != (self.X.shape[0],):
            raise ValueError(f"The rows must be a matrix X (m × p) and a vector y of m values; got shapes "
                             f"{self.X.shape} and {self.y.shape}.")
        self.m = self.X.shape[0]
        self.batch = int(min(batch, self.m))
        self.scaling = scaling
        self.ridge = float(ridge)
        self.penalised = np.ones(self.X.shape[1]) if penalised is None else np.asarray(penalised, dtype=float)
        self._rng = np.random.default_rng(seed)
        self._order = np.zeros(0, dtype=np.intp)
        self._next = 0

    def take(self) -> np.ndarray:
        """The row indices of the next batch (a new shuffled epoch once the current one is used up)."""
        if self._next + self.batch > self._order.size:
            self._order = self._rng.permutation(self.m)
            self._next = 0
        rows = self._order[self._next:self._next + self.batch]
        self._next += self.batch
        return rows

    def gradient_on(self, rows: np.ndarray):
        """θ ↦ g_B(θ) for the batch ``rows`` (a function, for look-ahead rules)."""
        Xb = self.X[rows]
        if self.scaling is not None:
            Xb = self.scaling.rows(Xb)
        yb = self.y[rows]
        b, m, lam, mask = rows.size, self.m, self.ridge, self.penalised

        def gradient(theta):
            return Xb.T @ (Xb @ theta - yb) / b + lam * mask * theta / m

        return gradient

"""Sufficient statistics of a least-squares problem, on centred and scaled columns.

For full-batch work a linear regression depends on its data only through
``XᵀX``, ``Xᵀy``, ``yᵀy`` and ``m``. They are formed once per dataset (one
pass over the rows) on standardised columns ``Z = (X − μ) / σ``, where they
are well scaled, and every later step (a solve, a cost, a gradient) costs
O(p²) or O(p³) whatever ``m`` is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, eq=False)
class SufficientStatistics:
    """``ZᵀZ``, ``Zᵀ(y − ȳ)``, ``‖y − ȳ‖²`` and ``m`` of a standardised design.

    With an intercept (column 0 all ones) the other columns are centred,
    ``Z[:, j] = (X[:, j] − μ_j) / σ_j``, and so is ``y``; without one they are
    only scaled (``μ = 0``, ``ȳ = 0``). ``σ_j`` makes each column of ``Z`` of
    unit length, so ``ZᵀZ`` has a unit diagonal (a constant column gets
    ``σ = 1`` and a zero row, which the rank test then finds).

    Attributes
    ----------
    m : int
    intercept : bool
    mu : ndarray, shape (q,)
        Column means of the non-intercept columns (zeros without intercept).
    sigma : ndarray, shape (q,)
    y_mean : float
    ZtZ : ndarray, shape (q, q)
    Zty : ndarray, shape (q,)
    yty : float
        ``‖y − ȳ‖²`` (centred only with an intercept).
    """

    m: int
    intercept: bool
    mu: np.ndarray
    sigma: np.ndarray
    y_mean: float
    ZtZ: np.ndarray
    Zty: np.ndarray
    yty: float

    @property
    def p(self) -> int:
        """Number of coefficients, intercept included."""
        return self.ZtZ.shape[0] + int(self.intercept)

    def gram(self) -> tuple[np.ndarray, np.ndarray, float]:
        """``XᵀX``, ``Xᵀy`` and ``yᵀy`` in original units, for display.

        Returns
        -------
        XtX : ndarray, shape (p, p)
        Xty : ndarray, shape (p,)
        yty : float
        """
        D = np.diag(self.sigma)
        A = D @ self.ZtZ @ D  # centred XᵀX of the non-intercept columns
        b = self.sigma * self.Zty
        if not self.intercept:
            return A, b, self.yty
        m, mu, ybar = self.m, self.mu, self.y_mean
        XtX = np.empty((self.p, self.p))
        XtX[0, 0] = m
        XtX[0, 1:] = XtX[1:, 0] = m * mu
        XtX[1:, 1:] = A + m * np.outer(mu, mu)
        Xty = np.concatenate([[m * ybar], b + m * ybar * mu])
        return XtX, Xty, self.yty + m * ybar**2


def sufficient_statistics(X: np.ndarray, y: np.ndarray, intercept: bool,
                          chunk_rows: int = 1 << 13) -> SufficientStatistics:
    """One pass over the rows: the standardised statistics of ``(X, y)``.

    The rows are shifted by a pilot mean ``c`` (that of the first block) in
    cache-sized blocks and ``[X − c, y − c_y]ᵀ[X − c, y − c_y]`` is
    accumulated with BLAS, so no centred copy of the data is ever held. The
    column sums ``s`` of the shifted blocks then give the exact means and the
    exact centred Gram matrix ``Σ(x − c)(x − c)ᵀ − s sᵀ/m``; as ``c`` is
    already close to the mean this loses nothing to cancellation. One pass
    over the data, the two-pass algorithm's accuracy.

    Parameters
    ----------
    X : ndarray, shape (m, p)
        Column 0 is the column of ones when ``intercept`` is true.
    y : ndarray, shape (m,)
    intercept : bool
    chunk_rows : int
        Rows per block.

    Returns
    -------
    SufficientStatistics
    """
    m, p = X.shape
    q = p - int(intercept)
    # Pilot shift c from the first block (0 for the intercept column, which stays all ones).
    shift = np.zeros(p + 1)
    if intercept:
        shift[1:p] = X[:chunk_rows, 1:].mean(axis=0)
        shift[p] = np.mean(y[:chunk_rows])
    W = np.empty((min(chunk_rows, m), p + 1))  # [X − c, y − c_y]
    M = np.zeros((p + 1, p + 1))
    for start in range(0, m, chunk_rows):
        n = min(chunk_rows, m - start)
        block = W[:n]
        np.subtract(X[start:start + n], shift[:p], out=block[:, :p])
        np.subtract(y[start:start + n], shift[p], out=block[:, p])
        M += block.T @ block
    if intercept:  # row 0 holds the sums s of the shifted columns: correct to the exact means
        s = M[0, 1:]
        M = M[1:, 1:] - np.outer(s, s) / m
        shift = shift[1:] + s / m
    mu, y_mean = shift[:q], float(shift[q])
    norms = np.sqrt(np.clip(np.diag(M)[:q], 0, None))
    sigma = np.where(norms > 0, norms, 1.0)
    return SufficientStatistics(m=m, intercept=intercept, mu=mu, sigma=sigma, y_mean=y_mean,
                                ZtZ=M[:q, :q] / np.outer(sigma, sigma), Zty=M[:q, q] / sigma,
                                yty=float(M[q, q]))


def xt_dot(X: np.ndarray, v: np.ndarray, chunk_rows: int = 1 << 13, ones_first: bool = False):
    """Xᵀv in cache-sized blocks of rows.

    For a tall C-ordered X, BLAS's transposed matrix-vector product walks
    memory with a stride and runs several times slower than ``X @ θ``;
    blocks that fit in cache bring it to the same speed.

    Parameters
    ----------
    X : ndarray, shape (m, p)
    v : ndarray, shape (m,)
    ones_first : bool
        Also return whether column 0 is all ones, checked on the blocks while
        they are in cache (no extra pass over memory).

    Returns
    -------
    ndarray, shape (p,)
        Or ``(Xᵀv, bool)`` with ``ones_first``.
    """
    out = np.zeros(X.shape[1])
    ones = True
    for start in range(0, X.shape[0], chunk_rows):
        block = X[start:start + chunk_rows]
        out += v[start:start + chunk_rows] @ block
        if ones_first and ones:
            ones = bool((block[:, 0] == 1.0).all())
    return (out, ones) if ones_first else out


def residual_pass(X: np.ndarray, y: np.ndarray, theta: np.ndarray,
                  chunk_rows: int = 1 << 13) -> tuple[float, np.ndarray]:
    """‖y − Xθ‖² and Xᵀ(y − Xθ) in one cache-blocked pass, without storing the residual.

    Parameters
    ----------
    X : ndarray, shape (m, p)
    y : ndarray, shape (m,)
    theta : ndarray, shape (p,)

    Returns
    -------
    rss : float
    g : ndarray, shape (p,)
    """
    rss, g = 0.0, np.zeros(X.shape[1])
    for start in range(0, X.shape[0], chunk_rows):
        block = X[start:start + chunk_rows]
        r = y[start:start + chunk_rows] - block @ theta
        rss += float(r @ r)
        g += r @ block
    return rss, g


def gram_statistics(X: np.ndarray, y: np.ndarray, intercept: bool | None) -> tuple[SufficientStatistics, float]:
    """The same statistics from the raw Gram matrix XᵀX: one BLAS call, no copy of X.

    With an intercept the columns are centred afterwards, ``Σ(x − x̄)² = Σx² −
    m·x̄²``, which cancels when a column's mean is large against its spread.
    The returned ``loss`` bounds the relative error that leaves in ``ZᵀZ``
    (ε·max_j Σx_j²/Σ(x_j − x̄_j)²); callers use :func:`sufficient_statistics`
    instead when it is too large, and iterative refinement otherwise.

    Parameters
    ----------
    X : ndarray, shape (m, p)
        Column 0 is the column of ones when ``intercept`` is true.
    y : ndarray, shape (m,)
    intercept : bool or None
        None: column 0 is the intercept if it is all ones, decided in the
        same pass (``stats.intercept`` tells).

    Returns
    -------
    stats : SufficientStatistics
    loss : float
        Relative error bound of the centred Gram matrix.

    Raises
    ------
    ValueError
        If X or y holds NaN or inf (they propagate into the sums).
    """
    m = X.shape[0]
    G = X.T @ X
    y_mean = float(np.mean(y)) if intercept is not False else 0.0
    yc = y - y_mean
    if intercept is None:
        b, intercept = xt_dot(X, yc, ones_first=True)
        if not intercept:  # no intercept after all: y is not centred (one more pass, rare)
            yc, y_mean = y, 0.0
            b = xt_dot(X, y)
    else:
        b = xt_dot(X, yc)
    yty = float(yc @ yc)
    if not (np.isfinite(G).all() and np.isfinite(b).all() and np.isfinite(yty)):
        raise ValueError("X and y must hold finite numbers only (no NaN or inf), small enough that "
                         "their squares do not overflow.")
    eps = np.finfo(np.float64).eps
    if intercept:
        sums = G[0, 1:]
        mu = sums / m
        C = G[1:, 1:] - np.outer(sums, sums) / m
        raw_diag = np.diag(G)[1:]
        centred_diag = np.diag(C)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(centred_diag > 0, raw_diag / centred_diag, np.inf)
        loss = float(eps * max(1.0, ratio.max(initial=1.0)))
        c = b[1:] - mu * b[0]
    else:
        mu = np.zeros(X.shape[1])
        C, c, loss = G, b, float(eps)
    norms = np.sqrt(np.clip(np.diag(C), 0, None))
    sigma = np.where(norms > 0, norms, 1.0)
    stats = SufficientStatistics(m=m, intercept=intercept, mu=mu, sigma=sigma, y_mean=y_mean,
                                 ZtZ=C / np.outer(sigma, sigma), Zty=c / sigma, yty=yty)
    return stats, loss

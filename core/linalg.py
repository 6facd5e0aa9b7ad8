"""Linear-algebra kernels: triangular solves, Householder QR, and blocked passes over tall matrices.

Generic building blocks with no knowledge of regression: the solvers in
:mod:`core.solve` and the statistics in :mod:`core.stats` are written with
them. Triangular solves and :func:`householder_qr` work in the dtype of their
inputs (``np.longdouble`` included, which LAPACK does not offer); the blocked
passes walk a tall C-ordered matrix in cache-sized row blocks so that BLAS
runs at full speed and no m-sized temporary beyond one block is held.
"""

from __future__ import annotations

import numpy as np

#: Rows per block of the blocked passes (a block of 20 float64 columns is 1.3 MB).
CHUNK_ROWS = 1 << 13


def householder_qr(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Thin Householder QR in the dtype of ``A`` (works for ``np.longdouble``).

    Parameters
    ----------
    A : ndarray, shape (m, p), m ≥ p

    Returns
    -------
    Q : ndarray, shape (m, p)
        Orthonormal columns.
    R : ndarray, shape (p, p)
        Upper triangular, ``A = Q R``.
    """
    A = np.array(A, copy=True)
    m, p = A.shape
    if m < p:
        raise ValueError("householder_qr needs at least as many rows as columns.")
    reflectors = []
    for j in range(p):
        x = A[j:, j]
        norm_x = np.sqrt(x @ x)
        if norm_x == 0:
            reflectors.append(None)
            continue
        alpha = -norm_x if x[0] >= 0 else norm_x
        v = x.copy()
        v[0] -= alpha
        beta = 2 / (v @ v)
        A[j:, j:] -= np.outer(v, beta * (v @ A[j:, j:]))
        reflectors.append((v, beta))
    R = np.triu(A[:p, :])
    Q = np.zeros((m, p), dtype=A.dtype)
    Q[np.arange(p), np.arange(p)] = 1
    for j in reversed(range(p)):
        if reflectors[j] is None:
            continue
        v, beta = reflectors[j]
        Q[j:, :] -= np.outer(v, beta * (v @ Q[j:, :]))
    return Q, R


def solve_upper(R: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Back substitution ``R x = b`` in the dtype of the inputs.

    Parameters
    ----------
    R : ndarray, shape (p, p), upper triangular, non-singular
    b : ndarray, shape (p,) or (p, k)

    Returns
    -------
    ndarray, shape of ``b``
    """
    x = np.array(b, dtype=np.result_type(R, b), copy=True)
    for i in reversed(range(R.shape[0])):
        x[i] = (x[i] - R[i, i + 1:] @ x[i + 1:]) / R[i, i]
    return x


def solve_lower(L: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Forward substitution ``L x = b`` in the dtype of the inputs (shapes as :func:`solve_upper`)."""
    x = np.array(b, dtype=np.result_type(L, b), copy=True)
    for i in range(L.shape[0]):
        x[i] = (x[i] - L[i, :i] @ x[:i]) / L[i, i]
    return x


def gram_solve(R: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``RᵀR x = b`` by two triangular solves (R upper triangular, non-singular)."""
    return solve_upper(R, solve_lower(R.T, b))


def truncated_solve(U, s, Vt, rank: int, b):
    """Minimum-norm least-squares solution of ``U diag(s) Vt x ≈ b`` from its ``rank`` largest singular values."""
    return Vt[:rank].T @ ((U[:, :rank].T @ b) / s[:rank])


def xt_dot(X: np.ndarray, v: np.ndarray, chunk_rows: int = CHUNK_ROWS, ones_first: bool = False):
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
                  chunk_rows: int = CHUNK_ROWS) -> tuple[float, np.ndarray]:
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


class StackedQR:
    """The R factor of a tall matrix given block by block (TSQR, as ``dask.array.linalg.tsqr``).

    Each block is stacked under the current R and the pair is reduced by
    Householder QR (LAPACK through ``numpy.linalg.qr``), so the result is the
    R of the whole matrix with Householder QR's backward stability, from
    O(p²) memory beyond one block.
    """

    def __init__(self, p: int, chunk_rows: int = CHUNK_ROWS):
        self.p = p
        self._work = np.zeros((chunk_rows + p, p))
        self._rows = 0  # rows of R filled so far (fewer than p until p rows are seen)

    def add(self, block: np.ndarray) -> None:
        """Fold the rows ``block`` (shape (n, p), n ≤ chunk_rows) into R."""
        n, k = self._rows, len(block)
        self._work[n:n + k] = block
        R = np.linalg.qr(self._work[:n + k], mode="r")
        rows = R.shape[0]
        self._work[:rows] = R
        self._rows = rows

    @property
    def R(self) -> np.ndarray:
        """R so far, shape (min(rows seen, p), p), upper triangular."""
        return self._work[:self._rows].copy()


def numerical_rank(R_scaled: np.ndarray, eta: np.ndarray) -> tuple[int, np.ndarray]:
    """Numerical rank and the near-null directions, each column judged by its own rounding noise.

    ``R_scaled`` is the R factor of the basis with unit-norm columns, ``eta``
    each column's relative noise (e.g. :func:`core.stats.column_noise`). A direction ``v`` is
    a dependence when ‖B v‖ is within the noise the columns' rounding allows,
    ``σ_max(B)·Σ|η_j v_j|``: the singular values of ``R_scaled / η`` at or
    below ``σ_max(R_scaled)``.

    Returns
    -------
    rank : int
    null : ndarray, shape (p − rank, p)
        Near-null directions in the unit-norm basis coordinates.
    """
    p = R_scaled.shape[1]
    top = np.linalg.svd(R_scaled, compute_uv=False)[0] if R_scaled.size else 0.0
    if top == 0 or not np.isfinite(top):
        return 0, np.eye(p)
    _, s, Vt = np.linalg.svd(R_scaled / eta, full_matrices=True)
    s = np.concatenate([s, np.zeros(p - len(s))])
    null = Vt[s <= top] / eta
    return int(np.sum(s > top)), null


def condition_of(R: np.ndarray) -> float:
    """κ of a (square, triangular) factor, from its singular values."""
    sv = np.linalg.svd(R, compute_uv=False)
    return float(sv[0] / sv[-1]) if sv[-1] > 0 else float("inf")


def norm2_log(A) -> tuple[float, float]:
    """Spectral norm of a (longdouble) matrix as (value, log10 value), safe from over- and underflow."""
    A = np.asarray(A, dtype=np.longdouble)
    big = np.abs(A).max(initial=np.longdouble(0))
    if big == 0 or not np.isfinite(big):
        return float(big), float(np.log10(big)) if big > 0 else -np.inf
    sv = np.linalg.svd((A / big).astype(np.float64), compute_uv=False)[0]
    log = float(np.log10(big)) + float(np.log10(sv))
    return float(np.longdouble(sv) * big), log


def power_text(log10_value: float) -> str:
    """10**log10_value as ``1.2e+34`` text, for values beyond float64's range too."""
    if not np.isfinite(log10_value):
        return "∞"
    exponent = int(np.floor(log10_value))
    mantissa = 10 ** (log10_value - exponent)
    if mantissa >= 9.95:
        mantissa, exponent = 1.0, exponent + 1
    return f"{mantissa:.1f}e{exponent:+03d}"

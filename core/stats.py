"""Sufficient statistics of a least-squares problem, on centred and scaled columns.

For full-batch work a linear regression depends on its data only through
``XᵀX``, ``Xᵀy``, ``yᵀy`` and ``m``. They are formed once per dataset (one
pass over the rows) on standardised columns ``Z = (X − μ) / σ``, where they
are well scaled, and every later step (a solve, a cost, a gradient) costs
O(p²) or O(p³) whatever ``m`` is.

For a design built from raw columns (powers of a feature), the columns are
those of :class:`ScaledBasis`, each raw feature centred and scaled by a power
of two before its powers are taken; its blocked passes give the Gram matrix,
the TSQR R factor (the same statistics in factored form) and the residual
with ``Bᵀr`` in float64 or extended precision, for iterative refinement.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb

import numpy as np

from . import fast_residual
from .linalg import CHUNK_ROWS, StackedQR, residual_pass, xt_dot  # noqa: F401  (also importable here)

#: Squares of numbers between these stay normal float64 numbers (no overflow, no underflow).
SAFE_MIN, SAFE_MAX = 2.0**-900, 2.0**900
EPS = np.finfo(np.float64).eps
LD = np.longdouble
#: Sums of squares are accumulated in extended precision up to this many rows.
EXACT_SUMS_MAX_ROWS = 100_000


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


    def basis_gram(self) -> tuple[np.ndarray, np.ndarray, float]:
        """``BᵀB``, ``Bᵀy`` and ‖y‖ for the basis ``B = [1, Z]`` (or ``Z``), whose columns are orthogonal to 1.

        Returns
        -------
        G : ndarray, shape (p, p)
        b : ndarray, shape (p,)
        y_norm : float
        """
        q, p = len(self.sigma), self.p
        G, b = np.zeros((p, p)), np.zeros(p)
        G[p - q:, p - q:], b[p - q:] = self.ZtZ, self.Zty
        if self.intercept:
            G[0, 0], b[0] = self.m, self.m * self.y_mean
        return G, b, float(np.sqrt(self.yty + (self.m * self.y_mean**2 if self.intercept else 0.0)))


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
        Relative error bound of the centred Gram matrix (rounding of the
        centring; the m-term sums add about m·ε more, see ``gram_error``),

        ``inf`` when the sums left float64's safe range (NaN or inf in the
        data, squares that overflow or underflow): then the columns must be
        scaled before any product is formed (:func:`basis_gram`).
    """
    m = X.shape[0]
    with np.errstate(all="ignore"):  # NaN, inf, overflow: reported through ``loss``
        return _gram_statistics(X, y, intercept, m)


def _gram_statistics(X, y, intercept, m):
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
    eps = np.finfo(np.float64).eps
    diag = np.diag(G)
    in_range = (np.isfinite(G).all() and np.isfinite(b).all() and np.isfinite(yty)
                and diag.max(initial=0.0) < SAFE_MAX and not ((diag > 0) & (diag < SAFE_MIN)).any()
                and not 0 < yty < SAFE_MIN)
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
    return stats, (loss if in_range else float("inf"))


# --------------------------------------------------------------------------- #
# The centred, scaled basis of a design, and the blocked passes that build on it.



def basis_change(centre, scale, degree: int, intercept: bool) -> np.ndarray:
    """The upper-triangular S with ``X S = B``, in extended precision.

    Basis column ``t_j^k`` with ``t_j = (x_j − c_j)/s_j`` expands binomially:
    ``t^k = Σ_i C(k, i) (−c)^(k−i) / s^k · x^i``, where ``x^0`` is the
    intercept column.

    Parameters
    ----------
    centre, scale : array_like, shape (k,)
    degree : int
    intercept : bool

    Returns
    -------
    ndarray of longdouble, shape (p, p)
    """
    centre, scale = np.asarray(centre, dtype=LD), np.asarray(scale, dtype=LD)
    k = len(centre)
    p = int(intercept) + k * degree
    S = np.zeros((p, p), dtype=LD)
    if intercept:
        S[0, 0] = 1
    for j in range(k):
        first = int(intercept) + j * degree  # column of x_j^1
        c, s = centre[j], scale[j]
        for power in range(1, degree + 1):
            col = first + power - 1
            for i in range(power + 1):
                coef = LD(comb(power, i)) * (-c) ** (power - i) / s**power
                if i == 0:
                    if intercept:
                        S[0, col] += coef
                else:
                    S[first + i - 1, col] += coef
    return S


@dataclass(frozen=True, eq=False)
class ScaledBasis:
    """The basis ``B = X S`` of a design's column space: ``t_j = (x_j − c_j)/s_j`` and its powers.

    Attributes
    ----------
    centre, scale : ndarray, shape (k,)
        Per raw feature column (``centre`` 0 without an intercept).
    degree : int
    intercept : bool
    y_scale : float
        A power of two dividing y, so that y's squares stay in range.
    """

    centre: np.ndarray
    scale: np.ndarray
    degree: int
    intercept: bool
    y_scale: float = 1.0

    def change(self) -> np.ndarray:
        """S with ``X S = B`` (longdouble, upper triangular; see :func:`basis_change`)."""
        return basis_change(self.centre, self.scale, self.degree, self.intercept)

    def blocks(self, raw: np.ndarray, y: np.ndarray, dtype=np.float64, chunk_rows: int = CHUNK_ROWS):
        """``[B, y/y_scale]`` in blocks of rows, built in ``dtype`` from the raw columns.

        The blocks share one buffer: use each before asking for the next.
        """
        m, k = raw.shape
        d, first = self.degree, int(self.intercept)
        c, s = self.centre.astype(dtype), self.scale.astype(dtype)
        W = np.empty((min(chunk_rows, m), first + k * d + 1), dtype=dtype)
        if self.intercept:
            W[:, 0] = 1
        for start in range(0, m, chunk_rows):
            n = min(chunk_rows, m - start)
            block = W[:n]
            cols = block[:, first:first + k * d:d]  # the t_j, then their powers beside them
            np.subtract(raw[start:start + n], c, out=cols, dtype=dtype)
            np.divide(cols, s, out=cols)
            for power in range(2, d + 1):
                np.multiply(block[:, first + power - 2:first + k * d:d], cols,
                            out=block[:, first + power - 1:first + k * d:d])
            np.divide(y[start:start + n], dtype(self.y_scale), out=block[:, -1], dtype=dtype)
            yield block


def scaled_basis(raw: np.ndarray, y: np.ndarray, degree: int, intercept: bool) -> ScaledBasis:
    """Centres (means, with an intercept) and power-of-two scales of the raw columns and y.

    Powers of two scale exactly, so data of any magnitude float64 holds (1e-170
    or 1e200) gives a basis with entries in [−1, 1] and squares in range.

    Raises
    ------
    ValueError
        If a raw column or y holds NaN or inf.
    """
    with np.errstate(all="ignore"):
        lo, hi = raw.min(axis=0), raw.max(axis=0)
        y_big = float(np.abs(y).max())
        centre = raw.mean(axis=0) if intercept else np.zeros(raw.shape[1])
        if intercept and not np.isfinite(centre).all():  # the sum overflowed: mean of halves
            centre = (raw / 2).mean(axis=0) * 2
        spread = np.maximum(hi - centre, centre - lo)
    if not (np.isfinite(lo).all() and np.isfinite(hi).all() and np.isfinite(y_big)
            and np.isfinite(spread).all()):
        raise ValueError("X and y must hold finite numbers only (no NaN or inf).")
    return ScaledBasis(centre=centre, scale=_power_of_two(spread), degree=degree,
                       intercept=intercept, y_scale=float(_power_of_two(np.array([y_big]))[0]))


def _power_of_two(values: np.ndarray) -> np.ndarray:
    """The power of two at or above each value (1 for zeros)."""
    values = np.asarray(values, dtype=np.float64)
    exponents = np.frexp(np.where(values > 0, values, 1.0))[1]
    return np.ldexp(1.0, exponents)


def basis_gram(basis: ScaledBasis, raw, y, chunk_rows: int = CHUNK_ROWS) -> np.ndarray:
    """``[B, y']ᵀ[B, y']`` (y' = y/y_scale) accumulated over blocks of rows.

    Returns
    -------
    ndarray, shape (p + 1, p + 1)
    """
    total = None
    for W in basis.blocks(raw, y, chunk_rows=chunk_rows):
        total = W.T @ W if total is None else total + W.T @ W
    return total


def basis_qr(basis: ScaledBasis, raw, y, chunk_rows: int = CHUNK_ROWS) -> np.ndarray:
    """R of ``[B, y'] = Q R`` by TSQR over blocks of rows (see :class:`~core.linalg.StackedQR`).

    Returns
    -------
    ndarray, shape (min(m, p + 1), p + 1)
        ``[[R, Qᵀy'], [0, ‖y' − Bγ‖]]``, upper triangular.
    """
    qr = None
    for W in basis.blocks(raw, y, chunk_rows=chunk_rows):
        if qr is None:
            qr = StackedQR(W.shape[1], chunk_rows)
        qr.add(W)
    return qr.R


def basis_residual(basis: ScaledBasis, raw, y, gamma, dtype=np.float64,
                   chunk_rows: int = CHUNK_ROWS) -> tuple[float, np.ndarray]:
    """``‖y' − Bγ‖²`` and ``Bᵀ(y' − Bγ)``, the residual formed in ``dtype`` block by block.

    With ``np.longdouble`` the basis, the residual and ``Bᵀr`` are computed in
    extended precision: 11 more bits against the cancellation in ``y − Bγ``
    and against the rounding of the m-term sums in ``Bᵀr``, whose size at the
    solution (Bᵀr = 0) is what limits refinement on large residuals.

    Returns
    -------
    rss : float
        Of the scaled target y'.
    g : ndarray, shape (p,)
    """
    if dtype is LD and fast_residual.AVAILABLE:
        with np.errstate(all="ignore"):
            try:
                rss, g = _basis_residual_dd(basis, raw, y, gamma)
            except (OverflowError, ValueError):  # γ or Bᵀr beyond float64's range (Fractions refuse inf)
                rss = np.nan
        if np.isfinite(rss) and np.isfinite(g).all():
            return rss, g  # else longdouble's wider range, at its speed
    gamma = np.asarray(gamma, dtype=dtype)
    p = len(gamma)
    rss, g = dtype(0), np.zeros(p, dtype=dtype)
    for W in basis.blocks(raw, y, dtype=dtype, chunk_rows=chunk_rows):
        r = W[:, p] - W[:, :p] @ gamma
        rss += r @ r
        g += r @ W[:, :p]
    return float(rss), g.astype(np.float64)


def _basis_residual_dd(basis: ScaledBasis, raw, y, gamma) -> tuple[float, np.ndarray]:
    """:func:`basis_residual` in double-double (:mod:`core.fast_residual`), about 30 digits.

    Each scale is split into a power of two, applied exactly inside the
    kernel, and a factor in [1, 2) whose powers divide γ and ``Bᵀr`` here,
    exactly (rational arithmetic on p numbers), then rounded to double-double
    (the factor is 1 for the power-of-two scales of :func:`scaled_basis`).
    """
    mantissa, exponent = np.frexp(np.asarray(basis.scale, dtype=np.float64))
    inv_two = np.ldexp(1.0, 1 - exponent)  # 1 / 2^(exponent − 1), exact
    first = int(basis.intercept)
    factor = [Fraction(1)] * first + [Fraction(2 * float(a)) ** power
                                      for a in mantissa for power in range(1, basis.degree + 1)]
    gamma = np.asarray(gamma, dtype=LD)
    gamma_hi = gamma.astype(np.float64)
    w = [(Fraction(hi) + Fraction(lo)) / f
         for hi, lo, f in zip(gamma_hi, (gamma - gamma_hi).astype(np.float64), factor)]
    w_hi = np.array([float(v) for v in w])
    w_lo = np.array([float(v - Fraction(hi)) for v, hi in zip(w, w_hi)])
    rss, g_hi, g_lo = fast_residual.residual_dd(raw, y, basis.centre, inv_two, basis.degree, basis.intercept,
                                                1 / basis.y_scale, w_hi, w_lo)
    g = [(Fraction(hi) + Fraction(lo)) / f for hi, lo, f in zip(g_hi, g_lo, factor)]
    return rss, np.array([float(v) for v in g])


def residual_units(m: int, p: int, degree: int) -> tuple[float, float]:
    """Relative rounding units of :func:`basis_residual` in extended precision: (residual, sums of Bᵀr).

    The residual's error relative to its terms' sizes, and that of ``(Bᵀr)_j``
    relative to ``‖b_j‖·‖r‖``: double-double's bounds where it is compiled
    (:func:`core.fast_residual.rounding_units`), longdouble's ``u`` and ``4u`` otherwise.
    """
    if fast_residual.AVAILABLE:
        return fast_residual.rounding_units(m, p, degree)
    u = float(np.finfo(LD).eps)
    return u, 4 * u


def column_noise(centre, dev, m: int, degree: int, intercept: bool, min_noise: float = 64 * EPS) -> np.ndarray:
    """How large float64's rounding of each column is, relative to the column in the scaled basis.

    A column holding values near 1e9 that vary by 10 carries rounding noise of
    about ε·1e9/10 relative to its variation; a dependence that holds to
    within that is a dependence. ``dev`` is ‖x_j − c_j‖; powers up to
    ``degree`` amplify the noise by their exponent.
    """
    centre, dev = np.asarray(centre, dtype=np.float64), np.asarray(dev, dtype=np.float64)
    with np.errstate(all="ignore"):
        ratio = np.sqrt(1 + m * (centre / np.where(dev > 0, dev, np.inf)) ** 2)
    eta = [min_noise] if intercept else []
    for r in ratio:
        eta.extend(max(min_noise, 16 * EPS * power * r) for power in range(1, degree + 1))
    return np.array(eta)


def total_sum_of_squares(y: np.ndarray, intercept: bool) -> float:
    """Σ(y − ȳ)² with an intercept, Σy² without; in extended precision up to EXACT_SUMS_MAX_ROWS rows."""
    if len(y) <= EXACT_SUMS_MAX_ROWS:
        y = y.astype(LD)
    centred = y - y.mean() if intercept else y
    return float((centred**2).sum())


def require_finite(X, y, names, target: str = "y") -> None:
    """Raise a ValueError naming the first NaN or infinite value, by column and row."""
    if not np.isfinite(y).all():
        row = int(np.flatnonzero(~np.isfinite(y))[0])
        raise ValueError(f"The target {target} holds {y[row]} in row {row + 1}; X and y must "
                         "hold finite numbers only (no NaN or inf).")
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = (int(i[0]) for i in np.nonzero(bad))
        raise ValueError(f"Column {names[col]} holds {X[row, col]} in row {row + 1}; X and y "
                         "must hold finite numbers only (no NaN or inf).")

"""The normal equation XᵀXθ = Xᵀy, solved stably.

The textbook writes θ = (XᵀX)⁻¹Xᵀy. Forming XᵀX squares the condition number
of X, so in float64 that formula loses every digit on an ill-conditioned
problem (NIST's Filip: 0 correct digits). This module never inverts XᵀX.
It solves the same equation by Householder QR of a well-scaled basis ``B`` of
the column space of X, with ``X S = B`` for a known upper-triangular ``S``:

* small problems (m·p² up to 2·10⁵): the basis is built from the raw
  feature columns in extended precision (``np.longdouble``), each feature
  centred and scaled to [−1, 1] before its powers are taken, and the QR runs
  in extended precision too. Then θ = S γ maps the basis coefficients back to
  the user's columns. This keeps ≥ 9 digits on every NIST StRD dataset.
* large problems: the sufficient statistics of the centred, scaled columns
  (XᵀX in one BLAS call, centred afterwards when that provably loses little,
  otherwise recentred exactly in cache-sized blocks), a Cholesky solve when
  that scaled problem is well conditioned, otherwise QR of the scaled
  columns, then iterative refinement against the true residual until the
  estimated error is at roundoff.

Rank decisions are made on the scaled basis (never by a cut-off on raw
singular values, which silently drops columns of polynomial designs) and are
reported in ``warnings``; a rank-deficient problem gets the minimum-norm
solution.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import comb

import numpy as np

from .design import Design, design_from_arrays, expand
from .stats import gram_statistics, residual_pass, sufficient_statistics

LD = np.longdouble
EPS = np.finfo(np.float64).eps
#: Problems with m·p² up to this run entirely in extended precision.
EXTENDED_BUDGET = 200_000
#: The scaled problem is numerically rank deficient below this σ_min/σ_max.
#: It is the float64 resolution of the data, times a safety factor.
RANK_TOL = 64 * EPS
#: Fast path: Gram matrix straight from XᵀX while centring it loses at most this (relative).
RAW_GRAM_MAX_LOSS = 1e-9
#: Fast path: Cholesky while its error estimate κ(ZᵀZ)·loss stays below this (refinement
#: then contracts it); QR of the scaled columns above.
CHOLESKY_MAX_ERROR = 1e-3
#: Fast path: refine until the estimated relative error of the scaled solution is below this
#: (the intercept can amplify it by the columns' offsets), at most MAX_REFINEMENTS.
REFINE_TO = 1e-15
MAX_REFINEMENTS = 4
#: Sums of squares are accumulated in extended precision up to this many rows.
EXACT_SUMS_MAX_ROWS = 100_000


@dataclass(frozen=True, eq=False)
class NormalEquationFit:
    """The least-squares solution and its diagnostics.

    Attributes
    ----------
    theta : ndarray, shape (p,)
    names : list of str
    rank : int
        Numerical rank, decided on the scaled problem.
    condition_number : float
        κ(X) = σ_max/σ_min of X itself (not of XᵀX); ``inf`` when rank deficient.
    rss : float
        Residual sum of squares ‖y − Xθ‖².
    tss : float
        Total sum of squares, centred with an intercept, uncentred (Σy²) without.
    r_squared : float
        1 − rss/tss (uncentred without an intercept column, as NIST certifies it).
    residual_sd : float
        sqrt(rss / (m − rank)); ``nan`` when m = rank.
    std_errors : ndarray, shape (p,)
        Standard errors of θ; ``nan`` when rank deficient.
    method : str
        Which solver ran.
    warnings : list of str
        Sentences a person can act on.
    m, p : int
    r_factor : ndarray, shape (q, p)
        Upper-triangular R with XᵀX = RᵀR (original units), q = p when full rank.
    trusted_digits : float
        Significant digits of θ that survive rounding the data to float64.
    """

    theta: np.ndarray
    names: list[str]
    rank: int
    condition_number: float
    rss: float
    tss: float
    r_squared: float
    residual_sd: float
    std_errors: np.ndarray
    method: str
    m: int
    p: int
    r_factor: np.ndarray
    trusted_digits: float
    warnings: list[str] = field(default_factory=list)
    design: Design | None = None

    @property
    def mse(self) -> float:
        """Mean squared error rss/m."""
        return self.rss / self.m

    @property
    def cost_min(self) -> float:
        """J(θ̂) = rss/(2m), the minimum of the cost 1/(2m)‖Xθ − y‖²."""
        return self.rss / (2 * self.m)

    def predict(self, X) -> np.ndarray:
        """Predictions ``X θ``.

        Parameters
        ----------
        X : array_like, shape (n, p)

        Returns
        -------
        ndarray, shape (n,)
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.p:
            raise ValueError(f"X must have {self.p} columns ({', '.join(self.names)}); got shape {X.shape}.")
        return X @ self.theta

    def equation(self, precision: int = 4) -> str:
        """The fitted model as text, e.g. ``ŷ = 0.7 + 1.2·hours``."""
        target = self.design.target if self.design is not None else "y"
        hat = f"{target}̂" if len(target) == 1 else f"predicted {target}"
        terms = []
        for value, name in zip(self.theta, self.names):
            number = f"{abs(value):.{precision}g}"
            term = number if name == "1" else f"{number}·{name}"
            sign = "−" if value < 0 else "+"
            terms.append((sign, term))
        if not terms:
            return f"{hat} = 0"
        first_sign, first = terms[0]
        text = ("−" if first_sign == "−" else "") + first
        for sign, term in terms[1:]:
            text += f" {sign} {term}"
        return f"{hat} = {text}"


def fit_normal_equation(design_or_X, y=None) -> NormalEquationFit:
    """Solve the normal equation XᵀXθ = Xᵀy without inverting XᵀX.

    Parameters
    ----------
    design_or_X : Design or array_like, shape (m, p)
        A :class:`~core.design.Design` (preferred: its recipe lets the solver
        rebuild the columns in a better basis), or a plain matrix.
    y : array_like, shape (m,), optional
        The target, when a plain matrix is given.

    Returns
    -------
    NormalEquationFit
    """
    if isinstance(design_or_X, Design):
        if y is not None:
            raise ValueError("Pass either a Design, or a matrix X and a vector y, not both.")
        design = design_or_X
    else:
        if y is None:
            raise ValueError("fit_normal_equation(X, y) needs y with a plain matrix X.")
        # Finiteness is checked below, and for large data the intercept column is found in the
        # statistics pass rather than by a pass of its own.
        design = design_from_arrays(design_or_X, y, check_finite=False, intercept=False)
    detect = not isinstance(design_or_X, Design)
    m, p = design.m, design.p
    if m * p * p <= EXTENDED_BUDGET:
        if detect:
            design = design_from_arrays(design.X, design.y, check_finite=False)
        return _fit_extended(design)
    return _fit_large(design, detect_intercept=detect)


# --------------------------------------------------------------------------- #
# Small problems: everything in extended precision.

def _fit_extended(design: Design) -> NormalEquationFit:
    if not (np.isfinite(design.X).all() and np.isfinite(design.y).all()):
        raise ValueError("X and y must hold finite numbers only (no NaN or inf).")
    raw = design.raw.astype(LD)
    k = raw.shape[1]
    centre = raw.mean(axis=0) if design.intercept else np.zeros(k, dtype=LD)
    spread = np.abs(raw - centre).max(axis=0) if k else np.zeros(0, dtype=LD)
    spread = np.where(spread > 0, spread, LD(1))
    B = expand((raw - centre) / spread, design.degree, design.intercept)
    S = _basis_change(centre, spread, design.degree, design.intercept)
    y = design.y.astype(LD)

    norms = np.sqrt((B * B).sum(axis=0))
    norms = np.where(norms > 0, norms, LD(1))
    noise = _rounding_noise(np.abs(raw).max(axis=0) if k else [], spread, design.degree)
    if design.m < design.p:
        sv = np.linalg.svd((B / norms).astype(np.float64), compute_uv=False)
        return _fit_min_norm(design, _rank(sv, design.m, design.p, noise),
                             "SVD, minimum norm (fewer rows than coefficients)")
    Q, R_scaled = householder_qr(B / norms)
    sv = np.linalg.svd(R_scaled.astype(np.float64), compute_uv=False)  # of the scaled basis
    R = R_scaled * norms  # B = Q R
    rank = _rank(sv, design.m, design.p, noise)
    if rank < design.p:
        return _fit_min_norm(design, rank, "extended-precision QR (rank-deficient: SVD, minimum norm)")
    gamma = solve_upper(R, Q.T @ y)
    residual = y - B @ gamma
    return _finish(design, S, R, gamma, float((residual**2).sum()),
                   method="Householder QR of the centred, scaled basis "
                   "in extended precision")


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


def solve_lower(L: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Forward substitution ``L x = b`` in the dtype of the inputs (shapes as :func:`solve_upper`)."""
    x = np.array(b, dtype=np.result_type(L, b), copy=True)
    for i in range(L.shape[0]):
        x[i] = (x[i] - L[i, :i] @ x[:i]) / L[i, i]
    return x


def _gram_solve(R: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Solve ``RᵀR x = b`` by two triangular solves."""
    return solve_upper(R, solve_lower(R.T, b))


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


def _basis_change(centre, spread, degree: int, intercept: bool) -> np.ndarray:
    """The upper-triangular S with ``X S = B``, in extended precision.

    Basis column ``t_j^k`` with ``t_j = (x_j − c_j)/s_j`` expands binomially:
    ``t^k = Σ_i C(k, i) (−c)^(k−i) / s^k · x^i``, where ``x^0`` is the
    intercept column.
    """
    k = len(centre)
    p = int(intercept) + k * degree
    S = np.zeros((p, p), dtype=LD)
    if intercept:
        S[0, 0] = 1
    for j in range(k):
        first = int(intercept) + j * degree  # column of x_j^1
        c, s = centre[j], spread[j]
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


# --------------------------------------------------------------------------- #
# Large problems: float64 from the sufficient statistics.

def _fit_large(design: Design, detect_intercept: bool = False) -> NormalEquationFit:
    X, y, m, p = design.X, design.y, design.m, design.p
    # One BLAS call and one blocked pass; checks finiteness (and finds the intercept column).
    stats, loss = gram_statistics(X, y, None if detect_intercept else design.intercept)
    if stats.intercept != design.intercept:
        design = design_from_arrays(X, y, check_finite=False, intercept=stats.intercept)
    how = "from XᵀX"
    if loss > RAW_GRAM_MAX_LOSS:  # large offsets: recentre exactly, one blocked pass
        stats, loss = sufficient_statistics(X, y, design.intercept), 4 * EPS
        how = "centred in blocks"
    q = stats.ZtZ.shape[0]
    eig = np.linalg.eigvalsh(stats.ZtZ) if q else np.ones(1)
    cond_gram = eig[-1] / eig[0] if eig[0] > 0 else np.inf
    RZ = None
    if cond_gram * loss < CHOLESKY_MAX_ERROR:
        try:
            RZ = np.linalg.cholesky(stats.ZtZ).T
        except np.linalg.LinAlgError:  # not numerically positive definite after all: use QR
            RZ = None
        contraction = cond_gram * loss  # error factor per refinement step
        method = f"Cholesky of the centred, scaled Gram matrix ({how})"
    if RZ is None:
        A = X[:, 1:] if design.intercept else X
        RZ = np.linalg.qr((A - stats.mu) / stats.sigma, mode="r")
        sv = np.linalg.svd(RZ, compute_uv=False)
        if design.intercept:
            sv = np.concatenate([[1.0], sv])  # the ones column is orthogonal to Z
        noise = _rounding_noise(np.abs(A).max(axis=0), stats.sigma / np.sqrt(m), 1)
        rank = _rank(np.sort(sv)[::-1], m, p, noise)
        if rank < p:
            return _fit_min_norm(design, rank, "SVD (rank-deficient: minimum norm)")
        contraction = EPS * sv[0] / sv[-1]
        method = "Householder QR of the centred, scaled columns"
    beta = _gram_solve(RZ, stats.Zty)

    # Basis B = [1, Z] (or Z), Z = (A − μ)/σ: X S = B, and B = Q R with R = diag(√m, R_Z).
    if design.intercept:
        S = np.zeros((p, p))
        S[0, 0] = 1
        S[0, 1:] = -stats.mu / stats.sigma
        S[1:, 1:] = np.diag(1 / stats.sigma)
        R = np.zeros((p, p))
        R[0, 0] = np.sqrt(m)
        R[1:, 1:] = RZ
        gamma = np.concatenate([[stats.y_mean], beta])
    else:
        S, R, gamma = np.diag(1 / stats.sigma), RZ, beta
    # Iterative refinement against the true residual while the estimated error is above
    # REFINE_TO: each step multiplies it by `contraction`. One blocked pass gives ‖r‖² and Xᵀr.
    rss, g = residual_pass(X, y, S @ gamma)
    error, steps = contraction, 0
    while error > REFINE_TO and steps < MAX_REFINEMENTS:
        if design.intercept:
            correction = np.concatenate([[g[0] / m], _gram_solve(RZ, (g[1:] - stats.mu * g[0]) / stats.sigma)])
        else:
            correction = _gram_solve(RZ, g / stats.sigma)
        gamma = gamma + correction
        error, steps = error * contraction, steps + 1
        if error > REFINE_TO and steps < MAX_REFINEMENTS:
            rss, g = residual_pass(X, y, S @ gamma)
        else:  # last step: ‖r − Xδ‖² = ‖r‖² − 2δᵀXᵀr + ‖Rδ_γ‖², no pass over the rows
            Rc = R @ correction
            rss = max(rss - 2 * float((S @ correction) @ g) + float(Rc @ Rc), 0.0)
    if steps:
        method += f" + {steps} step(s) of iterative refinement"
    return _finish(design, S.astype(LD), R.astype(LD), gamma.astype(LD), rss, method=method,
                   tss=stats.yty)


# --------------------------------------------------------------------------- #
# Shared pieces.

def _rank(sv: np.ndarray, m: int, p: int, noise: float = 0.0) -> int:
    """Numerical rank from the singular values of the scaled basis.

    A singular value counts when it stands above ``RANK_TOL`` and above
    ``noise``, the relative size of the float64 rounding of the data as
    seen in the scaled basis (see :func:`_rounding_noise`).
    """
    if sv.size == 0 or sv[0] == 0:
        return 0
    tol = max(RANK_TOL, 16 * noise)
    return int(min(m, p, np.sum(sv > tol * sv[0])))


def _rounding_noise(raw_abs_max, spread, degree: int) -> float:
    """How large float64's rounding of the raw data is in the scaled basis.

    A column holding values near 1000 that vary by 0.01 carries rounding
    noise of about ε·1000/0.01 relative to its variation; a dependence that
    holds to within that is a dependence. Powers up to ``degree`` amplify it
    by up to ``degree``.
    """
    spread = np.asarray(spread, dtype=np.float64)
    if spread.size == 0:
        return 0.0
    ratio = np.asarray(raw_abs_max, dtype=np.float64) / np.where(spread > 0, spread, np.inf)
    return float(EPS * degree * ratio.max())


def _finish(design: Design, S, R, gamma, rss: float, method: str, tss: float | None = None
            ) -> NormalEquationFit:
    """θ = S γ, and the diagnostics, from the QR of the basis ``B = X S = Q R``."""
    m, p = design.m, design.p
    theta = (S @ gamma).astype(np.float64)
    tss = _tss(design.y, design.intercept) if tss is None else tss
    dof = m - p
    residual_sd = float(np.sqrt(rss / dof)) if dof > 0 else float("nan")
    # (XᵀX)⁻¹ = S R⁻¹ R⁻ᵀ Sᵀ: its diagonal is the squared row norms of M = S R⁻¹.
    M = solve_lower(R.T, S.T).T  # S R⁻¹, from Rᵀ Mᵀ = Sᵀ
    row_norms = np.sqrt((M.astype(LD) ** 2).sum(axis=1)).astype(np.float64)
    std_errors = residual_sd * row_norms if dof > 0 else np.full(p, np.nan)
    r_factor = solve_lower(S.T, R.T).T.astype(np.float64)  # R S⁻¹, from Sᵀ Fᵀ = Rᵀ
    sv_x = np.linalg.svd(r_factor, compute_uv=False)
    condition = float(sv_x[0] / sv_x[-1]) if sv_x[-1] > 0 else float("inf")
    # Rounding y to float64 moves θ_i by up to ε‖y‖·‖M_i‖: digits that survive it.
    with np.errstate(divide="ignore"):
        rel = EPS * np.linalg.norm(design.y) * row_norms / np.abs(theta)
        digits = float(np.clip(-np.log10(np.max(rel)), 0, 15)) if np.all(np.isfinite(rel)) else 15.0
    warnings = list(design.notes) + _conditioning_warnings(condition, digits, method)
    return NormalEquationFit(
        theta=theta, names=list(design.names), rank=p, condition_number=condition, rss=rss,
        tss=tss, r_squared=_r_squared(rss, tss), residual_sd=residual_sd, std_errors=std_errors,
        method=method, m=m, p=p, r_factor=r_factor, trusted_digits=digits,
        warnings=warnings, design=design)


def _fit_min_norm(design: Design, rank: int, method: str) -> NormalEquationFit:
    """Minimum-norm solution of a rank-deficient problem, in the user's units."""
    X, y, m, p = design.X, design.y, design.m, design.p
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    r = min(rank, int(np.sum(s > 0)))

    def pinv(v):
        return Vt[:r].T @ ((U[:, :r].T @ v) / s[:r])

    theta = pinv(y)
    theta = theta + pinv(y - X @ theta)  # one refinement step
    residual = y - X @ theta
    rss = float(residual @ residual)
    tss = _tss(y, design.intercept)
    dof = m - r
    warnings = list(design.notes)
    if m < p:
        warnings.append(
            f"Only {m} row(s) for {p} coefficients: infinitely many θ fit the data equally well. "
            "Shown is the one of smallest length ‖θ‖ (the minimum-norm solution). Add rows or "
            "remove features for a unique answer.")
    involved = _collinear_columns(design)
    if m >= p:
        which = f": {', '.join(involved)} are linearly dependent" if involved else ""
        warnings.append(
            f"X has rank {r} < {p} columns{which}, so XᵀX is singular and has no inverse; θ is "
            "not unique. Shown is the minimum-norm solution. Remove a redundant column for a "
            "unique answer.")
    return NormalEquationFit(
        theta=theta, names=list(design.names), rank=r, condition_number=float("inf"), rss=rss,
        tss=tss, r_squared=_r_squared(rss, tss),
        residual_sd=float(np.sqrt(rss / dof)) if dof > 0 else float("nan"),
        std_errors=np.full(p, np.nan), method=method, m=m, p=p,
        r_factor=s[:r, None] * Vt[:r], trusted_digits=float("nan"), warnings=warnings,
        design=design)


def _collinear_columns(design: Design) -> list[str]:
    """Names of the columns that take part in an (almost) exact linear dependence."""
    X = design.X
    norms = np.linalg.norm(X, axis=0)
    Z = X / np.where(norms > 0, norms, 1)
    _, s, Vt = np.linalg.svd(Z, full_matrices=True)
    if Z.shape[0] < Z.shape[1]:
        s = np.concatenate([s, np.zeros(Z.shape[1] - Z.shape[0])])
    null = Vt[s <= RANK_TOL * max(s[0], 1e-300)]
    if null.size == 0:
        return []
    weight = np.abs(null).max(axis=0)
    zero_cols = norms == 0
    return [n for n, w, z in zip(design.names, weight, zero_cols) if z or w > 0.05]


def _tss(y: np.ndarray, intercept: bool) -> float:
    if len(y) <= EXACT_SUMS_MAX_ROWS:
        y = y.astype(LD)
    centred = y - y.mean() if intercept else y
    return float((centred**2).sum())


def _r_squared(rss: float, tss: float) -> float:
    return 1.0 - rss / tss if tss > 0 else float("nan")


def _conditioning_warnings(condition: float, digits: float, method: str) -> list[str]:
    if condition < 1e6:
        return []
    textbook = max(0.0, 16 - 2 * np.log10(condition))
    return [
        f"X is ill-conditioned (κ(X) ≈ {condition:.1e}). Forming XᵀX squares that to "
        f"≈ {condition**2:.0e}, so the textbook formula (XᵀX)⁻¹Xᵀy in float64 keeps only about "
        f"{textbook:.0f} correct digits. This solver ({method}) never forms that inverse; about "
        f"{digits:.0f} significant digits of θ can be trusted."]

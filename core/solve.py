"""The normal equation XᵀXθ = Xᵀy, solved stably.

The textbook writes θ = (XᵀX)⁻¹Xᵀy. Forming XᵀX squares the condition number
of X, so in float64 that formula loses every digit on an ill-conditioned
problem (NIST's Filip: 0 correct digits). This module never inverts XᵀX.
It solves the same equation in a well-scaled basis ``B`` of the column space
of X, with ``X S = B`` for a known upper-triangular ``S`` (each raw feature
centred and scaled before its powers are taken), and maps θ = S γ back:

* small problems (m·p² up to 2·10⁵): the basis and its Householder QR in
  extended precision (``np.longdouble``), plus one refinement step whose
  size estimates the error left.
* large problems: the Gram matrix of the basis (for a plain matrix the raw
  XᵀX in one BLAS call, centred afterwards when that provably loses little;
  otherwise the basis is built, centred and scaled by powers of two, block
  by block). Cholesky where a bound (κ² times the rounding of the centring and
  of the m-term sums) proves refinement converges, otherwise TSQR of the
  basis (Householder QR of row blocks). Then iterative refinement against the
  true residual, formed in extended precision where float64's rounding of it
  would cost digits, until the predicted error is at that floor.

Rank is decided on the scaled basis, each column against its own rounding
noise, and reported with the columns involved; a rank-deficient problem gets
the minimum-norm solution from p×p factors only.
"""

from __future__ import annotations

import numpy as np

from .design import Design, design_from_arrays, expand
from .fit_result import NormalEquationFit
from .linalg import (condition_of, gram_solve, householder_qr, norm2_log, numerical_rank,
                     power_text, residual_pass, solve_lower, solve_upper, truncated_solve)
from .stats import (ScaledBasis, basis_change, basis_gram, basis_qr, basis_residual, column_noise,
                    gram_statistics, require_finite, residual_units, scaled_basis, total_sum_of_squares)

LD = np.longdouble
EPS = np.finfo(np.float64).eps
#: Unit roundoff of extended precision (x87 80-bit: 2⁻⁶⁴; float64's where longdouble is float64).
U_LD = float(np.finfo(LD).eps)
#: Problems with m·p² up to this run entirely in extended precision.
EXTENDED_BUDGET = 200_000
#: The smallest relative noise a column of the scaled basis is judged against (rank decisions).
RANK_TOL = 64 * EPS
#: Fast path: Gram matrix straight from XᵀX while centring it loses at most this (relative).
RAW_GRAM_MAX_LOSS = 1e-9
#: Cholesky of the Gram matrix while κ(BᵀB)·(its rounding, m-term sums included) stays below
#: this, so that each refinement step shrinks the error at least tenfold; TSQR above.
CHOLESKY_MAX_ERROR = 0.1
#: Refine until the predicted relative error of θ is below this or at the residual's rounding floor.
REFINE_TO = 1e-16
MAX_REFINEMENTS = 5
#: An extended-precision pass costs about as much as forming XᵀX: stop once the predicted error is below this.
EXTENDED_ENOUGH = 1e-13
#: Form the residual in extended precision when float64's rounding of it would leave fewer digits.
EXTENDED_RESIDUAL_BELOW = 12.0


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
        # Finiteness is checked below; for large data the intercept is found in the statistics pass.
        design = design_from_arrays(design_or_X, y, check_finite=False, intercept=False)
    detect = not isinstance(design_or_X, Design)
    m, p = design.m, design.p
    with np.errstate(all="ignore"):  # overflow, NaN: every result is checked and explained instead
        if m * p * p <= EXTENDED_BUDGET:
            if detect:
                design = design_from_arrays(design.X, design.y, check_finite=False)
            return _fit_extended(design)
        return _fit_large(design, detect_intercept=detect)


# --------------------------------------------------------------------------- #
# Small problems: everything in extended precision.

def _fit_extended(design: Design) -> NormalEquationFit:
    require_finite(design.X, design.y, design.names, design.target)
    m, p = design.m, design.p
    raw = design.raw.astype(LD)
    k = raw.shape[1]
    centre = raw.mean(axis=0) if design.intercept else np.zeros(k, dtype=LD)
    spread = np.abs(raw - centre).max(axis=0) if k else np.zeros(0, dtype=LD)
    spread = np.where(spread > 0, spread, LD(1))
    B = expand((raw - centre) / spread, design.degree, design.intercept)
    S = basis_change(centre, spread, design.degree, design.intercept)
    if m < p:
        return _fit_wide(design, B)
    y = design.y.astype(LD)
    norms = np.sqrt((B * B).sum(axis=0))
    norms = np.where(norms > 0, norms, LD(1))
    Q, R_scaled = householder_qr(B / norms)
    R = R_scaled * norms  # B = Q R
    dev = np.sqrt(((raw - centre) ** 2).sum(axis=0)).astype(np.float64)
    eta = column_noise(centre.astype(np.float64), dev, m, design.degree, design.intercept, RANK_TOL)
    rank, null = numerical_rank(R_scaled.astype(np.float64), eta)
    if rank < p:
        return _min_norm(design, S, R, Q.T @ y, rank, null / norms.astype(np.float64),
                         "extended-precision QR (rank-deficient: minimum norm)",
                         lambda theta: float(((y - design.matrix(LD) @ theta) ** 2).sum()))
    gamma = solve_upper(R, Q.T @ y)
    # One step of refinement: its size estimates the error left (the residual in extended precision).
    delta = solve_upper(R, Q.T @ (y - B @ gamma))
    gamma = gamma + delta
    residual = y - B @ gamma
    kappa = condition_of(R_scaled.astype(np.float64))
    # Rounding the residual moves θ by up to ‖row i of S R⁻¹‖·‖δr‖ (Qᵀ in extended precision too).
    res_err = (p + 2 + design.degree) * U_LD * (np.sqrt((y * y).sum()) + np.abs(gamma) @ norms)
    floor = np.sqrt((solve_lower(R.T, S.T) ** 2).sum(axis=0)) * res_err
    return _finish(design, S, R, gamma, float((residual**2).sum()),
                   method="Householder QR of the centred, scaled basis in extended precision",
                   delta=delta, rho=min(1.0, kappa * p * U_LD), floor=floor)


def _fit_wide(design: Design, B) -> NormalEquationFit:
    """Fewer rows than coefficients: the minimum-norm solution from the SVD of X (m < p, small)."""
    X, y, m, p = design.X, design.y, design.m, design.p
    Bn = (B / np.where(np.abs(B).max(axis=0) > 0, np.abs(B).max(axis=0), 1)).astype(np.float64)
    sv_b = np.linalg.svd(Bn, compute_uv=False)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    r = int(min(np.sum(sv_b > RANK_TOL * sv_b[0]) if sv_b[0] > 0 else 0, np.sum(s > 0)))

    theta = truncated_solve(U, s, Vt, r, y)
    theta = theta + truncated_solve(U, s, Vt, r, y - X @ theta)  # one refinement step
    rss = float(np.sum((y - X @ theta) ** 2))
    warnings = list(design.notes) + [
        f"Only {m} row(s) for {p} coefficients: infinitely many θ fit the data equally well. "
        "Shown is the one of smallest length ‖θ‖ (the minimum-norm solution). Add rows or "
        "remove features for a unique answer."]
    return _deficient_result(design, theta, r, rss, s[:r, None] * Vt[:r],
                             "SVD, minimum norm (fewer rows than coefficients)", warnings)


# --------------------------------------------------------------------------- #
# Large problems: sufficient statistics of the centred, scaled basis, then refinement.

def _fit_large(design: Design, detect_intercept: bool = False) -> NormalEquationFit:
    X, y, m = design.X, design.y, design.m
    stats = None
    if design.degree == 1:  # the raw Gram matrix in one BLAS call, centred afterwards
        stats, loss = gram_statistics(X, y, None if detect_intercept else design.intercept)
        if stats.intercept != design.intercept:
            design = design_from_arrays(X, y, check_finite=False, intercept=stats.intercept)
        if loss > RAW_GRAM_MAX_LOSS:  # large offsets, or squares out of float64's range
            stats = None
    p, raw = design.p, design.raw
    if stats is not None:
        basis = ScaledBasis(centre=stats.mu, scale=stats.sigma, degree=1, intercept=design.intercept)
        G, b, y_norm = stats.basis_gram()
        x_norms = np.sqrt(np.diag(stats.gram()[0]))
        gram_err, how = loss + m * EPS, "from XᵀX"
    else:
        try:
            basis = scaled_basis(raw, y, design.degree, design.intercept)
        except ValueError:  # NaN or inf: say where
            require_finite(design.X, design.y, design.names, design.target)
            raise
        W = basis_gram(basis, raw, y)
        G, b, y_norm, x_norms = W[:p, :p], W[:p, p], float(np.sqrt(W[p, p])), None
        gram_err, how = (m + p) * EPS, "centred in blocks"
    d = np.where(np.diag(G) > 0, np.sqrt(np.diag(G)), 1.0)
    dev = basis.scale * d[int(design.intercept)::design.degree][:len(basis.scale)]  # ‖x_j − c_j‖
    eta = column_noise(basis.centre, dev, m, design.degree, design.intercept, RANK_TOL)
    S = basis.change()
    R = None
    eig = np.linalg.eigvalsh(G / np.outer(d, d))
    rho = eig[-1] / eig[0] * gram_err if eig[0] > 0 else np.inf
    if rho < CHOLESKY_MAX_ERROR:
        try:
            R = np.linalg.cholesky(G).T
        except np.linalg.LinAlgError:
            R = None
        if R is not None and numerical_rank(R / d, eta)[0] < p:
            R = None
    if R is not None:
        gamma = gram_solve(R, b)
        method = f"Cholesky of the Gram matrix of the centred, scaled columns ({how})"
    else:  # TSQR: Householder QR of row blocks, stable whatever the conditioning
        Raug = basis_qr(basis, raw, y)
        if Raug.shape[0] < p + 1:
            Raug = np.vstack([Raug, np.zeros((p + 1 - Raug.shape[0], p + 1))])
        R, c = Raug[:p, :p], Raug[:p, p]
        rank, null = numerical_rank(R / d, eta)
        if rank < p:
            return _min_norm(design, S, R.astype(LD), c * basis.y_scale, rank, null / d,
                             "TSQR of the centred, scaled columns (rank-deficient: minimum norm)",
                             lambda theta: residual_pass(X, y, theta)[0])
        gamma = solve_upper(R, c)
        rho = min(1.0, condition_of(R / d) ** 2 * p * EPS)
        method = "TSQR (Householder QR of row blocks) of the centred, scaled columns"
    tss = stats.yty if stats is not None else total_sum_of_squares(y / basis.y_scale, design.intercept)
    return _refine(design, basis, S, R, gamma.astype(LD), rho, method, y_norm, x_norms, d, tss)


def _refine(design, basis, S, R, gamma, rho, method, y_norm, x_norms, d, tss) -> NormalEquationFit:
    """Iterative refinement against the true residual (float64 or extended), then the diagnostics.

    Each step multiplies the error by about ``rho``; it stops when the
    predicted error is at the floor the residual's rounding allows.
    """
    X, y, p, m = design.X, design.y, design.p, design.m
    S64 = S.astype(np.float64)
    Mt = solve_lower(R.T.astype(LD), S.T)  # (S R⁻¹)ᵀ
    M_norms = np.sqrt((Mt**2).sum(axis=0)).astype(np.float64)
    MRt_norms = np.sqrt((solve_upper(R.astype(LD), Mt) ** 2).sum(axis=0)).astype(np.float64)
    theta_abs = np.abs(S @ gamma).astype(np.float64)

    def floor(mode, rss=0.0):
        """What rounding the residual (δr, √terms per row: Higham and Mary, 2019) and the sums
        of Bᵀr (δg, at most u_sum·‖b_j‖‖r‖ once their terms cancel at the solution) move θ by."""
        u, u_sum = residual_units(m, p, basis.degree) if mode == "ld" else (EPS, 4 * EPS)  # see there
        n_sum = u_sum * np.sqrt(rss)
        if mode == "x64":
            size = np.sqrt(p + 1) * u * (y_norm + np.abs(S64 @ gamma.astype(np.float64)) @ x_norms)
            g_err = np.abs(S64).T @ x_norms * n_sum
        else:
            size = np.sqrt(p + 2 + basis.degree) * u * (y_norm + np.abs(gamma.astype(np.float64)) @ d)
            g_err = d * n_sum
        return M_norms * size + MRt_norms * np.linalg.norm(g_err)

    def digits(err):
        with np.errstate(divide="ignore"):
            return float(np.min(-np.log10(err / theta_abs), initial=15.0))

    # The bound adds rounding errors as if they all lined up in the column space; at random only
    # a fraction √(p/m) of their length lies in it, but replicated rows repeat theirs. Far below
    # the target even at random: extended precision once float64 steps have reached their floor.
    # Near it: a second float64 step, whose size shows the rounding noise actually there, decides.
    mode = "x64" if x_norms is not None else "b64"
    at_random = digits(floor(mode) * np.sqrt(p / m))
    need_ld = at_random < EXTENDED_RESIDUAL_BELOW - 1
    observe = not need_ld and at_random < EXTENDED_RESIDUAL_BELOW + 1
    previous, steps = None, 0
    while True:
        if mode == "x64":
            rss, g = residual_pass(X, y, (S @ gamma).astype(np.float64))
            g = S64.T @ g
        else:
            rss, g = basis_residual(basis, design.raw, y, gamma, LD if mode == "ld" else np.float64)
        delta = gram_solve(R, g)
        gamma = gamma + delta
        steps += 1
        size = float(np.linalg.norm(delta))
        ratio = rho if previous is None else (size / previous if previous > 0 else 0.0)  # observed
        Rd = R @ delta  # ‖r − Bδ‖² = ‖r‖² − 2δᵀBᵀr + ‖Rδ‖²: the RSS after the step, no pass
        rss = max(rss - 2 * float(delta @ g) + float(Rd @ Rd), 0.0)
        moved = np.abs(S64) @ np.abs(delta)
        bound = floor(mode, rss)
        if observe and steps == 2:  # at the floor this step is the noise (a guide, not a bound:
            # rounding that repeats from pass to pass biases θ without showing in the steps)
            need_ld, observe = digits(np.minimum(bound, moved)) < EXTENDED_RESIDUAL_BELOW, False
        target = EXTENDED_ENOUGH if mode == "ld" else REFINE_TO
        done = np.all(min(ratio, 1.0) * moved <= np.maximum(bound, target * theta_abs)) and not observe
        if (done or ratio > 0.5) and need_ld and mode != "ld" and steps < MAX_REFINEMENTS:  # float64 is
            mode, previous, rho = "ld", None, min(rho, max(ratio, EPS))  # done; its contraction holds
            continue
        if done or steps >= MAX_REFINEMENTS or ratio > 0.5:
            break
        previous = size
    method += f" + {steps} step(s) of iterative refinement" + (
        " (residual in extended precision)" if mode == "ld" else "")
    return _finish(design, S, R.astype(LD), gamma, rss, method, delta=delta, rho=min(ratio, 1.0),
                   floor=bound, tss=tss, y_scale=basis.y_scale)


# --------------------------------------------------------------------------- #
# Shared pieces.

def _finish(design: Design, S, R, gamma, rss: float, method: str, *, delta, rho: float,
            floor, tss: float | None = None, y_scale: float = 1.0) -> NormalEquationFit:
    """θ = S γ and the diagnostics from the R of ``B = X S = Q R`` (γ, rss, tss in units of y/y_scale).

    The error of θ is estimated from the last refinement correction ``delta``
    (which the next step would shrink by ``rho``), ``floor``, what rounding
    the residual and its sums could move θ by (:func:`_refine`), the rounding
    of θ = S γ, and the final rounding to float64.
    """
    m, p = design.m, design.p
    tss = total_sum_of_squares(design.y, design.intercept) if tss is None else tss
    theta_ld = S @ gamma
    M = solve_lower(R.T, S.T).T  # S R⁻¹, from Rᵀ Mᵀ = Sᵀ; (XᵀX)⁻¹ = M Mᵀ
    row_norms = np.sqrt((M**2).sum(axis=1))
    err = (rho * (np.abs(S) @ np.abs(delta)) + np.asarray(floor, dtype=LD)
           + (np.abs(S) @ np.abs(gamma)) * LD((p + 1) * U_LD))
    theta_abs = np.abs(theta_ld)
    exact = _constant_target(design) if tss == 0 else None
    if exact is not None:  # y constant: θ is exact
        theta_ld, err, rss = exact / LD(y_scale), np.zeros(p, dtype=LD), 0.0
    theta = (theta_ld * LD(y_scale)).astype(np.float64)
    rel = np.where(theta_abs > 0, err / np.where(theta_abs > 0, theta_abs, 1), np.where(err > 0, np.inf, 0))
    rel = np.maximum(rel.astype(np.float64), 0 if exact is not None else EPS / 2)
    digits = float(np.clip(-np.log10(np.max(rel, initial=1e-15)), 0, 15)) if np.all(rel < np.inf) else 0.0
    dof = m - p
    residual_sd = float(np.sqrt(LD(rss) / dof) * LD(y_scale)) if dof > 0 else float("nan")
    std_errors = (LD(residual_sd) * row_norms).astype(np.float64) if dof > 0 else np.full(p, np.nan)
    F = solve_lower(S.T, R.T).T  # R S⁻¹, from Sᵀ Fᵀ = Rᵀ: XᵀX = FᵀF
    (_, log_f), (_, log_m) = norm2_log(F), norm2_log(M)
    log_kappa = log_f + log_m
    condition = float(10.0**log_kappa) if log_kappa < 308 else float("inf")
    warnings = list(design.notes) + _conditioning_warnings(log_kappa, digits, method)
    if dof == 0:
        warnings.append(f"With {m} rows for {p} coefficients the model passes through every point: no "
                        "degrees of freedom are left, so the residual SD and the standard errors are undefined.")
    rss_out = float(LD(rss) * LD(y_scale) ** 2)
    fit = NormalEquationFit(
        theta=theta, names=list(design.names), rank=p, condition_number=condition, rss=rss_out,
        tss=float(LD(tss) * LD(y_scale) ** 2), r_squared=_r_squared(rss, tss), residual_sd=residual_sd,
        std_errors=std_errors, method=method, m=m, p=p, r_factor=F.astype(np.float64),
        trusted_digits=digits, warnings=warnings, design=design)
    _check_finite(fit)
    return fit


def _constant_target(design: Design):
    """The exact θ when y is constant (an intercept fits it exactly, or y ≡ 0), else None."""
    y, theta = design.y, np.zeros(design.p, dtype=LD)
    if y[0] != 0 and not design.intercept or y.min() != y.max():
        return None
    theta[0] = y[0]  # 0 without an intercept
    return theta


def _check_finite(fit: NormalEquationFit) -> None:
    """Refuse, with a sentence, a full-rank fit whose numbers left float64's range."""
    values = {"residual sum of squares": fit.rss, "total sum of squares": fit.tss, "R²": fit.r_squared,
              "coefficients": fit.theta}
    if fit.m > fit.p:
        values["standard errors"] = fit.std_errors
    bad = [name for name, v in values.items() if not np.all(np.isfinite(v))]
    if bad:
        raise ValueError(
            f"The {', '.join(bad)} of this fit exceed float64's range (about 1.8e308): the values of y "
            "or of a column are too large or too small in magnitude for their squares and products to be "
            "stored. Rescale them (for example, divide by a power of ten) and fit again.")


def _min_norm(design: Design, S, R, c, rank: int, null, method: str, rss_of) -> NormalEquationFit:
    """Minimum-norm solution of a rank-deficient problem from its p×p factor: X = Q F, F = R S⁻¹."""
    F = solve_lower(S.T, R.T).T.astype(np.float64)
    U, s, Vt = np.linalg.svd(F)
    r = int(min(rank, np.sum(s > 0)))
    theta = truncated_solve(U, s, Vt, r, np.asarray(c, dtype=np.float64))
    # The dependences in the user's columns: w = S v, weighed by each column's length ‖F e_i‖.
    weights = np.abs((S.astype(np.float64) @ np.asarray(null).T)) * np.linalg.norm(F, axis=0)[:, None]
    weights = weights / np.where(weights.max(axis=0) > 0, weights.max(axis=0), 1)
    involved = [n for n, w, z in zip(design.names, weights.max(axis=1, initial=0), np.linalg.norm(F, axis=0))
                if w > 0.05 or z == 0]
    which = ": " + ", ".join(involved) + (" are" if len(involved) > 1 else " is") + " linearly dependent"
    warnings = list(design.notes) + [
        f"X has rank {r} < {design.p} columns{which if involved else ''}, so XᵀX is singular and has no "
        "inverse; θ is not unique. Shown is the minimum-norm solution. Remove a redundant column for a "
        "unique answer."]
    return _deficient_result(design, theta, r, float(rss_of(theta)), s[:r, None] * Vt[:r], method, warnings)


def _deficient_result(design, theta, r, rss, r_factor, method, warnings) -> NormalEquationFit:
    dof, tss = design.m - r, total_sum_of_squares(design.y, design.intercept)
    return NormalEquationFit(
        theta=theta, names=list(design.names), rank=r, condition_number=float("inf"), rss=rss,
        tss=tss, r_squared=_r_squared(rss, tss),
        residual_sd=float(np.sqrt(rss / dof)) if dof > 0 else float("nan"),
        std_errors=np.full(design.p, np.nan), method=method, m=design.m, p=design.p,
        r_factor=r_factor, trusted_digits=float("nan"), warnings=warnings, design=design)


def _r_squared(rss: float, tss: float) -> float:
    """1 − rss/tss; 1 for an exact fit of a constant y (0/0)."""
    if tss > 0:
        return 1.0 - rss / tss
    return 1.0 if rss == 0 else float("nan")


def _conditioning_warnings(log_kappa: float, digits: float, method: str) -> list[str]:
    if not log_kappa >= 6:
        return []
    textbook = max(0.0, 16 - 2 * log_kappa)
    return [
        f"X is ill-conditioned (κ(X) ≈ {power_text(log_kappa)}). Forming XᵀX squares that to "
        f"≈ {power_text(2 * log_kappa)}, so the textbook formula (XᵀX)⁻¹Xᵀy in float64 is guaranteed only "
        f"about {textbook:.0f} correct digits (a worst-case bound: on given data it often keeps more, and the "
        f"Normal-equation page measures what it kept). This solver ({method}) never forms that inverse; "
        f"about {digits:.0f} significant digits of θ can be trusted."]

"""The normal equation as a hand calculation, and a checker for one.

``normal_equation_steps`` returns the matrices exactly as the derivation
names them (X with its column of ones → Xᵀ → XᵀX → Xᵀy → (XᵀX)⁻¹ → θ). The
inverse is teaching material only: θ itself comes from the stable solver, and
``theta_textbook`` = (XᵀX)⁻¹Xᵀy is kept beside it so the page can show how
many digits the textbook formula keeps.

``check_working`` compares a person's own numbers with these, step by step,
and names the first step that is wrong and why, telling an error of its own
from one carried over from an earlier step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .design import design_from_arrays
from .linalg import power_text
from .solve import fit_normal_equation

#: What the hours-studied tutorial printed: det(XᵀX) = 100 (it is 50) and
#: Xᵀy₂ = 77.5 (it is 76.5), hence θ = (0.2, 0.65) instead of (0.7, 1.2).
TUTORIAL_SLIPS = {
    "XtX": [[5.0, 15.0], [15.0, 55.0]],
    "Xty": [21.5, 77.5],
    "det": 100.0,
    "XtX_inv": [[0.55, -0.15], [-0.15, 0.05]],
    "theta": [0.2, 0.65],
}

#: The steps a person can check, in the order of the derivation.
STEP_LABELS = {
    "XtX": "XᵀX",
    "Xty": "Xᵀy",
    "det": "det(XᵀX)",
    "XtX_inv": "(XᵀX)⁻¹",
    "theta": "θ = (XᵀX)⁻¹Xᵀy",
}


@dataclass(frozen=True, eq=False)
class NormalEquationSteps:
    """Every intermediate of θ = (XᵀX)⁻¹Xᵀy.

    Attributes
    ----------
    names : list of str, length p
    X : ndarray, shape (m, p)
    y : ndarray, shape (m,)
    Xt : ndarray, shape (p, m)
    XtX : ndarray, shape (p, p)
    Xty : ndarray, shape (p,)
    det : float
        det(XᵀX), exact for the float64 entries then rounded once (see :func:`exact_det`).
    XtX_inv : ndarray, shape (p, p), or None
        None when XᵀX is singular (then ``inverse_reason`` says why).
    inverse_reason : str or None
    inverse_warning : str or None
        Set when XᵀX is so ill-conditioned that its float64 inverse is noise
        (the inverse is still given, so the failure can be seen).
    theta : ndarray, shape (p,)
        From the stable solver.
    theta_textbook : ndarray, shape (p,), or None
        (XᵀX)⁻¹Xᵀy in float64.
    agreement_digits : float or None
        Significant digits on which the two agree (15 = all).
    """

    names: list[str]
    X: np.ndarray
    y: np.ndarray
    Xt: np.ndarray
    XtX: np.ndarray
    Xty: np.ndarray
    det: float
    XtX_inv: np.ndarray | None
    inverse_reason: str | None
    theta: np.ndarray
    theta_textbook: np.ndarray | None
    agreement_digits: float | None
    inverse_warning: str | None = None


def normal_equation_steps(X, y=None, names=None, fit=None) -> NormalEquationSteps:
    """The normal equation's intermediate matrices.

    Parameters
    ----------
    X : Design or array_like, shape (m, p)
        With the column of ones, if the model has an intercept. A Design
        (with ``y=None``) lets the stable solver use its recipe.
    y : array_like, shape (m,), optional
    names : list of str, optional
    fit : NormalEquationFit, optional
        The stable solution of this same problem, if already computed.

    Returns
    -------
    NormalEquationSteps
    """
    if fit is None:
        fit = fit_normal_equation(X) if y is None else fit_normal_equation(X, y)
    design = fit.design if y is None else design_from_arrays(X, y)
    X, y = design.X, design.y
    names = list(names) if names is not None else list(fit.names)
    with np.errstate(all="ignore"):  # huge or tiny data: the numbers show it, no warning escapes
        XtX = X.T @ X
        Xty = X.T @ y
    det = exact_det(XtX)
    # log10 κ(XᵀX) = 2 log10 κ(X), from the stable solver (float64's cond(XᵀX) saturates near 1e17,
    # and κ(X)² overflows beyond 1.3e154).
    with np.errstate(divide="ignore"):
        log_cond = 2 * float(np.log10(fit.condition_number))
    XtX_inv = theta_textbook = agreement = None
    reason = warning = None
    if fit.rank < fit.p:
        reason = (f"XᵀX is singular (det = 0): X has rank {fit.rank} < {fit.p}, its columns are "
                  "linearly dependent, so the inverse does not exist.")
    else:
        try:
            with np.errstate(all="ignore"):
                XtX_inv = np.linalg.inv(XtX)
                theta_textbook = XtX_inv @ Xty
        except np.linalg.LinAlgError:
            XtX_inv = theta_textbook = None
            reason = "XᵀX is exactly singular in float64 (a zero pivot), so it has no inverse."
        else:
            agreement = agreement_digits(theta_textbook, fit.theta)
            if not log_cond <= 8:
                lost = "all" if not np.isfinite(log_cond) else f"about {min(16.0, log_cond):.0f}"
                warning = (f"XᵀX is nearly singular (condition number ≈ {power_text(log_cond)}): inverting it in "
                           f"float64 loses {lost} of its 16 significant digits, so this inverse and the "
                           "θ it gives are dominated by rounding errors.")
    return NormalEquationSteps(names=names, X=X, y=y, Xt=X.T, XtX=XtX, Xty=Xty, det=det,
                               XtX_inv=XtX_inv, inverse_reason=reason, theta=fit.theta,
                               theta_textbook=theta_textbook, agreement_digits=agreement,
                               inverse_warning=warning)


def exact_det(A, max_size: int = 8) -> float:
    """det(A) of the float64 entries, computed exactly in rationals and rounded once.

    For hours x = 1..5 this gives det([[5, 15], [15, 55]]) = 50 exactly, where
    LU in float64 gives 49.99999999999997. Matrices larger than ``max_size``
    (or with non-finite entries) use ``numpy.linalg.det``.
    """
    A = np.asarray(A, dtype=np.float64)
    n = A.shape[0]
    if n > max_size or not np.isfinite(A).all():
        with np.errstate(all="ignore"):
            return float(np.linalg.det(A))
    M = [[Fraction(float(v)) for v in row] for row in A]
    det = Fraction(1)
    for j in range(n):  # Gaussian elimination in exact rational arithmetic
        pivot = next((i for i in range(j, n) if M[i][j] != 0), None)
        if pivot is None:
            return 0.0
        if pivot != j:
            M[j], M[pivot], det = M[pivot], M[j], -det
        det *= M[j][j]
        for i in range(j + 1, n):
            f = M[i][j] / M[j][j]
            M[i] = [a - f * b for a, b in zip(M[i], M[j])]
    try:
        return float(det)
    except OverflowError:
        return float("inf") if det > 0 else float("-inf")


def agreement_digits(estimate, reference) -> float:
    """Significant digits on which two vectors agree: min over entries of the LRE, capped at 15."""
    estimate = np.asarray(estimate, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    scale = np.maximum(np.abs(reference), np.finfo(float).tiny)
    err = np.abs(estimate - reference) / scale
    if not np.all(np.isfinite(err)):
        return 0.0
    worst = float(err.max()) if err.size else 0.0
    return 15.0 if worst == 0 else float(np.clip(-np.log10(worst), 0, 15))


@dataclass(frozen=True)
class StepCheck:
    """One step of a hand calculation compared with the truth."""

    key: str
    label: str
    ok: bool
    expected: object
    given: object
    message: str


@dataclass(frozen=True)
class WorkingCheck:
    """The verdict on a hand calculation."""

    ok: bool
    first_wrong: str | None
    message: str
    steps: list[StepCheck] = field(default_factory=list)


def check_working(steps: NormalEquationSteps, *, XtX=None, Xty=None, det=None, XtX_inv=None,
                  theta=None, rtol: float = 5e-3) -> WorkingCheck:
    """Check hand-computed values step by step.

    Each given value is compared with the true one (relative tolerance
    ``rtol``, generous enough for values rounded by hand). A wrong value is
    also checked against the person's own earlier values: a det that follows
    from their XᵀX, an inverse that follows from their det, a θ that follows
    from their inverse and Xᵀy; so the verdict says whether a step is a new
    slip or carries one over.

    Parameters
    ----------
    steps : NormalEquationSteps
    XtX, Xty, det, XtX_inv, theta : array_like or float, optional
        The person's values; the ones left out are not checked.
    rtol : float

    Returns
    -------
    WorkingCheck
        ``first_wrong`` is the key (see ``STEP_LABELS``) of the first step,
        in the order of the derivation, that is wrong.
    """
    given = {"XtX": XtX, "Xty": Xty, "det": det, "XtX_inv": XtX_inv, "theta": theta}
    truth = {"XtX": steps.XtX, "Xty": steps.Xty, "det": steps.det, "XtX_inv": steps.XtX_inv,
             "theta": steps.theta}
    # What each step would be from the person's own earlier numbers.
    own = _own_consequences(given)
    checks = []
    for key, label in STEP_LABELS.items():
        value = given[key]
        if value is None:
            continue
        value = np.asarray(value, dtype=np.float64)
        expected = truth[key]
        if expected is None:
            checks.append(StepCheck(key, label, False, None, value.tolist(),
                                    f"{label} does not exist here: {steps.inverse_reason}"))
            continue
        expected = np.asarray(expected, dtype=np.float64)
        if value.shape != expected.shape:
            checks.append(StepCheck(key, label, False, expected.tolist(), value.tolist(),
                                    f"{label} should have shape {expected.shape}, not {value.shape}."))
            continue
        if _close(value, expected, rtol):
            checks.append(StepCheck(key, label, True, expected.tolist(), value.tolist(), f"{label} is right."))
            continue
        message = _why(key, label, value, expected, steps)
        follows = own.get(key)
        if follows is not None and follows.shape == value.shape and _close(value, follows, rtol):
            message += " It does follow correctly from your earlier values, so the slip is upstream."
        checks.append(StepCheck(key, label, False, expected.tolist(), value.tolist(), message))

    wrong = [c for c in checks if not c.ok]
    if not checks:
        return WorkingCheck(True, None, "Nothing to check yet: enter some of your values.", checks)
    if not wrong:
        return WorkingCheck(True, None, "Every step you entered is right.", checks)
    first = wrong[0]
    return WorkingCheck(False, first.key, f"First wrong step: {first.label}. {first.message}", checks)


def _own_consequences(given) -> dict:
    """det, inverse and θ as they follow from the person's own earlier values."""
    out = {}
    if given["XtX"] is not None:
        A = np.asarray(given["XtX"], dtype=np.float64)
        if A.ndim == 2 and A.shape[0] == A.shape[1]:
            out["det"] = np.asarray(np.linalg.det(A))
    if given["XtX"] is not None and given["det"] is not None:
        A = np.asarray(given["XtX"], dtype=np.float64)
        d = float(given["det"])
        if A.shape == (2, 2) and d != 0:
            out["XtX_inv"] = np.array([[A[1, 1], -A[0, 1]], [-A[1, 0], A[0, 0]]]) / d
    if given["XtX_inv"] is not None and given["Xty"] is not None:
        inv = np.asarray(given["XtX_inv"], dtype=np.float64)
        b = np.asarray(given["Xty"], dtype=np.float64)
        if inv.ndim == 2 and b.ndim == 1 and inv.shape[1] == b.shape[0]:
            out["theta"] = inv @ b
    return out


def _close(value, expected, rtol: float) -> bool:
    scale = max(float(np.max(np.abs(expected))), 1e-12)
    return bool(np.all(np.abs(value - expected) <= rtol * scale))


def _why(key: str, label: str, value, expected, steps: NormalEquationSteps) -> str:
    """Which entry is off, and the rule that gives the right one."""
    if value.ndim == 0:
        where, got, want = "", float(value), float(expected)
    else:
        diff = np.abs(value - expected)
        idx = np.unravel_index(int(np.argmax(diff)), diff.shape)
        where = " entry (" + ", ".join(str(i + 1) for i in idx) + ")"
        got, want = float(value[idx]), float(expected[idx])
    head = f"{label}{where} is {got:g}; it should be {want:g}."
    names = steps.names
    if key == "XtX" and value.ndim == 2:
        i, j = idx
        rule = f" Entry (i, j) of XᵀX is the sum over rows of (column i)·(column j): Σ {_prod(names[i], names[j])}."
    elif key == "Xty" and value.ndim == 1:
        rule = f" Entry i of Xᵀy is the sum over rows of (column i)·y: Σ {_prod(names[idx[0]], 'y')}."
    elif key == "det" and steps.XtX.shape == (2, 2):
        a, b, c, d = steps.XtX.ravel()
        rule = f" For a 2×2 matrix det = a·d − b·c = {a:g}·{d:g} − {b:g}·{c:g} = {a * d - b * c:g}."
    elif key == "XtX_inv" and steps.XtX.shape == (2, 2):
        rule = " For a 2×2 matrix [[a, b], [c, d]] the inverse is 1/det · [[d, −b], [−c, a]]."
    elif key == "theta":
        rule = " θ is (XᵀX)⁻¹ times Xᵀy: row i of the inverse dotted with Xᵀy."
    else:
        rule = ""
    return head + rule


def _prod(a: str, b: str) -> str:
    if a == "1":
        return b if b != "1" else "1"
    if b == "1":
        return a
    return f"{a}²" if a == b else f"{a}·{b}"

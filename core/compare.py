"""Normal equation against gradient descent: accuracy and speed, measured.

The normal equation costs one pass over the data (O(m·n²)) plus an O(n³)
solve; gradient descent costs O(m·n) per step over the raw rows, times the
steps it needs. Which is faster depends on n, on the steps, and on how the
statistics are reused; :func:`scaling_benchmark` measures it on this machine
rather than asserting it.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .cost import LeastSquaresCost
from .descent import Trace, descend, run_model
from .optimizers import run_steps
from .settings import DescentSettings
from .solve import NormalEquationFit, fit_normal_equation
from .stats import sufficient_statistics
from .teaching import agreement_digits


@dataclass(frozen=True, eq=False)
class Comparison:
    """Both methods on one problem, from scratch, timed.

    Attributes
    ----------
    fit : NormalEquationFit
        The normal equation's answer.
    trace : Trace
        Gradient descent's run (its ``settings`` say how it ran).
    seconds_normal : float
        The stable solve.
    seconds_gd : float
        Gradient descent from scratch: one pass for XᵀX and Xᵀy, then the
        steps at O(p²) each.
    seconds_gd_naive : float
        The same steps over every row, every step; extrapolated from at most
        ``naive_steps_timed`` steps (it is linear in them).
    naive_steps_timed : int
    """

    fit: NormalEquationFit
    trace: Trace
    seconds_normal: float
    seconds_gd: float
    seconds_gd_naive: float
    naive_steps_timed: int

    @property
    def theta_normal(self) -> np.ndarray:
        return self.fit.theta

    @property
    def theta_gd(self) -> np.ndarray:
        """Gradient descent's θ in the features' original units (mapped back if it ran standardised)."""
        return self.trace.thetas_original[-1]

    @property
    def max_abs_difference(self) -> float:
        """max |θ_GD − θ̂| over the coefficients."""
        return float(np.max(np.abs(self.theta_gd - self.theta_normal)))

    @property
    def agreement_digits(self) -> float:
        """Significant digits on which the two θ agree, for the worst coefficient."""
        return agreement_digits(self.theta_gd, self.theta_normal)

    @property
    def naive_is_estimated(self) -> bool:
        """True when the textbook loop's time is extrapolated from fewer steps than the run took."""
        return self.naive_steps_timed < self.trace.iterations


def compare_methods(design, alpha: float | None = None, tol: float = 1e-6,
                    max_iterations: int = 100_000, naive_steps: int = 50, standardise: bool = False) -> Comparison:
    """Solve one problem both ways, from scratch, and time each.

    Parameters
    ----------
    design : Design
    alpha : float, optional
        Learning rate; default 1/λ_max of the problem descent runs on (safe
        and fast for batch descent).
    tol : float
        Gradient descent stops at ‖∇J‖ ≤ tol·‖∇J(θ₀)‖ (from θ₀ = 0).
    max_iterations : int
    naive_steps : int
        The naive loop is timed over at most this many steps and its time
        scaled to the run's steps (it is linear in them), so the comparison
        stays quick on a million rows.
    standardise : bool
        Run descent on standardised features (as the Gradient descent page
        can): α is then in those units, and both timed loops include the
        change of coordinates. θ is compared in the original units.

    Returns
    -------
    Comparison
    """
    t0 = time.perf_counter()
    fit = fit_normal_equation(design)
    seconds_normal = time.perf_counter() - t0

    # The path itself (θ per step, status) comes from the app's exact O(p²) cost model ...
    model = LeastSquaresCost.from_fit(fit)
    settings = DescentSettings(alpha=1.0, iterations=max_iterations, tol=tol, standardise=standardise)
    run, scaling = run_model(model, settings)
    alpha = 1.0 / run.lambda_max if alpha is None else alpha
    trace = descend(model, dataclasses.replace(settings, alpha=alpha))
    # ... and is timed as gradient descent would run from scratch: one pass for the statistics
    # XᵀX, Xᵀy, then each step O(p²) from them, without the normal equation's solve.
    t0 = time.perf_counter()
    XtX, Xty, _ = sufficient_statistics(design.X, design.y, design.intercept).gram()
    if scaling is not None:  # ZᵀZ = A⁻ᵀXᵀXA⁻¹ and Zᵀy = A⁻ᵀXᵀy, with the rows of M = A⁻ᵀ
        M = scaling.to_original(np.eye(len(Xty)))
        XtX, Xty = M @ XtX @ M.T, M @ Xty
    gram_gradient_descent(XtX, Xty, design.m, alpha, trace.iterations)
    seconds_gd = time.perf_counter() - t0

    # The naive loop is timed over at most `naive_steps` steps and scaled to the run's length.
    timed = min(trace.iterations, naive_steps)
    t0 = time.perf_counter()
    X = design.X if scaling is None else scaling.rows(design.X)
    naive_gradient_descent(X, design.y, alpha, timed)
    seconds_naive = (time.perf_counter() - t0) * trace.iterations / max(timed, 1)
    return Comparison(fit=fit, trace=trace, seconds_normal=seconds_normal, seconds_gd=seconds_gd,
                      seconds_gd_naive=seconds_naive, naive_steps_timed=timed)


def gram_gradient_descent(XtX, Xty, m: int, alpha: float, iterations: int, theta0=None) -> np.ndarray:
    """Batch gradient descent from the statistics: θ ← θ − α·(XᵀXθ − Xᵀy)/m, O(p²) per step.

    ``XtX`` (p×p) and ``Xty`` (p) are the sums over the ``m`` rows; returns θ after ``iterations`` steps
    from ``theta0`` (zeros by default).
    """
    H, b = XtX / m, Xty / m
    start = np.zeros(len(Xty)) if theta0 is None else theta0
    return run_steps("gd", start, lambda theta: H @ theta - b, alpha, iterations)[0]


def naive_gradient_descent(X, y, alpha: float, iterations: int, theta0=None) -> np.ndarray:
    """Textbook batch gradient descent: θ ← θ − α·Xᵀ(Xθ − y)/m over every row, every step.

    The reference the statistics-based loop is measured against: ``X`` is (m, p), ``y`` is (m,); returns θ
    after ``iterations`` steps from ``theta0`` (zeros by default).
    """
    m = X.shape[0]
    start = np.zeros(X.shape[1]) if theta0 is None else theta0
    return run_steps("gd", start, lambda theta: X.T @ (X @ theta - y) / m, alpha, iterations)[0]


def scaling_benchmark(rows=(1_000, 10_000, 100_000), features=(2, 10, 50, 200), *,
                      budget_s: float = 4.0, tol: float = 1e-6, seed: int = 0,
                      progress=None) -> pd.DataFrame:
    """Time both methods as the rows m and the features n grow.

    Each problem is random standardised data with a known θ. Methods: the
    stable normal-equation solve; gradient descent from scratch over the raw
    rows (O(m·n) per step, α = 1/λ_max, to the tolerance), the textbook way.
    Sizes run from small to large and stop once ``budget_s`` is spent.

    Parameters
    ----------
    rows, features : sequences of int
    budget_s : float
        Wall-clock budget; the remaining sizes are skipped past it.
    tol : float
    seed : int
    progress : callable(fraction, text), optional

    Returns
    -------
    DataFrame
        Columns ``m``, ``n``, ``method``, ``seconds``, ``iterations``.
    """
    rng = np.random.default_rng(seed)
    sizes = sorted(((m, n) for m in rows for n in features if n < m), key=lambda s: s[0] * s[1])
    records = []
    start = time.perf_counter()
    for k, (m, n) in enumerate(sizes):
        if time.perf_counter() - start > budget_s:
            break
        if progress is not None:
            progress(k / len(sizes), f"m = {m:,} rows, n = {n} features")
        X = np.column_stack([np.ones(m), rng.standard_normal((m, n - 1))])
        y = X @ rng.standard_normal(n) + rng.standard_normal(m)

        t0 = time.perf_counter()
        fit = fit_normal_equation(X, y)
        records.append({"m": m, "n": n, "method": "normal equation",
                        "seconds": time.perf_counter() - t0, "iterations": 0})

        t0 = time.perf_counter()
        lam = _power_iteration(X)  # the learning rate 1/λ_max: part of the method's cost
        _, it = run_steps("gd", np.zeros(n), lambda theta: X.T @ (X @ theta - y) / m, 1 / lam, 10_000,
                          tol=tol)
        records.append({"m": m, "n": n, "method": "gradient descent",
                        "seconds": time.perf_counter() - t0, "iterations": it})
        del fit
    if progress is not None:
        progress(1.0, "done")
    return pd.DataFrame.from_records(records, columns=["m", "n", "method", "seconds", "iterations"])


def _power_iteration(X: np.ndarray, steps: int = 20) -> float:
    """λ_max(XᵀX/m) by power iteration (a few passes over the rows)."""
    v = np.ones(X.shape[1]) / np.sqrt(X.shape[1])
    lam = 1.0
    for _ in range(steps):
        w = X.T @ (X @ v) / X.shape[0]
        lam = float(np.linalg.norm(w))
        v = w / lam
    return lam


def scaling_summary(df: pd.DataFrame) -> str:
    """What a :func:`scaling_benchmark` run measured, in words (no claim beyond its sizes).

    Parameters
    ----------
    df : DataFrame
        As returned by :func:`scaling_benchmark`.

    Returns
    -------
    str
    """
    wide = df.pivot_table(index=["m", "n"], columns="method", values="seconds", aggfunc="min")
    if wide.empty or not {"normal equation", "gradient descent"} <= set(wide.columns):
        return "Too few sizes finished within the time budget to compare the two methods."
    ne_wins = wide[wide["normal equation"] < wide["gradient descent"]]
    gd_wins = wide[wide["gradient descent"] <= wide["normal equation"]]
    sizes = len(wide)
    largest = max(wide.index, key=lambda s: s[0] * s[1])
    text = (f"This run timed {sizes} problem size(s), up to m = {largest[0]:,} rows and "
            f"n = {max(n for _, n in wide.index)} features. The normal equation was faster in "
            f"{len(ne_wins)} of them, gradient descent in {len(gd_wins)}.")
    if len(gd_wins):
        where = ", ".join(f"m = {m:,}, n = {n}" for m, n in gd_wins.index[:4])
        text += f" Gradient descent won at {where}."
    else:
        text += (" At every size measured here the normal equation won: the sizes where gradient descent "
                 "pays off (very many features, or data too big for one pass) are beyond this budget.")
    text += (" On small problems the normal-equation time includes this app's extended-precision solve,"
             " which trades microseconds for digits.")
    text += (" The source material says the normal equation wins for small n and gradient descent for large "
             "problems; these timings are from this machine, for well-conditioned random data (where gradient "
             "descent needs few steps). Ill-conditioned data needs far more steps.")
    return text

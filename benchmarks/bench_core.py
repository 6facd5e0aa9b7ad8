"""Speed of the core engine against the real alternatives, measured in one run.

* fit at 1M×20, on well-conditioned data and on data with a near-collinear
  pair of columns: ``fit_normal_equation`` vs scikit-learn
  ``LinearRegression``, ``numpy.linalg.lstsq`` and computing ``XᵀX`` alone
  (the first call, which may compile the double-double residual kernel of
  :mod:`core.fast_residual` or load it from numba's cache, is reported apart);
* 1000 batch gradient-descent steps at 1M rows vs a naive per-iteration
  numpy loop, and vs the same 1000 steps at 1k rows (the statistics pass is
  excluded: it is the one-off cost the fit already paid);
* a 200×200 cost grid at 1M rows vs brute force (each grid point a pass over
  the rows), and vs the same grid at 1k rows.

Every number is the best of a few repeats (``time.perf_counter``); results
are reported as ratios. Run with ``make bench``.
"""

from __future__ import annotations

import time

import numpy as np


def best_of(fn, repeat: int = 3) -> float:
    """Fastest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def synthetic(m: int, p: int, seed: int = 0):
    """An m×p design (column of ones first) with offsets and scales, and its target."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, p - 1)) * rng.uniform(0.1, 100, p - 1) + rng.uniform(-1e3, 1e3, p - 1)
    X = np.column_stack([np.ones(m), A])
    y = X @ rng.standard_normal(p) + rng.standard_normal(m)
    return X, y


def ill_conditioned(m: int, p: int, seed: int = 0, gap: float = 1e-3):
    """:func:`synthetic` with column 2 = column 1 + gap·(its SD)·noise: κ of the scaled columns ≈ 1e3/gap."""
    X, y = synthetic(m, p, seed)
    rng = np.random.default_rng(seed + 1)
    X[:, 2] = X[:, 1] + gap * X[:, 1].std() * rng.standard_normal(m)
    return X, y


def bench_fit(m: int = 1_000_000, p: int = 20) -> list[dict]:
    """The fit on well- and ill-conditioned data, each against XᵀX alone, lstsq and scikit-learn."""
    from sklearn.linear_model import LinearRegression

    from core import fit_normal_equation

    rows = []
    for kind, make, target in (("well-conditioned", synthetic, 2), ("ill-conditioned", ill_conditioned, 4)):
        X, y = make(m, p)
        first = best_of(lambda: fit_normal_equation(X, y), repeat=1)  # numba's compile or cache load too
        fit = fit_normal_equation(X, y)
        ours = best_of(lambda: fit_normal_equation(X, y), repeat=7)  # cheap: more repeats, less noise
        gram = best_of(lambda: X.T @ X, repeat=7)
        lstsq = best_of(lambda: np.linalg.lstsq(X, y, rcond=None), repeat=2)
        sklearn = best_of(lambda: LinearRegression().fit(X[:, 1:], y), repeat=2)
        task = f"fit {m:,}×{p}, {kind} (κ(X) ≈ {fit.condition_number:.0e})"
        rows += [
            {"task": task, "method": "fit_normal_equation (ours)", "seconds": ours, "ratio": 1.0,
             "note": f"{fit.method}; {fit.trusted_digits:.1f} trusted digits; first call {first:.2f} s"},
            {"task": task, "method": "XᵀX alone (X.T @ X)", "seconds": gram, "ratio": ours / gram,
             "note": f"ours ÷ this; target ≤ {target}"},
            {"task": task, "method": "numpy.linalg.lstsq", "seconds": lstsq, "ratio": lstsq / ours,
             "note": "this ÷ ours"},
            {"task": task, "method": "scikit-learn LinearRegression", "seconds": sklearn,
             "ratio": sklearn / ours, "note": "this ÷ ours"},
        ]
    return rows


def bench_gradient_descent(m: int = 1_000_000, p: int = 20, steps: int = 1000) -> list[dict]:
    from core import gradient_descent, least_squares_cost
    from core.compare import naive_gradient_descent

    X, y = synthetic(m, p)
    Xs = np.column_stack([np.ones(m), (X[:, 1:] - X[:, 1:].mean(0)) / X[:, 1:].std(0)])
    model = least_squares_cost(Xs, y)
    alpha = 1e-3 / model.lambda_max  # small enough that all the steps are taken

    def ours(model=model):
        trace = gradient_descent(None, None, alpha, steps, tol=0.0, model=model)
        assert trace.iterations == steps, trace.message
        return trace

    big = best_of(ours)
    small_X, small_y = Xs[:1000], y[:1000]
    small_model = least_squares_cost(small_X, small_y)
    small = best_of(lambda: ours(small_model))
    naive_steps = 20  # the naive loop is timed for 20 steps and scaled to `steps`
    naive = best_of(lambda: naive_gradient_descent(Xs, y, alpha, naive_steps), repeat=2) * steps / naive_steps
    task = f"{steps} batch GD steps"
    return [
        {"task": task, "method": f"ours at {m:,} rows", "seconds": big, "ratio": 1.0},
        {"task": task, "method": "ours at 1,000 rows", "seconds": small, "ratio": big / small,
         "note": "1M-row time ÷ this; target ≤ 1.2"},
        {"task": task, "method": f"naive numpy loop at {m:,} rows", "seconds": naive,
         "ratio": naive / big, "note": f"this ÷ ours (timed over {naive_steps} steps, scaled)"},
    ]


def bench_cost_grid(m: int = 1_000_000, n: int = 200) -> list[dict]:
    from core import cost_grid, least_squares_cost

    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, m)
    X = np.column_stack([np.ones(m), x])
    y = 1.0 + 2.0 * x + rng.standard_normal(m)
    model = least_squares_cost(X, y)
    big = best_of(lambda: cost_grid(model, n=n))
    small_model = least_squares_cost(X[:1000], y[:1000])
    small = best_of(lambda: cost_grid(small_model, n=n))
    grid = cost_grid(model, n=n)

    def brute_row(r: int = 0):  # one grid row: n points, each a pass over the m rows
        thetas = np.stack([grid.a, np.full(n, grid.b[r])])
        resid = X @ thetas - y[:, None]
        return (resid * resid).sum(axis=0) / (2 * m)

    brute = best_of(brute_row, repeat=2) * n
    np.testing.assert_allclose(brute_row(), grid.z[0], rtol=1e-8)  # same numbers
    task = f"{n}×{n} cost grid"
    return [
        {"task": task, "method": f"ours at {m:,} rows", "seconds": big, "ratio": 1.0},
        {"task": task, "method": "ours at 1,000 rows", "seconds": small, "ratio": big / small,
         "note": "1M-row time ÷ this; target ≤ 1.2"},
        {"task": task, "method": f"brute force at {m:,} rows", "seconds": brute, "ratio": brute / big,
         "note": "this ÷ ours (one grid row timed, × n)"},
    ]


def run() -> list[dict]:
    """All core benchmarks, in one process."""
    return bench_fit() + bench_gradient_descent() + bench_cost_grid()


if __name__ == "__main__":
    from benchmarks.run import markdown_table

    print(markdown_table(run()))

"""Unit tests for the design matrix, statistics, solver paths, cost grids and descent."""

import numpy as np
import pandas as pd
import pytest

import core.solve as solve_module
from core import (OPTIMIZERS, cost_grid, design_matrix, fit_normal_equation, gradient_descent,
                  learning_rate_bounds, learning_rate_choices, least_squares_cost,
                  sufficient_statistics)
from core.design import design_from_arrays

HOURS = pd.DataFrame({"hours": [1, 2, 3, 4, 5], "score": [2, 3, 4.5, 5, 7]})


# --- design matrix --------------------------------------------------------------------------

def test_design_names_powers_and_recipe():
    df = pd.DataFrame({"x": [1.0, 2, 3, 4], "y": [1.0, 4, 9, 16]})
    d = design_matrix(df, "y", ["x"], degree=3)
    assert d.names == ["1", "x", "x^2", "x^3"]
    np.testing.assert_array_equal(d.X[:, 3], [1, 8, 27, 64])
    ld = d.matrix(np.longdouble)
    assert ld.dtype == np.longdouble and np.allclose(ld.astype(float), d.X)
    no_int = design_matrix(df, "y", ["x"], intercept=False)
    assert no_int.names == ["x"] and no_int.p == 1


def test_design_drops_and_counts_bad_rows():
    df = pd.DataFrame({"x": [1.0, np.nan, 3, 4, np.inf], "y": [1.0, 2, None, 4, 5]})
    d = design_matrix(df, "y", ["x"])
    assert d.m == 2 and d.n_dropped == 3
    assert d.notes[0].startswith("2 of 5 rows used")
    assert "2 of 5 rows used" in fit_normal_equation(d).warnings[0]


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(target="nope"), "not in the data"),
    (dict(target="y", features=["zz"]), "not in the data"),
    (dict(target="y", features=["y"]), "is the target"),
    (dict(target="y", features=["x"], degree=0), "Degree"),
    (dict(target="y", features=["name"]), "data row 2 holds “b”"),
])
def test_design_errors_say_what_to_change(kwargs, fragment):
    df = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 2, 3], "name": ["1", "b", "c"]})
    with pytest.raises(ValueError, match=fragment):
        design_matrix(df, **kwargs)


def test_design_needs_two_usable_rows():
    with pytest.raises(ValueError, match="at least 2"):
        design_matrix(pd.DataFrame({"x": [1.0, np.nan], "y": [1.0, 2]}), "y", ["x"])


@pytest.mark.parametrize("X, y, fragment", [
    (np.ones((3, 2)), np.ones(4), "one value per row"),
    (np.array([[1.0, np.nan], [1, 2]]), np.ones(2), "finite"),
    (np.ones((2, 2, 2)), np.ones(2), "2-D"),
])
def test_matrix_input_is_validated(X, y, fragment):
    with pytest.raises(ValueError, match=fragment):
        fit_normal_equation(X, y)


# --- statistics and the large-data path -------------------------------------------------------

def test_sufficient_statistics_reproduce_the_gram_matrix_despite_a_large_offset():
    rng = np.random.default_rng(1)
    A = 1e6 + rng.standard_normal((50_000, 3))
    X = np.column_stack([np.ones(len(A)), A])
    y = A @ [1.0, -2.0, 0.5] + rng.standard_normal(len(A))
    stats = sufficient_statistics(X, y, intercept=True)
    Ac = A - A.mean(0)
    np.testing.assert_allclose(stats.mu, A.mean(0), rtol=1e-13)
    centred = (Ac.T @ Ac) / np.outer(stats.sigma, stats.sigma)
    np.testing.assert_allclose(stats.ZtZ, centred, rtol=1e-9, atol=1e-12)
    XtX, Xty, _ = stats.gram()
    np.testing.assert_allclose(XtX, X.T @ X, rtol=1e-12)
    np.testing.assert_allclose(Xty, X.T @ y, rtol=1e-12)


def test_large_path_agrees_with_extended_path(monkeypatch):
    rng = np.random.default_rng(2)
    X = np.column_stack([np.ones(2000), 50 + 3 * rng.standard_normal((2000, 4))])
    y = X @ rng.standard_normal(5) + 0.1 * rng.standard_normal(2000)
    small = fit_normal_equation(X, y)
    monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    large = fit_normal_equation(X, y)
    assert "Cholesky" in large.method and "extended" in small.method
    np.testing.assert_allclose(large.theta, small.theta, rtol=1e-11)
    np.testing.assert_allclose(large.std_errors, small.std_errors, rtol=1e-9)
    assert large.r_squared == pytest.approx(small.r_squared, rel=1e-12)


def test_large_path_on_ill_conditioned_data_uses_qr_and_refines(monkeypatch):
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 3000)
    X = np.column_stack([np.ones_like(x), x, x + 1e-7 * rng.standard_normal(3000)])
    y = X @ [1.0, 2.0, 3.0] + 1e-5 * rng.standard_normal(3000)
    ref = fit_normal_equation(X, y)
    monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    fit = fit_normal_equation(X, y)
    assert "QR" in fit.method and "refinement" in fit.method
    np.testing.assert_allclose(fit.theta, ref.theta, rtol=1e-7)


# --- cost grid and learning rates ------------------------------------------------------------

def test_cost_grid_orientation_and_range():
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    grid = cost_grid(model, 0, 1, points=[np.zeros(2)], n=41)
    assert grid.z.shape == (41, 41)
    r, c = 7, 30
    assert grid.z[r, c] == pytest.approx(model([grid.a[c], grid.b[r]]))
    assert grid.a.min() <= 0 <= grid.a.max() and grid.b.min() <= 0 <= grid.b.max()
    assert grid.z.min() == pytest.approx(model.cost_min, abs=1e-2)  # the bowl's bottom is in view
    with pytest.raises(ValueError, match="two different"):
        cost_grid(model, 1, 1)


def test_cost_grid_ignores_a_diverged_point():
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    grid = cost_grid(model, points=[np.zeros(2), np.array([1e300, -1e300]), np.array([np.nan, 1])])
    assert np.all(np.isfinite(grid.z)) and grid.a.max() < 100


def test_learning_rate_range_straddles_the_stability_limit():
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    lo, hi, suggested = learning_rate_bounds(model)
    assert lo < suggested < model.max_stable_alpha < hi
    choices = learning_rate_choices(model)
    assert choices == sorted(choices) and 0.1 in choices and choices[-1] > model.max_stable_alpha


# --- gradient descent ------------------------------------------------------------------------

def test_gd_statuses_and_messages():
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    limit = model.max_stable_alpha
    ok = gradient_descent(None, None, 0.9 * limit, 20_000, model=model)
    assert ok.status == "converged" and "Converged" in ok.message
    np.testing.assert_allclose(ok.theta, [0.7, 1.2], atol=1e-4)
    short = gradient_descent(None, None, 0.01, 5, model=model)
    assert short.status == "max_iterations" and short.iterations == 5 and "limit" in short.message
    bad = gradient_descent(None, None, 1.2 * limit, 5000, model=model)
    assert bad.status == "diverged" and "stability limit" in bad.message
    assert bad.thetas.shape[0] < 5001


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_optimizer_reaches_the_optimum(optimizer):
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    alpha = 0.05 if optimizer == "adam" else 0.5 * model.max_stable_alpha
    trace = gradient_descent(None, None, alpha, 50_000, tol=1e-8, optimizer=optimizer, model=model)
    assert trace.status == "converged", trace.message
    np.testing.assert_allclose(trace.theta, [0.7, 1.2], atol=1e-5)
    np.testing.assert_allclose(trace.costs, model(trace.thetas))


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(alpha=0), "greater than 0"),
    (dict(alpha=float("nan")), "finite"),
    (dict(iterations=-1), "whole number"),
    (dict(iterations=10**7), "whole number"),
    (dict(theta0=[1, 2, 3]), "θ₀"),
    (dict(optimizer="sgd"), "Unknown optimizer"),
])
def test_gd_validates_its_inputs(kwargs, fragment):
    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    args = dict(alpha=0.1, iterations=10) | kwargs
    with pytest.raises(ValueError, match=fragment):
        gradient_descent(None, None, args.pop("alpha"), args.pop("iterations"), model=model, **args)


def test_gd_from_arrays_equals_gd_from_model():
    X = design_from_arrays(np.column_stack([np.ones(5), np.arange(1, 6.0)]), HOURS["score"]).X
    a = gradient_descent(X, HOURS["score"].to_numpy(), 0.05, 30)
    b = gradient_descent(None, None, 0.05, 30, model=least_squares_cost(X, HOURS["score"].to_numpy()))
    np.testing.assert_allclose(a.thetas, b.thetas)


def test_equation_text():
    fit = fit_normal_equation(design_matrix(HOURS, "score", ["hours"]))
    assert fit.equation() == "predicted score = 0.7 + 1.2·hours"


# --- comparison ------------------------------------------------------------------------------

def test_compare_methods_on_the_hours_data():
    from core.compare import compare_methods

    result = compare_methods(design_matrix(HOURS, "score", ["hours"]), tol=1e-10, naive_steps=20)
    np.testing.assert_allclose(result.theta_normal, [0.7, 1.2], atol=1e-14)
    assert result.trace.status == "converged" and result.trace.iterations > 20
    assert result.trace.settings.tol == 1e-10 and result.trace.settings.optimizer == "gd"
    assert result.agreement_digits > 6
    assert result.max_abs_difference == pytest.approx(np.max(np.abs(result.theta_gd - result.theta_normal)))
    # The textbook loop was timed over 20 steps and scaled to the run's length: it says so.
    assert result.naive_steps_timed == 20 and result.naive_is_estimated
    assert np.isfinite([result.seconds_normal, result.seconds_gd, result.seconds_gd_naive]).all()


def test_compare_methods_can_run_descent_on_standardised_features():
    """Features on scales 1 and 10⁴: raw descent crawls; standardised, the same α units reach θ̂."""
    from core.compare import compare_methods

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"small": rng.uniform(0, 1, 300), "large": rng.uniform(0, 1e4, 300)})
    frame["y"] = 2 + 3 * frame["small"] + 1e-3 * frame["large"] + rng.normal(0, 0.1, 300)
    design = design_matrix(frame, "y", ["small", "large"])
    raw = compare_methods(design, tol=1e-8, max_iterations=2_000, naive_steps=5)
    scaled = compare_methods(design, alpha=0.5, tol=1e-8, max_iterations=2_000, naive_steps=5, standardise=True)
    assert raw.trace.status == "max_iterations" and raw.agreement_digits < 3
    assert scaled.trace.status == "converged" and scaled.trace.settings.standardise
    # θ is compared in the original units, not in the standardised ones the run used.
    np.testing.assert_allclose(scaled.theta_gd, scaled.theta_normal, rtol=1e-6)
    assert scaled.agreement_digits > 6
    assert np.isfinite([scaled.seconds_gd, scaled.seconds_gd_naive]).all()


def test_scaling_benchmark_and_its_summary():
    from core.compare import scaling_benchmark, scaling_summary

    calls = []
    df = scaling_benchmark(rows=(200, 400), features=(2, 5), budget_s=5,
                           progress=lambda f, text: calls.append(f))
    assert set(df["method"]) == {"normal equation", "gradient descent"}
    assert len(df) == 8 and (df["seconds"] > 0).all()
    assert calls[0] == 0 and calls[-1] == 1.0
    text = scaling_summary(df)
    assert "4 problem size(s)" in text and "m = 400" in text
    assert "Too few sizes" in scaling_summary(df[df["method"] == "normal equation"])


def test_the_three_gradient_descent_loops_take_the_same_path():
    from core.compare import gram_gradient_descent, naive_gradient_descent
    from core.stats import sufficient_statistics

    d = design_matrix(HOURS, "score", ["hours"])
    XtX, Xty, _ = sufficient_statistics(d.X, d.y, True).gram()
    exact = gradient_descent(d, None, 0.05, 40).theta
    np.testing.assert_allclose(gram_gradient_descent(XtX, Xty, d.m, 0.05, 40), exact, rtol=1e-12)
    np.testing.assert_allclose(naive_gradient_descent(d.X, d.y, 0.05, 40), exact, rtol=1e-12)


def test_large_path_with_huge_offsets_recentres_and_stays_accurate(monkeypatch):
    rng = np.random.default_rng(4)
    A = 1e9 + rng.standard_normal((5000, 2))  # centring XᵀX would cancel ~18 digits
    X = np.column_stack([np.ones(5000), A])
    y = (A - 1e9) @ [2.0, -1.0] + 0.01 * rng.standard_normal(5000)
    ref = fit_normal_equation(X, y)
    monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    fit = fit_normal_equation(X, y)
    assert "centred in blocks" in fit.method
    np.testing.assert_allclose(fit.theta[1:], ref.theta[1:], rtol=1e-8)


def test_large_path_rejects_nan_with_a_message(monkeypatch):
    monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    X = np.column_stack([np.ones(100), np.arange(100.0)])
    X[50, 1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        fit_normal_equation(X, np.arange(100.0))


def test_xt_dot_matches_the_transposed_product():
    from core.stats import xt_dot

    rng = np.random.default_rng(5)
    X, v = rng.standard_normal((20_001, 7)), rng.standard_normal(20_001)
    np.testing.assert_allclose(xt_dot(X, v, chunk_rows=1000), X.T @ v, rtol=1e-12)


def test_path_cover_points_hold_every_stable_batch_path_and_widen_for_others():
    from core.cost import path_cover_points

    model = least_squares_cost(design_matrix(HOURS, "score", ["hours"]))
    theta0 = np.array([3.0, -2.0])
    base = path_cover_points(model, theta0, theta0[None, :], 0, 1)
    lo, hi = base[1], base[2]
    for fraction in (0.05, 0.5, 0.99):
        trace = gradient_descent(None, None, fraction * model.max_stable_alpha, 500, theta0, model=model)
        assert np.all((trace.thetas >= lo - 1e-12) & (trace.thetas <= hi + 1e-12))
        assert len(path_cover_points(model, theta0, trace.thetas, 0, 1)) == 3  # grid independent of α
    wild = gradient_descent(None, None, 1.1 * model.max_stable_alpha, 200, theta0, model=model)
    points = path_cover_points(model, theta0, wild.thetas, 0, 1)
    grid = cost_grid(model, 0, 1, points=points)
    finite = wild.thetas[np.all(np.isfinite(wild.thetas), axis=1)]
    inside = finite[np.abs(finite - model.theta_hat).max(axis=1) < 1e6]
    assert grid.a.min() <= inside[:, 0].min() and grid.a.max() >= inside[:, 0].max()


def test_large_plain_matrix_finds_its_intercept_column_in_the_statistics_pass(monkeypatch):
    monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    rng = np.random.default_rng(6)
    A = 5 + rng.standard_normal((3000, 2))
    y = A @ [1.0, -2.0] + 0.5 + 0.1 * rng.standard_normal(3000)
    with_ones = fit_normal_equation(np.column_stack([np.ones(3000), A]), y)
    assert with_ones.names == ["1", "x1", "x2"]
    np.testing.assert_allclose(with_ones.theta, np.linalg.lstsq(np.column_stack([np.ones(3000), A]), y)[0],
                               rtol=1e-10)
    almost = np.column_stack([np.ones(3000), A])
    almost[2999, 0] = 1.5  # not an intercept column: only the last block shows it
    fit = fit_normal_equation(almost, y)
    assert fit.names == ["x1", "x2", "x3"]
    np.testing.assert_allclose(fit.theta, np.linalg.lstsq(almost, y)[0], rtol=1e-9)
    assert fit.tss == pytest.approx(float(y @ y))  # uncentred without an intercept

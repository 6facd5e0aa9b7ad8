"""Property tests (hypothesis) for the solver, the cost model and gradient descent."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import cost, fit_normal_equation, gradient_descent, least_squares_cost

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw, min_rows=3, max_rows=40, max_features=5):
    """Random regression data with an intercept column.

    An offset of 1e3 with a spread of 1e-2 makes some draws ill-conditioned."""
    seed = draw(st.integers(0, 2**32 - 1))
    p = draw(st.integers(1, max_features))
    m = draw(st.integers(max(min_rows, p + 2), max_rows))
    rng = np.random.default_rng(seed)
    offset = draw(st.sampled_from([0.0, 1.0, 1e3]))
    scale = draw(st.sampled_from([1e-2, 1.0, 1e2]))
    A = offset + scale * rng.standard_normal((m, p))
    X = np.column_stack([np.ones(m), A])
    y = X @ rng.standard_normal(p + 1) + rng.standard_normal(m)
    return X, y


@SETTINGS
@given(problems())
def test_theta_agrees_with_lstsq(problem):
    X, y = problem
    fit = fit_normal_equation(X, y)
    ref = np.linalg.lstsq(X, y, rcond=None)[0]
    tol = 1e-8 * max(1.0, fit.condition_number * 1e-8)
    np.testing.assert_allclose(fit.theta, ref, rtol=tol, atol=tol * np.abs(ref).max())
    assert fit.rank == X.shape[1]
    np.testing.assert_allclose(fit.rss, np.sum((y - X @ ref) ** 2), rtol=1e-8, atol=1e-12)


@SETTINGS
@given(problems(), st.integers(0, 2**32 - 1))
def test_gram_cost_equals_brute_force(problem, seed):
    X, y = problem
    model = least_squares_cost(X, y)
    rng = np.random.default_rng(seed)
    theta = model.theta_hat + rng.standard_normal(X.shape[1]) * rng.choice([1e-6, 1.0, 100.0])
    brute = cost(X, y, theta)
    # The brute-force sum is the inexact side when columns are ~1000 ± 0.01 and θ is ~10⁶: each residual
    # x·θ − y carries a rounding error up to about (p + 1)·eps·(|x|·|θ| + |y|) (Higham, dot products).
    r = X @ theta - y
    delta = (X.shape[1] + 1) * np.finfo(float).eps * (np.abs(X) @ np.abs(theta) + np.abs(y))
    rounding = (np.abs(r) @ delta + 0.5 * delta @ delta) / len(y)
    assert abs(model(theta) - brute) <= 1e-9 * brute + 2 * rounding + 1e-12 * max(1.0, brute)
    np.testing.assert_allclose(model.gradient(theta), X.T @ (X @ theta - y) / len(y),
                               rtol=1e-7, atol=1e-9 * np.abs(X.T @ y).max() / len(y))


@SETTINGS
@given(problems(max_features=3), st.floats(0.1, 0.95))
def test_batch_gd_below_stability_limit_converges_to_theta_hat(problem, fraction):
    X, y = problem
    # Standardise so the run needs a modest number of steps.
    A = X[:, 1:]
    X = np.column_stack([np.ones(len(y)), (A - A.mean(0)) / A.std(0)])
    model = least_squares_cost(X, y)
    alpha = fraction * model.max_stable_alpha
    trace = gradient_descent(None, None, alpha, 100_000, tol=1e-10, model=model)
    assert trace.status == "converged", trace.message
    np.testing.assert_allclose(trace.theta, model.theta_hat, rtol=1e-6,
                               atol=1e-6 * max(1.0, np.abs(model.theta_hat).max()))
    assert np.all(np.diff(trace.costs) <= 1e-12 * max(1.0, trace.costs[0]))  # monotone for GD


@SETTINGS
@given(problems(max_features=3), st.integers(0, 2**32 - 1), st.booleans())
def test_rank_deficient_gives_minimum_norm_and_a_warning(problem, seed, fewer_rows):
    X, y = problem
    rng = np.random.default_rng(seed)
    if fewer_rows:
        X = np.column_stack([X, rng.standard_normal((len(y), len(y)))])  # more columns than rows
    else:
        combo = X[:, 1:] @ rng.uniform(-2, 2, X.shape[1] - 1) + 3.0  # an exact combination
        X = np.column_stack([X, combo])
    fit = fit_normal_equation(X, y)  # never an exception
    assert fit.rank < X.shape[1]
    assert any("minimum-norm" in w for w in fit.warnings)
    ref = np.linalg.pinv(X) @ y
    np.testing.assert_allclose(fit.theta, ref, rtol=1e-6, atol=1e-6 * max(1.0, np.abs(ref).max()))


@settings(max_examples=25, deadline=None)
@given(problems())
def test_diagnostics_agree_with_statsmodels(problem):
    import statsmodels.api as sm

    X, y = problem
    fit = fit_normal_equation(X, y)
    ref = sm.OLS(y, X).fit()
    np.testing.assert_allclose(fit.std_errors, ref.bse, rtol=1e-6)
    assert np.isclose(fit.r_squared, ref.rsquared, rtol=1e-9, atol=1e-12)
    assert np.isclose(fit.residual_sd, np.sqrt(ref.scale), rtol=1e-9)

"""Standardising and ridge from the p×p factor, the spectrum's numbers, convergence series, slices, settings as JSON."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.convergence import convergence, rate_line
from core.cost import cost_grid, least_squares_cost, slice_fixed
from core.descent import descend, run_model
from core.examples import example
from core.design import design_matrix
from core.rates import default_learning_rate
from core.ridge import ridge_cost, ridge_model
from core.scaling import column_scaling, scale_check, scale_model, scaling_of
from core.settings import DescentSettings
from core.spectrum import spectrum

HOURS_X = np.column_stack([np.ones(5), np.arange(1, 6.0)])
HOURS_Y = np.array([2, 3, 4.5, 5, 7.0])


def badly_scaled(m: int = 200, seed: int = 0):
    """An intercept, a feature in [0, 1] and one in [1000, 1100]: κ(XᵀX/m) about 1e9."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.uniform(0, 1, m), rng.uniform(1000, 1100, m)])
    y = X @ np.array([3.0, 2.0, 0.05]) + 0.1 * rng.standard_normal(m)
    return X, y, least_squares_cost(X, y)


# --- standardising ---------------------------------------------------------------------------

def test_the_scaled_model_is_the_fit_on_standardised_rows():
    X, y, model = badly_scaled()
    scaling = column_scaling(X, intercept=True)
    direct = least_squares_cost(scaling.rows(X), y)
    scaled = scale_model(model, scaling)
    np.testing.assert_allclose(scaled.theta_hat, direct.theta_hat, rtol=1e-9)
    np.testing.assert_allclose(scaled.hessian(), direct.hessian(), rtol=1e-9, atol=1e-12)
    assert scaled.cost_min == pytest.approx(direct.cost_min, rel=1e-9)
    np.testing.assert_allclose(np.diag(scaled.hessian())[1:], 1.0, rtol=1e-9)  # unit variance


def test_means_and_scales_from_the_factor_match_those_from_the_rows():
    X, _, model = badly_scaled()
    from_factor, from_rows = scaling_of(model), column_scaling(X, intercept=True)
    np.testing.assert_allclose(from_factor.mean, from_rows.mean, rtol=1e-10)
    np.testing.assert_allclose(from_factor.scale, from_rows.scale, rtol=1e-7)  # centred on R: |μ|/s ≈ 1e3


@hsettings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=3, max_size=3))
def test_coordinates_map_forward_and_back(theta):
    _, _, model = badly_scaled()
    scaling = scaling_of(model)
    theta = np.array(theta)
    np.testing.assert_allclose(scaling.to_original(scaling.to_scaled(theta)), theta, rtol=1e-9, atol=1e-9)
    # the same cost in both coordinates
    assert scale_model(model, scaling)(scaling.to_scaled(theta)) == pytest.approx(model(theta), rel=1e-9)


def test_the_scaled_run_mapped_back_is_the_normal_equation_answer():
    X, y, model = badly_scaled()
    trace = descend(model, DescentSettings(alpha=1.0, standardise=True, tol=1e-14, iterations=2000))
    assert trace.status == "converged", trace.message
    np.testing.assert_allclose(trace.thetas_original[-1], model.theta_hat, rtol=1e-10)
    np.testing.assert_allclose(trace.thetas_original[0], 0.0)  # θ₀ = 0 in original units
    # SGD on the standardised rows heads to the same place
    rows = descend(model, DescentSettings(optimizer="minibatch", alpha=0.3, batch_size=20, iterations=3000,
                                          standardise=True, schedule="inverse", schedule_params=(("tau", 300.0),)),
                   rows=(X, y))
    np.testing.assert_allclose(rows.thetas_original[-1], model.theta_hat, rtol=2e-2)


def test_standardising_makes_a_badly_scaled_problem_converge_at_default_settings():
    _, _, model = badly_scaled()
    outcomes = {}
    for standardise in (False, True):
        run, _ = run_model(model, DescentSettings(standardise=standardise))
        settings = DescentSettings(alpha=default_learning_rate(run), standardise=standardise)
        outcomes[standardise] = descend(model, settings)
    assert outcomes[False].status == "max_iterations" and outcomes[False].verdict == "too_slow"
    assert "standardise the features" in outcomes[False].message
    assert outcomes[True].status == "converged" and outcomes[True].iterations < 100


def test_the_standardise_default_is_off_for_the_worked_examples_and_on_for_badly_scaled_columns():
    for key in ("hours", "three_points"):
        ex = example(key)
        check = scale_check(least_squares_cost(design_matrix(ex.frame, ex.target, list(ex.features))))
        assert not check.differ and "can stay in their own units" in check.message
    check = scale_check(badly_scaled()[2])
    assert check.differ and check.ratio > 1000 and check.kappa > 1e8 and check.kappa_scaled < 2
    assert "differ by a factor" in check.message


def test_standardising_without_an_intercept_only_scales():
    X = np.column_stack([np.arange(1, 6.0), 100 * np.arange(1, 6.0) ** 2])
    model = least_squares_cost(X, HOURS_Y)
    assert not model.intercept
    scaling = scaling_of(model)
    np.testing.assert_array_equal(scaling.mean, 0.0)
    np.testing.assert_allclose(scaling.scale, np.sqrt((X**2).mean(axis=0)), rtol=1e-12)


# --- ridge ------------------------------------------------------------------------------------

def _reference(X, y, lam, intercept=True):
    P = np.eye(X.shape[1])
    if intercept:
        P[0, 0] = 0
    return np.linalg.solve(X.T @ X + lam * P, X.T @ y)


@pytest.mark.parametrize("lam", [0.0, 1e-3, 0.5, 10.0, 1e4])
def test_ridge_matches_the_closed_form(lam):
    rng = np.random.default_rng(2)
    X = np.column_stack([np.ones(60), rng.standard_normal((60, 3))])
    y = rng.standard_normal(60)
    model = ridge_model(least_squares_cost(X, y), lam)
    np.testing.assert_allclose(model.theta_hat, _reference(X, y, lam), rtol=1e-10)
    np.testing.assert_allclose(model.hessian() * 60, X.T @ X + lam * np.diag([0, 1, 1, 1.0]), rtol=1e-10)
    theta = rng.standard_normal(4)
    assert model(theta) == pytest.approx(ridge_cost(X, y, theta, lam, intercept=True), rel=1e-10)
    assert model.cost_min == pytest.approx(ridge_cost(X, y, model.theta_hat, lam, intercept=True), rel=1e-10)


def test_ridge_on_the_hours_example_in_exact_fractions():
    """(XᵀX + λI′)θ = Xᵀy with XᵀX = [[5, 15], [15, 55]], Xᵀy = (21.5, 76.5), λ = 3, by Cramer's rule."""
    lam = Fraction(3)
    a, b, d = Fraction(5), Fraction(15), Fraction(55) + lam
    r0, r1 = Fraction(43, 2), Fraction(153, 2)
    det = a * d - b * b
    exact = [(d * r0 - b * r1) / det, (a * r1 - b * r0) / det]
    model = ridge_model(least_squares_cost(HOURS_X, HOURS_Y), 3.0)
    np.testing.assert_allclose(model.theta_hat, [float(v) for v in exact], rtol=1e-14)
    # descending J_λ lands on the same point
    trace = descend(least_squares_cost(HOURS_X, HOURS_Y), DescentSettings(alpha=0.1, ridge=3.0, tol=1e-13,
                                                                           iterations=100_000))
    np.testing.assert_allclose(trace.theta, [float(v) for v in exact], rtol=1e-10)
    assert "ridge solution" in trace.message


def test_ridge_makes_a_duplicated_column_solvable():
    x = np.arange(1, 6.0)
    X = np.column_stack([np.ones(5), x, x])
    plain = least_squares_cost(X, HOURS_Y)
    assert plain.lambda_min == pytest.approx(0, abs=1e-12)
    model = ridge_model(plain, 0.5)
    np.testing.assert_allclose(model.theta_hat, _reference(X, HOURS_Y, 0.5), rtol=1e-10)
    assert model.theta_hat[1] == pytest.approx(model.theta_hat[2], rel=1e-12)  # the penalty splits the slope
    assert model.lambda_min > 0


def test_ridge_without_an_intercept_penalises_every_coefficient():
    X = np.column_stack([np.arange(1, 6.0), np.arange(1, 6.0) ** 2])
    model = ridge_model(least_squares_cost(X, HOURS_Y), 2.0)
    np.testing.assert_allclose(model.theta_hat, _reference(X, HOURS_Y, 2.0, intercept=False), rtol=1e-10)
    with pytest.raises(ValueError, match="ridge penalty λ must be a finite number 0 or more"):
        ridge_model(least_squares_cost(X, HOURS_Y), -1.0)


# --- spectrum and convergence -----------------------------------------------------------------

def test_spectrum_numbers_are_the_eigenvalues_of_the_hessian():
    _, _, model = badly_scaled()
    for run in (model, run_model(model, DescentSettings(standardise=True, ridge=5.0))[0]):
        spec = spectrum(run)
        np.testing.assert_allclose(spec.eigenvalues, np.linalg.eigvalsh(run.hessian()), rtol=1e-6,
                                   atol=1e-12 * spec.lambda_max)
        assert spec.alpha_max == pytest.approx(2 / spec.lambda_max)
        assert spec.alpha_best == pytest.approx(2 / (spec.lambda_min + spec.lambda_max))
        assert spec.rate(spec.alpha_best) == pytest.approx(spec.best_rate, rel=1e-9)
        assert spec.rate(spec.alpha_max * 1.01) > 1


def test_convergence_series_are_finite_positive_and_follow_the_predicted_rate():
    model = least_squares_cost(HOURS_X, HOURS_Y)
    spec = spectrum(model)
    trace = descend(model, DescentSettings(alpha=0.5 * spec.alpha_best, iterations=3000, tol=0.0,
                                           theta0=(4.0, -3.0)))
    series = convergence(trace, model)
    line = rate_line(trace, model)
    for values in (series.distance, series.gap, line):
        assert values.shape == (trace.iterations + 1,) and np.all(np.isfinite(values)) and np.all(values > 0)
    np.testing.assert_allclose(series.gap[:50], model(trace.thetas[:50]) - model.cost_min, rtol=1e-9)
    assert series.distance[-1] == pytest.approx(np.finfo(float).eps * np.linalg.norm(model.theta_hat))  # floor
    early = slice(0, 200)
    assert np.all(series.distance[early] <= line[early] * (1 + 1e-9))  # the bound holds
    # ... and is tight: the slowest direction shrinks at exactly the rate
    ratio = series.distance[150] / series.distance[149]
    assert ratio == pytest.approx(spec.rate(trace.settings.alpha), rel=1e-3)
    diverged = descend(model, DescentSettings(alpha=1e300, iterations=50))
    assert np.all(np.isfinite(convergence(diverged, model).gap))


# --- slices -----------------------------------------------------------------------------------

def test_a_slice_holds_the_others_at_the_optimum_or_at_the_current_step():
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(30), rng.standard_normal((30, 3))])
    model = least_squares_cost(X, rng.standard_normal(30))
    at_optimum = cost_grid(model, 1, 2, theta_fixed=slice_fixed(model, "optimum"))
    assert at_optimum.z.min() >= model.cost_min - 1e-12
    current = model.theta_hat + np.array([0.3, 0.0, 0.0, -2.0])
    through = cost_grid(model, 1, 2, theta_fixed=slice_fixed(model, "current", current), points=[current])
    assert through.z.min() > model.cost_min + 0.1  # θ₃ held off the optimum lifts the whole slice
    np.testing.assert_array_equal(through.theta_fixed[[0, 3]], current[[0, 3]])
    with pytest.raises(ValueError, match="needs that step's 4 finite coefficients"):
        slice_fixed(model, "current", [1.0, 2.0])
    with pytest.raises(ValueError, match="Unknown slice"):
        slice_fixed(model, "mean")


# --- settings as one value, as JSON ------------------------------------------------------------

@hsettings(max_examples=60, deadline=None)
@given(st.builds(
    DescentSettings,
    optimizer=st.sampled_from(["gd", "stochastic", "minibatch", "momentum", "nesterov", "adam", "newton"]),
    alpha=st.floats(1e-6, 10), iterations=st.integers(0, 5000),
    theta0=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2).map(tuple),
    tol=st.sampled_from([0.0, 1e-6, 1e-3]), batch_size=st.integers(1, 500), seed=st.integers(0, 2**32 - 1),
    schedule=st.sampled_from(["constant", "step", "inverse", "exponential"]),
    ridge=st.floats(0, 1e3), standardise=st.booleans()))
def test_settings_survive_a_json_round_trip(settings):
    settings = settings.checked(2)
    text = json.dumps(settings.to_dict())
    back = DescentSettings.from_dict(json.loads(text), p=2)
    assert back == settings and hash(back) == hash(settings)


def test_defaults_keep_todays_runs_and_settings_name_bad_values():
    plain = DescentSettings(alpha=0.1, iterations=10).checked(2)
    assert plain.label == "Batch gradient descent, α = 0.1" and not plain.standardise and plain.ridge == 0
    # fields a rule does not use do not split the key
    assert DescentSettings(seed=5, batch_size=3).checked(2) == DescentSettings().checked(2)
    assert DescentSettings(optimizer="stochastic", batch_size=64).checked(2).batch_size == 1
    for changes, fragment in [(dict(ridge=-1.0), "ridge penalty λ"), (dict(batch_size=0), "batch size"),
                              (dict(seed=-1), "random seed"), (dict(standardise="yes"), "Standardise features")]:
        with pytest.raises(ValueError, match=fragment):
            DescentSettings(optimizer="minibatch", **changes).checked(2)
    with pytest.raises(ValueError, match="Unknown gradient-descent setting"):
        DescentSettings.from_dict({"alpha": 0.1, "lr": 0.2})
    assert "λ = 0.5" in DescentSettings(ridge=0.5, standardise=True).checked(2).label

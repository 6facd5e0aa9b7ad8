"""Gradient descent as one settings value, the optimizer registry, and runs that never leave float64."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from core.compare import gram_gradient_descent, naive_gradient_descent
from core.cost import LeastSquaresCost, least_squares_cost
from core.descent import Trace, default_learning_rate, descend, gradient_descent, learning_rate_choices
from core.optimizers import OPTIMIZERS, REGISTRY, Param, optimizer, run_steps
from core.settings import DescentSettings

X3 = np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
Y3 = np.array([2.0, 3.0, 4.0])


def hours_model() -> LeastSquaresCost:
    x = np.arange(1, 6.0)
    return least_squares_cost(np.column_stack([np.ones(5), x]), np.array([2, 3, 4.5, 5, 7.0]))


def test_settings_are_one_hashable_value_that_keys_a_run():
    a = DescentSettings(alpha=0.1, iterations=10).checked(2)
    b = DescentSettings(alpha=0.1, iterations=10, theta0=(0.0, 0.0)).checked(2)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert DescentSettings(alpha=0.2).checked(2) != a
    trace = descend(hours_model(), a)
    assert trace.settings == a and trace.alpha == 0.1 and trace.optimizer == "gd"
    assert trace.label == "Batch gradient descent, α = 0.1"


def test_settings_normalise_params_and_reject_unknown_ones():
    s = DescentSettings(optimizer="adam", params=(("eps", 1e-6), ("beta", 0.8))).checked(2)
    assert s.params == (("beta", 0.8), ("eps", 1e-6))
    assert s.hyperparameters() == {"beta": 0.8, "beta2": 0.999, "eps": 1e-6}
    with pytest.raises(ValueError, match="no parameter 'gamma'"):
        DescentSettings(optimizer="adam", params=(("gamma", 1.0),)).checked(2)
    with pytest.raises(ValueError, match="Momentum β must be between 0 and 0.999"):
        DescentSettings(optimizer="momentum", params=(("beta", 1.0),)).checked(2)


@pytest.mark.parametrize("changes, fragment", [
    (dict(alpha=float("inf")), "learning rate"), (dict(alpha=-1), "greater than 0"),
    (dict(tol=float("nan")), "tolerance"), (dict(iterations=2.5), "whole number"),
    (dict(iterations=True), "whole number"), (dict(theta0=(1.0, float("nan"))), "finite"),
    (dict(theta0=("a", "b")), "numbers"), (dict(optimizer=None), "Unknown optimizer"),
])
def test_settings_name_the_bad_value(changes, fragment):
    with pytest.raises(ValueError, match=fragment):
        DescentSettings(**changes).checked(2)


def test_the_worked_step_through_every_entry_point():
    """(1,2), (2,3), (3,4): one step from 0 with α = 0.1 lands on (0.3, 0.667)."""
    expected = [0.3, 2 / 3]
    np.testing.assert_allclose(gradient_descent(X3, Y3, 0.1, 1).thetas[1], expected, rtol=1e-14)
    model = least_squares_cost(X3, Y3)
    np.testing.assert_allclose(descend(model, DescentSettings(alpha=0.1, iterations=1)).theta, expected,
                               rtol=1e-12)
    np.testing.assert_allclose(naive_gradient_descent(X3, Y3, 0.1, 1), expected, rtol=1e-14)
    np.testing.assert_allclose(gram_gradient_descent(X3.T @ X3, X3.T @ Y3, 3, 0.1, 1), expected, rtol=1e-14)


def test_registry_entries_declare_their_parameters():
    assert list(REGISTRY) == ["gd", "stochastic", "minibatch", "momentum", "nesterov", "adam", "newton"]
    assert list(OPTIMIZERS) == ["gd", "momentum", "nesterov", "adam", "newton"]  # no rows needed
    assert all(REGISTRY[k].rows for k in ("stochastic", "minibatch")) and REGISTRY["stochastic"].batch == 1
    assert OPTIMIZERS["adam"].defaults()["eps"] == 1e-8  # the textbook default
    assert not OPTIMIZERS["adam"].curvature_scaled and OPTIMIZERS["gd"].curvature_scaled
    assert OPTIMIZERS["adam"].limit is None and OPTIMIZERS["momentum"].limit({"beta": 0.5}) == 3.0
    for rule in REGISTRY.values():
        for q in rule.params:
            assert isinstance(q, Param) and q.low <= q.default <= q.high and q.label
    with pytest.raises(ValueError, match="Unknown optimizer 'sgd'"):
        optimizer("sgd")


def test_run_steps_stops_at_the_tolerance_and_counts_steps():
    H, b = X3.T @ X3 / 3, X3.T @ Y3 / 3
    theta, steps = run_steps("gd", np.zeros(2), lambda t: H @ t - b, 0.2, 100_000, tol=1e-10)
    assert 0 < steps < 100_000
    np.testing.assert_allclose(theta, [1.0, 1.0], atol=1e-8)
    _, all_steps = run_steps("gd", np.zeros(2), lambda t: H @ t - b, 0.2, 7)
    assert all_steps == 7


def test_adam_epsilon_is_a_parameter_that_changes_the_path():
    model = hours_model()
    a = descend(model, DescentSettings(optimizer="adam", alpha=0.1, iterations=30))
    b = descend(model, DescentSettings(optimizer="adam", alpha=0.1, iterations=30, params=(("eps", 1.0),)))
    assert not np.allclose(a.thetas[-1], b.thetas[-1])


def _no_warnings(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn()


@pytest.mark.parametrize("alpha, theta0, status", [
    (1e300, None, "diverged"), (1e10, None, "diverged"), (5.0, (1e100, 1e100), "diverged"),
    (1e300, (1e150, -1e150), "diverged"), (0.05, (1e150, -1e150), "max_iterations")])
def test_huge_steps_and_starts_never_record_inf_or_nan(alpha, theta0, status):
    model = hours_model()
    trace = _no_warnings(lambda: gradient_descent(None, None, alpha, 1000, theta0, model=model))
    assert trace.status == status, trace.message
    for values in (trace.thetas, trace.costs, trace.grad_norms):
        assert np.isfinite(values).all()


def test_a_start_whose_cost_overflows_is_refused_in_words():
    with pytest.raises(ValueError, match="too large to compute"):
        _no_warnings(lambda: gradient_descent(None, None, 0.1, 10, (1e200, 1e200), model=hours_model()))


def test_slow_divergence_along_the_flat_start_is_called_divergence():
    """α just above 2/λmax, started along the flattest direction: the cost falls for a while, but
    the spectrum says the steepest direction grows, and the verdict must say so."""
    model = hours_model()
    w, V = np.linalg.eigh(model.hessian())
    start = model.theta_hat + 5 * V[:, 0] + 1e-9 * V[:, 1]
    trace = gradient_descent(None, None, 1.01 * model.max_stable_alpha, 100, start, model=model)
    assert trace.status == "diverged", trace.message
    assert "stability limit" in trace.message and "Raise the iterations" not in trace.message
    below = gradient_descent(None, None, 0.99 * model.max_stable_alpha, 100_000, start, model=model, tol=1e-8)
    assert below.status == "converged"


def test_a_crawling_run_is_told_how_many_steps_it_needs():
    model = hours_model()
    trace = gradient_descent(None, None, 0.001, 50, model=model)
    assert trace.status == "max_iterations"
    assert "takes about" in trace.message


def test_default_learning_rate_is_a_choice_at_most_half_the_limit():
    model = hours_model()
    alpha = default_learning_rate(model)
    assert alpha in learning_rate_choices(model) and alpha <= model.max_stable_alpha / 2


@hsettings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(OPTIMIZERS)), st.floats(1e-3, 0.9), st.integers(0, 40))
def test_trace_rows_are_consistent(key, fraction, iterations):
    model = hours_model()
    alpha = fraction if key == "adam" else fraction * model.max_stable_alpha
    trace = descend(model, DescentSettings(optimizer=key, alpha=alpha, iterations=iterations))
    assert isinstance(trace, Trace) and trace.iterations <= iterations
    np.testing.assert_allclose(trace.costs, model(trace.thetas), rtol=1e-12)
    np.testing.assert_allclose(trace.grad_norms, np.linalg.norm(model.gradient(trace.thetas), axis=1),
                               rtol=1e-12, atol=1e-300)

"""Regression tests for the solver defects of issue 7 (part B), with exact references where they make sense."""

from __future__ import annotations

import re
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from test_accuracy import correct_digits, exact_lstsq

import core.solve as solve_module
from core import design_matrix, fit_normal_equation, normal_equation_steps


@pytest.fixture
def no_runtime_warnings():
    """Any numpy RuntimeWarning raised as an error inside the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- B1: rank deficiency from p×p objects only -----------------------------------------------

def test_duplicate_column_on_a_million_rows_needs_no_m_by_m_matrix(no_runtime_warnings):
    x = np.random.default_rng(0).standard_normal(1_000_000)
    X = np.column_stack([x, x])
    tracemalloc.start()
    t0 = time.perf_counter()
    fit = fit_normal_equation(X, x)
    seconds = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert fit.rank == 1 and seconds < 20
    assert peak < 64 * 2**20, f"peak {peak / 2**20:.0f} MiB (X itself is 16 MiB)"
    np.testing.assert_allclose(fit.theta, [0.5, 0.5], rtol=1e-12)  # the minimum-norm solution
    assert "x1, x2 are linearly dependent" in " ".join(fit.warnings)


@pytest.mark.parametrize("large", [False, True])
def test_rank_deficient_warning_names_the_columns_involved(large, monkeypatch):
    if large:
        monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    rng = np.random.default_rng(1)
    A = rng.standard_normal((400, 3))
    X = np.column_stack([np.ones(400), A, A[:, 0] - 2 * A[:, 2] + 5])  # x4 = x1 − 2·x3 + 5·1
    fit = fit_normal_equation(X, rng.standard_normal(400))
    assert fit.rank == 4
    text = " ".join(fit.warnings)
    named = text.split("columns: ")[1].split(" are linearly")[0].split(", ")
    assert set(named) == {"1", "x1", "x3", "x4"}
    np.testing.assert_allclose(fit.theta, np.linalg.pinv(X) @ fit.design.y, rtol=1e-7, atol=1e-9)


# --- B2: rank tolerance per column ----------------------------------------------------------

@pytest.mark.parametrize("large", [False, True])
def test_one_columns_offset_does_not_set_the_rank_tolerance_of_the_others(large, monkeypatch):
    if large:
        monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    rng = np.random.default_rng(2)
    m = 60
    x1 = rng.standard_normal(m)
    x2 = x1 + 1e-8 * rng.standard_normal(m)
    x3 = 1e9 + rng.uniform(0, 10, m)
    X = np.column_stack([np.ones(m), x1, x2, x3])
    y = X @ [1.0, 2.0, -1.0, 0.5] + 1e-3 * rng.standard_normal(m)
    fit = fit_normal_equation(X, y)
    assert fit.rank == 4 and not any("rank" in w for w in fit.warnings)
    truth = correct_digits(fit.theta, exact_lstsq(X, y))
    assert truth >= 5 and fit.trusted_digits <= truth + 1


# --- B3: κ beyond 1.3e154 -------------------------------------------------------------------

def test_condition_beyond_the_square_root_of_float64s_range(no_runtime_warnings):
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(50), 1e-160 * rng.standard_normal(50)])
    y = rng.standard_normal(50)
    fit = fit_normal_equation(X, y)
    assert 1e159 < fit.condition_number < 1e162
    assert re.search(r"κ\(X\) ≈ \d\.\de\+1(59|60)\b.*≈ \d\.\de\+3(19|20)\b", fit.warnings[0])
    steps = normal_equation_steps(X, y)
    assert re.search(r"≈ \d\.\de\+3(19|20)\b", steps.inverse_warning)
    np.testing.assert_allclose(fit.theta, [float(v) for v in exact_lstsq(X, y)], rtol=1e-13)


# --- B4: scale columns before forming products ----------------------------------------------

@pytest.mark.parametrize("exponent", [-560, 500])
def test_large_path_with_tiny_or_huge_columns_matches_the_unscaled_fit(exponent, no_runtime_warnings):
    rng = np.random.default_rng(4)
    A = rng.standard_normal((30_000, 3)) + [1.0, 5.0, -2.0]
    y = A @ [1.0, -2.0, 0.5] + 3.0 + 0.1 * rng.standard_normal(30_000)
    ref = fit_normal_equation(np.column_stack([np.ones(30_000), A]), y)
    scaled = fit_normal_equation(np.column_stack([np.ones(30_000), np.ldexp(A, exponent)]), y)
    assert scaled.m * scaled.p**2 > solve_module.EXTENDED_BUDGET
    np.testing.assert_allclose(np.ldexp(scaled.theta[1:], exponent), ref.theta[1:], rtol=1e-12)
    assert scaled.theta[0] == pytest.approx(ref.theta[0], rel=1e-12)
    assert scaled.rss == pytest.approx(ref.rss, rel=1e-10)


# --- B5: huge data, constant targets, NaN, the worked example's det ----------------------------

def test_full_rank_cubic_of_huge_x_has_a_finite_condition_number(no_runtime_warnings):
    x = np.linspace(1, 2, 30)
    y = x**2 + 0.01 * np.sin(7 * x)
    df = pd.DataFrame({"x": x * 1e45, "y": y})
    recipe = fit_normal_equation(design_matrix(df, "y", ["x"], degree=3))
    plain = fit_normal_equation(np.column_stack([np.ones(30), x * 1e50, (x * 1e50) ** 2, (x * 1e50) ** 3]), y)
    for fit in (recipe, plain):
        assert fit.rank == 4 and np.isfinite(fit.condition_number) and fit.condition_number > 1e90
    np.testing.assert_allclose(plain.theta * [1, 1e50, 1e100, 1e150], np.polyfit(x, y, 3)[::-1], rtol=1e-8)


@pytest.mark.parametrize("large", [False, True])
def test_huge_values_both_paths_agree(large, monkeypatch, no_runtime_warnings):
    if large:
        monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    rng = np.random.default_rng(5)
    x = rng.standard_normal(200)
    X = np.column_stack([np.ones(200), x * 1e200])
    y = 2 * x + 1 + 0.1 * rng.standard_normal(200)
    fit = fit_normal_equation(X, y)  # large X, ordinary y: works by scaling on both paths
    np.testing.assert_allclose(fit.theta * [1, 1e200], np.polyfit(x, y, 1)[::-1], rtol=1e-10)
    assert np.isfinite(fit.rss) and np.isfinite(fit.condition_number)
    with pytest.raises(ValueError, match="exceed float64's range.*Rescale"):
        fit_normal_equation(X, y * 1e200)  # its residual sum of squares is beyond float64


@pytest.mark.parametrize("large", [False, True])
def test_zero_target_and_nan_input_raise_no_runtime_warning(large, monkeypatch, no_runtime_warnings):
    if large:
        monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    X = np.column_stack([np.ones(100), np.arange(100.0)])
    fit = fit_normal_equation(X, np.zeros(100))
    assert np.array_equal(fit.theta, [0.0, 0.0]) and fit.rss == 0 and fit.r_squared == 1.0
    X[50, 1] = np.nan
    with pytest.raises(ValueError, match="Column x1 holds nan in row 51"):
        fit_normal_equation(X, np.arange(100.0))


def test_worked_example_determinant_is_exactly_fifty():
    design = design_matrix(pd.DataFrame({"hours": [1, 2, 3, 4, 5], "score": [2, 3, 4.5, 5, 7]}),
                           "score", ["hours"])
    steps = normal_equation_steps(design.X, design.y, design.names)
    assert steps.det == 50.0


# --- B6: nothing infinite or NaN reaches a full-rank fit ------------------------------------

@pytest.mark.parametrize("large", [False, True])
def test_full_rank_fit_results_are_finite(large, monkeypatch, no_runtime_warnings):
    if large:
        monkeypatch.setattr(solve_module, "EXTENDED_BUDGET", 0)
    rng = np.random.default_rng(6)
    for scale in (1e-300, 1e-150, 1.0, 1e150):
        X = np.column_stack([np.ones(300), scale * rng.standard_normal((300, 2))])
        fit = fit_normal_equation(X, rng.standard_normal(300))
        values = [fit.rss, fit.r_squared, fit.condition_number, *fit.std_errors, *fit.theta]
        assert fit.rank == 3 and np.all(np.isfinite(values)), scale

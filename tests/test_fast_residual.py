"""The double-double residual pass (core.fast_residual) against exact rational arithmetic, and the
solver's extended-precision refinement with it and with the longdouble fallback."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_accuracy import correct_digits, exact_lstsq

from benchmarks.bench_core import ill_conditioned
from core import fast_residual, fit_normal_equation
from core.stats import ScaledBasis, basis_residual, scaled_basis

LD = np.longdouble
needs_numba = pytest.mark.skipif(not fast_residual.AVAILABLE, reason="numba is not installed")


def exact_pass(basis: ScaledBasis, raw, y, gamma) -> tuple[Fraction, list[Fraction]]:
    """‖y' − Bγ‖² and Bᵀ(y' − Bγ) in exact rational arithmetic (γ as its longdouble values)."""
    gamma = [Fraction(float(g)) + Fraction(float(g - LD(float(g)))) for g in np.asarray(gamma, dtype=LD)]
    rss, g = Fraction(0), [Fraction(0)] * len(gamma)
    for row, target in zip(raw, y):
        b = [Fraction(1)] if basis.intercept else []
        for x, c, s in zip(row, basis.centre, basis.scale):
            t = (Fraction(float(x)) - Fraction(float(c))) / Fraction(float(s))
            b += [t**k for k in range(1, basis.degree + 1)]
        r = Fraction(float(target)) / Fraction(basis.y_scale) - sum(bj * gj for bj, gj in zip(b, gamma))
        rss += r * r
        g = [gj + bj * r for gj, bj in zip(g, b)]
    return rss, g


def near_solution(basis: ScaledBasis, raw, y) -> np.ndarray:
    """γ close to the least-squares solution (so that Bᵀr nearly cancels), in longdouble."""
    cols = [np.ones(len(y))] if basis.intercept else []
    for j in range(raw.shape[1]):
        t = (raw[:, j] - basis.centre[j]) / basis.scale[j]
        cols += [t**k for k in range(1, basis.degree + 1)]
    gamma = np.linalg.lstsq(np.column_stack(cols), y / basis.y_scale, rcond=None)[0]
    return gamma.astype(LD) * (1 + LD(2.0**-40))


def collinear(m: int, offset: float, seed: int = 3):
    rng = np.random.default_rng(seed)
    raw = rng.standard_normal((m, 2)) * 3 + offset
    raw[:, 1] = raw[:, 0] + 1e-6 * rng.standard_normal(m)
    return raw, raw @ [1.0, -1.0] + 1e-3 * rng.standard_normal(m)


@needs_numba
@pytest.mark.parametrize("degree", [1, 2])
def test_double_double_pass_is_exact_to_float64s_rounding_where_longdouble_is_not(degree, monkeypatch):
    raw, y = collinear(300, 1e4)
    if degree == 1:  # the large path's basis from XᵀX: scales that are not powers of two
        basis = ScaledBasis(centre=raw.mean(0), scale=raw.std(0) * np.sqrt(len(y)), degree=1, intercept=True)
    else:
        basis = scaled_basis(raw, y, 2, True)
    gamma = near_solution(basis, raw, y)
    rss_exact, g_exact = exact_pass(basis, raw, y, gamma)
    g_exact = np.array([float(v) for v in g_exact])
    rss, g = basis_residual(basis, raw, y, gamma, LD)
    assert np.all(np.abs(g - g_exact) <= 2 * np.finfo(float).eps * np.abs(g_exact))
    assert abs(rss / float(rss_exact) - 1) < 1e-14
    monkeypatch.setattr(fast_residual, "AVAILABLE", False)
    g_ld = basis_residual(basis, raw, y, gamma, LD)[1]
    assert np.max(np.abs(g_ld - g_exact) / np.abs(g_exact)) > 1e-8  # what the fallback loses here


@needs_numba
@settings(max_examples=25, deadline=None)
@given(m=st.integers(3, 40), k=st.integers(1, 3), degree=st.integers(1, 3), intercept=st.booleans(),
       offset=st.sampled_from([0.0, 1.0, 1e6, -3e9]), seed=st.integers(0, 2**32 - 1))
def test_double_double_pass_matches_exact_arithmetic(m, k, degree, intercept, offset, seed):
    rng = np.random.default_rng(seed)
    raw = rng.standard_normal((m, k)) * rng.uniform(1e-3, 1e3, k) + offset
    y = rng.standard_normal(m) * 10.0 ** rng.integers(-5, 5)
    basis = scaled_basis(raw, y, degree, intercept)
    gamma = rng.standard_normal(int(intercept) + k * degree).astype(LD) / 3
    rss_exact, g_exact = exact_pass(basis, raw, y, gamma)
    rss, g = basis_residual(basis, raw, y, gamma, LD)
    B = np.column_stack(([np.ones(m)] if intercept else [])
                        + [((raw[:, j] - basis.centre[j]) / basis.scale[j]) ** d
                           for j in range(k) for d in range(1, degree + 1)])
    terms = np.abs(B).T @ (np.abs(y / basis.y_scale) + np.abs(B) @ np.abs(gamma.astype(float)))
    for got, want, size in zip(g, g_exact, terms):  # far below longdouble's rounding of the terms
        assert abs(Fraction(float(got)) - want) <= abs(want) * Fraction(2.0**-52) + Fraction(float(size)) * 2**-90
    assert abs(rss - float(rss_exact)) <= 1e-13 * float(rss_exact) + 1e-300


@needs_numba
def test_threads_split_the_rows_and_add_up_to_the_same_pass(monkeypatch):
    raw, y = collinear(200_000, 1e3)
    basis = scaled_basis(raw, y, 1, True)
    gamma = near_solution(basis, raw, y)
    monkeypatch.setattr(fast_residual, "THREADS", 1)
    one = basis_residual(basis, raw, y, gamma, LD)
    monkeypatch.setattr(fast_residual, "THREADS", 2)
    two = basis_residual(basis, raw, y, gamma, LD)
    assert abs(one[0] / two[0] - 1) < 1e-14
    np.testing.assert_allclose(one[1], two[1], rtol=1e-12)


@pytest.mark.parametrize("compiled", [True, False])
def test_refinement_in_extended_precision_is_accurate_and_honest_on_both_paths(compiled, monkeypatch):
    """Compiled double-double, or the longdouble fallback when numba is missing."""
    if compiled and not fast_residual.AVAILABLE:
        pytest.skip("numba is not installed")
    monkeypatch.setattr(fast_residual, "AVAILABLE", compiled)
    X, y = ill_conditioned(6000, 6, gap=1e-4)
    fit = fit_normal_equation(X, y)
    assert "extended precision" in fit.method
    truth = correct_digits(fit.theta, exact_lstsq(X, y))
    assert truth >= 12, f"{truth:.1f} correct digits"
    assert fit.trusted_digits <= truth + 1, f"claims {fit.trusted_digits:.1f}, has {truth:.1f}"
    if compiled:
        assert fit.trusted_digits >= 12


@needs_numba
def test_the_pass_reads_a_column_view_in_place_without_copying_the_rows():
    import tracemalloc

    raw, y = collinear(200_000, 1e3)
    X = np.column_stack([np.ones(len(y)), raw])
    basis = scaled_basis(raw, y, 1, True)
    gamma = near_solution(basis, raw, y)
    expected = basis_residual(basis, raw, y, gamma, LD)
    tracemalloc.start()
    got = basis_residual(basis, X[:, 1:], y, gamma, LD)  # what the solver passes: a strided view
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2**20, f"peak {peak / 2**20:.1f} MiB (the view is {X[:, 1:].nbytes / 2**20:.0f} MiB)"
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-14)


@needs_numba
@pytest.mark.parametrize("bad", [np.inf, np.nan, LD(2) ** 1100])
def test_coefficients_beyond_float64s_range_fall_back_to_longdouble(bad, monkeypatch):
    raw, y = collinear(500, 1.0)
    basis = scaled_basis(raw, y, 1, True)
    gamma = near_solution(basis, raw, y)
    gamma[1] = bad
    with np.errstate(all="ignore"):
        got = basis_residual(basis, raw, y, gamma, LD)
        monkeypatch.setattr(fast_residual, "AVAILABLE", False)
        want = basis_residual(basis, raw, y, gamma, LD)
    np.testing.assert_array_equal(got[1], want[1])

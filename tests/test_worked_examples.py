"""The source material's worked examples, computed correctly."""

import numpy as np
import pandas as pd
import pytest

from core import (TUTORIAL_SLIPS, check_working, design_matrix, fit_normal_equation,
                  gradient_descent, least_squares_cost, normal_equation_steps)

HOURS = pd.DataFrame({"hours": [1, 2, 3, 4, 5], "score": [2, 3, 4.5, 5, 7]})
THREE = pd.DataFrame({"x": [1, 2, 3], "y": [2, 3, 4]})


def test_hours_studied_matrices_and_theta():
    design = design_matrix(HOURS, "score", ["hours"])
    steps = normal_equation_steps(design.X, design.y, design.names)
    np.testing.assert_allclose(steps.XtX, [[5, 15], [15, 55]])
    np.testing.assert_allclose(steps.Xty, [21.5, 76.5])
    assert steps.det == 50.0  # exact: the 2×2 determinant of exact inputs, not 49.99999999999997
    np.testing.assert_allclose(steps.XtX_inv, [[1.1, -0.3], [-0.3, 0.1]], atol=1e-12)
    np.testing.assert_allclose(steps.theta, [0.7, 1.2], atol=1e-14)
    np.testing.assert_allclose(fit_normal_equation(design).theta, [0.7, 1.2], atol=1e-14)
    assert steps.agreement_digits > 12


def test_tutorial_slips_are_found_in_order():
    design = design_matrix(HOURS, "score", ["hours"])
    steps = normal_equation_steps(design.X, design.y, design.names)
    verdict = check_working(steps, **TUTORIAL_SLIPS)
    assert not verdict.ok
    # In the order of the derivation, Xᵀy comes before the determinant.
    assert verdict.first_wrong == "Xty"
    assert "77.5" in verdict.message and "76.5" in verdict.message
    by_key = {c.key: c for c in verdict.steps}
    assert by_key["XtX"].ok
    assert not by_key["det"].ok and "50" in by_key["det"].message
    # The tutorial's inverse and θ follow from its own det and Xᵀy: carried-over slips.
    assert "upstream" in by_key["XtX_inv"].message
    assert "upstream" in by_key["theta"].message
    # The tutorial's printed θ really is what its slips give.
    np.testing.assert_allclose(np.array(TUTORIAL_SLIPS["XtX_inv"]) @ TUTORIAL_SLIPS["Xty"],
                               TUTORIAL_SLIPS["theta"])


def test_correct_working_passes_and_det_slip_alone_is_first():
    design = design_matrix(HOURS, "score", ["hours"])
    steps = normal_equation_steps(design.X, design.y)
    assert check_working(steps, XtX=[[5, 15], [15, 55]], Xty=[21.5, 76.5], det=50,
                         XtX_inv=[[1.1, -0.3], [-0.3, 0.1]], theta=[0.7, 1.2]).ok
    verdict = check_working(steps, XtX=[[5, 15], [15, 55]], Xty=[21.5, 76.5], det=100)
    assert verdict.first_wrong == "det"


def test_three_points_and_one_gradient_step():
    design = design_matrix(THREE, "y", ["x"])
    steps = normal_equation_steps(design.X, design.y)
    np.testing.assert_allclose(steps.XtX, [[3, 6], [6, 14]])
    np.testing.assert_allclose(steps.Xty, [9, 20])
    np.testing.assert_allclose(steps.theta, [1, 1], atol=1e-14)
    model = least_squares_cost(design)
    np.testing.assert_allclose(model.gradient([0, 0]), [-3, -20 / 3])
    trace = gradient_descent(design, None, alpha=0.1, iterations=1)
    np.testing.assert_allclose(trace.thetas[0], [0, 0])
    np.testing.assert_allclose(trace.thetas[1], [0.3, 2 / 3])
    assert trace.costs[0] == pytest.approx((4 + 9 + 16) / 6)


def test_half_sum_convention_rescales_alpha_by_m():
    """With J = ½Σ the gradient is m times larger: α/m gives the same step."""
    design = design_matrix(THREE, "y", ["x"])
    X, y, m = design.X, design.y, design.m
    half_sum_gradient = X.T @ (X @ np.zeros(2) - y)
    step_half_sum = -(0.1 / m) * half_sum_gradient
    np.testing.assert_allclose(step_half_sum, gradient_descent(design, None, 0.1, 1).thetas[1])


def test_rounding_noise_is_shown_as_zero_but_real_small_effects_are_not():
    import numpy as np
    import pandas as pd

    from core import design_matrix, fit_normal_equation

    x = np.arange(1.0, 9.0)
    exact = fit_normal_equation(design_matrix(pd.DataFrame({"x": x, "y": 2 * x + 1}), "y", ["x"]))
    assert not exact.negligible().any()  # intercept 1 and slope 2 are real
    noise = fit_normal_equation(design_matrix(pd.DataFrame({"x": x, "z": x**2, "y": 3 * x}), "y", ["x", "z"]))
    mask = noise.negligible()
    assert list(mask) == [bool(abs(t) < 1e-9) for t in noise.theta]  # the zero coefficients, not θ_x = 3
    assert abs(noise.theta[2]) < 1e-9 and "0·z" in noise.equation(), noise.equation()
    tiny = fit_normal_equation(design_matrix(pd.DataFrame({"x": x * 1e9, "y": 1e-9 * x * 1e9 + 1}), "y", ["x"]))
    assert not tiny.negligible().any()  # a slope of 1e-9 per unit of a huge x is a real effect

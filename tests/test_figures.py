"""Tests of core.figures: the figures show exactly what the core results say.

Figures are checked through the JSON plotly sends to the browser
(``fig.to_json()``), where plotly 7 encodes numpy arrays as base64 typed
arrays; :func:`decode` turns those (or plain lists) back into numpy arrays.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors
import pytest

from core import figures as F
from core.cost import cost, cost_grid, least_squares_cost
from core.descent import gradient_descent
from core.design import design_matrix
from core.figures import PALETTE
from core.solve import fit_normal_equation

ROOT = Path(__file__).resolve().parents[1]
OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}


# --------------------------------------------------------------------------- helpers


def decode(value):
    """A plotly JSON array (list, or typed-array dict ``{"dtype", "bdata", "shape"}``) as numpy."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(value["dtype"]).newbyteorder("<")
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        shape = value.get("shape")
        if shape is not None:
            array = array.reshape([int(s) for s in str(shape).strip("[]").split(",")])
        return array.astype(array.dtype.newbyteorder("="))
    return np.asarray(value)


def payload(fig) -> dict:
    """The figure as the browser receives it."""
    return json.loads(fig.to_json())


def trace_named(data: list[dict], prefix: str) -> dict:
    found = [t for t in data if str(t.get("name", "")).startswith(prefix)]
    assert len(found) == 1, f"expected one trace named {prefix!r}, got {[t.get('name') for t in data]}"
    return found[0]


def bilinear(grid, x: float, y: float) -> float:
    """Bilinear interpolation of grid.z (z[r, c] at a[c], b[r]) at (x, y)."""
    a, b, z = np.asarray(grid.a), np.asarray(grid.b), np.asarray(grid.z)
    c = int(np.clip(np.searchsorted(a, x) - 1, 0, a.size - 2))
    r = int(np.clip(np.searchsorted(b, y) - 1, 0, b.size - 2))
    tx = (x - a[c]) / (a[c + 1] - a[c])
    ty = (y - b[r]) / (b[r + 1] - b[r])
    return float((1 - tx) * (1 - ty) * z[r, c] + tx * (1 - ty) * z[r, c + 1]
                 + (1 - tx) * ty * z[r + 1, c] + tx * ty * z[r + 1, c + 1])


# --------------------------------------------------------------------------- inputs


@pytest.fixture(scope="module")
def hours():
    df = pd.DataFrame({"hours": [1.0, 2.0, 3.0, 4.0, 5.0], "score": [2.0, 3.0, 4.5, 5.0, 7.0]})
    design = design_matrix(df, "score", ["hours"])
    fit = fit_normal_equation(design)
    model = least_squares_cost(design)
    trace = gradient_descent(design, None, 0.05, 150, theta0=np.array([-1.0, 3.0]))
    grid = cost_grid(model, 0, 1, points=trace.thetas, n=61)
    return dict(df=df, design=design, fit=fit, model=model, trace=trace, grid=grid)


@pytest.fixture(scope="module")
def many():
    """Three features: the predicted-vs-actual branch and a 4-coefficient model."""
    rng = np.random.default_rng(7)
    df = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    df["y"] = 1.0 + 2.0 * df["a"] - 0.5 * df["b"] + 0.25 * df["c"] + rng.normal(scale=0.3, size=40)
    return df


# --------------------------------------------------------------------------- the test helper itself


def test_decode_reads_typed_arrays_and_lists():
    import plotly.graph_objects as go

    z = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    fig = go.Figure(go.Surface(z=z, x=np.array([0.5, 1.5, 2.5]), y=[1, 2]))
    data = payload(fig)["data"][0]
    assert isinstance(data["z"], dict) and data["z"]["dtype"] == "f4"
    np.testing.assert_array_equal(decode(data["z"]), z)
    np.testing.assert_array_equal(decode(data["x"]), [0.5, 1.5, 2.5])
    np.testing.assert_array_equal(decode(data["y"]), [1, 2])


# --------------------------------------------------------------------------- cost surface


def test_hours_problem_is_the_expected_one(hours):
    np.testing.assert_allclose(hours["fit"].theta, [0.7, 1.2], atol=1e-12)
    assert hours["grid"].z.shape == (hours["grid"].b.size, hours["grid"].a.size) == (61, 61)


def test_surface_is_the_grid(hours):
    grid = hours["grid"]
    data = payload(F.cost_surface(grid, hours["trace"], hours["fit"]))["data"]
    surface = data[0]
    assert surface["type"] == "surface"
    assert isinstance(surface["z"], dict) and surface["z"]["dtype"] == "f4", "z must travel as a float32 typed array"
    np.testing.assert_array_equal(decode(surface["x"]), grid.a)
    np.testing.assert_array_equal(decode(surface["y"]), grid.b)
    np.testing.assert_allclose(decode(surface["z"]), grid.z, rtol=1e-6, atol=1e-7 * np.abs(grid.z).max())


def test_surface_path_is_the_trace(hours):
    grid, trace = hours["grid"], hours["trace"]
    path = trace_named(payload(F.cost_surface(grid, trace, hours["fit"]))["data"], "gradient-descent path")
    assert path["type"] == "scatter3d" and path["mode"] == "lines+markers"
    np.testing.assert_array_equal(decode(path["x"]), trace.thetas[:, grid.i])
    np.testing.assert_array_equal(decode(path["y"]), trace.thetas[:, grid.j])
    np.testing.assert_array_equal(decode(path["z"]), trace.costs)


def test_hours_path_points_lie_on_the_surface(hours):
    """Every drawn path point is at height J(θ) and on the drawn surface."""
    design, grid, trace, model = hours["design"], hours["grid"], hours["trace"], hours["model"]
    data = payload(F.cost_surface(grid, trace, hours["fit"]))["data"]
    path = trace_named(data, "gradient-descent path")
    xs, ys, zs = decode(path["x"]), decode(path["y"]), decode(path["z"])
    surface_grid = type("G", (), dict(a=decode(data[0]["x"]), b=decode(data[0]["y"]),
                                      z=decode(data[0]["z"]).astype(np.float64)))
    # Bilinear interpolation reproduces the θ_iθ_j term of a quadratic exactly, so its
    # error is at most (h_a² J_aa + h_b² J_bb) / 8, with J's second derivatives from the Hessian.
    H = model.hessian()
    ha, hb = np.diff(grid.a).max(), np.diff(grid.b).max()
    tolerance = (ha ** 2 * H[0, 0] + hb ** 2 * H[1, 1]) / 8 + 1e-6 * np.abs(grid.z).max()
    assert len(xs) == len(trace.costs) > 10
    for x, y, z in zip(xs, ys, zs):
        assert grid.a[0] <= x <= grid.a[-1] and grid.b[0] <= y <= grid.b[-1]
        exact = cost(design.X, design.y, np.array([x, y]))
        assert z == pytest.approx(exact, rel=1e-9, abs=1e-12)
        assert bilinear(surface_grid, x, y) == pytest.approx(z, abs=tolerance)


def test_surface_marks_optimum_and_start(hours):
    grid, trace, fit = hours["grid"], hours["trace"], hours["fit"]
    data = payload(F.cost_surface(grid, trace, fit))["data"]
    star = trace_named(data, "optimum θ̂")
    assert decode(star["x"])[0] == pytest.approx(0.7, abs=1e-12)
    assert decode(star["y"])[0] == pytest.approx(1.2, abs=1e-12)
    assert decode(star["z"])[0] == pytest.approx(fit.cost_min, rel=1e-12)
    assert fit.cost_min == pytest.approx(0.04, rel=1e-9)
    start = trace_named(data, "start θ⁽⁰⁾")
    assert (decode(start["x"])[0], decode(start["y"])[0]) == (-1.0, 3.0)
    assert decode(start["z"])[0] == trace.costs[0]


def test_surface_optimum_height_from_a_plain_theta_needs_cost_min(hours):
    grid = hours["grid"]
    fig = F.cost_surface(grid, theta_hat=np.array([0.7, 1.2]), cost_min=0.04)
    star = trace_named(payload(fig)["data"], "optimum θ̂")
    assert decode(star["z"])[0] == 0.04
    # Without a height the marker says so instead of pretending.
    fig = F.cost_surface(grid, theta_hat=np.array([0.7, 1.2]))
    star = trace_named(payload(fig)["data"], "optimum θ̂")
    assert "not given" in star["name"]


def test_surface_axes_and_layout(hours):
    grid = hours["grid"]
    fig = F.cost_surface(grid, hours["trace"], hours["fit"])
    scene = fig.layout.scene
    assert scene.xaxis.title.text == F.coefficient_label(grid.i, grid.names[0]) == "θ₀ (intercept)"
    assert scene.yaxis.title.text == F.coefficient_label(grid.j, grid.names[1]) == "θ₁ (hours)"
    assert scene.zaxis.title.text == "J(θ)"
    assert "slice" not in fig.layout.title.text


def test_surface_payload_is_small(hours):
    fig = F.cost_surface(hours["grid"], hours["trace"], hours["fit"])
    size = F.figure_bytes(fig)
    assert size == len(fig.to_json())
    assert size < 200_000
    # typed arrays, not lists: a 61×61 list of floats alone would be far bigger
    as_lists = json.dumps(np.asarray(hours["grid"].z).tolist())
    assert size < len(as_lists) + 60_000


def test_surface_colours_from_palette(hours):
    data = payload(F.cost_surface(hours["grid"], hours["trace"], hours["fit"]))["data"]
    expected_scale = [c.lower() for c in plotly.colors.get_colorscale(PALETTE["surface"])[-1][1:]]
    assert str(data[0]["colorscale"][-1][1]).lower() in expected_scale or data[0]["colorscale"] == PALETTE["surface"]
    assert trace_named(data, "gradient-descent path")["line"]["color"] == PALETTE["path"]
    assert trace_named(data, "optimum θ̂")["marker"]["color"] == PALETTE["optimum"]
    assert trace_named(data, "start θ⁽⁰⁾")["marker"]["color"] == PALETTE["start"]


def test_surface_of_a_bigger_model_is_a_slice(many):
    design = design_matrix(many, "y", ["a", "b", "c"])
    fit = fit_normal_equation(design)
    model = least_squares_cost(design)
    grid = cost_grid(model, 1, 2, n=31)
    fig = F.cost_surface(grid, theta_hat=fit)
    assert "slice through θ̂" in fig.layout.title.text
    assert "slice through θ̂" in F.cost_contour(grid, theta_hat=fit).layout.title.text
    star = trace_named(payload(fig)["data"], "optimum θ̂")
    assert decode(star["x"])[0] == pytest.approx(fit.theta[1], rel=1e-12)
    assert decode(star["y"])[0] == pytest.approx(fit.theta[2], rel=1e-12)
    assert fig.layout.scene.xaxis.title.text == "θ₁ (a)"


def test_long_paths_are_thinned_keeping_real_points(hours):
    design, model = hours["design"], hours["model"]
    trace = gradient_descent(design, None, 0.01, 3000, theta0=np.array([-1.0, 3.0]), tol=0.0)
    assert len(trace.costs) > 1000
    grid = cost_grid(model, 0, 1, points=trace.thetas, n=41)
    path = trace_named(payload(F.cost_surface(grid, trace, hours["fit"], max_path_points=300))["data"],
                       "gradient-descent path")
    xs, ys, zs = decode(path["x"]), decode(path["y"]), decode(path["z"])
    steps = decode(path["customdata"]).astype(int)
    assert len(xs) <= 302
    assert steps[0] == 0 and steps[-1] == len(trace.costs) - 1 and np.all(np.diff(steps) > 0)
    np.testing.assert_array_equal(xs, trace.thetas[steps, 0])
    np.testing.assert_array_equal(ys, trace.thetas[steps, 1])
    np.testing.assert_array_equal(zs, trace.costs[steps])


# --------------------------------------------------------------------------- contour


def test_contour_draws_the_grid_path_optimum_and_start(hours):
    grid, trace, fit = hours["grid"], hours["trace"], hours["fit"]
    data = payload(F.cost_contour(grid, trace, fit))["data"]
    contour = data[0]
    assert contour["type"] == "contour"
    np.testing.assert_array_equal(decode(contour["x"]), grid.a)
    np.testing.assert_array_equal(decode(contour["y"]), grid.b)
    # hover shows J itself; colours are log10 of the gap J − J(θ̂), monotone in J
    np.testing.assert_allclose(decode(contour["customdata"]), grid.z, rtol=1e-6)
    shown = decode(contour["z"]).astype(np.float64)
    gap = np.asarray(grid.z) - fit.cost_min
    visible = gap > 10 ** shown.min() * 1.01  # points above the clamped floor
    assert visible.mean() > 0.95
    np.testing.assert_allclose(shown[visible], np.log10(gap[visible]), atol=1e-5)

    path = trace_named(data, "gradient-descent path")
    assert path["mode"] == "lines+markers" and path["line"]["color"] == PALETTE["path"]
    np.testing.assert_array_equal(decode(path["x"]), trace.thetas[:, 0])
    np.testing.assert_array_equal(decode(path["y"]), trace.thetas[:, 1])
    np.testing.assert_array_equal(decode(path["customdata"]), trace.costs)

    star = trace_named(data, "optimum θ̂")
    assert star["marker"]["symbol"] == "star" and star["marker"]["color"] == PALETTE["optimum"]
    np.testing.assert_allclose([decode(star["x"])[0], decode(star["y"])[0]], [0.7, 1.2], atol=1e-12)
    start = trace_named(data, "start θ⁽⁰⁾")
    assert start["marker"]["symbol"] != "star" and start["marker"]["color"] == PALETTE["start"]
    assert (decode(start["x"])[0], decode(start["y"])[0]) == (-1.0, 3.0)


def test_contour_linear_scale_is_the_grid(hours):
    grid = hours["grid"]
    contour = payload(F.cost_contour(grid, log_scale=False))["data"][0]
    np.testing.assert_allclose(decode(contour["z"]), grid.z, rtol=1e-6)


# --------------------------------------------------------------------------- history


def test_history_shows_the_optimality_gap(hours):
    trace, fit = hours["trace"], hours["fit"]
    fig = F.cost_history(trace, fit.cost_min)
    assert fig.layout.yaxis.type == "log"
    assert "J(θₖ) − J(θ̂)" in fig.layout.yaxis.title.text
    line = payload(fig)["data"][0]
    y = decode(line["y"])
    gap = trace.costs - fit.cost_min
    assert np.all(y > 0)
    big = gap > 1e-12
    np.testing.assert_allclose(y[big], gap[big], rtol=1e-12)
    np.testing.assert_array_equal(decode(line["x"]), np.arange(len(trace.costs)))


def test_history_without_cost_min_is_the_cost_and_marks_status(hours):
    trace = hours["trace"]
    fig = F.cost_history(trace)
    data = payload(fig)["data"]
    np.testing.assert_array_equal(decode(data[0]["y"]), trace.costs)
    text = " ".join(a.text for a in fig.layout.annotations)
    status_words = {"converged": "converged", "max_iterations": "iteration limit", "diverged": "diverged"}
    assert status_words[trace.status] in text
    assert data[-1]["marker"]["color"] == PALETTE[trace.status]


def test_history_of_a_diverging_run(hours):
    design, model = hours["design"], hours["model"]
    trace = gradient_descent(design, None, 1.5 * model.max_stable_alpha, 60)
    assert trace.status == "diverged"
    fig = F.cost_history(trace, hours["fit"].cost_min)
    assert "diverged" in " ".join(a.text for a in fig.layout.annotations)
    assert payload(fig)["data"][-1]["marker"]["color"] == PALETTE["diverged"]


def test_history_floors_a_zero_gap():
    """A perfect fit reaches J = 0 = J(θ̂); the log axis still gets positive values."""
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 3.0, 4.0]})
    design = design_matrix(df, "y", ["x"])
    fit = fit_normal_equation(design)
    trace = gradient_descent(design, None, 0.2, 4000, tol=0.0)
    y = decode(payload(F.cost_history(trace, fit.cost_min))["data"][0]["y"])
    assert np.all(np.isfinite(y)) and np.all(y > 0)
    assert y[0] > 1e3 * y.min()


# --------------------------------------------------------------------------- data space


def test_line_passes_through_the_fit(hours):
    design, fit = hours["design"], hours["fit"]
    data = payload(F.data_and_fit(design, fit))["data"]
    points = trace_named(data, "data")
    np.testing.assert_array_equal(decode(points["x"]), design.raw[:, 0])
    np.testing.assert_array_equal(decode(points["y"]), design.y)
    assert points["marker"]["color"] == PALETTE["data"]
    line = trace_named(data, "Normal equation")
    assert line["line"]["color"] == PALETTE["fit"]
    x, y = decode(line["x"]), decode(line["y"])
    np.testing.assert_allclose(y, fit.predict(design.matrix(raw=x[:, None])), rtol=1e-12)
    # the drawn line is ŷ = 0.7 + 1.2·hours: through fit.predict at the ends of the data
    assert (x[0], x[-1]) == (1.0, 5.0)
    np.testing.assert_allclose([y[0], y[-1]], fit.predict(design.X)[[0, -1]], rtol=1e-12)
    np.testing.assert_allclose(y, 0.7 + 1.2 * x, rtol=1e-12)


def test_curve_for_a_polynomial(hours):
    design = design_matrix(hours["df"], "score", ["hours"], degree=3)
    fit = fit_normal_equation(design)
    fig = F.data_and_fit(design, fit)
    line = trace_named(payload(fig)["data"], "Normal equation")
    x, y = decode(line["x"]), decode(line["y"])
    assert len(x) >= 100 and np.all(np.diff(x) > 0)
    np.testing.assert_allclose(y, fit.predict(design.matrix(raw=x[:, None])), rtol=1e-12)
    np.testing.assert_allclose(np.interp(design.raw[:, 0], x, y), fit.predict(design.X), atol=0.02)
    assert fig.layout.xaxis.title.text == "hours"


def test_line_for_a_descent_iterate(hours):
    design, fit, trace = hours["design"], hours["fit"], hours["trace"]
    theta = trace.thetas[5]
    data = payload(F.data_and_fit(design, fit, theta, units={"hours": "h"}))["data"]
    gd = trace_named(data, "Gradient descent")
    assert gd["line"]["color"] == PALETTE["iterate"]
    x = decode(gd["x"])
    np.testing.assert_allclose(decode(gd["y"]), theta[0] + theta[1] * x, rtol=1e-12)
    assert trace_named(data, "Normal equation")["line"]["dash"] == "dash"


def test_two_features_give_a_3d_plane(many):
    design = design_matrix(many, "y", ["a", "b"])
    fit = fit_normal_equation(design)
    data = payload(F.data_and_fit(design, fit))["data"]
    assert [t["type"] for t in data] == ["scatter3d", "surface"]
    np.testing.assert_array_equal(decode(data[0]["x"]), design.raw[:, 0])
    np.testing.assert_array_equal(decode(data[0]["y"]), design.raw[:, 1])
    np.testing.assert_array_equal(decode(data[0]["z"]), design.y)
    a, b, z = decode(data[1]["x"]), decode(data[1]["y"]), decode(data[1]["z"])
    for r in range(b.size):
        for c in range(a.size):
            assert z[r, c] == pytest.approx(fit.theta @ [1.0, a[c], b[r]], rel=1e-12)
    assert (a.min(), a.max()) == (design.raw[:, 0].min(), design.raw[:, 0].max())


def test_three_features_give_predicted_against_actual(many):
    design = design_matrix(many, "y", ["a", "b", "c"])
    fit = fit_normal_equation(design)
    fig = F.data_and_fit(design, fit)
    data = payload(fig)["data"]
    points = trace_named(data, "Normal equation")
    np.testing.assert_array_equal(decode(points["x"]), design.y)
    np.testing.assert_allclose(decode(points["y"]), fit.predict(design.X), rtol=1e-12)
    diagonal = trace_named(data, "y = ŷ")
    np.testing.assert_array_equal(decode(diagonal["x"]), decode(diagonal["y"]))
    assert "predicted" in fig.layout.yaxis.title.text and "actual" in fig.layout.xaxis.title.text


def test_residuals_against_fitted(hours):
    design, fit = hours["design"], hours["fit"]
    fig = F.residuals(design, fit)
    data = payload(fig)["data"][0]
    np.testing.assert_allclose(decode(data["x"]), fit.predict(design.X), rtol=1e-12)
    np.testing.assert_allclose(decode(data["y"]), [0.1, -0.1, 0.2, -0.5, 0.3], atol=1e-12)
    zero = [s for s in fig.layout.shapes if s.y0 == 0 and s.y1 == 0]
    assert len(zero) == 1


# --------------------------------------------------------------------------- timing


def test_scaling_plot_one_line_per_method_and_n():
    df = pd.DataFrame({
        "m": [1000, 100, 1000, 100, 1000, 100, 1000, 100],
        "n": [2, 2, 2, 2, 20, 20, 20, 20],
        "method": ["normal equation"] * 2 + ["gradient descent"] * 2 + ["normal equation"] * 2
                  + ["gradient descent"] * 2,
        "seconds": [2e-3, 1e-4, 5e-2, 4e-3, 3e-3, 2e-4, 9e-2, 7e-3],
        "iterations": [0, 0, 100, 100, 0, 0, 100, 100],
    })
    fig = F.scaling_plot(df)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    data = payload(fig)["data"]
    assert len(data) == 4
    by_name = {t["name"]: t for t in data}
    ne2 = by_name["normal equation, n = 2"]
    np.testing.assert_array_equal(decode(ne2["x"]), [100, 1000])
    np.testing.assert_array_equal(decode(ne2["y"]), [1e-4, 2e-3])
    assert ne2["line"]["color"] == PALETTE["fit"] == by_name["normal equation, n = 20"]["line"]["color"]
    assert by_name["gradient descent, n = 2"]["line"]["color"] == PALETTE["iterate"]
    assert ne2["line"]["dash"] != by_name["normal equation, n = 20"]["line"]["dash"]
    with pytest.raises(ValueError, match="seconds"):
        F.scaling_plot(df.drop(columns="seconds"))


# --------------------------------------------------------------------------- every figure


def _all_figures(hours):
    h = hours
    bench = pd.DataFrame({"m": [10, 100], "n": [2, 2], "method": ["normal equation"] * 2, "seconds": [1e-5, 1e-4]})
    return {
        "data_and_fit": F.data_and_fit(h["design"], h["fit"]),
        "residuals": F.residuals(h["design"], h["fit"]),
        "cost_surface": F.cost_surface(h["grid"], h["trace"], h["fit"]),
        "cost_contour": F.cost_contour(h["grid"], h["trace"], h["fit"]),
        "cost_history": F.cost_history(h["trace"], h["fit"].cost_min),
        "scaling_plot": F.scaling_plot(bench),
    }


def test_every_figure_has_template_uirevision_height_and_small_payload(hours):
    white = plotly.io.templates["plotly_white"]
    for name, fig in _all_figures(hours).items():
        assert fig.layout.template == white, name
        assert fig.layout.uirevision is not None, name
        assert 300 <= fig.layout.height <= 800, name
        assert fig.layout.title.text, name
        assert F.figure_bytes(fig) < 200_000, name


def test_every_colour_used_is_okabe_ito(hours):
    assert {v for k, v in PALETTE.items() if k != "surface"} <= OKABE_ITO
    for name, fig in _all_figures(hours).items():
        for trace in payload(fig)["data"]:
            for part in ("line", "marker"):
                colour = trace.get(part, {}).get("color")
                if isinstance(colour, str):
                    assert colour in OKABE_ITO, (name, trace.get("name"), colour)


def test_arrays_travel_as_typed_arrays(hours):
    """No long JSON lists of numbers in the surface or contour payloads."""
    for name in ("cost_surface", "cost_contour"):
        for trace in payload(_all_figures(hours)[name])["data"]:
            for key in ("x", "y", "z", "customdata"):
                if key in trace:
                    assert isinstance(trace[key], dict) and "bdata" in trace[key], (name, trace.get("name"), key)


def test_coefficient_labels():
    assert F.coefficient_label(0, "1") == "θ₀ (intercept)"
    assert F.coefficient_label(1, "hours") == "θ₁ (hours)"
    assert F.coefficient_label(12, "x^2") == "θ₁₂ (x²)"


def test_figures_module_does_not_import_streamlit():
    code = "import sys, core.figures; sys.exit(1 if 'streamlit' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_a_path_leaving_the_grid_does_not_rescale_the_axes(hours):
    """The grid is drawn around θ̂ only; a start far away must not shrink the bowl to a dot."""
    model, design = hours["model"], hours["design"]
    grid = cost_grid(model, 0, 1, n=31)  # no points: the start is outside
    trace = gradient_descent(design, None, 0.05, 50, theta0=np.array([40.0, -30.0]))
    assert trace.thetas[0, 0] > grid.a.max()
    contour = F.cost_contour(grid, trace, hours["fit"])
    assert list(contour.layout.xaxis.range) == [grid.a.min(), grid.a.max()]
    assert list(contour.layout.yaxis.range) == [grid.b.min(), grid.b.max()]
    assert "leaves the plotted range" in trace_named(payload(contour)["data"], "gradient-descent path")["name"]
    surface = F.cost_surface(grid, trace, hours["fit"])
    assert list(surface.layout.scene.xaxis.range) == [grid.a.min(), grid.a.max()]
    assert list(surface.layout.scene.zaxis.range) == [grid.z.min(), grid.z.max()]
    # and a path inside the grid leaves the 3D axes to autorange
    inside = F.cost_surface(hours["grid"], hours["trace"], hours["fit"])
    assert inside.layout.scene.xaxis.range is None

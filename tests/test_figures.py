"""Tests of core.figures (the figures show exactly what the core results say), and of the live
chart component's browser side (ui/components/live_chart) that draws them.

Figures are checked through the JSON plotly sends to the browser
(``fig.to_json()``), where plotly 7 encodes numpy arrays as base64 typed
arrays; :func:`decode` turns those (or plain lists) back into numpy arrays.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors
import pytest

from core import figures as F
from core.cost import Optimum, cost, cost_grid, least_squares_cost
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
    optimum = Optimum(fit.theta, fit.cost_min)
    return dict(df=df, design=design, fit=fit, model=model, trace=trace, grid=grid, optimum=optimum)


@pytest.fixture(scope="module")
def many():
    """Three features: the predicted-vs-actual branch and a 4-coefficient model."""
    rng = np.random.default_rng(7)
    df = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    df["y"] = 1.0 + 2.0 * df["a"] - 0.5 * df["b"] + 0.25 * df["c"] + rng.normal(scale=0.3, size=40)
    return df


# --------------------------------------------------------------------------- the live chart's decoder

LIVE_CHART_JS = ROOT / "ui" / "components" / "live_chart" / "live_chart.js"
#: Prints live_chart.js's decode() of the figure JSON on stdin (typed arrays as {"__type", "values"}).
DECODE_CHECK = LIVE_CHART_JS.with_name("decode_check.mjs")


def js_decode(spec: dict) -> dict:
    """``decode`` of the live chart's JavaScript, run by node on a figure's JSON."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, str(DECODE_CHECK)], input=json.dumps(spec),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def _js_values(value) -> np.ndarray:
    """A decoded array as numpy: a typed array, or (2D) rows of typed arrays."""
    if isinstance(value, dict):
        return np.asarray(value["values"], dtype=np.float64)
    return np.asarray([_js_values(row) for row in value])


def test_live_chart_decodes_typed_arrays_as_the_test_helper_does(hours):
    """The browser's decoder (live_chart.js) and this file's ``decode`` read the same numbers."""
    import plotly.graph_objects as go

    z = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    fig = go.Figure(go.Surface(z=z, x=np.array([0.5, 1.5, 2.5]), y=[1, 2], customdata=np.array([3, 4], np.int32)))
    spec = payload(fig)
    assert spec["data"][0]["z"]["dtype"] == "f4" and spec["data"][0]["x"]["dtype"] == "f8"
    out = js_decode(spec)["data"][0]
    assert [row["__type"] for row in out["z"]] == ["Float32Array", "Float32Array"]
    assert out["x"]["__type"] == "Float64Array" and out["customdata"]["__type"] == "Int32Array"
    np.testing.assert_array_equal(_js_values(out["z"]), z)
    np.testing.assert_array_equal(_js_values(out["z"]), decode(spec["data"][0]["z"]))
    np.testing.assert_array_equal(_js_values(out["x"]), [0.5, 1.5, 2.5])
    np.testing.assert_array_equal(_js_values(out["customdata"]), [3, 4])
    assert out["y"] == [1, 2]  # plain lists pass through
    # A real figure: every typed array of the cost surface decodes to what Python reads.
    spec = payload(F.cost_surface(hours["grid"], [hours["trace"]], hours["optimum"]))
    for mine, theirs in zip(spec["data"], js_decode(spec)["data"]):
        for key in ("x", "y", "z", "customdata"):
            if isinstance(mine.get(key), dict):
                np.testing.assert_array_equal(_js_values(theirs[key]), decode(mine[key]), err_msg=key)


def st_static_js() -> Path:
    """Where the installed streamlit keeps the browser's JavaScript chunks."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static" / "js"


def test_live_chart_payload_carries_config_and_loader_values():
    """Values reach the JavaScript through the data, and the default config hides the logo and cloud button."""
    import plotly.graph_objects as go

    from ui.components import live_chart

    fig = go.Figure(go.Scatter(x=np.array([1.0, 2.0]), y=np.array([3.0, 4.0])))
    sent = live_chart.figure_payload(fig)
    assert sent["config"] == {"displaylogo": False, "modeBarButtonsToRemove": ["sendDataToCloud"]}
    assert sent["wait_ms"] == live_chart.PLOTLY_WAIT_MS > 0
    assert len(sent["hashes"]) == len(sent["figure"]["data"]) == 1
    # the chunk named is one Streamlit serves, and it is the one that holds plotly.js
    chunk = Path(st_static_js()) / sent["plotly_chunk"]
    assert chunk.is_file() and "sendDataToCloud" in chunk.read_text(encoding="utf-8", errors="replace")
    # a caller's config goes on top; its buttons to remove are added to the default one
    mine = live_chart.figure_payload(fig, {"displaylogo": True, "modeBarButtonsToRemove": ["lasso2d"]})
    assert mine["config"] == {"displaylogo": True, "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d"]}
    assert "toImage" not in mine["config"]["modeBarButtonsToRemove"]  # download as PNG stays
    # the JavaScript reads those values from the data, not from anything formatted into it
    js = LIVE_CHART_JS.read_text(encoding="utf-8")
    assert "d.plotly_chunk" in js and "d.wait_ms" in js and "%(" not in js


def test_no_javascript_in_python_strings():
    """The component's JavaScript and CSS live in their own files, not in Python source."""
    for path in (ROOT / "ui" / "components").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for sign in ("function ", "=> {", "document.", "Plotly.react(", ".live-plotly-msg {"):
            assert sign not in text, (path.name, sign)


# --------------------------------------------------------------------------- cost surface


def test_hours_problem_is_the_expected_one(hours):
    np.testing.assert_allclose(hours["fit"].theta, [0.7, 1.2], atol=1e-12)
    assert hours["grid"].z.shape == (hours["grid"].b.size, hours["grid"].a.size) == (61, 61)


def test_surface_is_the_grid(hours):
    grid = hours["grid"]
    data = payload(F.cost_surface(grid, [hours["trace"]], hours["optimum"]))["data"]
    surface = data[0]
    assert surface["type"] == "surface"
    assert isinstance(surface["z"], dict) and surface["z"]["dtype"] == "f4", "z must travel as a float32 typed array"
    np.testing.assert_array_equal(decode(surface["x"]), grid.a)
    np.testing.assert_array_equal(decode(surface["y"]), grid.b)
    np.testing.assert_allclose(decode(surface["z"]), grid.z, rtol=1e-6, atol=1e-7 * np.abs(grid.z).max())


def test_surface_path_is_the_trace(hours):
    grid, trace = hours["grid"], hours["trace"]
    path = trace_named(payload(F.cost_surface(grid, [trace], hours["optimum"]))["data"], "gradient-descent path")
    assert path["type"] == "scatter3d" and path["mode"] == "lines+markers"
    np.testing.assert_array_equal(decode(path["x"]), trace.thetas[:, grid.i])
    np.testing.assert_array_equal(decode(path["y"]), trace.thetas[:, grid.j])
    np.testing.assert_array_equal(decode(path["z"]), trace.costs)


def test_hours_path_points_lie_on_the_surface(hours):
    """Every drawn path point is at height J(θ) and on the drawn surface."""
    design, grid, trace, model = hours["design"], hours["grid"], hours["trace"], hours["model"]
    data = payload(F.cost_surface(grid, [trace], hours["optimum"]))["data"]
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
    data = payload(F.cost_surface(grid, [trace], hours["optimum"]))["data"]
    star = trace_named(data, "optimum θ̂")
    assert decode(star["x"])[0] == pytest.approx(0.7, abs=1e-12)
    assert decode(star["y"])[0] == pytest.approx(1.2, abs=1e-12)
    assert decode(star["z"])[0] == pytest.approx(fit.cost_min, rel=1e-12)
    assert fit.cost_min == pytest.approx(0.04, rel=1e-9)
    start = trace_named(data, "start θ⁽⁰⁾")
    assert (decode(start["x"])[0], decode(start["y"])[0]) == (-1.0, 3.0)
    assert decode(start["z"])[0] == trace.costs[0]


def test_surface_optimum_is_drawn_at_its_given_height(hours):
    """θ̂ comes as an Optimum (θ̂, J(θ̂)): the marker is at exactly that point, whatever the grid."""
    grid = hours["grid"]
    fig = F.cost_surface(grid, optimum=Optimum(np.array([0.7, 1.2]), 0.04))
    star = trace_named(payload(fig)["data"], "optimum θ̂")
    assert star["name"] == "optimum θ̂ (normal equation)"
    assert (decode(star["x"])[0], decode(star["y"])[0], decode(star["z"])[0]) == (0.7, 1.2, 0.04)
    # The model's own optimum is the same point.
    assert tuple(hours["model"].optimum.theta) == pytest.approx((0.7, 1.2), abs=1e-12)
    # θ̂ must name every coefficient, not a guessed pair.
    with pytest.raises(ValueError, match="2 values"):
        F.cost_surface(grid, optimum=Optimum(np.array([0.7, 1.2, 3.0]), 0.04))


def test_surface_axes_and_layout(hours):
    grid = hours["grid"]
    fig = F.cost_surface(grid, [hours["trace"]], hours["optimum"])
    scene = fig.layout.scene
    assert scene.xaxis.title.text == F.coefficient_label(grid.i, grid.names[0]) == "θ₀ (intercept)"
    assert scene.yaxis.title.text == F.coefficient_label(grid.j, grid.names[1]) == "θ₁ (hours)"
    assert scene.zaxis.title.text == "J(θ)"
    assert "slice" not in fig.layout.title.text
    # Seen from far enough back for the axis titles to fit a phone (tests/e2e/test_layout.py measures it),
    # and no colour bar beside the scene: the z axis is J(θ) already.
    eye = scene.camera.eye
    assert np.linalg.norm([eye.x, eye.y, eye.z]) > 3.0
    assert fig.data[0].showscale is False


def test_every_title_starts_under_the_modebar_row(hours):
    """On a phone plotly's modebar spans most of a chart's top row: titles sit under it, the margin grows to fit."""
    figures = [F.cost_surface(hours["grid"], [hours["trace"]], hours["optimum"]),
               F.cost_contour(hours["grid"], [hours["trace"]], hours["optimum"]),
               F.sum_of_squares_bars(3.0, 4.0)]
    for fig in figures:
        title = fig.layout.title
        assert (title.yref, title.y, title.yanchor, title.automargin) == ("container", 1.0, "top", True)
        assert title.pad.t >= 28  # the modebar's icons end 28 px from the top


def test_surface_payload_is_small(hours):
    grid = hours["grid"]
    fig = F.cost_surface(grid, [hours["trace"]], hours["optimum"])
    size = len(fig.to_json())
    # The 61×61 heights travel as float32, base64: 4 bytes a value, 4/3 for the encoding.
    z = payload(fig)["data"][0]["z"]
    assert len(z["bdata"]) == pytest.approx(4 * grid.z.size * 4 / 3, abs=4)
    # typed arrays, not lists: the heights as a JSON list alone are bigger than the whole figure
    as_lists = json.dumps(np.asarray(grid.z).tolist())
    assert size < len(as_lists) < 5 * size
    assert size < 80_000


def test_surface_colours_from_palette(hours):
    data = payload(F.cost_surface(hours["grid"], [hours["trace"]], hours["optimum"]))["data"]
    expected = plotly.colors.get_colorscale(PALETTE["surface"])
    assert [c.lower() for _, c in data[0]["colorscale"]] == [c.lower() for _, c in expected]
    np.testing.assert_allclose([s for s, _ in data[0]["colorscale"]], [s for s, _ in expected], atol=1e-12)
    assert trace_named(data, "gradient-descent path")["line"]["color"] == PALETTE["path"]
    assert trace_named(data, "optimum θ̂")["marker"]["color"] == PALETTE["optimum"]
    assert trace_named(data, "start θ⁽⁰⁾")["marker"]["color"] == PALETTE["start"]


def test_surface_of_a_bigger_model_is_a_slice(many):
    design = design_matrix(many, "y", ["a", "b", "c"])
    fit = fit_normal_equation(design)
    model = least_squares_cost(design)
    grid = cost_grid(model, 1, 2, n=31)
    fig = F.cost_surface(grid, optimum=Optimum(fit.theta, fit.cost_min))
    assert "slice through θ̂" in fig.layout.title.text
    assert "slice through θ̂" in F.cost_contour(grid, optimum=Optimum(fit.theta, fit.cost_min)).layout.title.text
    star = trace_named(payload(fig)["data"], "optimum θ̂")
    assert decode(star["x"])[0] == pytest.approx(fit.theta[1], rel=1e-12)
    assert decode(star["y"])[0] == pytest.approx(fit.theta[2], rel=1e-12)
    assert fig.layout.scene.xaxis.title.text == "θ₁ (a)"


def test_long_paths_are_thinned_keeping_real_points(hours):
    design, model = hours["design"], hours["model"]
    trace = gradient_descent(design, None, 0.01, 3000, theta0=np.array([-1.0, 3.0]), tol=0.0)
    assert len(trace.costs) > 1000
    grid = cost_grid(model, 0, 1, points=trace.thetas, n=41)
    path = trace_named(payload(F.cost_surface(grid, [trace], hours["optimum"], max_path_points=300))["data"],
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
    data = payload(F.cost_contour(grid, [trace], hours["optimum"]))["data"]
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
    fig = F.cost_history([trace], hours["optimum"])
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
    fig = F.cost_history([trace])
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
    fig = F.cost_history([trace], hours["optimum"])
    assert "diverged" in " ".join(a.text for a in fig.layout.annotations)
    assert payload(fig)["data"][-1]["marker"]["color"] == PALETTE["diverged"]


def test_history_floors_a_zero_gap():
    """A perfect fit reaches J = 0 = J(θ̂); the log axis still gets positive values."""
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [2.0, 3.0, 4.0]})
    design = design_matrix(df, "y", ["x"])
    fit = fit_normal_equation(design)
    trace = gradient_descent(design, None, 0.2, 4000, tol=0.0)
    y = decode(payload(F.cost_history([trace], Optimum(fit.theta, fit.cost_min)))["data"][0]["y"])
    assert np.all(np.isfinite(y)) and np.all(y > 0)
    assert y[0] > 1e3 * y.min()


# --------------------------------------------------------------------------- several runs


@pytest.fixture(scope="module")
def runs(hours):
    """Three runs from the same θ₀: two that converge and one with α above the stability limit."""
    design, model = hours["design"], hours["model"]
    start = np.array([-1.0, 3.0])
    stable = [gradient_descent(design, None, 0.05, 150, theta0=start),
              gradient_descent(design, None, 0.02, 150, theta0=start, optimizer="momentum")]
    unstable = gradient_descent(design, None, 1.2 * model.max_stable_alpha, 40, theta0=start)
    assert unstable.status == "diverged"
    grid = cost_grid(model, 0, 1, points=np.vstack([r.thetas for r in stable]), n=41)
    return dict(runs=[*stable, unstable], grid=grid)


def legend_names(data: list[dict]) -> list[str]:
    """Names of the traces that have a legend entry (scatter traces show one unless told not to)."""
    return [t["name"] for t in data if t["type"] in ("scatter", "scatter3d") and t.get("showlegend", True)]


@pytest.mark.parametrize("builder", ["cost_surface", "cost_contour"])
def test_several_runs_each_get_a_colour_and_a_legend_entry(hours, runs, builder):
    traces = runs["runs"]
    data = payload(getattr(F, builder)(runs["grid"], traces, hours["optimum"]))["data"]
    labels = [t.label for t in traces]
    assert len(set(labels)) == 3
    paths = [trace_named(data, label) for label in labels]
    colours = [p["line"]["color"] for p in paths]
    assert colours == list(F.RUN_COLOURS[:3]) and len(set(colours)) == 3
    assert set(colours) <= OKABE_ITO
    for path, run in zip(paths, traces):
        assert path["marker"]["color"] == path["line"]["color"]
        assert path["legendgroup"] == run.label
        np.testing.assert_array_equal(decode(path["x"]), run.thetas[:, 0])
        np.testing.assert_array_equal(decode(path["y"]), run.thetas[:, 1])
    # the diverging run leaves the grid and says so; the others do not
    assert [p["name"].endswith("(leaves the plotted range)") for p in paths] == [False, False, True]
    # one legend entry per run, one shared start (all runs start at θ₀ = (−1, 3)), one optimum
    names = legend_names(data)
    assert len(names) == len(set(names)) == 5
    assert sorted(names) == sorted([p["name"] for p in paths] + ["start θ⁽⁰⁾", "optimum θ̂ (normal equation)"])
    start = trace_named(data, "start θ⁽⁰⁾")
    assert start["marker"]["color"] == PALETTE["start"]
    assert (decode(start["x"])[0], decode(start["y"])[0]) == (-1.0, 3.0)
    assert not any(str(t.get("name", "")).startswith("gradient-descent path") for t in data)


def test_runs_from_different_starts_mark_each_start_in_its_colour(hours):
    design, model = hours["design"], hours["model"]
    starts = [np.array([-1.0, 3.0]), np.array([2.0, 0.0])]
    traces = [gradient_descent(design, None, 0.05, 100, theta0=s) for s in starts]
    grid = cost_grid(model, 0, 1, points=starts, n=31)
    for builder in (F.cost_surface, F.cost_contour):
        data = payload(builder(grid, traces, hours["optimum"]))["data"]
        names = legend_names(data)
        # same optimizer and α: the labels are numbered so the legend tells the runs apart
        assert names[:2] == [f"{traces[0].label} (run 1)", f"{traces[1].label} (run 2)"]
        assert len(names) == len(set(names)) == 3
        for k, (run, s) in enumerate(zip(traces, starts)):
            path = trace_named(data, names[k])
            marker = trace_named(data, f"start θ⁽⁰⁾ of {names[k]}")
            assert marker["showlegend"] is False and marker["legendgroup"] == path["legendgroup"]
            assert marker["marker"]["color"] == path["line"]["color"]
            assert (decode(marker["x"])[0], decode(marker["y"])[0]) == tuple(s)
            if builder is F.cost_surface:
                assert decode(marker["z"])[0] == run.costs[0]


def test_more_runs_than_colours_still_differ_by_dash(hours):
    design, model = hours["design"], hours["model"]
    traces = [gradient_descent(design, None, a, 20, theta0=np.array([-1.0, 3.0]))
              for a in np.linspace(0.01, 0.1, 10)]
    data = payload(F.cost_contour(hours["grid"], traces, hours["optimum"]))["data"]
    paths = [trace_named(data, t.label) for t in traces]
    looks = [(p["line"]["color"], p["line"].get("dash", "solid")) for p in paths]
    assert len(set(looks)) == 10
    assert {c for c, _ in looks} == set(F.RUN_COLOURS) <= OKABE_ITO


def test_history_of_several_runs(hours, runs):
    traces, optimum = runs["runs"], hours["optimum"]
    fig = F.cost_history(traces, optimum)
    assert fig.layout.yaxis.type == "log" and fig.layout.showlegend is True
    data = payload(fig)["data"]
    assert legend_names(data) == [t.label for t in traces]
    lines = [next(d for d in data if d["name"] == t.label) for t in traces]
    assert [ln["line"]["color"] for ln in lines] == list(F.RUN_COLOURS[:3])
    for line, run in zip(lines, traces):
        y = decode(line["y"])
        gap = run.costs - optimum.cost
        big = gap > 1e-12
        np.testing.assert_allclose(y[big], gap[big], rtol=1e-12)
        np.testing.assert_array_equal(decode(line["x"]), np.arange(len(run.costs)))
        end = trace_named(data, f"{run.label}: ")
        assert end["showlegend"] is False and end["legendgroup"] == line["legendgroup"]
        assert end["marker"]["color"] == line["line"]["color"]
        assert decode(end["x"])[0] == len(run.costs) - 1
    symbols = {run.status: trace_named(data, f"{run.label}: ")["marker"]["symbol"] for run in traces}
    assert symbols["diverged"] != symbols[traces[0].status]
    text = " ".join(a.text for a in fig.layout.annotations)
    assert "1 diverged" in text and "(3 runs)" in text


def test_figures_take_a_list_of_runs_not_one_run(hours):
    for call in (lambda: F.cost_surface(hours["grid"], hours["trace"], hours["optimum"]),
                 lambda: F.cost_contour(hours["grid"], hours["trace"]),
                 lambda: F.cost_history(hours["trace"])):
        with pytest.raises(TypeError, match=r"list of traces"):
            call()


def test_no_runs_draw_the_cost_and_the_optimum_alone(hours):
    for builder in (F.cost_surface, F.cost_contour):
        data = payload(builder(hours["grid"], [], hours["optimum"]))["data"]
        assert len(data) == 2 and legend_names(data) == ["optimum θ̂ (normal equation)"]
    fig = F.cost_history([])
    assert payload(fig)["data"] == [] and "No runs" in fig.layout.annotations[0].text


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
        "cost_surface": F.cost_surface(h["grid"], [h["trace"]], h["optimum"]),
        "cost_contour": F.cost_contour(h["grid"], [h["trace"]], h["optimum"]),
        "cost_history": F.cost_history([h["trace"]], h["optimum"]),
        "scaling_plot": F.scaling_plot(bench),
    }


def test_every_figure_has_template_uirevision_height_and_small_payload(hours):
    white = plotly.io.templates["plotly_white"]
    for name, fig in _all_figures(hours).items():
        assert fig.layout.template == white, name
        assert fig.layout.uirevision is not None, name
        assert 300 <= fig.layout.height <= 800, name
        assert fig.layout.title.text, name
        assert len(fig.to_json()) < 200_000, name


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


def test_figures_package_does_not_import_streamlit():
    """Every module of core.figures imports without streamlit (core never depends on the UI)."""
    modules = sorted(p.stem for p in (ROOT / "core" / "figures").glob("*.py") if p.stem != "__init__")
    assert {"style", "data_space", "cost_space", "history", "timing"} <= set(modules)
    code = ("import importlib, sys\n"
            f"for name in {modules!r}: importlib.import_module('core.figures.' + name)\n"
            "sys.exit(1 if 'streamlit' in sys.modules else 0)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
    # and the check can fail: the same child does see streamlit once it is imported
    code = code.replace("sys.exit", "import streamlit; sys.exit")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 1


def test_a_path_leaving_the_grid_does_not_rescale_the_axes(hours):
    """The grid is drawn around θ̂ only; a start far away must not shrink the bowl to a dot."""
    model, design = hours["model"], hours["design"]
    grid = cost_grid(model, 0, 1, n=31)  # no points: the start is outside
    trace = gradient_descent(design, None, 0.05, 50, theta0=np.array([40.0, -30.0]))
    assert trace.thetas[0, 0] > grid.a.max()
    contour = F.cost_contour(grid, [trace], hours["optimum"])
    assert list(contour.layout.xaxis.range) == [grid.a.min(), grid.a.max()]
    assert list(contour.layout.yaxis.range) == [grid.b.min(), grid.b.max()]
    assert "leaves the plotted range" in trace_named(payload(contour)["data"], "gradient-descent path")["name"]
    surface = F.cost_surface(grid, [trace], hours["optimum"])
    assert list(surface.layout.scene.xaxis.range) == [grid.a.min(), grid.a.max()]
    assert list(surface.layout.scene.zaxis.range) == [grid.z.min(), grid.z.max()]
    # and a path inside the grid leaves the 3D axes to autorange
    inside = F.cost_surface(hours["grid"], [hours["trace"]], hours["optimum"])
    assert inside.layout.scene.xaxis.range is None

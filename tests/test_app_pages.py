"""The Streamlit app, page by page, with streamlit.testing.v1.AppTest (no browser).

Each test starts a fresh session (the hours example on first load), drives the
widgets by key, and reads what the page shows: text, LaTeX, tables, and the
plotly figures' JSON (plotly 7 sends arrays as base64 typed arrays).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.cost import cost
from core.data import example

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = {
    "views/data.py": "Data",
    "views/normal_equation.py": "Normal equation",
    "views/gradient_descent.py": "Gradient descent",
    "views/compare.py": "Compare",
}
HOURS = example("hours")


# ------------------------------------------------------------------------------ helpers


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sidebar_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def all_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [x.value for x in at.latex]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for kind in ("error", "warning", "success", "info"):
        parts += [e.value for e in getattr(at, kind)]
    parts += [d.value.to_string() for d in at.dataframe]
    return "\n".join(parts)


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as a dict) the browser is sent for the chart with this key.

    Either ``st.plotly_chart(..., key=key)`` (the figure is the element's ``spec``) or
    ``ui.components.live_chart.live_plotly_chart(..., key=key)``, a bidi component whose JSON
    data holds ``{"figure": {"data", "layout"}, "hashes", "config"}``.
    """
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    if found:
        return json.loads(found[0].proto.spec)
    live = [c for c in at.get("bidi_component") if c.proto.id.endswith(f"-{key}")]
    ids = [c.proto.id for c in at.get("plotly_chart")] + [c.proto.id for c in at.get("bidi_component")]
    assert live, f"no plotly chart with key {key!r}: {ids}"
    proto = live[0].proto
    kind = proto.WhichOneof("data")
    payload = json.loads(proto.json if kind == "json" else proto.mixed.json)
    figure = payload["figure"]
    # One content hash per trace, which the browser uses to reuse an unchanged trace.
    assert len(payload["hashes"]) == len(figure["data"])
    return figure


def live_chart_id(at: AppTest, key: str) -> str:
    """The element id of the live chart with this key (its identity across reruns)."""
    found = [c.proto.id for c in at.get("bidi_component") if c.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, found
    return found[0]


def decode(value) -> np.ndarray:
    """A plotly 7 typed array ({"dtype", "bdata", "shape"}) or a plain list, as numpy."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape is not None:
            dims = [int(s) for s in str(shape).split(",")] if isinstance(shape, str) else list(shape)
            arr = arr.reshape(dims)
        return arr.astype(np.float64)
    return np.asarray(value, dtype=np.float64)


def trace_named(fig: dict, prefix: str) -> dict:
    found = [t for t in fig["data"] if str(t.get("name", "")).startswith(prefix)]
    assert found, f"no trace named {prefix!r}: {[t.get('name') for t in fig['data']]}"
    return found[0]


def bilinear(a: np.ndarray, b: np.ndarray, z: np.ndarray, x: float, y: float) -> float:
    """z[r, c] is the value at (a[c], b[r]); interpolate at (x, y) inside the grid."""
    c = int(np.clip(np.searchsorted(a, x) - 1, 0, len(a) - 2))
    r = int(np.clip(np.searchsorted(b, y) - 1, 0, len(b) - 2))
    tx = (x - a[c]) / (a[c + 1] - a[c])
    ty = (y - b[r]) / (b[r + 1] - b[r])
    return float((1 - tx) * (1 - ty) * z[r, c] + tx * (1 - ty) * z[r, c + 1]
                 + (1 - tx) * ty * z[r + 1, c] + tx * ty * z[r + 1, c + 1])


def hours_xy() -> tuple[np.ndarray, np.ndarray]:
    x = HOURS.frame["hours"].to_numpy(dtype=float)
    return np.column_stack([np.ones_like(x), x]), HOURS.frame["score"].to_numpy(dtype=float)


# ------------------------------------------------------------------------------ rendering


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_without_exception(page):
    at = start()
    goto(at, page)
    assert PAGES[page].lower() in at.title[0].value.lower()
    assert not at.error, [e.value for e in at.error]
    # The shared sidebar is drawn on every page, not only on the first run.
    assert "Current data" in sidebar_text(at)


def test_first_load_opens_on_the_hours_example():
    at = start()
    text = sidebar_text(at)
    assert "Hours studied" in text
    assert "5 rows" in text and "`score`" in text and "`hours`" in text
    assert "0.7 + 1.2·hours" in text and "R²" in text


def test_switching_pages_keeps_the_dataset():
    at = start()
    at.button(key="example_iris").click().run()
    assert not at.exception
    name = at.session_state["dataset"].name
    assert "Iris" in name
    for page in ["views/normal_equation.py", "views/gradient_descent.py", "views/compare.py", "views/data.py"]:
        goto(at, page)
        assert at.session_state["dataset"].name == name
        assert "150 rows" in sidebar_text(at)
    # And the Data page's column widgets still show iris's choices.
    assert at.selectbox(key="target").value == at.session_state["dataset"].target


# ------------------------------------------------------------------------------ data page


def test_examples_are_one_click_away_and_labelled():
    at = start()
    labels = [b.label for b in at.button]
    for label in ["Hours studied", "Three points", "Tips", "Iris", "Gapminder", "Synthetic"]:
        assert label in labels
    at.button(key="example_three_points").click().run()
    assert "3 rows" in sidebar_text(at)
    at.button(key="example_hours").click().run()
    assert "5 rows" in sidebar_text(at)


def test_broken_upload_shows_an_error_and_keeps_the_previous_dataset():
    at = start()
    at.button(key="example_tips").click().run()
    before = at.session_state["dataset"]
    at.file_uploader(key="upload").set_value(("broken.csv", b"\x00\x01\x02\xff\xfe garbage \x00", "text/csv"))
    at.run()
    assert not at.exception
    assert at.error, "a broken upload must show st.error"
    assert "broken.csv" in at.error[0].value and "previous data" in at.error[0].value
    after = at.session_state["dataset"]
    assert after.content == before.content and after.name == before.name
    assert "244 rows" in sidebar_text(at)
    # The other pages still work on the kept data.
    goto(at, "views/normal_equation.py")
    assert "total_bill" in all_text(at)


def test_session_load_csv_with_garbage_keeps_the_dataset():
    """The function the uploader's handler calls, called directly with garbage bytes."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from ui import session

before = session.start_run()
message = session.load_csv(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00garbage", "picture.csv")
st.text(f"message={{message}}")
st.text(f"kept={{session.current() is before}}")
st.text(f"error={{session.error()}}")
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = [t.value for t in at.text]
    assert "kept=True" in texts
    assert any(t.startswith("message=picture.csv") for t in texts)
    assert any(t.startswith("error=picture.csv") for t in texts)


def test_a_good_upload_replaces_the_dataset():
    at = start()
    csv = b"temperature,sales\n10,100\n15,130\n20,170\n25,210\n30,240\n"
    at.file_uploader(key="upload").set_value(("ice.csv", csv, "text/csv")).run()
    assert not at.exception and not at.error
    ds = at.session_state["dataset"]
    assert ds.name == "ice.csv" and ds.target == "sales" and ds.features == ("temperature",)
    assert "5 rows" in sidebar_text(at) and "temperature" in sidebar_text(at)


def test_synthetic_generator_produces_the_requested_n():
    at = start()
    at.number_input(key="syn_n").set_value(123)
    at.number_input(key="syn_slope").set_value(-3.0)
    at.button(key="syn_generate").click().run()
    assert not at.exception
    ds = at.session_state["dataset"]
    assert len(ds.frame) == 123 and ds.source == "synthetic"
    assert "123 rows" in sidebar_text(at)


def test_choosing_features_refits_everywhere():
    at = start()
    at.button(key="example_tips").click().run()
    at.multiselect(key="features").set_value(["total_bill", "size"]).run()
    assert not at.exception
    assert at.session_state["dataset"].features == ("total_bill", "size")
    assert "size" in sidebar_text(at).split("R²")[0]
    goto(at, "views/gradient_descent.py")
    # Three coefficients: the slice selectboxes appear.
    assert at.selectbox(key="coef_i").value == 0 and at.selectbox(key="coef_j").value == 1
    at.selectbox(key="coef_j").set_value(2).run()
    assert not at.exception
    assert "θ₂" in chart(at, "contour")["layout"]["yaxis"]["title"]["text"]


def test_non_numeric_columns_are_reported_not_offered():
    at = start()
    at.button(key="example_gapminder").click().run()
    options = at.selectbox(key="target").options + at.multiselect(key="features").options
    assert "country" not in options and "continent" not in options and "pop" in options
    assert any("Not offered" in m.value and "country" in m.value and "continent" in m.value
               for m in at.caption)


# ------------------------------------------------------------------------------ normal equation


def test_hours_normal_equation_shows_theta():
    at = start()
    at.button(key="example_hours").click().run()
    goto(at, "views/normal_equation.py")
    table = at.dataframe[0].value
    assert list(table["θ"]) == ["0.7", "1.2"]
    latex = "\n".join(x.value for x in at.latex)
    assert r"\begin{bmatrix}0.7 \\ 1.2\end{bmatrix}" in latex  # θ, written as a person would
    assert r"X^\top X = \begin{bmatrix}5 & 15 \\ 15 & 55\end{bmatrix}" in latex
    assert r"= 50" in latex  # det(XᵀX), not 49.99999999999997
    assert "Digits of agreement" in [m.label for m in at.metric]


def test_tutorial_slips_make_the_checker_point_at_det():
    at = start()
    goto(at, "views/normal_equation.py")
    at.button(key="load_slips").click().run()
    assert not at.exception
    steps = at.dataframe[-1].value
    det_row = steps[steps["step"] == "det(XᵀX)"].iloc[0]
    assert det_row["right?"] == "no" and "should be 50" in det_row["what the checker says"]
    assert at.error, "the slips must be reported as wrong"
    # Fix the Xᵀy slip (77.5 → 76.5): the first wrong step is now the determinant.
    at.number_input(key="chk2_Xty_1").set_value(76.5)
    at.button(key="check_working").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("First wrong step: det(XᵀX)")
    assert "should be 50" in at.error[0].value


# ------------------------------------------------------------------------------ gradient descent


def _path(fig: dict) -> np.ndarray:
    t = trace_named(fig, "gradient-descent path")
    return np.column_stack([decode(t["x"]), decode(t["y"]), decode(t["z"])])


def test_gd_surface_path_lies_on_the_drawn_surface():
    at = start()
    goto(at, "views/gradient_descent.py")
    fig = chart(at, "surface")
    surface = [t for t in fig["data"] if t["type"] == "surface"][0]
    a, b, z = decode(surface["x"]), decode(surface["y"]), decode(surface["z"])
    assert z.shape == (len(b), len(a))
    X, y = hours_xy()
    H = X.T @ X / len(y)
    # Bilinear interpolation of a quadratic is off by at most (hx²·Jxx + hy²·Jyy)/8.
    interp_err = ((a[1] - a[0]) ** 2 * H[0, 0] + (b[1] - b[0]) ** 2 * H[1, 1]) / 8
    path = _path(fig)
    assert len(path) > 10
    for t0, t1, zp in path:
        truth = cost(X, y, np.array([t0, t1]))
        assert zp == pytest.approx(truth, rel=1e-9, abs=1e-12)  # z is J(θ) at that θ
        assert a[0] <= t0 <= a[-1] and b[0] <= t1 <= b[-1], "path point outside the drawn surface"
        drawn = bilinear(a, b, z, t0, t1)
        assert abs(drawn - zp) <= interp_err + 1e-6 * max(abs(zp), 1.0)  # float32 heights
    optimum = trace_named(fig, "optimum")
    assert decode(optimum["x"])[0] == pytest.approx(0.7) and decode(optimum["y"])[0] == pytest.approx(1.2)
    assert decode(optimum["z"])[0] == pytest.approx(cost(X, y, np.array([0.7, 1.2])), rel=1e-9)
    # The path starts at θ₀ = 0 and ends near the optimum.
    assert path[0, :2] == pytest.approx([0.0, 0.0])
    assert np.hypot(*(path[-1, :2] - [0.7, 1.2])) < 1e-2
    # The contour plot draws the same path.
    contour_path = trace_named(chart(at, "contour"), "gradient-descent path")
    assert decode(contour_path["x"]) == pytest.approx(path[:, 0])


def _assert_path_on_surface(fig: dict) -> np.ndarray:
    """Every drawn path point has z = J(θ), lies inside the surface's grid and on it (bilinear)."""
    surface = [t for t in fig["data"] if t["type"] == "surface"][0]
    a, b, z = decode(surface["x"]), decode(surface["y"]), decode(surface["z"])
    X, y = hours_xy()
    H = X.T @ X / len(y)
    interp_err = ((a[1] - a[0]) ** 2 * H[0, 0] + (b[1] - b[0]) ** 2 * H[1, 1]) / 8
    path = _path(fig)
    for t0, t1, zp in path:
        assert zp == pytest.approx(cost(X, y, np.array([t0, t1])), rel=1e-9, abs=1e-12)
        assert a[0] <= t0 <= a[-1] and b[0] <= t1 <= b[-1], "path point outside the drawn surface"
        assert abs(bilinear(a, b, z, t0, t1) - zp) <= interp_err + 1e-6 * max(abs(zp), 1.0)
    return path


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adam"])
@pytest.mark.parametrize("theta_start", [(0.0, 0.0), (-3.0, 4.0)])
def test_every_optimizer_path_lies_on_the_drawn_surface(optimizer, theta_start):
    """The surface grid does not depend on α; a path that would leave it (momentum overshoots) widens it."""
    at = start()
    goto(at, "views/gradient_descent.py")
    at.selectbox(key="optimizer").set_value(optimizer).run()
    at.number_input(key="theta0_0").set_value(theta_start[0]).run()
    at.number_input(key="theta0_1").set_value(theta_start[1]).run()
    assert not at.exception
    path = _assert_path_on_surface(chart(at, "surface"))
    assert path[0, :2] == pytest.approx(list(theta_start))


def test_moving_the_alpha_slider_changes_the_path():
    at = start()
    goto(at, "views/gradient_descent.py")
    slider = at.select_slider(key="alpha")
    assert slider.label == "Learning rate α"
    before = _path(chart(at, "surface"))
    live = ("surface", "contour", "history", "fit_at_step")
    ids = {k: live_chart_id(at, k) for k in live}
    surface_before = [t for t in chart(at, "surface")["data"] if t["type"] == "surface"][0]
    alpha = float(slider.value)
    options = [float(o.split()[0]) for o in slider.options]  # labels may carry a mark: "0.2 ≈ α* fastest"
    smaller = max(o for o in options if o < alpha)
    at.select_slider(key="alpha").set_value(smaller).run()
    assert not at.exception
    after = _path(chart(at, "surface"))
    # Every chart on the page keeps its identity (updated in place in the browser, not remounted), and for a
    # stable α the surface itself does not depend on α: the same grid and heights are sent.
    assert {k: live_chart_id(at, k) for k in live} == ids
    surface_after = [t for t in chart(at, "surface")["data"] if t["type"] == "surface"][0]
    assert surface_after == surface_before
    assert at.select_slider(key="alpha").value == smaller
    assert before.shape != after.shape or not np.allclose(before, after)
    assert after[1, :2] == pytest.approx(smaller / alpha * before[1, :2])  # first step ∝ α


def test_alpha_above_the_stability_limit_diverges_and_says_so():
    at = start()
    goto(at, "views/gradient_descent.py")
    largest = max(float(o.split()[0]) for o in at.select_slider(key="alpha").options)
    at.select_slider(key="alpha").set_value(largest).run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("Diverged")
    assert any("above" in c.value for c in at.caption)
    # The surface is widened to the diverging path (it leaves the α-independent grid), so every
    # drawn point still lies on the drawn surface.
    _assert_path_on_surface(chart(at, "surface"))


def test_gd_controls_survive_a_page_switch():
    at = start()
    goto(at, "views/gradient_descent.py")
    at.number_input(key="iterations").set_value(50).run()
    goto(at, "views/data.py")
    goto(at, "views/gradient_descent.py")
    assert at.number_input(key="iterations").value == 50


def test_step_scrubber_moves_the_line():
    at = start()
    goto(at, "views/gradient_descent.py")
    last = at.slider(key="step").value
    assert last > 0
    chart_id = live_chart_id(at, "fit_at_step")
    at.slider(key="step").set_value(1).run()
    assert not at.exception
    assert live_chart_id(at, "fit_at_step") == chart_id  # updated in place, not remounted
    fig = chart(at, "fit_at_step")
    line = trace_named(fig, "Gradient descent, step 1")
    ys = decode(line["y"])
    path = _path(chart(at, "surface"))
    xs = decode(line["x"])
    theta1 = path[1, :2]
    assert ys == pytest.approx(theta1[0] + theta1[1] * xs)


# ------------------------------------------------------------------------------ compare


def test_compare_page_reports_both_methods_and_measures_scaling():
    at = start()
    goto(at, "views/compare.py")
    table = at.dataframe[0].value
    assert table["normal equation"].astype(float).tolist() == pytest.approx([0.7, 1.2])
    assert table["gradient descent"].astype(float).tolist() == pytest.approx([0.7, 1.2], abs=1e-3)
    labels = [m.label for m in at.metric]
    assert "Digits of agreement" in labels and "Gradient-descent steps" in labels
    at.select_slider(key="bench_budget").set_value(1).run()
    at.button(key="run_benchmark").click().run(timeout=60)
    assert not at.exception
    fig = chart(at, "scaling")
    assert {t["name"].split(",")[0] for t in fig["data"]} == {"normal equation", "gradient descent"}
    assert any("This run timed" in m.value for m in at.markdown)


def test_compare_page_standardises_like_the_gradient_descent_page():
    """Columns on very different scales: standardised by default (as on the GD page), and the toggle
    changes how descent runs; following the GD page's α also follows its scaling."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["example"] = "tips"
    at.run()
    goto(at, "views/compare.py")
    assert at.toggle(key="cmp_standardise").value is True
    scaled = [s.value for s in at.success]
    assert scaled and "standardised features" in scaled[0]
    steps_scaled = int(at.metric[1].value.replace(",", ""))
    at.toggle(key="cmp_standardise").set_value(False).run()
    assert not any("standardised" in s.value for s in at.success)
    assert int(at.metric[1].value.replace(",", "")) > steps_scaled
    table = at.dataframe[0].value  # θ compared in original units either way
    assert table["gradient descent"].astype(float).tolist() == pytest.approx(
        table["normal equation"].astype(float).tolist(), rel=1e-3)
    goto(at, "views/gradient_descent.py")
    at.toggle(key="standardise").set_value(True).run()
    goto(at, "views/compare.py")
    at.toggle(key="cmp_page_alpha").set_value(True).run()
    assert not at.exception
    assert any("standardised features" in s.value for s in at.success)
    assert any("as on the Gradient descent page" in m.value for m in at.markdown)


# ------------------------------------------------------------------------------ awkward data


def _intercept_only(at):
    at.multiselect(key="features").set_value([]).run()


def _degree_12_on_five_rows(at):
    at.number_input(key="degree").set_value(12).run()


def _exact_quadratic_through_three_points(at):
    at.button(key="example_three_points").click().run()
    at.number_input(key="degree").set_value(2).run()


def _constant_feature(at):
    at.file_uploader(key="upload").set_value(("flat.csv", b"x,y\n1,1\n1,2\n1,3\n", "text/csv")).run()


def _larger_data(at):
    at.button(key="example_gapminder").click().run()


@pytest.mark.parametrize("setup", [_intercept_only, _degree_12_on_five_rows, _exact_quadratic_through_three_points,
                                   _constant_feature, _larger_data])
def test_awkward_data_renders_every_page_without_a_traceback(setup):
    at = start()
    setup(at)
    assert not at.exception and not at.error, [e.value for e in at.error]
    version = at.session_state["dataset"].version
    for page in PAGES:
        goto(at, page)
        assert at.session_state["dataset"].version == version
    if setup is _degree_12_on_five_rows:
        goto(at, "views/normal_equation.py")
        assert "rank" in all_text(at).lower() and at.warning  # rank deficiency is explained, not hidden


def test_text_only_upload_is_refused_with_a_reason():
    at = start()
    at.file_uploader(key="upload").set_value(("words.csv", b"a,b\nx,y\nz,w\n", "text/csv")).run()
    assert not at.exception
    assert at.error and "words.csv" in at.error[0].value and "numeric" in at.error[0].value.lower()
    assert at.session_state["dataset"].source == "example:hours"


def test_the_alpha_slider_marks_the_fastest_rate_and_the_stability_limit():
    """Hours example: XᵀX/m = [[1, 3], [3, 11]], λ = 6 ± √34, so 2/λmax = 0.169 and α* = 2/12 = 0.167;
    both are nearest (on a log scale) to the offered 0.2."""
    at = start()
    goto(at, "views/gradient_descent.py")
    marked = [o for o in at.select_slider(key="alpha").options if "≈" in o]
    assert marked == ["0.2 ≈ α* fastest ≈ 2/λmax limit"]

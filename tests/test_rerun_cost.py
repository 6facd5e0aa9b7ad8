"""After the one statistics pass, nothing a slider on the Gradient descent page triggers touches the rows.

The page is run with ``streamlit.testing.v1.AppTest`` on a dataset of
``M`` rows (one feature: the fitted-line chart and the point editor's check;
four features: the predicted-against-actual chart). After the first visit
(which builds the design, the fit and the plot sample once), each control is
moved and the rerun is watched by a profiler hook in the script's thread: it
records every Python-level call that receives an array, Series, Index or
DataFrame with at least ``M`` rows, with the app line that made it. A rerun
must record none, apart from calls that are O(1) whatever the size
(``__len__``, and the ``ui.cache`` functions, which take the data only to
compute on a miss: a miss would show up as the core calls it makes).

This is deterministic (no timing): any per-row work on a rerun, such as a
chart built from all the rows, a frame converted to an array, a key hashed
from the rows or a sample drawn again, names itself in the failure message.

Row-based optimizers (stochastic and mini-batch descent) are exempt: their
steps legitimately read batches of rows, so only full-batch rules are moved
here.
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import data as cdata
from ui.session import Dataset

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
M = 200_000
#: Calls with the full arrays that cost O(1): a length, and the cache's look-ups (see the docstring).
O1_CALLS = {"__len__"}
O1_FILES = (str(ROOT / "ui" / "cache.py"),)
ARRAYS = (np.ndarray, pd.Series, pd.DataFrame, pd.Index)


def _dataset(features: int) -> Dataset:
    rng = np.random.default_rng(1)
    X = rng.uniform(0.0, 10.0, size=(M, 4))
    y = X @ np.array([0.5, -0.3, 0.2, 0.9]) + rng.normal(0.0, 1.0, M)
    frame = pd.DataFrame(np.column_stack([X, y]), columns=["x1", "x2", "x3", "x4", "y"])
    return Dataset(frame=frame, name="big.csv", target="y", features=("x1", "x2", "x3", "x4")[:features],
                   degree=1, content=cdata.content_key(frame), source="upload")


def _page(features: int) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.session_state["dataset"] = _dataset(features)
    at.switch_page("views/gradient_descent.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "200,000 rows" in "\n".join(m.value for m in at.sidebar.markdown)
    return at


def _full(value) -> bool:
    if not isinstance(value, ARRAYS):
        return False
    try:  # an object still being built (``self`` in its ``__init__``) may not know its length yet
        return value.shape[0] >= M if isinstance(value, np.ndarray) else len(value) >= M
    except Exception:  # noqa: BLE001  (anything a half-built pandas object raises)
        return False


def _row_calls(at: AppTest) -> list[str]:
    """Run ``at`` once; every call that received the full rows, as "callee <- app line <- app line"."""
    found: list[str] = []

    def watch(frame, event, arg):
        if event != "call" or frame.f_code.co_name in O1_CALLS or frame.f_code.co_filename in O1_FILES:
            return
        code = frame.f_code
        names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        if code.co_name in ("__init__", "__new__"):
            names = names[1:]  # the object being made
        local = frame.f_locals
        if not any(_full(local.get(n)) for n in names):
            return
        chain, f = [], frame.f_back
        while f is not None and len(chain) < 3:
            if f.f_code.co_filename.startswith(str(ROOT)) and "site-packages" not in f.f_code.co_filename:
                chain.append(f"{Path(f.f_code.co_filename).relative_to(ROOT)}:{f.f_lineno}")
            f = f.f_back
        found.append(f"{code.co_name} ({Path(code.co_filename).name}) <- " + " <- ".join(chain))

    def start(*_):
        threading.setprofile(None)
        sys.setprofile(watch)

    threading.setprofile(start)  # the script runs in a new thread on every run
    try:
        at.run()
    finally:
        threading.setprofile(None)
    assert not at.exception, [e.value for e in at.exception]
    return found


def _next_alpha(at: AppTest):
    slider = at.select_slider(key="alpha")
    options = [float(str(o).split()[0]) for o in slider.options]
    k = options.index(float(slider.value))
    return slider.set_value(options[k - 1] if k > 0 else options[k + 1])


CHANGES = {
    "learning rate α": _next_alpha,
    "most iterations": lambda at: at.number_input(key="iterations").set_value(400),
    "start θ₀": lambda at: at.number_input(key="theta0_0").set_value(1.5),
    "step scrubber": lambda at: at.slider(key="step").set_value(3),
    "stopping tolerance": lambda at: at.select_slider(key="tol").set_value(1e-4),
    "optimizer (momentum)": lambda at: at.selectbox(key="optimizer").set_value("momentum"),
    "three optimizers overlaid": lambda at: at.multiselect(key="overlay").set_value(["gd", "nesterov", "adam"]),
    "α with overlays": _next_alpha,
    "instant lab opened": lambda at: at.toggle(key="lab_open").set_value(True),
    "α with the lab open": _next_alpha,
    "a rerun with nothing changed": lambda at: at,
}


@pytest.mark.parametrize("features", [1, 4], ids=["fitted line", "predicted vs actual"])
def test_no_control_on_the_gradient_descent_page_touches_the_rows_after_the_first_visit(features):
    at = _page(features)
    touched = {}
    for what, change in CHANGES.items():
        change(at)
        calls = _row_calls(at)
        if calls:
            touched[what] = sorted(set(calls))[:8]
    assert not touched, f"reruns that did O(m) work on {M:,} rows: {touched}"


def test_the_watch_sees_per_row_work():
    """The check can fail: new rows (a new dataset) are read by the statistics pass, and the watch says so."""
    at = _page(4)
    fresh = _dataset(4)
    frame = fresh.frame.assign(y=fresh.frame["y"] + 1.0)
    at.session_state["dataset"] = Dataset(frame=frame, name="big2.csv", target="y", features=fresh.features,
                                          degree=1, content=cdata.content_key(frame), source="upload")
    calls = _row_calls(at)
    assert any(c.startswith("design_matrix") for c in calls), calls[:10]


def _live_payload(at: AppTest, key: str) -> dict:
    found = [c for c in at.get("bidi_component") if c.proto.id.endswith(f"-{key}")]
    assert found, f"no live chart {key!r}"
    proto = found[0].proto
    return json.loads(proto.json if proto.WhichOneof("data") == "json" else proto.mixed.json)


@pytest.mark.parametrize("features", [1, 4], ids=["fitted line", "predicted vs actual"])
def test_an_alpha_change_leaves_the_sampled_points_of_the_fitted_line_chart_as_they_were(features):
    """The browser's cost: the chart's traces (thousands of sampled points) keep their hashes, so the
    live chart hands Plotly the same objects and only the iterate (a layout shape) is redrawn."""
    at = _page(features)
    before = _live_payload(at, "fit_at_step")
    _next_alpha(at).run()
    at.slider(key="step").set_value(2).run()
    assert not at.exception
    after = _live_payload(at, "fit_at_step")
    assert after["hashes"] == before["hashes"]
    points = sum(len(t.get("x", {}).get("bdata", "")) for t in after["figure"]["data"])
    assert points > 5_000  # the sample of the rows is drawn (base64 of a thousand values)
    shapes = [s for s in after["figure"]["layout"].get("shapes", []) if s.get("name", "").startswith("Gradient")]
    assert [s["name"] for s in shapes] == ["Gradient descent, step 2"]
    assert shapes[0]["path"] != [s for s in before["figure"]["layout"]["shapes"]
                                 if s.get("name", "").startswith("Gradient")][0]["path"]


def test_the_iterate_drawn_as_a_shape_follows_theta_and_leaves_the_traces_alone():
    """core.figures.data_and_fit(iterate="shape"): the traces do not depend on θ; the shape does, exactly."""
    from core import figures
    from core.design import design_matrix
    from core.solve import fit_normal_equation

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"x": rng.uniform(0, 10, 2000), "z": rng.uniform(0, 5, 2000)})
    frame["y"] = 1.0 + 2.0 * frame["x"] - frame["z"] + rng.normal(0, 0.5, 2000)
    for features in (["x"], ["x", "z"]):
        design = design_matrix(frame, "y", features, 1 if len(features) == 1 else 2)
        fit = fit_normal_equation(design)
        figs = [figures.data_and_fit(design, fit, theta=np.asarray(fit.theta) * s, iterate="shape",
                                     theta_label=f"step {k}") for k, s in enumerate((0.5, 0.9))]
        assert json.loads(figs[0].to_json())["data"] == json.loads(figs[1].to_json())["data"]
        shapes = [f.layout.shapes[-1] for f in figs]
        assert [s.name for s in shapes] == ["step 0", "step 1"] and shapes[0].path != shapes[1].path
    # One feature: the path runs along θ's line.
    design = design_matrix(frame, "y", ["x"], 1)
    theta = np.array([0.5, 1.5])
    path = figures.data_and_fit(design, fit_normal_equation(design), theta=theta, iterate="shape").layout.shapes[-1].path
    points = np.array([[float(v) for v in p.split(",")] for p in path.lstrip("M").split("L")])
    np.testing.assert_allclose(points[:, 1], theta[0] + theta[1] * points[:, 0], rtol=1e-10)
    with pytest.raises(ValueError, match="iterate"):
        figures.data_and_fit(design, fit_normal_equation(design), theta=theta, iterate="markers")

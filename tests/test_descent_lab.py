"""The descent lab: a small JSON payload, and the browser's path equal to core's.

core.lab_payload.lab_payload is what the browser gets; descent_lab.js's
``path`` (run by node through ui/components/descent_lab/path_check.mjs) must
give core.descent.descend's path, step count and status for every full-batch
optimizer, schedule, ridge and standardising, to 1e-12 relative: the Python
core stays the reference.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core.cost import cost_grid, least_squares_cost, path_cover_points
from core.descent import descend, learning_rate_choices, run_model
from core.lab_payload import alpha_marks, lab_alphas, lab_payload
from core.settings import DescentSettings
from core.spectrum import spectrum

CHECK = Path(__file__).resolve().parents[1] / "ui" / "components" / "descent_lab" / "path_check.mjs"
RTOL = 1e-12

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def hours():
    """The worked example: hours studied x = 1..5, y = 2, 3, 4.5, 5, 7."""
    return least_squares_cost(np.column_stack([np.ones(5), np.arange(1, 6.0)]), [2, 3, 4.5, 5, 7])


def three(seed: int = 0):
    """Three coefficients on columns of very different scales (κ large unless standardised)."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(40), rng.normal(5, 2, 40), rng.normal(-1, 10, 40)])
    return least_squares_cost(X, X @ [1.0, 2.0, -0.3] + rng.normal(0, 1, 40))


def run_js(cases: list[dict]) -> list[dict]:
    """descent_lab.js's path for each {payload, alpha, theta0} (and surface heights when asked)."""
    done = subprocess.run(["node", str(CHECK)], input=json.dumps(cases, allow_nan=False), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def case(model, s: DescentSettings, **kw) -> dict:
    s = s.checked(model.p)
    return {"payload": lab_payload(model, s, **kw), "alpha": s.alpha, "theta0": list(s.theta0)}


def assert_same_run(js: dict, trace) -> None:
    """Same status, same number of steps, every θ and J within 1e-12 of the path's scale."""
    thetas = np.array(js["thetas"], dtype=np.float64)
    assert js["status"] == trace.status
    assert thetas.shape == trace.thetas.shape, (thetas.shape, trace.thetas.shape)
    scale = np.max(np.abs(trace.thetas))
    assert np.max(np.abs(thetas - trace.thetas)) <= RTOL * scale
    costs = np.array(js["costs"])
    assert np.max(np.abs(costs - trace.costs)) <= RTOL * np.max(np.abs(trace.costs))


RUNS = [
    (hours, DescentSettings(alpha=0.1)),
    (hours, DescentSettings(alpha=0.168, iterations=3000)),                       # zig-zag, just under α_max
    (hours, DescentSettings(alpha=0.17, iterations=3000)),                        # diverges
    (hours, DescentSettings(alpha=0.2, iterations=20)),                           # climbing at the limit
    (hours, DescentSettings(alpha=0.05, optimizer="momentum", theta0=(3.0, -1.0))),
    (hours, DescentSettings(alpha=0.05, optimizer="nesterov", params=(("beta", 0.5),))),
    (hours, DescentSettings(alpha=0.1, optimizer="adam", iterations=2000)),
    (hours, DescentSettings(alpha=1.0, optimizer="newton")),
    (hours, DescentSettings(alpha=0.5, optimizer="newton", theta0=(-4.0, 9.0))),
    (hours, DescentSettings(alpha=0.1, schedule="exponential", schedule_params=(("gamma", 0.995),))),
    (hours, DescentSettings(alpha=0.1, schedule="step", schedule_params=(("every", 20),))),
    (hours, DescentSettings(alpha=0.1, schedule="inverse", schedule_params=(("tau", 30.0),))),
    (hours, DescentSettings(alpha=0.1, iterations=0)),
    (three, DescentSettings(alpha=0.01, standardise=True, ridge=0.5, theta0=(1.0, 1.0, 1.0))),
    (three, DescentSettings(alpha=0.2, standardise=True, optimizer="momentum", theta0=(1.0, 1.0, 1.0))),
    (three, DescentSettings(alpha=0.005, iterations=5000, theta0=(1.0, 1.0, 1.0), tol=1e-9)),
    (three, DescentSettings(alpha=0.05, optimizer="adam", ridge=2.0, iterations=3000)),
]


@needs_node
def test_browser_path_equals_core_for_every_optimizer():
    cases = [case(make(), s, i=1, j=2 if make is three else 0) for make, s in RUNS]
    for js, (make, s) in zip(run_js(cases), RUNS):
        assert_same_run(js, descend(make(), s))


@needs_node
@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(optimizer=st.sampled_from(["gd", "momentum", "nesterov", "adam", "newton"]),
       fraction=st.floats(0.05, 1.4), theta0=st.lists(st.floats(-50, 50), min_size=2, max_size=2))
def test_browser_path_equals_core_for_any_alpha_and_start(optimizer, fraction, theta0):
    """Any α in the slider's range (as a fraction of its top) and any start: the same run."""
    model = hours()
    alphas = lab_alphas(model, optimizer)
    alpha = float(np.exp(np.log(alphas[0]) + fraction / 1.4 * (np.log(alphas[-1]) - np.log(alphas[0]))))
    s = DescentSettings(optimizer=optimizer, alpha=alpha, theta0=tuple(theta0), iterations=400)
    (js,) = run_js([case(model, s)])
    assert_same_run(js, descend(model, s))


@needs_node
def test_browser_surface_heights_equal_the_cost_grid():
    model = three()
    s = DescentSettings(alpha=0.01, theta0=(1.0, 1.0, 1.0)).checked(3)
    grid = cost_grid(model, 2, 1, points=path_cover_points(model, s.theta0, np.array([s.theta0]), 2, 1), n=41)
    (js,) = run_js([{**case(model, s, grid=grid, i=2, j=1), "surface": True}])
    z = np.array(js["surface"]["z"])
    assert z.shape == grid.z.shape
    assert np.max(np.abs(z - grid.z)) <= 1e-12 * np.max(np.abs(grid.z))


def test_payload_is_small_and_json_safe():
    model = three()
    for s in (DescentSettings(alpha=0.01), DescentSettings(alpha=0.1, optimizer="adam", standardise=True, ridge=1.0),
              DescentSettings(alpha=1.0, optimizer="newton")):
        run, _ = run_model(model, s.checked(3))
        grid = cost_grid(run, 0, 1, n=61)
        text = json.dumps(lab_payload(model, s, grid), allow_nan=False)
        assert len(text.encode("utf-8")) < 20_000
        assert len(text.encode("utf-8")) < 3_000  # the heights are computed in the browser


def test_payload_carries_the_run_model_and_the_settings():
    model = three()
    s = DescentSettings(alpha=0.02, standardise=True, ridge=0.5, theta0=(1.0, 2.0, 3.0), iterations=77, tol=1e-8)
    payload = lab_payload(model, s, i=0, j=2, step=5)
    run, scaling = run_model(model, s.checked(3))
    assert np.array_equal(payload["theta_hat"], run.theta_hat) and np.array_equal(payload["R"], run.R)
    assert payload["cost_min"] == run.cost_min and payload["m"] == 40 and payload["p"] == 3
    assert np.array_equal(payload["scaling"]["scale"], scaling.scale)
    assert payload["theta0"] == [1.0, 2.0, 3.0] and payload["iterations"] == 77 and payload["tol"] == 1e-8
    assert (payload["i"], payload["j"], payload["step"]) == (0, 2, 5)
    assert payload["lambda_max"] == spectrum(run).lambda_max


def test_alpha_choices_hold_the_pages_choices_and_the_current_alpha():
    model = hours()
    choices = lab_alphas(model, "gd", alpha=0.0123)
    assert set(learning_rate_choices(model)) <= set(choices)
    assert 0.0123 in choices and choices == sorted(set(choices))
    assert np.all(np.diff(np.log10(choices)) < 0.2)  # about ten a decade: a smooth slider


def test_marks_are_the_stability_limit_and_the_best_rate():
    model = hours()
    spec = spectrum(model)
    marks = {m["label"]: m["alpha"] for m in alpha_marks(model, DescentSettings(alpha=0.1).checked(2))}
    assert marks == {"α*": spec.alpha_best, "α_max": spec.alpha_max}
    momentum = alpha_marks(model, DescentSettings(optimizer="momentum", params=(("beta", 0.5),)).checked(2))
    assert [m["alpha"] for m in momentum] == [pytest.approx(spec.momentum_limit(0.5), rel=1e-15)]
    assert alpha_marks(model, DescentSettings(optimizer="adam").checked(2)) == []
    assert [m["alpha"] for m in alpha_marks(model, DescentSettings(optimizer="newton").checked(2))] == [1.0, 2.0]


@pytest.mark.parametrize("kwargs, words", [
    ({"settings": DescentSettings(optimizer="minibatch")}, "sample of the rows"),
    ({"settings": DescentSettings(), "i": 1, "j": 1}, "two different coefficients"),
    ({"settings": DescentSettings(), "i": 0, "j": 2}, "two different coefficients"),
    ({"settings": DescentSettings(alpha=-1.0)}, "learning rate"),
])
def test_payload_refuses_what_the_browser_cannot_run(kwargs, words):
    with pytest.raises(ValueError, match=words):
        lab_payload(hours(), **kwargs)


def test_payload_refuses_newton_on_a_singular_problem_and_one_coefficient():
    X = np.column_stack([np.ones(4), [1.0, 2, 3, 4], [2.0, 4, 6, 8]])
    singular = least_squares_cost(X, [1.0, 2, 3, 5])
    with pytest.raises(ValueError, match="singular"):
        lab_payload(singular, DescentSettings(optimizer="newton", alpha=1.0))
    with pytest.raises(ValueError, match="at least two coefficients"):
        lab_payload(least_squares_cost(np.ones((3, 1)), [1.0, 2, 3]), DescentSettings())


def test_component_value_is_checked():
    from ui.components.descent_lab import _checked, component_data

    assert _checked({"alpha": 0.1, "theta0": [1, 2], "step": 3}, 2) == {"alpha": 0.1, "theta0": [1.0, 2.0], "step": 3}
    for bad in (None, {"alpha": 0.1}, {"alpha": -1, "theta0": [1, 2], "step": 0},
                {"alpha": 0.1, "theta0": [1], "step": 0}, {"alpha": 0.1, "theta0": [1, float("nan")], "step": 0},
                {"alpha": 0.1, "theta0": [1, 2], "step": -1}):
        assert _checked(bad, 2) is None
    with pytest.raises(ValueError, match="payload"):
        component_data({"alpha": 0.1})
    assert component_data(lab_payload(hours(), DescentSettings()))["payload"]["p"] == 2


def test_harness_page_runs_without_an_exception():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent / "e2e" / "descent_lab_app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any(t.value == "returned=null" for t in at.text)


# ------------------------------------------------------------------------ the fourth chart: the model on the data


def poly3(m: int = 60, seed: int = 1):
    """A cubic in one feature (degree-3 design, with intercept), built as the Data page builds it."""
    import pandas as pd

    from core.design import design_matrix

    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 3, m)
    df = pd.DataFrame({"x": x, "y": 1 - 2 * x + 0.5 * x ** 3 + rng.normal(0, 0.3, m)})
    return design_matrix(df, "y", ["x"], degree=3)


def many(m: int = 2000, seed: int = 2):
    """Three features of very different scales, degree 2 (p = 7), standardised runs."""
    import pandas as pd

    from core.design import design_matrix

    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"a": rng.normal(5, 2, m), "b": rng.normal(-1, 10, m), "c": rng.uniform(0, 1000, m)})
    df["y"] = 1 + 2 * df.a - 0.3 * df.b + 0.01 * df.c + rng.normal(0, 1, m)
    return design_matrix(df, "y", ["a", "b", "c"], degree=2)


def assert_close(got, want) -> None:
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.max(np.abs(got - want)) <= RTOL * np.max(np.abs(want)), np.max(np.abs(got - want))


def test_payload_carries_the_sample_and_the_design_recipe():
    from core.display import sample_design
    from core.lab_line import CURVE_POINTS, sample_size

    d = poly3()
    model = least_squares_cost(d)
    line = lab_payload(model, DescentSettings(alpha=0.001), data=d)["line"]
    assert line["kind"] == "curve" and line["degree"] == 3 and line["intercept"] is True
    assert line["x"] == d.raw[:, 0].tolist() and line["y"] == d.y.tolist()
    assert line["range"] == [d.raw.min(), d.raw.max()] and line["points"] == CURVE_POINTS
    assert np.array_equal(line["theta_fit"], model.theta_hat)
    big = many(5000)
    sample = sample_design(big, sample_size(3))
    line = lab_payload(least_squares_cost(big), DescentSettings(alpha=0.01, standardise=True),
                       data=sample, total=big.m)["line"]
    assert line["kind"] == "predicted" and line["degree"] == 2 and line["features"] == ["a", "b", "c"]
    assert line["shown"] == len(line["raw"]) == len(line["y"]) == 300 and line["total"] == 5000
    assert np.array_equal(line["raw"], sample.raw)
    with pytest.raises(ValueError, match="design columns"):
        lab_payload(hours(), DescentSettings(), data=d)


def test_payload_with_the_sample_stays_small_whatever_m():
    """The sample is capped (rows and numbers): the same size for 2,000 and 1,000,000 rows."""
    from core.display import sample_design
    from core.lab_line import MAX_VALUES, sample_size

    sizes = {}
    for m in (2_000, 1_000_000):
        d = many(m)
        sample = sample_design(d, sample_size(3))
        payload = lab_payload(least_squares_cost(d), DescentSettings(alpha=0.01, standardise=True),
                              data=sample, total=d.m)
        sizes[m] = len(json.dumps(payload, allow_nan=False).encode())
        assert len(payload["line"]["raw"]) * 4 <= MAX_VALUES
    assert sizes[1_000_000] < 1.2 * sizes[2_000] and sizes[1_000_000] < 40_000, sizes
    # One feature: at most CURVE_ROWS rows however many there are.
    x = np.linspace(0, 1, 1_000_000)
    d = replace(poly3(), X=np.column_stack([np.ones_like(x), x, x * x, x * x * x]), y=np.sin(x), raw=x[:, None])
    payload = lab_payload(least_squares_cost(d), DescentSettings(alpha=0.1), data=d, total=d.m)
    assert payload["line"]["shown"] == sample_size(1) and len(json.dumps(payload).encode()) < 30_000


@needs_node
def test_browser_line_equals_core_at_every_step_shown():
    """The curve (cubic) and the predictions (standardised, 3 features, degree 2) the browser draws at step k
    are core's θ_k (Trace.thetas_original) on the design's rows, to 1e-12."""
    from core.display import sample_design
    from core.lab_line import basis, curve_x, sample_size

    cubic = poly3()
    cubic_model = least_squares_cost(cubic)
    big = many(3000)
    big_model, sample = least_squares_cost(big), sample_design(big, sample_size(3))
    runs = [(cubic_model, cubic, DescentSettings(alpha=0.002, iterations=300, theta0=(0.5, -1.0, 0.2, 0.1))),
            (cubic_model, cubic, DescentSettings(alpha=0.5, optimizer="adam", iterations=200, standardise=True)),
            (big_model, sample, DescentSettings(alpha=0.05, standardise=True, iterations=400)),
            (big_model, sample, DescentSettings(alpha=0.1, optimizer="momentum", standardise=True, ridge=0.5))]
    cases = []
    for model, data, s in runs:
        c = case(model, s, data=data)
        cases.append({**c, "steps": [0, 1, 7, descend(model, s).iterations]})
    for js, c, (model, data, s) in zip(run_js(cases), cases, runs):
        trace = descend(model, s)
        assert_same_run(js, trace)
        line = c["payload"]["line"]
        for k, drawn in zip(c["steps"], js["lines"]):
            theta = trace.thetas_original[k]
            assert_close(drawn["theta"], theta)
            if line["kind"] == "curve":
                x = curve_x(*line["range"], line["points"])
                assert_close(drawn["x"], x)
                assert_close(drawn["y"], basis(x, 3, True) @ theta)
            else:
                assert_close(drawn["x"], data.y)
                assert_close(drawn["y"], data.matrix() @ theta)
                assert_close(drawn["y"], data.X @ theta)
        assert js["lines"][0]["y"] != js["lines"][-1]["y"]  # the line does move

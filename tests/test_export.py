"""Downloads (core.export): the descent path as CSV, the model as JSON, and the script that redoes both."""

from __future__ import annotations

import ast
import csv
import io
import json
import subprocess
import sys
from dataclasses import fields

import numpy as np
import pandas as pd
import pytest

from core import optimizers
from core.cost import LeastSquaresCost
from core.data import example, to_csv_bytes
from core.descent import descend
from core.design import design_matrix
from core.export import json_number, model_json, reproduce_script, trace_csv
from core.settings import DescentSettings
from core.solve import fit_normal_equation

EVIL = '"); import os; os.system("echo pwned")  #'


def _problem(frame, target, features, degree=1):
    design = design_matrix(frame, target, features, degree)
    fit = fit_normal_equation(design)
    return design, fit, LeastSquaresCost.from_fit(fit)


def _three_features() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    X = rng.uniform(-3, 3, size=(200, 3))
    y = 1.5 - 2.0 * X[:, 0] + 0.5 * X[:, 1] + 3.0 * X[:, 2] + rng.normal(0, 0.3, 200)
    return pd.DataFrame({"a": X[:, 0], "b b": X[:, 1], EVIL: X[:, 2], "target": y})


def _run_script(tmp_path, frame, design, settings, argument=True) -> dict:
    (tmp_path / "my data.csv").write_bytes(to_csv_bytes(frame))
    (tmp_path / "reproduce.py").write_text(reproduce_script(design, settings, data_file="my data.csv"),
                                           encoding="utf-8")
    args = [sys.executable, "reproduce.py"] + (["my data.csv"] if argument else [])
    done = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "pwned" not in done.stdout + done.stderr
    found = {}
    for line in done.stdout.splitlines():
        name, sep, rest = line.partition(" = ")
        if name in ("theta_hat", "theta_gd") and sep:
            found[name] = np.array(ast.literal_eval(rest))
    return found


@pytest.mark.parametrize("case", ["hours", "three_features", "degree_2"])
@pytest.mark.parametrize("settings", [
    DescentSettings(alpha=0.02, iterations=700),
    DescentSettings(optimizer="momentum", alpha=0.01, iterations=400, params=(("beta", 0.8),)),
    DescentSettings(optimizer="adam", alpha=0.05, iterations=300, tol=1e-12),
    DescentSettings(optimizer="nesterov", alpha=0.005, iterations=250),
], ids=["gd", "momentum", "adam", "nesterov"])
def test_the_script_reproduces_theta_and_the_last_iterate(tmp_path, case, settings):
    if case == "hours":
        frame, target, features, degree = example("hours").frame, "score", ["hours"], 1
    elif case == "three_features":
        frame, target, features, degree = _three_features(), "target", ["a", "b b", EVIL], 1
    else:
        frame, target, features, degree = _three_features(), "target", ["a", EVIL], 2
    design, fit, model = _problem(frame, target, features, degree)
    settings = DescentSettings(**{**settings.__dict__, "theta0": tuple(np.linspace(-1, 1, design.p))})
    trace = descend(model, settings)
    found = _run_script(tmp_path, frame, design, settings, argument=case != "hours")
    np.testing.assert_allclose(found["theta_hat"], fit.theta, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(found["theta_gd"], trace.theta, rtol=1e-10, atol=1e-12)
    assert not np.allclose(trace.theta, trace.thetas[0])  # the run moved: the comparison means something


@pytest.mark.skipif("newton" not in getattr(optimizers, "REGISTRY", {}), reason="no Newton's method")
def test_the_script_reproduces_newtons_method(tmp_path):
    design, fit, model = _problem(_three_features(), "target", ["a", EVIL], 2)
    settings = DescentSettings(optimizer="newton", alpha=0.5, iterations=12, tol=1e-14)
    trace = descend(model, settings)
    found = _run_script(tmp_path, _three_features(), design, settings)
    np.testing.assert_allclose(found["theta_gd"], trace.theta, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("lab", [{"schedule": "step"}, {"ridge": 0.5}, {"standardise": True},
                                 {"optimizer": "minibatch"}])
def test_the_script_says_which_runs_it_cannot_redo(lab):
    if not set(lab) <= {f.name for f in fields(DescentSettings)} or \
            lab.get("optimizer", "gd") not in getattr(optimizers, "REGISTRY", optimizers.OPTIMIZERS):
        pytest.skip("the settings have no such field")
    design, _, _ = _problem(example("hours").frame, "score", ["hours"])
    with pytest.raises(ValueError, match="The script redoes runs of the full-gradient optimizers"):
        reproduce_script(design, DescentSettings(**lab))


def test_the_script_leaves_out_rows_as_the_app_does(tmp_path):
    frame = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0], "y": [1.1, 2.3, 9.0, np.inf, 5.2, 5.9]})
    design, fit, model = _problem(frame, "y", ["x"])
    settings = DescentSettings(alpha=0.01, iterations=50)
    found = _run_script(tmp_path, frame, design, settings)
    np.testing.assert_allclose(found["theta_hat"], fit.theta, rtol=1e-8)
    np.testing.assert_allclose(found["theta_gd"], descend(model, settings).theta, rtol=1e-10)


def test_the_script_holds_user_text_only_as_literals():
    frame = _three_features()
    design, _, _ = _problem(frame, "target", ["a", EVIL])
    source = reproduce_script(design, DescentSettings(), data_file='x"); os.system("boom")  #.csv',
                              script_name="evil\n\"\"\"; import os")
    tree = ast.parse(source)
    calls = {ast.unparse(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not any("system" in c or "exec" in c or "eval" in c for c in calls)
    literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert EVIL in literals and 'x"); os.system("boom")  #.csv' in literals
    assert "import os" not in source.split('"""')[1]  # the usage line keeps only a plain file name


def test_trace_csv_has_one_row_per_iterate_and_round_trips():
    design, _, model = _problem(_three_features(), "target", ["a", EVIL])
    trace = descend(model, DescentSettings(alpha=0.05, iterations=30))
    rows = list(csv.reader(io.StringIO(trace_csv(trace, design.names).decode("utf-8"))))
    assert rows[0] == ["k", "theta_0 (1)", "theta_1 (a)", f"theta_2 ({EVIL})", "J", "norm_grad_J"]
    body = np.array(rows[1:], dtype=np.float64)
    assert body.shape == (trace.iterations + 1, 6)
    assert np.array_equal(body[:, 0], np.arange(trace.iterations + 1))
    assert np.array_equal(body[:, 1:4], trace.thetas)
    assert np.array_equal(body[:, 4], trace.costs) and np.array_equal(body[:, 5], trace.grad_norms)
    assert trace_csv(trace).startswith(b"k,theta_0,theta_1,theta_2,J,norm_grad_J\n")
    with pytest.raises(ValueError, match="3 coefficients but 2 names"):
        trace_csv(trace, ["a", "b"])


def _strict(text: bytes):
    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_model_json_holds_theta_metrics_diagnostics_and_settings():
    design, fit, model = _problem(example("hours").frame, "score", ["hours"])
    settings = DescentSettings(optimizer="momentum", alpha=0.02, iterations=40, params=(("beta", 0.5),))
    trace = descend(model, settings)
    doc = _strict(model_json(fit, trace=trace))
    assert [t["name"] for t in doc["theta"]] == ["1", "hours"]
    assert np.allclose([t["value"] for t in doc["theta"]], [0.7, 1.2])
    assert doc["metrics"]["m"] == 5 and doc["metrics"]["p"] == 2
    assert np.isclose(doc["metrics"]["r_squared"], fit.r_squared)
    assert doc["diagnostics"]["rank"] == 2 and doc["diagnostics"]["method"] == fit.method
    assert doc["settings"]["params"] == {"beta": 0.5} and doc["settings"]["theta0"] == [0.0, 0.0]
    assert doc["gradient_descent"]["steps"] == trace.iterations
    assert doc["model"]["target"] == "score" and doc["model"]["features"] == ["hours"]
    assert "settings" not in _strict(model_json(fit))


def test_model_json_writes_non_finite_numbers_as_strings():
    design, fit, _ = _problem(pd.DataFrame({"x": [2.0, 2.0, 2.0], "y": [1.0, 2.0, 4.0]}), "y", ["x"])
    doc = _strict(model_json(fit, settings=DescentSettings()))
    assert fit.rank < fit.p and doc["diagnostics"]["condition_number"] == "Infinity"
    assert "NaN" in [t["std_error"] for t in doc["theta"]]
    assert [json_number(v) for v in (np.nan, np.inf, -np.inf, None, 1.5)] == \
        ["NaN", "Infinity", "-Infinity", None, 1.5]

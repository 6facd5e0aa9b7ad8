"""Downloads of a result: the descent path as CSV, the fit as JSON, and a script that redoes both.

One idea: turning results into files a person keeps. Every function is pure
and returns bytes or text. JSON holds no NaN or infinity literals (which are
not JSON): a non-finite number is written as the string ``"NaN"``,
``"Infinity"`` or ``"-Infinity"``. The script is plain numpy; user text
(column names, the file name) enters it only as Python string literals made by
:func:`repr`, never as code.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import math
from dataclasses import asdict

import numpy as np

from .descent import DIVERGENCE_FACTOR, Trace
from .design import Design
from .optimizers import optimizer
from .settings import DescentSettings
from .solve import NormalEquationFit

__all__ = ["trace_csv", "model_json", "reproduce_script", "json_number"]


def trace_csv(trace: Trace, names=None) -> bytes:
    """The path of a run as UTF-8 CSV: ``k``, one column per coefficient, ``J`` and ``norm_grad_J``.

    Parameters
    ----------
    trace : Trace
    names : sequence of str, optional
        The design's column names; coefficient k's column is ``theta_k (name)``.
        Default ``theta_k``.

    Returns
    -------
    bytes
        One row per iterate (row k is θ after k steps), numbers in shortest round-trip form.
    """
    p = trace.thetas.shape[1]
    names = [str(n) for n in names] if names is not None else [None] * p
    if len(names) != p:
        raise ValueError(f"The run has {p} coefficients but {len(names)} names were given.")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["k", *(f"theta_{k}" if n is None else f"theta_{k} ({n})" for k, n in enumerate(names)),
                     "J", "norm_grad_J"])
    for k, (theta, J, g) in enumerate(zip(trace.thetas, trace.costs, trace.grad_norms)):
        writer.writerow([k, *map(repr, map(float, theta)), repr(float(J)), repr(float(g))])
    return out.getvalue().encode("utf-8")


def json_number(value) -> float | str | None:
    """A number as JSON allows it: finite floats as they are, NaN and ±inf as strings, None as null."""
    if value is None:
        return None
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return value


def model_json(fit: NormalEquationFit, settings: DescentSettings | None = None,
               trace: Trace | None = None) -> bytes:
    """The fitted model, its metrics and diagnostics (and a run's settings and end) as UTF-8 JSON.

    Parameters
    ----------
    fit : NormalEquationFit
    settings : DescentSettings, optional
        Written as a dict (the optimizer's parameters as a dict too).
    trace : Trace, optional
        A run: its status, steps, last θ, last cost and message (and its settings, if none given).

    Returns
    -------
    bytes
        Valid JSON (``allow_nan=False``): non-finite numbers are the strings "NaN", "Infinity", "-Infinity".
    """
    doc = {
        "model": _model(fit),
        "theta": [{"name": str(n), "value": json_number(v), "std_error": json_number(s)}
                  for n, v, s in zip(fit.names, fit.theta, fit.std_errors)],
        "metrics": {"rss": json_number(fit.rss), "r_squared": json_number(fit.r_squared),
                    "residual_sd": json_number(fit.residual_sd), "mse": json_number(fit.mse),
                    "m": int(fit.m), "p": int(fit.p)},
        "diagnostics": {"rank": int(fit.rank), "condition_number": json_number(fit.condition_number),
                        "trusted_digits": json_number(fit.trusted_digits), "method": fit.method,
                        "warnings": [str(w) for w in fit.warnings]},
    }
    settings = settings if settings is not None else (trace.settings if trace is not None else None)
    if settings is not None:
        doc["settings"] = _settings(settings)
    if trace is not None:
        doc["gradient_descent"] = {"status": trace.status, "steps": int(trace.iterations),
                                   "theta": [json_number(v) for v in trace.theta],
                                   "cost": json_number(trace.costs[-1]), "message": trace.message}
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


def _model(fit: NormalEquationFit) -> dict:
    design = fit.design
    if design is None:
        return {"names": [str(n) for n in fit.names]}
    return {"target": str(design.target), "features": [str(f) for f in design.features],
            "degree": int(design.degree), "intercept": bool(design.intercept),
            "names": [str(n) for n in fit.names], "rows_used": int(design.m), "rows_dropped": int(design.n_dropped)}


def _settings(settings: DescentSettings) -> dict:
    values = asdict(settings)
    values["theta0"] = [json_number(v) for v in settings.theta0]
    values["params"] = {name: json_number(v) for name, v in settings.params}
    values["alpha"], values["tol"] = json_number(settings.alpha), json_number(settings.tol)
    return values


# ------------------------------------------------------------------------------ the script

_SCRIPT = '''\
"""Redo the app's fit: the normal equation by least squares, then gradient descent.

Usage: python {script_name} [data.csv]
Needs Python 3 and numpy. J(theta) = 1/(2m) * sum((X theta - y)**2).
"""

import csv
import math
import sys

import numpy as np

DATA_FILE = sys.argv[1] if len(sys.argv) > 1 else {data_file!r}
TARGET = {target!r}
FEATURES = {features!r}
DEGREE = {degree!r}
INTERCEPT = {intercept!r}
OPTIMIZER = {optimizer!r}
ALPHA = {alpha!r}
ITERATIONS = {iterations!r}
TOL = {tol!r}
THETA0 = {theta0!r}
HP = {hp!r}
DIVERGENCE_FACTOR = {divergence!r}


def read_columns(path, names):
    """The named columns of a CSV file as floats (a blank cell is NaN)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    index = [header.index(name) for name in names]
    values = [[float(row[i]) if row[i].strip() else math.nan for i in index] for row in rows[1:] if row]
    return np.array(values, dtype=np.float64).reshape(-1, len(names))


def expand(raw):
    """Columns [1,] x1, x1^2, ..., x1^DEGREE, x2, ...: powers by repeated multiplication."""
    columns = [np.ones(raw.shape[0])] if INTERCEPT else []
    for j in range(raw.shape[1]):
        power = raw[:, j].copy()
        columns.append(power)
        for _ in range(2, DEGREE + 1):
            power = power * raw[:, j]
            columns.append(power)
    return np.column_stack(columns)


values = read_columns(DATA_FILE, [TARGET, *FEATURES])
values = values[np.isfinite(values).all(axis=1)]  # rows with a blank or infinite value are left out
y, raw = values[:, 0], values[:, 1:]
X = expand(raw)
m, P = X.shape

# Least squares in a well-conditioned basis: each feature centred (with an intercept) and scaled to
# [-1, 1] before its powers are taken; B = X @ T, so theta = T @ gamma.
centre = raw.mean(axis=0) if INTERCEPT else np.zeros(raw.shape[1])
spread = np.abs(raw - centre).max(axis=0) if raw.size else np.ones(0)
spread[spread == 0] = 1.0
B = expand((raw - centre) / spread)
T = np.zeros((P, P))
if INTERCEPT:
    T[0, 0] = 1.0
for j in range(raw.shape[1]):
    for k in range(1, DEGREE + 1):
        col = int(INTERCEPT) + j * DEGREE + k - 1
        for i in range(k + 1):  # ((x - c)/s)^k = sum_i C(k, i) x^i (-c)^(k-i) / s^k
            coef = math.comb(k, i) * (-centre[j]) ** (k - i) / spread[j] ** k
            if i == 0:
                T[0, col] += coef if INTERCEPT else 0.0
            else:
                T[int(INTERCEPT) + j * DEGREE + i - 1, col] += coef
gamma = np.linalg.lstsq(B, y, rcond=None)[0]
theta_hat = T @ gamma
cost_min = float(np.sum((X @ theta_hat - y) ** 2) / (2 * m))


def gradient(theta):
    return X.T @ (X @ theta - y) / m


def cost(theta):
    return float(np.sum((X @ theta - y) ** 2) / (2 * m))


class Oracle:
    """What a step may ask: the gradient anywhere, and (Newton's method) a solve with the Hessian XᵀX/m."""

    def __init__(self, gradient, solve=None):
        self.gradient, self.solve = gradient, solve

    def __call__(self, theta):
        return self.gradient(theta)


# The optimizer's rule and its starting state, as the app defines them (core/optimizers.py):
{start}


{step}


theta = np.array(THETA0, dtype=np.float64)
g = gradient(theta)
J0, g0 = cost(theta), float(np.linalg.norm(g))
ceiling = min(DIVERGENCE_FACTOR * max(J0, cost_min, np.finfo(np.float64).tiny), 1e307)
oracle = Oracle(gradient, lambda g: np.linalg.solve(X.T @ X / m, g))
state, steps, status = {start_name}(P), 0, "stopped at the iteration limit"
with np.errstate(over="ignore", invalid="ignore"):
    for t in range(1, ITERATIONS + 1):
        if np.linalg.norm(g) <= TOL * g0:
            status = "converged"
            break
        new_theta, state = {step_name}(theta, g, state, oracle, ALPHA, t, HP)
        g = gradient(new_theta)
        J = cost(new_theta)
        if not (np.isfinite(J) and np.all(np.isfinite(g)) and np.all(np.isfinite(new_theta))) or J > ceiling:
            status = "diverged"
            break
        theta, steps = new_theta, t
    else:
        if np.linalg.norm(g) <= TOL * g0:
            status = "converged"

print("Normal equation (least squares):")
print("theta_hat =", [float(v) for v in theta_hat])
print(f"Gradient descent ({{OPTIMIZER}}, alpha = {{ALPHA}}): {{status}} after {{steps}} steps")
print("theta_gd =", [float(v) for v in theta])
print("J(theta_gd) =", cost(theta), " J(theta_hat) =", cost_min)
'''


def reproduce_script(design: Design, settings: DescentSettings, data_file: str = "data.csv",
                     script_name: str = "reproduce.py") -> str:
    """A standalone numpy script that rebuilds X from the exported data CSV and redoes the fit and the run.

    Parameters
    ----------
    design : Design
        Its target, features, degree and intercept say how X is built.
    settings : DescentSettings
        The run (checked against the design's number of coefficients).
    data_file : str
        The CSV file read when the script is given no argument (as written by
        :func:`core.frames.to_csv_bytes`).
    script_name : str
        Shown in the usage line.

    Returns
    -------
    str
        Python source. It prints ``theta_hat = [...]`` and ``theta_gd = [...]`` (full precision).
    """
    settings = settings.checked(design.p)
    rule = optimizer(settings.optimizer)
    plain = {"schedule": "constant", "ridge": 0.0, "standardise": False}
    other = [name for name, value in plain.items() if getattr(settings, name, value) != value]
    if getattr(rule, "rows", False) or other:
        raise ValueError(f"The script redoes runs of the full-gradient optimizers with a constant learning rate, "
                         f"no ridge penalty and unscaled features; this run uses "
                         f"{', '.join(other + (['rows'] if getattr(rule, 'rows', False) else []))}.")
    return _SCRIPT.format(
        script_name=_plain(script_name), data_file=str(data_file), target=str(design.target),
        features=tuple(str(f) for f in design.features), degree=int(design.degree),
        intercept=bool(design.intercept), optimizer=settings.optimizer, alpha=float(settings.alpha),
        iterations=int(settings.iterations), tol=float(settings.tol),
        theta0=tuple(float(v) for v in settings.theta0),
        hp={k: float(v) for k, v in settings.hyperparameters().items()}, divergence=float(DIVERGENCE_FACTOR),
        start=inspect.getsource(rule.start).strip(), start_name=rule.start.__name__,
        step=inspect.getsource(rule.step).strip(), step_name=rule.step.__name__)


def _plain(name: str) -> str:
    """A file name safe inside the docstring: letters, digits, ``._-`` only."""
    cleaned = "".join(ch for ch in str(name) if ch.isascii() and (ch.isalnum() or ch in "._-"))
    return cleaned or "reproduce.py"

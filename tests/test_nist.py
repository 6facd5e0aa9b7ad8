"""Accuracy on the 11 NIST StRD linear least-squares datasets (certified values).

The data are read from ``../shared/nist-strd`` (or ``$NIST_STRD_DIR``); the
tests skip, saying why, where that folder is absent.
"""

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core import design_matrix, fit_normal_equation

ROOT = Path(__file__).resolve().parents[1]
NIST = Path(os.environ.get("NIST_STRD_DIR", ROOT.parent / "shared" / "nist-strd"))
NAMES = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
         "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]


def lre(estimate: float, certified: float) -> float:
    """Log relative error (absolute where the certified value is 0), capped at 15."""
    if certified == 0:
        return 15.0 if estimate == 0 else min(15.0, -np.log10(abs(estimate)))
    if estimate == certified:
        return 15.0
    return min(15.0, -np.log10(abs(estimate - certified) / abs(certified)))


def load(name):
    if not (NIST / f"{name}.json").exists():
        pytest.skip(f"NIST StRD data not found at {NIST} (set NIST_STRD_DIR to its folder)")
    meta = json.loads((NIST / f"{name}.json").read_text())
    df = pd.read_csv(NIST / f"{name}.csv")
    features = [c for c in df.columns if c != "y"]
    design = design_matrix(df, "y", features, degree=meta.get("degree", 1), intercept=meta["intercept"])
    return meta, design


@pytest.mark.parametrize("name", NAMES)
def test_coefficients_residual_sd_and_r_squared(name):
    meta, design = load(name)
    fit = fit_normal_equation(design)
    cert = meta["certified"]
    assert fit.rank == meta["n_params"] and not any("rank" in w for w in fit.warnings)
    coef = min(lre(a, float(b)) for a, b in zip(fit.theta, cert["params"]))
    assert coef >= 9, f"{name}: min coefficient LRE {coef:.1f}"
    assert lre(fit.residual_sd, float(cert["residual_sd"])) >= 9
    assert lre(fit.r_squared, float(cert["r_squared"])) >= 9
    se = min(lre(a, float(b)) for a, b in zip(fit.std_errors, cert["std_errors"]))
    assert se >= 9, f"{name}: min std-error LRE {se:.1f}"


@pytest.mark.parametrize("name", ["Filip", "Wampler5", "Longley"])
def test_plain_matrix_input_is_also_accurate(name):
    """fit_normal_equation(X, y) with the float64 matrix: no recipe, still stable."""
    meta, design = load(name)
    fit = fit_normal_equation(design.X, design.y)
    coef = min(lre(a, float(b)) for a, b in zip(fit.theta, meta["certified"]["params"]))
    # Powers already rounded to float64 cap what any solver can recover on Filip.
    assert coef >= (7 if name == "Filip" else 9), f"{name}: {coef:.1f}"


def test_textbook_inverse_fails_on_filip_and_is_flagged():
    meta, design = load("Filip")
    fit = fit_normal_equation(design)
    assert fit.condition_number > 1e12
    assert any("ill-conditioned" in w for w in fit.warnings)
    X, y = design.X, design.y
    with np.errstate(all="ignore"):
        textbook = np.linalg.inv(X.T @ X) @ (X.T @ y)
    worst = min(lre(a, float(b)) for a, b in zip(textbook, meta["certified"]["params"]))
    assert worst < 3  # the formula the app teaches, and why it does not use it


def test_teaching_steps_on_filip_show_the_textbook_failing():
    from core import normal_equation_steps

    meta, design = load("Filip")
    fit = fit_normal_equation(design)
    steps = normal_equation_steps(design, fit=fit)
    np.testing.assert_array_equal(steps.theta, fit.theta)  # the recipe-aware solution
    assert steps.XtX_inv is not None and steps.inverse_warning
    assert steps.agreement_digits < 3


#: Rows each dataset is replicated to: the large path (m·p² > 2·10⁵), well past its block size.
REPLICATED_ROWS = 400_000


@pytest.mark.parametrize("name", NAMES)
def test_replicated_to_400k_rows_the_large_path_keeps_the_small_paths_digits(name):
    """Replicating rows leaves the least-squares solution unchanged, so NIST's values still hold."""
    meta, design = load(name)
    copies = -(-REPLICATED_ROWS // design.m)
    df = pd.read_csv(NIST / f"{name}.csv")
    tiled = pd.DataFrame({c: np.tile(df[c].to_numpy(), copies) for c in df.columns})
    big = design_matrix(tiled, "y", [c for c in df.columns if c != "y"],
                        degree=meta.get("degree", 1), intercept=meta["intercept"])
    assert big.m * big.p**2 > 200_000
    cert = [float(b) for b in meta["certified"]["params"]]
    small = min(lre(a, b) for a, b in zip(fit_normal_equation(design).theta, cert))
    fit = fit_normal_equation(big)
    large = min(lre(a, b) for a, b in zip(fit.theta, cert))
    assert fit.rank == meta["n_params"] and not any("rank" in w for w in fit.warnings)
    assert large >= 9 and large >= small - 1.5, f"{name} ×{copies}: {large:.1f} digits (small path {small:.1f})"

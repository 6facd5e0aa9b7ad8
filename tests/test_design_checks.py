"""Tests for the checks of core.design.design_matrix: limits, row notes, sizes, messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.columns import DataError
from core.design import MAX_COEFFICIENTS, MAX_DEGREE, MAX_MAGNITUDE, design_matrix


def _frame(k: int, m: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.standard_normal((m, k + 1)), columns=["y", *(f"x{i}" for i in range(k))])


def test_coefficients_up_to_the_limit_are_fitted():
    df = _frame(MAX_COEFFICIENTS - 1)
    assert design_matrix(df, "y").p == MAX_COEFFICIENTS


def test_more_coefficients_than_the_limit_is_a_data_error_in_words():
    df = _frame(MAX_COEFFICIENTS)
    with pytest.raises(DataError) as info:
        design_matrix(df, "y")
    assert str(info.value) == (f"{MAX_COEFFICIENTS} features at degree 1 need {MAX_COEFFICIENTS + 1} coefficients; "
                               f"this app fits at most {MAX_COEFFICIENTS}. Choose fewer features or a lower degree.")
    with pytest.raises(DataError, match="6 features at degree 11 need 67 coefficients"):
        design_matrix(_frame(6), "y", degree=11)


def test_the_coefficient_check_comes_before_any_work_on_a_wide_frame():
    import time

    df = _frame(10_000, m=2)
    start = time.perf_counter()
    with pytest.raises(DataError, match="10,000 features"):
        design_matrix(df, "y")
    # Refused at once (about 0.1 s alone; the old path took minutes): a generous bound, as the
    # suite may share its machine.
    assert time.perf_counter() - start < 10.0


def test_rows_used_note_names_columns_and_rows():
    df = pd.DataFrame({"x": [1.0, np.nan, 3, 4, np.inf, 6], "y": [1.0, 2, None, 4, 5, 6]})
    d = design_matrix(df, "y", ["x"])
    assert d.m == 3 and d.n_dropped == 3
    assert d.notes == ["3 of 6 rows used: “y” has no number in data row 3; “x” has no number in data row 2; "
                       "“x” is infinite in data row 5, so those rows were left out."]


def test_no_note_when_every_row_is_used():
    assert design_matrix(_frame(1), "y").notes == []


def test_too_few_usable_rows_says_how_many_and_why():
    df = pd.DataFrame({"x": [1.0, np.nan, np.nan], "y": [1.0, 2, 3]})
    with pytest.raises(DataError) as info:
        design_matrix(df, "y", ["x"])
    assert str(info.value).startswith("Only 1 of 3 rows has a number in every chosen column; a fit needs at least 2.")
    assert "“x” has no number in data rows 2 and 3" in str(info.value)


@pytest.mark.parametrize(("kwargs", "message"), [
    (dict(target="nope"), "The target column “nope” is not in the data."),
    (dict(target="y", features=["zz"]), "The feature column “zz” is not in the data."),
    (dict(target="y", features=["y"]), "“y” is the target; remove it from the features."),
    (dict(target="y", features=["x", "x"]), "A feature is listed twice; list each column once."),
    (dict(target="y", features=["x"], degree=MAX_DEGREE + 1),
     f"Degree must be a whole number from 1 to {MAX_DEGREE}; got {MAX_DEGREE + 1}."),
    (dict(target="y", features=["x"], degree=True), "Degree must be a whole number"),
    (dict(target="y", features=[], intercept=False), "Choose at least one feature, or keep the intercept."),
    (dict(target="y", features=["name"]), "Column “name” is not numeric: data row 2 holds “b”"),
])
def test_design_errors_are_data_errors_saying_what_to_change(kwargs, message):
    df = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, 2, 3], "name": ["1", "b", "c"]})
    with pytest.raises(DataError) as info:
        design_matrix(df, **kwargs)
    assert str(info.value).startswith(message)


def test_a_target_too_large_to_square_is_named_with_its_row():
    df = pd.DataFrame({"x": [1.0, 2, 3], "y": [1.0, -1e200, 3]})
    with pytest.raises(DataError) as info:
        design_matrix(df, "y", ["x"])
    assert str(info.value) == (
        "Column “y” holds a number too large to compute with in data row 2 (-1e+200): squares of such numbers "
        f"overflow. Rescale the column (for example, measure it in larger units) so that its values stay below "
        f"{MAX_MAGNITUDE:.0e}.")


def test_a_feature_whose_power_is_too_large_names_the_degree():
    df = pd.DataFrame({"x": [1.0, 2, 1e20, 4], "y": [1.0, 2, 3, 4]})
    assert design_matrix(df, "y", ["x"], degree=7).p == 8  # 1e140: fine
    with pytest.raises(DataError) as info:
        design_matrix(df, "y", ["x"], degree=8)
    message = str(info.value)
    assert message.startswith("Column “x” holds a number too large to compute with in data row 3 "
                              "(1e+20, whose power 8 is about 1e160)")
    assert "or choose a lower degree" in message


def test_the_row_named_counts_rows_left_out_before_it():
    df = pd.DataFrame({"x": [np.nan, 1.0, 2, 1e300], "y": [1.0, 2, 3, 4]})
    with pytest.raises(DataError, match="in data row 4 "):
        design_matrix(df, "y", ["x"])

"""core.points (the point editor's table of points, axis ranges and line) and the editor's data.

Unit and property tests; the component's JavaScript arithmetic (line and "Fit
axes to points") is run by node and compared with the Python reference.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.columns import DataError
from core.points import (
    DEFAULT_RANGE, MAX_POINTS, PADDING, default_ranges, least_squares_line, points_array, points_frame,
)
from core.solve import fit_normal_equation

LINE_CHECK = Path(__file__).resolve().parents[1] / "ui" / "components" / "point_editor" / "line_check.mjs"

coordinate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
point_lists = st.lists(st.tuples(coordinate, coordinate), min_size=0, max_size=40)


# --------------------------------------------------------------------------- points_array / points_frame


@pytest.mark.parametrize("points", [
    [(1, 2), (3, 4.5)],
    np.array([[1, 2], [3, 4.5]]),
    pd.DataFrame({"a": [1, 3], "b": [2, 4.5]}),
    ((np.int64(1), np.float32(2)), [3, 4.5]),
])
def test_points_array_accepts_pairs_arrays_and_frames(points):
    out = points_array(points)
    assert out.dtype == np.float64 and out.tolist() == [[1.0, 2.0], [3.0, 4.5]]


@pytest.mark.parametrize("points", [None, [], np.empty((0, 2))])
def test_no_points(points):
    assert points_array(points).shape == (0, 2)
    assert list(points_frame(points).columns) == ["x", "y"]


@pytest.mark.parametrize("points, words", [
    ([(1, 2), (3, math.inf)], "Point 2 has a y value that is not a finite number (inf)."),
    ([(math.nan, 2)], "Point 1 has a x value that is not a finite number (nan)."),
    ([(1, 2), (2, 3), ("a", 4)], "Point 3 has a x value that is not a number (“'a'”)."),
    ([(True, 2)], "Point 1 has a x value that is not a number (“True”)."),
    ([(1, 2, 3)], "Point 1 is not a pair of numbers (x, y): it is “(1, 2, 3)”."),
    ([5], "Point 1 is not a pair of numbers (x, y): it is “5”."),
    (pd.DataFrame({"a": [1], "b": [2], "c": [3]}), "A table of points needs exactly 2 columns (x and y); this one has 3."),
    ([(0, 0)] * (MAX_POINTS + 1), f"There are {MAX_POINTS + 1} points; the point editor takes at most {MAX_POINTS}."),
])
def test_bad_points_are_named_in_a_sentence(points, words):
    with pytest.raises(DataError) as err:
        points_array(points)
    assert str(err.value) == words


def test_at_most_max_points_are_accepted():
    assert points_array([(0, 0)] * MAX_POINTS).shape == (MAX_POINTS, 2)


def test_points_frame_names_its_columns_and_copies():
    source = np.array([[1.0, 2.0]])
    frame = points_frame(source, x="hours", y="score")
    assert list(frame.columns) == ["hours", "score"] and frame.dtypes.tolist() == [np.float64] * 2
    frame.iloc[0, 0] = 99
    assert source[0, 0] == 1.0
    with pytest.raises(DataError, match="need different names; both are “x”"):
        points_frame(source, x="x", y="x")


# --------------------------------------------------------------------------- default_ranges


def test_default_ranges_of_few_points():
    assert default_ranges([]) == (DEFAULT_RANGE, DEFAULT_RANGE)
    assert default_ranges([(2, 3)]) == ((-3.0, 7.0), (-2.0, 8.0))
    assert default_ranges([(1, 5), (1, 9)]) == ((-4.0, 6.0), (pytest.approx(4.6), pytest.approx(9.4)))


def test_default_ranges_of_huge_values_stay_finite():
    (x0, x1), (y0, y1) = default_ranges([(1e308, -1.7e308), (1.7e308, 1.7e308)])
    assert all(math.isfinite(v) for v in (x0, x1, y0, y1)) and x0 < x1 and y0 < y1
    (x0, x1), _ = default_ranges([(1e20, 0)])
    assert x0 == pytest.approx(0.9e20) and x1 == pytest.approx(1.1e20)


@given(point_lists)
def test_default_ranges_hold_every_point_with_room(points):
    for axis, (lo, hi) in enumerate(default_ranges(points)):
        assert math.isfinite(lo) and math.isfinite(hi) and lo < hi
        values = [p[axis] for p in points]
        if values:
            spread = max(values) - min(values)
            assert lo <= min(values) - PADDING * spread * (1 - 1e-9)
            assert hi >= max(values) + PADDING * spread * (1 - 1e-9)
            assert hi - lo <= max(spread * (1 + 2 * PADDING) * (1 + 1e-9), 10.0 + 1e-9)


# --------------------------------------------------------------------------- least_squares_line


def test_the_worked_example_line():
    a, b = least_squares_line([(1, 2), (2, 3), (3, 4.5), (4, 5), (5, 7)])
    assert a == pytest.approx(0.7, abs=1e-14) and b == pytest.approx(1.2, abs=1e-14)


@pytest.mark.parametrize("points", [[], [(1, 2)], [(3, 1), (3, 5), (3, 9)]])
def test_no_line_without_two_distinct_x(points):
    assert least_squares_line(points) is None


def test_extreme_spreads_still_give_a_line():
    a, b = least_squares_line([(-1e200, 0), (1e200, 1)])
    assert a == 0.5 and b == pytest.approx(5e-201, rel=1e-15)
    a, b = least_squares_line([(0, 0), (1e-300, 1)])
    assert a == pytest.approx(0, abs=1e-15) and b == pytest.approx(1e300, rel=1e-15)
    assert least_squares_line([(1.7e308, 0), (1.7e308 * 0.9, 1)]) is None  # the mean overflows


def test_points_on_a_line_give_that_line():
    a, b = least_squares_line([(x, 3 - 0.5 * x) for x in range(-4, 7)])
    assert a == pytest.approx(3, abs=1e-13) and b == pytest.approx(-0.5, abs=1e-13)


@settings(max_examples=60, deadline=None)
@given(point_lists.filter(lambda p: len({x for x, _ in p}) >= 2))
def test_line_matches_the_project_solver(points):
    arr = np.array(points)
    x, y = arr[:, 0], arr[:, 1]
    if np.ptp(x) < 1e-6 * max(1.0, np.abs(x).max()):  # nearly one x: both are ill-conditioned
        return
    a, b = least_squares_line(points)
    theta = fit_normal_equation(np.column_stack([np.ones_like(x), x]), y).theta
    scale_y = max(1.0, np.abs(y).max())
    assert b == pytest.approx(theta[1], abs=1e-6 * scale_y / np.ptp(x), rel=1e-6)
    assert a == pytest.approx(theta[0], abs=1e-6 * scale_y * (1 + np.abs(x).max() / np.ptp(x)), rel=1e-6)


@given(point_lists.filter(lambda p: len({x for x, _ in p}) >= 2))
def test_residuals_sum_to_zero(points):
    arr = np.array(points)
    a, b = least_squares_line(points)
    r = arr[:, 1] - (a + b * arr[:, 0])
    scale = np.abs(arr[:, 1]).sum() + np.abs(b * arr[:, 0]).sum() + abs(a) * len(arr)
    assert abs(r.sum()) <= 1e-9 * max(scale, 1.0)


# --------------------------------------------------------------------------- the JavaScript agrees


def _run_js(sets):
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, str(LINE_CHECK)], input=json.dumps({"padding": PADDING, "sets": sets}),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def test_the_javascript_line_and_fit_equal_the_python_ones():
    rng = np.random.default_rng(8)
    sets = [[], [[2, 3]], [[1, 5], [1, 9]], [[1, 2], [2, 3], [3, 4.5], [4, 5], [5, 7]],
            [[-1e200, 0], [1e200, 1]], [[0, 0], [1e-300, 1]], [[1e20, 4]]]
    for n in (2, 3, 7, 50, MAX_POINTS):
        scale = 10.0 ** rng.integers(-3, 6)
        sets.append((rng.normal(size=(n, 2)) * scale + rng.normal() * scale).round(3).tolist())
    for points, js in zip(sets, _run_js(sets)):
        ref = least_squares_line(points)
        if ref is None:
            assert js["line"] is None, points
        else:
            assert js["line"] == list(ref)  # the same arithmetic: equal, not just close
        assert [tuple(r) for r in js["ranges"]] == list(default_ranges(points))


# --------------------------------------------------------------------------- what the component is sent


def test_component_data_checks_and_fills_ranges():
    from ui.components.point_editor import component_data

    data = component_data([(1, 2), (3, 4)], x_label="<i>x</i>", y_range=(0, 5), height=50)
    assert data["points"] == [[1.0, 2.0], [3.0, 4.0]]
    assert data["x_range"] == list(default_ranges([(1, 2), (3, 4)])[0]) and data["y_range"] == [0.0, 5.0]
    assert data["x_label"] == "<i>x</i>" and data["height"] == 200
    assert data["max_points"] == MAX_POINTS and data["padding"] == PADDING
    json.dumps(data, allow_nan=False)
    with pytest.raises(ValueError, match="x_range must be two finite numbers with low < high"):
        component_data([], x_range=(3, 3))
    with pytest.raises(ValueError, match="y_range must be two numbers"):
        component_data([], y_range="ab")
    with pytest.raises(DataError, match="Point 1"):
        component_data([(math.nan, 1)])


def test_the_examples_in_the_docstrings_hold():
    import doctest

    import core.points

    assert doctest.testmod(core.points).failed == 0


def test_the_editor_returns_nothing_until_the_person_edits():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent / "e2e" / "point_editor_app.py")).run(timeout=30)
    assert not at.exception
    assert [t.value for t in at.text][:2] == ["count=0", "returned=null"]

"""Tests of core.squares (a line's sum of squares, the least-squares line, slider ranges) and of
core.figures.squares (residuals drawn as squares, the two sums as bars).

The figures are read back from the figure objects themselves: every square's
corners, the axes' scale lock, the colours and the texts.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import figures as F
from core.design import design_matrix
from core.figures.squares import EQUAL_AXES_MAX_RATIO, MAX_SQUARES, SUBTITLE_CHARS, TITLE_CHARS
from core.solve import fit_normal_equation
from core.squares import (SLIDER_POSITIONS, default_my_line, least_squares_line, line_ranges, line_sums,
                          require_straight_line)

OKABE_ITO = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOURS = pd.DataFrame({"hours": [1.0, 2.0, 3.0, 4.0, 5.0], "score": [2.0, 3.0, 4.5, 5.0, 7.0]})


def straight(x, y, feature="x", target="y"):
    """A one-feature degree-1 design and its fit."""
    design = design_matrix(pd.DataFrame({feature: x, target: y}), target, [feature])
    return design, fit_normal_equation(design)


@pytest.fixture(scope="module")
def hours():
    return straight(HOURS["hours"], HOURS["score"], "hours", "score")


def polygons(trace) -> list[tuple[np.ndarray, np.ndarray]]:
    """The closed outlines of a fill="toself" trace, split at its NaN gaps."""
    x, y = np.asarray(trace.x, dtype=float), np.asarray(trace.y, dtype=float)
    cuts = np.flatnonzero(np.isnan(x))
    assert np.array_equal(cuts, np.flatnonzero(np.isnan(y)))
    starts = np.concatenate([[0], cuts + 1])[:len(cuts)]
    return [(x[s:c], y[s:c]) for s, c in zip(starts, cuts)]


def square_traces(fig) -> list:
    return [t for t in fig.data if t.fill == "toself"]


def colours_in(value, key: str = "") -> list[str]:
    """Every colour string in a plotly JSON tree (keys ending in "color"), the template left out."""
    if isinstance(value, dict):
        return [c for k, v in value.items() if k != "template" for c in colours_in(v, k)]
    if isinstance(value, (list, tuple)):
        return [c for v in value for c in colours_in(v, key)]
    return [value] if key.endswith("color") and isinstance(value, str) else []


def as_hex(colour: str) -> str:
    """``"#d55e00"`` or ``"rgba(213, 94, 0, 0.25)"`` as ``"#D55E00"``."""
    found = re.fullmatch(r"rgba?\((\d+),\s*(\d+),\s*(\d+)(?:,\s*[\d.]+)?\)", colour)
    if found:
        return "#" + "".join(f"{int(v):02X}" for v in found.groups())
    return colour.upper()


# --------------------------------------------------------------------------- the worked example



def _flat(title: str) -> str:
    """A title as one line (titles are broken into phone-wide lines with <br>)."""
    return title.replace("<br>", " ")


def test_titles_and_subtitles_fit_a_phone_wide_chart():
    frame = pd.DataFrame({"a rather long feature name": np.arange(1, 6.0),
                          "an equally long target name": [2, 3, 4.5, 5, 7.0]})
    design = design_matrix(frame, "an equally long target name", ["a rather long feature name"])
    fit = fit_normal_equation(design)
    for fig in (F.residual_squares(design, fit, (0.0, 1.0), show="both"), F.sum_of_squares_bars(3.0, 12.5),
                F.sum_of_squares_bars(1.0, 0.5)):
        lines = fig.layout.title.text.split("<br>")
        assert max(map(len, lines)) <= TITLE_CHARS
        if fig.layout.title.subtitle.text:
            assert max(map(len, fig.layout.title.subtitle.text.split("<br>"))) <= SUBTITLE_CHARS

def test_hours_least_squares_sum_is_derived_by_hand(hours):
    design, fit = hours
    a, b = least_squares_line(design, fit)
    assert (a, b) == pytest.approx((0.7, 1.2), rel=1e-14)
    sums = line_sums(design.raw[:, 0], design.y, a, b)
    # By hand: ŷ = 0.7 + 1.2x gives 1.9, 3.1, 4.3, 5.5, 6.7 for x = 1..5, so the residuals
    # y − ŷ are 0.1, −0.1, 0.2, −0.5, 0.3 and their squares 0.01 + 0.01 + 0.04 + 0.25 + 0.09 = 0.40.
    # (Not 0.9: the brief's figure is not this line's sum.) Their mean is 0.4 / 5 = 0.08.
    assert sums.residuals == pytest.approx([0.1, -0.1, 0.2, -0.5, 0.3], abs=1e-14)
    assert sums.squares == pytest.approx([0.01, 0.01, 0.04, 0.25, 0.09], abs=1e-14)
    assert sums.sum_of_squares == pytest.approx(0.4, rel=1e-14)
    assert sums.mean_square == pytest.approx(0.08, rel=1e-14)
    assert sums.sum_of_squares == pytest.approx(fit.rss, rel=1e-12)
    # The default line ŷ = ȳ = 4.3 leaves the total sum of squares:
    # (−2.3)² + (−1.3)² + 0.2² + 0.7² + 2.7² = 5.29 + 1.69 + 0.04 + 0.49 + 7.29 = 14.8.
    assert default_my_line(design.y) == pytest.approx((4.3, 0.0), rel=1e-15)
    flat = line_sums(design.raw[:, 0], design.y, *default_my_line(design.y))
    assert flat.sum_of_squares == pytest.approx(14.8, rel=1e-14) == fit.tss


def test_hours_slider_ranges_hold_both_lines_on_round_steps(hours):
    (a_lo, a_hi, a_step), (b_lo, b_hi, b_step) = line_ranges(*hours)
    assert (a_lo, a_hi, a_step) == (-8.2, 13.2, 0.2)
    assert (b_lo, b_hi, b_step) == (-1.26, 2.46, 0.02)
    assert a_lo < 0.7 < a_hi and a_lo < 4.3 < a_hi and b_lo < 0 < 1.2 < b_hi


def test_line_sums_refuses_bad_input_in_words():
    with pytest.raises(ValueError, match="x has 3 and y has 2"):
        line_sums([1, 2, 3], [1, 2], 0, 1)
    with pytest.raises(ValueError, match="y value in data row 2 is not a finite number"):
        line_sums([1, 2, 3], [1, np.nan, 2], 0, 1)
    with pytest.raises(ValueError, match="slope must be a finite number"):
        line_sums([1, 2], [1, 2], 0, np.inf)
    with pytest.raises(ValueError, match="no data rows"):
        line_sums([], [], 0, 1)


@pytest.mark.parametrize("features, degree, intercept, words", [
    (["hours", "age"], 1, True, "one feature; this fit has 2 features (“hours”, “age”)"),
    (["hours"], 2, True, "polynomial of degree 2 in “hours”. Choose degree 1"),
    (["hours"], 1, False, "has none. Keep the intercept"),
])
def test_only_a_straight_line_with_an_intercept_is_drawn(features, degree, intercept, words):
    df = HOURS.assign(age=[20.0, 21.0, 19.0, 25.0, 22.0])
    design = design_matrix(df, "score", features, degree=degree, intercept=intercept)
    fit = fit_normal_equation(design)
    for call in (lambda: require_straight_line(design), lambda: least_squares_line(design, fit),
                 lambda: line_ranges(design, fit), lambda: F.residual_squares(design, fit)):
        with pytest.raises(ValueError, match=re.escape(words)):
            call()


# --------------------------------------------------------------------------- properties

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def data_and_line(draw):
    m = draw(st.integers(3, 30))
    x = np.array(draw(st.lists(finite, min_size=m, max_size=m)))
    y = np.array(draw(st.lists(finite, min_size=m, max_size=m)))
    assume(np.ptp(x) > 1e-3 * max(1.0, np.abs(x).max()))
    return x, y, draw(finite), draw(st.floats(-50, 50, allow_nan=False))


@SETTINGS
@given(data_and_line())
def test_least_squares_sum_is_the_fits_rss_and_no_line_does_better(case):
    x, y, a, b = case
    design, fit = straight(x, y)
    tss = float(((y - y.mean()) ** 2).sum())
    # Twelve digits of a sum of squares need residuals well above the rounding of y and of ŷ.
    assume(fit.rss > 1e-6 * max(tss, float((y**2).sum())))
    ls = line_sums(x, y, *least_squares_line(design, fit))
    assert ls.sum_of_squares == pytest.approx(fit.rss, rel=1e-12)
    assert ls.mean_square == pytest.approx(fit.rss / len(x), rel=1e-12)
    other = line_sums(x, y, a, b)
    assert other.sum_of_squares >= ls.sum_of_squares * (1 - 1e-12)
    # And by exactly how much: ‖X(θ − θ̂)‖², the squared distance between the two lines' predictions.
    gap = float(((other.predictions - ls.predictions) ** 2).sum())
    assert other.sum_of_squares - ls.sum_of_squares == pytest.approx(gap, rel=1e-6, abs=1e-9 * other.sum_of_squares)


def _is_round(step: float) -> bool:
    mantissa = float(f"{step:e}".split("e")[0])
    return mantissa in (1.0, 2.0, 5.0)


@SETTINGS
@given(data_and_line())
def test_slider_ranges_hold_the_least_squares_line_and_the_default(case):
    x, y, _, _ = case
    design, fit = straight(x, y)
    a, b = least_squares_line(design, fit)
    ranges = line_ranges(design, fit)
    for (lo, hi, step), value in zip(ranges, (a, b)):
        assert _is_round(step)
        assert lo < value < hi
        assert (hi - lo) / step <= SLIDER_POSITIONS + 2
        for end in (lo, hi):
            assert end / step == pytest.approx(round(end / step), abs=1e-6)
    start = default_my_line(y, step=ranges[0].step)
    assert ranges[0].lo <= start[0] <= ranges[0].hi and ranges[1].lo < start[1] < ranges[1].hi
    assert abs(start[0] - y.mean()) <= ranges[0].step / 2 * (1 + 1e-9)


# --------------------------------------------------------------------------- the squares figure


@pytest.mark.parametrize("show", ["least squares", "my line"])
def test_each_square_side_is_the_residual(hours, show):
    design, fit = hours
    my = (4.3, 0.2)
    fig = F.residual_squares(design, fit, my, show=show)
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    (trace,) = square_traces(fig)
    line = least_squares_line(design, fit) if show == "least squares" else my
    sums = line_sums(design.raw[:, 0], design.y, *line)
    shapes = polygons(trace)
    assert len(shapes) == design.m
    for (xs, ys), x, y, yhat, r in zip(shapes, design.raw[:, 0], design.y, sums.predictions, sums.residuals):
        assert len(xs) == 5 and xs[0] == xs[-1] and ys[0] == ys[-1]  # closed
        width, height = np.ptp(xs), np.ptp(ys)
        assert width == pytest.approx(abs(r), rel=1e-12) and height == pytest.approx(abs(r), rel=1e-12)
        assert xs.min() == x or xs.max() == x  # stands on the point's vertical
        assert sorted([ys.min(), ys.max()]) == pytest.approx(sorted([y, yhat]), abs=1e-12)
        # the line touches the square only along its ŷ edge: at the far side it is beyond that edge
        far = xs.max() if xs.min() == x else xs.min()
        at_far = line[0] + line[1] * far
        assert (at_far <= yhat + 1e-12) if yhat == ys.min() else (at_far >= yhat - 1e-12)
    assert sum(w * h for w, h in ((np.ptp(xs), np.ptp(ys)) for xs, ys in shapes)) == pytest.approx(
        sums.sum_of_squares, rel=1e-12)


def test_squares_of_both_lines_or_none(hours):
    design, fit = hours
    both = F.residual_squares(design, fit, (4.3, 0.0), show="both")
    assert [t.fillcolor for t in square_traces(both)] == ["rgba(213, 94, 0, 0.25)", "rgba(0, 158, 115, 0.25)"]
    assert square_traces(F.residual_squares(design, fit, (4.3, 0.0), show="none")) == []
    names = [t.name for t in both.data]
    assert any(n.startswith("my line: ŷ = 4.3 + 0·hours, sum of squares 14.8") for n in names)
    (dashed,) = [t for t in both.data if t.line.dash == "dash"]
    assert dashed.name.startswith("my line")
    with pytest.raises(ValueError, match="need my_line"):
        F.residual_squares(design, fit, None, show="my line")
    with pytest.raises(ValueError, match="show must be one of"):
        F.residual_squares(design, fit, show="mine")
    with pytest.raises(ValueError, match="pair \\(intercept, slope\\)"):
        F.residual_squares(design, fit, (1.0,))


def test_hours_figure_says_its_sum_in_title_and_text_alternative(hours):
    design, fit = hours
    fig = F.residual_squares(design, fit, (4.3, 0.0))
    assert _flat(fig.layout.title.text) == "Residual squares: sum 0.4 for the least-squares line"
    assert "both axes on one scale" in _flat(fig.layout.title.subtitle.text)
    assert "true squares because both axes use one scale" in fig.layout.meta
    assert fig.layout.meta.startswith("Residual squares: 5 points of score against hours; sums of squared residuals: "
                                      "least-squares line 0.4, my line 14.8; the least-squares line's residuals "
                                      "drawn as squares. Each residual y − ŷ is a square")
    mine = F.residual_squares(design, fit, (4.3, 0.0), show="my line")
    assert _flat(mine.layout.title.text) == "Residual squares: sum 14.8 for my line"


def test_very_different_spans_give_rectangles_and_say_so():
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 1, 30)
    y = 500 * x + rng.normal(0, 40, 30)  # y spans ~25 times x's range
    design, fit = straight(x, y)
    fig = F.residual_squares(design, fit)
    assert fig.layout.yaxis.scaleanchor is None
    assert "Rectangles" in fig.layout.title.subtitle.text and "rectangles" in fig.layout.meta
    sums = line_sums(x, y, *least_squares_line(design, fit))
    y_span = np.ptp(np.concatenate([y, sums.predictions]))
    assert y_span / np.ptp(x) > EQUAL_AXES_MAX_RATIO
    for (xs, ys), r in zip(polygons(square_traces(fig)[0]), sums.residuals):
        assert np.ptp(ys) == pytest.approx(abs(r), rel=1e-12)
        assert np.ptp(xs) == pytest.approx(abs(r) * np.ptp(x) / y_span, rel=1e-12)
    forced = F.residual_squares(design, fit, equal_axes=True)  # asked for: true squares even so
    assert forced.layout.yaxis.scaleanchor == "x"
    xs, ys = polygons(square_traces(forced)[0])[0]
    assert np.ptp(xs) == pytest.approx(np.ptp(ys), rel=1e-12)


def test_many_rows_draw_a_spread_of_squares_and_say_how_many():
    x = np.linspace(0, 10, 1000)
    y = x + np.sin(7 * x)
    design, fit = straight(x, y)
    fig = F.residual_squares(design, fit)
    (trace,) = square_traces(fig)
    assert len(polygons(trace)) == MAX_SQUARES
    assert trace.name == f"squares of the least-squares line's residuals ({MAX_SQUARES} of 1,000 shown)"
    assert len(fig.data[-1].x) == 1000  # every point is still drawn
    assert len(fig.to_json()) < 200_000


def test_figures_use_okabe_ito_only(hours):
    design, fit = hours
    figs = [F.residual_squares(design, fit, (4.3, 0.0), show=show) for show in ("least squares", "both")]
    figs.append(F.sum_of_squares_bars(0.4, 14.8))
    for fig in figs:
        colours = colours_in(fig.to_plotly_json())
        assert colours and {as_hex(c) for c in colours} <= OKABE_ITO, colours
    assert as_hex("rgba(1, 2, 3, 0.5)") == "#010203"  # the check reads rgba, and can fail


def test_hostile_names_are_escaped(hours):
    design, fit = straight(HOURS["hours"], HOURS["score"], "<b>x</b>", "<i>y</i> & co")
    for fig in (F.residual_squares(design, fit, (4.3, 0.0), show="both"),
                F.residual_squares(design, fit, (4.3, 0.0), equal_axes=False)):
        text = fig.to_json()
        texts = [fig.layout.title.subtitle.text, fig.layout.meta, fig.layout.xaxis.title.text,
                 fig.layout.yaxis.title.text, *(t.name for t in fig.data), fig.data[-1].hovertemplate]
        for part in texts:
            assert "<b>" not in part and "<i>" not in part and "& " not in part, part
        assert "&lt;b&gt;x&lt;/b&gt;" in fig.layout.xaxis.title.text
        assert "&lt;i&gt;y&lt;/i&gt; &amp; co" in fig.layout.yaxis.title.text
        assert "<b>x</b>" not in text


def test_template_and_layout_follow_the_common_style(hours):
    import plotly.io as pio
    design, fit = hours
    for fig in (F.residual_squares(design, fit), F.sum_of_squares_bars(0.4, 0.4)):
        assert fig.layout.template == pio.templates["plotly_white"]
        assert fig.layout.uirevision is not None and fig.layout.title.text and fig.layout.meta


# --------------------------------------------------------------------------- the two bars


def test_bars_show_both_sums_and_say_least_squares_is_never_larger():
    fig = F.sum_of_squares_bars(0.4, 14.8)
    (bar,) = fig.data
    assert list(bar.y) == ["my line", "least-squares line"] and list(bar.x) == [14.8, 0.4]
    assert list(bar.marker.color) == ["#009E73", "#D55E00"] and bar.orientation == "h"
    assert _flat(fig.layout.title.text) == "My line's sum of squares, 14.8, is larger: least squares (0.4) is never larger"
    assert fig.layout.meta.startswith("Sums of squared residuals: least-squares line 0.4, my line 14.8.")


def test_bars_call_equal_sums_equal_within_rounding():
    fig = F.sum_of_squares_bars(0.4, 0.4 * (1 + 1e-9))
    assert _flat(fig.layout.title.text) == "Equal within rounding: both lines leave a sum of squares of 0.4"
    assert "larger" in F.sum_of_squares_bars(0.4, 0.4002).layout.title.text  # differs in the 4th digit


def test_bars_do_not_hide_an_impossible_comparison():
    assert "do not come from the same data" in _flat(F.sum_of_squares_bars(1.0, 0.5).layout.title.text)
    for bad in (-1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="finite number ≥ 0"):
            F.sum_of_squares_bars(1.0, bad)

"""The point editor in a real browser: clicks, taps and drags edit the points, and Python gets them back.

Runs its own streamlit server on the harness page ``point_editor_app.py``
(the editor alone, with fixed 0..10 axes, the points stored by ``on_change``
and printed as text), so the editor is tested apart from the app's pages.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from core.points import least_squares_line
from e2e_support import open_app, save_screenshot, start_streamlit, stop_process, wait_idle

TOL = 0.05  # data units: one pixel is about 0.015 on the harness's 0..10 axes


def _start_server():
    """The harness page's streamlit server (process, url, log), or the test fails with its output."""
    try:
        return start_streamlit("tests/e2e/point_editor_app.py")
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="module")
def editor_url():
    """Base URL of a streamlit server running the harness page."""
    proc, url, log = _start_server()
    yield url
    stop_process(proc)
    log.close()


def _line(page: Page, name: str) -> str:
    return page.get_by_text(re.compile(f"^{name}=")).inner_text()


def returned(page: Page):
    return json.loads(_line(page, "returned").removeprefix("returned="))


def runs(page: Page) -> int:
    return int(re.search(r"runs=(\d+)", _line(page, "runs")).group(1))


def expect_count(page: Page, n: int) -> None:
    expect(page.get_by_text(re.compile(f"^count={n}$"))).to_be_visible(timeout=15_000)
    wait_idle(page)


def screen(page: Page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the data point (x, y), from the plot area and the axis ranges."""
    svg = page.locator("svg.pe-svg")
    box = page.locator("rect.pe-plot-area").bounding_box()
    x0, x1 = map(float, svg.get_attribute("data-x-range").split(","))
    y0, y1 = map(float, svg.get_attribute("data-y-range").split(","))
    return box["x"] + (x - x0) / (x1 - x0) * box["width"], box["y"] + (y1 - y) / (y1 - y0) * box["height"]


def assert_close(points, expected, tol: float = TOL) -> None:
    assert len(points) == len(expected), points
    for (px, py), (ex, ey) in zip(points, expected):
        assert abs(px - ex) < tol and abs(py - ey) < tol, (points, expected)


def equation(page: Page) -> tuple[float, float] | None:
    eq = page.locator(".pe-equation")
    a, b = eq.get_attribute("data-intercept"), eq.get_attribute("data-slope")
    return (float(a), float(b)) if a else None


def assert_equation_matches(page: Page, points) -> None:
    ref = least_squares_line(points)
    shown = equation(page)
    assert ref is not None and shown is not None
    assert abs(shown[0] - ref[0]) <= 1e-9 and abs(shown[1] - ref[1]) <= 1e-9, (shown, ref)
    assert page.locator(".pe-equation").inner_text().startswith("y = ")


def test_click_adds_removes_drags_and_undoes(page: Page, editor_url):
    open_app(page, editor_url)
    svg = page.locator("svg.pe-svg")
    expect(svg).to_have_attribute("role", "application")
    expect(svg).to_have_attribute("aria-label", re.compile(r"^Click to add points\. 0 points"))
    assert returned(page) is None
    expect(page.locator(".pe-equation")).to_have_text(re.compile("No points yet"))

    # Three clicks on empty space: three points, returned to Python.
    targets = [(2, 3), (5, 5), (8, 6)]
    for i, (x, y) in enumerate(targets, start=1):
        page.mouse.click(*screen(page, x, y))
        expect_count(page, i)
    assert_close(returned(page), targets)
    expect(svg).to_have_attribute("aria-label", re.compile(r"^Click to add points\. 3 points"))
    assert_equation_matches(page, returned(page))
    labels = page.locator("text.pe-label").all_text_contents()
    assert labels == ["hours studied", "score <b>not bold</b>"]  # text, never markup
    assert page.locator("svg.pe-svg b").count() == 0
    save_screenshot(page, "point_editor")

    # Drag the middle point up by 3: the line follows live, one rerun at the end.
    before, runs_before, line_before = returned(page), runs(page), equation(page)
    page.mouse.move(*screen(page, 5, 5))
    page.mouse.down()
    page.mouse.move(*screen(page, 5, 6.5), steps=8)
    assert equation(page) != line_before  # live, before the pointer is up
    page.mouse.move(*screen(page, 5, 8), steps=8)
    page.mouse.up()
    expect(page.get_by_text(re.compile(r"^returned=.*\[5(\.\d+)?, 8"))).to_be_visible(timeout=15_000)
    wait_idle(page)
    after = returned(page)
    assert_close(after, [before[0], (5, 8), before[2]])
    assert after[0] == before[0] and after[2] == before[2]
    assert runs(page) == runs_before + 1, "a drag must send one value (at the end), not one per frame"
    assert_equation_matches(page, after)

    # Undo restores the points before the drag.
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("returned=" + json.dumps(before), exact=True)).to_be_visible(timeout=15_000)
    wait_idle(page)
    assert_equation_matches(page, before)

    # A click on a point removes it.
    dot = page.locator("circle.pe-point").first.bounding_box()
    page.mouse.click(dot["x"] + dot["width"] / 2, dot["y"] + dot["height"] / 2)
    expect_count(page, 2)
    assert returned(page) == before[1:]

    # Keyboard: arrows move the cross from the centre (2 % of the axis a step), Enter adds a point
    # there; Tab reaches the buttons.
    svg.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect_count(page, 3)
    assert_close(returned(page)[-1:], [(4, 5)])
    svg.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Undo")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Clear")).to_be_focused()
    page.keyboard.press("Enter")
    expect_count(page, 0)
    assert returned(page) == []
    expect(page.locator(".pe-equation")).to_have_text(re.compile("No points yet"))


def test_fit_axes_changes_the_view_only(page: Page, editor_url):
    open_app(page, editor_url)
    for i, (x, y) in enumerate([(4, 4), (6, 7)], start=1):
        page.mouse.click(*screen(page, x, y))
        expect_count(page, i)
    runs_before = runs(page)
    page.get_by_role("button", name="Fit axes to points").click()
    svg = page.locator("svg.pe-svg")
    x0, x1 = map(float, svg.get_attribute("data-x-range").split(","))
    pts = returned(page)
    span = pts[1][0] - pts[0][0]
    assert (x0, x1) == pytest.approx((pts[0][0] - 0.1 * span, pts[1][0] + 0.1 * span))
    page.wait_for_timeout(500)
    assert runs(page) == runs_before  # the view is not sent to Python


@pytest.mark.browser_context_args(has_touch=True, viewport={"width": 390, "height": 844})
def test_touch_tap_adds_a_point(page: Page, editor_url):
    """On a phone-sized screen: a tap adds a point, a tap near it (a finger is not exact) removes it."""
    open_app(page, editor_url)
    page.touchscreen.tap(*screen(page, 3, 7))
    expect_count(page, 1)
    assert_close(returned(page), [(3, 7)], tol=0.1)
    save_screenshot(page, "point_editor_phone")
    dot = page.locator("circle.pe-point").first.bounding_box()
    page.touchscreen.tap(dot["x"] + dot["width"] / 2 + 6, dot["y"] + dot["height"] / 2 + 6)
    expect_count(page, 0)


def test_points_changed_by_python_replace_the_shown_ones(page: Page, editor_url):
    open_app(page, editor_url)
    page.mouse.click(*screen(page, 9, 1))
    expect_count(page, 1)
    page.get_by_role("button", name="Load the worked example").click()
    expect_count(page, 5)
    svg = page.locator("svg.pe-svg")
    expect(svg).to_have_attribute("aria-label", re.compile(r"^Click to add points\. 5 points"))
    expect(page.locator("circle.pe-point")).to_have_count(5)
    assert_equation_matches(page, [(1, 2), (2, 3), (3, 4.5), (4, 5), (5, 7)])
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()  # a new history for new data
    assert returned(page) is None  # nothing was edited on this run

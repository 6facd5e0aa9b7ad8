"""Every page usable on a phone (390×844, touch) and at 1024, 1400 and 1920 px: no sideways
scrolling, charts inside their column, no formula running past its column unless it scrolls
(and can be focused to scroll), no legend cut off, no table column hidden behind a scroll.

Checked on the default data and on real data (the Gapminder and Tips examples, a five-feature
upload). Screenshots go to ``test-artifacts/screenshots/`` (``phone_<page>.png`` and
``wide_<page>.png``).
"""

from __future__ import annotations

import io
import random
import re

import numpy as np
import pytest
from playwright.sync_api import Browser, Page, expect

from e2e_support import assert_healthy, open_app, page_js, save_screenshot, wait_idle
from test_accessibility import PAGES, go_to, wait_for_charts

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
WIDTHS = (1024, 1400, 1920)
#: Any request to a host other than this machine's loopback is refused (as conftest does).
OUTSIDE = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])[:/])")


def slug(title: str) -> str:
    return title.lower().replace(" ", "_")


# --------------------------------------------------------------------------- measurements

_PROBLEMS_JS = page_js("layout_problems")

_CLIPPED_LEGENDS_JS = page_js("layout_clipped_legends")


_MODEBAR_OVER_TITLE_JS = page_js("layout_modebar_over_title")


def wait_for_modebars(page: Page) -> None:
    """Wait until the page's charts are drawn with their modebars: the Gradient-descent page's live charts
    draw a moment after the run ends, when ``wait_for_charts`` already finds no chart left to wait for."""
    page.wait_for_function("""() => { const g = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
        return g.length && g.every(c => c.querySelector('.main-svg') && c.querySelector('.modebar')); }""",
                           timeout=30_000)


def modebar_over_titles(page: Page) -> tuple[int, list[str]]:
    """How many charts have a modebar and a title, and those whose modebar (or an annotation) covers part of the
    title, or whose title runs past the chart's edge."""
    found = page.evaluate(_MODEBAR_OVER_TITLE_JS)
    return found["charts"], found["bad"]


def problems(page: Page, check_tables: bool = True, settle_ms: int = 4000) -> list[str]:
    """What is wrong with the layout once it has settled: after a resize, plotly and the data
    grids follow the new width on their own timers (slower on a loaded two-core machine), so a
    problem counts only if it is still there after ``settle_ms``."""
    found = page.evaluate(_PROBLEMS_JS, check_tables)
    for _ in range(settle_ms // 250):
        if not found:
            break
        page.wait_for_timeout(250)
        found = page.evaluate(_PROBLEMS_JS, check_tables)
    return found


def clipped_legends(page: Page) -> list[str]:
    return page.evaluate(_CLIPPED_LEGENDS_JS)


def five_feature_csv(path) -> str:
    """A 40-row upload with five features with long names (a wide table, a long fitted equation)."""
    rng = random.Random(5)
    lines = ["temperature_celsius,humidity_percent,wind_speed_kmh,pressure_hpa,daylight_hours,energy_use_kwh"]
    for _ in range(40):
        x = [rng.uniform(-5, 35), rng.uniform(20, 95), rng.uniform(0, 60), rng.uniform(980, 1040), rng.uniform(8, 16)]
        y = 3.1 * x[0] - 0.4 * x[1] + 0.8 * x[2] + 0.05 * x[3] - 2 * x[4] + rng.gauss(0, 3)
        lines.append(",".join(f"{v:.3f}" for v in [*x, y]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def load(page: Page, dataset: str, tmp_path) -> None:
    """Load an example by its button label, or ``"upload"``: the five-feature file."""
    if dataset == "upload":
        box = page.get_by_test_id("stFileUploader").filter(has_text="Upload a CSV file")
        box.locator('input[type="file"]').set_input_files(five_feature_csv(tmp_path / "five_features.csv"))
    else:
        page.get_by_role("button", name=dataset, exact=True).click()
    wait_idle(page)
    expect(page.get_by_test_id("stSidebar")).not_to_contain_text("Hours studied")  # the default data


# --------------------------------------------------------------------------- phone


@pytest.fixture
def phone(browser: Browser):
    """A page in a 390×844 touch-screen context (a phone), with outside requests refused."""
    context = browser.new_context(**PHONE)
    context.route(OUTSIDE, lambda route: route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


def drag(page: Page, x: float, y: float, dx: float, dy: float, fingers: int = 1) -> None:
    """Touch the screen with ``fingers`` fingers (40 px apart) and move them by (dx, dy), by Chrome's touch events."""
    cdp = page.context.new_cdp_session(page)

    def points(t: float) -> list[dict]:
        return [{"x": x + 40 * f + dx * t, "y": y + dy * t, "id": f} for f in range(fingers)]

    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for k in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(k / 10)})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(400)


def main_scroll(page: Page) -> float:
    return page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")


@pytest.mark.parametrize("title", list(PAGES))
def test_phone_page_fits_the_screen(phone: Page, app_url: str, title: str):
    open_app(phone, app_url, PAGES[title])
    if title == "Normal equation":  # the residual squares and their sums, in an expander
        phone.get_by_text("Residuals as squares", exact=False).first.click()
    if title != "Compare":  # its charts wait for a button
        wait_for_modebars(phone)
    wait_for_charts(phone)
    assert_healthy(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    found = problems(phone, check_tables=False)  # a wide table may scroll inside its own frame on a phone
    assert not found, f"{title} at 390 px: {found}"
    charts, covered = modebar_over_titles(phone)
    assert charts or title == "Compare", f"{title}: no chart with a modebar and a title was measured"
    assert not covered, f"{title} at 390 px: chart titles covered: {covered}"
    save_screenshot(phone, f"phone_{slug(title)}")


def test_phone_one_finger_on_a_chart_scrolls_the_page_and_two_turn_the_scene(phone: Page, app_url: str):
    """Plotly's 3D camera and 2D drag layer would take the touch (plotly.js #2844, #6902): the page must scroll."""
    open_app(phone, app_url, "gradient_descent")
    wait_for_charts(phone)
    for target in (".st-key-surface .gl-container canvas", ".st-key-contour .nsewdrag"):
        element = phone.locator(target).first
        element.scroll_into_view_if_needed()
        phone.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollBy(0, -100)")
        phone.wait_for_timeout(200)
        box = element.bounding_box()
        before = main_scroll(phone)
        drag(phone, box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 150), 0, -150)
        assert main_scroll(phone) > before + 50, f"a swipe up on {target} did not scroll the page"
    # Two fingers still turn the 3D scene.
    camera = ("() => JSON.stringify(document.querySelector('.st-key-surface .js-plotly-plot')"
              "._fullLayout.scene._scene.getCamera().eye)")
    canvas = phone.locator(".st-key-surface .gl-container canvas").first
    canvas.scroll_into_view_if_needed()
    box, eye = canvas.bounding_box(), phone.evaluate(camera)
    drag(phone, box["x"] + box["width"] / 3, box["y"] + 120, 80, 0, fingers=2)
    assert phone.evaluate(camera) != eye, "a two-finger drag did not turn the 3D scene"


#: The 3D axis titles are drawn in WebGL, not in the SVG: the test paints each in a colour nothing
#: else in the cost figure uses and finds its pixels in a screenshot of the scene.
_TITLE_COLOURS = {"x": (255, 0, 0), "y": (0, 255, 0), "z": (0, 0, 255)}


def title_pixels(png: bytes) -> dict[str, tuple[int, tuple[int, int, int, int] | None]]:
    """Per axis: how many pixels have its title's colour, and their margins (left, top, right, bottom) in the image."""
    from PIL import Image  # Streamlit depends on Pillow

    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)
    height, width = rgb.shape[:2]
    found = {}
    for axis, colour in _TITLE_COLOURS.items():
        c = colour.index(255)
        others = np.delete(rgb, c, axis=2).max(axis=2)
        ys, xs = np.nonzero((rgb[:, :, c] > 170) & (others < 100))
        found[axis] = (int(xs.size), (int(xs.min()), int(ys.min()), int(width - 1 - xs.max()), int(height - 1 - ys.max()))
                       if xs.size else None)
    return found


def test_phone_3d_axis_titles_are_inside_the_scene(phone: Page, app_url: str):
    """At 390 px the cost surface's axis titles are whole: none cut at the scene's edge, none outside it.

    Each title's pixels must keep 2 px from every edge of the scene, and it must show at least 80 % of
    the pixels it has with the camera pulled 2.5 times further back (where every title is whole).
    """
    open_app(phone, app_url, "gradient_descent")
    wait_for_modebars(phone)
    wait_for_charts(phone)
    chart = phone.locator(".st-key-surface .js-plotly-plot").first
    chart.scroll_into_view_if_needed()
    phone.mouse.move(0, 0)  # no hover label over the scene
    chart.evaluate("g => window.Plotly.relayout(g, {" + ", ".join(
        f"'scene.{a}axis.title.font.color': 'rgb{c}'" for a, c in _TITLE_COLOURS.items()) + "})")
    phone.wait_for_timeout(800)
    scene = chart.locator("[id^=scene]").first
    near = title_pixels(scene.screenshot())
    chart.evaluate("g => { const e = g._fullLayout.scene.camera.eye; return window.Plotly.relayout(g, "
                   "{'scene.camera.eye': {x: 2.5 * e.x, y: 2.5 * e.y, z: 2.5 * e.z}}); }")
    phone.wait_for_timeout(800)
    far = title_pixels(scene.screenshot())
    cut = {}
    for axis, (count, margins) in near.items():
        whole = far[axis][0]
        assert whole > 20, f"the {axis}-axis title was not found even with the camera pulled back: {far}"
        if count < 0.8 * whole or margins is None or min(margins) < 2:
            cut[axis] = f"{count} of {whole} pixels, margins (left, top, right, bottom) {margins}"
    assert not cut, f"3D axis titles cut at 390 px: {cut}"


# --------------------------------------------------------------------------- desktop widths


@pytest.mark.parametrize("dataset", ["Gapminder", "Tips", "upload"])
def test_every_page_fits_at_1024_1400_and_1920(page: Page, app_url: str, dataset: str, tmp_path):
    open_app(page, app_url)
    load(page, dataset, tmp_path)
    found: dict[str, list[str]] = {}
    # The Data page shows the examples as the user's own table and one chart: checked with the upload.
    for title in PAGES if dataset == "upload" else [t for t in PAGES if t != "Data"]:
        if title != "Data":
            go_to(page, title)
        wait_for_charts(page)
        assert_healthy(page)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.wait_for_timeout(300)  # plotly and the data grids follow the new width
            # The Data page's editable table is the user's own data: wide data scrolls inside its frame.
            issues = problems(page, check_tables=title != "Data")
            if dataset != "upload":  # its legends: test_legends_fit_their_charts
                issues += [f"legend of {k} cut off" for k in clipped_legends(page)]
            if issues:
                found[f"{title} at {width} px"] = issues
        page.set_viewport_size({"width": 1400, "height": 900})
        if dataset == "upload":
            save_screenshot(page, f"wide_{slug(title)}")
    assert not found, f"{dataset}: {found}"


def test_legends_fit_their_charts(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    load(page, "upload", tmp_path)
    wait_for_charts(page)
    # The same legend is cut off on the Normal-equation (ne_fit) and Gradient-descent (fit_at_step) pages.
    assert not clipped_legends(page), "The fitted line's legend is cut off on the Data page at 1400 px"

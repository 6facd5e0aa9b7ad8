"""The app in a real browser: pages open, examples load, uploads work or fail cleanly,
the learning-rate slider drives gradient descent, the 3D surface renders.

One streamlit server for the session (``app_url``); each test has its own browser
context, hence its own Streamlit session (the hours example on first load).
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e_support import (assert_healthy, grid_rows, main, open_app, page_js, save_screenshot, sidebar,
                         upload, wait_idle)

PAGES = ["Data", "Normal equation", "Gradient descent", "Compare"]
SCREENSHOT_NAMES = {
    "Data": "data",
    "Normal equation": "normal_equation",
    "Gradient descent": "gradient_descent",
    "Compare": "compare",
}


# --------------------------------------------------------------------------- helpers


def go_to(page: Page, title: str) -> None:
    """Click the page's link in the sidebar navigation and wait for the run to end."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_idle(page)
    expect(main(page).get_by_role("heading", level=1).first).to_contain_text(title, ignore_case=True)
    wait_idle(page)


def pick_example(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    wait_idle(page)


def alpha_thumb(page: Page):
    return page.locator(".st-key-alpha").get_by_role("slider")


def alpha_value(page: Page) -> str:
    """The learning rate the slider shows (its thumb label)."""
    return page.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue").inner_text().split()[0]


def plotly_charts(page: Page):
    """The page's plotly charts (not the instant lab's, which sit in a closed expander)."""
    return main(page).locator(".js-plotly-plot:not(.dl-plot)")


# --------------------------------------------------------------------------- tests


def test_app_opens_on_data_page_with_hours_example(page: Page, app_url: str):
    open_app(page, app_url)
    expect(main(page).get_by_role("heading", level=1).first).to_have_text("Data")
    expect(sidebar(page)).to_contain_text("Hours studied")
    expect(sidebar(page)).to_contain_text("5 rows")
    # Every example button and the uploader are there under their stable labels.
    for label in ["Hours studied", "Three points", "Tips", "Iris", "Gapminder", "Synthetic"]:
        expect(page.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(page.get_by_test_id("stFileUploader").filter(has_text="Upload a CSV file")).to_be_visible()
    # The navigation lists the four pages.
    nav = page.get_by_test_id("stSidebarNav")
    for title in PAGES:
        expect(nav.get_by_role("link", name=title)).to_be_visible()
    expect(plotly_charts(page).first).to_be_visible()
    assert_healthy(page)
    save_screenshot(page, SCREENSHOT_NAMES["Data"])


def test_example_then_normal_equation_shows_theta(page: Page, app_url: str):
    open_app(page, app_url)
    # Switch away first, so that picking "Hours studied" is a real change.
    pick_example(page, "Three points")
    expect(sidebar(page)).to_contain_text("3 rows")
    expect(sidebar(page)).not_to_contain_text("Hours studied")
    pick_example(page, "Hours studied")
    expect(sidebar(page)).to_contain_text("5 rows")
    expect(sidebar(page)).to_contain_text("Hours studied")

    go_to(page, "Normal equation")
    assert urlsplit(page.url).path.rstrip("/").endswith("normal_equation")  # the query holds the view
    body = main(page)
    # θ̂ = (0.7, 1.2) for hours → score, shown on the page itself (not only in the sidebar):
    # the fitted equation, and the solved vector θ = [0.7; 1.2] in the worked steps.
    expect(body).to_contain_text("0.7 + 1.2·hours")
    text = body.inner_text()
    assert re.search(r"(?<![\d.])0\.7\s+1\.2(?![\d])", text), "θ = (0.7, 1.2) vector not found on the page"
    assert not re.search(r"0\.7000|0\.6999|1\.1999|1\.2000", text), "θ shown with float noise"
    assert_healthy(page)
    save_screenshot(page, SCREENSHOT_NAMES["Normal equation"])


def test_upload_csv_then_broken_file_keeps_previous_data(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    good = tmp_path / "ice_cream.csv"
    rows = [(t, 2.5 * t + 3.0 + (0.7 if t % 2 else -0.4)) for t in range(10, 22)]  # 12 rows
    good.write_text("temperature,sales\n" + "".join(f"{t},{s:.2f}\n" for t, s in rows), encoding="utf-8")
    upload(page, good)
    expect(sidebar(page)).to_contain_text("ice_cream.csv")
    expect(sidebar(page)).to_contain_text("12 rows")
    expect(sidebar(page)).to_contain_text("sales")
    expect(sidebar(page)).to_contain_text("temperature")
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    # The table shows the new columns.
    expect(main(page).get_by_test_id("stDataFrame").first).to_contain_text("temperature")

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\xff\xfe\x00garbage,,\x00\n")
    upload(page, broken)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("broken.csv")
    expect(error).to_contain_text("previous data")
    # The previous data is still loaded.
    expect(sidebar(page)).to_contain_text("ice_cream.csv")
    expect(sidebar(page)).to_contain_text("12 rows")
    assert_healthy(page)


def descent_status(page: Page):
    """The alert saying how the gradient-descent run ended (Converged / Diverged / Stopped ...)."""
    return main(page).get_by_test_id("stAlertContainer").filter(
        has_text=re.compile(r"Converged in|Diverged after|Stopped at the iteration limit"))


def test_learning_rate_slider_with_keyboard_reruns_descent(page: Page, app_url: str):
    open_app(page, app_url)
    go_to(page, "Gradient descent")
    thumb = alpha_thumb(page)
    expect(thumb).to_be_visible()
    expect(descent_status(page)).to_have_count(1)
    before_value = alpha_value(page)
    before_status = descent_status(page).inner_text()

    thumb.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        wait_idle(page)
    after_right = alpha_value(page)
    assert float(after_right) > float(before_value), (before_value, after_right)
    expect(descent_status(page)).to_have_count(1)
    status_right = descent_status(page).inner_text()
    assert status_right != before_status, status_right
    # The new α is part of the run the page reports on.
    expect(page.locator(".st-key-alpha")).to_contain_text(after_right)

    alpha_thumb(page).focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    after_left = alpha_value(page)
    assert float(before_value) <= float(after_left) < float(after_right), (before_value, after_left, after_right)
    status_left = descent_status(page).inner_text()
    assert status_left != status_right, status_left
    assert_healthy(page)


def test_gradient_descent_surface_renders_in_webgl(page: Page, app_url: str):
    open_app(page, app_url)
    go_to(page, "Gradient descent")
    surface = plotly_charts(page).filter(has=page.locator(".gl-container canvas"))
    expect(surface.first).to_be_visible(timeout=30_000)
    canvas = surface.first.locator(".gl-container canvas").first
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    # Plotly drew the scene (it did not fall back to its "WebGL is not supported" notice).
    has_scene = surface.first.evaluate(
        "gd => !!(gd._fullLayout && Object.keys(gd._fullLayout).some("
        "k => k.startsWith('scene') && gd._fullLayout[k]._scene && gd._fullLayout[k]._scene.glplot))"
    )
    assert has_scene
    # The canvas is not blank: a rendered surface has many distinct colours.
    png = surface.first.screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 50
    expect(page.get_by_text("WebGL is not supported")).to_have_count(0)
    assert_healthy(page)
    save_screenshot(page, SCREENSHOT_NAMES["Gradient descent"])


_MARK_JS = page_js("app_mark_charts")

_EYE_JS = page_js("app_surface_eye")


def rotate_surface(page: Page) -> dict:
    """Rotate the 3D scene with a mouse drag (a GUI edit, which plotly's uirevision keeps); the new eye."""
    page.locator(".st-key-surface .js-plotly-plot").first.scroll_into_view_if_needed()
    box = page.locator(".st-key-surface .gl-container canvas").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + 12 * k, y + 3 * k)
    page.mouse.up()
    page.wait_for_timeout(300)
    return page.evaluate(_EYE_JS)


_SAME_JS = page_js("app_same_charts")


def test_alpha_change_updates_the_surface_in_place_and_keeps_the_camera(page: Page, app_url: str):
    """An α change redraws the path on the SAME WebGL canvas (no remount), and a rotated camera stays."""
    open_app(page, app_url)
    go_to(page, "Gradient descent")
    surface = page.locator(".st-key-surface .js-plotly-plot .gl-container canvas").first
    expect(surface).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-contour .js-plotly-plot .cartesianlayer")).to_have_count(1, timeout=30_000)
    assert page.evaluate(_MARK_JS)
    default_eye = page.evaluate(_EYE_JS)
    eye = rotate_surface(page)
    assert abs(eye["x"] - default_eye["x"]) > 0.1, (default_eye, eye)  # the drag did rotate it
    path_before = page.evaluate(_SAME_JS)["pathX"]

    alpha_thumb(page).focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    # The path is redrawn (a smaller α takes smaller steps) ...
    page.wait_for_function(
        """(before) => { const gd = document.querySelector('.st-key-surface .js-plotly-plot');
             const t = gd && gd._fullData.find(t => (t.name || '').startsWith('gradient-descent path'));
             return t && (t.x.length !== before.length || Array.from(t.x).some((v, i) => v !== before[i])); }""",
        arg=path_before, timeout=30_000)
    after = page.evaluate(_SAME_JS)
    # ... on the same plot div and the same WebGL canvas (updated in place, not remounted) ...
    assert after["sameDiv"] and after["sameCanvas"] and after["connected"], after
    # (the page's other charts too: contour, cost history, fitted line)
    assert after["sameOthers"], after
    # ... and the camera the user chose is kept.
    assert after["eye"] == {k: pytest.approx(v) for k, v in eye.items()}, after["eye"]
    expect(page.get_by_text("WebGL is not supported")).to_have_count(0)
    expect(page.get_by_text("could not be drawn")).to_have_count(0)
    assert_healthy(page)


def test_gradient_descent_deep_link_draws_every_chart(page: Page, app_url: str):
    """Opened directly, the page has no st.plotly_chart to load Plotly: the live charts load it."""
    open_app(page, app_url, "gradient_descent")
    for key in ("surface", "contour", "history", "fit_at_step"):
        expect(page.locator(f".st-key-{key} .js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    expect(page.locator(".st-key-surface .js-plotly-plot .gl-container canvas").first).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(0)
    expect(page.get_by_text("could not be drawn")).to_have_count(0)
    expect(page.get_by_text("Loading chart")).to_have_count(0)
    assert_healthy(page)


def test_compare_page_opens(page: Page, app_url: str):
    open_app(page, app_url)
    go_to(page, "Compare")
    assert urlsplit(page.url).path.rstrip("/").endswith("compare")
    body = main(page)
    # Both methods' coefficients side by side: θ̂ = (0.7, 1.2) from the normal equation, and gradient
    # descent within the tolerance of it.
    rows = grid_rows(body.get_by_test_id("stDataFrame").first)
    assert rows[0] == ["coefficient", "normal equation", "gradient descent", "difference"], rows
    assert [r[:2] for r in rows[1:]] == [["θ₀ (intercept)", "0.7"], ["θ₁ (hours)", "1.2"]], rows
    assert [round(float(r[2]), 3) for r in rows[1:]] == [0.7, 1.2], rows
    for _, ne, gd, shown in rows[1:]:  # the difference column is gd − ne to its 3 digits
        d = float(gd) - float(ne)
        assert abs(float(shown.replace("−", "-")) - d) <= 5e-3 * abs(d) + 1e-15, rows
    expect(descent_status(page)).to_have_count(1)
    assert_healthy(page)
    save_screenshot(page, SCREENSHOT_NAMES["Compare"])


def test_no_request_leaves_the_machine(page: Page, app_url: str, outside_requests: list[str]):
    """The app works offline: every page loads without asking any other host for anything."""
    open_app(page, app_url)
    for title in PAGES[1:]:
        go_to(page, title)
    page.wait_for_timeout(500)  # late requests (favicon, fonts)
    assert_healthy(page)
    assert not outside_requests, (
        "The app asked hosts other than 127.0.0.1 for (blocked by the test): "
        + ", ".join(sorted(set(outside_requests)))
    )

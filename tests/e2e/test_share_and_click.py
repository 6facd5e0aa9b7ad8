"""Click-created data and links that reproduce the view, in the app itself (real Chromium).

Three clicks on the Data page's plot make a dataset (the sidebar's row count and θ change), a click on
a point removes it, a drag moves it; the address after clicking points and moving α, opened in a
fresh browser context, shows the same rows, α, dataset and page; F5 keeps them; a teacher's link
hides the named controls and reports the challenge met.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from e2e_support import VIEWPORT, assert_healthy, main, open_app, save_screenshot, sidebar, upload, wait_idle


def open_editor(page: Page) -> None:
    main(page).get_by_text("Click to create points", exact=True).click()
    expect(page.locator("svg.pe-svg").first).to_be_visible(timeout=20_000)


def screen(page: Page, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of the data point (x, y), with the plot scrolled to the middle of the window."""
    page.locator("rect.pe-plot-area").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    svg = page.locator("svg.pe-svg").first
    box = page.locator("rect.pe-plot-area").first.bounding_box()
    x0, x1 = map(float, svg.get_attribute("data-x-range").split(","))
    y0, y1 = map(float, svg.get_attribute("data-y-range").split(","))
    return box["x"] + (x - x0) / (x1 - x0) * box["width"], box["y"] + (y1 - y) / (y1 - y0) * box["height"]


def click_at(page: Page, x: float, y: float) -> None:
    page.mouse.click(*screen(page, x, y))
    wait_idle(page)


def fit_line(page: Page) -> str:
    return sidebar(page).get_by_text(re.compile(r"R²")).inner_text()


def test_clicks_make_a_dataset_a_click_removes_and_a_drag_moves(page: Page, app_url: str):
    open_app(page, app_url)
    open_editor(page)
    page.get_by_role("button", name="Start from an empty plot").click()
    wait_idle(page)
    expect(page.locator("svg.pe-svg").first).to_have_attribute("aria-label", re.compile(r"^Click to add points"))
    before = fit_line(page)
    for x, y in ((2.0, 3.0), (5.0, 4.0), (8.0, 9.0)):
        click_at(page, x, y)
    expect(sidebar(page)).to_contain_text("Clicked points")
    expect(sidebar(page)).to_contain_text("3 rows")
    assert fit_line(page) != before
    three = fit_line(page)

    click_at(page, 5.0, 4.0)  # on a point: removes it
    expect(sidebar(page)).to_contain_text("2 rows")
    click_at(page, 5.0, 6.0)
    expect(sidebar(page)).to_contain_text("3 rows")
    start = screen(page, 5.0, 6.0)
    end = screen(page, 5.0, 1.0)  # the same scroll position: both computed after centring
    page.mouse.move(*start)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(start[0] + (end[0] - start[0]) * k / 10, start[1] + (end[1] - start[1]) * k / 10)
    page.mouse.up()
    wait_idle(page)
    expect(sidebar(page)).to_contain_text("3 rows")
    assert fit_line(page) not in (three, before)
    assert_healthy(page)
    save_screenshot(page, "click_points")


def test_a_copied_address_reproduces_points_alpha_and_page_and_f5_keeps_them(page: Page, app_url: str,
                                                                             browser: Browser):
    open_app(page, app_url)
    open_editor(page)
    page.get_by_role("button", name="Start from an empty plot").click()
    wait_idle(page)
    for x, y in ((1.0, 2.0), (4.0, 5.0), (6.0, 5.5), (9.0, 8.0)):
        click_at(page, x, y)
    expect(sidebar(page)).to_contain_text("4 rows")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
    wait_idle(page)
    thumb = page.locator(".st-key-alpha").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    page.keyboard.press("ArrowLeft")
    wait_idle(page)
    alpha = page.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue").inner_text().split()[0]
    page.wait_for_function("a => new URLSearchParams(location.search).get('alpha') === a", arg=alpha)
    address = page.url
    assert "/gradient_descent?" in address and "data=" in address
    summary = fit_line(page)

    fresh = browser.new_context(viewport=dict(VIEWPORT))
    other = fresh.new_page()
    other.goto(address)
    wait_idle(other)
    expect(main(other).get_by_role("heading", level=1).first).to_have_text("Gradient descent")
    expect(sidebar(other)).to_contain_text("Clicked points")
    expect(sidebar(other)).to_contain_text("4 rows")
    assert fit_line(other) == summary
    value = other.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue").inner_text().split()[0]
    assert value == alpha
    assert_healthy(other)
    fresh.close()

    page.reload()
    wait_idle(page)
    expect(sidebar(page)).to_contain_text("4 rows")
    assert page.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue").inner_text().split()[0] == alpha
    assert_healthy(page)


def test_a_teacher_link_hides_controls_and_reports_the_challenge_met(page: Page, app_url: str):
    open_app(page, app_url, "gradient_descent?example=hours&hide=optimizer,theta0&challenge=make_it_diverge")
    expect(main(page)).to_contain_text("Challenge:")
    expect(page.locator(".st-key-optimizer")).to_have_count(0)
    expect(page.locator(".st-key-theta0_0")).to_have_count(0)
    expect(page.locator(".st-key-alpha")).to_have_count(1)
    thumb = page.locator(".st-key-alpha").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("End")
    wait_idle(page)
    expect(main(page)).to_contain_text("Challenge met!")
    assert_healthy(page)


def _warnings(page: Page) -> str:
    """The text of every warning on the page, once the first is shown."""
    alerts = page.get_by_test_id("stAlertContentWarning")
    expect(alerts.first).to_be_visible()
    return " ".join(alerts.all_inner_texts())


def test_a_hostile_link_shows_messages_and_defaults(page: Page, app_url: str):
    open_app(page, app_url, "gradient_descent?alpha=1e999&iterations=nan&example=%3Cscript%3E&tol=inf")
    text = _warnings(page)
    assert all(name in text for name in ("alpha", "iterations", "example", "tol")), text
    expect(sidebar(page)).to_contain_text("Hours studied")
    assert_healthy(page)


def test_page_local_controls_are_bound_to_the_address_and_survive_a_reload(page: Page, app_url: str):
    """The Compare page's tolerance is bound with bind="query-params": the URL follows it, F5 keeps it,
    and the hand-written parameters (the dataset) stay beside it."""
    open_app(page, app_url, "compare?example=hours")
    thumb = page.locator(".st-key-cmp_tol").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => new URLSearchParams(location.search).get('cmp_tol') === '1e-05'")
    wait_idle(page)
    assert "features=hours" in page.url  # the hand-written parameters are still there
    page.reload()
    wait_idle(page)
    expect(page.locator(".st-key-cmp_tol").get_by_test_id("stSliderThumbValue")).to_have_text("1e-05")
    assert "cmp_tol=1e-05" in page.url and "features=hours" in page.url
    assert_healthy(page)


def test_a_bound_control_given_a_bad_value_by_a_link_says_so(page: Page, app_url: str):
    open_app(page, app_url, "compare?example=hours&cmp_tol=%3Cb%3Ebig%3C/b%3E&bench_budget=99")
    text = _warnings(page)
    assert "cmp_tol" in text and "<b>big</b>" in text and "bench_budget" in text
    expect(page.locator(".st-key-cmp_tol").get_by_test_id("stSliderThumbValue")).to_have_text("1e-06")
    assert "cmp_tol" not in page.url  # Streamlit dropped the value it could not use
    assert_healthy(page)


def test_the_share_box_shows_a_qr_code_for_a_projector(page: Page, app_url: str):
    open_app(page, app_url, "gradient_descent?example=hours")
    sidebar(page).get_by_text("Share this view").click()
    sidebar(page).get_by_text("QR code for a projector").click()
    wait_idle(page)
    image = sidebar(page).locator("[data-testid='stImage'] img")
    expect(image).to_be_visible()
    box = image.bounding_box()
    assert box and box["width"] >= 150 and abs(box["width"] - box["height"]) < 2  # square, big enough to scan
    save_screenshot(page, "share_qr")
    assert_healthy(page)


def test_a_reload_keeps_uploaded_data_too_large_for_a_link(page: Page, app_url: str, tmp_path):
    """The link cannot carry 3,000 rows of full-precision numbers: the server holds them for it."""
    import numpy as np

    rng = np.random.default_rng(1)
    path = tmp_path / "survey.csv"
    rows = "".join(f"{a:.17g},{b:.17g}\n" for a, b in rng.normal(size=(3000, 2)))
    path.write_text("x,y\n" + rows)
    open_app(page, app_url)
    upload(page, path)
    expect(sidebar(page)).to_contain_text("3,000 rows")
    page.wait_for_function("() => new URLSearchParams(location.search).has('held')")
    page.reload()
    wait_idle(page)
    expect(sidebar(page)).to_contain_text("survey.csv")
    expect(sidebar(page)).to_contain_text("3,000 rows")
    assert_healthy(page)

"""The Gradient-descent page as a lab, in a real browser: standardising makes real data converge; the instant
lab's fitted line follows α and the scrubber in the page and fits its column at 1024, 1400 and 390 px."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, open_app, page_js, save_screenshot, wait_idle


def status(page: Page):
    return page.get_by_test_id("stMain").get_by_test_id("stAlertContainer").filter(
        has_text=re.compile(r"Converged in|Diverged after|Stopped at the iteration limit")).first


def test_standardising_makes_a_real_data_run_converge_at_the_default_settings(page: Page, app_url: str):
    open_app(page, app_url)
    page.get_by_role("button", name="Tips", exact=True).click()  # total_bill in dollars: scales differ
    wait_idle(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
    wait_idle(page)
    toggle = page.locator(".st-key-standardise").get_by_role("switch")
    expect(toggle).to_be_checked()  # on by default for data whose columns' scales differ a lot
    expect(status(page)).to_contain_text("Converged in")
    page.locator(".st-key-standardise").get_by_text("Standardise features").click()
    wait_idle(page)
    expect(toggle).not_to_be_checked()
    expect(status(page)).to_contain_text("Stopped at the iteration limit")
    expect(status(page)).to_contain_text("standardis")  # the verdict offers the toggle
    assert_healthy(page)


LINE = "document.querySelector('.dl-line-top')"


def open_lab_on_tips(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    page.get_by_role("button", name="Tips", exact=True).click()
    wait_idle(page)
    # The address bar holds the data: the same view on the Gradient-descent page (a phone hides the sidebar).
    address = urlsplit(page.url)
    page.goto(urlunsplit(address._replace(path=address.path.rstrip("/") + "/gradient_descent")))
    wait_idle(page)
    page.locator(".st-key-lab_open").get_by_role("switch").click(force=True)
    wait_idle(page)
    page.wait_for_function(f"() => {{ const g = {LAB}; return g && g.__lab && g.__lab.heavyDraws > 0 && "
                           f"{LINE}.data; }}", timeout=60_000)


LAB = "document.querySelector('.descent-lab')"


def line_state(page: Page) -> dict:
    return page.evaluate(page_js("lab_page_line_state"))


def test_the_lab_draws_the_fitted_line_and_moves_it_with_alpha_and_the_scrubber(page: Page, app_url: str):
    open_lab_on_tips(page, app_url)
    first = line_state(page)
    assert first["title"] == "Fitted line at the step shown" and first["shown"] == first["step"]
    assert 0 < first["points"] <= 500 and "tip against total_bill" in first["label"]
    assert first["rootLeft"] - 1 <= first["left"] and first["right"] <= first["rootRight"] + 1
    # The scrubber to step 0: the line goes back to the start, in the page.
    page.evaluate("() => { window.__runs = 0; new MutationObserver(() => { if (document.querySelector("
                  "'[data-testid=\"stApp\"]').getAttribute('data-test-script-state') === 'running') window.__runs++; })"
                  ".observe(document.querySelector('[data-testid=\"stApp\"]'), {attributes: true}); }")
    page.locator(".dl-scrub").focus()
    page.keyboard.press("Home")
    page.wait_for_function(f"() => {LINE}.data[0].meta === 0")
    start = line_state(page)
    assert start["y"] != first["y"]
    # An α key: the line is redrawn for the new run, before any round trip.
    page.locator(".dl-slider").focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => {LAB}.__lab.alpha < {page.evaluate(f'() => {LAB}.__lab.P.alpha')}")
    page.wait_for_function(f"() => {LINE}.data[0].meta !== 0")
    moved = line_state(page)
    assert moved["y"] != start["y"] and page.evaluate("() => window.__runs") == 0
    assert_healthy(page)


@pytest.mark.parametrize("width", [1024, 1400, 390])
def test_the_labs_fitted_line_fits_its_column(page: Page, app_url: str, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    open_lab_on_tips(page, app_url)
    page.wait_for_timeout(500)
    state = line_state(page)
    assert state["rootLeft"] - 1 <= state["left"] and state["right"] <= min(state["rootRight"], state["width"]) + 1, state
    # Its plot area is inside its div: plotly laid it out at the column's width.
    inner = page.evaluate(f"() => {{ const gd = {LINE}, fl = gd._fullLayout; return [fl.width, gd.clientWidth]; }}")
    assert abs(inner[0] - inner[1]) <= 2, inner
    page.locator(".dl-line").scroll_into_view_if_needed()
    save_screenshot(page, f"descent_lab_line_{width}")

"""Accessibility checked by a machine on every page: axe-core finds no serious or critical
violation and no heading that skips a level (``heading-order``), faded text keeps a 4.5:1 contrast, every chart has a text alternative, and the
keyboard reaches the controls in reading order (the learning-rate slider moves with the arrows).

axe-core runs in the page through ``axe-playwright-python`` (it bundles axe's script). Where
axe cannot decide a contrast (it reports Streamlit's faded sidebar caption as "incomplete":
background overlapped), :data:`_FADED_TEXT_JS` computes it directly.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, open_app, page_js, wait_idle

#: Page title -> URL path of its deep link.
PAGES = {"Data": "", "Normal equation": "normal_equation", "Gradient descent": "gradient_descent",
         "Compare": "compare"}
SERIOUS = {"serious", "critical"}
#: WCAG 2.1 AA: 4.5:1 for text under 18.66 px bold / 24 px regular, 3:1 above.
MIN_CONTRAST, MIN_CONTRAST_LARGE = 4.5, 3.0


def go_to(page: Page, title: str) -> None:
    """Click the page's link in the sidebar navigation and wait for the run to end."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    wait_idle(page)
    expect(page.get_by_test_id("stMain").get_by_role("heading", level=1).first).to_contain_text(
        title.split()[0], ignore_case=True)
    wait_idle(page)


def wait_for_charts(page: Page) -> None:
    """Wait until every plotly chart on the page has drawn its SVG (live charts draw after the run)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')].every(g => g.querySelector('.main-svg'))",
        timeout=30_000)
    page.wait_for_timeout(300)


# --------------------------------------------------------------------------- axe and contrast

_FADED_TEXT_JS = page_js("accessibility_faded_text")


#: Rules whose violations fail the test whatever their impact: headings that skip a level (moderate).
ALWAYS = {"heading-order"}


def axe_results(page: Page) -> dict:
    """axe-core's full response for the page (violations, passes, incomplete, inapplicable)."""
    return Axe().run(page, options={"resultTypes": ["violations"]}).response  # the other lists name their rules


def serious_violations(page: Page, response: dict | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page, and any of :data:`ALWAYS`, one line per element."""
    response = response if response is not None else axe_results(page)
    return [f"{v['id']} ({v['impact']}): {', '.join(map(str, node['target']))}: {v['help']}"
            for v in response["violations"] if v["impact"] in SERIOUS or v["id"] in ALWAYS for node in v["nodes"]]


@pytest.mark.parametrize("title", list(PAGES))
def test_axe_finds_no_serious_violation_and_faded_text_is_readable(page: Page, app_url: str, title: str):
    open_app(page, app_url, PAGES[title])
    wait_for_charts(page)
    assert_healthy(page)
    response = axe_results(page)
    found = serious_violations(page, response)
    assert not found, f"axe-core on the {title} page:\n" + "\n".join(found)
    # The heading order was checked, not skipped: the page has headings (its h1, the sidebar's h4, h2 sections).
    assert any(rule["id"] == "heading-order" for rule in response["passes"]), \
        f"axe-core did not check the heading order on the {title} page"
    levels = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
                           ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))")
    assert levels.count(1) == 1, f"the {title} page has {levels.count(1)} visible h1 headings: {levels}"
    # Captions are faded with CSS opacity, where axe gives up ("background overlapped").
    low = page.evaluate(_FADED_TEXT_JS, [MIN_CONTRAST, MIN_CONTRAST_LARGE])
    assert not low, f"Text below the WCAG AA contrast on the {title} page: {low}"
    if title == "Data":  # the heading check itself sees a heading that skips a level (h1 → h3)
        page.get_by_test_id("stMain").get_by_role("heading", level=1).first.evaluate(
            "h => h.insertAdjacentHTML('afterend', '<h3>skips a level</h3>')")
        assert any(line.startswith("heading-order") for line in serious_violations(page)), "h1 → h3 not seen"
        page.evaluate("() => document.querySelectorAll('h3').forEach(h => h.textContent === 'skips a level' && h.remove())")
    if title == "Data":  # the check itself sees Streamlit's own caption fading (0.6: 4.4:1 on the sidebar)
        page.add_style_tag(content='[data-testid="stCaptionContainer"] { opacity: 0.6 !important; }')
        low = page.evaluate(_FADED_TEXT_JS, [MIN_CONTRAST, MIN_CONTRAST_LARGE])
        assert any(item["text"].startswith("Change the data") and item["ratio"] < MIN_CONTRAST for item in low), low


# --------------------------------------------------------------------------- charts

_UNLABELLED_CHARTS_JS = page_js("accessibility_unlabelled_charts")


def test_every_chart_has_a_text_alternative(page: Page, app_url: str):
    """Every plotly chart is labelled (aria-label/-labelledby on it or its container) or followed by a caption."""
    open_app(page, app_url)
    missing = {}
    for title in ["Data", "Normal equation", "Gradient descent"]:
        if title != "Data":
            go_to(page, title)
        wait_for_charts(page)
        expect(page.get_by_test_id("stMain").locator(".js-plotly-plot:visible").first).to_be_visible()
        unlabelled = page.evaluate(_UNLABELLED_CHARTS_JS)
        if unlabelled:
            missing[title] = unlabelled
    assert not missing, f"Charts with no text alternative, by page: {missing}"


# --------------------------------------------------------------------------- keyboard

_FOCUSED_KEY_JS = page_js("accessibility_focused_key")

_CONTROL_KEYS_JS = page_js("accessibility_control_keys")


def first_controls(page: Page, n: int) -> list[str]:
    """The widget keys of the first ``n`` controls in the main area, in reading (document) order."""
    return page.evaluate(_CONTROL_KEYS_JS, n)


def tab_through(page: Page, expected: list[str], most: int = 60) -> list[str]:
    """Press Tab until every key in ``expected`` has had focus (at most ``most`` presses); keys in visit order."""
    seen: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        key = page.evaluate(_FOCUSED_KEY_JS)
        if key and key not in seen:
            seen.append(key)
        if all(k in seen for k in expected):
            break
    return seen


def assert_in_order(seen: list[str], expected: list[str]) -> None:
    missing = [k for k in expected if k not in seen]
    assert not missing, f"Tab never reached {missing}; it visited {seen}"
    positions = [seen.index(k) for k in expected]
    assert positions == sorted(positions), f"Tab visits {expected} out of reading order: {seen}"


def test_tab_reaches_the_data_page_controls_in_reading_order(page: Page, app_url: str):
    open_app(page, app_url)
    wanted = {"example_hours", "example_tips", "example_gapminder", "upload", "target", "features", "degree"}
    expected = [k for k in first_controls(page, 40) if k in wanted]
    assert set(expected) == wanted, expected
    assert_in_order(tab_through(page, expected, most=80), expected)


def test_tab_reaches_the_learning_rate_slider_and_arrows_move_it(page: Page, app_url: str):
    open_app(page, app_url, "gradient_descent")
    expected = first_controls(page, 6)
    assert {"alpha", "iterations", "tol"} <= set(expected), expected
    assert_in_order(tab_through(page, expected), expected)
    # Back to the slider by keyboard alone, then move it with the arrow keys.
    thumb = page.locator(".st-key-alpha").get_by_role("slider")
    for _ in range(30):
        if thumb.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    else:
        raise AssertionError("Shift+Tab did not come back to the learning-rate slider")
    before = int(thumb.input_value())  # the index of α among the slider's choices
    step = 1 if before + 2 <= int(thumb.get_attribute("max")) else -1
    for _ in range(2):
        page.keyboard.press("ArrowRight" if step > 0 else "ArrowLeft")
        wait_idle(page)
    after = int(page.locator(".st-key-alpha").get_by_role("slider").input_value())
    assert after == before + 2 * step, (before, after)
    assert_healthy(page)

"""Accessibility checked by a machine on every page: axe-core finds no serious or critical
violation, faded text keeps a 4.5:1 contrast, every chart has a text alternative, and the
keyboard reaches the controls in reading order (the learning-rate slider moves with the arrows).

axe-core runs in the page through ``axe-playwright-python`` (it bundles axe's script). Where
axe cannot decide a contrast (it reports Streamlit's faded sidebar caption as "incomplete":
background overlapped), :data:`_FADED_TEXT_JS` computes it directly.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, open_app, wait_idle

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

_FADED_TEXT_JS = """([minSmall, minLarge]) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bad = [];
  const texts = document.querySelectorAll('[data-testid="stApp"] *');
  for (const el of texts) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('svg, canvas, [disabled], [aria-disabled="true"], [aria-hidden="true"], .katex-html')) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    // Icons drawn from an icon font beside a text label are decorative (WCAG 1.4.11 has no 4.5:1 for them).
    if (!r.width || !r.height || cs.visibility !== 'visible' || /Material Symbols/.test(cs.fontFamily)) continue;
    let opacity = 1, bg = null;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      opacity *= Number(s.opacity);
      const c = parse(s.backgroundColor);
      if (!bg && c[3] === 1) bg = c;
    }
    const fg = parse(cs.color), alpha = fg[3] * opacity;
    if (alpha === 0 || alpha === 1) continue;  // not faded: axe's own check covers it
    bg = bg || [255, 255, 255, 1];
    const seen = [0, 1, 2].map(i => alpha * fg[i] + (1 - alpha) * bg[i]);
    const [l1, l2] = [lum(seen), lum(bg)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? minLarge : minSmall;
    if (ratio < need) bad.push({text: el.textContent.trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100,
                                color: cs.color, opacity: Math.round(opacity * 100) / 100,
                                background: 'rgb(' + bg.slice(0, 3).join(', ') + ')'});
  }
  return bad;
}"""


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line per element."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {', '.join(map(str, node['target']))}: {v['help']}"
            for v in results.response["violations"] if v["impact"] in SERIOUS for node in v["nodes"]]


@pytest.mark.parametrize("title", list(PAGES))
def test_axe_finds_no_serious_violation_and_faded_text_is_readable(page: Page, app_url: str, title: str):
    open_app(page, app_url, PAGES[title])
    wait_for_charts(page)
    assert_healthy(page)
    found = serious_violations(page)
    assert not found, f"axe-core on the {title} page:\n" + "\n".join(found)
    # Captions are faded with CSS opacity, where axe gives up ("background overlapped").
    low = page.evaluate(_FADED_TEXT_JS, [MIN_CONTRAST, MIN_CONTRAST_LARGE])
    assert not low, f"Text below the WCAG AA contrast on the {title} page: {low}"


def test_the_contrast_check_catches_streamlits_default_caption(page: Page, app_url: str):
    """Streamlit's own caption opacity (0.6) on the sidebar's grey is 4.4:1: the check must see it."""
    open_app(page, app_url)
    page.add_style_tag(content='[data-testid="stCaptionContainer"] { opacity: 0.6 !important; }')
    low = page.evaluate(_FADED_TEXT_JS, [MIN_CONTRAST, MIN_CONTRAST_LARGE])
    assert any(item["text"].startswith("Change the data") and item["ratio"] < MIN_CONTRAST for item in low), low


# --------------------------------------------------------------------------- charts

_UNLABELLED_CHARTS_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')].filter(g => {
  const box = g.closest('[data-testid="stElementContainer"]');
  for (let a = g; a && a !== box.parentElement; a = a.parentElement) {
    if (a.getAttribute('aria-label') || a.getAttribute('aria-labelledby')) return false;
  }
  const next = box.nextElementSibling;
  return !(next && next.querySelector('[data-testid="stCaptionContainer"]'));
}).map(g => { const k = g.closest('[class*="st-key-"]'); return k ? k.className.match(/st-key-(\\S+)/)[1] : '(no key)'; })"""


@pytest.mark.xfail(strict=True, reason=(
    "No chart has a text alternative yet: the pages must add a caption after each chart or an aria-label "
    "(data_preview on Data; ne_fit, ne_residuals on Normal equation; surface, contour, history, fit_at_step "
    "on Gradient descent). Remove this mark when they do."))
def test_every_chart_has_a_text_alternative(page: Page, app_url: str):
    """Every plotly chart is labelled (aria-label/-labelledby on it or its container) or followed by a caption."""
    open_app(page, app_url)
    missing = {}
    for title in ["Data", "Normal equation", "Gradient descent"]:
        if title != "Data":
            go_to(page, title)
        wait_for_charts(page)
        expect(page.get_by_test_id("stMain").locator(".js-plotly-plot").first).to_be_visible()
        unlabelled = page.evaluate(_UNLABELLED_CHARTS_JS)
        if unlabelled:
            missing[title] = unlabelled
    assert not missing, f"Charts with no text alternative, by page: {missing}"


# --------------------------------------------------------------------------- keyboard

_FOCUSED_KEY_JS = """() => { const e = document.activeElement, k = e && e.closest('[class*="st-key-"]');
  return k ? k.className.match(/st-key-(\\S+)/)[1] : (e ? e.tagName : null); }"""


def tab_order(page: Page, presses: int) -> list[str]:
    """The widget keys (``st-key-…``) focused by pressing Tab ``presses`` times, in order of first visit."""
    seen: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        key = page.evaluate(_FOCUSED_KEY_JS)
        if key and key not in seen:
            seen.append(key)
    return seen


def assert_in_order(seen: list[str], expected: list[str]) -> None:
    missing = [k for k in expected if k not in seen]
    assert not missing, f"Tab never reached {missing}; it visited {seen}"
    positions = [seen.index(k) for k in expected]
    assert positions == sorted(positions), f"Tab visits {expected} out of reading order: {seen}"


def test_tab_reaches_the_data_page_controls_in_reading_order(page: Page, app_url: str):
    open_app(page, app_url)
    seen = tab_order(page, 32)
    assert_in_order(seen, ["example_hours", "example_tips", "example_gapminder", "example_synthetic",
                           "upload", "target", "features", "degree"])


def test_tab_reaches_the_learning_rate_slider_and_arrows_move_it(page: Page, app_url: str):
    open_app(page, app_url, "gradient_descent")
    seen = tab_order(page, 22)
    assert_in_order(seen, ["alpha", "iterations", "tol", "optimizer", "theta0_0", "theta0_1"])
    # Back to the slider by keyboard alone, then move it with the arrow keys.
    thumb = page.locator(".st-key-alpha").get_by_role("slider")
    for _ in range(30):
        if thumb.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    else:
        raise AssertionError("Shift+Tab did not come back to the learning-rate slider")
    value = page.locator(".st-key-alpha").get_by_test_id("stSliderThumbValue")
    before = float(value.inner_text())
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    after = float(value.inner_text())
    assert after > before, (before, after)
    assert_healthy(page)

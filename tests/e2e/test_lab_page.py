"""The Gradient-descent page as a lab, in a real browser: standardising makes real data converge."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, open_app, wait_idle


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

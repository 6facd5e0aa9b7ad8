"""What a real walk-through hit, in a real browser: a to_csv file's index column and default target,
and checking a 3×3 hand calculation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, open_app, sidebar, upload, wait_idle


def test_a_to_csv_index_is_left_out_and_the_outcome_is_the_target(page: Page, app_url: str, tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"area": rng.uniform(50, 200, 30), "rooms": rng.integers(1, 6, 30)})
    frame["price"] = 3000 * frame["area"] + 10_000 * frame["rooms"] + rng.normal(0, 5000, 30)
    frame = frame[["price", "area", "rooms"]]
    path = tmp_path / "houses.csv"
    frame.to_csv(path)  # with its index: an unnamed first column 0, 1, 2, …
    open_app(page, app_url)
    upload(page, path)
    expect(sidebar(page)).to_contain_text("houses.csv")
    expect(sidebar(page)).to_contain_text("target price")
    expect(sidebar(page)).not_to_contain_text("Unnamed")
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text("index")
    assert_healthy(page)


def test_check_my_working_takes_a_3x3_hand_calculation(page: Page, app_url: str, tmp_path):
    frame = pd.DataFrame({"x1": [1.0, 2, 3, 4, 5], "x2": [2.0, 1, 4, 3, 6], "y": [3.0, 4, 8, 8, 12]})
    path = tmp_path / "three.csv"
    frame.to_csv(path, index=False)
    open_app(page, app_url)
    upload(page, path)
    expect(sidebar(page)).to_contain_text("three.csv")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Normal equation").click()
    wait_idle(page)
    X = np.column_stack([np.ones(5), frame["x1"], frame["x2"]])
    right = X.T @ frame["y"].to_numpy()
    typed = right + np.array([0.0, 0.0, 1.0])  # a slip in the last entry of Xᵀy
    for r, value in enumerate(typed):
        box = page.locator(f".st-key-chk3_Xty_{r} input")
        box.fill(f"{value:g}")
        box.press("Tab")
    page.get_by_role("button", name="Check my working").click()
    wait_idle(page)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_contain_text("Xᵀy")
    expect(error).to_contain_text(f"{typed[2]:g}")
    expect(error).to_contain_text(f"{right[2]:g}")
    assert_healthy(page)

"""Hostile and broken uploads in a real browser: each is refused (or trimmed) with a message in words,
the previous data stays when refused, and user text is shown as the characters typed."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, main, open_app, sidebar, upload, wait_idle


def load_tips(page: Page) -> None:
    page.get_by_role("button", name="Tips", exact=True).click()
    wait_idle(page)
    expect(sidebar(page)).to_contain_text("244 rows")


@pytest.mark.parametrize("name, content, words", [
    ("words.csv", b"a,b\nx,y\nz,w\n", "numeric"),
    ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "previous data"),
    ("archive.csv", b"\x1f\x8b\x08\x00" + bytes(200), "compressed"),
    ("huge_values.csv", b"x,y\n1,1e308\n2,1e308\n3,1e308\n", "too large"),
])
def test_a_refused_upload_keeps_the_previous_data_and_says_why(page: Page, app_url: str, tmp_path,
                                                               name, content, words):
    open_app(page, app_url)
    load_tips(page)
    path = tmp_path / name
    path.write_bytes(content)
    upload(page, path)
    error = page.get_by_test_id("stAlertContentError")
    expect(error).to_have_count(1)
    expect(error).to_contain_text(name)
    expect(error).to_contain_text(words)
    expect(error).not_to_contain_text("Errno")
    expect(sidebar(page)).to_contain_text("Restaurant tips")
    expect(sidebar(page)).to_contain_text("244 rows")
    assert_healthy(page)


def test_a_wide_file_is_trimmed_within_seconds(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    path = tmp_path / "wide.csv"
    header = ",".join(f"c{k}" for k in range(10_000))
    path.write_text(header + "\n" + "\n".join(",".join(str((r + k) % 7) for k in range(10_000))
                                                for r in range(2)) + "\n", encoding="utf-8")
    started = time.perf_counter()
    upload(page, path)
    expect(sidebar(page)).to_contain_text("wide.csv")
    assert time.perf_counter() - started < 20  # was minutes; the server trims in ~0.1 s
    expect(main(page)).to_contain_text("only the first 200")
    # The GD page draws at most one number input per coefficient (≤ 64), not 10,000.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Gradient descent").click()
    wait_idle(page)
    assert page.locator('[class*="st-key-theta0_"]').count() <= 64
    assert_healthy(page)


def test_one_bad_cell_keeps_the_numeric_columns_and_names_the_row(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    path = tmp_path / "one_bad_cell.csv"
    path.write_text("x,y\n1,2\ntwo,3\n3,4.5\n4,5\n5,7\n", encoding="utf-8")
    upload(page, path)
    expect(sidebar(page)).to_contain_text("one_bad_cell.csv")
    expect(sidebar(page)).to_contain_text("4 of 5 rows used")
    notice = page.get_by_test_id("stAlertContentSuccess")
    expect(notice).to_contain_text("data row 2")
    expect(notice).to_contain_text("two")
    assert_healthy(page)


def test_integers_above_2_to_the_63_still_render(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    path = tmp_path / "big_ints.csv"
    path.write_text("x,y\n1,18446744073709551616\n2,18446744073709551617\n3,36893488147419103232\n",
                    encoding="utf-8")
    upload(page, path)
    expect(sidebar(page)).to_contain_text("big_ints.csv")
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
    expect(main(page).locator(".js-plotly-plot").first).to_be_visible()
    assert_healthy(page)


HOSTILE = ["**bold**", "[link](http://example.invalid)", "$x^2$", r"$\frac{", "}", "<b>tag</b>"]


def test_markup_in_column_names_stays_literal_text(page: Page, app_url: str, tmp_path):
    open_app(page, app_url)
    path = tmp_path / "**name**.csv"
    columns = HOSTILE + ["y"]
    rows = [",".join(str((r * (k + 2)) % 11 + r) for k in range(len(columns))) for r in range(12)]
    path.write_text(",".join(f'"{c}"' for c in columns) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    upload(page, path)
    side = sidebar(page)
    expect(side).to_contain_text("**name**.csv")  # the asterisks are shown, not turned into bold
    for name in HOSTILE:
        expect(side).to_contain_text(name)
    expect(side.locator("a[href*='example.invalid']")).to_have_count(0)
    expect(side.locator(".katex")).to_have_count(0)
    expect(page.locator("b", has_text="tag")).to_have_count(0)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Normal equation").click()
    wait_idle(page)
    expect(main(page).locator(".katex").first).to_be_visible()
    expect(main(page).locator(".katex-error")).to_have_count(0)  # no red KaTeX error anywhere
    expect(main(page).locator("a[href*='example.invalid']")).to_have_count(0)
    assert_healthy(page)

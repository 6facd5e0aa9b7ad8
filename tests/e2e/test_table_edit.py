"""Editing the Data page's table in the browser: a changed cell is the data every page uses at once.

(AppTest cannot edit an ``st.data_editor``; this is the keyboard path a person takes.)
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e_support import assert_healthy, main, open_app, sidebar, wait_idle


def _grid(page: Page):
    return main(page).get_by_test_id("stDataFrame").first


def _press(page: Page, *keys: str) -> None:
    """Keys at a person's pace: the grid (a canvas) drops keys that arrive before it has taken the focus."""
    for key in keys:
        page.keyboard.press(key, delay=30)
        page.wait_for_timeout(60)


def _type_into_cell(page: Page, value: str) -> None:
    _press(page, "Enter")  # open the cell's editor
    page.wait_for_timeout(300)
    _press(page, "ControlOrMeta+A")
    page.keyboard.type(value, delay=30)
    _press(page, "Enter")
    wait_idle(page)


def _open_first_cell(page: Page) -> None:
    grid = _grid(page)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box
    page.mouse.click(box["x"] + 120, box["y"] + 35 + 17)  # row 1, column 1 (past the row markers)
    page.wait_for_timeout(300)


def test_editing_a_cell_refits_every_page(page: Page, app_url: str):
    open_app(page, app_url, "?example=hours")
    expect(sidebar(page)).to_contain_text("1.2·hours")
    _open_first_cell(page)
    _press(page, "ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown")  # row 5, column "score"
    _type_into_cell(page, "10")
    # y = 2, 3, 4.5, 5, 10 on x = 1..5: slope 18/10, intercept 4.9 − 3·1.8.
    expect(sidebar(page)).to_contain_text("1.8·hours")
    expect(sidebar(page)).to_contain_text("5 rows")
    main(page).page.get_by_test_id("stSidebarNav").get_by_role("link", name="Normal equation").click()
    wait_idle(page)
    expect(main(page)).to_contain_text("predicted score = −0.5 + 1.8·hours")
    assert_healthy(page)


def test_the_editor_keeps_the_focus_so_several_cells_can_be_typed_in_a_row(page: Page, app_url: str):
    """Each edit refits at once, and the table is not rebuilt under the cursor: Tab and Enter go on
    to the next cell and a second edit lands where the user typed it."""
    open_app(page, app_url, "?example=hours")
    _open_first_cell(page)
    _press(page, "ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown", "ArrowDown")  # row 5, column "score"
    for value in ("10", "12"):  # row 5 then, after the refit, row 4 (ArrowUp) of the same column
        _type_into_cell(page, value)
        _press(page, "ArrowUp", "ArrowUp")  # Enter moved the cursor down: back to the edited row, then up one
    # y = 2, 3, 4.5, 12, 10 on x = 1..5: slope 2.5 (S_xy 25 over S_xx 10), intercept 6.3 − 3·2.5 = −1.2.
    expect(sidebar(page)).to_contain_text("−1.2 + 2.5·hours")
    expect(sidebar(page)).to_contain_text("(edited)")
    assert_healthy(page)


def test_an_edit_that_leaves_nothing_to_fit_keeps_the_users_table_and_says_why(page: Page, app_url: str):
    open_app(page, app_url, "?example=three_points")
    _open_first_cell(page)
    for _ in range(2):  # blank two of the three x values: one row is left, nothing can be fitted
        _press(page, "Delete")
        wait_idle(page)
        _press(page, "ArrowDown")
    expect(main(page).get_by_test_id("stAlertContentError")).to_be_visible()
    expect(sidebar(page)).to_contain_text("2 of 3 rows")  # the first edit is in use; the second is refused
    assert_healthy(page)

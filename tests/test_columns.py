"""Tests for core.columns (what is numeric, quoting, tidying) and core.choose (default columns)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.choose import ColumnChoice, default_columns, index_column
from core.columns import (MAX_NAME_CHARS, DataError, is_numeric_dtype, names_in_words, not_numeric_message,
                          numeric_columns, quote, rows_in_words, tidy_numbers)
from core.design import MAX_COEFFICIENTS, design_matrix


# ------------------------------------------------------------------ quoting and words


def test_quote_wraps_in_curly_quotes_and_keeps_markup_characters():
    assert quote("**bold** $x^2$ <b>") == "“**bold** $x^2$ <b>”"
    assert quote(3) == "“3”"


def test_quote_removes_control_and_bidi_characters():
    assert quote("a\nb\tc\x00d\x1b[31m\u202ee") == "“abcd[31me”"


@given(st.text(max_size=200))
def test_quote_caps_length_and_never_holds_control_characters(text):
    quoted = quote(text)
    inner = quoted[1:-1]
    assert quoted[0] == "“" and quoted[-1] == "”"
    assert len(inner) <= MAX_NAME_CHARS
    assert not any(ch in inner for ch in "\n\r\t\x00\x1b")


def test_long_names_end_in_an_ellipsis():
    assert quote("x" * 100) == "“" + "x" * (MAX_NAME_CHARS - 1) + "…”"


@pytest.mark.parametrize(("positions", "words"), [
    ([0], "data row 1"),
    ([1, 4], "data rows 2 and 5"),
    ([0, 1, 2], "data rows 1, 2 and 3"),
    (list(range(8)), "data rows 1, 2, 3, 4, 5 and 3 more"),
])
def test_rows_in_words(positions, words):
    assert rows_in_words(positions) == words


def test_names_in_words():
    assert names_in_words(["a"]) == "“a”"
    assert names_in_words(["a", "b", "c"]) == "“a”, “b” and “c”"


# ------------------------------------------------------------------ what is numeric


@pytest.mark.parametrize(("values", "numeric"), [
    ([1, 2, 4], True), ([1.5, np.nan, 3], True), (pd.array([1, None, 3], dtype="Int64"), True),
    ([True, False, True], False), (["a", "b", "c"], False), ([1 + 2j, 3j, 1], False),
    (pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-05"]), False),
])
def test_the_design_uses_exactly_the_columns_that_numeric_columns_names(values, numeric):
    df = pd.DataFrame({"c": values, "y": [1.0, 2.0, 3.0]})
    assert is_numeric_dtype(df["c"].dtype) is numeric
    assert (numeric_columns(df) == ["c", "y"]) is numeric
    assert (design_matrix(df, "y").features == ("c",)) is numeric  # default features: numeric ones
    if numeric:
        assert design_matrix(df, "y", ["c"]).p == 2
    else:
        with pytest.raises(DataError, match="^Column “c” is not numeric"):
            design_matrix(df, "y", ["c"])


def test_not_numeric_message_names_the_first_bad_row_and_counts_the_rest():
    column = pd.Series(["1", "2", "abc", "?", "5"])
    assert not_numeric_message(column, "score") == (
        "Column “score” is not numeric: data row 3 holds “abc” (2 rows in all are not numbers).")


def test_not_numeric_message_hints_at_a_decimal_comma():
    message = not_numeric_message(pd.Series(["1", "2,5", "3"]), "y")
    assert message.startswith("Column “y” is not numeric: data row 2 holds “2,5”.")
    assert "decimal comma" in message


def test_not_numeric_message_for_true_false():
    assert "true/false" in not_numeric_message(pd.Series([True, False]), "flag")


# ------------------------------------------------------------------ tidying


def test_tidy_numbers_leaves_a_clean_frame_alone():
    df = pd.DataFrame({"x": [1, 2], "s": ["a", "b"]})
    tidy, notes = tidy_numbers(df)
    assert tidy is df and notes == []


def test_tidy_numbers_does_not_modify_its_input():
    df = pd.DataFrame({"x": ["1", "oops", "3"]})
    tidy, notes = tidy_numbers(df)
    assert df["x"].tolist() == ["1", "oops", "3"]
    assert tidy["x"].dtype == np.float64 and len(notes) == 1


def test_tidy_numbers_turns_mixed_python_objects_into_text():
    df = pd.DataFrame({"o": pd.Series([1, "a", "b", None], dtype=object), "y": [1, 2, 3, 4]})
    tidy, notes = tidy_numbers(df)
    assert tidy["o"].tolist()[:3] == ["1", "a", "b"] and pd.isna(tidy["o"].iloc[3])
    assert notes == []


# ------------------------------------------------------------------ default columns


@pytest.mark.parametrize(("columns", "target"), [
    (["x", "y", "z"], "y"),
    (["area", "Price", "rooms"], "Price"),
    (["hours", "exam_score", "sleep"], "exam_score"),
    (["salePrice", "lotArea"], "salePrice"),
    (["a", "b", "c"], "c"),
    (["xy", "yx", "w"], "w"),  # "y" must be a word of the name, not a letter in it
])
def test_target_is_the_first_outcome_like_name_else_the_last_numeric(columns, target):
    df = pd.DataFrame({name: [1.0, 2.0, 4.0] for name in columns})
    choice = default_columns(df)
    assert choice.target == target
    assert choice.features == tuple(c for c in columns if c != target)
    assert choice.notes == ()


def test_default_columns_skips_text_columns():
    df = pd.DataFrame({"name": ["a", "b"], "x": [1, 2], "w": [3.0, 5.0]})
    assert default_columns(df) == ColumnChoice("w", ("x",), ())


@pytest.mark.parametrize("name", ["Unnamed: 0", ""])
def test_an_unnamed_first_column_of_row_numbers_is_left_out_with_a_note(name):
    df = pd.DataFrame({name: [0, 1, 2, 3], "x": [1.0, 2, 3, 5], "y": [2.0, 4, 5, 9]})
    target, features, notes = default_columns(df)
    assert (target, features) == ("y", ("x",))
    assert notes == (f"The first column, {quote(name)}, numbers the rows like an index, so it is "
                     "not used as a feature; choose it yourself if it is data.",)


def test_a_named_or_irregular_first_column_is_not_an_index():
    assert index_column(pd.DataFrame({"id": [0, 1, 2], "y": [1, 2, 3]})) is None
    for irregular in ([2, 3, 4], [0, 2, 3], [0, 1, 1], [0.5, 1.5, 2.5], [0]):
        assert index_column(pd.DataFrame({"Unnamed: 0": irregular, "y": range(len(irregular))})) is None
    assert index_column(pd.DataFrame({"Unnamed: 0": ["0", "1", "2"], "y": [1, 2, 3]})) is None
    assert index_column(pd.DataFrame({"Unnamed: 0": [0, 1, 2], "y": [1, 2, 3]})) == "Unnamed: 0"


def test_row_numbers_from_r_or_with_blank_lines_between_are_an_index():
    """R's write.csv counts from 1; a blank line in a spreadsheet's export leaves a gap (a float column)."""
    assert index_column(pd.DataFrame({"Unnamed: 0": [1, 2, 3], "y": [1, 2, 3]})) == "Unnamed: 0"
    assert index_column(pd.DataFrame({"": [0.0, 1.0, np.nan, 2.0], "y": [1, 2, np.nan, 3]})) == ""


def test_a_spreadsheets_awkward_export_reads_as_meant():
    """Semicolons, decimal commas, digit groups in quotes, a currency sign, a blank line, an index column
    with a blank header, dates and text: the outcome is the target, the index and the text are left out."""
    from core.csv_read import read_csv

    text = ("\ufeff;\"Household income (€)\";\"Food spend (€/week)\";Region;Date;\"Size of household\"\r\n"
            "0;\"7 401,02\";117,8;Nord;01.03.2024;1\r\n1;\"3 143,57\";121,8;Süd;02.03.2024;5\r\n"
            ";;;;;\r\n2;\"€ 1.943,62\";105,0;Ost;03.03.2024;4\r\n3;\"1 199,81\";80,5;West;04.03.2024;3\r\n")
    frame = read_csv(text.encode())
    np.testing.assert_allclose(frame["Household income (€)"].dropna(), [7401.02, 3143.57, 1943.62, 1199.81])
    assert any("digit groups" in n and "Household income" in n for n in frame.attrs["notes"])
    target, features, notes = default_columns(frame)
    assert target == "Food spend (€/week)"
    assert features == ("Household income (€)", "Size of household")
    assert "numbers the rows like an index" in notes[0]


@pytest.mark.parametrize("cells, decimal, expected", [
    (["$1,234.50", "1'234.5", "-2,000", "$-3.00", "1,234,567.25"], ".", [1234.5, 1234.5, -2000, -3, 1234567.25]),
    (["7 401,02", "€ 1.234,50", "-1.000", "12", "1\u00a0000,5"], ",", [7401.02, 1234.5, -1000, 12, 1000.5]),
])
def test_numbers_with_digit_groups_and_currency_signs(cells, decimal, expected):
    frame, notes = tidy_numbers(pd.DataFrame({"v": cells + ["x"], "w": range(len(cells) + 1)}), decimal)
    np.testing.assert_allclose(frame["v"].to_numpy()[:-1], expected)
    assert np.isnan(frame["v"].iloc[-1]) and "digit groups" in notes[0]


@pytest.mark.parametrize("cells", [["1,23", "4,56", "7,89"], ["01.03.2024", "02.03.2024", "03.03.2024"],
                                   ["12.5%", "3%", "7%"], ["1 2", "3 4", "5 6"]])
def test_ambiguous_or_non_numbers_stay_text(cells):
    frame, notes = tidy_numbers(pd.DataFrame({"v": cells}), ".")
    assert not pd.api.types.is_numeric_dtype(frame["v"].dtype) and notes == []


def test_a_frame_written_by_to_csv_with_its_index_reads_back_with_the_index_left_out():
    from core.csv_read import read_csv

    written = pd.DataFrame({"x": [1.5, 2.5, 4.0], "y": [3.0, 5.0, 8.5]}).to_csv().encode()
    assert written.startswith(b",x,y")
    choice = default_columns(read_csv(written))
    assert (choice.target, choice.features) == ("y", ("x",)) and len(choice.notes) == 1


def test_features_are_capped_at_the_coefficient_limit_with_a_note():
    df = pd.DataFrame(np.ones((3, 100)), columns=[f"c{i}" for i in range(100)])
    target, features, notes = default_columns(df)
    assert target == "c99" and features == tuple(f"c{i}" for i in range(MAX_COEFFICIENTS - 1))
    assert notes == (f"Only the first {MAX_COEFFICIENTS - 1} of the 99 other numeric columns are used as "
                     f"features (a fit has at most {MAX_COEFFICIENTS} coefficients); choose the ones you want.",)
    assert design_matrix(df, target, features).p == MAX_COEFFICIENTS


def test_default_columns_without_numbers_is_a_data_error():
    with pytest.raises(DataError, match="no numeric column.*“a” and “b”"):
        default_columns(pd.DataFrame({"a": ["x"], "b": ["y"]}))


def test_the_smallest_int64_is_not_called_too_large():
    tidy, notes = tidy_numbers(pd.DataFrame({"x": ["-9223372036854775808", "1", "oops", "2"]}))
    assert tidy["x"].dtype == np.float64
    assert len(notes) == 1 and "64-bit" not in notes[0]
    tidy, notes = tidy_numbers(pd.DataFrame({"x": ["-9223372036854775809", "1", "2"]}))
    assert "64-bit" in notes[0]

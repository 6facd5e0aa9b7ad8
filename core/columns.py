"""Which columns of a table hold numbers, and the sentences that say so.

One idea: deciding, column by column, what a regression can use, and telling
the person in plain words what was decided.

* :class:`DataError` is the one exception for unusable input; its message is
  a full sentence a page can show as plain text.
* :func:`quote` is how a column name (user text, never markup) appears in a
  message: “name”, without control characters, at most
  :data:`MAX_NAME_CHARS` characters.
* :func:`is_numeric_dtype` is the single decision of what counts as numeric
  (integers and floats; not booleans, dates, complex numbers or text). The
  design step (:mod:`core.design`) uses the same function.
* :func:`tidy_numbers` repairs what a CSV parser leaves behind: a mostly
  numeric column with a few cells of text (those cells become missing, with a
  note naming the rows), whole numbers too large for 64 bits (converted to
  float64, with a note) and numbers too large to store (read as infinity,
  with a note naming the rows).

Rows are counted as *data rows*: row 1 is the first row below the header.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "DataError", "MAX_NAME_CHARS", "quote", "rows_in_words", "names_in_words", "is_numeric_dtype",
    "numeric_columns", "non_numeric_columns", "not_numeric_message", "tidy_numbers",
]

#: Longest column name shown in a message; longer names end in "…".
MAX_NAME_CHARS = 40
#: How many row numbers a message lists before saying "and N more".
MAX_ROWS_LISTED = 5
#: Text columns longer than this are first judged on an even sample of this many cells.
_SAMPLE_CELLS = 1000
#: Largest unsigned whole number Arrow (and so Streamlit's tables) can hold exactly in int64.
_INT64_MAX = np.iinfo(np.int64).max

#: A number written with a decimal comma, such as ``-1,5`` or ``2,5e3``.
COMMA_DECIMAL = re.compile(r"^\s*[-+]?\d*,\d+(?:[eE][-+]?\d+)?\s*$")
#: Digit-group separators a spreadsheet writes besides the other decimal mark: spaces (also no-break
#: and narrow no-break), apostrophes (Swiss); and currency signs around a number.
_GROUP_SPACES = " '\u00a0\u202f\u2009"
_CURRENCY = "$€£¥₹"


class DataError(ValueError):
    """The data cannot be used; the message says what is wrong and where.

    Messages are full sentences written for the person who supplied the data
    (for example ``"Line 7 has 3 fields but the header has 2 ..."`` or
    ``"Column “score” is not numeric: data row 7 holds “abc”."``). They are
    plain text: column names and cell values in them are quoted with
    :func:`quote`, so a page must show them as text, not Markdown.
    """


def quote(name: Hashable, limit: int = MAX_NAME_CHARS) -> str:
    """A column name or cell value as it appears in a message: “name”.

    Control and format characters (new lines, tabs, bidirectional overrides,
    NUL, ...) are removed and the text is cut to ``limit`` characters
    (ending in "…"). Nothing is escaped: messages are plain text.

    Parameters
    ----------
    name : hashable
        Usually a str; anything else is shown as ``str(name)``.
    limit : int
        Maximum number of characters kept between the quotes.

    Returns
    -------
    str

    Examples
    --------
    >>> quote("price\\n(USD)")
    '“price(USD)”'
    """
    text = "".join(ch for ch in str(name) if unicodedata.category(ch) not in ("Cc", "Cf"))
    if len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return f"“{text}”"


def rows_in_words(positions: Sequence[int]) -> str:
    """Name data rows from their 0-based positions: ``"data rows 2, 5 and 9"``.

    At most :data:`MAX_ROWS_LISTED` numbers are listed, then "and N more".
    Row 1 is the first row below the header.
    """
    label = "data row" if len(positions) == 1 else "data rows"
    return f"{label} {_in_words([str(int(p) + 1) for p in positions])}"


def names_in_words(names: Iterable[Hashable]) -> str:
    """Quoted names joined in words: ``“a”, “b” and “c”`` (then "and N more")."""
    return _in_words([quote(n) for n in names])


def _those_rows(positions: Sequence[int]) -> str:
    return "that row" if len(positions) == 1 else "those rows"


def _in_words(items: list[str]) -> str:
    """``a, b and c``, listing at most :data:`MAX_ROWS_LISTED` items, then "and N more"."""
    shown, more = items[:MAX_ROWS_LISTED], len(items) - MAX_ROWS_LISTED
    if more > 0:
        return f"{', '.join(shown)} and {more:,} more"
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def is_numeric_dtype(dtype) -> bool:
    """True for integer and float dtypes: the one definition of "numeric" in the app.

    Booleans, dates, complex numbers and text are not numeric here (a
    true/false column has to be coded as 0/1 to be used).
    """
    return (
        pd.api.types.is_numeric_dtype(dtype)
        and not pd.api.types.is_bool_dtype(dtype)
        and not pd.api.types.is_complex_dtype(dtype)
    )


def numeric_columns(df: pd.DataFrame) -> list[str]:
    """Names of the columns that hold numbers (integer or float dtype), in frame order."""
    return [name for name, dtype in df.dtypes.items() if is_numeric_dtype(dtype)]


def non_numeric_columns(df: pd.DataFrame) -> list[str]:
    """Names of the columns that :func:`numeric_columns` leaves out, in frame order."""
    return [name for name, dtype in df.dtypes.items() if not is_numeric_dtype(dtype)]


def not_numeric_message(column: pd.Series, name: Hashable) -> str:
    """Say why ``column`` is not numeric, naming the first offending data row.

    Parameters
    ----------
    column : pandas.Series
    name : hashable
        The column's name.

    Returns
    -------
    str
        E.g. ``"Column “y” is not numeric: data row 7 holds “abc” (2 rows in
        all are not numbers)."``
    """
    if pd.api.types.is_bool_dtype(column.dtype):
        return (f"Column {quote(name)} is not numeric: it holds true/false values. "
                "Code them as 0 and 1 to use the column.")
    if not (pd.api.types.is_string_dtype(column.dtype) or column.dtype == object):
        return f"Column {quote(name)} is not numeric (its values are of type {column.dtype})."
    bad = _text_positions(column)
    if len(bad) == 0:
        return f"Column {quote(name)} is not numeric (its values are of type {column.dtype})."
    value = str(column.iloc[bad[0]])
    message = f"Column {quote(name)} is not numeric: {rows_in_words(bad[:1])} holds {quote(value)}"
    if len(bad) > 1:
        message += f" ({len(bad):,} rows in all are not numbers)"
    message += "."
    if COMMA_DECIMAL.match(value):
        message += " It looks like a number with a decimal comma: use a decimal point, or separate fields with semicolons."
    return message


def _read_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray, pd.Series]:
    """Each cell of a text column as a number.

    Returns
    -------
    (numbers, present, text)
        float64 values (NaN where a cell is blank or not a number), a mask
        of the non-blank cells, and the cells as stripped text.
    """
    text = column.astype("str").str.strip()
    present = column.notna().to_numpy() & (text != "").to_numpy()
    numbers = pd.to_numeric(text.where(present), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return numbers, present, text


def _text_positions(column: pd.Series) -> np.ndarray:
    """0-based positions of non-blank cells of a text column that are not numbers."""
    numbers, present, _ = _read_numbers(column)
    return np.flatnonzero(present & np.isnan(numbers))


def _grouped_pattern(decimal: str) -> re.Pattern:
    """A number with digit groups (``7 401,02``, ``1,234.5``, ``€ 1.234,50``) for a file's decimal mark."""
    group = re.escape(_GROUP_SPACES + ("." if decimal == "," else ","))
    return re.compile(rf"^[{_CURRENCY}]?\s?[-+]?[{_CURRENCY}]?\s?(\d{{1,3}}(?:[{group}]\d{{3}})+|\d+)"
                      rf"({re.escape(decimal)}\d+)?\s?[{_CURRENCY}]?$")


def _grouped_numbers(text: pd.Series, present: np.ndarray, decimal: str) -> np.ndarray:
    """Cells written with digit groups or a currency sign as numbers (NaN elsewhere)."""
    parts = text.str.extract(_grouped_pattern(decimal))
    whole = parts[0].str.replace(r"\D", "", regex=True)
    fraction = parts[1].str.slice(1).fillna("")
    sign = np.where(text.str.contains("-", regex=False).fillna(False).to_numpy(), -1.0, 1.0)
    joined = (whole + "." + fraction).where(parts[0].notna() & pd.Series(present, index=text.index))
    return pd.to_numeric(joined, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan) * sign


def tidy_numbers(df: pd.DataFrame, decimal: str = ".") -> tuple[pd.DataFrame, list[str]]:
    """Make the numeric columns of a freshly read table usable, saying what was done.

    * A text column whose non-blank cells are mostly (more than half)
      numbers becomes a float64 column; its other cells become missing and a
      note names the column and the rows (those rows are then left out of a
      fit that uses the column). Numbers written with digit groups or a
      currency sign, as spreadsheets write them (``7 401,02``, ``$1,234.50``,
      ``1'234.5``), count as numbers when the column holds them, with a note.
    * Whole numbers too large for a 64-bit integer (above 2⁶³ − 1) become
      float64, with a note: the table stays displayable (Arrow has no wider
      integer) and the fit uses float64 anyway.
    * Numbers too large to store (such as ``1e999``, read as infinity) are
      named in a note: a fit leaves their rows out.
    * Any other column of Python objects becomes text.

    Parameters
    ----------
    df : pandas.DataFrame
        As parsed; not modified.
    decimal : str
        The file's decimal mark (``"."`` or ``","``): the other one may group digits.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The tidied frame (columns in the same order, same names) and the notes.
    """
    notes: list[str] = []
    changed: dict[str, pd.Series] = {}
    for position, name in enumerate(df.columns):
        column = df.iloc[:, position]
        dtype = column.dtype
        if pd.api.types.is_string_dtype(dtype) or dtype == object:
            replacement = _numbers_from_text(column, name, notes, decimal)
            if replacement is not None:
                changed[name] = replacement
        elif pd.api.types.is_unsigned_integer_dtype(dtype) and len(column) and column.max() > _INT64_MAX:
            changed[name] = column.astype(np.float64)
            notes.append(_big_integer_note(name, np.flatnonzero(column.to_numpy() > _INT64_MAX)))
        if is_numeric_dtype(changed.get(name, column).dtype):
            _note_infinities(changed.get(name, column), name, notes)
    if not changed:
        return df, notes
    tidy = df.copy(deep=False)
    for name, values in changed.items():
        tidy[name] = values
    return tidy, notes


def _numbers_from_text(column: pd.Series, name: Hashable, notes: list[str],
                       decimal: str = ".") -> pd.Series | None:
    """A float64 version of a mostly numeric text column (or text for odd objects), else None."""
    if len(column) > _SAMPLE_CELLS and not _mostly_numbers(column.iloc[:: len(column) // _SAMPLE_CELLS], decimal):
        return _as_text(column)  # clearly text: skip converting every cell
    numbers, present, text = _read_numbers(column)
    if int((~np.isnan(numbers)).sum()) * 2 <= int(present.sum()):
        grouped = _grouped_numbers(text, present, decimal)
        if int((~np.isnan(grouped)).sum()) * 2 > int(present.sum()):
            example = text.iloc[int(np.flatnonzero(~np.isnan(grouped))[0])]
            notes.append(f"Column {quote(name)} writes its numbers with digit groups or a currency sign "
                         f"(such as {quote(example, 20)}); they were read as numbers.")
            numbers = grouped
    is_number = ~np.isnan(numbers)
    bad = np.flatnonzero(present & ~is_number)
    if is_number.sum() > len(bad):
        if len(bad):
            values = ", ".join(quote(column.iloc[i], 20) for i in bad[:3])
            notes.append(
                f"Column {quote(name)} is mostly numbers, but {rows_in_words(bad)} "
                f"{'holds' if len(bad) == 1 else 'hold'} text ({values}); "
                f"{'that cell is' if len(bad) == 1 else 'those cells are'} treated as missing, "
                f"so a fit that uses the column leaves {_those_rows(bad)} out."
            )
        big = _big_whole_numbers(text, present)
        if len(big):
            notes.append(_big_integer_note(name, big))
        return pd.Series(numbers, index=column.index, name=column.name)
    return _as_text(column)


def _mostly_numbers(sample: pd.Series, decimal: str = ".") -> bool:
    """True if more than half of the non-blank cells of ``sample`` are numbers (digit groups allowed)."""
    numbers, present, text = _read_numbers(sample)
    if int((~np.isnan(numbers)).sum()) * 2 > int(present.sum()):
        return True
    return int((~np.isnan(_grouped_numbers(text, present, decimal))).sum()) * 2 > int(present.sum())


def _as_text(column: pd.Series) -> pd.Series | None:
    """Mixed Python objects as text (so Arrow can show them); None for a text column."""
    if column.dtype == object:
        return column.where(column.isna(), column.astype("str"))
    return None


def _big_whole_numbers(text: pd.Series, present: np.ndarray) -> np.ndarray:
    """Positions of cells written as whole numbers beyond the int64 range."""
    digits = text.str.fullmatch(r"[-+]?\d{19,}").fillna(False).to_numpy(dtype=bool) & present
    if not digits.any():
        return np.flatnonzero(digits)
    too_big = [not -_INT64_MAX - 1 <= int(text.iloc[i]) <= _INT64_MAX for i in np.flatnonzero(digits)]
    return np.flatnonzero(digits)[np.asarray(too_big, dtype=bool)]


def _big_integer_note(name: Hashable, positions: np.ndarray) -> str:
    return (
        f"Column {quote(name)} holds whole numbers too large for a 64-bit integer "
        f"({rows_in_words(positions)}); the column was converted to decimal numbers (float64), "
        "which keep about 16 significant digits."
    )


def _note_infinities(column: pd.Series, name: Hashable, notes: list[str]) -> None:
    """Add a note if a numeric column holds ±infinity (a number too large to store)."""
    if not pd.api.types.is_float_dtype(column.dtype):
        return
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.flatnonzero(np.isinf(values))
    if len(infinite):
        notes.append(
            f"Column {quote(name)} has a number too large to store in {rows_in_words(infinite)} "
            f"(above about 1.8e308, or written as infinity); a fit that uses the column "
            f"leaves {_those_rows(infinite)} out."
        )

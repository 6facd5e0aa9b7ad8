"""Rows with the wrong number of fields: finding them and naming their line.

One idea: pandas either raises a terse parser error, fills short rows with
missing values, or (for rows one field longer than the header) silently
turns the first column into the index. The checks here catch each case and
build a message that names the physical line of the file (the header is
line 1, or line 2 after Excel's ``sep=`` line) and says what to change.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from .columns import DataError
from .csv_sniff import DELIMITER_NAMES, CsvFormat

__all__ = ["error_from_parser", "check_long_rows", "check_field_counts"]

_C_ENGINE_RAGGED = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def error_from_parser(exc: Exception, path, data, fmt: CsvFormat) -> DataError:
    """A DataError for a pandas parser error, naming the bad line if it can be found."""
    found = _first_ragged_line(path, data, fmt)
    if found is not None:
        return _ragged_error(*found, sep=fmt.sep)
    match = _C_ENGINE_RAGGED.search(str(exc))
    if match:
        expected, line, seen = (int(g) for g in match.groups())
        return _ragged_error(line, seen, expected, fmt.skip + 1, sep=fmt.sep)
    return DataError(f"The file could not be read as CSV: {exc}")


def check_long_rows(df: pd.DataFrame, path, data, fmt: CsvFormat) -> None:
    """Raise DataError if data rows have one field more than the header.

    pandas then silently uses the first column as the index instead of
    raising, which would shift every column by one.
    """
    if isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1:
        return
    found = _first_ragged_line(path, data, fmt)
    if found is not None:
        raise _ragged_error(*found, sep=fmt.sep)
    raise DataError(
        "The data rows have one field more than the header row. "
        "Add the missing column name to the header, or remove the extra values."
    )


def check_field_counts(path, data, fmt: CsvFormat, width: int) -> None:
    """Raise DataError if a row does not have ``width`` fields (the header's).

    A fast pyarrow pass checks the counts; the slower line-by-line scan only
    runs to name the line once pyarrow has found a problem.
    """
    if not _arrow_finds_bad_rows(path, data, fmt, width):
        return
    found = _first_ragged_line(path, data, fmt)
    if found is not None:
        raise _ragged_error(*found, sep=fmt.sep)


def _ragged_error(line: int, seen: int, expected: int, header_line: int, sep: str) -> DataError:
    """The message for a row with the wrong number of fields."""
    name = DELIMITER_NAMES.get(sep, f"“{sep}” character")
    fields = "field" if seen == 1 else "fields"
    if seen > expected:
        advice = (
            f"Remove the extra value(s) on that line, or put quotes around text "
            f"that contains a {name}."
        )
    else:
        advice = (
            f"Add the missing value(s) on that line; leave a field empty "
            f"(two {name}s in a row) for a missing value."
        )
    return DataError(
        f"Line {line} has {seen} {fields} but the header (line {header_line}) has {expected} "
        f"(separated by {name}s). {advice}"
    )


def _first_ragged_line(path, data, fmt: CsvFormat) -> tuple[int, int, int, int] | None:
    """Find the first line whose field count differs from the header's.

    Streams the file with :mod:`csv` and stops at the first bad row, so it
    is only used once the parser has already reported a problem.

    Returns
    -------
    tuple of (line, fields, expected, header_line) or None
        Line numbers are 1-based physical line numbers in the file.
    """
    encoding = "utf-8-sig" if fmt.encoding == "utf-8" else fmt.encoding
    if path is not None:
        handle = open(path, encoding=encoding, errors="replace", newline="")
    else:
        handle = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="replace", newline="")
    with handle:
        for _ in range(fmt.skip):
            handle.readline()
        reader = csv.reader(handle, delimiter=fmt.sep)
        expected = header_line = None
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue  # blank lines are skipped by the parser too
                if expected is None:
                    expected, header_line = len(row), reader.line_num + fmt.skip
                elif len(row) != expected:
                    return reader.line_num + fmt.skip, len(row), expected, header_line
        except csv.Error:
            return None
    return None


def _arrow_finds_bad_rows(path, data, fmt: CsvFormat, width: int) -> bool:
    """True if pyarrow sees a row whose field count is not ``width``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad = []

    def handler(row):
        bad.append(row)
        return "skip"

    # Explicit names fix the expected field count to the header's; converting
    # one column, as text, keeps this pass much cheaper than a full parse.
    names = [f"f{i}" for i in range(width)]
    source = path if path is not None else pa.BufferReader(data)
    try:
        pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(encoding=fmt.encoding, column_names=names, skip_rows=fmt.skip + 1),
            parse_options=pacsv.ParseOptions(delimiter=fmt.sep, invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(include_columns=names[:1], column_types={names[0]: pa.string()}),
        )
    except pa.ArrowException:  # any doubt: let the exact scan decide
        return True
    return bool(bad)

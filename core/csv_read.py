"""Reading a CSV file into a DataFrame a regression can use, or saying why not.

One idea: :func:`read_csv` takes a path, bytes or an open file (Streamlit's
``UploadedFile`` works), refuses it early when it is too large
(:func:`check_upload_size`), detects its format (:mod:`core.csv_sniff`),
parses it in one pass with pandas' C engine, checks its structure (rows
with the wrong number of fields are named by line, see
:mod:`core.csv_rows`), keeps at most :data:`MAX_COLUMNS` columns, tidies the
numeric columns (:func:`core.columns.tidy_numbers`) and records what it did
in ``frame.attrs["notes"]``.

Performance notes (2-core dev box, 140 MB file of 1,000,000 rows × 20 float
columns): format detection looks only at the first
:data:`~core.csv_sniff.SNIFF_BYTES` bytes, and the file is parsed in one pass
with no per-row Python work (a local file in one call to pandas' reader, about
the time of ``polars.read_csv``). Bytes (an upload) of :data:`SPILL_BYTES` or more are parsed
in blocks of rows (about :data:`BLOCK_BYTES` of text each) written into
columns allocated once for the most rows the file can hold, so the parse
holds the finished table plus one block (1.2 times the table at its peak, not
the 2.9 times of pandas' own parallel reader, which maps the file and gathers
per-chunk columns into new ones), on one core: about 2.3 times the one-call
read of the same bytes' file on two cores (0.39 s for 100 MB). Bytes and an
uploaded file (``io.BytesIO``) are parsed where they are, never copied. A
2-row file of 10,000 columns is read in about 0.05 s: only the first
:data:`MAX_COLUMNS` columns are parsed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import warnings
from typing import BinaryIO, TextIO, Union

import numpy as np
import pandas as pd

from . import csv_rows
from .columns import DataError, names_in_words, numeric_columns, non_numeric_columns, quote, tidy_numbers
from .csv_sniff import DELIMITER_NAMES, SNIFF_BYTES, CsvFormat, sniff

__all__ = ["read_csv", "check_upload_size", "MAX_COLUMNS", "MAX_UPLOAD_BYTES", "SPILL_BYTES"]

Source = Union[str, os.PathLike, bytes, bytearray, memoryview, BinaryIO, TextIO]

#: At most this many columns (the first ones) are read from a file.
MAX_COLUMNS = 200
#: The largest file :func:`read_csv` reads by default (Streamlit's default upload limit).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
#: Bytes at least this large are parsed in blocks of rows into columns allocated once
#: (:func:`_gather`): the parse then holds the table and one block, not two tables.
SPILL_BYTES = 8 * 1024 * 1024
#: About this much text per block of rows.
BLOCK_BYTES = 4 * 1024 * 1024

_SMALLER = "Upload a smaller file: keep only the rows and columns you need."
_EMPTY = ("The file is empty. Choose a CSV file with a header row "
          "(column names) and at least 2 rows of numbers.")


def check_upload_size(n_bytes: int, limit_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Raise :class:`DataError` if a file of ``n_bytes`` is over ``limit_bytes``.

    Examples
    --------
    >>> check_upload_size(300 * 2**20, 200 * 2**20)
    Traceback (most recent call last):
    ...
    core.columns.DataError: The file is 300 MB, more than the limit of 200 MB. ...
    """
    if n_bytes > limit_bytes:
        raise DataError(
            f"The file is {_size_in_words(n_bytes)}, more than the limit of {_size_in_words(limit_bytes)}. "
            + _SMALLER
        )


def _size_in_words(n_bytes: int) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if n_bytes >= size:
            return f"{n_bytes / size:,.3g} {unit}"
    return f"{n_bytes:,} bytes"


def read_csv(source: Source, *, limit_bytes: int = MAX_UPLOAD_BYTES) -> pd.DataFrame:
    """Read a CSV file into a DataFrame, detecting its format.

    Parameters
    ----------
    source : str, os.PathLike, bytes or file-like
        A path, the raw bytes of a file, or an open file (binary or text).
        File objects are read from their current position.
    limit_bytes : int
        Files larger than this are refused before they are read.

    Returns
    -------
    pandas.DataFrame
        One column per header field, at most :data:`MAX_COLUMNS` (names
        stripped of surrounding spaces and otherwise unchanged, blank names
        become ``Unnamed: i``, duplicates are renamed ``name.1``; a column
        with a blank name and no values, as left by a delimiter at the end of
        every line, is dropped). Non-numeric columns are kept; use
        :func:`core.columns.numeric_columns` to find the numeric ones.
        ``attrs["csv_format"]`` records the detected ``sep``, ``decimal``
        and ``encoding``; ``attrs["notes"]`` is a list of sentences for the
        person about what was changed (columns left unread, text cells
        treated as missing, huge numbers). Every frame converts to Arrow
        (``pyarrow.Table.from_pandas``), so Streamlit can show it.

    Raises
    ------
    DataError
        If the file is too large, is empty or has a header only, is not text
        (binary data, a workbook, a compressed file, ...), has a row with the
        wrong number of fields (the message gives the line number), has no
        numeric column, or has fewer than 2 rows with numbers.

    Examples
    --------
    >>> read_csv(b"x;y\\n1,5;2,25\\n2;3\\n")
         x     y
    0  1.5  2.25
    1  2.0  3.00
    """
    path, data = _open_source(source, limit_bytes)
    if path is not None:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            prefix = handle.read(SNIFF_BYTES)
    else:
        size, prefix = len(data), data[:SNIFF_BYTES]
    if not prefix.strip():
        raise DataError(_EMPTY)
    fmt = sniff(prefix, truncated=size > len(prefix))
    if not fmt.header_complete:
        fmt = dataclasses.replace(fmt, header_fields=_count_header_fields(path, data, fmt), header_complete=True)
    notes = []
    usecols = range(MAX_COLUMNS) if fmt.header_fields > MAX_COLUMNS else None
    df, fmt = _parse(path, data, fmt, usecols)
    _check_structure(df, path, data, fmt, trimmed=usecols is not None)
    if usecols is not None:
        notes.append(_trimmed_note(df, fmt))
    df = _drop_empty_unnamed_columns(df)
    _check_nul_in_text(df)
    df, tidy_notes = tidy_numbers(df, fmt.decimal)
    notes += tidy_notes
    numeric = numeric_columns(df)
    if not numeric:
        raise DataError(_no_numeric_message(df, fmt))
    _check_enough_rows(df, numeric)
    df.attrs["csv_format"] = {"sep": fmt.sep, "decimal": fmt.decimal, "encoding": fmt.encoding}
    df.attrs["notes"] = notes
    return df


def _open_source(source: Source, limit_bytes: int) -> tuple[str | None, bytes | None]:
    """Return ``(path, None)`` for a path or ``(None, data)`` for bytes/files, refusing large ones unread."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        check_upload_size(os.path.getsize(path), limit_bytes)
        return path, None
    if isinstance(source, (bytes, bytearray, memoryview)):
        check_upload_size(memoryview(source).nbytes, limit_bytes)
        return None, bytes(source)
    if hasattr(source, "read"):
        remaining = _remaining_size(source)
        if remaining is not None:
            check_upload_size(remaining, limit_bytes)
        content = source.read() if remaining is not None else source.read(limit_bytes + 1)
        if isinstance(content, str):
            content = content.encode("utf-8")
        if remaining is None and len(content) > limit_bytes:  # a stream: its size is unknown
            raise DataError(f"The file is larger than the limit of {_size_in_words(limit_bytes)}. " + _SMALLER)
        check_upload_size(len(content), limit_bytes)
        return None, bytes(content)
    raise TypeError(f"read_csv() needs a path, bytes or an open file, not {type(source).__name__}")


def _remaining_size(handle) -> int | None:
    """Bytes left to read in a seekable file object (None if it cannot tell)."""
    if not (hasattr(handle, "seekable") and handle.seekable()):
        return None
    start = handle.tell()
    end = handle.seek(0, io.SEEK_END)
    handle.seek(start)
    return end - start


def _count_header_fields(path, data, fmt: CsvFormat) -> int:
    """Fields in a header row longer than the sniffed bytes (reads that one line)."""
    raw = open(path, "rb") if path is not None else io.BytesIO(data)
    with io.TextIOWrapper(raw, encoding=fmt.encoding, errors="replace", newline="") as handle:
        for _ in range(fmt.skip):
            handle.readline()
        return len(next(csv.reader([handle.readline()], delimiter=fmt.sep), []))


def _parse(path: str | None, data: bytes | None, fmt: CsvFormat, usecols) -> tuple[pd.DataFrame, CsvFormat]:
    """Parse the whole file with pandas, turning parser errors into DataError.

    Returns the frame and the format, whose encoding is updated if a
    non-UTF-8 byte after the sniffed prefix forced a fallback encoding.
    """
    kwargs = {"sep": fmt.sep, "decimal": fmt.decimal, "skiprows": fmt.skip or None,
              "usecols": usecols, "compression": None}  # never decompress
    encodings = [fmt.encoding]
    if fmt.encoding == "utf-8":
        encodings += ["cp1252", "latin-1"]  # non-UTF-8 bytes may appear after the sniffed prefix
    for i, encoding in enumerate(encodings):
        try:
            with warnings.catch_warnings():
                # A column with text among numbers is handled by tidy_numbers.
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                df = _read(path, data, dict(kwargs, encoding=encoding))
        except UnicodeDecodeError as exc:
            if i + 1 < len(encodings):
                continue
            raise DataError(
                f"The file is not valid {encoding} text ({exc.reason} at byte {exc.start + 1}). "
                "Save it as CSV UTF-8 and try again."
            ) from exc
        except pd.errors.EmptyDataError as exc:
            raise DataError(_EMPTY) from exc
        except pd.errors.ParserError as exc:
            fmt = dataclasses.replace(fmt, encoding=encoding)
            raise csv_rows.error_from_parser(exc, path, data, fmt) from exc
        df.columns = _clean_column_names(df.columns)
        return df, dataclasses.replace(fmt, encoding=encoding)
    raise AssertionError("unreachable")  # pragma: no cover


def _read(path: str | None, data: bytes | None, kwargs: dict) -> pd.DataFrame:
    """``pd.read_csv`` of the path or bytes (shared, not copied); large bytes (an upload) in blocks of rows.

    A local file is read in one call: pandas' reader is about twice as fast on it (two cores here) and the
    app itself only ever receives bytes, where the peak memory matters more than the second core.
    """
    if path is None and len(data) >= SPILL_BYTES:
        lines = _count_lines(None, data)
        rows = max(1_000, int(BLOCK_BYTES * lines / len(data)))
        with pd.read_csv(io.BytesIO(data), chunksize=rows, **kwargs) as blocks:
            df = _gather(blocks, lines + 1)
        if df is not None:
            return df
    # io.BytesIO(bytes) shares the bytes object (CPython copies it only on a write).
    return pd.read_csv(path if path is not None else io.BytesIO(data), **kwargs)


def _count_lines(path: str | None, data: bytes | None) -> int:
    """Line ends in the source (``\\n``, or ``\\r`` alone): with one more, a bound on its rows."""
    if path is None:
        return max(data.count(b"\n"), data.count(b"\r"))
    n, r = 0, 0
    with open(path, "rb") as handle:
        while block := handle.read(BLOCK_BYTES):
            n, r = n + block.count(b"\n"), r + block.count(b"\r")
    return max(n, r)


def _gather(blocks, bound: int) -> pd.DataFrame | None:
    """One frame from pandas' blocks of rows, each column written into one array of ``bound`` rows.

    A column whose blocks are all float64 (or all int64) is filled in place; any
    other column is concatenated from its blocks as pandas' own low-memory
    parser does (text among numbers gives an object column, which
    :func:`tidy_numbers` then sorts out). Returns None when a block has an
    index other than its row numbers (rows longer than the header): the caller
    parses in one pass, so that the structure checks see what pandas makes of it.
    """
    columns, names, filled = None, None, 0
    for block in blocks:
        index = block.index
        if not (isinstance(index, pd.RangeIndex) and index.start == filled and index.step == 1):
            return None
        if columns is None:
            names, columns = list(block.columns), [_Column(bound) for _ in block.columns]
        for position, column in enumerate(columns):
            column.add(block.iloc[:, position], filled)
        filled += len(block)
    if columns is None:
        return None
    df = pd.DataFrame({k: c.result(filled) for k, c in enumerate(columns)}, copy=False)
    df.columns = names
    return df


class _Column:
    """One column of a frame being read in blocks: an array allocated once, or the blocks' pieces."""

    _FILLED = (np.dtype(np.float64), np.dtype(np.int64))

    def __init__(self, bound: int):
        self.bound, self.array, self.pieces = bound, None, []

    def add(self, values: pd.Series, start: int) -> None:
        dtype, end = values.dtype, start + len(values)
        if self.array is None and not self.pieces and isinstance(dtype, np.dtype) and dtype in self._FILLED:
            self.array = np.empty(self.bound, dtype=dtype)
        if self.array is not None:
            if dtype == self.array.dtype and end <= self.bound:
                self.array[start:end] = values.to_numpy()
                return
            self.pieces, self.array = [pd.Series(self.array[:start])], None  # a view: no copy
        self.pieces.append(values)

    def result(self, rows: int):
        if self.array is None:
            return pd.concat(self.pieces, ignore_index=True)
        # Keep a view unless the bound was far off (quoted newlines, blank lines): then free the rest.
        return self.array[:rows] if rows >= 0.9 * self.bound else self.array[:rows].copy()


def _clean_column_names(columns: pd.Index) -> list[str]:
    """Strip spaces from header names, name blank ones, de-duplicate like pandas."""
    names, seen = [], set()
    for i, name in enumerate(columns):
        name = str(name).strip()
        if not name:
            name = f"Unnamed: {i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        names.append(name)
    return names


def _trimmed_note(df: pd.DataFrame, fmt: CsvFormat) -> str:
    """Say which columns of a very wide file were read."""
    return (
        f"The file has {fmt.header_fields:,} columns; only the first {df.shape[1]:,} were read "
        f"({quote(df.columns[0])} to {quote(df.columns[-1])}). To use other columns, "
        "remove the ones you do not need and upload the file again."
    )


def _check_structure(df: pd.DataFrame, path, data, fmt: CsvFormat, trimmed: bool) -> None:
    """Raise DataError for a header-only file or rows with the wrong field count."""
    if len(df) == 0:
        raise DataError(
            f"The file has a header row ({names_in_words(df.columns)}) but no data rows. "
            "Add at least 2 rows of numbers below the header."
        )
    csv_rows.check_long_rows(df, path, data, fmt)
    if trimmed:
        # pandas ignores fields beyond the columns it reads, so count them all.
        csv_rows.check_field_counts(path, data, fmt, fmt.header_fields)
    elif df.shape[1] >= 2 and df.iloc[:, -1].isna().any():
        # Short rows are filled with NaN by pandas: only then can there be one.
        csv_rows.check_field_counts(path, data, fmt, df.shape[1])


def _drop_empty_unnamed_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Drop columns with a blank header and no values (from trailing delimiters)."""
    empty = [
        name
        for name in df.columns
        if name.startswith("Unnamed: ") and name[len("Unnamed: "):].isdigit() and df[name].isna().all()
    ]
    return df.drop(columns=empty) if empty else df


def _check_nul_in_text(df: pd.DataFrame) -> None:
    """Raise DataError if a text column holds NUL characters (binary data)."""
    for name in non_numeric_columns(df):
        column = df[name]
        if not (pd.api.types.is_string_dtype(column) or column.dtype == object):
            continue
        has_nul = column.astype("str").str.contains("\x00", regex=False, na=False).to_numpy()
        if has_nul.any():
            row = int(np.flatnonzero(has_nul)[0]) + 1
            raise DataError(
                f"Column {quote(name)} contains binary data (a NUL character) in data row {row}. "
                "The file may be damaged; export or save the data as CSV again."
            )


def _no_numeric_message(df: pd.DataFrame, fmt: CsvFormat) -> str:
    """Explain why no column was read as numbers."""
    first = df.iloc[0]
    sample = ", ".join(f"{quote(c)} = {quote(first[c], 20)}" for c in df.columns[:5])
    hint = ""
    if df.shape[1] == 1:
        hint = (
            " The header was read as a single column: if the values are separated by "
            "something other than commas, semicolons or tabs, save the file as comma-separated."
        )
    elif fmt.decimal == "." and fmt.sep != ",":
        hint = " If the numbers use a decimal comma, make sure they are not quoted."
    return (
        f"No numeric columns found (columns: {names_in_words(df.columns)}; first data row: {sample}). "
        f"Regression needs at least one column of numbers. The file was read as "
        f"{DELIMITER_NAMES.get(fmt.sep, quote(fmt.sep))}-separated with "
        f"{'decimal comma' if fmt.decimal == ',' else 'decimal point'}.{hint}"
    )


def _check_enough_rows(df: pd.DataFrame, numeric: list[str]) -> None:
    """Raise DataError unless at least 2 rows have a number in some numeric column."""
    head = df.iloc[:1000][numeric]  # slice first: no copy of a big frame
    if int(head.notna().any(axis=1).sum()) >= 2:
        return
    usable = int(df[numeric].notna().any(axis=1).sum())
    if usable < 2:
        raise DataError(
            f"Only {usable} row{'s' if usable != 1 else ''} of the file "
            f"{'has' if usable == 1 else 'have'} numbers; a regression needs at least 2 rows. "
            "Add more rows of data."
        )

"""Robust uploads: wide files, huge numbers, stray text, markup-like names, size and compression."""

from __future__ import annotations

import bz2
import gzip
import io
import time
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.columns import DataError, numeric_columns
from core.csv_read import MAX_COLUMNS, check_upload_size
from core.csv_read import read_csv as _read_csv
from core.design import design_matrix


def read_csv(source, **kwargs) -> pd.DataFrame:
    """read_csv, checking that every accepted frame converts to Arrow (what Streamlit needs)."""
    df = _read_csv(source, **kwargs)
    pa.Table.from_pandas(df)
    return df


# ------------------------------------------------------------------ wide files


def _wide(columns: int, rows: int = 2) -> bytes:
    rng = np.random.default_rng(0)
    lines = [",".join(f"c{i}" for i in range(columns))]
    lines += [",".join(f"{v:.2f}" for v in rng.random(columns)) for _ in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_10000_column_file_is_trimmed_quickly_with_a_note_saying_what_was_kept():
    raw = _wide(10_000)
    assert len(raw) > 90_000
    start = time.perf_counter()
    df = read_csv(raw)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, elapsed
    assert df.shape == (2, MAX_COLUMNS)
    assert list(df.columns[[0, -1]]) == ["c0", f"c{MAX_COLUMNS - 1}"]
    assert df.attrs["notes"] == [
        f"The file has 10,000 columns; only the first {MAX_COLUMNS} were read (“c0” to “c{MAX_COLUMNS - 1}”). "
        "To use other columns, remove the ones you do not need and upload the file again."
    ]


def test_a_header_longer_than_the_sniffed_bytes_is_trimmed_too():
    df = read_csv(_wide(30_000, rows=3))  # the header alone is ~180 KB
    assert df.shape == (3, MAX_COLUMNS)
    assert df.attrs["notes"][0].startswith("The file has 30,000 columns; only the first 200 were read")


def test_long_column_names_beyond_the_sniffed_bytes_are_all_read():
    names = [f"{'long name ' * 100}{i}" for i in range(100)]  # a ~100 KB header of 100 columns
    df = read_csv((",".join(names) + "\n" + ",".join(["1"] * 100) + "\n" + ",".join(["2"] * 100) + "\n").encode())
    assert list(df.columns) == names and df.attrs["notes"] == []


def test_a_wide_utf16_file_is_trimmed_like_any_other():
    df = read_csv(_wide(1_000).decode().encode("utf-16"))
    assert df.shape == (2, MAX_COLUMNS) and df.attrs["notes"][0].startswith("The file has 1,000 columns")


def test_a_trimmed_file_still_names_a_row_with_too_many_fields():
    raw = _wide(300, rows=3) + b",".join([b"1"] * 301) + b"\n"
    with pytest.raises(DataError, match=r"^Line 5 has 301 fields but the header \(line 1\) has 300"):
        read_csv(raw)


def test_a_file_at_the_column_limit_has_no_note():
    df = read_csv(_wide(MAX_COLUMNS))
    assert df.shape[1] == MAX_COLUMNS and df.attrs["notes"] == []


# ------------------------------------------------------------------ huge numbers


@pytest.mark.parametrize("big", [b"18446744073709551616", b"9223372036854775808", b"-99999999999999999999"])
def test_whole_numbers_beyond_int64_become_float64_with_a_note(big):
    df = read_csv(b"x,y\n1,2\n" + big + b",3\n4,5\n")
    assert df["x"].dtype == np.float64
    assert df["x"].iloc[1] == float(big)
    assert df.attrs["notes"] == [
        "Column “x” holds whole numbers too large for a 64-bit integer (data row 2); the column was "
        "converted to decimal numbers (float64), which keep about 16 significant digits."
    ]


def test_a_number_too_large_to_store_is_named_at_read_and_its_row_left_out_of_the_fit():
    df = read_csv(b"x,y\n1,2\n2,1e999\n3,4\n5,6\n")
    assert df.attrs["notes"] == [
        "Column “y” has a number too large to store in data row 2 (above about 1.8e308, or written "
        "as infinity); a fit that uses the column leaves that row out."
    ]
    design = design_matrix(df, "y", ["x"])
    assert design.m == 3 and design.n_dropped == 1
    assert design.notes == ["3 of 4 rows used: “y” is infinite in data row 2, so that row was left out."]


def test_huge_finite_values_are_refused_by_the_design_naming_column_and_row():
    df = read_csv(b"x,y\n" + b"".join(b"%d,1e308\n" % i for i in range(10)))
    with pytest.raises(DataError) as info:
        design_matrix(df, "y", ["x"])
    message = str(info.value)
    assert message.startswith("Column “y” holds a number too large to compute with in data row 1 (1e+308)")
    assert "Numerical result" not in message


# ------------------------------------------------------------------ stray text in numbers


def test_one_bad_cell_keeps_the_column_and_names_the_row():
    df = read_csv(b'x,y\n1,10\n"two",20\n3,30\n')
    assert numeric_columns(df) == ["x", "y"]
    assert np.isnan(df["x"].iloc[1]) and df["x"].iloc[[0, 2]].tolist() == [1.0, 3.0]
    assert df.attrs["notes"] == [
        "Column “x” is mostly numbers, but data row 2 holds text (“two”); that cell is treated as "
        "missing, so a fit that uses the column leaves that row out."
    ]
    design = design_matrix(df, "y", ["x"])
    assert design.notes == ["2 of 3 rows used: “x” has no number in data row 2, so that row was left out."]


def test_many_bad_cells_are_counted_not_all_listed():
    body = b"".join(b"%d,%d\n" % (i, i) for i in range(20)) + b"abc,1\n?,2\n-,3\nx,4\nbad,5\nno,6\n"
    df = read_csv(b"a,b\n" + body)
    (note,) = df.attrs["notes"]
    assert "data rows 21, 22, 23, 24, 25 and 1 more hold text (“abc”, “?”, “-”)" in note


def test_a_mostly_text_column_stays_text_and_the_file_is_accepted():
    df = read_csv(b"label,y\nred,1\nblue,2\n3,3\n")
    assert numeric_columns(df) == ["y"] and df["label"].tolist() == ["red", "blue", "3"]
    assert df.attrs["notes"] == []


def test_a_file_with_one_usable_numeric_column_is_never_refused():
    df = read_csv(b"name,y\nann,1\nbob,2\n")
    assert numeric_columns(df) == ["y"]


# ------------------------------------------------------------------ user text is data


MARKUP = ["**bold**", "[link](http://x)", "$x^2$", "$\\frac{", "}", "<script>"]


def test_markup_like_column_names_survive_reading_unchanged():
    header = ",".join(f'"{name}"' for name in MARKUP)
    df = read_csv(f"{header}\n1,2,3,4,5,6\n2,3,4,5,6,8\n".encode())
    assert list(df.columns) == MARKUP


def test_messages_quote_names_without_control_characters():
    with pytest.raises(DataError) as info:
        read_csv(b'"bad\x1bname\nsecond",city\nAnn,Oslo\nBob,Rome\n')
    assert "“badnamesecond”" in str(info.value)


# ------------------------------------------------------------------ size and compression


def test_check_upload_size_says_both_sizes():
    check_upload_size(200, 200)
    with pytest.raises(DataError, match=r"^The file is 300 MB, more than the limit of 200 MB\. Upload a smaller"):
        check_upload_size(300 * 2**20, 200 * 2**20)


class _Upload(io.BytesIO):
    """Like Streamlit's UploadedFile; records how many bytes were read."""

    read_sizes: list

    def read(self, size=-1):
        self.read_sizes = [*getattr(self, "read_sizes", []), size]
        return super().read(size)


def test_an_oversized_upload_is_refused_before_it_is_read():
    upload = _Upload(b"x,y\n" + b"1,2\n" * 1000)
    with pytest.raises(DataError, match="more than the limit of 1,000 bytes"):
        read_csv(upload, limit_bytes=1000)
    assert getattr(upload, "read_sizes", []) == []


class _Stream(io.RawIOBase):
    """A file object that cannot seek, like a network stream."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)

    def readable(self):
        return True

    def read(self, size=-1):
        return self._data.read(size)


def test_an_unseekable_stream_is_read_only_up_to_the_limit():
    with pytest.raises(DataError, match=r"^The file is larger than the limit of 1,000 bytes\. Upload a smaller"):
        read_csv(_Stream(b"x,y\n" + b"1,2\n" * 1000), limit_bytes=1000)
    assert read_csv(_Stream(b"x,y\n1,2\n3,4\n"))["y"].tolist() == [2, 4]


def test_oversized_bytes_and_paths_are_refused(tmp_path):
    raw = b"x,y\n" + b"1,2\n" * 1000
    path = tmp_path / "big.csv"
    path.write_bytes(raw)
    for source in (raw, path):
        with pytest.raises(DataError, match="^The file is 3.91 KB, more than the limit of 1,000 bytes"):
            read_csv(source, limit_bytes=1000)
    assert len(read_csv(raw, limit_bytes=len(raw))) == 1000


def _zip(raw: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", raw)
    return buffer.getvalue()


@pytest.mark.parametrize(("compress", "what"), [
    (gzip.compress, "gzip-compressed"), (bz2.compress, "bzip2-compressed"), (_zip, "zip archive"),
])
def test_compressed_content_is_refused_never_decompressed(tmp_path, compress, what):
    packed = compress(b"x,y\n1,2\n3,4\n")
    with pytest.raises(DataError, match=what):
        read_csv(packed)
    path = tmp_path / "data.csv.gz"  # an extension pandas would otherwise decompress by
    path.write_bytes(packed)
    with pytest.raises(DataError, match=what):
        read_csv(path)


def test_a_gz_named_plain_csv_is_read_as_plain_text(tmp_path):
    path = tmp_path / "data.csv.gz"
    path.write_bytes(b"x,y\n1,2\n3,4\n")
    assert read_csv(path)["y"].tolist() == [2, 4]


# ------------------------------------------------------------------ any accepted file converts to Arrow

_CELL = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "two", "1e999", "-1e999", "nan", "True", "1,5", "x\ty"]),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=2, max_size=12))
def test_every_accepted_frame_converts_to_arrow(rows):
    body = "\n".join(",".join(f'"{cell}"' for cell in row) for row in rows)
    raw = f"a,b,c\n{body}\n".encode()
    try:
        df = _read_csv(raw)
    except DataError:
        return
    pa.Table.from_pandas(df)
    assert numeric_columns(df), "an accepted file has a numeric column"


def test_long_columns_are_judged_the_same_way():
    rows = 5000
    labels = "".join(f"n{i},{i}\n" for i in range(rows))
    df = read_csv(("label,y\n" + labels).encode())
    assert numeric_columns(df) == ["y"] and df.attrs["notes"] == []
    numbers = "".join(f"{'oops' if i == 4321 else i},{i}\n" for i in range(rows))
    df = read_csv(("x,y\n" + numbers).encode())
    assert numeric_columns(df) == ["x", "y"] and np.isnan(df["x"].iloc[4321])
    assert "data row 4322 holds text (“oops”)" in df.attrs["notes"][0]

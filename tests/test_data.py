"""Tests for reading CSV files, examples, synthetic data and hashing (through the core.data facade)."""

from __future__ import annotations

import io
import socket

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from core import csv_read, csv_sniff, examples
from core.data import (
    EXAMPLE_KEYS,
    EXAMPLES,
    DataError,
    Example,
    content_key,
    example,
    non_numeric_columns,
    numeric_columns,
    synthetic,
    to_csv_bytes,
)
from core.data import read_csv as _read_csv


def read_csv(source, **kwargs) -> pd.DataFrame:
    """core.data.read_csv, checking that every frame it accepts converts to Arrow (Streamlit's tables)."""
    df = _read_csv(source, **kwargs)
    pa.Table.from_pandas(df)
    return df


SIMPLE = pd.DataFrame({"x": [1.0, 2.0, 3.5], "y": [2.0, 4.25, -6.0]})


def _frame_values(df: pd.DataFrame) -> list[list[float]]:
    return df.to_numpy(dtype=float).tolist()


# --------------------------------------------------------------------------
# read_csv: formats
# --------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_each_delimiter_is_detected(sep):
    raw = f"x{sep}y\n1{sep}2.0\n3.5{sep}4\n-1{sep}0.25\n".encode()
    df = read_csv(raw)
    assert list(df.columns) == ["x", "y"]
    assert _frame_values(df) == [[1, 2], [3.5, 4], [-1, 0.25]]
    assert df.attrs["csv_format"]["sep"] == sep


def test_delimiter_detection_ignores_delimiters_inside_quotes():
    raw = b'name,x,y\n"Smith; John",1,2\n"Doe; Jane",3,4\n'
    df = read_csv(raw)
    assert list(df.columns) == ["name", "x", "y"]
    assert df["name"].tolist() == ["Smith; John", "Doe; Jane"]


def test_utf8_bom_is_stripped_from_first_column_name():
    df = read_csv("\ufeffx,y\n1,2\n3,4\n".encode("utf-8"))
    assert list(df.columns) == ["x", "y"]
    assert _frame_values(df) == [[1, 2], [3, 4]]


def test_latin1_file_is_decoded():
    raw = "café,prix\n1,2\n3,4\n".encode("latin-1")  # not valid UTF-8
    df = read_csv(raw)
    assert list(df.columns) == ["café", "prix"]
    assert df.attrs["csv_format"]["encoding"] in ("cp1252", "latin-1")


def test_non_utf8_byte_after_the_sniffed_prefix_falls_back_to_latin1():
    body = "".join(f"{i},n{i}\n" for i in range(20_000))  # > SNIFF_BYTES
    raw = ("x,label\n" + body + "1,Zoë\n").encode("latin-1")
    assert len(raw) > csv_sniff.SNIFF_BYTES
    df = read_csv(raw)
    assert df["label"].iloc[-1] == "Zoë"
    assert len(df) == 20_001


def test_utf16_with_bom_as_excel_unicode_text_export():
    raw = "x\ty\n1\t2\n3\t4\n".encode("utf-16")
    df = read_csv(raw)
    assert list(df.columns) == ["x", "y"]
    assert _frame_values(df) == [[1, 2], [3, 4]]


def test_decimal_comma_with_semicolon_delimiter():
    df = read_csv(b"x;y\n1,5;2,25\n2;3\n-0,5;1e3\n")
    assert df["x"].tolist() == [1.5, 2.0, -0.5]
    assert df["y"].tolist() == [2.25, 3.0, 1000.0]
    assert df.attrs["csv_format"]["decimal"] == ","


def test_decimal_comma_with_tab_delimiter():
    df = read_csv(b"a\tb\n0,1\t10\n0,2\t20\n")
    assert df["a"].tolist() == [0.1, 0.2]


def test_excel_sep_line_names_the_delimiter():
    df = read_csv(b"sep=;\nx;y\n1,5;2\n3;4\n")
    assert list(df.columns) == ["x", "y"]
    assert df["x"].tolist() == [1.5, 3.0]
    with pytest.raises(DataError, match=r"^Line 4 has 3 fields but the header \(line 2\) has 2"):
        read_csv(b"sep=;\nx;y\n1;2\n3;4;5\n")
    with pytest.raises(DataError, match=r"^Line 3 has 1 field but the header \(line 2\) has 2"):
        read_csv(b"sep=;\nx;y\n1\n3;4\n")


def test_semicolon_file_with_decimal_point_keeps_point():
    df = read_csv(b"x;y\n1.5;2\n2.5;3\n")
    assert df["x"].tolist() == [1.5, 2.5]
    assert df.attrs["csv_format"]["decimal"] == "."


def test_unsupported_delimiter_reads_as_one_column_and_says_so():
    with pytest.raises(DataError, match="read as a single column"):  # '|' is not auto-detected
        read_csv(b"x|y\n1|2\n3|4\n")


def test_excel_sep_line_with_a_pipe_is_honoured():
    df = read_csv(b"sep=|\nx|y\n1|2\n3|4\n")
    assert _frame_values(df) == [[1, 2], [3, 4]]


def test_crlf_line_endings_and_blank_lines():
    df = read_csv(b"x,y\r\n1,2\r\n\r\n3,4\r\n")
    assert _frame_values(df) == [[1, 2], [3, 4]]


def test_header_names_are_stripped_and_deduplicated():
    df = read_csv(b"x , y,x,\n1,2,3,4\n5,6,7,8\n")
    assert list(df.columns) == ["x", "y", "x.1", "Unnamed: 3"]


def test_quoted_newline_in_text_field_is_not_a_ragged_row():
    df = read_csv(b'note,y\n"two\nlines",\n"one",2\nok,3\n')
    assert df["note"].tolist() == ["two\nlines", "one", "ok"]
    assert np.isnan(df["y"].iloc[0]) and df["y"].iloc[1:].tolist() == [2.0, 3.0]


# --------------------------------------------------------------------------
# read_csv: sources
# --------------------------------------------------------------------------

RAW = b"x,y\n1,2\n3,4\n5,6.5\n"


def _expected_raw() -> pd.DataFrame:
    return pd.DataFrame({"x": [1, 3, 5], "y": [2.0, 4.0, 6.5]})


@pytest.mark.parametrize(
    "make_source",
    [
        pytest.param(lambda tmp: str(_write(tmp, RAW)), id="str-path"),
        pytest.param(lambda tmp: _write(tmp, RAW), id="Path"),
        pytest.param(lambda tmp: RAW, id="bytes"),
        pytest.param(lambda tmp: bytearray(RAW), id="bytearray"),
        pytest.param(lambda tmp: io.BytesIO(RAW), id="BytesIO"),
        pytest.param(lambda tmp: io.StringIO(RAW.decode()), id="StringIO"),
        pytest.param(lambda tmp: open(_write(tmp, RAW), "rb"), id="binary-file"),
        pytest.param(lambda tmp: open(_write(tmp, RAW), encoding="utf-8"), id="text-file"),
    ],
)
def test_every_kind_of_source_gives_the_same_frame(tmp_path, make_source):
    source = make_source(tmp_path)
    try:
        df = read_csv(source)
    finally:
        if hasattr(source, "close"):
            source.close()
    pd.testing.assert_frame_equal(df, _expected_raw())


def test_bytesio_subclass_like_streamlit_uploaded_file():
    class UploadedFile(io.BytesIO):
        name = "data.csv"

    df = read_csv(UploadedFile("a;b\n1,5;2\n2,5;3\n".encode()))
    assert df["a"].tolist() == [1.5, 2.5]


def test_path_to_latin1_semicolon_decimal_comma_file(tmp_path):
    path = _write(tmp_path, "température;durée\n20,5;1,25\n21,0;2\n".encode("latin-1"))
    df = read_csv(path)
    assert list(df.columns) == ["température", "durée"]
    assert df["température"].tolist() == [20.5, 21.0]


def test_unsupported_source_type_is_a_type_error():
    with pytest.raises(TypeError, match="path, bytes or an open file"):
        read_csv(12345)


def _write(tmp_path, raw: bytes):
    path = tmp_path / "data.csv"
    path.write_bytes(raw)
    return path


# --------------------------------------------------------------------------
# read_csv: errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   \n\n", b"\n"])
def test_empty_file(raw):
    with pytest.raises(DataError, match="file is empty"):
        read_csv(raw)


def test_empty_file_on_disk(tmp_path):
    with pytest.raises(DataError, match="file is empty"):
        read_csv(_write(tmp_path, b""))


def test_header_only_names_the_header():
    with pytest.raises(DataError, match=r"header row \(“height” and “weight”\) but no data rows"):
        read_csv(b"height,weight\n")


def test_no_numeric_columns_lists_columns_and_first_row():
    with pytest.raises(DataError) as info:
        read_csv(b"name,city\nAnn,Oslo\nBob,Rome\n")
    message = str(info.value)
    assert "No numeric columns" in message
    assert "columns: “name” and “city”" in message
    assert "“name” = “Ann”" in message


def test_fewer_than_two_usable_rows():
    with pytest.raises(DataError, match="Only 1 row .* at least 2 rows"):
        read_csv(b"x,y\n1,2\n")
    with pytest.raises(DataError, match="Only 1 row"):
        read_csv(b"x,y,label\n1,2,a\n,,b\n,,c\n")


def test_binary_garbage_with_nul_bytes_names_line():
    raw = b"x,y\n1,2\n3,\x00\x01\x02garbage\n"
    with pytest.raises(DataError, match=r"binary data \(a NUL byte on line 3"):
        read_csv(raw)


def test_nul_byte_after_the_sniffed_prefix_names_column_and_row():
    body = b"".join(b"%d,%d\n" % (i, i) for i in range(20_000))
    raw = b"x,y\n" + body + b"7,ab\x00cd\n"
    with pytest.raises(DataError, match=r"Column “y” contains binary data .* data row 20001\."):
        read_csv(raw)


def test_random_binary_without_nul_is_rejected():
    rng = np.random.default_rng(1)
    raw = bytes(rng.integers(1, 256, size=5000, dtype=np.uint8))
    with pytest.raises(DataError, match="does not look like text|binary"):
        read_csv(raw)


@pytest.mark.parametrize(
    ("magic", "what"),
    [(b"PK\x03\x04", "Excel workbook"), (b"%PDF-1.7", "PDF"), (b"\x89PNG\r\n", "PNG")],
)
def test_known_binary_formats_are_named(magic, what):
    with pytest.raises(DataError, match=what):
        read_csv(magic + b"rest of the file")


def test_ragged_row_with_extra_field_names_the_line():
    with pytest.raises(DataError) as info:
        read_csv(b"x,y\n1,2\n3,4\n5,6,7\n8,9\n")
    message = str(info.value)
    assert message.startswith("Line 4 has 3 fields but the header (line 1) has 2")
    assert "commas" in message


def test_ragged_row_with_missing_field_names_the_line():
    with pytest.raises(DataError, match=r"^Line 3 has 1 field but the header \(line 1\) has 2"):
        read_csv(b"x,y\n1,2\n3\n5,6\n")


def test_ragged_line_number_counts_blank_lines_and_semicolons():
    with pytest.raises(DataError, match=r"^Line 5 has 3 fields .*semicolons"):
        read_csv(b"x;y\n1,5;2\n\n3;4\n5;6;7\n")


def test_ragged_row_far_into_a_file_on_disk(tmp_path):
    body = b"".join(b"%d,%d,%d\n" % (i, i, i) for i in range(30_000))
    path = _write(tmp_path, b"a,b,c\n" + body + b"1,2\n" + b"4,5,6\n")
    with pytest.raises(DataError, match=r"^Line 30002 has 2 fields but the header \(line 1\) has 3"):
        read_csv(path)


def test_rows_with_one_extra_field_are_not_silently_used_as_index():
    # pandas alone would turn column 'a' into the index and shift the data.
    with pytest.raises(DataError, match=r"^Line 2 has 3 fields but the header \(line 1\) has 2"):
        read_csv(b"a,b\n1,2,3\n4,5,6\n")


def test_delimiter_at_end_of_every_line_adds_no_column():
    df = read_csv(b"x;y;\n1;2;\n3;4;\n")
    assert list(df.columns) == ["x", "y"]
    assert _frame_values(df) == [[1, 2], [3, 4]]


def test_trailing_empty_fields_are_missing_values_not_ragged():
    df = read_csv(b"x,y\n1,2\n3,\n5,6\n")
    assert df["y"].isna().tolist() == [False, True, False]


# --------------------------------------------------------------------------
# Column checks
# --------------------------------------------------------------------------


def test_numeric_and_non_numeric_columns():
    df = pd.DataFrame(
        {
            "i": [1, 2],
            "f": [1.5, np.nan],
            "s": ["a", "b"],
            "b": [True, False],
            "t": pd.to_datetime(["2020-01-01", "2020-01-02"]),
            "n": pd.array([1, None], dtype="Int64"),
        }
    )
    assert numeric_columns(df) == ["i", "f", "n"]
    assert non_numeric_columns(df) == ["s", "b", "t"]


def test_csv_with_a_text_column_keeps_it_and_reports_it():
    df = read_csv(b"country,gdp,life\nNorway,8.1,82\nChad,2.3,54\n")
    assert numeric_columns(df) == ["gdp", "life"]
    assert non_numeric_columns(df) == ["country"]
    assert df["country"].tolist() == ["Norway", "Chad"]


# --------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------


def test_example_keys_in_order():
    assert EXAMPLE_KEYS == ("hours", "three_points", "tips", "iris", "gapminder", "synthetic")
    assert tuple(EXAMPLES) == EXAMPLE_KEYS


def test_hours_example_exact_values():
    ex = example("hours")
    assert ex.title == "Hours studied (worked example)"
    assert (ex.target, ex.features, ex.degree) == ("score", ("hours",), 1)
    assert ex.frame["hours"].tolist() == [1, 2, 3, 4, 5]
    assert ex.frame["score"].tolist() == [2, 3, 4.5, 5, 7]
    assert "0.7" in ex.description and "1.2" in ex.description
    # The stated θ is the least-squares solution.
    X = np.column_stack([np.ones(5), ex.frame["hours"]])
    theta = np.linalg.lstsq(X, ex.frame["score"], rcond=None)[0]
    np.testing.assert_allclose(theta, [0.7, 1.2], atol=1e-12)


def test_three_points_example_and_its_stated_numbers():
    ex = example("three_points")
    assert ex.frame[["x", "y"]].to_numpy().tolist() == [[1, 2], [2, 3], [3, 4]]
    assert "(1, 1)" in ex.description and "0.3" in ex.description and "0.667" in ex.description
    X = np.column_stack([np.ones(3), ex.frame["x"]])
    y = ex.frame["y"].to_numpy()
    step = np.zeros(2) - 0.1 * X.T @ (X @ np.zeros(2) - y) / 3
    np.testing.assert_allclose(step, [0.3, 2 / 3])


@pytest.mark.parametrize(
    ("key", "rows", "target", "feature", "unit"),
    [
        ("tips", 244, "tip", "total_bill", "US dollars"),
        ("iris", 150, "petal_width", "petal_length", "centimetres"),
        ("gapminder", 142, "lifeExp", "log10_gdp_per_cap", "years"),
    ],
)
def test_real_examples_load_with_numeric_declared_columns(key, rows, target, feature, unit):
    ex = example(key)
    assert ex.key == key and ex.target == target and ex.features == (feature,)
    assert len(ex.frame) == rows
    assert set((target, feature)) <= set(numeric_columns(ex.frame))
    assert np.isfinite(ex.frame[[target, feature]].to_numpy()).all()
    assert unit in ex.description


def test_gapminder_is_2007_with_log_gdp():
    frame = example("gapminder").frame
    np.testing.assert_allclose(frame["log10_gdp_per_cap"], np.log10(frame["gdpPercap"]))
    assert "year" not in frame.columns
    assert frame["country"].is_unique
    norway = frame.loc[frame["country"] == "Norway", "lifeExp"].item()
    assert norway == pytest.approx(80.196)  # Gapminder's 2007 value


def test_real_examples_work_offline(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    examples._plotly_dataset.cache_clear()
    for key in ("tips", "iris", "gapminder"):
        assert len(example(key).frame) > 100


def test_example_frames_are_fresh_copies():
    first = example("tips")
    first.frame.loc[0, "tip"] = -999.0
    assert example("tips").frame.loc[0, "tip"] != -999.0


def test_synthetic_example_matches_synthetic_defaults():
    pd.testing.assert_frame_equal(example("synthetic").frame, synthetic())


def test_unknown_example_is_a_value_error_listing_keys():
    with pytest.raises(ValueError, match="Unknown example 'nope'.*hours, three_points, tips"):
        example("nope")
    with pytest.raises(ValueError, match="Unknown example"):
        example(["unhashable"])


def test_example_is_frozen_and_checks_its_columns():
    ex = example("hours")
    with pytest.raises(AttributeError):
        ex.title = "changed"
    assert ex == example("hours")  # equality ignores the frame object
    with pytest.raises(ValueError, match=r"\['nope'\]"):
        Example("k", "t", "d", "nope", ["hours"], frame=ex.frame)


# --------------------------------------------------------------------------
# Synthetic data
# --------------------------------------------------------------------------


def test_synthetic_shape_range_and_reproducibility():
    df = synthetic(n=200, seed=3, x_min=-2, x_max=5)
    assert list(df.columns) == ["x", "y"] and len(df) == 200
    assert df["x"].between(-2, 5).all() and df["x"].is_monotonic_increasing
    pd.testing.assert_frame_equal(df, synthetic(n=200, seed=3, x_min=-2, x_max=5))
    assert not df.equals(synthetic(n=200, seed=4, x_min=-2, x_max=5))


def test_synthetic_noise_free_is_an_exact_line():
    df = synthetic(n=30, slope=-1.5, intercept=4.0, noise=0.0)
    np.testing.assert_array_equal(df["y"], 4.0 - 1.5 * df["x"])


def test_synthetic_noise_has_the_requested_spread():
    df = synthetic(n=20_000, noise=2.0, seed=1)
    residuals = df["y"] - (1.0 + 2.0 * df["x"])
    assert residuals.std() == pytest.approx(2.0, rel=0.05)


@pytest.mark.parametrize("k", [1, 3, 10])
def test_synthetic_outliers_move_exactly_k_points(k):
    clean = synthetic(n=40, seed=7)
    dirty = synthetic(n=40, seed=7, outliers=k)
    np.testing.assert_array_equal(clean["x"], dirty["x"])
    moved = np.abs(dirty["y"] - clean["y"])
    assert (moved > 0).sum() == k
    assert moved.max() >= 5.0  # a large shift: at least 5·noise


def test_synthetic_outliers_visible_even_without_noise_or_slope():
    dirty = synthetic(n=10, slope=0.0, noise=0.0, outliers=2)
    assert (dirty["y"] != 1.0).sum() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, "n must be at least 2"),
        ({"n": 1_000_001}, "n must be at most 1,000,000"),
        ({"n": 2.5}, "n must be a whole number"),
        ({"noise": -0.1}, "noise must be 0 or more"),
        ({"outliers": -1}, "outliers must be between 0 and n = 50"),
        ({"outliers": 51}, "outliers must be between 0 and n = 50"),
        ({"x_min": 3.0, "x_max": 3.0}, "x_min must be less than x_max"),
        ({"slope": float("nan")}, "slope must be a finite number"),
    ],
)
def test_synthetic_argument_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        synthetic(**kwargs)


def test_synthetic_accepts_the_limits():
    assert len(synthetic(n=2, outliers=2)) == 2


# --------------------------------------------------------------------------
# to_csv_bytes and content_key
# --------------------------------------------------------------------------


def test_to_csv_bytes_is_utf8_without_index():
    df = pd.DataFrame({"θ": [1.5, 2.0]}, index=[10, 20])
    assert to_csv_bytes(df) == "θ\n1.5\n2.0\n".encode("utf-8")


def test_content_key_depends_on_every_value_of_a_big_frame():
    rng = np.random.default_rng(0)
    big = pd.DataFrame(rng.standard_normal((100_000, 3)), columns=["a", "b", "c"])
    key = content_key(big)
    assert key == content_key(big.copy())
    changed = big.copy()
    changed.iloc[76_543, 1] += 1e-9
    assert content_key(changed) != key


def test_content_key_depends_on_names_dtypes_order_and_index():
    df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    keys = {
        content_key(df),
        content_key(df.rename(columns={"a": "z"})),
        content_key(df.astype({"a": "float64"})),
        content_key(df[["b", "a"]]),
        content_key(df.set_axis([5, 6])),
        content_key(df.iloc[:1]),
    }
    assert len(keys) == 6


def test_content_key_handles_text_and_unhashable_objects():
    df = pd.DataFrame({"s": ["a", "b"], "o": [[1], [2]]})
    other = pd.DataFrame({"s": ["a", "b"], "o": [[1], [3]]})
    assert content_key(df) != content_key(other)


# --------------------------------------------------------------------------
# Round trip (hypothesis)
# --------------------------------------------------------------------------

_NAMES = st.lists(
    st.text(alphabet="abcxyzé_θ", min_size=1, max_size=6), min_size=1, max_size=5, unique=True
)


@st.composite
def numeric_frames(draw):
    names = draw(_NAMES)
    rows = draw(st.integers(min_value=2, max_value=30))
    columns = {}
    for i, name in enumerate(names):
        kind = "finite" if i == 0 else draw(st.sampled_from(["finite", "with_nan", "int"]))
        if kind == "int":
            columns[name] = draw(
                hnp.arrays(np.int64, rows, elements=st.integers(-(2**62), 2**62))
            )
        else:
            elements = st.floats(
                allow_nan=kind == "with_nan", allow_infinity=kind == "with_nan", allow_subnormal=False, width=64
            )
            columns[name] = draw(hnp.arrays(np.float64, rows, elements=elements))
    return pd.DataFrame(columns)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(numeric_frames())
def test_round_trip_to_csv_bytes_and_read_csv(df):
    back = read_csv(to_csv_bytes(df))
    assert list(back.columns) == list(df.columns)
    assert numeric_columns(back) == list(df.columns)
    for name in df.columns:
        if df[name].dtype == np.int64:
            assert back[name].dtype == np.int64
            assert back[name].tolist() == df[name].tolist()
        else:
            np.testing.assert_array_equal(
                back[name].to_numpy(dtype=np.float64), df[name].to_numpy(), err_msg=name
            )


def test_large_bytes_are_read_in_blocks_with_the_same_result_and_no_temporary_file(monkeypatch):
    import glob

    payload = b"x;y\n" + b"".join(f"{i},5;{2 * i},25\n".encode() for i in range(2000))
    small = read_csv(payload)
    monkeypatch.setattr(csv_read, "SPILL_BYTES", 1024)
    before = set(glob.glob("/dev/shm/*.csv")) | set(glob.glob("/tmp/*.csv"))
    spilled = read_csv(io.BytesIO(payload))
    pd.testing.assert_frame_equal(spilled, small)
    assert spilled["x"].iloc[3] == 3.5 and spilled.attrs["csv_format"]["decimal"] == ","
    after = set(glob.glob("/dev/shm/*.csv")) | set(glob.glob("/tmp/*.csv"))
    assert after <= before  # no temporary file is left behind
    with pytest.raises(DataError):
        read_csv(b"a,b\n" + b"1,2\n" * 600 + b"1,2,3\n")  # errors still raised

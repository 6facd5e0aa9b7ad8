"""Format detection for CSV files: what a file is, before it is parsed.

One idea: from the first :data:`SNIFF_BYTES` bytes of a file, decide whether
it is text at all (refusing workbooks, archives, compressed files, images and
binary data by their first bytes, never decompressing anything), its text
encoding (UTF-8 with or without a byte-order mark, UTF-16 with a BOM,
Windows-1252/Latin-1 as a fallback), its delimiter (``,`` ``;`` or tab,
or the one named by Excel's ``sep=`` first line), its decimal mark and how
many fields its header has.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from .columns import COMMA_DECIMAL, DataError

__all__ = ["SNIFF_BYTES", "CsvFormat", "sniff", "DELIMITER_NAMES"]

#: How many bytes from the start of a file are used to detect its format.
SNIFF_BYTES = 64 * 1024

_DELIMITERS = (",", ";", "\t")
#: Delimiters in words, for messages.
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SNIFF_LINES = 50

# File signatures of formats people upload by mistake, with what to do instead.
# Compressed files are refused, never decompressed: a small upload could
# expand to gigabytes.
_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook (.xlsx) or another zip archive"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard-compressed file"),
    (b"PAR1", "a Parquet file"),
)

_CONTROL_CHARS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DOT_DECIMAL = re.compile(r"^\s*[-+]?\d*\.\d+(?:[eE][-+]?\d+)?\s*$")
_EXCEL_SEP_LINE = re.compile(r"^\s*sep=([,;\t|])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CsvFormat:
    """What the sniffer found out about a file.

    Attributes
    ----------
    sep : str
        The delimiter.
    decimal : str
        ``"."`` or ``","``.
    encoding : str
        A Python codec name pandas can use.
    skip : int
        Lines before the header (1 for Excel's ``sep=;`` line).
    header_fields : int
        Fields in the header row, as far as the sniffed bytes show it.
    header_complete : bool
        False if the header row is longer than the sniffed bytes, so that
        ``header_fields`` is a lower bound.
    """

    sep: str
    decimal: str
    encoding: str
    skip: int = 0
    header_fields: int = 0
    header_complete: bool = True


def sniff(prefix: bytes, truncated: bool) -> CsvFormat:
    """Detect encoding, delimiter, decimal mark and header width from the start of a file.

    Parameters
    ----------
    prefix : bytes
        The first bytes of the file (not blank).
    truncated : bool
        True if the file is longer than ``prefix`` (the last, possibly
        incomplete, line is then ignored).

    Returns
    -------
    CsvFormat

    Raises
    ------
    DataError
        If the bytes are not text: a known binary format (named in the
        message), a NUL byte (its line is named) or mostly control characters.
    """
    if prefix.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
        text = prefix.decode(encoding, errors="ignore")
    else:
        _reject_binary(prefix)
        if truncated:
            # Cut at the last newline so that no multi-byte character is split.
            cut = prefix.rfind(b"\n")
            if cut > 0:
                prefix = prefix[: cut + 1]
        encoding, text = _decode(prefix)
    _reject_control_characters(text)
    text = text.lstrip("\ufeff")
    first_line, _, rest = text.partition("\n")
    skip = 0
    excel_hint = _EXCEL_SEP_LINE.match(first_line)
    if excel_hint:
        # Excel writes "sep=;" as the first line to name the delimiter.
        text, skip = rest, 1
    header_complete = not truncated or "\n" in text
    rows = _sample_rows(text)
    sep = excel_hint.group(1) if excel_hint else _detect_delimiter(rows)
    sample = rows.get(sep) or list(csv.reader(io.StringIO(text[:SNIFF_BYTES]), delimiter=sep))
    return CsvFormat(sep=sep, decimal=_detect_decimal(sample, sep), encoding=encoding, skip=skip,
                     header_fields=len(sample[0]) if sample else 0, header_complete=header_complete)


def _reject_binary(prefix: bytes) -> None:
    """Raise DataError if the bytes are clearly not a text CSV file."""
    for signature, what in _SIGNATURES:
        if prefix.startswith(signature):
            advice = ("Compressed files are not opened: extract the CSV file and upload it."
                      if "compressed" in what or "7-Zip" in what else
                      "Export or save it as CSV (comma-separated values) and upload that file.")
            raise DataError(f"This file looks like {what}, not a CSV text file. {advice}")
    nul = prefix.find(b"\x00")
    if nul >= 0:
        line = prefix.count(b"\n", 0, nul) + 1
        raise DataError(
            f"This file contains binary data (a NUL byte on line {line}, byte {nul + 1}), "
            "so it is not a CSV text file. Export or save the data as CSV and try again."
        )


def _decode(prefix: bytes) -> tuple[str, str]:
    """Decode the prefix; return ``(encoding for pandas, text)``."""
    try:
        text = prefix.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # pandas' C engine strips a UTF-8 byte-order mark itself.
        return "utf-8", text.removeprefix("\ufeff")
    try:
        return "cp1252", prefix.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1", prefix.decode("latin-1")


def _reject_control_characters(text: str) -> None:
    """Raise DataError if the text is mostly control characters (binary data)."""
    bad = _CONTROL_CHARS.findall(text)
    if len(bad) > max(2, len(text) // 100):
        raise DataError(
            f"This file does not look like text: {len(bad)} of its first {len(text)} "
            "characters are control characters. Export or save the data as CSV and try again."
        )


def _sample_rows(text: str) -> dict[str, list[list[str]]]:
    """Split the first lines of ``text`` into fields for each candidate delimiter."""
    lines = [line for line in text.splitlines() if line.strip()][:_SNIFF_LINES]
    sample = "\n".join(lines)
    rows = {}
    for sep in _DELIMITERS:
        try:
            rows[sep] = list(csv.reader(io.StringIO(sample), delimiter=sep))
        except csv.Error:
            rows[sep] = [line.split(sep) for line in lines]
    return rows


def _detect_delimiter(rows_by_sep: dict[str, list[list[str]]]) -> str:
    """Pick the delimiter that splits the header into the most consistent columns.

    A candidate scores higher if the header splits into more than one field,
    then by the fraction of sampled rows with as many fields as the header,
    then by the number of header fields. Ties go to ``,`` then ``;`` then tab.
    If no candidate splits the header, the file has one column and ``,`` is
    used.
    """
    best, best_score = ",", None
    for rank, sep in enumerate(_DELIMITERS):
        rows = rows_by_sep[sep]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(len(row) == width for row in rows) / len(rows)
        score = (width > 1, consistent, width, -rank)
        if best_score is None or score > best_score:
            best, best_score = sep, score
    return best if best_score is not None and best_score[0] else ","


def _detect_decimal(rows: list[list[str]], sep: str) -> str:
    """Return ``","`` if data fields use a decimal comma, else ``"."``."""
    if sep == ",":
        return "."
    fields = [cell for row in rows[1:] for cell in row]
    commas = sum(bool(COMMA_DECIMAL.match(cell)) for cell in fields)
    dots = sum(bool(_DOT_DECIMAL.match(cell)) for cell in fields)
    return "," if commas > dots else "."

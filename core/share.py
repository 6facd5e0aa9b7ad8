"""Links that reproduce the view: the codec between the address bar and the app.

One idea: all a link carries is read by one reader (:func:`read_params`) that
never raises. Each parameter is parsed and bounded like its control (the run's
settings by :meth:`DescentSettings.checked` itself); a bad value gives a
sentence naming the parameter and the value (as text, cut short) and falls back
to the default. ``read_params(write_params(values)) == (values, [])``.

Small tables travel inside a link (:func:`encode_frame`) as ``"1." + base64url(zlib(
header + body))``: JSON names, row count and integer columns, then the columns as
shortest-repr text or byte-shuffled float64, whichever is shorter.

Streamlit 1.67 drops a query string over 512 KiB (``CLIENT_STATE_QUERY_STRING_
MAX_LENGTH``, ``streamlit/runtime/state/query_params.py``), but its server
(uvicorn with h11) answers "400 Bad Request" to a request line and headers over
16 KiB (``h11._connection.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE``).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from dataclasses import dataclass, field, fields
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from .columns import DataError, is_numeric_dtype, names_in_words, quote, rows_in_words
from .csv_read import MAX_COLUMNS
from .design import MAX_COEFFICIENTS, MAX_DEGREE, MAX_MAGNITUDE
from . import optimizers as _optimizers
from .examples import EXAMPLE_KEYS
from .settings import MAX_ITERATIONS, DescentSettings
from .synthetic import MAX_POINTS

__all__ = ["MAX_LINK_DATA_CHARS", "FORMAT_VERSION", "PAGES", "HIDEABLE", "TOL_RANGE", "DEFAULTS",
           "LinkData", "Challenge", "CHALLENGES", "encode_frame", "decode_frame", "fits_in_link",
           "read_params", "write_params", "settings_values", "settings_of", "for_data"]

#: Longest encoded table a link carries: with the other parameters and a browser's headers the
#: request stays far below the server's 16 KiB (and most proxies' 8 KiB request line).
MAX_LINK_DATA_CHARS = 6_000
#: Most bytes a table may expand to when decompressed (a decompression bomb stops here).
MAX_DECODED_BYTES = 1 << 18
FORMAT_VERSION = "1"
#: Longest value of a parameter other than the table, and of a column name.
MAX_VALUE_CHARS = 1_000
PAGES = ("data", "normal_equation", "gradient_descent", "compare")
#: Controls a teacher's link may hide.
HIDEABLE = ("data", "columns", "alpha", "iterations", "tol", "optimizer", "theta0", "surface")
#: Stopping tolerances a link may ask for (the control offers 1e-2 … 1e-12).
TOL_RANGE = (1e-15, 0.1)
_IGNORED = frozenset({"embed", "embed_options"})  # Streamlit's own
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,4})?")
_WHOLE = re.compile(r"[+-]?\d{1,10}")
_B64 = re.compile(r"[A-Za-z0-9_-]*")


def encode_frame(frame: pd.DataFrame) -> str:
    """A table's numeric columns as link text (other columns take no part in a fit: left out).

    Raises :class:`DataError` for no numeric column, a repeated name, an infinite value, or too large a table.
    """
    columns = [c for c in frame.columns if is_numeric_dtype(frame[c].dtype)]
    if not columns:
        raise DataError("The table has no numeric column to put in a link.")
    names = [str(c) for c in columns]
    if len(set(names)) < len(names):
        raise DataError("Two columns have the same name; rename one before sharing the table.")
    values = np.column_stack([frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in columns])
    _check_finite(values, names)
    ints = [j for j, c in enumerate(columns) if pd.api.types.is_integer_dtype(frame[c].dtype)]
    head = {"c": names, "m": len(frame), "i": ints}
    bodies = [("t", "\n".join(",".join(map(_short, col)) for col in values.T).encode()),
              ("b", np.ascontiguousarray(values.T, dtype="<f8").view(np.uint8).reshape(-1, 8).T.tobytes())]
    texts = [_wrap(json.dumps({**head, "f": form}, ensure_ascii=False, separators=(",", ":")).encode()
                   + b"\n" + body) for form, body in bodies]
    text = min(texts, key=len)
    if len(text) > MAX_LINK_DATA_CHARS:
        raise DataError(f"This table ({len(frame):,} rows × {len(names)} columns) is too large for a link "
                        f"({len(text):,} characters; at most {MAX_LINK_DATA_CHARS:,}): share the file instead.")
    return text


def fits_in_link(frame: pd.DataFrame) -> bool:
    """True when :func:`encode_frame` can put ``frame`` in a link."""
    try:
        return bool(encode_frame(frame))
    except ValueError:
        return False


def decode_frame(text: str) -> pd.DataFrame:
    """The table a link carries, checked like an upload (finite numbers or blanks, names as text).

    Raises :class:`DataError` with a sentence: too long, another version, damaged, or an unusable value.
    """
    if not isinstance(text, str) or len(text) > MAX_LINK_DATA_CHARS:
        raise DataError(f"The table in this link is longer than {MAX_LINK_DATA_CHARS:,} characters, "
                        "more than this app writes; the link is damaged.")
    version, dot, payload = text.partition(".")
    if not dot or not _B64.fullmatch(payload):
        raise DataError("The table in this link is damaged (it is not data this app wrote); "
                        "ask for the link again, or for the file.")
    if version != FORMAT_VERSION:
        raise DataError(f"The table in this link was written by another version of this app (format "
                        f"{quote(version, 12)}; this one reads format {FORMAT_VERSION}); ask for the file instead.")
    raw = _inflate(payload)
    head_bytes, _, body = raw.partition(b"\n")
    try:
        head = json.loads(head_bytes.decode("utf-8"))
        names, m, ints, form = head["c"], head["m"], head["i"], head["f"]
    except (ValueError, KeyError, TypeError):
        raise _damaged("its header cannot be read") from None
    if not (isinstance(names, list) and 0 < len(names) <= MAX_COLUMNS and len(set(names)) == len(names)
            and all(isinstance(n, str) and len(n) <= MAX_VALUE_CHARS for n in names)):
        raise _damaged("its column names are not a short list of different texts")
    if type(m) is not int or not 0 < m * len(names) <= len(body) + len(names) or form not in ("t", "b") \
            or not (isinstance(ints, list) and all(type(j) is int and 0 <= j < len(names) for j in ints)):
        raise _damaged("its header is not one this app writes")  # m bounded by the body: no huge allocation
    values = _text_body(body, names, m) if form == "t" else _binary_body(body, len(names), m)
    _check_finite(values, names)
    frame = pd.DataFrame({n: values[:, j] for j, n in enumerate(names)})
    for j in set(ints):
        col = values[:, j]
        if np.all(np.isfinite(col)) and np.all(col == np.round(col)) and np.all(np.abs(col) <= 2.0**53):
            frame[names[j]] = col.astype(np.int64)
    return frame


def _short(v: float) -> str:
    """Shortest text that reads back as exactly ``v`` ('' for missing)."""
    if np.isnan(v):
        return ""
    if v == int(v) and abs(v) < 1e16:
        return "-0" if v == 0 and np.signbit(v) else str(int(v))
    return repr(float(v))


def _wrap(raw: bytes) -> str:
    return FORMAT_VERSION + "." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode("ascii")


def _inflate(payload: str) -> bytes:
    try:
        compressed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(compressed, MAX_DECODED_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise _damaged("it is not compressed data") from None
    if len(raw) > MAX_DECODED_BYTES or inflater.unconsumed_tail:
        raise DataError(f"The table in this link expands to more than {MAX_DECODED_BYTES:,} bytes, "
                        "more than a link may carry; ask for the file instead.")
    if not inflater.eof or inflater.unused_data:
        raise _damaged("it is cut short or has extra characters at the end")
    return raw


def _damaged(why: str) -> DataError:
    return DataError(f"The table in this link is damaged: {why}. Ask for the link again, or for the file.")


def _text_body(body: bytes, names: list[str], m: int) -> np.ndarray:
    lines = body.decode("utf-8", errors="replace").split("\n")
    if len(lines) != len(names):
        raise _damaged(f"it has {len(lines)} columns of numbers for {len(names)} names")
    values = np.empty((m, len(names)))
    for j, line in enumerate(lines):
        cells = line.split(",")
        if len(cells) != m:
            raise _damaged(f"column {quote(names[j])} has {len(cells):,} values for {m:,} rows")
        for i, cell in enumerate(cells):
            if cell and not _NUMBER.fullmatch(cell):
                raise DataError(f"The table in this link is damaged: column {quote(names[j])} holds "
                                f"{quote(cell)} in {rows_in_words([i])}, which is not a number.")
            values[i, j] = float(cell) if cell else np.nan
    return values


def _binary_body(body: bytes, k: int, m: int) -> np.ndarray:
    if len(body) != 8 * m * k:
        raise _damaged(f"it holds {len(body):,} bytes of numbers for {m:,} rows × {k} columns")
    shuffled = np.frombuffer(body, dtype=np.uint8).reshape(8, m * k)
    return np.ascontiguousarray(shuffled.T).view("<f8").reshape(k, m).T.astype(np.float64)


def _check_finite(values: np.ndarray, names: list[str]) -> None:
    for j, name in enumerate(names):
        rows = np.flatnonzero(np.isinf(values[:, j]))
        if len(rows):
            raise DataError(f"Column {quote(name)} is infinite in {rows_in_words(rows)}; a link carries "
                            "finite numbers (or blanks) only.")


@dataclass(frozen=True)
class LinkData:
    """A table carried by a link: its link text (what equality compares) and the table itself."""

    text: str
    frame: pd.DataFrame = field(compare=False, repr=False, hash=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> "LinkData":
        """Encode ``frame`` (raises :class:`DataError` when it does not fit)."""
        return cls.from_text(encode_frame(frame))

    @classmethod
    def from_text(cls, text: str) -> "LinkData":
        return cls(text, decode_frame(text))


@dataclass(frozen=True)
class Challenge:
    """A task a teacher's link sets; ``met(result)`` says if a run (``needs="trace"``) or fit does it."""

    text: str
    needs: str
    met: Callable[[object], bool]


CHALLENGES: dict[str, Challenge] = {
    "converge_under_50": Challenge(
        "Find a learning rate that makes gradient descent converge in under 50 steps.", "trace",
        lambda t: getattr(t, "status", None) == "converged" and getattr(t, "iterations", 50) < 50),
    "break_normal_equation": Challenge(
        "Make the normal equation fail: add a point (or choose columns) so that XᵀX is singular.", "fit",
        lambda f: getattr(f, "rank", 0) < getattr(f, "p", 0)),
    "make_it_diverge": Challenge(
        "Find a learning rate at which batch gradient descent diverges, and say why it does.", "trace",
        lambda t: getattr(t, "status", None) == "diverged"),
}


class _Bad(ValueError):
    """A value a validator refuses; the message is the end of a sentence ("is not a number")."""


def _number(low: float, high: float, *, above: bool = False) -> Callable[[str], float]:
    def parse(text: str) -> float:
        if not _NUMBER.fullmatch(text):
            raise _Bad("is not a number")
        value = float(text) + 0.0  # -0 → 0
        if not np.isfinite(value):
            raise _Bad("is not a finite number")
        if not low <= value <= high or (above and value == low):
            raise _Bad(f"is not a number {'above' if above else 'from'} {low:g} {'up ' * above}to {high:g}")
        return value
    return parse


def _whole(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not _WHOLE.fullmatch(text):
            raise _Bad("is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise _Bad(f"is not a whole number from {low:,} to {high:,}")
        return value
    return parse


def _choice(options) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise _Bad(f"is not one of {', '.join(options)}")
        return text
    return parse


def _name(text: str) -> str:
    if not text:
        raise _Bad("is empty")
    return text


def _flag(text: str) -> bool:
    if text.lower() not in ("true", "false"):
        raise _Bad("is not true or false")
    return text.lower() == "true"


_FINITE = _number(-MAX_MAGNITUDE, MAX_MAGNITUDE)
#: Every optimizer a link may name (the row-based ones too, where the registry has them).
_RULES = getattr(_optimizers, "REGISTRY", _optimizers.OPTIMIZERS)


def _numbers(text: str) -> tuple[float, ...]:
    """θ₀: numbers separated by commas."""
    parts = text.split(",")
    if len(parts) > MAX_COEFFICIENTS:
        raise _Bad(f"has more than {MAX_COEFFICIENTS} numbers")
    return tuple(_in_list(part, "numbers separated by commas") for part in parts)


def _pairs(text: str) -> tuple[tuple[str, float], ...]:
    """An optimizer's or schedule's parameters: ``name:value`` pairs separated by commas, sorted by name."""
    pairs = dict(part.partition(":")[::2] for part in text.split(",") if part)
    if not all(pairs) or len(pairs) > 16:
        raise _Bad("is not a list of name:number pairs separated by commas")
    return tuple(sorted((k, _in_list(v, "name:number pairs")) for k, v in pairs.items()))


def _in_list(part: str, what: str) -> float:
    try:
        return _FINITE(part)
    except _Bad as exc:
        raise _Bad(f"is not a list of {what}: {quote(part)} {exc}") from None


@dataclass(frozen=True)
class _Param:
    parse: Callable[[str], object]
    default: object
    many: bool = False  # repeated in the URL (a list), like a multiselect's value
    commas: bool = False  # a list may also come as one comma-separated value


def _settings_params() -> dict[str, _Param]:
    """A parameter per field of :class:`DescentSettings`, parsed by the field's type, bounded below."""
    specific = {"alpha": _number(0.0, MAX_MAGNITUDE, above=True), "iterations": _whole(0, MAX_ITERATIONS),
                "tol": _number(*TOL_RANGE), "optimizer": _choice(tuple(_RULES)), "theta0": _numbers}
    by_type = {bool: _flag, int: _whole(0, 2**63 - 1), float: _FINITE, str: _name, tuple: _pairs}
    return {f.name: _Param(specific.get(f.name) or by_type[type(f.default)],
                           None if f.name == "alpha" else f.default) for f in fields(DescentSettings)}


_SETTINGS = _settings_params()
#: The settings that choose a rule (optimizer, schedule): the others are checked against them.
_CHOOSERS = [name for name in _SETTINGS if isinstance(_SETTINGS[name].default, str)]
_PARAMS: dict[str, _Param] = {
    "page": _Param(_choice(PAGES), "data"),
    "example": _Param(_choice(EXAMPLE_KEYS), "hours"),
    "syn_n": _Param(_whole(2, MAX_POINTS), 50),
    "syn_slope": _Param(_FINITE, 2.0),
    "syn_intercept": _Param(_FINITE, 1.0),
    "syn_noise": _Param(_number(0.0, MAX_MAGNITUDE), 1.0),
    "syn_outliers": _Param(_whole(0, MAX_POINTS), 0),
    "syn_seed": _Param(_whole(0, 2**31 - 1), 0),
    "data": _Param(LinkData.from_text, None),
    "target": _Param(_name, None),
    "features": _Param(_name, None, many=True),
    "degree": _Param(_whole(1, MAX_DEGREE), None),
    **_SETTINGS,
    "coef_i": _Param(_whole(0, MAX_COEFFICIENTS - 1), 0),
    "coef_j": _Param(_whole(0, MAX_COEFFICIENTS - 1), 1),
    "hide": _Param(_choice(HIDEABLE), (), many=True, commas=True),
    "challenge": _Param(_choice(tuple(CHALLENGES)), None),
}
#: Every parameter a link may carry, and its value when the link leaves it out (None: the app's choice).
#: The run's settings are the fields of :class:`DescentSettings`, by name.
DEFAULTS: dict[str, object] = {name: spec.default for name, spec in _PARAMS.items()}


def read_params(query: Mapping[str, str | list[str]], also_known=()) -> tuple[dict, list[str]]:
    """Read a link's query parameters: every value validated, nothing ever raised.

    Parameters
    ----------
    query : mapping of str to str or list of str
        E.g. ``{name: st.query_params.get_all(name) for name in st.query_params}``.
    also_known : iterable of str
        Names the pages bind themselves (not reported as unknown).

    Returns ``(values, problems)``: ``values`` has one entry per name in :data:`DEFAULTS` (the link's value,
    or the default); ``problems`` one sentence per refused value, and one listing unknown names.
    """
    values, problems, unknown = dict(DEFAULTS), [], []
    for name, given in query.items():
        spec = _PARAMS.get(name)
        if spec is None:
            if name not in _IGNORED and name not in set(also_known):
                unknown.append(name)
            continue
        items = list(given) if isinstance(given, (list, tuple)) else [given]
        if not spec.many and len(items) > 1:
            problems.append(f"The link gives {quote(name)} {len(items)} times; the last value is used.")
            items = items[-1:]
        try:
            if not all(isinstance(item, str) for item in items):
                raise _Bad("is not text")
            too_long = next((item for item in items if len(item) > MAX_VALUE_CHARS and name != "data"), None)
            if too_long is not None:
                raise _Bad(f"is {len(too_long):,} characters long, more than {MAX_VALUE_CHARS:,}")
            values[name] = _parse_many(name, spec, items, problems) if spec.many else spec.parse(items[0])
        except (_Bad, DataError) as exc:
            problems.append(_problem(name, items, exc))
    _cross_check(values, problems)
    if unknown:
        problems.append(f"The link has parameters this app does not know, ignored: {names_in_words(unknown)}.")
    return values, problems


def _parse_many(name: str, spec: _Param, items: list[str], problems: list[str]) -> tuple:
    """A list parameter: the good items kept (in order, once each), the bad ones named in one sentence."""
    parts = [part for item in items for part in (item.split(",") if spec.commas else [item]) if part]
    if len(parts) > MAX_COLUMNS:
        raise _Bad(f"lists more than {MAX_COLUMNS} names")
    good, bad = [], []
    for part in parts:
        try:
            good.append(spec.parse(part))
        except _Bad as exc:
            bad.append((part, exc))
    if bad:
        problems.append(f"The link's {quote(name)} lists {names_in_words(part for part, _ in bad)}, which "
                        f"{'is' if len(bad) == 1 else 'are'} left out: each {bad[0][1]}.")
    return tuple(dict.fromkeys(good))


def _problem(name: str, items: list, exc: Exception) -> str:
    default = DEFAULTS[name]
    fallback = ("the app's own choice is used" if default is None else "the default is used" if default == ()
                else f"the default, {default}, is used")
    if isinstance(exc, DataError):  # a whole sentence already
        return f"{exc} The link's {quote(name)} is ignored and {fallback}."
    shown = ", ".join(quote(str(item)) for item in items[:3])
    return f"The link's {quote(name)} value {shown} {exc}; {fallback} instead."


def _cross_check(values: dict, problems: list[str]) -> None:
    """Outliers at most n; each setting checked by :meth:`DescentSettings.checked` with the link's optimizer."""
    if values["syn_outliers"] > values["syn_n"]:
        problems.append(f"The link asks for {values['syn_outliers']:,} outliers among {values['syn_n']:,} "
                        "points; there can be at most as many outliers as points, so none are used.")
        values["syn_outliers"] = 0
    for name in _CHOOSERS + [n for n in _SETTINGS if n not in _CHOOSERS]:
        if values[name] == DEFAULTS[name]:
            continue
        try:
            context = {n: values[n] for n in _CHOOSERS}
            checked = DescentSettings(**{**context, name: values[name]}).checked()
        except ValueError as exc:
            problems.append(_problem(name, [], DataError(str(exc))))
            values[name] = DEFAULTS[name]
        else:
            values[name] = getattr(checked, name)  # as the settings normalise it (sorted, or reset when unused)


def write_params(values: Mapping[str, object]) -> dict[str, str | list[str]]:
    """The query parameters for ``values`` (as :func:`read_params` returns them); defaults are left out."""
    return {name: _text(_PARAMS[name], value) for name, value in values.items()
            if name in _PARAMS and value != DEFAULTS[name]}


def _text(spec: _Param, value) -> str | list[str]:
    if isinstance(value, LinkData):
        return value.text
    if spec.many:
        return ",".join(value) if spec.commas else [str(v) for v in value] or ""  # "name=": an empty list
    if spec.parse is _numbers:
        return ",".join(repr(float(v)) for v in value)
    if spec.parse is _pairs:
        return ",".join(f"{k}:{float(v)!r}" for k, v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def settings_values(settings: DescentSettings) -> dict[str, object]:
    """A run's settings as link values (``write_params(settings_values(s))``)."""
    return {name: getattr(settings, name) for name in _SETTINGS}


def settings_of(values: Mapping[str, object], alpha: float) -> DescentSettings:
    """The run a link asks for; ``alpha`` is used when the link gives none (call after :func:`for_data`)."""
    given = {name: values[name] for name in _SETTINGS}
    return DescentSettings(**{**given, "alpha": given["alpha"] or alpha})


def for_data(values: Mapping[str, object], columns, p: int) -> tuple[dict, list[str]]:
    """Check what depends on the data: columns that exist, θ₀ of length ``p``, surface axes below ``p``.

    Returns ``(values, problems)``: a copy with what does not fit put back to its default, and sentences.
    """
    values, problems, columns = dict(values), [], [str(c) for c in columns]
    if values["target"] is not None and values["target"] not in columns:
        problems.append(f"The link's target {quote(values['target'])} is not a column of the data; "
                        "the app's own choice is used.")
        values["target"] = None
    if values["features"] is not None:
        missing = [f for f in values["features"] if f not in columns or f == values["target"]]
        if missing:
            problems.append(f"The link's features {names_in_words(missing)} are not other columns of the data; "
                            "they are left out.")
            values["features"] = tuple(f for f in values["features"] if f not in missing)
    if values["theta0"] and len(values["theta0"]) != p:
        problems.append(f"The link's start θ₀ has {len(values['theta0'])} numbers but the model has {p} "
                        "coefficients; the start is all zeros instead.")
        values["theta0"] = DEFAULTS["theta0"]
    if max(values["coef_i"], values["coef_j"]) >= p or values["coef_i"] == values["coef_j"]:
        if (values["coef_i"], values["coef_j"]) != (DEFAULTS["coef_i"], DEFAULTS["coef_j"]):
            problems.append(f"The link's surface axes ({values['coef_i']}, {values['coef_j']}) are not two "
                            f"different coefficients of the {p}; the first two are used.")
        values["coef_i"], values["coef_j"] = DEFAULTS["coef_i"], DEFAULTS["coef_j"]
    return values, problems

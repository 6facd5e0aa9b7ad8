"""Share links (core.share): the table codec, the one reader of a link's parameters, and its inverse."""

from __future__ import annotations

import base64
import json
import zlib
from dataclasses import fields
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from core import optimizers, share
from core.columns import DataError, quote
from core.data import example, synthetic
from core.cost import least_squares_cost
from core.descent import descend
from core.examples import EXAMPLE_KEYS
from core.design import design_matrix
from core.settings import DescentSettings
from core.solve import fit_normal_equation

HOSTILE = ["1e999", "-1e308", "nan", "inf", "-0", "x" * 200_000, "<script>alert(1)</script>", "", " 1", "1_0",
           "0x10", "١٢", "1e-99999", "1." + "A" * 40]
NAMES = ["hours", "ü ñ 中文 😀", "**bold** _x_ [a](javascript:1)", "<script>alert(1)</script>", "a,b\"c'\nd", " "]


def _typed(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"x": np.round(rng.uniform(0, 100, n), 1), "y": np.round(rng.uniform(0, 100, n), 1)})


def _wire(raw: bytes, version: str = share.FORMAT_VERSION) -> str:
    return version + "." + base64.urlsafe_b64encode(zlib.compress(raw, 9)).rstrip(b"=").decode()


# ------------------------------------------------------------------------------ the table codec

def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    if list(a.columns) != list(b.columns) or a.shape != b.shape:
        return False
    x, y = a.to_numpy(dtype=np.float64), b.to_numpy(dtype=np.float64)
    numbers = ~np.isnan(x)
    return bool(np.array_equal(x, y, equal_nan=True) and np.array_equal(np.signbit(x[numbers]), np.signbit(y[numbers])))


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=12), min_size=1, max_size=4, unique=True), st.data())
def test_frames_round_trip_exactly(names, data):
    m = data.draw(st.integers(1, 40))
    cells = st.one_of(st.floats(allow_infinity=False, allow_nan=True), st.integers(-10**6, 10**6).map(float),
                      st.sampled_from([0.0, -0.0, 2.5, 1e-300, 5e-324, 1.7976931348623157e308]))
    frame = pd.DataFrame({n: data.draw(st.lists(cells, min_size=m, max_size=m)) for n in names})
    back = share.decode_frame(share.encode_frame(frame))
    assert _same(back, frame)


def test_names_survive_exactly_and_whole_number_columns_stay_whole():
    frame = pd.DataFrame({name: [1, 2, 3] for name in NAMES})
    frame[NAMES[0]] = [0.5, 1.5, -2.25]
    back = share.decode_frame(share.encode_frame(frame))
    assert list(back.columns) == NAMES
    assert back[NAMES[0]].dtype == np.float64 and back[NAMES[1]].dtype == np.int64
    assert _same(back, frame)


def test_text_columns_are_left_out_and_examples_are_short():
    iris = example("iris").frame
    back = share.decode_frame(share.encode_frame(iris))
    assert list(back.columns) == [c for c in iris.columns if c != "species"]
    assert len(share.encode_frame(example("hours").frame)) < 120


def test_measured_lengths_and_the_limit():
    # Measured: 100 full-precision points ~2,000 characters, 1,000 typed points (one decimal) ~5,050;
    # 1,000 full-precision points ~17,700: too large.
    assert len(share.encode_frame(synthetic(100))) < 2_200
    assert len(share.encode_frame(_typed(1000))) < share.MAX_LINK_DATA_CHARS
    assert share.fits_in_link(_typed(1000)) and not share.fits_in_link(synthetic(1000))
    with pytest.raises(DataError, match="too large for a link.*share the file instead"):
        share.encode_frame(synthetic(1000))


def test_a_whole_link_stays_under_the_servers_limits():
    h11 = pytest.importorskip("h11._connection")
    query_params = pytest.importorskip("streamlit.runtime.state.query_params")
    values = dict(share.DEFAULTS, page="gradient_descent", data=share.LinkData.from_frame(_typed(1000)),
                  target="y", features=("x",), degree=3, alpha=0.000123456789, iterations=99_999, tol=1e-12,
                  optimizer="adam", theta0=(-1.2345678901234567e-05,) * 4,
                  params=(("beta", 0.95), ("beta2", 0.9999), ("eps", 1e-10)),
                  hide=share.HIDEABLE, challenge="converge_under_50")
    url = "https://example.streamlit.app/gradient_descent?" + urlencode(share.write_params(values), doseq=True)
    # nginx's default request line buffer is 8 KiB; uvicorn's h11 refuses request heads over 16 KiB; Streamlit
    # drops query strings over 512 KiB.
    assert len(url) < 8 * 1024 < h11.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
    assert query_params.CLIENT_STATE_QUERY_STRING_MAX_LENGTH > 16 * 1024


@pytest.mark.parametrize("text, words", [
    ("", "damaged"), ("1", "damaged"), ("1.", "damaged"), ("1.!!!", "damaged"), ("1.AAAA", "damaged"),
    ("2." + "A" * 10, "another version"), ("<script>.x", "another version"),
    ("1." + "A" * 7000, "longer than"), (None, "longer than"),
])
def test_garbage_gives_a_sentence(text, words):
    with pytest.raises(DataError, match=words):
        share.decode_frame(text)


def test_truncated_and_padded_links_are_refused():
    good = share.encode_frame(synthetic(20))
    for bad in (good[:-5], good[: len(good) // 2], good + "AAAA"):
        with pytest.raises(DataError, match="damaged"):
            share.decode_frame(bad)


def test_a_decompression_bomb_stops_at_the_bound():
    bomb = _wire(b'{"c":["x"],"m":1,"i":[],"f":"t"}\n' + b"0" * 4_000_000)
    assert len(bomb) < share.MAX_LINK_DATA_CHARS  # small enough to be read at all
    with pytest.raises(DataError, match="expands to more than"):
        share.decode_frame(bomb)


@pytest.mark.parametrize("raw, words", [
    (b"not json\n1", "header"),
    (b'{"c":"x","m":1,"i":[],"f":"t"}\n1', "column names"),
    (b'{"c":[1],"m":1,"i":[],"f":"t"}\n1', "column names"),
    (b'{"c":["x","x"],"m":1,"i":[],"f":"t"}\n1\n2', "different texts"),
    (b'{"c":["x"],"m":2,"i":[],"f":"t"}\n1', "2 rows"),
    (b'{"c":["x"],"m":1,"i":[],"f":"t"}\n1\n2', "2 columns"),
    (b'{"c":["x"],"m":1,"i":[],"f":"b"}\n1234', "bytes"),
    (b'{"c":["x"],"m":1,"i":[7],"f":"t"}\n1', "header"),
    (b'{"c":["x","y"],"m":100000000,"i":[],"f":"t"}\n\n', "header"),  # no allocation for rows it lacks
    (b'{"c":["x"],"m":-1,"i":[],"f":"t"}\n1', "header"),
    (b'{"c":["x"],"m":true,"i":[],"f":"t"}\n1', "header"),
    (b'{"c":["x"],"m":1,"i":[],"f":"t"}\nnan', "“nan” in data row 1, which is not a number"),
    (b'{"c":["x"],"m":2,"i":[],"f":"t"}\n1,<script>', "not a number"),
    (b'{"c":["x"],"m":1,"i":[],"f":"t"}\n1e999', "infinite in data row 1"),
])
def test_lying_headers_and_bad_values_are_named(raw, words):
    with pytest.raises(DataError, match=words):
        share.decode_frame(_wire(raw))


def test_infinite_values_cannot_be_encoded():
    with pytest.raises(DataError, match="“b” is infinite in data row 2"):
        share.encode_frame(pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, np.inf]}))


# ------------------------------------------------------------------------------ reading a link

def test_no_parameters_give_the_defaults():
    assert share.read_params({}) == (share.DEFAULTS, [])


@pytest.mark.parametrize("name", sorted(share.DEFAULTS))
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_every_parameter_survives_hostile_values(name, value):
    values, problems = share.read_params({name: value})
    assert set(values) == set(share.DEFAULTS)
    assert all(len(p) < 600 for p in problems)  # values are cut short in messages
    if problems:  # refused: the default, and a sentence naming the parameter
        assert values[name] == share.DEFAULTS[name]
        assert any(quote(name) in p for p in problems), problems
    else:  # accepted: then it is what the link can say again
        assert share.read_params(share.write_params(values))[0] == values
        if isinstance(values[name], float):
            assert np.isfinite(values[name]) and not (values[name] == 0 and np.signbit(values[name]))


@pytest.mark.parametrize("value", ["1e999", "-1e308", "nan", "inf", "x" * 200_000, "<script>alert(1)</script>"])
def test_numbers_refuse_what_their_control_refuses(value):
    numeric = [n for n, v in share.DEFAULTS.items() if n in ("alpha", "degree", "params", "theta0")
               or isinstance(v, (int, float)) and not isinstance(v, bool)]
    values, problems = share.read_params({n: value for n in numeric} | {"optimizer": "adam"})
    assert all(values[n] == share.DEFAULTS[n] for n in numeric)
    assert len(problems) == len(numeric)


def test_minus_zero_is_zero():
    values, problems = share.read_params({"theta0": "-0,0", "syn_slope": "-0", "iterations": "-0"})
    assert problems == [] and values["theta0"] == (0.0, 0.0) and values["iterations"] == 0
    assert not np.signbit(values["syn_slope"]) and not any(np.signbit(values["theta0"]))


def test_bounds_are_the_controls_bounds():
    values, problems = share.read_params({"iterations": "100001", "degree": "13", "syn_n": "1", "alpha": "0",
                                          "syn_noise": "-1", "syn_seed": str(2**31), "tol": "0.5",
                                          "coef_i": "64"})
    assert values == share.DEFAULTS and len(problems) == 8
    assert "“iterations” value “100001” is not a whole number from 0 to 100,000; the default, 1000" in problems[0]
    ok, problems = share.read_params({"iterations": "100000", "degree": "12", "syn_n": "2", "alpha": "1e-300",
                                      "tol": "1e-12", "coef_i": "63"})
    assert problems == [] and (ok["iterations"], ok["degree"], ok["alpha"], ok["coef_i"]) == (100_000, 12, 1e-300, 63)


def test_unknown_names_give_one_sentence_and_streamlits_own_are_quiet():
    values, problems = share.read_params({"zzz": "1", "<b>x</b>": "2", "embed": "true", "theta0_1": "3"},
                                         also_known=["theta0_1"])
    assert values == share.DEFAULTS
    assert problems == ["The link has parameters this app does not know, ignored: “zzz” and “<b>x</b>”."]


def test_repeated_parameters():
    values, problems = share.read_params({"alpha": ["0.1", "0.2"], "features": ["a,b", "c", "a,b"],
                                          "hide": ["alpha,tol", "nope", "tol"]})
    assert values["alpha"] == 0.2 and values["features"] == ("a,b", "c") and values["hide"] == ("alpha", "tol")
    assert problems[0] == "The link gives “alpha” 2 times; the last value is used."
    assert "“hide” lists “nope”, which is left out" in problems[1]
    assert share.read_params({"features": ""})[0]["features"] == ()


def test_bad_tables_in_a_link_fall_back_with_the_decoders_sentence():
    good = share.encode_frame(synthetic(10))
    for bad, words in ((good[:-3], "damaged"), ("9" + good[1:], "another version")):
        values, problems = share.read_params({"data": bad})
        assert values["data"] is None and words in problems[0] and "“data” is ignored" in problems[0]


def test_cross_checks_use_the_settings_own_rules():
    values, problems = share.read_params({"syn_n": "10", "syn_outliers": "11", "params": "beta:0.5"})
    assert values["syn_outliers"] == 0 and values["params"] == () and len(problems) == 2
    assert "has no parameter 'beta'" in problems[1] and "“params” is ignored" in problems[1]
    values, problems = share.read_params({"optimizer": "momentum", "params": "beta:1.5"})
    assert values["params"] == () and "Momentum β must be between 0 and 0.999" in problems[0]
    values, problems = share.read_params({"optimizer": "adam", "params": "eps:1e-9,beta:0.5"})
    assert problems == [] and values["params"] == (("beta", 0.5), ("eps", 1e-9))


# ------------------------------------------------------------------------------ writing a link

_FLOATS = st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: v + 0.0)
_RULES = getattr(optimizers, "REGISTRY", optimizers.OPTIMIZERS)
_FIELDS = {f.name for f in fields(DescentSettings)}


@st.composite
def _settings(draw) -> DescentSettings:
    """Any valid run: an optimizer with some of its parameters in range, and (where the settings have them)
    the lab's batch size, seed, ridge and standardising."""
    rule = _RULES[draw(st.sampled_from(sorted(_RULES)))]
    chosen = draw(st.lists(st.sampled_from(rule.params), unique=True)) if rule.params else []
    params = tuple((q.name, draw(st.floats(q.low, q.high).map(lambda v, q=q: float(round(v)) if getattr(
        q, "integer", False) else v + 0.0))) for q in chosen)
    extra = {"batch_size": st.integers(1, 500), "seed": st.integers(0, 1000), "ridge": st.floats(0, 10),
             "standardise": st.booleans()}
    extra = {k: draw(v) for k, v in extra.items() if k in _FIELDS}
    return DescentSettings(optimizer=rule.key, alpha=draw(st.floats(1e-300, 1e6)), iterations=draw(
        st.integers(0, 100_000)), tol=draw(st.floats(*share.TOL_RANGE)), params=params,
        theta0=tuple(draw(st.lists(_FLOATS, max_size=6))), **extra).checked()


@st.composite
def _values(draw):
    n = draw(st.integers(2, 10_000))
    name = st.text(min_size=1, max_size=20)
    values = {
        "page": draw(st.sampled_from(share.PAGES)), "example": draw(st.sampled_from(list(EXAMPLE_KEYS))),
        "syn_n": n, "syn_slope": draw(_FLOATS), "syn_intercept": draw(_FLOATS),
        "syn_noise": draw(st.floats(0, 1e3)) + 0.0, "syn_outliers": draw(st.integers(0, n)),
        "syn_seed": draw(st.integers(0, 2**31 - 1)), "target": draw(st.none() | name),
        "features": draw(st.none() | st.lists(name, max_size=4, unique=True).map(tuple)),
        "degree": draw(st.none() | st.integers(1, 12)),
        "coef_i": draw(st.integers(0, 63)), "coef_j": draw(st.integers(0, 63)),
        "hide": tuple(h for h in share.HIDEABLE if draw(st.booleans())),  # in the order a link reads back
        "challenge": draw(st.none() | st.sampled_from(list(share.CHALLENGES))),
        "data": draw(st.none() | st.just(_TABLE)),
        **share.settings_values(draw(_settings())),
    }
    if draw(st.booleans()):
        values["alpha"] = None  # the app's own choice
    return values


_TABLE = share.LinkData.from_frame(pd.DataFrame({"x": [1.5, 2.0, np.nan], "ü <b>": [3, 4, 5]}))


@hsettings(max_examples=200, deadline=None)
@given(_values())
def test_read_inverts_write(values):
    assert share.read_params(share.write_params(values)) == (values, [])


@hsettings(max_examples=100, deadline=None)
@given(_settings())
def test_settings_round_trip(settings):
    values, problems = share.read_params(share.write_params(share.settings_values(settings)))
    assert problems == []
    assert share.settings_of(values, alpha=99.0) == settings


def test_settings_of_uses_the_apps_alpha_when_the_link_has_none():
    values = share.read_params({"iterations": "7"})[0]
    assert share.settings_of(values, alpha=0.25) == DescentSettings(alpha=0.25, iterations=7)


def test_for_data_checks_what_depends_on_the_data():
    values = share.read_params({"target": "nope", "features": ["x", "zz", "y"], "theta0": "1,2,3",
                                "coef_i": "1", "coef_j": "5", "data": share.encode_frame(synthetic(5))})[0]
    values["target"] = "y"
    checked, problems = share.for_data(values, ["x", "y"], p=2)
    assert checked["features"] == ("x",) and checked["theta0"] == ()
    assert (checked["coef_i"], checked["coef_j"]) == (0, 1) and len(problems) == 3
    assert "“zz” and “y” are not other columns" in problems[0]
    checked, problems = share.for_data(dict(values, target="nope"), ["x", "y"], p=3)
    assert checked["target"] is None and "“nope” is not a column" in problems[0]


# ------------------------------------------------------------------------------ teacher links

def test_challenges_are_checked_on_runs_and_fits():
    centred = pd.DataFrame({"x": [-2.0, -1.0, 1.0, 2.0], "y": [0.0, 1.0, 3.0, 3.5]})
    model = least_squares_cost(design_matrix(centred, "y", ["x"]))
    fast = descend(model, DescentSettings(alpha=model.max_stable_alpha / 2 * 0.9, iterations=1000, tol=1e-3))
    slow = descend(model, DescentSettings(alpha=1e-4, iterations=100))
    wild = descend(model, DescentSettings(alpha=model.max_stable_alpha * 1.2, iterations=100))
    under_50, diverge = share.CHALLENGES["converge_under_50"], share.CHALLENGES["make_it_diverge"]
    assert under_50.met(fast) and not under_50.met(slow) and not under_50.met(wild) and diverge.met(wild)
    singular = fit_normal_equation(design_matrix(pd.DataFrame({"x": [2.0, 2.0, 2.0], "y": [1.0, 2.0, 4.0]}), "y"))
    regular = fit_normal_equation(design_matrix(example("hours").frame, "score"))
    breaks = share.CHALLENGES["break_normal_equation"]
    assert breaks.needs == "fit" and breaks.met(singular) and not breaks.met(regular)
    assert not breaks.met(None) and not under_50.met(regular)  # the wrong kind of result never meets one
    assert json.dumps({k: c.text for k, c in share.CHALLENGES.items()})
    assert share.read_params({"challenge": "converge_under_50", "hide": "alpha,theta0"})[0]["hide"] == \
        ("alpha", "theta0")

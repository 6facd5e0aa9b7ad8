"""Links that reproduce the view, read as hostile input (AppTest: a new session opened on a link)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import share

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
HOSTILE = ["1e999", "-1e308", "nan", "inf", "x" * 200_000, "<script>alert(1)</script>", "-0", ""]
PARAMS = ["example", "alpha", "iterations", "tol", "optimizer", "theta0_0", "coef_i", "coef_j", "target",
          "features", "degree", "syn_n", "syn_seed", "data", "hide", "challenge", "name", "nodata"]


def open_link(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def warnings_text(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def query(at: AppTest) -> dict:
    return {k: (v if isinstance(v, str) else list(v)) for k, v in at.query_params.items()}


NAMED = ["example", "alpha", "iterations", "tol", "optimizer", "theta0_0", "coef_i", "coef_j", "degree",
         "syn_n", "syn_seed", "data", "hide", "challenge", "target", "features"]


@pytest.mark.parametrize("param", PARAMS)
@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: v[:12] or "empty")
def test_every_parameter_survives_hostile_values(param, value):
    """No traceback; a usable dataset; a refused value is named in a message; user text stays text."""
    at = open_link({param: value} if param in ("example", "syn_n", "syn_seed") else {"example": "hours", param: value})
    assert at.session_state["dataset"].rows >= 2
    text = warnings_text(at)
    if param in NAMED and value not in ("-0", ""):
        assert param.replace("_", "\\_") in text or param in text, (param, text[:300])
    assert "<script>" not in text  # escaped before it reaches Markdown


def test_a_link_reproduces_data_columns_and_settings():
    at = open_link({"example": "tips", "target": "tip", "features": ["total_bill", "size"]})
    ds = at.session_state["dataset"]
    assert ds.name == "Restaurant tips" and ds.features == ("total_bill", "size")
    at.switch_page("views/gradient_descent.py").run()
    at.select_slider(key="alpha").set_value(float(at.select_slider(key="alpha").options[3].split()[0])).run()
    at.number_input(key="iterations").set_value(77).run()
    at.number_input(key="theta0_1").set_value(0.5).run()
    link = query(at)
    assert link["iterations"] == "77" and link["theta0"] == "0.0,0.5,0.0" and link["example"] == "tips"
    again = open_link(link)
    assert not warnings_text(again)
    again.switch_page("views/gradient_descent.py").run()
    assert again.session_state["dataset"].features == ("total_bill", "size")
    assert again.number_input(key="iterations").value == 77
    assert again.number_input(key="theta0_1").value == 0.5
    assert float(again.select_slider(key="alpha").value) == float(link["alpha"])


def test_small_user_data_travels_in_the_link():
    at = open_link({})
    at.file_uploader(key="upload").set_value(("marks.csv", b"h,s\n1,2\n2,3\n3,4.5\n4,5\n5,7\n", "text/csv")).run()
    link = query(at)
    assert link["data"].startswith("1.") and link["name"] == "marks.csv"
    again = open_link(link)
    ds = again.session_state["dataset"]
    assert ds.name == "marks.csv" and list(ds.frame["s"]) == [2, 3, 4.5, 5, 7]


def test_large_data_says_it_is_not_in_the_link():
    at = open_link({"example": "synthetic", "syn_n": "30000", "syn_seed": "3"})
    assert at.session_state["dataset"].rows == 30_000  # synthetic data travels as its parameters
    at.button(key="example_iris").click().run()
    at.file_uploader(key="upload").set_value(
        ("big.csv", ("x,y\n" + "".join(f"{i},{i % 7}\n" for i in range(30_000))).encode(), "text/csv")).run()
    link = query(at)
    assert "data" not in link and link["nodata"] == "big.csv"
    assert "too large for a link" in "\n".join(w.value for w in at.sidebar.warning)
    assert len(link["held"]) == 32
    # A reload (a new session on this server) finds the data the server holds for the link ...
    again = open_link(link)
    assert again.session_state["dataset"].rows == 30_000 and again.session_state["dataset"].name == "big.csv"
    assert "too large to carry" not in warnings_text(again)
    # ... and once the server has let it go, the link says so and opens the example.
    from ui import cache

    cache.memo().clear()
    later = open_link(link)
    assert "no longer holds it" in warnings_text(later) and later.session_state["dataset"].rows < 30_000
    forged = open_link({"example": "hours", "held": "../../etc/passwd", "nodata": "x.csv"})
    assert "held" in warnings_text(forged) and "no longer holds it" in warnings_text(forged)


def test_garbage_and_truncated_data_fall_back_to_the_example():
    at = open_link({"example": "hours"})
    at.file_uploader(key="upload").set_value(("m.csv", b"a,b\n1,2\n2,3\n3,5\n", "text/csv")).run()
    good = query(at)["data"]
    for bad in (good[:-7], "1." + "A" * 50, "9." + good[2:], "1.!!!"):
        again = open_link({"data": bad, "name": "m.csv"})
        assert again.session_state["dataset"].name.startswith("Hours studied")
        assert "data" in warnings_text(again)


def test_a_teacher_link_hides_controls_and_reports_the_challenge():
    at = open_link({"hide": "optimizer,theta0", "challenge": "make_it_diverge"},
                   page="views/gradient_descent.py")
    keys = {w.key for w in at.selectbox} | {w.key for w in at.number_input}
    assert "optimizer" not in keys and "theta0_0" not in keys and "iterations" in keys
    assert any("diverges" in i.value for i in at.info)
    assert not any("Challenge met" in s.value for s in at.success)
    alpha = at.select_slider(key="alpha")
    for value in reversed(alpha.options):  # find a learning rate at which it diverges
        at.select_slider(key="alpha").set_value(float(value.split()[0])).run()
        if any("Challenge met" in s.value for s in at.success):
            break
    assert any("Challenge met" in s.value for s in at.success)


def test_the_lab_settings_travel_as_one_value():
    at = open_link({"example": "gapminder"})
    at.switch_page("views/gradient_descent.py").run()
    at.selectbox(key="optimizer").set_value("momentum").run()
    at.toggle(key="standardise").set_value(True).run()
    at.number_input(key="ridge").set_value(0.5).run()
    before = at.session_state["descent_settings"]
    assert before.optimizer == "momentum" and before.standardise and before.ridge == 0.5
    again = open_link(query(at))
    again.switch_page("views/gradient_descent.py").run()
    assert again.session_state["descent_settings"] == before


def test_downloads_of_the_run_the_model_the_script_and_the_figures():
    at = open_link({"example": "hours"}, page="views/gradient_descent.py")
    labels = {b.label for b in at.get("download_button")}
    assert {"The fitted model (JSON)", "The descent path (CSV)", "A numpy script that redoes it",
            "Contour (HTML)", "Cost surface (HTML)", "Cost history (HTML)"} <= labels


def test_a_link_that_names_no_setting_starts_the_run_at_the_defaults():
    at = open_link({"example": "hours"}, page="views/gradient_descent.py")
    assert at.number_input(key="iterations").value == 1000
    assert at.session_state["descent_settings"].iterations == 1000
    assert at.session_state["descent_settings"].tol == 1e-6


def test_page_local_bound_controls_take_a_links_value_and_name_a_bad_one():
    """Bound widgets (bind="query-params") read their value from the link; a bad value gets a sentence."""
    at = open_link({"example": "hours", "cmp_tol": "1e-04", "bench_budget": "8"}, page="views/compare.py")
    assert at.select_slider(key="cmp_tol").value == 1e-4 and at.select_slider(key="bench_budget").value == 8
    assert "cmp" not in warnings_text(at)
    at = open_link({"example": "hours", "cmp_tol": "loose", "squares_show": "**all**"})
    at.switch_page("views/compare.py").run()
    assert "cmp\\_tol" in warnings_text(at) and at.select_slider(key="cmp_tol").value == 1e-6
    at = open_link({"example": "hours", "squares_show": "**all**"}, page="views/normal_equation.py")
    assert "squares\\_show" in warnings_text(at) and "\\*\\*all\\*\\*" in warnings_text(at)


def test_the_share_box_draws_a_qr_code_of_a_short_link_and_says_why_not_for_a_long_one():
    at = open_link({"example": "hours"})
    at.toggle(key="share_qr").set_value(True).run()
    assert not at.exception
    assert len(at.get("image")) == 1 and "too long for a QR code" not in " ".join(c.value for c in at.caption)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300).round(6), "y": rng.normal(size=300).round(6)})
    link = share.LinkData.from_frame(frame).text
    at = open_link({"data": link, "target": "y", "features": "x"})
    at.toggle(key="share_qr").set_value(True).run()
    assert len(at.get("image")) == 0
    assert any("too long for a QR code" in c.value for c in at.caption)

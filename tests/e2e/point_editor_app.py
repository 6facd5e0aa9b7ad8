"""Harness page for the point editor's browser test (tests/e2e/test_point_editor.py).

One idea: show :func:`ui.components.point_editor.point_editor` alone and print,
as plain text the test can read, what it returns, what its ``on_change``
callback received, how many points are stored and how many script runs there
were. The edited points are stored (by the callback) and passed back, as the
Data page will do; a button replaces them from outside (as a new dataset would).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ui.components.point_editor import point_editor  # noqa: E402

state = st.session_state
state.setdefault("stored", [])
state.setdefault("runs", 0)
state.setdefault("callbacks", 0)
state["runs"] += 1


def store(points):
    state["stored"] = points
    state["callbacks"] += 1


def load_example():
    state["stored"] = [(1, 2), (2, 3), (3, 4.5), (4, 5), (5, 7)]


st.set_page_config(page_title="Point editor", layout="centered")
st.button("Load the worked example", on_click=load_example)
returned = point_editor(state["stored"], key="editor", x_label="hours studied", y_label="score <b>not bold</b>",
                        x_range=(0, 10), y_range=(0, 10), on_change=store)
st.text(f"count={len(state['stored'])}")
st.text("returned=" + json.dumps(returned))
st.text("stored=" + json.dumps(state["stored"]))
st.text(f"runs={state['runs']} callbacks={state['callbacks']}")

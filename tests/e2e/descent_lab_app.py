"""Harness page for the descent lab's browser test (tests/e2e/test_descent_lab.py).

One idea: show :func:`ui.components.descent_lab.descent_lab` alone on the
worked example (hours studied x = 1..5, y = 2, 3, 4.5, 5, 7), store what it
returns (as the Gradient-descent page will: the next payload carries it), draw
the model on the data (the lab's fourth chart), and print as plain text what
it returned, the stored α and θ₀ and the number of script runs; plus a
trivial slider whose only effect is a rerun, to time Streamlit's own round
trip against the lab's redraw.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.cost import least_squares_cost  # noqa: E402
from core.design import design_from_arrays  # noqa: E402
from core.lab_payload import lab_payload  # noqa: E402
from core.settings import DescentSettings  # noqa: E402
from ui.components.descent_lab import descent_lab  # noqa: E402

X = np.column_stack([np.ones(5), np.arange(1, 6.0)])
Y = np.array([2.0, 3.0, 4.5, 5.0, 7.0])

state = st.session_state
state.setdefault("alpha", 0.1)
state.setdefault("theta0", [0.0, 0.0])
state.setdefault("runs", 0)
state.setdefault("callbacks", 0)
state["runs"] += 1


def store(value: dict) -> None:
    state["alpha"], state["theta0"] = value["alpha"], value["theta0"]
    state["callbacks"] += 1


@st.cache_resource
def model():
    return least_squares_cost(X, Y)


st.set_page_config(page_title="Descent lab", layout="wide")
trivial = st.slider("Trivial slider", 0, 100, 50, key="trivial")
st.text(f"trivial={trivial}")
settings = DescentSettings(alpha=state["alpha"], theta0=tuple(state["theta0"]), iterations=1000)
returned = descent_lab(lab_payload(model(), settings, data=design_from_arrays(X, Y)), key="lab", on_change=store)
st.text("returned=" + json.dumps(returned))
st.text("stored=" + json.dumps({"alpha": state["alpha"], "theta0": state["theta0"]}))
st.text(f"runs={state['runs']} callbacks={state['callbacks']}")

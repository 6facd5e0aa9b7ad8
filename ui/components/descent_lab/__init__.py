"""The gradient-descent lab, redrawn in the browser as fast as a drag: α, θ₀ and the step with no round trip.

A full-gradient run depends on the data only through the p×p cost model, so
:func:`descent_lab` sends :func:`core.lab_payload.lab_payload` (a few hundred
bytes) to a small ``st.components.v2`` component (``descent_lab.js`` and
``descent_lab.css`` in this folder), which recomputes the whole path in the
browser, with the maths of :func:`core.descent.descend` in float64, on every
input event, and redraws the contour, the 3D surface (the path drawn on it,
lifted slightly), the cost per iteration and the model at the step shown on
the data (the payload's ``line``: :mod:`core.lab_line`; the curve over one
feature, or predicted against actual) with ``Plotly.react``:

* an α slider (a real ``<input type="range">`` over the payload's log-spaced
  choices, with α_max and α* marked and labelled on its track);
* play / pause and step buttons, a speed choice and one step scrubber (a
  range input); the step is marked on all four plots;
* θ₀: press on the contour to put it there and drag it; or type it in the
  number boxes.

Contract
--------
Python owns the settings; the component shows what it is sent and sends back
(the component's trigger value ``lab``) only when the person lets go: the α
slider released (or no arrow key pressed for 0.6 s), θ₀ dropped or typed,
the scrubber left, playing stopped. :func:`descent_lab` returns that
``{"alpha", "theta0", "step"}`` on the script run it caused, and None on every
other run; ``on_change`` gets it first (like a widget callback), the place to
store it (e.g. in the page's widget state and the URL). When the next payload
carries what was sent, nothing moves; an α, θ₀ or step that the server changed
replaces the one shown; any other change (data, optimizer, grid) resets the lab.

Notes
-----
* The JavaScript is passed inline (this app is not an installed package), so
  it cannot import a second file: the maths and the drawing share one module,
  whose ``path``, ``cost`` and ``surface`` are exported for
  ``path_check.mjs`` (the tests run it with node against core).
* Plotly.js is Streamlit's own (its PlotlyChart chunk sets ``window.Plotly``),
  found as :mod:`ui.components.live_chart` finds it.
* The component keeps its state on its root element (``.descent-lab``'s
  ``__lab``: the path, redraw counts, input-to-redraw latencies) for the
  browser tests.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Callable

import streamlit as st

from ui.components.live_chart import PLOTLY_WAIT_MS, plotly_chunk

__all__ = ["descent_lab", "component_data", "EVENT"]

HERE = Path(__file__).resolve().parent
#: The trigger value the JavaScript sets when the person lets go (a trigger, not a state value: it is there
#: on the one script run the person caused, so no session state has to remember what was already seen).
EVENT = "lab"

_component = st.components.v2.component(
    "linreg_descent_lab", isolate_styles=False,
    **{kind: (HERE / f"descent_lab.{kind}").read_text(encoding="utf-8") for kind in ("js", "css")})


def component_data(payload: dict) -> dict:
    """What the JavaScript is sent: the payload and where Plotly comes from.

    Parameters
    ----------
    payload : dict
        From :func:`core.lab_payload.lab_payload`.

    Returns
    -------
    dict
        ``{"payload", "plotly_chunk", "wait_ms"}``.
    """
    if not isinstance(payload, dict) or "theta_hat" not in payload:
        raise ValueError("The descent lab needs a payload from core.lab_payload.lab_payload.")
    return {"payload": payload, "plotly_chunk": plotly_chunk(), "wait_ms": PLOTLY_WAIT_MS}


def _checked(value, p: int) -> dict | None:
    """The component's value as ``{"alpha": float, "theta0": list of p floats, "step": int}``, or None if malformed."""
    try:
        alpha = float(value["alpha"])
        theta0 = [float(v) for v in value["theta0"]]
        step = int(value["step"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(alpha) and alpha > 0 and len(theta0) == p and all(map(math.isfinite, theta0)) and step >= 0):
        return None
    return {"alpha": alpha, "theta0": theta0, "step": step}


def descent_lab(payload: dict, *, key: str, on_change: Callable[[dict], None] | None = None) -> dict | None:
    """Show the descent lab: the path redrawn in the browser for every α, θ₀ and step.

    Parameters
    ----------
    payload : dict
        :func:`core.lab_payload.lab_payload` of the run to show.
    key : str
        Required: the lab's identity across reruns (and its ``st-key-<key>`` CSS class).
    on_change : callable, optional
        Called as ``on_change(value)`` with the person's choice before the
        script reruns (like a widget callback).

    Returns
    -------
    dict or None
        ``{"alpha": float, "theta0": [p floats, original units], "step": int}``
        on the script run caused by the person letting go of a control; None
        on every other run. α is one of ``payload["alphas"]``; ``step`` may
        exceed the next run's length if the server changes the run.
    """
    p = len(payload.get("theta_hat", ())) if isinstance(payload, dict) else 0

    def changed() -> None:
        value = _checked(st.session_state[key].get(EVENT), p)
        if value is not None and on_change is not None:
            on_change(value)

    result = _component(key=key, data=component_data(payload), width="stretch", height="content",
                        **{f"on_{EVENT}_change": changed})
    return _checked(result.get(EVENT), p)

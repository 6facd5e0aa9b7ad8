"""A plotly chart that is updated in place (``Plotly.react``) instead of remounted.

Streamlit 1.67's ``st.plotly_chart`` derives the element id from the figure
content even with ``key=`` (streamlit PR #16052), so every changed figure is a
new element: the old chart is dropped and ``Plotly.newPlot`` draws the new one
from scratch (for a 3D scene: a new WebGL context), and the user's zoom or 3D
rotation is lost although the figure sets ``uirevision``.

:func:`live_plotly_chart` draws the figure with a small ``st.components.v2``
component instead (``live_chart.js`` and ``live_chart.css`` in this folder).
Its identity is the ``key``, so a rerun with a changed figure calls the
component's JavaScript again with the new data, and the JavaScript calls
``Plotly.react`` on the same plot ``<div>``: only what changed is recomputed,
and ``uirevision`` keeps the camera.

Notes
-----
* ``st.components.v2.component`` accepts file paths for ``js``/``css`` only
  for components of an installed package that declares an ``asset_dir`` in its
  ``pyproject.toml``; this app is not installed, so the files' text is read
  here and passed inline.
* Plotly.js is not shipped here. The component uses the ``window.Plotly`` that
  Streamlit's own PlotlyChart chunk sets when it is loaded: by any
  ``st.plotly_chart`` in this browser tab, or else by the component itself,
  which imports that chunk from where Streamlit serves it. The chunk's file
  name carries a content hash, so it is looked up in the installed streamlit's
  static files and sent in the data (``plotly_chunk``). Until Plotly is there
  the component says "Loading chart…"; if it never arrives (``wait_ms``) it
  says so in words.
* Each trace is sent with a content hash (``hashes``). The JavaScript decodes
  plotly's base64 typed arrays (``{"dtype", "bdata", "shape"}``) once per hash
  and hands ``Plotly.react`` the very same trace object while the hash is
  unchanged, so plotly sees identical arrays (it compares data arrays by
  identity) for a surface that did not change.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import streamlit as st

__all__ = ["live_plotly_chart", "figure_payload", "DEFAULT_CONFIG", "PLOTLY_WAIT_MS"]

HERE = Path(__file__).resolve().parent
#: How long the JavaScript waits for ``window.Plotly`` before giving up (ms).
PLOTLY_WAIT_MS = 20_000
#: Plotly config every live chart starts from: no plotly logo, no "send to the cloud" /
#: "edit in Chart Studio" button (shown only by some plotly.js versions); download as PNG stays.
DEFAULT_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendDataToCloud"]}


@lru_cache(maxsize=1)
def plotly_chunk() -> str | None:
    """The file name of Streamlit's PlotlyChart chunk (it sets ``window.Plotly``), or None.

    Looked up in the installed streamlit's static files (the name carries a
    content hash, so it changes with the streamlit version).
    """
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(folder.glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


_component = st.components.v2.component(
    "linreg_live_plotly",
    js=(HERE / "live_chart.js").read_text(encoding="utf-8"),
    css=(HERE / "live_chart.css").read_text(encoding="utf-8"),
    isolate_styles=False,
)


def _trace_hash(trace: dict) -> str:
    text = json.dumps(trace, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def _config(config: dict | None) -> dict:
    """:data:`DEFAULT_CONFIG` with ``config`` on top (buttons to remove are added, not replaced)."""
    merged = {**DEFAULT_CONFIG, **(config or {})}
    removed = [*DEFAULT_CONFIG["modeBarButtonsToRemove"], *(config or {}).get("modeBarButtonsToRemove", [])]
    merged["modeBarButtonsToRemove"] = list(dict.fromkeys(removed))
    return merged


def figure_payload(fig, config: dict | None = None) -> dict:
    """What the component is sent for ``fig``: the figure JSON, a hash per trace, the config.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    config : dict, optional
        Plotly config, on top of :data:`DEFAULT_CONFIG`.

    Returns
    -------
    dict
        ``{"figure": {"data": [...], "layout": {...}}, "hashes": [...], "config": {...},
        "wait_ms": int, "plotly_chunk": str or None}``. Arrays stay plotly's
        base64 typed-array specs ``{"dtype", "bdata", "shape"}`` (``fig.to_json()``),
        which the component decodes once per trace hash.
    """
    spec = json.loads(fig.to_json())
    data = spec.get("data", [])
    return {
        "figure": {"data": data, "layout": spec.get("layout", {})},
        "hashes": [_trace_hash(t) for t in data],
        "config": _config(config),
        "wait_ms": PLOTLY_WAIT_MS,
        "plotly_chunk": plotly_chunk(),
    }


def live_plotly_chart(fig, key: str, height: int | None = None, config: dict | None = None,
                      label: str | None = None):
    """Draw a plotly figure that later reruns update in place with ``Plotly.react``.

    Use it instead of ``st.plotly_chart`` for a figure that changes on every
    widget move (here: the cost surface and contours as the learning rate
    changes). The chart is not remounted, so its WebGL context, and the
    zoom or 3D camera the user chose (with a constant ``layout.uirevision``),
    survive the update.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    key : str
        Required: the chart's identity across reruns (and its ``st-key-<key>`` CSS class).
    height : int, optional
        Height in pixels; default the figure's ``layout.height`` (else 450).
    config : dict, optional
        Plotly config, as for ``st.plotly_chart``, on top of :data:`DEFAULT_CONFIG`.

    Returns
    -------
    The component's result (it sends no values back).

    Notes
    -----
    The chart uses the Plotly.js that Streamlit loads for ``st.plotly_chart``
    (importing Streamlit's chunk itself when no such chart has loaded it); if
    that fails, the component shows a message instead of the chart (never an
    exception). The chart fills the column's width.
    """
    if height is not None:
        fig.update_layout(height=int(height))
    elif fig.layout.height is None:
        fig.update_layout(height=450)
    from core.figures import describe

    data = figure_payload(fig, config)
    data["label"] = label or describe(fig)  # the text alternative, set as the chart's aria-label
    return _component(key=key, data=data, width="stretch")

"""A plotly chart that is updated in place (``Plotly.react``) instead of remounted.

Streamlit 1.67's ``st.plotly_chart`` derives the element id from the figure
content even with ``key=`` (streamlit PR #16052), so every changed figure is a
new element: the old chart is dropped and ``Plotly.newPlot`` draws the new one
from scratch (for a 3D scene: a new WebGL context), and the user's zoom or 3D
rotation is lost although the figure sets ``uirevision``.

:func:`live_plotly_chart` draws the figure with a small ``st.components.v2``
component instead. Its identity is the ``key``, so a rerun with a changed
figure calls the component's JavaScript again with the new data, and the
JavaScript calls ``Plotly.react`` on the same plot ``<div>``: only what changed
is recomputed, and ``uirevision`` keeps the camera.

Notes
-----
* Plotly.js is not shipped here. The component uses the ``window.Plotly`` that
  Streamlit's own PlotlyChart chunk sets when it is loaded: by any
  ``st.plotly_chart`` in this browser tab, or else by the component itself,
  which imports that chunk (its file name is looked up in the installed
  streamlit's static files) from where Streamlit serves it. So a page needs no
  ``st.plotly_chart`` of its own. Until Plotly is there the component says
  "Loading chart…"; if it never arrives it says so in words.
* Each trace is sent with a content hash (``data["hashes"]``). The JavaScript
  decodes plotly's base64 typed arrays (``{"dtype", "bdata", "shape"}``) once
  per hash and hands ``Plotly.react`` the very same trace object while the hash
  is unchanged, so plotly sees identical arrays (it compares data arrays by
  identity) for a surface that did not change.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import streamlit as st

__all__ = ["live_plotly_chart", "figure_payload"]

#: How long the JavaScript waits for ``window.Plotly`` before giving up (ms).
PLOTLY_WAIT_MS = 20_000

_CSS = """
.live-plotly { width: 100%; position: relative; }
.live-plotly-plot { width: 100%; }
.live-plotly-msg {
  position: absolute; left: 0; top: 0; padding: 0.5rem 0;
  font-family: var(--st-font, sans-serif); color: var(--st-text-color, #1A1A1A); opacity: 0.7;
  font-size: 0.9rem;
}
.live-plotly-msg.failed { opacity: 1; color: var(--st-red-text-color, #B00020); position: static; }
.live-plotly-msg[hidden] { display: none; }
"""


def _plotly_chunk() -> str | None:
    """The file name of Streamlit's PlotlyChart chunk (it sets ``window.Plotly``), or None.

    Looked up in the installed streamlit's static files (the name carries a
    content hash, so it changes with the streamlit version).
    """
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    found = sorted(folder.glob("PlotlyChart.*.js"))
    return found[0].name if len(found) == 1 else None


_JS = """
const STATES = new WeakMap();
const WAIT_MS = %(wait)d;
const PLOTLY_CHUNK = %(chunk)s;
let plotlyImport = null;

function loadPlotly() {
  // Streamlit's own lazily loaded PlotlyChart chunk sets window.Plotly when it is imported. Import it
  // (once, by the URL the app's main script was served from, so the module is shared with Streamlit),
  // so a page with no st.plotly_chart can still draw.
  if (window.Plotly || plotlyImport || !PLOTLY_CHUNK) return;
  const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!main) return;
  plotlyImport = import(new URL(PLOTLY_CHUNK, main.src).href).catch((err) => {
    console.warn('live_plotly_chart: could not load Plotly from Streamlit (' + err + ')');
  });
}
const TYPES = {f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array,
               u2: Uint16Array, i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray};

function decodeArray(v) {
  // plotly's typed-array spec {dtype, bdata, shape} -> a typed array (rows of views if 2D).
  const T = TYPES[v.dtype];
  if (!T) return v;
  const raw = atob(v.bdata);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const flat = new T(bytes.buffer);
  const shape = typeof v.shape === 'string' ? v.shape.split(',').map(Number) : v.shape;
  if (!shape || shape.length < 2) return flat;
  const [rows, cols] = shape, out = new Array(rows);
  for (let r = 0; r < rows; r++) out[r] = flat.subarray(r * cols, (r + 1) * cols);
  return out;
}

function decode(node) {
  if (Array.isArray(node)) return node.map(decode);
  if (node && typeof node === 'object') {
    if (typeof node.bdata === 'string' && typeof node.dtype === 'string') return decodeArray(node);
    const out = {};
    for (const k of Object.keys(node)) out[k] = decode(node[k]);
    return out;
  }
  return node;
}

function themed(layout, el) {
  // The app's theme (Streamlit's CSS variables) for fonts and background, unless the figure sets them.
  const css = getComputedStyle(el);
  const font = css.getPropertyValue('--st-font').trim();
  const text = css.getPropertyValue('--st-text-color').trim();
  const bg = css.getPropertyValue('--st-background-color').trim();
  const out = Object.assign({}, layout, {autosize: true});
  delete out.width;
  out.font = Object.assign({}, font ? {family: font} : {}, text ? {color: text} : {}, layout.font || {});
  if (bg && !layout.paper_bgcolor) out.paper_bgcolor = bg;
  return out;
}

function say(s, text, failed) {
  s.msg.textContent = text;
  s.msg.hidden = !text;
  s.msg.classList.toggle('failed', !!failed);
}

function draw(s) {
  if (s.busy || s.want === s.drawn) return;
  const P = window.Plotly;
  if (!P || typeof P.react !== 'function') {
    loadPlotly();
    if (performance.now() - s.since > WAIT_MS) {
      say(s, 'This chart could not be drawn: the plotting library did not load. Reload the page to try again.', true);
      return;
    }
    if (!s.timer) s.timer = setTimeout(() => { s.timer = null; draw(s); }, 30);
    return;
  }
  const d = s.want;
  s.busy = true;
  let traces, layout;
  try {
    const hashes = d.hashes || [];
    const next = new Map();
    traces = d.figure.data.map((t, i) => {
      const h = hashes[i];
      const trace = (h && s.traces.get(h)) || decode(t);
      if (h) next.set(h, trace);
      return trace;
    });
    s.traces = next;
    layout = themed(decode(d.figure.layout || {}), s.root);
  } catch (err) {
    s.busy = false;
    say(s, 'This chart could not be drawn (' + err + ').', true);
    return;
  }
  const config = Object.assign({responsive: false}, d.config || {});
  Promise.resolve()
    .then(() => P.react(s.plot, traces, layout, config))
    .then(() => {
      s.drawn = d;
      say(s, '');
      if (!s.resize && typeof ResizeObserver === 'function') {
        let last = s.root.clientWidth;
        s.resize = new ResizeObserver(() => {
          const w = s.root.clientWidth;
          if (w && w !== last && s.plot.isConnected) { last = w; P.Plots.resize(s.plot); }
        });
        s.resize.observe(s.root);
      }
    })
    .catch((err) => { s.drawn = d; say(s, 'This chart could not be drawn (' + err + ').', true); })
    .finally(() => { s.busy = false; if (s.want !== s.drawn) draw(s); });
}

export default function (component) {
  const { data, parentElement } = component;
  let s = STATES.get(parentElement);
  if (!s) {
    const root = document.createElement('div');
    root.className = 'live-plotly';
    const msg = document.createElement('div');
    msg.className = 'live-plotly-msg';
    const plot = document.createElement('div');
    plot.className = 'live-plotly-plot';
    root.append(msg, plot);
    parentElement.appendChild(root);
    s = {root, msg, plot, traces: new Map(), want: null, drawn: null, busy: false, timer: null,
         resize: null, since: performance.now()};
    STATES.set(parentElement, s);
    say(s, 'Loading chart…');
  }
  if (data && data.figure) {
    const h = (data.figure.layout && data.figure.layout.height) || 450;
    s.root.style.minHeight = h + 'px';
    s.want = data;
    draw(s);
  }
  // Streamlit keeps only the last cleanup and calls it when the element goes away; a
  // superseded render may call its own at once, so only tear down once really detached.
  return () => {
    if (parentElement.isConnected && s.root.isConnected) return;
    if (s.timer) clearTimeout(s.timer);
    if (s.resize) s.resize.disconnect();
    if (window.Plotly) { try { window.Plotly.purge(s.plot); } catch (e) { /* already gone */ } }
    STATES.delete(parentElement);
  };
}
""" % {"wait": PLOTLY_WAIT_MS, "chunk": json.dumps(_plotly_chunk())}

_component = st.components.v2.component("linreg_live_plotly", css=_CSS, js=_JS, isolate_styles=False)


def _trace_hash(trace: dict) -> str:
    text = json.dumps(trace, sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=10).hexdigest()


def figure_payload(fig, config: dict | None = None) -> dict:
    """What the component is sent for ``fig``: the figure JSON and a hash per trace.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    config : dict, optional
        Plotly config (e.g. ``{"displaylogo": False}``).

    Returns
    -------
    dict
        ``{"figure": {"data": [...], "layout": {...}}, "hashes": [...], "config": {...}}``.
        Arrays stay plotly's base64 typed-array specs ``{"dtype", "bdata", "shape"}``
        (``fig.to_json()``), which the component decodes once per trace hash.
    """
    spec = json.loads(fig.to_json())
    data = spec.get("data", [])
    return {
        "figure": {"data": data, "layout": spec.get("layout", {})},
        "hashes": [_trace_hash(t) for t in data],
        "config": dict(config or {}),
    }


def live_plotly_chart(fig, key: str, height: int | None = None, config: dict | None = None):
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
        Plotly config, as for ``st.plotly_chart``.

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
    return _component(key=key, data=figure_payload(fig, config), width="stretch")

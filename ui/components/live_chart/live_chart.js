// A plotly chart updated in place with Plotly.react (ui/components/live_chart/__init__.py).
//
// The component is called with data = {figure: {data, layout}, hashes, config, wait_ms, plotly_chunk}:
//   figure        plotly's JSON, arrays as base64 typed arrays {dtype, bdata, shape}
//   hashes        one content hash per trace: a trace whose hash is unchanged is handed to
//                 Plotly.react as the very same (already decoded) object
//   config        plotly config
//   wait_ms       how long to wait for window.Plotly before saying it did not load
//   plotly_chunk  file name of Streamlit's PlotlyChart chunk (it sets window.Plotly), or null

const STATES = new WeakMap();
let plotlyImport = null;

function loadPlotly(chunk) {
  // Streamlit's own lazily loaded PlotlyChart chunk sets window.Plotly when it is imported. Import it
  // (once, by the URL the app's main script was served from, so the module is shared with Streamlit),
  // so a page with no st.plotly_chart can still draw.
  if (window.Plotly || plotlyImport || !chunk) return;
  const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!main) return;
  plotlyImport = import(new URL(chunk, main.src).href).catch((err) => {
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

export function decode(node) {
  // A figure's JSON with every typed-array spec replaced by the array it encodes.
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
  const d = s.want;
  const P = window.Plotly;
  if (!P || typeof P.react !== 'function') {
    loadPlotly(d.plotly_chunk);
    if (performance.now() - s.since > (d.wait_ms || 20000)) {
      say(s, 'This chart could not be drawn: the plotting library did not load. Reload the page to try again.', true);
      return;
    }
    if (!s.timer) s.timer = setTimeout(() => { s.timer = null; draw(s); }, 30);
    return;
  }
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
    // The chart's text alternative (what it shows, in words), for screen readers.
    s.root.setAttribute('role', 'figure');
    s.root.setAttribute('aria-label', data.label || 'Chart');
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

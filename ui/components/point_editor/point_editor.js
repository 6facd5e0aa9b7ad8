// Click to create points (ui/components/point_editor/__init__.py).
//
// The component is called with data = {points, x_label, y_label, x_range, y_range, height, max_points, padding}:
//   points      [[x, y], ...] the points Python holds now
//   x_label     column names, shown as text (textContent, never HTML)
//   x_range     [x0, x1] and [y0, y1]: the axis ranges Python chose
//   height      height of the plot in CSS pixels
//   max_points  most points the editor holds (core.points.MAX_POINTS)
//   padding     room around the points for "Fit axes to points" (core.points.PADDING)
//
// A click or tap on empty space adds a point, on a point removes it; dragging a point moves it
// (pointer events: mouse, pen and touch). The least-squares line and its equation follow every
// move. The component sends the trigger value 'points' ([[x, y], ...]) after an add, a remove,
// the end of a drag, an undo and a clear: never during a drag.
//
// Python's answer comes back as new data. Points equal to a list this component sent are its
// own edit coming back (the view and the undo history stay); other points replace the local ones.

const SVGNS = 'http://www.w3.org/2000/svg';
const STATES = new WeakMap();
const POINT_COLOR = '#0072B2';   // Okabe-Ito blue
const LINE_COLOR = '#D55E00';    // Okabe-Ito vermillion
const DRAG_PX = 4;               // a press that moves less than this is a click
const HISTORY = 200;             // undo steps kept
const LARGEST = Number.MAX_VALUE;

// ----------------------------------------------------------------------------- numbers

function keyOf(value) { return JSON.stringify(value); }

function sum(values) {
  // Left to right, as core.points._sum does: the line equals core.points.least_squares_line.
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export function leastSquares(points) {
  // [intercept, slope] of the least-squares line, or null (fewer than two distinct x, or overflow);
  // the same operations in the same order as core.points.least_squares_line.
  if (points.length < 2) return null;
  const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
  if (Math.min(...xs) === Math.max(...xs)) return null;
  const xm = sum(xs) / xs.length, ym = sum(ys) / ys.length;
  const dx = xs.map((x) => x - xm);
  let scale = 0;  // deviations divided by the largest: their squares neither overflow nor underflow
  for (const d of dx) scale = Math.max(scale, Math.abs(d));
  if (scale === 0 || !Number.isFinite(scale)) return null;
  const u = dx.map((d) => d / scale);
  const suu = sum(u.map((d) => d * d)), suy = sum(u.map((d, i) => d * (ys[i] - ym)));
  const slope = suy / (suu * scale);
  const intercept = ym - slope * xm;
  return Number.isFinite(slope) && Number.isFinite(intercept) ? [intercept, slope] : null;
}

function axisRange(values, padding) {
  // As core.points._axis_range: the span padded on each side; one value v gives (v - 5, v + 5).
  if (!values.length) return [0, 10];
  const lo = Math.min(...values), hi = Math.max(...values);
  if (lo === hi && lo - 5 < lo && lo < lo + 5) return [lo - 5, lo + 5];
  const pad = lo === hi ? Math.abs(lo) * padding : hi * padding - lo * padding;
  return [Math.max(lo - pad, -LARGEST), Math.min(hi + pad, LARGEST)];
}

export function fitRanges(points, padding) {
  return [axisRange(points.map((p) => p[0]), padding), axisRange(points.map((p) => p[1]), padding)];
}

function roundTo(v, span) {
  // A clicked coordinate to about a thousandth of the axis span (3.47 rather than 3.4728162).
  const k = Math.floor(Math.log10(span / 1000));
  if (!Number.isFinite(k)) return v;
  if (k < 0) return Number(v.toFixed(Math.min(100, -k)));
  const step = 10 ** k;
  return Math.round(v / step) * step;
}

function fmt(v) {
  // A number for people: 4 significant digits, exponent when very large or small.
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4);
  return text.replace(/\.?0+(e|$)/, '$1').replace('-', '−');
}

function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9 && out.length < 50; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

// ----------------------------------------------------------------------------- drawing

function el(name, attrs, parent) {
  const node = document.createElementNS(SVGNS, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function text(parent, attrs, content) {
  const node = el('text', attrs, parent);
  node.textContent = content;  // labels are user text: never markup
  return node;
}

function geometry(s) {
  const width = Math.max(240, s.root.clientWidth || 600);
  const height = s.height;
  const font = Math.round(Math.min(20, Math.max(13, width / 44)));
  const left = Math.round(font * 4.2), bottom = Math.round(font * 3.4), top = Math.round(font * 0.9);
  const right = Math.round(font * 1.2);
  return {
    width, height, font, left, top,
    plotW: Math.max(40, width - left - right), plotH: Math.max(40, height - top - bottom),
    radius: Math.min(13, Math.max(7, width / 75)), stroke: Math.min(4, Math.max(2, width / 300)),
  };
}

function toScreen(s, p) {
  const g = s.geo, [[x0, x1], [y0, y1]] = s.ranges;
  return [g.left + (p[0] - x0) / (x1 - x0) * g.plotW, g.top + (y1 - p[1]) / (y1 - y0) * g.plotH];
}

function toData(s, q) {
  const g = s.geo, [[x0, x1], [y0, y1]] = s.ranges;
  const fx = Math.min(1, Math.max(0, (q[0] - g.left) / g.plotW));
  const fy = Math.min(1, Math.max(0, (q[1] - g.top) / g.plotH));
  return [roundTo(x0 + fx * (x1 - x0), x1 - x0), roundTo(y1 - fy * (y1 - y0), y1 - y0)];
}

function insidePlot(s, q) {
  const g = s.geo;
  return q[0] >= g.left && q[0] <= g.left + g.plotW && q[1] >= g.top && q[1] <= g.top + g.plotH;
}

function drawAxes(s, svg) {
  const g = s.geo, [[x0, x1], [y0, y1]] = s.ranges;
  const axes = el('g', {class: 'pe-axes', 'font-size': g.font}, svg);
  for (const t of niceTicks(x0, x1, g.plotW / (g.font * 6))) {
    const [sx] = toScreen(s, [t, y0]);
    el('line', {class: 'pe-grid', x1: sx, x2: sx, y1: g.top, y2: g.top + g.plotH}, axes);
    text(axes, {x: sx, y: g.top + g.plotH + g.font * 1.3, 'text-anchor': 'middle'}, fmt(t));
  }
  for (const t of niceTicks(y0, y1, g.plotH / (g.font * 3.5))) {
    const [, sy] = toScreen(s, [x0, t]);
    el('line', {class: 'pe-grid', x1: g.left, x2: g.left + g.plotW, y1: sy, y2: sy}, axes);
    text(axes, {x: g.left - g.font * 0.5, y: sy, 'text-anchor': 'end', 'dominant-baseline': 'middle'}, fmt(t));
  }
  el('rect', {class: 'pe-frame', x: g.left, y: g.top, width: g.plotW, height: g.plotH}, axes);
  text(axes, {class: 'pe-label', x: g.left + g.plotW / 2, y: g.height - g.font * 0.6, 'text-anchor': 'middle'},
       s.labels[0]);
  text(axes, {class: 'pe-label', x: 0, y: 0, 'text-anchor': 'middle',
              transform: `translate(${g.font * 1.1},${g.top + g.plotH / 2}) rotate(-90)`}, s.labels[1]);
}

function drawLine(s, svg, line) {
  if (!line) return;
  const [[x0, x1]] = s.ranges, g = s.geo;
  const a = toScreen(s, [x0, line[0] + line[1] * x0]), b = toScreen(s, [x1, line[0] + line[1] * x1]);
  const clip = 'pe-clip-' + s.id;
  const defs = el('defs', {}, svg);
  el('rect', {x: g.left, y: g.top, width: g.plotW, height: g.plotH}, el('clipPath', {id: clip}, defs));
  el('line', {class: 'pe-line', x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: LINE_COLOR,
              'stroke-width': g.stroke * 1.5, 'clip-path': `url(#${clip})`}, svg);
}

function drawPoints(s, svg) {
  const g = s.geo, layer = el('g', {class: 'pe-points'}, svg);
  s.points.forEach((p, i) => {
    const [cx, cy] = toScreen(s, p);
    const dot = el('circle', {class: 'pe-point', cx, cy, r: g.radius, fill: POINT_COLOR, 'data-index': i,
                              'data-x': p[0], 'data-y': p[1]}, layer);
    if (s.gesture && s.gesture.hit === i && s.gesture.moved) dot.classList.add('pe-dragging');
  });
  if (s.focused) {
    const [cx, cy] = toScreen(s, s.cursor);
    const r = g.radius * 1.8;
    const cross = el('g', {class: 'pe-cursor'}, svg);
    el('line', {x1: cx - r, x2: cx + r, y1: cy, y2: cy}, cross);
    el('line', {x1: cx, x2: cx, y1: cy - r, y2: cy + r}, cross);
  }
}

function equationText(line) {
  if (!line) return null;
  const [a, b] = line;
  return `y = ${fmt(a)} ${b < 0 ? '−' : '+'} ${fmt(Math.abs(b))}·x`;
}

function draw(s) {
  s.geo = geometry(s);
  const g = s.geo, svg = s.svg, n = s.points.length;
  svg.replaceChildren();
  svg.setAttribute('width', g.width);
  svg.setAttribute('height', g.height);
  svg.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
  svg.dataset.xRange = s.ranges[0].join(',');
  svg.dataset.yRange = s.ranges[1].join(',');
  el('rect', {class: 'pe-plot-area', x: g.left, y: g.top, width: g.plotW, height: g.plotH}, svg);
  drawAxes(s, svg);
  const line = leastSquares(s.points);
  drawLine(s, svg, line);
  drawPoints(s, svg);
  const count = countText(n);
  const eq = equationText(line);
  svg.setAttribute('aria-label', `Click to add points. ${count}` +
    (eq ? `; least-squares line ${eq}.` : '.') +
    ' Click a point to remove it, drag a point to move it. Keyboard: arrow keys move the cross,' +
    ' Enter adds or removes a point there.');
  s.count.textContent = count;
  s.equation.textContent = eq || (n ? 'No line yet: it needs two points with different x.'
                                    : 'No points yet: click the plot to add one.');
  s.equation.classList.toggle('pe-none', !eq);
  s.equation.dataset.intercept = line ? String(line[0]) : '';
  s.equation.dataset.slope = line ? String(line[1]) : '';
  s.undo.disabled = !s.history.length;
  s.clear.disabled = !n;
}

// ----------------------------------------------------------------------------- editing

function say(s, message) { s.live.textContent = message; }

function countText(n) { return n === 1 ? '1 point' : `${n} points`; }

function pointText(p) { return `(${fmt(p[0])}, ${fmt(p[1])})`; }

function send(s) {
  const pts = s.points.map((p) => [p[0], p[1]]);
  s.sent.push(keyOf(pts));
  if (s.sent.length > HISTORY) s.sent.shift();
  s.setTriggerValue('points', pts);
}

function commit(s, before, message) {
  s.history.push(before);
  if (s.history.length > HISTORY) s.history.shift();
  draw(s);
  say(s, message);
  send(s);
}

function addPoint(s, p) {
  if (s.points.length >= s.maxPoints) {
    say(s, `The editor holds at most ${s.maxPoints} points: remove one before adding another.`);
    return;
  }
  const before = s.points.slice();
  s.points = [...s.points, p];
  commit(s, before, `Added point ${pointText(p)}; ${countText(s.points.length)}.`);
}

function removePoint(s, i) {
  const before = s.points.slice(), p = s.points[i];
  s.points = s.points.filter((_, j) => j !== i);
  commit(s, before, `Removed point ${pointText(p)}; ${countText(s.points.length)}.`);
}

function nearest(s, q, tolerance) {
  let best = -1, bestD = tolerance;
  s.points.forEach((p, i) => {
    const [cx, cy] = toScreen(s, p), d = Math.hypot(cx - q[0], cy - q[1]);
    if (d <= bestD) { best = i; bestD = d; }
  });
  return best < 0 ? null : best;
}

function local(s, e) {
  const box = s.svg.getBoundingClientRect();
  return [e.clientX - box.left, e.clientY - box.top];
}

function onDown(s, e) {
  if (s.gesture || (e.pointerType === 'mouse' && e.button !== 0)) return;  // one finger at a time
  const q = local(s, e);
  if (!insidePlot(s, q) && nearest(s, q, s.geo.radius + 2) === null) return;
  const tolerance = s.geo.radius + (e.pointerType === 'touch' ? 12 : 4);
  s.gesture = {id: e.pointerId, start: q, hit: nearest(s, q, tolerance), moved: false, before: s.points.slice()};
  try { s.svg.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
  e.preventDefault();
}

function onMove(s, e) {
  const gesture = s.gesture;
  if (!gesture || e.pointerId !== gesture.id || gesture.hit === null) return;
  const q = local(s, e);
  if (!gesture.moved && Math.hypot(q[0] - gesture.start[0], q[1] - gesture.start[1]) < DRAG_PX) return;
  gesture.moved = true;
  s.points = s.points.slice();
  s.points[gesture.hit] = toData(s, q);
  draw(s);  // the line and its equation follow the drag; nothing is sent until the pointer is up
}

function onUp(s, e) {
  const gesture = s.gesture;
  if (!gesture || e.pointerId !== gesture.id) return;
  s.gesture = null;
  const q = local(s, e);
  if (gesture.hit !== null && gesture.moved) {
    const p = s.points[gesture.hit];
    commit(s, gesture.before, `Moved point ${gesture.hit + 1} to ${pointText(p)}.`);
  } else if (gesture.hit !== null) {
    removePoint(s, gesture.hit);
  } else if (Math.hypot(q[0] - gesture.start[0], q[1] - gesture.start[1]) < DRAG_PX * 2) {
    addPoint(s, toData(s, gesture.start));
  }
}

function onCancel(s, e) {
  const gesture = s.gesture;
  if (!gesture || e.pointerId !== gesture.id) return;
  s.gesture = null;
  if (gesture.moved) { s.points = gesture.before; draw(s); }
}

function onKey(s, e) {
  const [[x0, x1], [y0, y1]] = s.ranges;
  const f = e.shiftKey ? 0.1 : 0.02;
  const moves = {ArrowLeft: [-(x1 - x0) * f, 0], ArrowRight: [(x1 - x0) * f, 0],
                 ArrowUp: [0, (y1 - y0) * f], ArrowDown: [0, -(y1 - y0) * f]};
  if (moves[e.key]) {
    const [dx, dy] = moves[e.key];
    s.cursor = [Math.min(x1, Math.max(x0, s.cursor[0] + dx)), Math.min(y1, Math.max(y0, s.cursor[1] + dy))];
    draw(s);
  } else if (e.key === 'Enter' || e.key === ' ') {
    const hit = nearest(s, toScreen(s, s.cursor), s.geo.radius + 2);
    if (hit === null) addPoint(s, toData(s, toScreen(s, s.cursor)));
    else removePoint(s, hit);
  } else if ((e.key === 'z' || e.key === 'Z') && (e.ctrlKey || e.metaKey)) {
    undo(s);
  } else {
    return;
  }
  e.preventDefault();
}

function undo(s) {
  if (!s.history.length) return;
  s.points = s.history.pop();
  draw(s);
  say(s, `Undone; ${countText(s.points.length)}.`);
  send(s);
}

function clearAll(s) {
  if (!s.points.length) return;
  const before = s.points.slice();
  s.points = [];
  commit(s, before, 'Cleared all points.');
}

function centre(ranges) { return [(ranges[0][0] + ranges[0][1]) / 2, (ranges[1][0] + ranges[1][1]) / 2]; }

// ----------------------------------------------------------------------------- mounting

function button(label, onClick) {
  const b = html('button', 'pe-button');
  b.type = 'button';
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

let nextId = 0;

function html(tag, className, parent) {
  const node = document.createElement(tag);
  node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

function mount(parentElement, setTriggerValue) {
  const root = html('div', 'point-editor');
  const info = html('div', 'pe-info', root);
  const count = html('span', 'pe-count', info), equation = html('span', 'pe-equation', info);
  const svg = el('svg', {class: 'pe-svg', role: 'application', tabindex: 0}, root);
  const bar = html('div', 'pe-bar', root);
  const live = html('div', 'pe-live', root);
  live.setAttribute('aria-live', 'polite');
  parentElement.appendChild(root);
  const s = {root, svg, count, equation, live, setTriggerValue, id: nextId++, points: [], ranges: [[0, 10], [0, 10]],
             labels: ['x', 'y'], height: 420, maxPoints: 1000, padding: 0.1, history: [], sent: [],
             gesture: null, focused: false, cursor: [5, 5], baseKey: undefined, rangeKey: undefined};
  s.undo = button('Undo', () => undo(s));
  s.clear = button('Clear', () => clearAll(s));
  const fit = button('Fit axes to points', () => { s.ranges = fitRanges(s.points, s.padding); s.cursor = centre(s.ranges); draw(s); });
  bar.append(s.undo, s.clear, fit);
  svg.addEventListener('pointerdown', (e) => onDown(s, e));
  svg.addEventListener('pointermove', (e) => onMove(s, e));
  svg.addEventListener('pointerup', (e) => onUp(s, e));
  svg.addEventListener('pointercancel', (e) => onCancel(s, e));
  svg.addEventListener('lostpointercapture', (e) => onCancel(s, e));  // never left holding a gesture
  svg.addEventListener('keydown', (e) => onKey(s, e));
  svg.addEventListener('focus', () => { s.focused = svg.matches(':focus-visible'); draw(s); });
  svg.addEventListener('blur', () => { s.focused = false; draw(s); });
  if (typeof ResizeObserver === 'function') {
    let last = root.clientWidth;
    s.resize = new ResizeObserver(() => {
      const w = root.clientWidth;
      if (w && w !== last) { last = w; draw(s); }
    });
    s.resize.observe(root);
  }
  return s;
}

function adopt(s, data) {
  // Take Python's points and ranges, unless they are this component's own edit coming back.
  const incoming = (data.points || []).map((p) => [Number(p[0]), Number(p[1])]);
  const ranges = [data.x_range || [0, 10], data.y_range || [0, 10]].map((r) => [Number(r[0]), Number(r[1])]);
  const k = keyOf(incoming), rk = keyOf(ranges);
  const echo = s.sent.indexOf(k);
  if (s.baseKey === undefined || (echo < 0 && k !== s.baseKey)) {
    s.gesture = null;  // a drag in progress ends: its point may be gone
    s.points = incoming;
    s.ranges = ranges;
    s.history = [];
    s.sent = [];
    s.cursor = centre(ranges);
  } else if (echo >= 0) {
    s.sent.splice(0, echo + 1);
  } else if (rk !== s.rangeKey) {
    s.ranges = ranges;
    s.cursor = centre(ranges);
  }
  s.baseKey = k;
  s.rangeKey = rk;
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let s = STATES.get(parentElement);
  if (!s) {
    s = mount(parentElement, setTriggerValue);
    STATES.set(parentElement, s);
  }
  s.setTriggerValue = setTriggerValue;
  if (data) {
    s.labels = [String(data.x_label ?? 'x'), String(data.y_label ?? 'y')];
    s.height = Number(data.height) || 420;
    s.maxPoints = Number(data.max_points) || 1000;
    s.padding = Number(data.padding ?? 0.1);
    adopt(s, data);
  }
  if (!s.gesture) draw(s);
  // Streamlit keeps only the last cleanup and calls it when the element goes away; a
  // superseded render may call its own at once, so only tear down once really detached.
  return () => {
    if (parentElement.isConnected && s.root.isConnected) return;
    if (s.resize) s.resize.disconnect();
    STATES.delete(parentElement);
  };
}

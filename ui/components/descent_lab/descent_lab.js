// The gradient-descent lab, redrawn in the browser (ui/components/descent_lab/__init__.py).
//
// data = {payload, plotly_chunk, wait_ms}: payload is core.lab_payload.lab_payload's dict (the run's cost
// model θ̂, J(θ̂), R, m; the optimizer, schedule, iterations, tol, θ₀, α; the slider's α choices and marks;
// the surface's rectangle; i, j; names, which are user text: shown with textContent or escaped for plotly).
//
// Every α, θ₀ or step change recomputes the path here (path(): the maths of core.descent.descend, in
// float64) and redraws the contour, the surface, the cost plot and the model on the data (payload.line:
// core.lab_line, the curve over one feature or predicted against actual) with Plotly.react, on the next
// animation frame: no server round trip. The component sets the trigger value 'lab' = {alpha, theta0, step} only when
// the person lets go (slider released, or no key pressed for COMMIT_MS; θ₀ dropped; step scrubbed or
// playing stopped), so the server can keep the URL and the rest of the page in step.
//
// A new payload is adopted field by field: α, θ₀ or step that differ from the previous payload's (the
// server changed them) replace the local ones; anything else new (data, optimizer, grid) resets the lab.

const STATES = new WeakMap();
const COLOURS = {path: '#E69F00', start: '#CC79A7', optimum: '#F0E442', step: '#009E73', outline: '#000000',
                 data: '#0072B2', fit: '#D55E00', diagonal: '#7F7F7F',
                 converged: '#009E73', max_iterations: '#E69F00', diverged: '#D55E00', error: '#D55E00'};
const DIVERGENCE_FACTOR = 1e12;     // core.descent.DIVERGENCE_FACTOR
const COST_CEILING = 1e307;         // core.descent._COST_CEILING
const TINY = 2.2250738585072014e-308;
const EPS = 2.220446049250313e-16;
const PATH_POINTS = 400;            // steps drawn on the contour and surface (first and last always)
const DOTS = 120;                   // most steps drawn with a dot on the contour
const HISTORY_POINTS = 4000;        // steps drawn on the cost plot
const SLOW_SURFACE_MS = 20;        // a surface slower to redraw than this waits until the person pauses
const QUIET_MS = 1000;             // ... for this long (or drops the start, or stops playing)
const COMMIT_MS = 1000;             // quiet time after the last key before α is sent to Python
const DRAG_HEAVY_MS = 400;         // ... and while dragging θ₀ (the contour's path comes first)
const HEAVY_MS = 150;              // fastest redraw of the surface and cost plot while dragging or playing
const SPEEDS = [[10, 'slow'], [30, 'normal'], [120, 'fast'], [600, 'very fast']];  // steps per second

// ----------------------------------------------------------------------------------------- the maths

function rate(P, alpha, t) {
  // α_t after t steps (core.schedules): the same operations in the same order.
  const h = P.schedule_hp || {};
  switch (P.schedule) {
    case 'step': return alpha * 0.5 ** Math.floor(t / Math.trunc(h.every));
    case 'inverse': return alpha / (1.0 + t / h.tau);
    case 'exponential': return alpha * h.gamma ** t;
    default: return alpha;
  }
}

export function toScaled(scaling, theta) {
  // φ = Aθ (core.scaling.Scaling.to_scaled).
  const phi = theta.map((v, k) => v * scaling.scale[k]);
  if (scaling.intercept) {
    let dot = 0;
    for (let k = 1; k < theta.length; k++) dot += theta[k] * scaling.mean[k];
    phi[0] = theta[0] + dot;
  }
  return phi;
}

export function toOriginal(scaling, phi) {
  // θ = A⁻¹φ (core.scaling.Scaling.to_original).
  const theta = phi.map((v, k) => v / scaling.scale[k]);
  if (scaling.intercept) {
    let dot = 0;
    for (let k = 1; k < phi.length; k++) dot += theta[k] * scaling.mean[k];
    theta[0] = phi[0] - dot;
  }
  return theta;
}

function residual(P, theta) {
  // R(θ − θ̂), as LeastSquaresCost does.
  const d = theta.map((v, k) => v - P.theta_hat[k]);
  return P.R.map((row) => { let s = 0; for (let k = 0; k < d.length; k++) s += d[k] * row[k]; return s; });
}

export function cost(P, theta) {
  // J(θ) = J(θ̂) + ½‖R(θ − θ̂)‖²/m.
  const r = residual(P, theta);
  let s = 0;
  for (const v of r) s += v * v;
  return P.cost_min + 0.5 * s / P.m;
}

function gradient(P, theta) {
  // ∇J(θ) = Rᵀ R(θ − θ̂)/m.
  const r = residual(P, theta), g = new Array(theta.length).fill(0);
  for (let l = 0; l < g.length; l++) {
    let s = 0;
    for (let k = 0; k < r.length; k++) s += r[k] * P.R[k][l];
    g[l] = s / P.m;
  }
  return g;
}

function norm(v) { let s = 0; for (const x of v) s += x * x; return Math.sqrt(s); }

function solve(A, b) {
  // A⁻¹b by LU with partial pivoting (as numpy.linalg.solve).
  const n = b.length, M = A.map((row) => row.slice()), x = b.slice();
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let r = k + 1; r < n; r++) if (Math.abs(M[r][k]) > Math.abs(M[piv][k])) piv = r;
    [M[k], M[piv]] = [M[piv], M[k]];
    [x[k], x[piv]] = [x[piv], x[k]];
    for (let r = k + 1; r < n; r++) {
      const f = M[r][k] / M[k][k];
      for (let c = k; c < n; c++) M[r][c] -= f * M[k][c];
      x[r] -= f * x[k];
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k];
    for (let c = k + 1; c < n; c++) s -= M[k][c] * x[c];
    x[k] = s / M[k][k];
  }
  return x;
}

const RULES = {
  // One step each (core.optimizers): (θ, g, state, α, t, hp) -> [θ, state].
  gd: (th, g, st, a) => [th.map((v, k) => v - a * g[k]), st],
  momentum: (th, g, st, a, t, hp) => {
    const v = st[0].map((x, k) => hp.beta * x + g[k]);
    return [th.map((x, k) => x - a * v[k]), [v]];
  },
  nesterov: (th, g, st, a, t, hp, P) => {
    const ab = a * hp.beta;
    const ahead = gradient(P, th.map((x, k) => x - ab * st[0][k]));
    const v = st[0].map((x, k) => hp.beta * x + ahead[k]);
    return [th.map((x, k) => x - a * v[k]), [v]];
  },
  adam: (th, g, st, a, t, hp) => {
    const b1 = hp.beta, b2 = hp.beta2;
    const first = st[0].map((x, k) => b1 * x + (1 - b1) * g[k]);
    const second = st[1].map((x, k) => b2 * x + (1 - b2) * g[k] * g[k]);
    const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
    return [th.map((x, k) => x - a * (first[k] / c1) / (Math.sqrt(second[k] / c2) + hp.eps)), [first, second]];
  },
  newton: (th, g, st, a, t, hp, P) => {
    const RT = P.R[0].map((_, c) => P.R.map((row) => row[c]));
    const x = solve(P.R, solve(RT, g));
    return [th.map((v, k) => v - a * (P.m * x[k])), st];
  },
};

function finite(v) { return v.every(Number.isFinite); }

export function path(P, alpha, theta0) {
  // The run of core.descent.descend(model, settings) for this α and θ₀ (original units), in the run's
  // coordinates: {thetas, costs, gradNorms, status: 'converged' | 'max_iterations' | 'diverged' | 'error',
  // message}.
  const rule = RULES[P.optimizer];
  if (!rule) return {thetas: [], costs: [], gradNorms: [], status: 'error', message: `The optimizer ${P.optimizer} runs on the server only.`};
  let theta = theta0.map(Number);
  if (P.scaling) theta = toScaled(P.scaling, theta);
  const hp = P.hp || {};
  let g = gradient(P, theta);
  const J0 = cost(P, theta), g0 = norm(g);
  if (!(Number.isFinite(J0) && J0 <= COST_CEILING && Number.isFinite(g0) && finite(theta))) {
    return {thetas: [], costs: [], gradNorms: [], status: 'error',
            message: 'The start θ₀ is so far from the optimum that the cost there is too large to compute; start closer.'};
  }
  const ceiling = Math.min(DIVERGENCE_FACTOR * Math.max(J0, P.cost_min, TINY), COST_CEILING);
  const thetas = [theta], costs = [J0], gradNorms = [g0];
  const zeros = () => new Array(theta.length).fill(0);
  let state = P.optimizer === 'adam' ? [zeros(), zeros()] : [zeros()];
  let status = 'max_iterations', broke = false;
  for (let t = 1; t <= P.iterations; t++) {
    if (gradNorms[gradNorms.length - 1] <= P.tol * g0) { status = 'converged'; broke = true; break; }
    [theta, state] = rule(theta, g, state, rate(P, alpha, t - 1), t, hp, P);
    g = gradient(P, theta);
    const J = cost(P, theta), gn = norm(g);
    if (!(Number.isFinite(J) && Number.isFinite(gn) && finite(theta)) || J > ceiling) {
      status = 'diverged'; broke = true; break;
    }
    thetas.push(theta); costs.push(J); gradNorms.push(gn);
  }
  if (!broke) {
    if (gradNorms[gradNorms.length - 1] <= P.tol * g0) status = 'converged';
    else if (costs[costs.length - 1] > costs[0] || unstable(P, alpha)) status = 'diverged';
  }
  return {thetas, costs, gradNorms, status, message: outcome(status, thetas.length - 1)};
}

function unstable(P, alpha) {
  // core.verdict.unstable: the spectrum says the steepest direction grows.
  if (P.limit === null || P.limit === undefined) return false;
  return P.limit_on === 'alpha' ? alpha > P.limit : alpha * P.lambda_max > P.limit;
}

function outcome(status, steps) {
  const n = `${steps} step${steps === 1 ? '' : 's'}`;
  if (status === 'converged') return `Converged in ${n}: the gradient fell below the tolerance.`;
  if (status === 'diverged') return `Diverged: stopped after ${n} as the cost grew without bound.`;
  return `Stopped at the iteration limit (${n}) before reaching the tolerance.`;
}

// The model at a step, on the data (payload.line, core.lab_line): ŷ = θ·basis(x) in the original units.

export function basisRow(L, raw) {
  // The design's columns for one row of raw feature values (core.design.expand): [1,] x1, x1², …, x1^d, x2, …
  const row = L.intercept ? [1] : [];
  for (const x of raw) {
    let power = x;
    row.push(power);
    for (let d = 2; d <= L.degree; d++) { power = power * x; row.push(power); }
  }
  return row;
}

function dot(row, theta) { let s = 0; for (let k = 0; k < row.length; k++) s += row[k] * theta[k]; return s; }

function lin(lo, hi, n) { return Array.from({length: n}, (_, k) => lo + (hi - lo) * k / (n - 1)); }

export function lineAt(P, theta) {
  // θ (the run's coordinates, as path() gives it) drawn on the data: {x, y} of the curve over the data's range
  // (one feature), or {x: actual y, y: predicted ŷ} of the sampled rows (more features). Original units.
  const L = P.line, th = P.scaling ? toOriginal(P.scaling, theta) : theta;
  if (L.kind === 'curve') {
    const xs = lin(L.range[0], L.range[1], L.points);
    return {x: xs, y: xs.map((x) => dot(basisRow(L, [x]), th)), theta: th};
  }
  return {x: L.y, y: L.raw.map((r) => dot(basisRow(L, r), th)), theta: th};
}

export function surface(P) {
  // The grid's axes and heights z[r][c] = J(θ) with θ_i = a[c], θ_j = b[r], the others fixed.
  const G = P.grid;
  const a = lin(G.a[0], G.a[1], G.n[0]), b = lin(G.b[0], G.b[1], G.n[1]);
  const theta = G.fixed.slice();
  const z = b.map((y) => a.map((x) => { theta[P.i] = x; theta[P.j] = y; return cost(P, theta); }));
  return {a, b, z};
}

// ----------------------------------------------------------------------------------------- text

const SUB = '₀₁₂₃₄₅₆₇₈₉';
function inert(text) {
  // User text for plotly (which reads HTML tags and entities in labels).
  return String(text).replace(/[\x00-\x1f\x7f]/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function coefficient(P, k, html, original) {
  const name = String(P.names[k]);
  const label = ['1', 'intercept', 'const'].includes(name) ? 'intercept' : name;
  const units = P.scaling && !original ? ', standardised' : '';  // the run's coordinates (core.scaling)
  return 'θ' + String(k).replace(/\d/g, (d) => SUB[d]) + ' (' + (html ? inert(label) : label) + units + ')';
}
function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return (a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4)).replace(/\.?0+(e|$)/, '$1').replace('-', '−');
}

// ----------------------------------------------------------------------------------------- figures

function thin(n, most) {
  // Indices of the steps to draw: all, or (too many) dense at the start, evenly after; first and last kept.
  if (n <= most) return Array.from({length: n}, (_, k) => k);
  const keep = new Set([0, n - 1]), half = Math.max(Math.floor(most / 2), 2);
  for (let k = 0; k < half; k++) keep.add(Math.round(n ** (k / (half - 1))) - 1);
  for (let k = 0; k < most - half; k++) keep.add(Math.round(k * (n - 1) / (most - half - 1)));
  return [...keep].filter((k) => k >= 0 && k < n).sort((x, y) => x - y);
}

function logContour(z, base) {
  // log10(J − J(θ̂)) with the lowest 0.2 % clamped (core.figures.cost_space._log_contour).
  const above = z.map((row) => row.map((v) => v - base));
  const pos = above.flat().filter((v) => Number.isFinite(v) && v > 0).sort((x, y) => x - y);
  const top = pos.length ? pos[pos.length - 1] : 1;
  const low = pos.length ? pos[Math.floor(0.002 * (pos.length - 1))] : top;
  const floor = Math.max(low, top * 1e-12, TINY);
  const shown = above.map((row) => row.map((v) => Math.log10(Math.max(Number.isFinite(v) ? v : top, floor))));
  const flat = shown.flat(), lo = Math.floor(Math.min(...flat)), hi = Math.ceil(Math.max(...flat));
  const ticks = [];
  for (let d = lo; d <= hi; d++) ticks.push(d);
  return {shown, ticks, text: ticks.map((d) => (10 ** d).toExponential(0).replace('e-', 'e-0').replace(/e\+?(\d)$/, 'e+0$1'))};
}

function cached(s) {
  // The surface and contour traces: built once per payload, the same objects for every redraw.
  if (s.base && s.base.key === s.key) return s.base;
  const P = s.P, {a, b, z} = surface(P);
  const li = coefficient(P, P.i, true), lj = coefficient(P, P.j, true);
  const hover = `${li} = %{x:.4g}<br>${lj} = %{y:.4g}<br>J = `;
  const log = logContour(z, P.cost_min);
  const flat = z.flat().filter(Number.isFinite);
  const contour = {type: 'contour', x: a, y: b, z: log.shown, customdata: z, colorscale: 'Cividis', name: 'J(θ)',
                   line: {width: 0.6}, ncontours: 30, hovertemplate: hover + '%{customdata:.4g}<extra></extra>',
                   colorbar: {title: {text: 'J(θ) − J(θ̂)<br>(log scale)'}, tickvals: log.ticks, ticktext: log.text,
                              x: 1.02, xanchor: 'left', thickness: 16}};
  const surf = {type: 'surface', x: a, y: b, z, colorscale: 'Cividis', opacity: 0.92, name: 'J(θ)',
                colorbar: {title: {text: 'J(θ)'}, len: 0.75}, hovertemplate: hover + '%{z:.4g}<extra></extra>',
                contours: {z: {show: true, usecolormap: true, project: {z: true}, width: 1}}};
  const zmin = Math.min(...flat), zmax = Math.max(...flat);
  // The legend of the contour's top layer, drawn once with the contours (entries with no points).
  const entry = (name, extra) => Object.assign({type: 'scatter', x: [null], y: [null], name, hoverinfo: 'skip'}, extra);
  const dot = (colour, size, symbol, width) => ({mode: 'markers', marker: {color: colour, size, symbol, line: {color: COLOURS.outline, width}}});
  const legend = [entry('gradient-descent path', {mode: 'lines', line: {color: COLOURS.path, width: 2}}),
    entry('start θ⁽⁰⁾ (drag it)', dot(COLOURS.start, 12, 'diamond', 1)),
    entry('optimum θ̂ (normal equation)', dot(COLOURS.optimum, 18, 'star', 1.5)),
    entry('the step shown', dot(COLOURS.step, 11, 'circle', 1.5))];
  s.base = {key: s.key, a, b, contour, legend, surf, li, lj, zmin, zmax, lift: 0.01 * (zmax - zmin || 1)};
  return s.base;
}

function pad(lo, hi) {
  // [lo, hi] widened by 5 % each side (a flat range by 1).
  const d = hi > lo ? 0.05 * (hi - lo) : 1;
  return [lo - d, hi + d];
}

function lineBase(s) {
  // The fourth chart's fixed parts, once per payload: the data, the normal equation's model and the axes' ranges
  // (fixed, so a diverging run leaves the frame instead of rescaling it, and no autorange on each frame).
  if (s.lineCache && s.lineCache.key === s.key) return s.lineCache;
  const P = s.P, L = P.line, curve = L.kind === 'curve';
  const target = inert(L.target), feature = curve ? inert(L.features[0]) : '';
  const fit = lineAt(Object.assign({}, P, {scaling: null}), L.theta_fit);
  const ys = L.y.concat(fit.y).filter(Number.isFinite);
  const yr = pad(Math.min(...ys), Math.max(...ys));
  const sampled = L.shown < L.total ? ` (${L.shown.toLocaleString('en')} of ${L.total.toLocaleString('en')} rows)` : '';
  const data = curve
    ? {type: 'scatter', x: L.x, y: L.y, mode: 'markers', name: 'data' + sampled,
       marker: {color: COLOURS.data, size: 7, opacity: 0.75}, hovertemplate: `${feature} = %{x:.4g}<br>${target} = %{y:.4g}<extra></extra>`}
    : {type: 'scatter', x: [yr[0], yr[1]], y: [yr[0], yr[1]], mode: 'lines', name: 'ŷ = y (a perfect fit)',
       line: {color: COLOURS.diagonal, width: 1.5, dash: 'dot'}, hoverinfo: 'skip'};
  const normal = curve
    ? {type: 'scatter', x: fit.x, y: fit.y, mode: 'lines', name: 'normal equation',
       line: {color: COLOURS.fit, width: 2, dash: 'dash'}, hoverinfo: 'skip'}
    : {type: 'scatter', x: fit.x, y: fit.y, mode: 'markers', name: 'normal equation' + sampled,
       marker: {color: COLOURS.fit, size: 7, symbol: 'circle-open', line: {width: 1.5}},
       hovertemplate: `${target} = %{x:.4g}<br>ŷ = %{y:.4g}<extra>normal equation</extra>`};
  const shape = curve ? (L.degree > 1 ? `Fitted curve (degree ${L.degree})` : 'Fitted line') : 'Predicted against actual';
  const xr = curve ? pad(L.range[0], L.range[1]) : yr;
  s.lineCache = {key: s.key, curve, data, normal, shape, xr, yr, target, feature,
                 words: curve ? `${L.target} against ${L.features[0]}` : `predicted ${L.target} against actual ${L.target}`};
  return s.lineCache;
}

function lineFigure(s, k, theta) {
  // The model at step k on the data. Two stacked plots with the same geometry, as the contour: the data, the
  // normal equation's model, the axes and the legend (drawn once per payload) and, on top, a transparent one
  // with hidden axes holding the model at step k, the only one redrawn each frame (no text to measure, so no
  // layout of the page per frame). The title does not name the step (the scrubber's readout does); the
  // trace's meta does.
  const base = lineBase(s), drawn = lineAt(s.P, theta);
  const name = 'gradient descent, at the step shown';
  const model = base.curve
    ? {type: 'scatter', x: drawn.x, y: drawn.y, mode: 'lines', name, meta: k, line: {color: COLOURS.step, width: 3}, hoverinfo: 'name'}
    : {type: 'scatter', x: drawn.x, y: drawn.y, mode: 'markers', name, meta: k, marker: {color: COLOURS.step, size: 7},
       hovertemplate: `${base.target} = %{x:.4g}<br>ŷ = %{y:.4g}<extra>step ${k}</extra>`};
  const geometry = (extra) => layoutBase(s, `${base.shape} at the step shown`, 380, Object.assign({
    dragmode: false, margin: {l: 60, r: 20, t: 60, b: 110, autoexpand: false}, hovermode: 'closest',
    legend: {orientation: 'h', yanchor: 'top', y: -0.22, xanchor: 'left', x: 0},
    xaxis: Object.assign({title: {text: base.curve ? base.feature : `actual ${base.target}`}, range: base.xr, fixedrange: true}, AXIS),
    yaxis: Object.assign({title: {text: base.curve ? base.target : `predicted ${base.target}`}, range: base.yr, fixedrange: true}, AXIS)}, extra));
  if (!base.layout) {
    const entry = Object.assign({}, model, {x: [null], y: [null], meta: undefined, hoverinfo: 'skip'});
    base.fig = [[base.data, base.normal, entry], geometry({})];
    const top = geometry({plot_bgcolor: 'rgba(0,0,0,0)', title: {text: ''}, showlegend: false});
    top.xaxis = Object.assign({}, top.xaxis, {visible: false});
    top.yaxis = Object.assign({}, top.yaxis, {visible: false});
    base.layout = top;
  }
  const label = `Chart: ${base.shape.toLowerCase()} at step ${k}, ${base.words}. Shows: ` + (base.curve
    ? 'the data, gradient descent\'s model after this step (solid) and the normal equation\'s (dashed).'
    : 'gradient descent\'s predictions after this step (dots), the normal equation\'s (circles) and the line ŷ = y.');
  return {base: base.fig, fig: [[model], base.layout], label, k};
}

function layoutBase(s, title, height, extra) {
  const css = getComputedStyle(s.root);
  const font = css.getPropertyValue('--st-font').trim(), text = css.getPropertyValue('--st-text-color').trim();
  return Object.assign({
    title: {text: title, x: 0, xanchor: 'left', font: {size: 15}}, height, autosize: true,
    font: Object.assign({}, font ? {family: font} : {}, text ? {color: text} : {}),
    paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'white', uirevision: s.key,
    margin: {l: 60, r: 20, t: 60, b: 90}, hovermode: 'closest',
    legend: {orientation: 'h', yanchor: 'top', y: -0.16, xanchor: 'left', x: 0},
  }, extra);
}

const AXIS = {gridcolor: '#EBF0F8', zerolinecolor: '#EBF0F8', linecolor: '#EBF0F8'};

function figures(s) {
  const P = s.P, run = s.run, base = cached(s), i = P.i, j = P.j;
  const n = run.thetas.length, k = Math.min(s.step, Math.max(n - 1, 0));
  const rows = thin(n, PATH_POINTS);
  const xs = rows.map((r) => run.thetas[r][i]), ys = rows.map((r) => run.thetas[r][j]);
  const zs = rows.map((r) => run.costs[r] + base.lift);
  const start = P.scaling ? toScaled(P.scaling, s.theta0) : s.theta0;
  const now = n ? run.thetas[k] : start;
  const J = n ? run.costs[k] : cost(P, start);
  const title = P.p > 2 ? '<br><sup>slice through the other coefficients\' fixed values</sup>' : '';
  const dots = rows.length <= DOTS ? '+markers' : '';  // hundreds of SVG markers would slow every redraw
  const path = {type: 'scatter', x: xs, y: ys, customdata: rows, mode: 'lines' + dots, name: 'gradient-descent path',
                line: {color: COLOURS.path, width: 2}, marker: {color: COLOURS.path, size: 5},
                hovertemplate: 'step %{customdata}<extra></extra>'};
  const mark = (x, y, name, colour, size, symbol, width) => ({type: 'scatter', x: [x], y: [y], mode: 'markers', name,
    marker: {color: colour, size, symbol, line: {color: COLOURS.outline, width}}, hoverinfo: 'name'});
  // The contour is two stacked plots with the same geometry: the contours (drawn once per payload) and,
  // on top, a transparent one with the path and the markers, the only one redrawn as θ₀ or α moves.
  const range = (v) => [v[0], v[v.length - 1]];
  const geometry = (extra) => layoutBase(s, `Contours of J(θ) over ${base.li} and ${base.lj}${title}`, 480, Object.assign({
    dragmode: false, margin: {l: 60, r: 120, t: 60, b: 110, autoexpand: false},
    xaxis: Object.assign({title: {text: base.li}, range: range(base.a), fixedrange: true}, AXIS),
    yaxis: Object.assign({title: {text: base.lj}, range: range(base.b), fixedrange: true}, AXIS)}, extra));
  const overlay = [path, mark(start[i], start[j], 'start θ⁽⁰⁾ (drag it)', COLOURS.start, 12, 'diamond', 1),
    mark(P.theta_hat[i], P.theta_hat[j], 'optimum θ̂ (normal equation)', COLOURS.optimum, 18, 'star', 1.5),
    mark(now[i], now[j], `step ${k}`, COLOURS.step, 11, 'circle', 1.5)];
  const hidden = {visible: false};
  const overlayLayout = geometry({plot_bgcolor: 'rgba(0,0,0,0)', title: {text: ''}, showlegend: false});
  overlayLayout.xaxis = Object.assign({}, overlayLayout.xaxis, hidden);
  overlayLayout.yaxis = Object.assign({}, overlayLayout.yaxis, hidden);
  const contourLayout = geometry({});
  const m3 = (x, y, z, name, colour, size, symbol) => ({type: 'scatter3d', x: [x], y: [y], z: [z], mode: 'markers', name,
    marker: {color: colour, size, symbol, line: {color: COLOURS.outline, width: 1}}, hoverinfo: 'name'});
  const surf = [base.surf,
    {type: 'scatter3d', x: xs, y: ys, z: zs, customdata: rows, mode: 'lines+markers', name: 'gradient-descent path',
     line: {color: COLOURS.path, width: 7}, marker: {color: COLOURS.path, size: 3.5}, hovertemplate: 'step %{customdata}<extra></extra>'},
    {type: 'scatter3d', x: xs, y: ys, z: xs.map(() => base.zmin), mode: 'lines', name: 'path, projected on the floor',
     showlegend: false, hoverinfo: 'skip', line: {color: COLOURS.path, width: 4, dash: 'dot'}},
    m3(start[i], start[j], cost(P, start) + base.lift, 'start θ⁽⁰⁾', COLOURS.start, 7, 'diamond'),
    m3(P.theta_hat[i], P.theta_hat[j], P.cost_min + base.lift, 'optimum θ̂', COLOURS.optimum, 8, 'diamond'),
    m3(now[i], now[j], J + base.lift, `step ${k}`, COLOURS.step, 6, 'circle')];
  const scene = {xaxis: {title: {text: base.li}, range: range(base.a)}, yaxis: {title: {text: base.lj}, range: range(base.b)},
                 zaxis: {title: {text: 'J(θ)'}, range: [base.zmin, base.zmax + 2 * base.lift]},
                 aspectmode: 'cube', camera: {eye: {x: 1.2, y: -1.5, z: 1.5}}};
  const surfLayout = layoutBase(s, `Cost J(θ) over ${base.li} and ${base.lj}${title}`, 480,
                                {scene, margin: {l: 0, r: 0, t: 60, b: 40}, legend: {orientation: 'h', y: 0.02, x: 0}});
  // cost per iteration: the optimality gap, floored at round-off (core.figures.history)
  const floor = Math.max(EPS * (Math.abs(P.cost_min) || Math.max(...run.costs.map(Math.abs), 1)), TINY);
  const hrows = thin(n, HISTORY_POINTS);
  const gap = (r) => Math.max(run.costs[r] - P.cost_min, floor);
  const colour = COLOURS[run.status] || COLOURS.outline;
  const history = [
    {type: 'scatter', x: hrows, y: hrows.map(gap), mode: 'lines', name: 'J(θₖ) − J(θ̂)', line: {color: COLOURS.path, width: 2},
     hovertemplate: 'step %{x}<br>%{y:.4g}<extra></extra>'},
    {type: 'scatter', x: n ? [k] : [], y: n ? [gap(k)] : [], mode: 'markers', name: `step ${k}`,
     marker: {color: COLOURS.step, size: 11, line: {color: COLOURS.outline, width: 1.5}}, hoverinfo: 'name'}];
  const historyLayout = layoutBase(s, 'Cost per iteration', 320, {
    showlegend: false, margin: {l: 60, r: 20, t: 60, b: 50},
    xaxis: Object.assign({title: {text: 'iteration k'}}, AXIS),
    yaxis: Object.assign({title: {text: 'J(θₖ) − J(θ̂) (log scale)'}, type: 'log', exponentformat: 'e'}, AXIS),
    annotations: [{text: `<b>${run.status.replace('_', ' ')}</b> after ${Math.max(n - 1, 0)} iteration(s)`, xref: 'paper',
                   yref: 'paper', x: 1, y: 1, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: {color: colour, size: 13}}]});
  return {contour: [[base.contour, ...base.legend], contourLayout], overlay: [overlay, overlayLayout], surface: [surf, surfLayout],
          history: [history, historyLayout], line: P.line ? lineFigure(s, k, now) : null};
}

// ----------------------------------------------------------------------------------------- Plotly

let plotlyImport = null;
function plotly(chunk) {
  // window.Plotly, set by Streamlit's PlotlyChart chunk: imported from where Streamlit serves it if no chart has.
  if (window.Plotly && typeof window.Plotly.react === 'function') return window.Plotly;
  const main = document.querySelector('script[type="module"][src*="/static/js/index."]');
  if (!plotlyImport && chunk && main) {
    plotlyImport = import(new URL(chunk, main.src).href).catch((err) => console.warn('descent lab: no Plotly (' + err + ')'));
  }
  return null;
}

// ----------------------------------------------------------------------------------------- drawing

const CONFIG = {displaylogo: false, modeBarButtonsToRemove: ['sendDataToCloud', 'select2d', 'lasso2d'], responsive: false};

function request(s) {
  if (!s.frame) s.frame = requestAnimationFrame(() => { s.frame = 0; render(s); });
}

function render(s) {
  // One frame: the path and the contour's top layer. The cost plot and the 3D surface follow in a task of
  // their own: at once, or while the person is busy (busy()) at most every HEAVY_MS. The surface's redraw
  // time is measured (WebGL without a GPU is slow): a slow one (over SLOW_SURFACE_MS) waits until the person
  // pauses, or while playing takes at most 1/8 of the time, so the path on the contour follows first.
  const P = window.Plotly;
  if (!P || typeof P.react !== 'function') {
    if (plotly(s.chunk) || performance.now() - s.since < s.waitMs) { setTimeout(() => request(s), 40); say(s, 'Loading the charts…'); }
    else say(s, 'The charts could not be drawn: the plotting library did not load. Reload the page to try again.');
    return;
  }
  const t0 = performance.now();
  onFrame(s);
  s.figs = figures(s);
  if (s.drawnKey !== s.key) { P.react(s.plots.contour, ...s.figs.contour, CONFIG); s.drawnKey = s.key; }
  P.react(s.plots.overlay, ...s.figs.overlay, CONFIG);
  if (s.figs.line) {  // the model on the data: in the same pass as the contour's marker, every frame
    if (s.lineKey !== s.key) { P.react(s.plots.line, ...s.figs.line.base, CONFIG); s.lineKey = s.key; }
    P.react(s.plots.lineTop, ...s.figs.line.fig, CONFIG);
    s.lineStack.setAttribute('aria-label', s.figs.line.label);
    s.lineStep = s.figs.line.k;
  }
  s.redraws++;
  const t1 = performance.now();
  if (s.inputAt !== null) { keep(s.latencies, t1 - s.inputAt); s.heavyInput = s.heavyInput ?? s.inputAt; s.inputAt = null; }
  keep(s.drawMs, t1 - t0);
  say(s, '');
  readout(s);
  if (!busy(s)) { clearTimeout(s.heavyTimer); s.heavyTimer = setTimeout(() => heavy(s), 0); }
  else if (!s.heavyTimer) s.heavyTimer = setTimeout(() => heavy(s), Math.max(0, (s.drag ? DRAG_HEAVY_MS : HEAVY_MS) - (t1 - s.historyAt)));
}

function busy(s) {
  // Dragging, playing, holding the slider, or an input less than QUIET_MS ago (as long as COMMIT_MS: a slow
  // surface is redrawn when the person lets go).
  return s.live || performance.now() - s.lastInput < QUIET_MS;
}

function heavy(s) {
  // The cost plot and (unless it was drawn too recently for its cost) the 3D surface, with the latest figures.
  s.heavyTimer = 0;
  const P = window.Plotly;
  P.react(s.plots.history, ...s.figs.history, CONFIG);
  s.historyAt = performance.now();
  const due = !busy(s) || (s.playing ? s.historyAt - s.heavyAt >= 8 * s.surfaceCost : s.surfaceCost <= SLOW_SURFACE_MS);
  if (!due) {
    if (!s.drag) s.heavyTimer = setTimeout(() => heavy(s), HEAVY_MS);  // the surface still owes this state
    return;  // a drag's last state is drawn once it is dropped
  }
  const t0 = performance.now();
  P.react(s.plots.surface, ...s.figs.surface, CONFIG);
  s.heavyAt = performance.now();
  // The first draw (which also sets up WebGL) counts as slow until a second one says otherwise.
  s.surfaceCost = s.heavyDraws < 2 ? s.heavyAt - t0 : 0.5 * s.surfaceCost + 0.5 * (s.heavyAt - t0);
  keep(s.heavyMs, s.heavyAt - t0);
  s.heavyDraws++;
  if (s.heavyInput !== null && s.heavyInput !== undefined) { keep(s.fullLatencies, s.heavyAt - s.heavyInput); s.heavyInput = null; }
}

function keep(list, value) { list.push(value); if (list.length > 500) list.shift(); }

function readout(s) {
  const P = s.P, run = s.run, n = run.thetas.length;
  s.alphaOut.textContent = `α = ${fmt(s.alpha)}`;
  const lim = (P.marks || []).find((m) => m.label.startsWith('α_max'));
  s.alphaNote.textContent = lim ? (s.alpha >= lim.alpha ? ' · above α_max: expect divergence' : ` · ${Math.round(100 * s.alpha / lim.alpha)}% of α_max`) : '';
  s.scrub.max = String(Math.max(n - 1, 0));
  s.scrub.value = String(s.step);
  s.stepOut.textContent = `step ${s.step} of ${Math.max(n - 1, 0)}`;
  s.status.textContent = run.message;
  s.status.dataset.status = run.status;
  s.play.textContent = s.playing ? 'Pause' : 'Play';
  s.play.setAttribute('aria-pressed', String(s.playing));
  s.inputs.forEach((box, k) => { if (document.activeElement !== box) box.value = String(s.theta0[k]); });
}

function say(s, text) { s.msg.textContent = text; s.msg.hidden = !text; }

// ----------------------------------------------------------------------------------------- input

function changed(s, what, e) {
  // Something the person did: recompute (what = 'path') or only move the markers, on the next frame.
  s.lastInput = performance.now();
  if (s.inputAt === null) s.inputAt = e && e.timeStamp ? e.timeStamp : performance.now();
  if (what === 'path') s.stale = true;
  if (what === 'path' && !s.playing) s.step = -1;   // a new run: show where it ends
  request(s);
}

function commit(s, delay) {
  // Send {alpha, theta0, step} to Python after `delay` ms of quiet (a newer commit restarts the wait).
  clearTimeout(s.commitTimer);
  s.commitTimer = setTimeout(() => {
    s.sent.push(JSON.stringify([s.alpha, s.theta0]));
    if (s.sent.length > 50) s.sent.shift();
    s.setTriggerValue('lab', {alpha: s.alpha, theta0: s.theta0.slice(), step: s.step});
  }, delay);
}

function onFrame(s) {
  // Resolve "the last step" once the path is known.
  if (s.stale) { s.run = path(s.P, s.alpha, s.theta0); s.stale = false; }
  const last = Math.max(s.run.thetas.length - 1, 0);
  if (s.step < 0 || s.step > last) s.step = last;
}

function pointer(s, e) {
  // Data coordinates (θ_i, θ_j) under the pointer on the contour, or null outside the plot area.
  const gd = s.plots.overlay, fl = gd._fullLayout;
  if (!fl || !fl.xaxis || !fl.yaxis) return null;
  const box = gd.getBoundingClientRect(), xa = fl.xaxis, ya = fl.yaxis;
  const px = e.clientX - box.left - xa._offset, py = e.clientY - box.top - ya._offset;
  if (px < 0 || py < 0 || px > xa._length || py > ya._length) return null;
  return [xa.p2c(px), ya.p2c(py)];
}

function moveStart(s, xy, e) {
  const P = s.P;
  let run0 = P.scaling ? toScaled(P.scaling, s.theta0) : s.theta0.slice();
  run0[P.i] = xy[0];
  run0[P.j] = xy[1];
  s.theta0 = P.scaling ? toOriginal(P.scaling, run0) : run0;
  changed(s, 'path', e);
}

function stopPlaying(s) {
  if (!s.playing) return;
  s.playing = false;
  s.live = false;
  commit(s, 0);
  request(s);
}

function tick(s, now) {
  if (!s.playing) return;
  const last = Math.max(s.run.thetas.length - 1, 0);
  s.carry += (now - s.playAt) / 1000 * s.speed;
  s.playAt = now;
  const whole = Math.floor(s.carry);
  if (whole > 0) { s.carry -= whole; s.step = Math.min(last, s.step + whole); s.played += whole; changed(s, 'step'); }
  if (s.step >= last) stopPlaying(s);
  else requestAnimationFrame((t) => tick(s, t));
}

function el(tag, className, parent, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function mount(parentElement) {
  const root = el('div', 'descent-lab', parentElement);
  const s = {root, P: null, key: null, prev: null, alpha: 0, theta0: [], step: -1, run: null, stale: true, frame: 0,
             live: false, playing: false, speed: 30, carry: 0, playAt: 0, played: 0, redraws: 0, heavyDraws: 0,
             heavyAt: -1e9, historyAt: -1e9, heavyTimer: 0, surfaceCost: 0, lastInput: -1e9, heavyInput: null, inputAt: null, latencies: [], fullLatencies: [],
             drawMs: [], heavyMs: [], commitTimer: 0, drag: false, figs: null, drawnKey: null,
             since: performance.now(), waitMs: 20000, sent: [], chunk: null, setTriggerValue: () => {}, inputs: []};
  root.__lab = s;  // for the browser tests: the state, the path, the redraw counts
  const bar = el('div', 'dl-alpha', root);
  const label = el('label', 'dl-label', bar, 'Learning rate α (log scale)');
  label.htmlFor = s.id = 'dl-alpha-' + Math.random().toString(36).slice(2);
  const track = el('div', 'dl-track', bar);
  s.slider = el('input', 'dl-slider', track);
  Object.assign(s.slider, {type: 'range', min: '0', step: '1', id: s.id});
  s.marks = el('div', 'dl-marks', track);
  const out = el('div', 'dl-readout', bar);
  s.alphaOut = el('output', 'dl-alpha-value', out);
  s.alphaNote = el('span', 'dl-alpha-note', out);
  const controls = el('div', 'dl-controls', root);
  s.back = el('button', 'dl-button', controls, '◀ Step');
  s.play = el('button', 'dl-button dl-play', controls, 'Play');
  s.fwd = el('button', 'dl-button', controls, 'Step ▶');
  s.back.setAttribute('aria-label', 'One step back');
  s.fwd.setAttribute('aria-label', 'One step forward');
  const speedLabel = el('label', 'dl-speed', controls, 'Speed ');
  s.speedBox = el('select', '', speedLabel);
  for (const [v, name] of SPEEDS) { const o = el('option', '', s.speedBox, `${name} (${v} steps/s)`); o.value = String(v); }
  s.speedBox.value = '30';
  s.scrub = el('input', 'dl-scrub', controls);
  Object.assign(s.scrub, {type: 'range', min: '0', step: '1'});
  s.scrub.setAttribute('aria-label', 'Step shown');
  s.stepOut = el('output', 'dl-step', controls);
  s.startBox = el('div', 'dl-start', root);
  s.status = el('div', 'dl-status', root);
  s.status.setAttribute('aria-live', 'polite');
  s.msg = el('div', 'dl-msg', root, 'Loading the charts…');
  const grid = el('div', 'dl-plots', root), lower = el('div', 'dl-plots', root);
  const stack = el('div', 'dl-stack', grid);
  s.lineStack = el('div', 'dl-stack dl-line-stack', lower);
  s.plots = {contour: el('div', 'dl-plot dl-contour', stack), overlay: el('div', 'dl-plot dl-overlay', stack),
             surface: el('div', 'dl-plot dl-surface', grid), history: el('div', 'dl-plot dl-history', lower),
             line: el('div', 'dl-plot dl-line', s.lineStack), lineTop: el('div', 'dl-plot dl-line-top', s.lineStack)};
  lower.appendChild(s.lineStack);  // after the cost plot
  // Text alternatives (role figure, as the page's live charts): the line chart's names the step shown.
  const words = {contour: 'Chart: contours of the cost J(θ) with the gradient-descent path, its start, the optimum θ̂ and the step shown.',
                 surface: 'Chart: the cost J(θ) as a 3D surface with the gradient-descent path on it and the step shown.',
                 history: 'Chart: the cost per iteration, J(θₖ) − J(θ̂) on a log scale, with the step shown.',
                 line: 'Chart: the model at the step shown, on the data.'};
  for (const [name, text] of Object.entries(words)) {
    const node = name === 'line' ? s.lineStack : s.plots[name];
    node.setAttribute('role', 'figure'); node.setAttribute('aria-label', text);
  }
  // The top layers: described with the chart under them.
  s.plots.overlay.setAttribute('aria-hidden', 'true');
  s.plots.lineTop.setAttribute('aria-hidden', 'true');
  if (typeof ResizeObserver === 'function') {
    let width = root.clientWidth;
    s.resize = new ResizeObserver(() => {
      const w = root.clientWidth;
      if (w && w !== width && window.Plotly) {
        width = w;
        Object.values(s.plots).forEach((p) => { if (p._fullLayout) window.Plotly.Plots.resize(p); });
      }
    });
    s.resize.observe(root);
  }

  s.slider.addEventListener('input', (e) => { s.alpha = s.P.alphas[Number(s.slider.value)]; changed(s, 'path', e); commit(s, COMMIT_MS); });
  s.slider.addEventListener('pointerdown', () => { s.live = true; });
  s.slider.addEventListener('pointerup', () => { s.live = false; request(s); });
  s.scrub.addEventListener('input', (e) => { stopPlaying(s); s.step = Number(s.scrub.value); changed(s, 'step', e); commit(s, COMMIT_MS); });
  s.play.addEventListener('click', () => {
    if (s.playing) { stopPlaying(s); return; }
    if (s.step >= s.run.thetas.length - 1) s.step = 0;
    Object.assign(s, {playing: true, live: true, carry: 0, playAt: performance.now()});
    requestAnimationFrame((t) => tick(s, t));
    request(s);
  });
  const nudge = (d, e) => { stopPlaying(s); s.step = Math.max(0, Math.min(s.run.thetas.length - 1, s.step + d)); changed(s, 'step', e); commit(s, COMMIT_MS); };
  s.back.addEventListener('click', (e) => nudge(-1, e));
  s.fwd.addEventListener('click', (e) => nudge(1, e));
  s.speedBox.addEventListener('change', () => { s.speed = Number(s.speedBox.value); });
  // θ₀ on the contour: press anywhere on the plot area to put it there, drag to move it; sent when let go.
  const plot = s.plots.overlay;
  plot.addEventListener('pointerdown', (e) => {
    const xy = s.P && pointer(s, e);
    if (!xy || e.button !== 0) return;
    e.preventDefault(); e.stopPropagation();
    stopPlaying(s);
    s.drag = true; s.live = true;
    try { plot.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer */ }
    moveStart(s, xy, e);
  }, true);
  plot.addEventListener('pointermove', (e) => {
    if (!s.drag) return;
    e.preventDefault(); e.stopPropagation();
    const xy = pointer(s, e);
    if (xy) moveStart(s, xy, e);
  }, true);
  const drop = () => { if (!s.drag) return; s.drag = false; s.live = false; request(s); commit(s, 0); };
  plot.addEventListener('pointerup', drop, true);
  plot.addEventListener('pointercancel', drop, true);
  return s;
}

function startInputs(s) {
  // One number box per coefficient (θ₀ in the user's units); rebuilt when the coefficients change.
  s.startBox.replaceChildren();
  el('span', 'dl-label', s.startBox, 'Start θ₀');
  s.inputs = s.theta0.map((v, k) => {
    const lab = el('label', 'dl-theta', s.startBox, coefficient(s.P, k, false, true) + ' ');
    const box = el('input', '', lab);
    Object.assign(box, {type: 'number', step: 'any', value: String(v)});
    box.addEventListener('input', (e) => {
      const x = Number(box.value);
      if (box.value.trim() === '' || !Number.isFinite(x)) return;
      s.theta0[k] = x;
      changed(s, 'path', e);
    });
    box.addEventListener('change', () => commit(s, 0));
    return box;
  });
}

function ticks(s) {
  // α_max and α* on the slider's track, where their values fall between the choices (log scale).
  const A = s.P.alphas, n = A.length;
  s.marks.replaceChildren();
  (s.P.marks || []).forEach((m, idx) => {
    if (m.alpha < A[0] || m.alpha > A[n - 1] || n < 2) return;
    let k = 0;
    while (k < n - 2 && A[k + 1] <= m.alpha) k++;
    const frac = (k + Math.log(m.alpha / A[k]) / Math.log(A[k + 1] / A[k])) / (n - 1);
    const tick = el('div', 'dl-mark' + (idx % 2 ? ' dl-mark-low' : ''), s.marks);
    tick.style.left = `calc(8px + ${frac} * (100% - 16px))`;
    el('span', 'dl-mark-label', tick, `${m.label} = ${fmt(m.alpha)}`);
    tick.title = m.title;
    tick.dataset.alpha = String(m.alpha);
  });
}

function nearest(A, alpha) {
  let best = 0;
  A.forEach((a, k) => { if (Math.abs(Math.log(a / alpha)) < Math.abs(Math.log(A[best] / alpha))) best = k; });
  return best;
}

function adopt(s, P) {
  // Take the payload: reset for a new problem; else take the α, θ₀ and step the server changed, unless they
  // are this lab's own choice coming back (a choice sent earlier must not undo one made since).
  const {alpha, theta0, step, ...rest} = P;
  const key = JSON.stringify(rest), mine = JSON.stringify([alpha, theta0]);
  const echo = s.sent.indexOf(mine), prev = s.prev;
  let fresh = true;  // something to redraw
  s.P = P;
  if (key !== s.key) {
    s.key = key;
    s.alpha = alpha; s.theta0 = theta0.slice(); s.step = step === null || step === undefined ? -1 : step;
    s.playing = false; s.stale = true; s.sent = [];
    s.lineStack.hidden = !P.line;
    s.slider.max = String(P.alphas.length - 1);
    ticks(s);
    startInputs(s);
  } else if (echo >= 0) {
    s.sent.splice(0, echo + 1);
    fresh = false;
  } else {
    fresh = false;
    if (JSON.stringify(prev.alpha) !== JSON.stringify(alpha)) { s.alpha = alpha; s.stale = fresh = true; }
    if (JSON.stringify(prev.theta0) !== JSON.stringify(theta0)) { s.theta0 = theta0.slice(); s.stale = fresh = true; }
    if (prev.step !== step && step !== null && step !== undefined) { s.step = step; fresh = true; }
  }
  s.prev = {alpha, theta0, step};
  s.slider.value = String(nearest(P.alphas, s.alpha));
  return fresh;
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  let s = STATES.get(parentElement);
  if (!s) { s = mount(parentElement); STATES.set(parentElement, s); }
  s.setTriggerValue = setTriggerValue;
  if (data && data.payload) {
    s.chunk = data.plotly_chunk || null;
    s.waitMs = Number(data.wait_ms) || 20000;
    if (data.payload.version !== 1) say(s, 'The descent lab was sent data in a format it does not know; reload the page.');
    else if (adopt(s, data.payload) || !s.run) request(s);
  }
  return () => {
    if (parentElement.isConnected && s.root.isConnected) return;
    clearTimeout(s.commitTimer);
    clearTimeout(s.heavyTimer);
    if (s.resize) s.resize.disconnect();
    s.playing = false;
    if (window.Plotly) Object.values(s.plots).forEach((p) => { try { window.Plotly.purge(p); } catch (e) { /* gone */ } });
    STATES.delete(parentElement);
  };
}

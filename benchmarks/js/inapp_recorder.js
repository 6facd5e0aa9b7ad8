// Installed once per tab: after an armed keydown, records in window.__ap each chart's redraws (afterplot
// or a resolved react/newPlot, + two frames), the run's end and the rerun request. Returns !!Plotly.
() => {
  if (window.__ap) return !!window.Plotly;
  const st = window.__ap = {t0: null, armed: false, seen: new WeakSet(), rec: {}, last: 0, idle: null, sent: null};
  function keyOf(gd) {
    const box = gd && gd.closest && gd.closest('[class*="st-key-"]');
    if (!box) return null;
    const c = Array.from(box.classList).find(c => c.startsWith('st-key-'));
    return c ? c.slice(7) : null;
  }
  function mark(gd, what) {
    if (st.t0 === null) return;
    const k = keyOf(gd);
    if (!k) return;
    const r = st.rec[k] = st.rec[k] || {after: [], paint: [], calls: 0};
    const t = performance.now();
    r.after.push(t); st.last = t;
    requestAnimationFrame(() => requestAnimationFrame(() => { const p = performance.now(); r.paint.push(p); st.last = p; }));
  }
  function listen(gd) {
    if (!gd || st.seen.has(gd) || typeof gd.on !== 'function') return;
    st.seen.add(gd);
    gd.on('plotly_afterplot', () => mark(gd, 'afterplot'));
  }
  function attach() { document.querySelectorAll('.js-plotly-plot').forEach(listen); }
  function wrap() {
    const P = window.Plotly;
    if (!P || P.__benchWrapped) return !!P;
    for (const name of ['react', 'newPlot']) {
      const orig = P[name];
      P[name] = function (gd, ...rest) {
        const el = typeof gd === 'string' ? document.getElementById(gd) : gd;
        if (st.t0 !== null) { const k = keyOf(el); if (k && st.rec[k]) st.rec[k].calls++; }
        const out = orig.call(this, gd, ...rest);
        Promise.resolve(out).then(() => { listen(el); mark(el, name); }, () => {});
        return out;
      };
    }
    P.__benchWrapped = true;
    return true;
  }
  attach();
  new MutationObserver(attach).observe(document.body, {childList: true, subtree: true});
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    if (st.t0 !== null && app.getAttribute('data-test-script-state') === 'notRunning') {
      st.idle = performance.now(); st.last = Math.max(st.last, st.idle);
    }
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  document.addEventListener('keydown', () => {
    if (st.armed) { st.t0 = performance.now(); st.last = st.t0; st.armed = false; }
  }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    if (st.t0 !== null && st.sent === null) st.sent = performance.now();
    return send.apply(this, args);
  };
  window.__apWrap = wrap;
  return wrap();
}

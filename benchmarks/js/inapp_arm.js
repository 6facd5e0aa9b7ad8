// Arms window.__ap for the next keydown: clears its records and marks the plot divs of `keys` (to see
// remounts later). Returns nothing.
(keys) => { window.__apWrap(); const s = window.__ap; s.rec = {}; s.t0 = null; s.idle = null; s.sent = null;
  s.armed = true;
  keys.forEach(k => { const gd = document.querySelector('.st-key-' + k + ' .js-plotly-plot'); if (gd) gd.__benchMark = 1; }); }

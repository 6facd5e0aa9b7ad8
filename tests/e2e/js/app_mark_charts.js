// Remembers the surface's plot div and WebGL canvas and the other charts' divs; returns whether all exist.
() => {
  const gd = document.querySelector('.st-key-surface .js-plotly-plot');
  const canvas = gd.querySelector('.gl-container canvas');
  window.__surfaceGd = gd; window.__surfaceCanvas = canvas;
  window.__otherGds = ['contour', 'history', 'fit_at_step'].map(
    k => document.querySelector('.st-key-' + k + ' .js-plotly-plot'));
  return !!(gd && canvas && window.__otherGds.every(Boolean));
}

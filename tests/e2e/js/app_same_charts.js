// Whether the surface's div and canvas and the other charts are those app_mark_charts.js remembered;
// also the camera eye and the descent path's x values.
() => {
  const gd = document.querySelector('.st-key-surface .js-plotly-plot');
  const canvas = gd && gd.querySelector('.gl-container canvas');
  const others = ['contour', 'history', 'fit_at_step'].map(
    k => document.querySelector('.st-key-' + k + ' .js-plotly-plot'));
  return {sameDiv: gd === window.__surfaceGd, sameCanvas: canvas === window.__surfaceCanvas,
          sameOthers: others.every((g, i) => g === window.__otherGds[i]),
          connected: !!(window.__surfaceCanvas && window.__surfaceCanvas.isConnected),
          eye: gd._fullLayout.scene.camera.eye,
          pathX: Array.from(gd._fullData.find(t => (t.name || '').startsWith('gradient-descent path')).x)};
}

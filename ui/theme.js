// App-wide behaviour the theme's CSS cannot give (ui/theme.py sends this once per run; it installs once
// per browser tab).
//
// 1. A display formula that scrolls sideways (wider than its column) gets tabindex="0", a role and a
//    name, so a keyboard user can focus it and scroll it with the arrow keys (axe rule
//    scrollable-region-focusable). A formula that fits loses them again.
// 2. On a touch screen one finger on a plotly chart scrolls the page and two fingers work the chart
//    (rotate a 3D scene, zoom a 2D plot), as on a map. Plotly's 3D camera calls preventDefault on every
//    touchmove and its 2D drag layer on touchstart (plotly.js issues 2844 and 6902), which traps the
//    page's scrolling on a phone; CSS touch-action cannot undo that, and config.scrollZoom only
//    concerns the mouse wheel. So single-finger touches on a chart's plot area are not passed on to
//    plotly (the legend and the mode bar still get theirs).
(() => {
  if (window.__linregTheme) return;
  window.__linregTheme = true;

  const LABEL = 'Formula, wider than the page: scroll sideways to see all of it';

  function markScrollingFormulas() {
    document.querySelectorAll('.katex-display').forEach((el) => {
      const scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute('tabindex')) {
        el.setAttribute('tabindex', '0');
        el.setAttribute('role', 'region');
        el.setAttribute('aria-label', LABEL);
      } else if (!scrolls && el.getAttribute('aria-label') === LABEL) {
        el.removeAttribute('tabindex');
        el.removeAttribute('role');
        el.removeAttribute('aria-label');
      }
    });
  }

  let queued = false;
  function schedule() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; markScrollingFormulas(); });
  }
  new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
  window.addEventListener('resize', schedule);
  schedule();

  function oneFingerOnPlot(ev) {
    if (ev.touches.length !== 1 || !(ev.target instanceof Element)) return false;
    const plot = ev.target.closest('.js-plotly-plot');
    return !!plot && !ev.target.closest('.legend, .modebar, .updatemenu-container, .slider-container');
  }
  for (const type of ['touchstart', 'touchmove']) {
    document.addEventListener(type, (ev) => { if (oneFingerOnPlot(ev)) ev.stopPropagation(); },
                              {capture: true, passive: true});
  }
})();

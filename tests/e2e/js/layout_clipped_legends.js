// The st-keys of the main area's charts whose legend runs past the chart's SVG.
() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot:not(.dl-plot)')].filter((g) => {
  const leg = g.querySelector('.legend'), svg = g.querySelector('.main-svg');
  if (!leg || !svg) return false;
  const l = leg.getBoundingClientRect(), s = svg.getBoundingClientRect();
  return l.left < s.left - 1 || l.right > s.right + 1 || l.top < s.top - 1 || l.bottom > s.bottom + 1;
}).map(g => { const k = g.closest('[class*="st-key-"]'); return k ? k.className.match(/st-key-(\S+)/)[1] : '?'; })

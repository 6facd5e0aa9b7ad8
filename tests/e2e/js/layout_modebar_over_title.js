// {charts, bad}: how many charts have a modebar and a title; those whose modebar or an annotation covers
// the title, or whose title is wider than the chart.
() => {
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom].map(Math.round); };
  const charts = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot:not(.dl-plot)')]
    .filter((g) => g.getClientRects().length && g.querySelector('.modebar') && g.querySelector('.gtitle'));
  const bad = charts.map((g) => {
    // The modebar shows on hover only (opacity 0 otherwise): show it for the measurement.
    g.querySelectorAll('.modebar-container, .modebar').forEach((m) => { m.style.opacity = '1'; m.style.visibility = 'visible'; });
    const m = rect(g.querySelector('.modebar')), t = rect(g.querySelector('.gtitle'));
    g.querySelectorAll('.modebar-container, .modebar').forEach((e) => { e.style.opacity = ''; e.style.visibility = ''; });
    const k = g.closest('[class*="st-key-"]'), key = k ? k.className.match(/st-key-(\S+)/)[1] : '?';
    const over = (a) => Math.min(a[2], t[2]) - Math.max(a[0], t[0]) > 1 && Math.min(a[3], t[3]) - Math.max(a[1], t[1]) > 1;
    // Nor may a note written above the plot (an annotation) run into the title.
    const notes = [...g.querySelectorAll('.annotation-text-g')].map((a) => [a.textContent, rect(a)]).filter(([, r]) => over(r));
    // Titles do not wrap in plotly: a title or subtitle wider than the chart is cut at its edge.
    const svg = rect(g.querySelector('.main-svg'));
    const wide = [...g.querySelectorAll('.gtitle, .gtitle-subtitle')].filter((e) => { const r = rect(e); return r[2] > svg[2] + 1 || r[0] < svg[0] - 1; });
    return [over(m) ? key + ': modebar ' + m + ' over title ' + t : null,
            ...notes.map(([text, r]) => key + ': annotation "' + text + '" ' + r + ' over title ' + t),
            ...wide.map((e) => key + ': title wider than the chart: "' + e.textContent.slice(0, 40) + '"')];
  }).flat().filter(Boolean);
  return {charts: charts.length, bad};
}

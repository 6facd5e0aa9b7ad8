// Layout problems as sentences: sideways scrolling, formulas past or clipped in their column, charts wider
// than their column and (with checkTables) tables hiding columns.
(checkTables) => {
  const out = [];
  const key = (e) => { const k = e.closest('[class*="st-key-"]'); return k ? k.className.match(/st-key-(\S+)/)[1] : ''; };
  const over = document.documentElement.scrollWidth - window.innerWidth;
  if (over > 1) out.push('the page scrolls sideways by ' + over + ' px');
  const main = document.querySelector('[data-testid="stMain"]');
  if (main.scrollWidth > main.clientWidth + 1) out.push('the main area scrolls sideways by ' + (main.scrollWidth - main.clientWidth) + ' px');
  document.querySelectorAll('.katex-display').forEach((k) => {
    if (!k.clientWidth) return;
    const box = k.parentElement.getBoundingClientRect(), r = k.getBoundingClientRect();
    if (r.right > box.right + 1 || r.left < box.left - 1) out.push('formula wider than its column: ' + k.textContent.slice(0, 30));
    if (k.scrollWidth > k.clientWidth + 1) {
      const ox = getComputedStyle(k).overflowX;
      if (ox !== 'auto' && ox !== 'scroll') out.push('formula clipped (overflow-x ' + ox + '): ' + k.textContent.slice(0, 30));
      else if (k.tabIndex < 0) out.push('formula scrolls but cannot take keyboard focus: ' + k.textContent.slice(0, 30));
      const bar = getComputedStyle(k);
      if (bar.scrollbarWidth === 'none' || /^rgba\([^)]*,\s*0\)/.test(bar.scrollbarColor))
        out.push('formula scrolls without a visible scrollbar: ' + k.textContent.slice(0, 30));
    }
  });
  // Not the instant lab's charts (.dl-plot): they sit in a closed expander; its own tests check them.
  [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot:not(.dl-plot)')].forEach((g) => {
    const r = g.getBoundingClientRect(), box = g.closest('[data-testid="stElementContainer"]').getBoundingClientRect();
    if (r.right > box.right + 1 || r.right > window.innerWidth + 1) out.push('chart ' + key(g) + ' wider than its column');
  });
  if (checkTables) document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]').forEach((f) => {
    const s = f.querySelector('.dvn-scroller');
    if (s && s.clientWidth && s.scrollWidth > s.clientWidth + 1)
      out.push('table ' + (key(f) || f.innerText.split('\n')[0]) + ' hides ' + (s.scrollWidth - s.clientWidth) + ' px of columns');
  });
  return out;
}

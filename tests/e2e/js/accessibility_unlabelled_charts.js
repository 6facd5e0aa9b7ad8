// The st-keys of the main area's plotly charts with no aria-label(ledby) and no caption after them.
() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot:not(.dl-plot)')].filter(g => {
  const box = g.closest('[data-testid="stElementContainer"]');
  for (let a = g; a && a !== box.parentElement; a = a.parentElement) {
    if (a.getAttribute('aria-label') || a.getAttribute('aria-labelledby')) return false;
  }
  const next = box.nextElementSibling;
  return !(next && next.querySelector('[data-testid="stCaptionContainer"]'));
}).map(g => { const k = g.closest('[class*="st-key-"]'); return k ? k.className.match(/st-key-(\S+)/)[1] : '(no key)'; })

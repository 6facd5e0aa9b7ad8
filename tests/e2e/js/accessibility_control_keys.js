// The st-keys of the first n visible controls in the main area, in document order.
(n) => [...document.querySelectorAll('[data-testid="stMain"] [class*="st-key-"]')].filter(el =>
    !el.querySelector('[class*="st-key-"]') && !el.querySelector('.js-plotly-plot') && el.getClientRects().length
    && el.querySelector('input, button, textarea, [role="slider"]'))
  .slice(0, n).map(el => el.className.match(/st-key-(\S+)/)[1])

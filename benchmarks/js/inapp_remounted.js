// Per chart key: true if its plot div is a new element (remounted) since inapp_arm.js marked it.
(keys) => keys.map(k => { const gd = document.querySelector('.st-key-' + k + ' .js-plotly-plot');
  return !(gd && gd.__benchMark === 1); })

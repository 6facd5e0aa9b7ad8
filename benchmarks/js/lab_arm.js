// Before a keydown on the instant lab's α slider: remembers its latency count (returned) and records the
// keydown's page time in window.__labT0.
() => { const s = document.querySelector('.descent-lab').__lab; window.__labN = s.latencies.length;
  window.__labT0 = null;
  if (!window.__labKey) { window.__labKey = true;
    document.addEventListener('keydown', () => { if (window.__labT0 === null) window.__labT0 = performance.now(); }, true); }
  return window.__labN; }

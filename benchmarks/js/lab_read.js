// Waits (10 s at most) for the instant lab's redraw after the keydown, then two frames; returns {painted:
// keydown to painted ms, redraw: the lab's own input→redraw ms}, or null if it did not redraw.
async () => { const s = document.querySelector('.descent-lab').__lab;
  const frame = () => new Promise(r => requestAnimationFrame(r));
  const until = performance.now() + 10000;
  while (s.latencies.length <= window.__labN && performance.now() < until) await frame();
  if (s.latencies.length <= window.__labN) return null;
  await frame(); await frame();
  return {painted: performance.now() - window.__labT0, redraw: s.latencies[s.latencies.length - 1]}; }

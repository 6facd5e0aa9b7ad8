// True once every chart in `keys` has painted, the run is over, and nothing was redrawn for `quiet` ms.
([keys, quiet]) => { const s = window.__ap; if (s.t0 === null || s.idle === null) return false;
  if (!keys.every(k => s.rec[k] && s.rec[k].paint.length)) return false;
  return performance.now() - s.last > quiet; }

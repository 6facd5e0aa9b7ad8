// On each animation frame for up to ms (or until the surface showed `surfaces` steps): the step each
// chart shows and the fitted line's heights and label; returns the list.
async ([ms, surfaces]) => {
    const s = document.querySelector('.descent-lab').__lab, P = s.plots, out = [], seen = new Set();
    const step = (name) => Number(/step (\d+)/.exec(name)[1]);
    const t0 = performance.now();
    while (performance.now() - t0 < ms && seen.size < surfaces) {
        await new Promise((r) => requestAnimationFrame(() => r()));
        const line = P.lineTop.data[0];
        out.push({overlay: step(P.overlay.data[P.overlay.data.length - 1].name),
                  surface: step(P.surface.data[P.surface.data.length - 1].name),
                  history: P.history.data[1].x[0], line: line.meta, y: line.y.slice(),
                  label: s.lineStack.getAttribute('aria-label')});
        seen.add(out[out.length - 1].surface);
    }
    return out;
}

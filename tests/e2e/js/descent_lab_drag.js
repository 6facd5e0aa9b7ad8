// Drags the lab's start from a to b by pointer events every frameMs for 1.5 s; returns the redraws,
// seconds, redraws per second, distinct starts and draw times.
async ([frameMs, a, b]) => {
    const s = document.querySelector('.descent-lab').__lab, gd = document.querySelector('.dl-overlay');
    const fire = (type, xy) => gd.dispatchEvent(new PointerEvent(type, {clientX: xy[0], clientY: xy[1],
        pointerId: 7, button: 0, buttons: 1, bubbles: true, cancelable: true}));
    fire('pointerdown', a);
    const n0 = s.redraws, t0 = performance.now(), starts = new Set();
    for (let k = 0; performance.now() - t0 < 1500; k++) {
        const f = (k % 60) / 60;
        fire('pointermove', [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])]);
        starts.add(s.theta0.join());
        await new Promise((r) => setTimeout(r, frameMs));
    }
    await new Promise((r) => requestAnimationFrame(() => r()));
    const seconds = (performance.now() - t0) / 1000, redraws = s.redraws - n0;
    fire('pointerup', b);
    return {redraws, seconds, perSecond: redraws / seconds, starts: starts.size,
            drawMs: s.drawMs.slice(-redraws).map(Math.round)};
}

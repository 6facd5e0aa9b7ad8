// Sets window.__roundTrip: a promise of the ms from the next keydown until the "trivial=" text changes.
() => { window.__roundTrip = new Promise((resolve) => {
    let t0 = null;
    document.addEventListener('keydown', (e) => { t0 = e.timeStamp; }, {capture: true, once: true});
    const line = () => [...document.querySelectorAll('[data-testid="stText"]')]
        .find((el) => el.textContent.startsWith('trivial='));
    const before = line().textContent;
    const seen = new MutationObserver(() => {
        const now = line();
        if (t0 !== null && now && now.textContent !== before) { seen.disconnect(); resolve(performance.now() - t0); }
    });
    seen.observe(document.body, {subtree: true, childList: true, characterData: true});
}); }

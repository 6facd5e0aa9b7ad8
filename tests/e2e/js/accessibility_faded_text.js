// Text faded by opacity or a translucent colour whose contrast on its background is under minSmall
// (minLarge for large text); returns [{text, ratio, color, opacity, background}].
([minSmall, minLarge]) => {
  const parse = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bad = [];
  const texts = document.querySelectorAll('[data-testid="stApp"] *');
  for (const el of texts) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest('svg, canvas, [disabled], [aria-disabled="true"], [aria-hidden="true"], .katex-html')) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    // Icons drawn from an icon font beside a text label are decorative (WCAG 1.4.11 has no 4.5:1 for them).
    if (!r.width || !r.height || cs.visibility !== 'visible' || /Material Symbols/.test(cs.fontFamily)) continue;
    let opacity = 1, bg = null;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      opacity *= Number(s.opacity);
      const c = parse(s.backgroundColor);
      if (!bg && c[3] === 1) bg = c;
    }
    const fg = parse(cs.color), alpha = fg[3] * opacity;
    if (alpha === 0 || alpha === 1) continue;  // not faded: axe's own check covers it
    bg = bg || [255, 255, 255, 1];
    const seen = [0, 1, 2].map(i => alpha * fg[i] + (1 - alpha) * bg[i]);
    const [l1, l2] = [lum(seen), lum(bg)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize), bold = Number(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? minLarge : minSmall;
    if (ratio < need) bad.push({text: el.textContent.trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100,
                                color: cs.color, opacity: Math.round(opacity * 100) / 100,
                                background: 'rgb(' + bg.slice(0, 3).join(', ') + ')'});
  }
  return bad;
}

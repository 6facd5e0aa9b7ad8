// The step each lab plot marks, read from what Plotly drew, and whether the markers sit at θ_k.
() => {
        const s = document.querySelector('.descent-lab').__lab, P = s.plots, k = s.step, th = s.run.thetas[k];
        const last = (gd) => gd.data[gd.data.length - 1];
        const o = last(P.overlay), sf = last(P.surface), h = P.history.data[1];
        return {step: k, overlay: o.name, surface: sf.name, history: h.x[0],
                at: [o.x[0] === th[0] && o.y[0] === th[1], sf.x[0] === th[0] && sf.y[0] === th[1]]};
    }

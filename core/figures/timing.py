"""Timing figures: wall-clock time to fit against the number of rows, per method."""

from __future__ import annotations

import plotly.graph_objects as go

from .style import DASHES, OKABE_ITO, PALETTE, as_f8, finish

__all__ = ["scaling_plot"]

_METHOD_COLOURS = {
    "normal equation": PALETTE["fit"],
    "gradient descent": PALETTE["iterate"],
}


def scaling_plot(df, *, title: str | None = None, height: int = 440, uirevision="scaling_plot") -> go.Figure:
    """Wall-clock seconds against the number of rows m, log–log.

    One colour per method, one dash style per number of features n.

    Parameters
    ----------
    df : pandas.DataFrame
        Columns ``m``, ``n``, ``method``, ``seconds`` (as returned by
        ``core.compare.scaling_benchmark``).
    title : str, optional
    height : int, default 440
    uirevision : hashable, default "scaling_plot"

    Returns
    -------
    plotly.graph_objects.Figure

    Raises
    ------
    ValueError
        If a required column is missing.
    """
    missing = [c for c in ("m", "n", "method", "seconds") if c not in df.columns]
    if missing:
        raise ValueError(f"scaling_plot needs columns m, n, method, seconds; missing {missing}.")
    fig = go.Figure()
    methods = list(dict.fromkeys(df["method"].astype(str)))
    n_values = sorted(df["n"].unique())
    others = iter([c for c in OKABE_ITO[1:] if c not in _METHOD_COLOURS.values()] * 4)
    colours = {mth: _METHOD_COLOURS.get(mth.lower()) or next(others) for mth in methods}
    for method in methods:
        for n_index, n in enumerate(n_values):
            part = df[(df["method"].astype(str) == method) & (df["n"] == n)].sort_values("m")
            if part.empty:
                continue
            label = f"{method}, n = {n}" if len(n_values) > 1 else method
            fig.add_trace(go.Scatter(
                x=as_f8(part["m"].to_numpy()), y=as_f8(part["seconds"].to_numpy()),
                mode="lines+markers", name=label, legendgroup=method,
                line=dict(color=colours[method], dash=DASHES[n_index % len(DASHES)], width=2),
                marker=dict(color=colours[method], size=7),
                hovertemplate=f"{method}, n = {n}<br>m = %{{x:,}}<br>%{{y:.3g}} s<extra></extra>",
            ))
    if df.empty:
        fig.add_annotation(text="No timings yet.", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return finish(fig, title=title or "Time to fit against number of rows", height=height,
                  uirevision=uirevision, xaxis_title="rows m (log scale)",
                  yaxis_title="wall-clock time, seconds (log scale)", xaxis_type="log", yaxis_type="log")

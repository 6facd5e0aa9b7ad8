"""Run histories: the cost per iteration of one or several runs, and how each ended.

:func:`cost_history` draws every run's ``J(θₖ)`` (or, given the optimum, the
optimality gap ``J(θₖ) − J(θ̂)``) on one log-scale axis. One run is drawn as
the page has always drawn it (one line, its end marked in the colour of its
status, the status in words above the plot, no legend); several runs get a
colour and a legend entry each, their ends marked with a symbol per status.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from .style import PALETTE, RunStyle, as_f8, check_runs, finish, run_styles

__all__ = ["cost_history", "convergence_plot", "STATUS_TEXT"]

#: How each run status is said on the figure.
STATUS_TEXT = {
    "converged": "converged",
    "max_iterations": "stopped at the iteration limit",
    "diverged": "diverged",
}
#: End-marker symbol per status when several runs share the plot (colour then means the run).
_STATUS_SYMBOL = {"converged": "circle", "max_iterations": "square", "diverged": "x"}


def _floor(costs: list[np.ndarray], cost_min: float | None) -> float:
    """The round-off level below which values are floored (a log axis cannot show 0)."""
    finite = np.concatenate([c[np.isfinite(c)] for c in costs]) if costs else np.empty(0)
    if cost_min is not None:
        scale = abs(cost_min) or (float(np.max(np.abs(finite))) if finite.size else 1.0)
    else:
        positive = finite[finite > 0]
        scale = float(positive.max()) if positive.size else 1.0
    return max(np.finfo(np.float64).eps * scale, np.finfo(np.float64).tiny)


def cost_history(runs: Sequence, optimum=None, *, title: str | None = None, height: int = 380,
                 uirevision="cost_history") -> go.Figure:
    """Cost per iteration of each run on a log y-axis, and how each run ended.

    Parameters
    ----------
    runs : sequence of Trace
        ``costs`` (k+1,), ``status``, ``iterations``, ``message``, ``label``.
        May be empty; a single trace (not in a list) raises TypeError.
    optimum : Optimum, optional
        ``(θ̂, J(θ̂))``. If given, the plot shows the optimality gap
        ``J(θ_k) − J(θ̂)``, floored at a round-off level (machine epsilon
        times the cost's scale) because a log axis cannot show zero or the
        negative noise of subtracting nearly equal numbers.
    title : str, optional
    height : int, default 380
    uirevision : hashable, default "cost_history"

    Returns
    -------
    plotly.graph_objects.Figure
    """
    runs = check_runs(runs)
    cost_min = None if optimum is None else float(optimum.cost)
    costs = [as_f8(run.costs) for run in runs]
    floor = _floor(costs, cost_min)
    if cost_min is not None:
        y_title, one_name = "optimality gap J(θₖ) − J(θ̂)  (log scale)", "J(θₖ) − J(θ̂)"
    else:
        y_title, one_name = "cost J(θₖ)  (log scale)", "J(θₖ)"
    several = len(runs) > 1
    styles = run_styles(runs) if several else [RunStyle(PALETTE["path"], "solid", one_name)] * len(runs)

    fig = go.Figure()
    any_floored = False
    for run, values, style in zip(runs, costs, styles):
        values = values - cost_min if cost_min is not None else values.copy()
        floored = np.isfinite(values) & (values < floor)
        any_floored |= bool(floored.any())
        values = np.where(floored, floor, values)
        status = str(run.status)
        status_text = STATUS_TEXT.get(status, status or "finished")
        group = dict(legendgroup=style.name) if several else {}
        line = dict(color=style.colour, width=2, **({} if style.dash == "solid" else {"dash": style.dash}))
        fig.add_trace(go.Scatter(x=np.arange(values.size), y=values, mode="lines", name=style.name, line=line,
                                 hovertemplate=f"{style.name}<br>" * several + "step %{x}<br>%{y:.4g}<extra></extra>",
                                 **group))
        finite = np.flatnonzero(np.isfinite(values))
        if finite.size:
            last = int(finite[-1])
            end = (dict(color=style.colour, symbol=_STATUS_SYMBOL.get(status, "circle"))
                   if several else dict(color=PALETTE.get(status, PALETTE["reference"]), symbol="circle"))
            fig.add_trace(go.Scatter(x=np.array([last]), y=as_f8([values[last]]), mode="markers",
                                     name=f"{style.name}: {status_text} (step {last})" if several
                                     else f"{status_text} (step {last})",
                                     marker=dict(size=11, line=dict(color=PALETTE["reference"], width=1), **end),
                                     hovertext=[str(run.message)], hoverinfo="text",
                                     **(dict(group, showlegend=False) if several else {})))
    if any_floored:
        fig.add_hline(y=floor, line=dict(color=PALETTE["grid"], width=1, dash="dot"),
                      annotation_text="round-off floor", annotation_position="bottom left")
    if runs:
        fig.add_annotation(**_outcome(runs), xref="paper", yref="paper", x=1.0, y=1.0, xanchor="right",
                           yanchor="bottom", showarrow=False)
    else:
        fig.add_annotation(text="No runs to show.", xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False)
    return finish(fig, title=title or "Gradient descent: cost per iteration", height=height,
                  uirevision=uirevision, xaxis_title="iteration k", yaxis_title=y_title,
                  yaxis_type="log", showlegend=several,
                  margin=dict(t=82))  # the outcome's line above the plot, under the title (under the modebar)


def _outcome(runs: list) -> dict:
    """The annotation saying how the run ended (one run), or how many runs ended how (several)."""
    if len(runs) == 1:
        status = str(runs[0].status)
        text = STATUS_TEXT.get(status, status or "finished")
        return dict(text=f"<b>{text}</b> after {runs[0].iterations} iteration(s)",
                    font=dict(color=PALETTE.get(status, PALETTE["reference"]), size=13))
    counts: dict[str, int] = {}
    for run in runs:
        text = STATUS_TEXT.get(str(run.status), str(run.status) or "finished")
        counts[text] = counts.get(text, 0) + 1
    summary = ", ".join(f"{n} {text}" for text, n in counts.items())
    return dict(text=f"<b>{summary}</b> ({len(runs)} runs)", font=dict(color=PALETTE["reference"], size=13))


def convergence_plot(runs: Sequence, series: Sequence, rate=None, *, title: str | None = None,
                     height: int = 380, uirevision="convergence") -> go.Figure:
    """How fast each run closes in: ‖θₖ − θ̂‖ (solid) and J(θₖ) − J(θ̂) (dotted), log scale.

    Parameters
    ----------
    runs : sequence of Trace
        For the colours and legend names.
    series : sequence of Convergence
        ``(distance, gap)`` per run (:func:`core.convergence.convergence`), already floored.
    rate : ndarray, optional
        Batch descent's predicted distance ‖θ₀ − θ̂‖·rateᵏ for the first run (dashed).
    title : str, optional
    height : int, default 380
    uirevision : hashable

    Returns
    -------
    plotly.graph_objects.Figure
    """
    runs = check_runs(runs)
    fig = go.Figure()
    for style, (distance, gap) in zip(run_styles(runs), series):
        steps = np.arange(len(distance))
        fig.add_trace(go.Scatter(x=steps, y=as_f8(distance), mode="lines", name=f"‖θₖ − θ̂‖, {style.name}",
                                 line=dict(color=style.colour, width=2),
                                 hovertemplate="step %{x}<br>‖θ − θ̂‖ = %{y:.3g}<extra></extra>"))
        fig.add_trace(go.Scatter(x=steps, y=as_f8(gap), mode="lines", name=f"J(θₖ) − J(θ̂), {style.name}",
                                 line=dict(color=style.colour, width=1.5, dash="dot"),
                                 hovertemplate="step %{x}<br>J − J(θ̂) = %{y:.3g}<extra></extra>"))
    if rate is not None:
        fig.add_trace(go.Scatter(x=np.arange(len(rate)), y=as_f8(rate), mode="lines",
                                 name="theory for batch descent: ‖θ₀ − θ̂‖·rateᵏ",
                                 line=dict(color=PALETTE["reference"], width=1, dash="dash")))
    return finish(fig, title=title or "Convergence: distance to θ̂ and cost above the minimum", height=height,
                  uirevision=uirevision, xaxis_title="iteration k", yaxis_title="log scale",
                  yaxis_type="log")

"""The figures' shared look: colours, labels, the template and the common layout.

Every figure module draws with what is here, so all figures agree on what a
colour means (:data:`PALETTE`), how a coefficient is named
(:func:`coefficient_label`), which colour each of several runs gets
(:func:`run_styles`), and how a figure is finished (:func:`finish`: template,
title, height, ``uirevision``, legend under the plot).

Arrays are handed to plotly as contiguous numpy arrays (:func:`as_f8`,
:func:`as_f4`), so plotly 7 serialises them as base64 typed arrays
(``{"dtype", "bdata", "shape"}``) instead of long JSON lists.
"""

from __future__ import annotations

import copy
import re
from typing import NamedTuple, Sequence

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

__all__ = [
    "OKABE_ITO", "PALETTE", "RUN_COLOURS", "DASHES", "RunStyle", "as_f8", "as_f4", "describe", "inert", "pretty_name",
    "coefficient_label", "axis_title", "run_styles", "check_runs", "finish",
]

#: The eight Okabe–Ito colours, in their usual order.
OKABE_ITO = (
    "#000000",  # black
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
)

#: Colours by role. Every colour is an Okabe–Ito colour; ``surface`` is a
#: plotly colour-scale name (Cividis: designed for colour-vision deficiency).
PALETTE: dict[str, str] = {
    "data": "#0072B2",          # observations
    "fit": "#D55E00",           # the normal-equation fit
    "iterate": "#009E73",       # gradient descent in data space and in timings
    "path": "#E69F00",          # the gradient-descent path over the cost
    "optimum": "#F0E442",       # θ̂ (drawn with a black outline)
    "start": "#CC79A7",         # θ₀ of gradient descent
    "reference": "#000000",     # zero line, y = x diagonal, outlines
    "grid": "#56B4E9",          # secondary guide lines (round-off floor)
    "converged": "#009E73",
    "max_iterations": "#E69F00",
    "diverged": "#D55E00",
    "surface": "Cividis",
}

#: The colours of several gradient-descent runs, in the order runs get them: the path's own
#: colour first (so one run looks as it always did), then the colours no marker of the cost
#: figures uses, then those reserved for data, fit, start, outlines and θ̂ (yellow, the
#: hardest to see on white, last). Runs beyond eight repeat the colours with another dash.
RUN_COLOURS = (
    PALETTE["path"],       # orange
    PALETTE["iterate"],    # bluish green
    PALETTE["grid"],       # sky blue
    PALETTE["data"],       # blue
    PALETTE["fit"],        # vermillion
    PALETTE["start"],      # reddish purple
    PALETTE["reference"],  # black
    PALETTE["optimum"],    # yellow
)

DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
TEMPLATE = "plotly_white"
#: Height in px of the row at the top of every chart kept free for plotly's modebar (its icons are
#: 26 px tall, 2 px from the top); titles start under it, 8 px lower.
MODEBAR_ROW = 36
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_TEMPLATE_JSON: dict | None = None


class RunStyle(NamedTuple):
    """How one of several runs is drawn: its colour, its dash and its legend name."""

    colour: str
    dash: str
    name: str


def as_f8(values) -> np.ndarray:
    """Contiguous float64 numpy array (serialised by plotly as a typed array)."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float64))


def as_f4(values) -> np.ndarray:
    """Contiguous float32 numpy array, for values drawn but never read back exactly."""
    return np.ascontiguousarray(np.asarray(values, dtype=np.float32))


def inert(text) -> str:
    """User text for a figure, shown as text: plotly reads ``<b>``, ``<a href>`` and entities in
    titles, legends and labels, so ``&``, ``<`` and ``>`` are escaped, and control characters
    become spaces.

    >>> inert('<a href="x">a & b</a>')
    '&lt;a href="x"&gt;a &amp; b&lt;/a&gt;'
    """
    text = re.sub(r"[\x00-\x1f\x7f]", " ", str(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def describe(fig: go.Figure) -> str:
    """A figure's text alternative: its title and what it draws (the legend names), as plain text.

    >>> f = go.Figure(go.Scatter(name="data")); _ = f.update_layout(title=dict(text="y against x"))
    >>> describe(f)
    'Chart: y against x. Shows: data.'
    >>> _ = f.update_layout(title_text="Cost<br>over θ₀<br><sup>a slice</sup>"); describe(f)
    'Chart: Cost over θ₀ — a slice. Shows: data.'
    """
    title = getattr(fig.layout.title, "text", None) or "a chart"
    names = list(dict.fromkeys(t.name for t in fig.data if t.name and t.showlegend is not False))
    text = f"Chart: {title}." + (f" Shows: {', '.join(names)}." if names else "")
    text = re.sub(r"<br\s*/?>\s*(?=<su[bp]>)", " — ", text)  # a note set under the title
    text = re.sub(r"<br\s*/?>", " ", text)  # a title broken into lines to fit a narrow chart
    text = re.sub(r"<[^>]+>", "", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def pretty_name(name: str) -> str:
    """A column name for a figure, as inert text: ``"x^2"`` → ``"x²"``, ``"<b>"`` → ``"&lt;b&gt;"``."""
    return inert(re.sub(r"\^(\d+)$", lambda m: m.group(1).translate(_SUPERSCRIPT), str(name)))


def coefficient_label(index: int, name: str) -> str:
    """Axis title for a coefficient, e.g. ``"θ₀ (intercept)"``, ``"θ₁ (hours)"``.

    Parameters
    ----------
    index : int
        Position of the coefficient in θ.
    name : str
        The design column's name (``"1"`` is the intercept's column).

    Returns
    -------
    str
    """
    theta = "θ" + str(int(index)).translate(_SUBSCRIPT)
    label = "intercept" if str(name) in ("1", "intercept", "const") else pretty_name(name)
    return f"{theta} ({label})"


def axis_title(name: str, units: dict | None) -> str:
    """A column's axis title with its unit, e.g. ``"hours (h)"``."""
    unit = (units or {}).get(name)
    return f"{pretty_name(name)} ({unit})" if unit else pretty_name(name)


def check_runs(runs) -> list:
    """``runs`` as a list of traces; a single trace passed by mistake is refused in words.

    Parameters
    ----------
    runs : sequence of Trace

    Returns
    -------
    list of Trace

    Raises
    ------
    TypeError
        If ``runs`` is one trace rather than a sequence of them.
    """
    if hasattr(runs, "thetas") or hasattr(runs, "costs"):
        raise TypeError("Pass the runs as a list of traces, e.g. [trace], not a single trace.")
    return list(runs)


def run_styles(runs: Sequence) -> list[RunStyle]:
    """A colour, a dash and a legend name for each run, in order.

    The colours follow :data:`RUN_COLOURS`; the name is the run's ``label``
    (e.g. ``"Batch gradient descent, α = 0.05"``), numbered when two runs
    share a label so that every legend entry is distinct.

    Parameters
    ----------
    runs : sequence of Trace

    Returns
    -------
    list of RunStyle
    """
    labels = [str(getattr(run, "label", f"run {k + 1}")) for k, run in enumerate(runs)]
    styles = []
    for k, label in enumerate(labels):
        if labels.count(label) > 1:
            label = f"{label} (run {k + 1})"
        styles.append(RunStyle(RUN_COLOURS[k % len(RUN_COLOURS)],
                               DASHES[(k // len(RUN_COLOURS)) % len(DASHES)], label))
    return styles


def _set_template(fig: go.Figure) -> None:
    """``fig.update_layout(template=TEMPLATE)``, without re-validating the template.

    Assigning a template by name makes plotly validate and deep-copy the whole
    template on every figure (about 10 ms, most of the time it takes to build
    one of these small figures, and the Gradient descent page rebuilds four of
    them on every slider move). The registered template is valid already, so a
    fresh copy of it (plain dicts, copied so no figure shares state with the
    registry) is assigned with plotly's validation switched off for that one
    assignment. The figure's JSON holds the same template.
    """
    global _TEMPLATE_JSON
    if _TEMPLATE_JSON is None:
        _TEMPLATE_JSON = pio.templates[TEMPLATE].to_plotly_json()
    layout = fig.layout
    validate = getattr(layout, "_validate", True)
    try:
        layout._validate = False
        layout.template = go.layout.Template(copy.deepcopy(_TEMPLATE_JSON), _validate=False)
    finally:
        layout._validate = validate


def finish(fig: go.Figure, *, title: str, height: int, uirevision, **layout) -> go.Figure:
    """Give a figure the common layout: template, title, height, ``uirevision``, legend.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    title : str
    height : int
    uirevision : hashable
        Kept across reruns so a user's zoom or 3D rotation survives; change it
        (e.g. to a data-set key) to reset the view.
    **layout
        Further layout settings; they override the common ones (``margin`` side by side: a
        ``margin=dict(t=80)`` keeps the common left, right and bottom margins).

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig`` itself.
    """
    _set_template(fig)
    # plotly.js anchors a title of several lines (``<br>``) at "top" as if the block ended there: it
    # would rise into the modebar's row by its own height. Pad it down by that height (1.25 em a line).
    lines, size = title.count("<br>") + 1, layout.get("title_font_size", 15)
    pad = MODEBAR_ROW + (round(lines * size * 1.25) if lines > 1 else 0)
    settings = dict(
        # The title sits under the modebar's row (plotly's icon toolbar, top right), never in it: on a
        # phone the toolbar spans most of the chart's width and covered the title. ``automargin``
        # grows the top margin when a title has more lines (a subtitle, a ``<br>``).
        title=dict(text=title, x=0.0, xanchor="left", yref="container", y=1.0, yanchor="top",
                   pad=dict(t=pad), automargin=True, font=dict(size=15)),
        height=height,
        uirevision=uirevision,
        margin=dict(l=60, r=20, t=60, b=110),
        # Legends sit under the title, never across it (half-width charts are narrow).
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0.0),
    )
    settings["margin"].update(layout.pop("margin", None) or {})
    settings.update(layout)
    fig.update_layout(**settings)
    return fig

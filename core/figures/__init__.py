"""Plotly figure builders for the linear-regression pages.

Every builder takes results computed elsewhere in ``core`` (a
:class:`~core.design.Design`, a :class:`~core.solve.NormalEquationFit`, a
:class:`~core.cost.CostGrid`, runs of :class:`~core.descent.Trace`, an
:class:`~core.cost.Optimum`, a benchmark ``DataFrame``) and returns a
:class:`plotly.graph_objects.Figure`. The builders do no mathematics of their
own beyond arranging what they are given. (Two display transforms are the
exception and are labelled on the figure: the contour plot colours ``log10``
of the cost, and the history plot subtracts ``J(θ̂)`` for the optimality gap.)

Modules

* :mod:`.style`: colours (Okabe–Ito), labels, template, the common layout.
* :mod:`.data_space`: :func:`data_and_fit`, :func:`residuals`.
* :mod:`.cost_space`: :func:`cost_surface`, :func:`cost_contour`.
* :mod:`.history`: :func:`cost_history`.
* :mod:`.timing`: :func:`scaling_plot`.

Every figure uses ``template="plotly_white"`` and a fixed ``uirevision``, so a
user's zoom or 3D rotation survives a Streamlit rerun; arrays travel as
base64 typed arrays and the surface heights as float32. No module of this
package imports streamlit.
"""

from .cost_space import cost_contour, cost_surface
from .data_space import data_and_fit, residuals
from .history import convergence_plot, cost_history
from .squares import residual_squares, sum_of_squares_bars
from .style import OKABE_ITO, PALETTE, RUN_COLOURS, coefficient_label, describe
from .timing import scaling_plot

__all__ = [
    "PALETTE",
    "OKABE_ITO",
    "RUN_COLOURS",
    "coefficient_label",
    "describe",
    "data_and_fit",
    "residuals",
    "cost_surface",
    "cost_contour",
    "convergence_plot",
    "cost_history",
    "scaling_plot",
    "residual_squares",
    "sum_of_squares_bars",
]

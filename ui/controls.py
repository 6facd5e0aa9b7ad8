"""Controls that more than one page draws (each a ``*_ui`` function that reads state and draws)."""

from __future__ import annotations

import streamlit as st

from ui import latex as tex
from ui import session
from ui.components.point_editor import point_editor

#: Every chart's plotly config: no plotly logo and no button that sends the data to a cloud service
#: (nothing leaves this server); "download as PNG" stays.
CHART_CONFIG = {"displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
                "modeBarButtonsToRemove": ["sendDataToCloud"]}


def point_editor_ui(ds: session.Dataset, key: str) -> None:
    """The click-to-create plot of the current points (or of an empty canvas)."""
    found = session.editable_points(ds)
    if found is None:
        st.info("Clicking points works on data with one feature and at most 1,000 rows. Choose one feature "
                "below, or start from an empty plot.", icon=":material/info:")
        return
    points, x, y, degree = found
    x_range, y_range = session.point_ranges(points)
    point_editor(points, key=key, x_label=x, y_label=y, x_range=x_range, y_range=y_range,
                 on_change=lambda pts: session.use_points(pts, x, y, degree))
    if session.canvas() is not None:
        st.caption("Add at least two points with different x: then they become the data every page uses "
                   f"(until then, “{tex.md(ds.name)}” stays in use).")

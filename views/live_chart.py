"""Moved to :mod:`ui.components.live_chart`; re-exported here until the pages import it from there."""

from ui.components.live_chart import figure_payload, live_plotly_chart  # noqa: F401

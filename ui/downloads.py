"""Download buttons for a result: the run, the model, a script that redoes both, and the figures as HTML.

Every file is made only when its button is pressed (a deferred ``data``
callable), from :mod:`core.export`; figures are standalone HTML with plotly.js
inside (no address outside this server is needed to open them).
"""

from __future__ import annotations

import streamlit as st

from core import export


def _html(fig):
    return lambda: fig.to_html(include_plotlyjs=True, full_html=True).encode("utf-8")


def downloads_ui(stem: str, fit, trace=None, design=None, figures: dict | None = None) -> None:
    """A row of download buttons; ``stem`` names the files (e.g. "hours_studied")."""
    buttons = [("The fitted model (JSON)", f"{stem}_model.json", "application/json",
                lambda: export.model_json(fit, None if trace is None else trace.settings, trace),
                "θ with column names, the metrics, the solver's diagnostics and the run's settings.")]
    if trace is not None:
        buttons.append(("The descent path (CSV)", f"{stem}_descent.csv", "text/csv",
                        lambda: export.trace_csv(trace, list(fit.names)),
                        "Step k, θ (original units), J and ‖∇J‖ at every step."))
        try:
            script = export.reproduce_script(design, trace.settings, data_file=f"{stem}.csv",
                                             script_name=f"{stem}_reproduce.py")
        except ValueError as exc:
            script, why = None, str(exc)
        if script is not None:
            buttons.append(("A numpy script that redoes it", f"{stem}_reproduce.py", "text/x-python",
                            script.encode("utf-8"),
                            f"Reads {stem}.csv (download it on the Data page) and prints θ and the last step."))
        else:
            st.caption(f"No reproduction script for this run: {why}")
    for name, fig in (figures or {}).items():
        buttons.append((f"{name} (HTML)", f"{stem}_{name.lower().replace(' ', '_')}.html", "text/html",
                        _html(fig), "The interactive figure as one HTML file, plotly.js included."))
    cols = st.columns(min(len(buttons), 4))
    for k, (label, file_name, mime, data, help_text) in enumerate(buttons):
        cols[k % len(cols)].download_button(label, data=data, file_name=file_name, mime=mime, on_click="ignore",
                                            icon=":material/download:", key=f"dl_{file_name}", help=help_text)

"""Data page: choose, upload, generate or edit the data every other page works on."""

from __future__ import annotations

import streamlit as st

from core import data as cdata
from core import figures
from core.design import MAX_DEGREE
from ui import latex as tex
from ui import results, session
from ui.controls import CHART_CONFIG, point_editor_ui

# Button labels are part of the app's interface (browser tests look for them): keep them stable.
EXAMPLES = {
    "hours": "Hours studied",
    "three_points": "Three points",
    "tips": "Tips",
    "iris": "Iris",
    "gapminder": "Gapminder",
}
EDITABLE_ROWS = 5_000  # larger tables are shown read-only (editing them in a browser is slow)


# ------------------------------------------------------------------------------ callbacks
# Callbacks run before the script, so the sidebar and every widget below see the new data.

def _on_upload() -> None:
    uploaded = st.session_state.get("upload")
    if uploaded is None:  # the file was removed from the uploader: keep the data
        return
    with st.spinner(f"Reading {uploaded.name} and fitting it…"):
        session.load_csv(uploaded, uploaded.name)


# --- 1. where the data comes from
def choose_data_ui(ds: session.Dataset) -> None:
    """Examples, click-to-create, upload and the synthetic generator."""
    st.header("1 · Choose data")
    with st.container(horizontal=True, key="examples"):
        for key, label in EXAMPLES.items():
            st.button(label, key=f"example_{key}", on_click=session.load_example, args=(key,),
                      type="primary" if ds.source == f"example:{key}" else "secondary",
                      help=f"Load the built-in “{label}” example.")
        st.button("Synthetic", key="example_synthetic", on_click=session.load_synthetic,
                  type="primary" if ds.source == "synthetic" else "secondary",
                  help="Generate points around a straight line, with the settings under "
                       "“Synthetic data generator” below.")
    if ds.description:
        st.caption(tex.md(ds.description))

    with st.expander("Click to create points", expanded=ds.source == "clicked" or session.canvas() is not None,
                     icon=":material/touch_app:"):
        st.markdown("Click on empty space to add a point, click a point to remove it, drag a point to move it. "
                    "The table below stays the way to type exact values (and the keyboard path).")
        st.button("Start from an empty plot", key="empty_canvas", on_click=session.start_canvas,
                  icon=":material/add_chart:", help="Click your own points from scratch; the current data stays "
                                                     "in use until there are two points with different x.")
        point_editor_ui(ds, "point_editor")

    st.file_uploader(
        "Upload a CSV file", type=["csv", "txt"], key="upload", on_change=_on_upload,
        help=f"A table with a header row and one column per variable; comma, semicolon or tab separated; up to "
             f"{cdata.MAX_UPLOAD_BYTES // 2**20} MB and {cdata.MAX_COLUMNS} columns. "
             "If the file cannot be read, the data you had stays loaded.",
    )
    st.caption(f"In use on every page: **{tex.md(ds.name)}** ({ds.rows:,} rows).")

    with st.expander("Synthetic data generator", expanded=ds.source == "synthetic",
                     icon=":material/scatter_plot:"):
        with st.form("synthetic_form", border=False):
            c1, c2, c3 = st.columns(3)
            c1.number_input("Number of points n", min_value=2, max_value=1_000_000, step=10, key="syn_n",
                            help="How many (x, y) rows to generate.")
            c2.number_input("Slope (y per unit of x)", step=0.5, key="syn_slope", format="%.3f",
                            help="The true slope of the line the points scatter around.")
            c3.number_input("Intercept (y at x = 0)", step=0.5, key="syn_intercept", format="%.3f",
                            help="The true intercept of the line.")
            c4, c5, c6 = st.columns(3)
            c4.number_input("Noise (standard deviation of y)", min_value=0.0, step=0.5, key="syn_noise",
                            format="%.3f", help="How far, typically, points fall from the line (same units as y).")
            c5.number_input("Outliers (points)", min_value=0, max_value=1_000_000, step=1, key="syn_outliers",
                            help="How many points to push far off the line, to see how least squares reacts.")
            c6.number_input("Random seed", min_value=0, max_value=2**31 - 1, step=1, key="syn_seed",
                            help="The same seed gives the same points.")
            st.form_submit_button("Generate", key="syn_generate", on_click=session.load_synthetic, type="primary",
                                  help="Replace the current data with new synthetic points.")


# --- 2. which columns
def columns_ui(ds: session.Dataset) -> None:
    """The target, the features and the degree."""
    st.header("2 · What to predict from what")
    numeric = [str(c) for c in cdata.numeric_columns(ds.frame)]
    non_numeric = [str(c) for c in cdata.non_numeric_columns(ds.frame)]
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.selectbox("Target y (what to predict)", numeric, key="target", persist_state="session",
                 on_change=session.set_columns_from_controls,
                 help="The column the model predicts. Only numeric columns can be a target.")
    c2.multiselect("Features x (predictors)", [c for c in numeric if c != ds.target], key="features",
                   persist_state="session", on_change=session.set_columns_from_controls,
                   placeholder="None: fit a constant (intercept only)",
                   help="Columns used to predict the target. Each adds a coefficient θ (or `degree` of them).")
    c3.number_input("Polynomial degree", min_value=1, max_value=MAX_DEGREE, step=1, key="degree",
                    persist_state="session", on_change=session.set_columns_from_controls,
                    help="Degree 2 adds x², degree 3 adds x³ too, for every feature. The model stays linear in θ.")
    if non_numeric:
        st.caption("Not offered (not numeric): " + ", ".join(tex.code(c) for c in non_numeric) + ".")


# ------------------------------------------------------------------------------ page

ds = session.current()

st.title("Data")
st.markdown("Pick an example, upload a CSV file or generate points, then choose what to predict. "
            "Every page (normal equation, gradient descent, comparison) works on this one dataset.")

if session.error():
    st.error(tex.md(session.error()), icon=":material/error:")
message = session.take_notice()
if message and not session.error():
    st.success(tex.md(message), icon=":material/check_circle:")

hidden, _ = session.teacher()
if "data" not in hidden:
    choose_data_ui(ds)
if "columns" not in hidden:
    columns_ui(ds)

# --- 3. the rows
st.header("3 · The rows")
if ds.rows <= EDITABLE_ROWS:
    editor_key = session.editor_key()
    table = session.editor_frame()
    edited = st.data_editor(
        table, key=editor_key, num_rows="dynamic", hide_index=True,
        height=min(38 + 35 * (len(table) + 1), 380),
    )
    changes = st.session_state.get(editor_key) or {}
    if any(changes.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")) and \
            session.take_table_edits(changes, edited):
        st.rerun()
    st.caption("Click a cell to change it; add a row at the bottom, select rows to delete them. "
               "Every page uses the edited data at once.")
else:
    st.dataframe(ds.frame.head(1000), hide_index=True, height=360)
    st.caption(f"Showing the first 1,000 of {ds.rows:,} rows. Tables over {EDITABLE_ROWS:,} rows are read-only "
               "here: edit the file and upload it again.")

st.download_button(
    "Download the data as CSV", data=lambda: results.csv_bytes(ds), file_name=session.csv_file_name(ds),
    mime="text/csv", key="download", on_click="ignore", icon=":material/download:",
    help="The current data (with your edits) as a CSV file.",
)

# --- 4. a first look
st.header("4 · A first look")
try:
    design, fit = results.design(ds), results.fit(ds)
except session.INPUT_ERRORS as exc:
    st.error(tex.md(f"This data cannot be fitted: {exc}"))
else:
    for note in design.notes:
        st.info(tex.md(note), icon=":material/info:")
    st.markdown(f"Least-squares fit: **{tex.md(fit.equation())}** · R² = {fit.r_squared:.4g} · "
                f"{design.m} rows used, {design.p} coefficients.")
    shown, note = results.display_design(ds)
    preview = figures.data_and_fit(shown, fit, uirevision=ds.version)
    st.plotly_chart(preview, key="data_preview", config=CHART_CONFIG)
    st.caption(tex.md(figures.describe(preview)))
    if note:
        st.caption(note)

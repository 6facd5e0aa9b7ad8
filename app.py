"""Linear regression two ways: the normal equation and gradient descent on the same data.

Run with ``streamlit run app.py``. This file declares the pages and draws the
sidebar that every page shares (the current dataset and its fit in one line).
"""

from __future__ import annotations

import streamlit as st

from ui import latex as tex
from ui import links, results, session
from ui import theme
from ui.share_box import share_box_ui

st.set_page_config(
    page_title="Linear regression: normal equation and gradient descent",
    page_icon="assets/icon.png",
    layout="wide",
)
theme.apply()  # the app's CSS and script (ui/theme.css, ui/theme.js)

# The page scripts live in views/, not pages/: a folder named pages/ next to the main script
# switches Streamlit into its legacy multipage mode until st.navigation first runs. A fresh
# server then serves a deep link such as /gradient_descent by running that file alone (no
# sidebar, a menu listing every file in the folder), and AppTest skips app.py on every rerun.
PAGES = [
    st.Page("views/data.py", title="Data", icon=":material/table_chart:", default=True),  # served at /
    st.Page("views/normal_equation.py", title="Normal equation", icon=":material/functions:",
            url_path="normal_equation"),
    st.Page("views/gradient_descent.py", title="Gradient descent", icon=":material/trending_down:",
            url_path="gradient_descent"),
    st.Page("views/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
]

page = st.navigation(PAGES)

# Before any widget: the dataset (on a session's first run, the one the link asks for), and the
# widgets that follow it; then the address bar gets the view this run shows.
ds = links.restore() if session.is_new() else session.start_run()
for problem in links.problems():
    st.warning(tex.md(problem), icon=":material/link_off:")
link_note = links.write(ds)
with st.sidebar:
    st.markdown("#### Current data")
    st.markdown(f"**{tex.md(ds.name)}**")
    shown = ", ".join(tex.code(f) for f in ds.features[:8])
    more = f" and {len(ds.features) - 8} more" if len(ds.features) > 8 else ""
    features = shown + more or "none (intercept only)"
    degree = f" · degree {ds.degree}" if ds.degree > 1 else ""
    try:
        used = results.design(ds).m
    except session.INPUT_ERRORS:
        used = ds.rows
    rows = f"{ds.rows:,} rows" if used == ds.rows else f"{used:,} of {ds.rows:,} rows used"
    st.markdown(f"{rows} · target {tex.code(ds.target)} · features {features}{degree}")
    try:
        st.markdown(tex.md(results.fit_summary(ds)), help="The least-squares fit from the normal equation, "
                    "and R², the share of the target's variance it explains.")
    except session.INPUT_ERRORS as exc:
        st.warning(tex.md(f"No fit for this data: {exc}"))
    st.caption("Change the data, the target or the features on the Data page; every page uses them.")
    share_box_ui(ds, link_note)

page.run()
links.write(session.current())  # what the page ran with (its settings are remembered as it runs)

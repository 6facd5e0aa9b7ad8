"""The app's look beyond the theme colours: CSS and a little JavaScript added to every page.

The colours are Streamlit's theme (``.streamlit/config.toml``, Okabe–Ito blue as the
accent). What the theme options cannot reach is fixed here, from two real files
next to this module:

* ``theme.css``: readable captions (contrast at least 4.5:1), display formulas
  that scroll inside their own box, and side-by-side chart or table columns that
  stack when too narrow for their content;
* ``theme.js``: a formula that scrolls becomes keyboard-focusable, and on a touch
  screen one finger on a chart scrolls the page (two work the chart).

``app.py`` calls :func:`apply` once per run, right after ``st.set_page_config``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

__all__ = ["apply", "CSS_PATH", "JS_PATH"]

HERE = Path(__file__).resolve().parent
CSS_PATH = HERE / "theme.css"
JS_PATH = HERE / "theme.js"
#: Class of the element carrying the script (``theme.css`` hides its container).
SCRIPT_CLASS = "linreg-theme-script"


@lru_cache(maxsize=1)
def _script_html() -> str:
    """The ``<script>`` element with ``theme.js``, in a marker element that the CSS hides."""
    return f'<div class="{SCRIPT_CLASS}"></div><script>{JS_PATH.read_text(encoding="utf-8")}</script>'


def apply() -> None:
    """Add the app's CSS and script to the page (call once per script run, before any other element).

    The CSS goes to Streamlit's event container (a ``<style>``-only ``st.html``
    takes no room on the page); the script runs once per browser tab (it guards
    itself), however many runs send it.
    """
    st.html(CSS_PATH)
    st.html(_script_html(), unsafe_allow_javascript=True)

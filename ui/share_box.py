"""The Share box in the sidebar: the link to this view, with a copy button, and a teacher's link builder."""

from __future__ import annotations

import streamlit as st

from core.qr import MAX_QR_CHARS, qr_svg
from core.share import CHALLENGES, HIDEABLE
from ui import latex as tex
from ui import links, session

_HIDE_LABELS = {"data": "data choice", "columns": "column choice", "alpha": "learning rate",
                "iterations": "iterations", "tol": "tolerance", "optimizer": "optimizer",
                "theta0": "start θ₀", "surface": "surface axes"}


def share_box_ui(ds: session.Dataset, note: str | None) -> None:
    """The link that reproduces what is on screen (page, data, columns, settings), ready to copy."""
    with st.expander("Share this view", icon=":material/share:"):
        params, _ = links.view_params(ds)
        link = links.full_link(params)
        st.code(link, language=None, wrap_lines=True)
        st.caption("Copy the link (the button at its corner): it opens this page with the same data, "
                   "columns and settings. Nothing is sent anywhere else.")
        if st.toggle("QR code for a projector", key="share_qr",
                     help="Students point a phone camera at the screen to open this view."):
            svg = qr_svg(link)
            if svg is None:
                st.caption(f"This link is {len(link):,} characters long: too long for a QR code a phone can read "
                           f"from a screen (at most {MAX_QR_CHARS:,}). Links to an example or synthetic data "
                           "with its settings are short.")
            else:
                st.image(svg, caption="QR code of this link", width=220)
        if note:
            st.warning(tex.md(f"{note} The link carries the settings, and this server keeps the data for it while "
                              "it has room: a reload, or the link opened on this server soon, finds it. Anywhere "
                              "else, or later, the link says the data is missing."),
                       icon=":material/warning:")
        st.markdown("**For a class:** hide controls and set a challenge.")
        hide = st.multiselect("Hide these controls", list(HIDEABLE), key="teach_hide",
                              format_func=_HIDE_LABELS.get, help="Students opening the link will not see them.")
        challenge = st.selectbox("Challenge", [None, *CHALLENGES], key="teach_challenge",
                                 format_func=lambda k: "none" if k is None else CHALLENGES[k].text,
                                 help="Shown on the Gradient descent page, which says when it is met.")
        if hide or challenge:
            teacher = dict(params)
            if hide:
                teacher["hide"] = ",".join(hide)
            if challenge:
                teacher["challenge"] = challenge
            st.code(links.full_link(teacher), language=None, wrap_lines=True)

"""Shared Streamlit glue for the pages: the session store, cached results, controls, text formatting and custom components.

Not pages: `views/` holds the page scripts. Nothing here does mathematics; every number comes from `core`.
"""

"""Shared Streamlit glue for the pages: session store, cached results, text formatting, custom components.

Not pages: `views/` holds the page scripts. Nothing here does mathematics; every number comes from `core`.
"""

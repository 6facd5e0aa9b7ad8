"""Custom Streamlit components, one folder each.

Each component is a package (``ui/components/<name>/``) whose ``__init__.py``
holds the Python wrapper, with its JavaScript and CSS beside it as real files
(``<name>.js``, ``<name>.css``), read at import and handed to
``st.components.v2.component``. Values the JavaScript needs travel in the
component's ``data``, never by formatting them into the code.
"""

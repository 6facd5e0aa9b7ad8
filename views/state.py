"""Shared glue for the pages: the one dataset, and cached results keyed by its version.

Not a page. Holds no maths: every number comes from ``core``. What lives here:

* the current :class:`Dataset` in ``st.session_state`` (frame, name, target,
  features, degree and a version key computed once when the data changes);
* functions that replace it, each of which validates the new data first and
  keeps the previous dataset if anything is wrong (the error is stored for the
  Data page to show);
* cached computations (design, normal-equation fit, cost model, teaching
  steps, gradient-descent runs, cost grids). Each takes its data through
  ``_``-prefixed arguments, which Streamlit does not hash, and the explicit
  version key, which it does. Streamlit hashes large frames and arrays from a
  sample of rows, so a change in an unsampled row would otherwise return a
  stale result.
"""

from __future__ import annotations

from dataclasses import dataclass, replace as dc_replace

import numpy as np
import pandas as pd
import streamlit as st

from core import data as cdata
from core.design import Design, design_matrix

DATASET = "dataset"  # session-state key of the current Dataset
ERROR = "data_error"  # session-state key of the last error message (str) or None
NOTICE = "data_notice"  # session-state key of the last success message (str) or None
EDITOR_NONCE = "editor_nonce"  # bumped whenever the data changes, to reset the data editor
DEFAULT_EXAMPLE = "hours"

# Exceptions that mean "this input is not usable" (shown to the person), as opposed to bugs.
INPUT_ERRORS = (ValueError, TypeError, ArithmeticError, np.linalg.LinAlgError, KeyError)


@dataclass(frozen=True)
class Dataset:
    """The dataset every page works on.

    Attributes
    ----------
    frame : DataFrame
        The data as loaded or edited (all columns, numeric or not).
    name : str
        Shown in the sidebar, e.g. "Hours studied" or "marks.csv".
    target : str
    features : tuple of str
    degree : int
    content : str
        ``core.data.content_key(frame)``: a hash of every row.
    description : str
    """

    frame: pd.DataFrame
    name: str
    target: str
    features: tuple[str, ...]
    degree: int
    content: str
    description: str = ""
    source: str = ""  # "example:<key>", "upload", "synthetic" or "edited"

    @property
    def version(self) -> str:
        """Cache key: the content hash plus the column choices."""
        sep = "\x1f"
        return f"{self.content}|{self.target}|{sep.join(self.features)}|{self.degree}"

    @property
    def rows(self) -> int:
        return len(self.frame)


# ----------------------------------------------------------------------------------------------
# Cached computations. Data arguments are "_"-prefixed (not hashed); `version` is the key.
# ----------------------------------------------------------------------------------------------

@st.cache_resource(max_entries=64, show_spinner=False)
def _design(_frame: pd.DataFrame, version: str, target: str, features: tuple, degree: int) -> Design:
    return design_matrix(_frame, target, list(features), degree)


@st.cache_resource(max_entries=64, show_spinner=False)
def _fit(_design: Design, version: str):
    from core.solve import fit_normal_equation

    return fit_normal_equation(_design)


@st.cache_resource(max_entries=64, show_spinner=False)
def _model(_fit, version: str):
    from core.cost import LeastSquaresCost

    return LeastSquaresCost.from_fit(_fit)


@st.cache_resource(max_entries=32, show_spinner=False)
def _steps(_fit, version: str):
    from core.teaching import normal_equation_steps

    return normal_equation_steps(_fit.design, fit=_fit)


@st.cache_resource(max_entries=32, show_spinner=False)  # a 100,000-step trace is megabytes
def _trace(_model, version: str, alpha: float, iterations: int, theta0: tuple, tol: float,
           optimizer: str):
    from core.descent import gradient_descent

    return gradient_descent(None, None, alpha, iterations, np.array(theta0, dtype=float), tol=tol,
                            optimizer=optimizer, model=_model)


@st.cache_resource(max_entries=128, show_spinner=False)
def _grid(_model, version: str, i: int, j: int, points: tuple, n: int, theta_fixed: tuple | None):
    from core.cost import cost_grid

    fixed = None if theta_fixed is None else np.array(theta_fixed, dtype=float)
    return cost_grid(_model, i, j, points=[np.array(p, dtype=float) for p in points], n=n,
                     theta_fixed=fixed)


def _validated(frame: pd.DataFrame, name: str, target: str, features, degree: int,
               description: str = "", source: str = "", content: str | None = None) -> Dataset:
    """Build a Dataset and compute its design and fit, raising if either fails."""
    features = tuple(str(f) for f in features)
    ds = Dataset(frame=frame, name=name, target=str(target), features=features, degree=int(degree),
                 content=content or cdata.content_key(frame), description=description, source=source)
    d = _design(ds.frame, ds.version, ds.target, ds.features, ds.degree)
    _fit(d, ds.version)
    return ds


# ----------------------------------------------------------------------------------------------
# The current dataset
# ----------------------------------------------------------------------------------------------

def _example_dataset(key: str) -> Dataset:
    ex = cdata.example(key)
    return _validated(ex.frame, ex.title, ex.target, ex.features, ex.degree, ex.description,
                      source=f"example:{key}")


def current() -> Dataset:
    """The current dataset; on first use, the built-in "hours studied" example."""
    ds = st.session_state.get(DATASET)
    if ds is None:
        ds = _example_dataset(DEFAULT_EXAMPLE)
        st.session_state[DATASET] = ds
        st.session_state.setdefault(EDITOR_NONCE, 0)
    return ds


def _commit(ds: Dataset, notice: str | None = None) -> None:
    previous = st.session_state.get(DATASET)
    st.session_state[DATASET] = ds
    st.session_state[ERROR] = None
    st.session_state[NOTICE] = notice
    if previous is None or previous.content != ds.content:
        st.session_state[EDITOR_NONCE] = st.session_state.get(EDITOR_NONCE, 0) + 1


def fail(message: str) -> str:
    """Record an error for the Data page; the dataset is left as it was."""
    st.session_state[ERROR] = message
    st.session_state[NOTICE] = None
    return message


def error() -> str | None:
    """The last error message, or None."""
    return st.session_state.get(ERROR)


def notice() -> str | None:
    """The last success message, or None."""
    return st.session_state.get(NOTICE)


def default_columns(frame: pd.DataFrame) -> tuple[str, tuple[str, ...]]:
    """A first guess at the columns: the last numeric column is the target, the others features.

    Raises
    ------
    ValueError
        If the frame has no numeric column.
    """
    numeric = [str(c) for c in cdata.numeric_columns(frame)]
    if not numeric:
        raise ValueError("The data has no numeric column, so there is nothing to fit. "
                         f"Columns found: {', '.join(map(str, frame.columns)) or 'none'}.")
    return numeric[-1], tuple(numeric[:-1])


def replace(frame: pd.DataFrame, name: str, target: str | None = None, features=None,
            degree: int = 1, description: str = "", notice: str | None = None,
            source: str = "") -> str | None:
    """Make ``frame`` the current dataset, if it can be fitted.

    Returns
    -------
    str or None
        None on success; otherwise the error message (also stored for the Data
        page), and the previous dataset is kept.
    """
    try:
        if target is None:
            target, guessed = default_columns(frame)
            features = guessed if features is None else features
        if features is None:
            features = tuple(c for c in map(str, cdata.numeric_columns(frame)) if c != target)
        ds = _validated(frame, name, target, features, degree, description, source)
    except INPUT_ERRORS as exc:  # DataError is a ValueError
        return fail(f"{name}: {exc} The previous data is still loaded.")
    _commit(ds, notice)
    return None


def load_example(key: str) -> str | None:
    """Load a built-in example by key ("hours", "three_points", "tips", "iris", "gapminder")."""
    try:
        ds = _example_dataset(key)
    except INPUT_ERRORS as exc:
        return fail(f"Example {key!r} could not be loaded: {exc}")
    _commit(ds, f"Loaded the example “{ds.name}”.")
    return None


def load_csv(content: bytes, filename: str = "upload.csv") -> str | None:
    """Read an uploaded CSV and make it the current dataset; on error keep the previous one.

    This is what the uploader's on_change handler calls.
    """
    try:
        frame = cdata.read_csv(content)
    except cdata.DataError as exc:
        return fail(f"{filename}: {exc} The previous data is still loaded.")
    except (*INPUT_ERRORS, UnicodeDecodeError) as exc:
        return fail(f"{filename} could not be read as a CSV file ({exc}). The previous data is still loaded.")
    return replace(frame, filename, notice=f"Loaded {filename}: {len(frame)} rows, {frame.shape[1]} columns.",
                   source="upload")


def load_synthetic(n: int, slope: float, intercept: float, noise: float, outliers: int,
                   seed: int) -> str | None:
    """Generate synthetic straight-line data (columns x, y) and make it current."""
    try:
        frame = cdata.synthetic(n=int(n), slope=float(slope), intercept=float(intercept),
                                noise=float(noise), outliers=int(outliers), seed=int(seed))
    except INPUT_ERRORS as exc:
        return fail(f"Synthetic data could not be generated: {exc} The previous data is still loaded.")
    name = f"Synthetic (n={int(n)}, y = {intercept:g} + {slope:g}·x, noise {noise:g})"
    return replace(frame, name, "y", ("x",), 1,
                   description="Points scattered around a known straight line.",
                   notice=f"Generated {len(frame)} synthetic rows.", source="synthetic")


def set_columns(target: str, features, degree: int) -> str | None:
    """Change the target, features or degree of the current data; on error keep the previous choice."""
    ds = current()
    try:
        new = _validated(ds.frame, ds.name, target, features, degree, ds.description, ds.source,
                         content=ds.content)
    except INPUT_ERRORS as exc:
        return fail(f"{exc} The previous choice of columns is still in use.")
    _commit(new)
    return None


def set_frame(frame: pd.DataFrame) -> str | None:
    """Replace the rows (after an edit in the table), keeping the column choices."""
    ds = current()
    name = ds.name if ds.name.endswith("(edited)") else f"{ds.name} (edited)"
    features = tuple(f for f in ds.features if f in frame.columns)
    return replace(frame, name, ds.target, features, ds.degree, ds.description,
                   notice="Your edits are in use on every page.", source="edited")


def reset_editor() -> None:
    """Start the data editor afresh from the current data (drops its pending edits)."""
    st.session_state[EDITOR_NONCE] = st.session_state.get(EDITOR_NONCE, 0) + 1


@st.cache_data(max_entries=8, show_spinner=False)
def _csv_bytes(_frame: pd.DataFrame, content: str) -> bytes:
    return cdata.to_csv_bytes(_frame)


def csv_bytes(ds: Dataset | None = None) -> bytes:
    """The current data as CSV bytes (for the download button), once per content."""
    ds = ds or current()
    return _csv_bytes(ds.frame, ds.content)


def csv_file_name(ds: Dataset | None = None) -> str:
    """A file name for the download, from the dataset's name."""
    import re

    ds = ds or current()
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ds.name.removesuffix(".csv")).strip("_").lower() or "data"
    return f"{stem[:60]}.csv"


# ----------------------------------------------------------------------------------------------
# Results for the current dataset (each computed once per version)
# ----------------------------------------------------------------------------------------------

def design(ds: Dataset | None = None) -> Design:
    ds = ds or current()
    return _design(ds.frame, ds.version, ds.target, ds.features, ds.degree)


def fit(ds: Dataset | None = None):
    ds = ds or current()
    return _fit(design(ds), ds.version)


def model(ds: Dataset | None = None):
    ds = ds or current()
    return _model(fit(ds), ds.version)


def steps(ds: Dataset | None = None):
    ds = ds or current()
    return _steps(fit(ds), ds.version)


def trace(alpha: float, iterations: int, theta0, tol: float, optimizer: str,
          ds: Dataset | None = None):
    """A gradient-descent run on the cached cost model (O(p²) per step)."""
    ds = ds or current()
    theta0 = tuple(float(t) for t in np.ravel(theta0))
    return _trace(model(ds), ds.version, float(alpha), int(iterations), theta0, float(tol), str(optimizer))


def grid(i: int, j: int, points, n: int = 61, theta_fixed=None, ds: Dataset | None = None):
    """The cost surface over coefficients i and j (others at ``theta_fixed``, default θ̂)."""
    ds = ds or current()
    pts = tuple(tuple(float(v) for v in np.ravel(p)) for p in points)
    fixed = None if theta_fixed is None else tuple(float(v) for v in np.ravel(theta_fixed))
    return _grid(model(ds), ds.version, int(i), int(j), pts, int(n), fixed)


MAX_PLOT_POINTS = 5_000  # scatter points sent to the browser; more makes the page slow to draw


@st.cache_resource(max_entries=16, show_spinner=False)
def _display_design(_design: Design, version: str, max_points: int) -> Design:
    rows = np.unique(np.linspace(0, _design.m - 1, max_points).round().astype(int))
    return dc_replace(_design, X=_design.X[rows], y=_design.y[rows], raw=_design.raw[rows])


def display_design(ds: Dataset | None = None, max_points: int = MAX_PLOT_POINTS) -> tuple[Design, str]:
    """The design to draw, and a caption.

    Above ``max_points`` rows, an evenly spaced sample of the rows (for the
    scatter plots only: every fit uses all rows), so the browser is not sent
    megabytes of points.
    """
    ds = ds or current()
    d = design(ds)
    if d.m <= max_points:
        return d, ""
    shown = _display_design(d, ds.version, int(max_points))
    return shown, (f"The plot shows {shown.m:,} evenly spaced rows of {d.m:,}; the fit uses all of them.")


def fit_summary(ds: Dataset | None = None, precision: int = 4) -> str:
    """One line for the sidebar, e.g. "ŷ = 0.7 + 1.2·hours · R² 0.96"."""
    f = fit(ds)
    return f"{f.equation(precision=precision)} · R² {f.r_squared:.3g}"


@st.cache_resource(max_entries=32, show_spinner=False)
def _comparison(_design: Design, version: str, alpha: float | None, tol: float, max_iterations: int) -> dict:
    from core.compare import compare_methods

    return compare_methods(_design, alpha=alpha, tol=tol, max_iterations=max_iterations)


def comparison(alpha: float | None = None, tol: float = 1e-6, max_iterations: int = 100_000,
               ds: Dataset | None = None) -> dict:
    """Both methods on the current data, from scratch, timed (once per version and settings)."""
    ds = ds or current()
    return _comparison(design(ds), ds.version, None if alpha is None else float(alpha), float(tol),
                       int(max_iterations))

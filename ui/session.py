"""The session store: the one module that writes ``st.session_state``, and the table of every key it owns.

Pages read what they need through the functions here and never write session
state themselves: a widget's ``key=`` names a key from :data:`KEYS`, and
Streamlit writes its value when the person moves it; this module writes a
widget's key only to reset it (a new dataset, a "load" button). The current
:class:`Dataset` is the one source of truth for the data and its column
choice; the Data page's column widgets follow it (:func:`start_run`).

Every replacement of the data is validated first (its design and fit are
computed): if anything is wrong the previous dataset stays and the error is
kept for the Data page to show.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core import data as cdata
from core.settings import DescentSettings
from ui import cache
from ui.session_keys import KEYS

#: Exceptions that mean "this input is not usable" (shown to the person), as opposed to bugs:
#: core raises ``ValueError`` (``DataError`` is one) with a sentence for bad input. Anything
#: else is a bug, and surfaces in the tests.
INPUT_ERRORS = (ValueError,)
DEFAULT_EXAMPLE = "hours"


SYNTHETIC_DEFAULTS = {name: KEYS[name].default for name in KEYS if name.startswith("syn_")}


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
    source : str
        "example:<key>", "upload", "synthetic" or "edited".
    """

    frame: pd.DataFrame
    name: str
    target: str
    features: tuple[str, ...]
    degree: int
    content: str
    description: str = ""
    source: str = ""

    @property
    def version(self) -> str:
        """Cache key: the content hash plus the column choices."""
        sep = "\x1f"
        return f"{self.content}|{self.target}|{sep.join(self.features)}|{self.degree}"

    @property
    def rows(self) -> int:
        return len(self.frame)


def _write(name: str, value) -> None:
    st.session_state[name] = value


def _read(name: str):
    return st.session_state.get(name, KEYS[name].default if name in KEYS else None)


# ----------------------------------------------------------------------------------------------
# The current dataset
# ----------------------------------------------------------------------------------------------

def _validated(frame: pd.DataFrame, name: str, target: str, features, degree: int,
               description: str = "", source: str = "", content: str | None = None) -> Dataset:
    """Build a Dataset and compute its design and fit, raising if either fails."""
    features = tuple(str(f) for f in features)
    ds = Dataset(frame=frame, name=name, target=str(target), features=features, degree=int(degree),
                 content=content or cdata.content_key(frame), description=description, source=source)
    cache.fit(cache.design(ds.frame, ds.version, ds.target, ds.features, ds.degree), ds.version)
    return ds


def _example_dataset(key: str) -> Dataset:
    ex = cdata.example(key)
    return _validated(ex.frame, ex.title, ex.target, ex.features, ex.degree, ex.description,
                      source=f"example:{key}")


def start_run() -> Dataset:
    """Call once at the top of every run, before any widget: the dataset, and widgets that follow it.

    On first use the dataset is the built-in "hours studied" example. When the
    dataset changed since the column widgets were last set, they are set to
    its target, features and degree (the dataset is the source of truth).
    """
    ds = st.session_state.get("dataset")
    if ds is None:
        ds = _example_dataset(DEFAULT_EXAMPLE)
        _write("dataset", ds)
    if _read("controls_of") != ds.version:
        _write("target", ds.target)
        _write("features", list(ds.features))
        _write("degree", ds.degree)
        _write("controls_of", ds.version)
    for name, value in SYNTHETIC_DEFAULTS.items():
        if name not in st.session_state:
            _write(name, value)
    return ds


def current() -> Dataset:
    """The current dataset (after :func:`start_run`; a read, never a write)."""
    ds = st.session_state.get("dataset")
    if ds is None:
        raise RuntimeError("session.start_run() must run before the pages read the dataset.")
    return ds


def _commit(ds: Dataset, notice: str | None = None, keep_editor: bool = False) -> None:
    previous = st.session_state.get("dataset")
    _write("dataset", ds)
    _write("data_error", None)
    _write("data_notice", notice)
    if keep_editor and _read("editor_base") is None and previous is not None:  # the editor keeps its table
        _write("editor_base", previous.frame)
    elif not keep_editor and (previous is None or previous.content != ds.content):
        reset_editor()


def fail(message: str) -> str:
    """Record an error for the Data page; the dataset is left as it was."""
    _write("data_error", message)
    _write("data_notice", None)
    return message


def error() -> str | None:
    """The last error message, or None."""
    return _read("data_error")


def take_notice() -> str | None:
    """The last success message, once (it is cleared as it is read)."""
    return st.session_state.pop("data_notice", None)


def editor_key() -> str:
    """The key of the table editor for the current data."""
    return f"editor_{_read('editor_nonce')}"


def editor_frame() -> pd.DataFrame:
    """The table the editor opened on: it stays while the user edits (a new one would lose the focus)."""
    return current().frame if _read("editor_base") is None else _read("editor_base")


def take_table_edits(edits: dict, edited: pd.DataFrame) -> bool:
    """New edits make the edited table the dataset (or an error the Data page shows; the editor keeps
    the user's table). True when the edits were new: the page reruns so all above the editor sees them."""
    if repr(edits) == _read("editor_applied"):
        return False
    _write("editor_applied", repr(edits))
    set_frame(edited.reset_index(drop=True))
    return True


def reset_editor() -> None:
    """Start the data editor afresh from the current data (drops its pending edits)."""
    _write("editor_nonce", _read("editor_nonce") + 1)
    _write("editor_base", None)
    _write("editor_applied", None)


def replace(frame: pd.DataFrame, name: str, target: str | None = None, features=None,
            degree: int = 1, description: str = "", notice: str | None = None,
            source: str = "", keep_editor: bool = False) -> str | None:
    """Make ``frame`` the current dataset, if it can be fitted.

    Returns
    -------
    str or None
        None on success; otherwise the error message (also stored for the Data
        page), and the previous dataset is kept.
    """
    notes = list(frame.attrs.get("notes", ()))
    try:
        if target is None:
            target, guessed, chosen = cdata.default_columns(frame)
            features = guessed if features is None else features
            notes += chosen
        if features is None:
            features = tuple(c for c in map(str, cdata.numeric_columns(frame)) if c != target)
        ds = _validated(frame, name, target, features, degree, description, source)
    except INPUT_ERRORS as exc:
        return fail(f"{name}: {exc} The previous data is still loaded.")
    used = cache.design(ds.frame, ds.version, ds.target, ds.features, ds.degree)
    if used.n_dropped:
        notes.append(f"{used.m:,} of {ds.rows:,} rows are used in the fit (rows with a missing value are left out).")
    _commit(ds, " ".join([notice or f"Loaded {name}.", *notes]) if notes else notice, keep_editor=keep_editor)
    return None


def load_example(key: str) -> str | None:
    """Load a built-in example by key ("hours", "three_points", "tips", "iris", "gapminder")."""
    try:
        ds = _example_dataset(key)
    except INPUT_ERRORS as exc:
        return fail(f"Example {key!r} could not be loaded: {exc}")
    _commit(ds, f"Loaded the example “{ds.name}”.")
    return None


def load_csv(source, filename: str = "upload.csv") -> str | None:
    """Read an uploaded CSV (bytes or a file object) and make it the current dataset; on error keep the
    previous one. The size limit is checked before the content is read; an upload is then released."""
    try:
        frame = cdata.read_csv(source)
    except cdata.DataError as exc:
        return fail(f"{filename}: {exc} The previous data is still loaded.")
    finally:
        _release_upload(source)
    return replace(frame, filename, notice=f"Loaded {filename}: {len(frame)} rows, {frame.shape[1]} columns.",
                   source="upload")


def _release_upload(source) -> None:
    """Free an uploaded file's bytes once read: Streamlit holds them until the session ends and
    deep-copies the uploader's value on every run (+140 MB a run for a 140 MB file). Emptying the file
    (``truncate`` drops the buffer it shares with the manager's record) and removing the record leaves
    the next run no file (``None``, which the callback ignores); the uploader still shows the name."""
    file_id = getattr(source, "file_id", None)
    if file_id is None or not hasattr(source, "truncate"):
        return
    with contextlib.suppress(ValueError, BufferError, OSError):  # closed, or its buffer exported
        source.seek(0)
        source.truncate(0)
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if manager is not None:
        manager.remove_file(ctx.session_id, file_id)


def load_synthetic() -> str | None:
    """Generate synthetic straight-line data (columns x, y) from the form's values and make it current."""
    v = {name: _read(name) for name in SYNTHETIC_DEFAULTS}
    try:
        n, slope, intercept, noise = int(v["syn_n"]), float(v["syn_slope"]), float(v["syn_intercept"]), \
            float(v["syn_noise"])
        frame = cdata.synthetic(n=n, slope=slope, intercept=intercept, noise=noise,
                                outliers=int(v["syn_outliers"]), seed=int(v["syn_seed"]))
    except INPUT_ERRORS as exc:
        return fail(f"Synthetic data could not be generated: {exc} The previous data is still loaded.")
    name = f"Synthetic (n={n}, y = {intercept:g} + {slope:g}·x, noise {noise:g})"
    return replace(frame, name, "y", ("x",), 1,
                   description="Points scattered around a known straight line.",
                   notice=f"Generated {len(frame)} synthetic rows.", source="synthetic")


def set_columns(target: str, features, degree: int) -> str | None:
    """Change the current data's target, features or degree; on error keep the previous choice."""
    ds = current()
    try:
        new = _validated(ds.frame, ds.name, target, [f for f in features if f != target], int(degree),
                         ds.description, ds.source, content=ds.content)
    except INPUT_ERRORS as exc:
        return fail(f"{exc} The previous choice of columns is still in use.")
    _commit(new)
    return None


def set_columns_from_controls() -> str | None:
    """Apply the Data page's target, features and degree widgets; on error keep the previous choice."""
    return set_columns(_read("target"), _read("features") or [], int(_read("degree")))


def set_frame(frame: pd.DataFrame) -> str | None:
    """Replace the rows (after an edit in the table), keeping the column choices."""
    ds = current()
    name = ds.name if ds.name.endswith("(edited)") else f"{ds.name} (edited)"
    features = tuple(f for f in ds.features if f in frame.columns)
    return replace(frame, name, ds.target, features, ds.degree, ds.description,
                   notice="Your edits are in use on every page.", source="edited", keep_editor=True)


def canvas() -> tuple | None:
    """Clicked points that are not a dataset yet, or None."""
    return _read("canvas")


def start_canvas() -> None:
    """An empty plot to click points on (the current data stays in use until the points can be fitted)."""
    _write("canvas", ())
    _write("point_ranges", ((0.0, 10.0), (0.0, 10.0)))


def point_ranges(points) -> tuple:
    """Axis ranges for the click-to-create plot: clicked data keeps the ranges it was started with."""
    from core.points import canvas_ranges

    ds = st.session_state.get("dataset")
    clicked = canvas() is not None or (ds is not None and ds.source == "clicked")
    return canvas_ranges(points, _read("point_ranges") if clicked else None)


def use_points(points, x: str, y: str, degree: int = 1) -> str | None:
    """Clicked, dragged or removed points: the current dataset once they can be fitted.

    With fewer than two different x the points wait on the canvas (the data
    in use stays); otherwise they become the dataset "Clicked points".
    """
    from core.points import points_frame

    try:
        frame = points_frame(points, x=x, y=y)
    except INPUT_ERRORS as exc:
        return fail(f"These points cannot be used: {exc}")
    if frame[x].nunique() < 2:
        _write("canvas", tuple(map(tuple, frame.to_numpy().tolist())))
        return None
    message = replace(frame, "Clicked points", y, (x,), degree, description="Points made by clicking on a plot.",
                      notice=f"{len(frame)} clicked points are in use on every page.", source="clicked")
    if message is None:
        _write("canvas", None)
    return message


def editable_points(ds: Dataset):
    """What the click-to-create plot shows: (points, x name, y name, degree), or None with a reason.

    The canvas if one is open; else the current data when it is one feature
    against the target, with at most ``core.points.MAX_POINTS`` rows.
    """
    from core.points import MAX_POINTS, frame_points

    waiting = canvas()
    if waiting is not None:
        return list(waiting), "x", "y", 1
    if len(ds.features) != 1 or cache.design(ds.frame, ds.version, ds.target, ds.features, ds.degree).m > MAX_POINTS:
        return None  # (the cached design's row count: large data is not read again on every run)
    points = frame_points(ds.frame, ds.features[0], ds.target)
    return None if points is None else (points, ds.features[0], ds.target, ds.degree)


def csv_file_name(ds: Dataset) -> str:
    """A file name for the download, from the dataset's name."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ds.name.removesuffix(".csv")).strip("_").lower() or "data"
    return f"{stem[:60]}.csv"


# ----------------------------------------------------------------------------------------------
# Gradient-descent controls
# ----------------------------------------------------------------------------------------------

def reset_descent_controls(names: tuple[str, ...], alpha: float, choices: list[float]) -> None:
    """Start values for new coefficients: α given, θ₀ = 0, surface θ₀ × θ₁; or only α, when the
    data changed (a dragged point) but its α is no longer offered."""
    p = len(names)
    if _read("descent_of") == tuple(names):
        if _read("alpha") not in choices:
            _write("alpha", alpha)
        return
    _write("alpha", alpha)
    for k in range(p):
        _write(f"theta0_{k}", 0.0)
    for name in ("iterations", "tol", "optimizer"):
        if name not in st.session_state:
            _write(name, KEYS[name].default)
    _write("coef_i", 0)
    _write("coef_j", min(1, p - 1))
    _write("descent_of", tuple(names))


def seed_descent_controls(names: tuple[str, ...], seeds: dict) -> None:
    """The Gradient descent page's controls as a link asks (before the page draws them); the ones it
    does not name start at their defaults."""
    for name in ("iterations", "tol", "optimizer"):
        if name not in seeds and name not in st.session_state:
            _write(name, KEYS[name].default)
    for name, value in seeds.items():
        _write(name, value)
    _write("descent_of", tuple(names))


def descent_values() -> dict:
    """The descent settings on the Gradient descent page's controls, by link parameter (empty if never shown)."""
    if "alpha" not in st.session_state:
        return {}
    return {"alpha": float(_read("alpha")), "iterations": int(_read("iterations")), "tol": float(_read("tol")),
            "optimizer": str(_read("optimizer")), "coef_i": int(_read("coef_i")), "coef_j": int(_read("coef_j"))}


def held_descent_values() -> dict:
    """The descent controls' values, each at its default when never set (for controls a link hides)."""
    return {name: _read(name) for name in ("alpha", "iterations", "tol", "optimizer", "coef_i", "coef_j")}


def synthetic_values() -> dict:
    """The synthetic generator's form values."""
    return {name: _read(name) for name in SYNTHETIC_DEFAULTS}


def set_link_state(problems: list[str], hide: tuple, challenge: str | None) -> None:
    _write("link_problems", tuple(problems))
    _write("teacher", (tuple(hide), challenge))


def take_link_problems() -> list[str]:
    """What the opening link asked for and did not get, once."""
    found = list(_read("link_problems"))
    if found:
        _write("link_problems", ())
    return found


def teacher() -> tuple[tuple[str, ...], str | None]:
    """A teacher's link: (controls hidden, challenge key or None)."""
    return _read("teacher")


def is_new() -> bool:
    """True on the first run of a session (no dataset yet): the time to read the link."""
    return "dataset" not in st.session_state


def take_lab_choice(value: dict) -> None:
    """What the person chose in the instant lab (α, θ₀, step): the page's controls follow it."""
    if not value:
        return
    if value.get("alpha") is not None:
        _write("alpha", float(value["alpha"]))
    for k, v in enumerate(value.get("theta0") or ()):
        _write(f"theta0_{k}", float(v))
    if value.get("step") is not None:
        _write("step", int(value["step"]))


def theta0(p: int) -> tuple[float, ...]:
    """The start θ₀ from its number inputs."""
    return tuple(float(_read(f"theta0_{k}") or 0.0) for k in range(p))


def remember_descent(settings: DescentSettings) -> None:
    """The settings of the run the Gradient descent page drew (read by the Compare page)."""
    _write("descent_settings", settings)


def descent_settings() -> DescentSettings | None:
    """The settings of the last run drawn on the Gradient descent page, or None."""
    return _read("descent_settings")


def scrubber_step(settings: DescentSettings, last: int) -> None:
    """Point the step scrubber at the end of a new run (or of a shorter one)."""
    if _read("step_of") != settings or (_read("step") or 0) > last:
        _write("step", last)
        _write("step_of", settings)


# ----------------------------------------------------------------------------------------------
# Check my working, and the Compare page's measurement
# ----------------------------------------------------------------------------------------------

def set_values(values: dict) -> None:
    """Set several widget values at once (e.g. the "tutorial's slips" button fills the checker)."""
    for name, value in values.items():
        _write(name, value)


def store_benchmark(frame: pd.DataFrame, seconds: float) -> None:
    _write("benchmark", frame)
    _write("benchmark_seconds", float(seconds))


def benchmark() -> tuple[pd.DataFrame | None, float]:
    """The last scaling measurement and how long it took."""
    return _read("benchmark"), float(_read("benchmark_seconds"))

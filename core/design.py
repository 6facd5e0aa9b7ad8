"""The design matrix: from a table of data to ``X`` (m×p) and ``y`` (m,).

A :class:`Design` remembers how it was built (the raw feature columns, the
polynomial degree, whether there is an intercept), so that the solver can
rebuild the same columns in a better-conditioned basis, or in extended
precision, instead of inheriting the rounding of ``x**k`` in float64.

What counts as a numeric column is decided by
:func:`core.columns.is_numeric_dtype`, the same function the column checks
use. Bad choices raise :class:`core.columns.DataError` (a ValueError) with a
sentence naming the column and, where there is one, the data row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .columns import DataError, is_numeric_dtype, not_numeric_message, quote, rows_in_words

#: Highest polynomial degree offered.
MAX_DEGREE = 12
#: Most coefficients (intercept + features × degree) in one fit.
MAX_COEFFICIENTS = 64
#: Largest magnitude of a design entry (a value, or its power) or target: XᵀX sums
#: squares, and 1e150² · 1,000,000 rows stays below float64's 1.8e308.
MAX_MAGNITUDE = 1e150


@dataclass(frozen=True, eq=False)
class Design:
    """A regression problem ``y ≈ X θ`` and the recipe that built ``X``.

    Attributes
    ----------
    X : ndarray, shape (m, p)
        Design matrix, float64. Column 0 is the column of ones when
        ``intercept`` is true; then, for each feature, its powers 1..degree.
    y : ndarray, shape (m,)
        Target.
    names : list of str, length p
        Column names, e.g. ``["1", "x", "x^2"]``.
    target : str
    features : tuple of str, length k
    degree : int
        Each feature is expanded into its powers ``x, x^2, ..., x^degree``.
    intercept : bool
    raw : ndarray, shape (m, k)
        The raw feature columns (rows with NaN or inf removed).
    n_dropped : int
        Rows removed because the target or a feature was missing or infinite.
    notes : list of str
        Sentences for the user about what was done to the data.
    """

    X: np.ndarray
    y: np.ndarray
    names: list[str]
    target: str
    features: tuple[str, ...]
    degree: int
    intercept: bool
    raw: np.ndarray
    n_dropped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def m(self) -> int:
        """Number of rows."""
        return self.X.shape[0]

    @property
    def p(self) -> int:
        """Number of coefficients."""
        return self.X.shape[1]

    def matrix(self, dtype=np.float64, raw=None) -> np.ndarray:
        """Rebuild ``X`` from the raw columns in ``dtype``.

        Parameters
        ----------
        dtype : numpy dtype
            ``np.longdouble`` forms the powers in extended precision.
        raw : ndarray, shape (n, k), optional
            Other raw feature values (for predictions); default the design's.

        Returns
        -------
        ndarray, shape (n, p)
        """
        raw = self.raw if raw is None else np.asarray(raw)
        return expand(np.asarray(raw, dtype=dtype), self.degree, self.intercept)


def expand(raw: np.ndarray, degree: int, intercept: bool) -> np.ndarray:
    """Columns ``[1,] x1, x1^2, ..., x1^d, x2, ...`` of the raw features.

    Parameters
    ----------
    raw : ndarray, shape (m, k)
    degree : int
    intercept : bool

    Returns
    -------
    ndarray, shape (m, intercept + k*degree), same dtype as ``raw``
    """
    m, k = raw.shape
    columns = [np.ones(m, dtype=raw.dtype)] if intercept else []
    for j in range(k):
        power = raw[:, j].copy()
        columns.append(power)
        for _ in range(2, degree + 1):
            power = power * raw[:, j]  # exact repeated multiplication, as x^k is defined
            columns.append(power)
    if not columns:
        return np.empty((m, 0), dtype=raw.dtype)
    return np.column_stack(columns)


def column_names(features, degree: int, intercept: bool) -> list[str]:
    """Names of the design's columns: ``["1", "x", "x^2", ...]``."""
    names = ["1"] if intercept else []
    for f in features:
        names.append(str(f))
        names.extend(f"{f}^{k}" for k in range(2, degree + 1))
    return names


def design_matrix(df: pd.DataFrame, target: str, features=None, degree: int = 1,
                  intercept: bool = True) -> Design:
    """Build the design matrix of a linear (or polynomial) regression.

    Parameters
    ----------
    df : DataFrame
        The data.
    target : str
        Column to predict.
    features : sequence of str, optional
        Predictor columns; default every other numeric column.
    degree : int, default 1
        Expand each feature into its powers up to ``degree``.
    intercept : bool, default True
        Prepend the column of ones.

    Returns
    -------
    Design
        Rows where the target or a feature is missing or infinite are left
        out; ``n_dropped`` counts them and ``notes`` says "N of M rows used"
        and which rows of which column were left out.

    Raises
    ------
    DataError
        With a sentence saying what to change: unknown or non-numeric
        columns, the target among the features, a degree out of range, more
        than :data:`MAX_COEFFICIENTS` coefficients, a value too large to
        square (above :data:`MAX_MAGNITUDE`, also after raising it to
        ``degree``), fewer than two usable rows.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError("design_matrix needs a pandas DataFrame.")
    features = _check_choice(df, target, features, degree, intercept)
    columns = [target, *features]
    for name in columns:
        if not is_numeric_dtype(df[name].dtype):
            raise DataError(not_numeric_message(df[name], name))

    def column(c: int) -> np.ndarray:
        """Column ``c`` of ``[target, *features]`` as float64: a view of a float column, else a new array."""
        return df[columns[c]].to_numpy(dtype=np.float64, na_value=np.nan)

    # One column at a time, so that no m × k copy of the chosen columns is ever held.
    ok = np.ones(len(df), dtype=bool)
    for c in range(len(columns)):
        ok &= np.isfinite(column(c))
    kept = np.flatnonzero(ok)
    n_dropped = len(df) - len(kept)
    chosen = (lambda c: column(c)[kept]) if n_dropped else column
    notes = [_rows_used_note(column, columns, ok)] if n_dropped else []
    if len(kept) < 2:
        raise DataError(
            f"Only {len(kept)} of {len(df):,} rows {'has' if len(kept) == 1 else 'have'} "
            "a number in every chosen column; "
            "a fit needs at least 2. " + (notes[0] if notes else "")
        )
    _check_magnitudes(chosen, columns, kept, degree)

    y = np.array(chosen(0), dtype=np.float64)  # its own copy, never a view of the frame
    X = _filled_design(chosen, len(kept), len(features), degree, intercept)
    raw = X[:, int(intercept)::int(degree)]  # the first power of each feature: a view of X, not a copy
    return Design(X=X, y=y, names=column_names(features, degree, intercept), target=target,
                  features=features, degree=int(degree), intercept=intercept, raw=raw,
                  n_dropped=n_dropped, notes=notes)


def _filled_design(chosen, m: int, k: int, degree: int, intercept: bool) -> np.ndarray:
    """``X`` (m × p, C order, as :func:`expand` builds it) written column by column into one array.

    ``chosen(1 + j)`` gives feature ``j``'s values; its powers are formed by the
    same repeated multiplication as :func:`expand`, so the values are the same.
    """
    X = np.empty((m, int(intercept) + k * degree), dtype=np.float64)
    if intercept:
        X[:, 0] = 1.0
    for j in range(k):
        at = int(intercept) + j * degree
        x = chosen(1 + j)
        X[:, at] = x
        for d in range(1, degree):
            np.multiply(X[:, at + d - 1], x, out=X[:, at + d])
    return X


def _check_choice(df: pd.DataFrame, target, features, degree, intercept: bool) -> tuple:
    """Check the chosen columns and degree; return the features as a tuple."""
    if target not in df.columns:
        raise DataError(f"The target column {quote(target)} is not in the data.")
    if features is None:
        features = [c for c in df.columns if c != target and is_numeric_dtype(df[c].dtype)]
    features = tuple(features)
    missing = [f for f in features if f not in df.columns]
    if missing:
        raise DataError(f"The feature column {quote(missing[0])} is not in the data.")
    if target in features:
        raise DataError(f"{quote(target)} is the target; remove it from the features.")
    if len(set(features)) != len(features):
        raise DataError("A feature is listed twice; list each column once.")
    if isinstance(degree, bool) or not isinstance(degree, (int, np.integer)) or not 1 <= degree <= MAX_DEGREE:
        raise DataError(f"Degree must be a whole number from 1 to {MAX_DEGREE}; got {degree!r}.")
    if not features and not intercept:
        raise DataError("Choose at least one feature, or keep the intercept.")
    p = int(intercept) + len(features) * int(degree)
    if p > MAX_COEFFICIENTS:
        raise DataError(
            f"{len(features):,} feature{'s' if len(features) != 1 else ''} at degree {degree} "
            f"{'need' if len(features) != 1 else 'needs'} {p:,} coefficients; this app fits at most "
            f"{MAX_COEFFICIENTS}. Choose fewer features or a lower degree."
        )
    return features


def _rows_used_note(column, columns: list, ok: np.ndarray) -> str:
    """"N of M rows used", and which rows of which column were left out (``column(c)``: all its values)."""
    parts = []
    for c, name in enumerate(columns):
        values = column(c)
        for test, what in ((np.isnan, "has no number"), (np.isinf, "is infinite")):
            rows = np.flatnonzero(test(values))
            if len(rows):
                parts.append(f"{quote(name)} {what} in {rows_in_words(rows)}")
    used, total = int(ok.sum()), len(ok)
    left_out = "that row was" if total - used == 1 else "those rows were"
    return f"{used:,} of {total:,} rows used: {'; '.join(parts)}, so {left_out} left out."


def _check_magnitudes(chosen, columns: list, kept: np.ndarray, degree: int) -> None:
    """Raise DataError if a value, or a feature's power ``degree``, exceeds MAX_MAGNITUDE.

    ``chosen(c)`` gives column ``c``'s values on the kept rows (all finite).
    """
    for c, name in enumerate(columns):
        values = chosen(c)
        biggest = max(float(values.max()), -float(values.min()))  # |x| without an array of |x|
        power = 1 if c == 0 else degree
        if biggest == 0 or power * math.log10(biggest) <= math.log10(MAX_MAGNITUDE):
            continue
        at = int(np.argmax(np.abs(values)))
        row, value = kept[at], values[at]
        reach = (f"{value:.3g}" if power == 1 else
                 f"{value:.3g}, whose power {power} is about 1e{power * math.log10(biggest):.0f}")
        raise DataError(
            f"Column {quote(name)} holds a number too large to compute with in "
            f"{rows_in_words([row])} ({reach}): squares of such numbers overflow. "
            f"Rescale the column (for example, measure it in larger units) so that "
            f"{'its values' if power == 1 else f'its values to the power {power}'} stay below "
            f"{MAX_MAGNITUDE:.0e}{'' if power == 1 else ', or choose a lower degree'}."
        )


def design_from_arrays(X, y, check_finite: bool = True, intercept: bool | None = None) -> Design:
    """Wrap a plain matrix as a :class:`Design` (validated).

    A first column of ones is taken as the intercept; any other column is a
    feature. The arrays are not copied.

    Parameters
    ----------
    X : array_like, shape (m, p)
    y : array_like, shape (m,)
    check_finite : bool, default True
        Reject NaN and inf (a caller that checks its own sums can skip the pass).
    intercept : bool or None
        Whether column 0 is the intercept (the caller vouches that it is all
        ones); None (default) checks.

    Returns
    -------
    Design
        With ``degree=1``; ``raw`` holds the non-intercept columns.
    """
    X = np.asarray(X, dtype=np.float64)  # not copied: a Design is read-only by convention
    y = np.asarray(y, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D matrix (m rows × p columns); got shape {X.shape}.")
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must be a vector with one value per row of X ({X.shape[0]}); got shape {y.shape}.")
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X is empty (shape {X.shape}).")
    if check_finite and not (np.isfinite(X.sum()) and np.isfinite(y.sum())):  # one pass, no temporary
        raise ValueError("X and y must hold finite numbers only (no NaN or inf).")
    if intercept is None:
        intercept = bool((X[:, 0] == 1.0).all())
    raw = X[:, 1:] if intercept else X
    names = (["1"] if intercept else []) + [f"x{j}" for j in range(1, raw.shape[1] + 1)]
    return Design(X=X, y=y, names=names, target="y", features=tuple(names[int(intercept):]),
                  degree=1, intercept=intercept, raw=raw)

"""The design matrix: from a table of data to ``X`` (m×p) and ``y`` (m,).

A :class:`Design` remembers how it was built (the raw feature columns, the
polynomial degree, whether there is an intercept), so that the solver can
rebuild the same columns in a better-conditioned basis, or in extended
precision, instead of inheriting the rounding of ``x**k`` in float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_DEGREE = 12


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

    Raises
    ------
    ValueError
        With a sentence saying what to change: unknown or non-numeric
        columns, the target among the features, a degree out of range, fewer
        than two usable rows.
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError("design_matrix needs a pandas DataFrame.")
    if target not in df.columns:
        raise ValueError(f"Target column {target!r} is not in the data; columns are {list(df.columns)}.")
    if features is None:
        features = [c for c in df.columns if c != target and pd.api.types.is_numeric_dtype(df[c])]
    features = tuple(features)
    missing = [f for f in features if f not in df.columns]
    if missing:
        raise ValueError(f"Feature column(s) {missing} are not in the data; columns are {list(df.columns)}.")
    if target in features:
        raise ValueError(f"{target!r} is the target; remove it from the features.")
    if len(set(features)) != len(features):
        raise ValueError("A feature is listed twice; list each column once.")
    if not isinstance(degree, (int, np.integer)) or not 1 <= degree <= MAX_DEGREE:
        raise ValueError(f"Degree must be a whole number from 1 to {MAX_DEGREE}; got {degree!r}.")
    if not features and not intercept:
        raise ValueError("Choose at least one feature, or keep the intercept.")

    columns = [target, *features]
    values = np.empty((len(df), len(columns)), dtype=np.float64)
    for c, name in enumerate(columns):
        series = df[name]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_string_dtype(series)
                or series.dtype == object):
            raise ValueError(f"Column {name!r} is not numeric (type {series.dtype}).")
        numeric = pd.to_numeric(series, errors="coerce")
        bad = numeric.isna() & series.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(f"Column {name!r} is not numeric: row {row + 1} holds {series.iloc[row]!r}.")
        values[:, c] = numeric.to_numpy(dtype=np.float64, na_value=np.nan)

    ok = np.isfinite(values).all(axis=1)
    n_dropped = int((~ok).sum())
    values = values[ok]
    notes = []
    if n_dropped:
        notes.append(f"{n_dropped} row(s) with a missing or infinite value were left out.")
    if len(values) < 2:
        raise ValueError(f"Only {len(values)} usable row(s) remain; a fit needs at least 2.")

    y = values[:, 0].copy()
    raw = values[:, 1:].copy()
    X = expand(raw, degree, intercept)
    return Design(X=X, y=y, names=column_names(features, degree, intercept), target=target,
                  features=features, degree=int(degree), intercept=intercept, raw=raw,
                  n_dropped=n_dropped, notes=notes)


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

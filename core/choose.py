"""A first guess at what to predict from what, for a table nobody has described.

One idea: :func:`default_columns` picks the target and the features of a new
upload. The target is the first numeric column whose name suggests an
outcome (``y``, ``target``, ``price``, ``score``, ...), else the last numeric
column; a first column that only numbers the rows 0, 1, 2, ... (what
``DataFrame.to_csv`` writes, with a blank header; R counts from 1) is recognised as an index
and left out; at most :data:`core.design.MAX_COEFFICIENTS` − 1 features are
chosen. Every such decision comes with a note in words.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from .columns import DataError, names_in_words, numeric_columns, quote
from .design import MAX_COEFFICIENTS

__all__ = ["ColumnChoice", "default_columns", "OUTCOME_WORDS", "index_column"]

#: Words in a column name that suggest it is the outcome to predict.
OUTCOME_WORDS = frozenset({
    "y", "target", "outcome", "response", "label", "output", "result", "price", "score",
    "sales", "revenue", "profit", "grade", "yield", "dependent", "spend", "spending", "expenditure",
    "expenditures", "consumption", "demand", "salary", "wage", "wages", "charges", "mpg", "rating", "loss",
})
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


class ColumnChoice(NamedTuple):
    """The default columns of a table.

    Attributes
    ----------
    target : str
    features : tuple of str
    notes : tuple of str
        Sentences about the choice (an index column left out, features cut
        to the coefficient limit); empty when there is nothing to say.
    """

    target: str
    features: tuple[str, ...]
    notes: tuple[str, ...] = ()


def default_columns(frame: pd.DataFrame) -> ColumnChoice:
    """Choose a target and features for ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    ColumnChoice
        ``target, features, notes = default_columns(frame)``.

    Raises
    ------
    DataError
        If the frame has no numeric column.

    Examples
    --------
    >>> default_columns(pd.DataFrame({"price": [1, 2], "area": [3, 5]}))
    ColumnChoice(target='price', features=('area',), notes=())
    """
    numeric = [str(c) for c in numeric_columns(frame)]
    if not numeric:
        raise DataError("The data has no numeric column, so there is nothing to fit. "
                        f"Columns found: {names_in_words(frame.columns) or 'none'}.")
    notes = []
    index = index_column(frame)
    candidates = [c for c in numeric if c != index] or numeric
    if len(candidates) < len(numeric):  # the index was left out
        notes.append(f"The first column, {quote(index)}, numbers the rows like an index, "
                     "so it is not used as a feature; choose it yourself if it is data.")
    target = next((c for c in candidates if _suggests_outcome(c)), candidates[-1])
    features = [c for c in candidates if c != target]
    limit = MAX_COEFFICIENTS - 1
    if len(features) > limit:
        notes.append(f"Only the first {limit} of the {len(features):,} other numeric columns are used "
                     f"as features (a fit has at most {MAX_COEFFICIENTS} coefficients); "
                     "choose the ones you want.")
        features = features[:limit]
    return ColumnChoice(target, tuple(features), tuple(notes))


def index_column(frame: pd.DataFrame) -> str | None:
    """The first column's name if it is an unnamed row number, else None.

    "Unnamed" means a blank header, which pandas and :func:`core.csv_read.read_csv`
    call ``"Unnamed: 0"``. A row number counts 0, 1, 2, … (pandas' ``to_csv``) or
    1, 2, 3, … (R's ``write.csv``) down its filled cells; blank lines may sit between.

    >>> index_column(pd.DataFrame({"Unnamed: 0": [1, 2, None, 3], "y": [5, 6, None, 7]}))
    'Unnamed: 0'
    >>> index_column(pd.DataFrame({"Unnamed: 0": [0, 2, 3], "y": [5, 6, 7]})) is None
    True
    """
    if frame.shape[1] < 2 or len(frame) == 0:
        return None
    name = frame.columns[0]
    if str(name).strip() not in ("", "Unnamed: 0"):
        return None
    column = frame.iloc[:, 0]
    if not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column.dtype):
        return None
    values = column.dropna().to_numpy(dtype=np.float64)
    if len(values) < 2 or values[0] not in (0.0, 1.0):
        return None
    return name if np.array_equal(values, np.arange(values[0], values[0] + len(values))) else None


def _suggests_outcome(name: str) -> bool:
    """True if a word of ``name`` (split at punctuation and camelCase) is an outcome word."""
    return any(word.lower() in OUTCOME_WORDS for word in _WORD.findall(name))

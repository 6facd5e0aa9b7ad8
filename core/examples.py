"""The built-in example data sets, declared as one table.

One idea: each example is one row of :data:`EXAMPLES` (key, title,
description, target, features, degree and how to build its frame);
:func:`example` builds a fresh copy. Two tiny worked examples come from the
teaching material; the real data sets ship inside the plotly package, so
they load offline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Callable

import numpy as np
import pandas as pd

from .synthetic import synthetic

__all__ = ["Example", "ExampleSpec", "EXAMPLES", "EXAMPLE_KEYS", "example"]


@dataclass(frozen=True)
class Example:
    """A built-in data set with a suggested regression.

    Attributes
    ----------
    key : str
        Identifier, one of :data:`EXAMPLE_KEYS`.
    title : str
        Short human-readable title.
    description : str
        One or two sentences: what the data is, units, and what to look for.
    target : str
        Name of the column to predict (y).
    features : tuple of str
        Names of the feature columns (x).
    degree : int
        Suggested polynomial degree (1 = straight line).
    frame : pandas.DataFrame
        The data, shape (m, k). Excluded from equality and hashing.
    """

    key: str
    title: str
    description: str
    target: str
    features: tuple[str, ...]
    degree: int = 1
    frame: pd.DataFrame = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(self.features))
        if not isinstance(self.frame, pd.DataFrame):
            raise TypeError(f"Example {self.key!r} needs a DataFrame as frame")
        missing = [c for c in (self.target, *self.features) if c not in self.frame.columns]
        if missing:
            raise ValueError(f"Example {self.key!r}: columns {missing} are not in its frame")


@dataclass(frozen=True)
class ExampleSpec:
    """The declaration of one example: everything but its data, and how to build the data."""

    key: str
    title: str
    description: str
    target: str
    features: tuple[str, ...]
    build: Callable[[], pd.DataFrame]
    degree: int = 1

    def make(self) -> Example:
        """The example with a freshly built frame."""
        return Example(self.key, self.title, self.description, self.target, self.features,
                       self.degree, frame=self.build())


@lru_cache(maxsize=None)
def _plotly_dataset(name: str) -> pd.DataFrame:
    """Load a data set that ships inside the plotly package (no network)."""
    import plotly.data

    return getattr(plotly.data, name)()


def _plotly_columns(name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """A fresh copy of some columns of a plotly data set."""
    return _plotly_dataset(name)[list(columns)].copy()


def _gapminder_2007() -> pd.DataFrame:
    """Gapminder's 2007 rows, with the base-10 logarithm of GDP per capita."""
    data = _plotly_dataset("gapminder")
    frame = data.loc[data["year"] == 2007, ["country", "continent", "lifeExp", "gdpPercap", "pop"]]
    frame = frame.reset_index(drop=True)
    frame.insert(4, "log10_gdp_per_cap", np.log10(frame["gdpPercap"].to_numpy(dtype=np.float64)))
    return frame


def _table(**columns: list[float]) -> Callable[[], pd.DataFrame]:
    """A builder of a small float table given column by column."""
    return lambda: pd.DataFrame({name: np.array(values, dtype=np.float64) for name, values in columns.items()})


_SPECS = (
    ExampleSpec(
        "hours", "Hours studied (worked example)",
        "Five students: hours studied and the score they got. This is the tutorial's "
        "worked example; the normal equation gives θ = (0.7, 1.2), i.e. score ≈ 0.7 + 1.2·hours.",
        "score", ("hours",), _table(hours=[1, 2, 3, 4, 5], score=[2, 3, 4.5, 5, 7]),
    ),
    ExampleSpec(
        "three_points", "Three points on a line",
        "The points (1, 2), (2, 3) and (3, 4) lie exactly on y = 1 + x, so θ = (1, 1). "
        "One gradient-descent step from θ = (0, 0) with α = 0.1 gives θ ≈ (0.3, 0.667).",
        "y", ("x",), _table(x=[1, 2, 3], y=[2, 3, 4]),
    ),
    ExampleSpec(
        "tips", "Restaurant tips",
        "244 restaurant bills: total bill and tip in US dollars, and party size (number of "
        "people). Predict the tip from the total bill; the slope is roughly the typical tip rate.",
        "tip", ("total_bill",), partial(_plotly_columns, "tips", ("total_bill", "tip", "size")),
    ),
    ExampleSpec(
        "iris", "Iris flowers: petal width vs petal length",
        "Fisher's 150 iris flowers of three species, sepal and petal sizes in centimetres. "
        "Petal width grows almost linearly with petal length.",
        "petal_width", ("petal_length",),
        partial(_plotly_columns, "iris",
                ("sepal_length", "sepal_width", "petal_length", "petal_width", "species")),
    ),
    ExampleSpec(
        "gapminder", "Life expectancy vs income (Gapminder 2007)",
        "142 countries in 2007: life expectancy at birth in years, GDP per capita "
        "(inflation-adjusted US dollars) and population. Life expectancy rises roughly "
        "linearly with the logarithm of income: log10_gdp_per_cap = 4 means $10,000 a year.",
        "lifeExp", ("log10_gdp_per_cap",), _gapminder_2007,
    ),
    ExampleSpec(
        "synthetic", "Synthetic line (y = 1 + 2x + noise)",
        "50 points drawn around the line y = 1 + 2x with normally distributed noise "
        "(standard deviation 1), x between 0 and 10. The fitted θ should be close to (1, 2).",
        "y", ("x",), synthetic,
    ),
)

#: The example declarations, by key, in menu order.
EXAMPLES: dict[str, ExampleSpec] = {spec.key: spec for spec in _SPECS}

#: The example keys in menu order.
EXAMPLE_KEYS: tuple[str, ...] = tuple(EXAMPLES)


def example(key: str) -> Example:
    """Return the built-in example ``key`` (a fresh copy of its data).

    Parameters
    ----------
    key : str
        One of :data:`EXAMPLE_KEYS`.

    Returns
    -------
    Example

    Raises
    ------
    ValueError
        If ``key`` is unknown; the message lists the valid keys.
    """
    if not isinstance(key, str) or key not in EXAMPLES:
        raise ValueError(f"Unknown example {key!r}. Choose one of: {', '.join(EXAMPLE_KEYS)}.")
    return EXAMPLES[key].make()

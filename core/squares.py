"""The sum of squares of a straight line y = a + b·x, for residuals drawn as squares.

One idea: everything the "residuals as squares" picture needs to know about a
line through one feature's data, and nothing about drawing it.

* :func:`line_sums`: a line's predictions, residuals, squared residuals, their
  sum and their mean (the numbers the squares' areas show).
* :func:`least_squares_line`: the least-squares line ``(intercept, slope)`` of a
  one-feature, degree-1 :class:`~core.design.Design` and its
  :class:`~core.solve.NormalEquationFit` (``fit.theta``; no second solver).
* :func:`default_my_line`: where a student's own line starts: the horizontal
  line through ȳ, whose sum of squares is the total sum of squares (so
  R² = 1 − rss/tss compares the least-squares line with exactly this line).
* :func:`line_ranges`: slider ranges for the intercept and the slope, with
  round steps, that comfortably contain the least-squares values and the
  default line.

Residuals are formed, and squared and summed, in extended precision
(``np.longdouble``) and returned as float64, so the least-squares line's sum
agrees with ``fit.rss`` to about twelve digits even when the line passes
close to every point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .columns import quote

__all__ = [
    "SLIDER_POSITIONS", "LineSums", "SliderRange", "line_sums", "require_straight_line",
    "least_squares_line", "default_my_line", "line_ranges",
]

#: About how many positions each slider of :func:`line_ranges` has (its width over its step).
SLIDER_POSITIONS = 200
LD = np.longdouble


@dataclass(frozen=True, eq=False)
class LineSums:
    """A line ``ŷ = intercept + slope·x`` and its squared residuals on some data.

    Attributes
    ----------
    intercept, slope : float
    predictions : ndarray, shape (m,)
        ŷ for each data row.
    residuals : ndarray, shape (m,)
        y − ŷ (positive above the line).
    squares : ndarray, shape (m,)
        (y − ŷ)², the areas of the squares.
    sum_of_squares : float
        Σ(y − ŷ)², the residual sum of squares of this line.
    mean_square : float
        ``sum_of_squares / m`` (the MSE; the app's cost J is half of it).
    """

    intercept: float
    slope: float
    predictions: np.ndarray
    residuals: np.ndarray
    squares: np.ndarray
    sum_of_squares: float
    mean_square: float

    @property
    def m(self) -> int:
        """Number of data rows."""
        return int(self.residuals.shape[0])


class SliderRange(NamedTuple):
    """A slider's ``(lo, hi, step)``: ``lo`` and ``hi`` are whole multiples of ``step``."""

    lo: float
    hi: float
    step: float


def _finite_number(value, what: str) -> float:
    """``value`` as a float, or a ValueError naming ``what`` when it is not a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"The {what} must be a number; got {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"The {what} must be a finite number; got {number}.")
    return number


def line_sums(x, y, intercept, slope) -> LineSums:
    """Predictions, residuals and squared residuals of the line ``ŷ = intercept + slope·x``.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        The feature and the target, finite, one value per data row.
    intercept, slope : float

    Returns
    -------
    LineSums

    Raises
    ------
    ValueError
        When ``x`` and ``y`` differ in length, are empty or hold a value that
        is not a finite number (the message names the row), or when the
        intercept or slope is not a finite number.

    Examples
    --------
    The hours example and its least-squares line ŷ = 0.7 + 1.2x:

    >>> s = line_sums([1, 2, 3, 4, 5], [2, 3, 4.5, 5, 7], 0.7, 1.2)
    >>> s.residuals.round(12).tolist()
    [0.1, -0.1, 0.2, -0.5, 0.3]
    >>> round(s.sum_of_squares, 12), round(s.mean_square, 12)
    (0.4, 0.08)
    """
    a = _finite_number(intercept, "intercept")
    b = _finite_number(slope, "slope")
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y need one value per data row; x has {x.size} and y has {y.size}.")
    if x.size == 0:
        raise ValueError("There are no data rows, so a line has no residuals.")
    for name, values in (("x", x), ("y", y)):
        bad = np.flatnonzero(~np.isfinite(values))
        if bad.size:
            raise ValueError(f"The {name} value in data row {bad[0] + 1} is not a finite number ({values[bad[0]]}).")
    predictions = LD(a) + LD(b) * x.astype(LD)
    residuals = y.astype(LD) - predictions
    squares = residuals * residuals
    total = squares.sum()
    return LineSums(intercept=a, slope=b, predictions=predictions.astype(np.float64),
                    residuals=residuals.astype(np.float64), squares=squares.astype(np.float64),
                    sum_of_squares=float(total), mean_square=float(total / x.size))


def require_straight_line(design) -> None:
    """Raise a ValueError, in a sentence, unless ``design`` is one feature at degree 1 with an intercept.

    Parameters
    ----------
    design : Design

    Raises
    ------
    ValueError
        Saying what the design is and what the squares picture needs.
    """
    features = tuple(getattr(design, "features", ()))
    if len(features) != 1:
        names = ", ".join(quote(f) for f in features) or "none"
        raise ValueError(
            f"Residual squares are drawn for a straight line through one feature; this fit has "
            f"{len(features)} features ({names}). Choose a single feature to see them.")
    if design.degree != 1:
        raise ValueError(
            f"Residual squares are drawn for a straight line; this fit is a polynomial of degree "
            f"{design.degree} in {quote(features[0])}. Choose degree 1 to see them.")
    if not design.intercept:
        raise ValueError(
            f"Residual squares are drawn for a line y = a + b·x with an intercept a; this fit of "
            f"{quote(design.target)} on {quote(features[0])} has none. Keep the intercept to see them.")


def least_squares_line(design, fit) -> tuple[float, float]:
    """The least-squares line ``(intercept, slope)`` of a one-feature, degree-1 fit.

    Parameters
    ----------
    design : Design
        One feature, degree 1, with an intercept.
    fit : NormalEquationFit
        The normal-equation fit of ``design``: the line is ``fit.theta``.

    Returns
    -------
    (float, float)
        ``(θ₀, θ₁)``.

    Raises
    ------
    ValueError
        As :func:`require_straight_line`, or when ``fit`` does not have the
        design's two coefficients.

    Examples
    --------
    >>> import pandas as pd
    >>> from core.design import design_matrix
    >>> from core.solve import fit_normal_equation
    >>> df = pd.DataFrame({"hours": [1, 2, 3, 4, 5], "score": [2, 3, 4.5, 5, 7]})
    >>> design = design_matrix(df, "score", ["hours"])
    >>> a, b = least_squares_line(design, fit_normal_equation(design))
    >>> round(a, 12), round(b, 12)
    (0.7, 1.2)
    """
    require_straight_line(design)
    theta = np.asarray(fit.theta, dtype=np.float64).ravel()
    if theta.shape != (2,) or fit.m != design.m:
        raise ValueError(f"The fit has {theta.size} coefficients for {fit.m} rows; the straight line of "
                         f"{quote(design.target)} on {quote(design.features[0])} needs 2 for {design.m} rows. "
                         "Fit this design again.")
    return float(theta[0]), float(theta[1])


def _round_to(value: float, step: float) -> float:
    """``value`` rounded to the nearest whole multiple of ``step``, written without binary noise."""
    return _multiple(round(value / step), step)


def _multiple(k: int, step: float) -> float:
    """``k·step`` as the float nearest the decimal number (``3 × 0.1`` gives 0.3, not 0.30000000000000004)."""
    mantissa, exponent = f"{step:e}".split("e")
    return float(f"{int(k) * round(float(mantissa))}e{int(exponent)}")


def default_my_line(y, step: float | None = None) -> tuple[float, float]:
    """Where a student's own line starts: the horizontal line ``ŷ = ȳ``.

    Its sum of squares is the total sum of squares Σ(y − ȳ)², the yardstick
    of R²: moving the line towards the data shows how much of it a slope
    explains.

    Parameters
    ----------
    y : array_like, shape (m,)
        The target.
    step : float, optional
        The intercept slider's step (from :func:`line_ranges`): ȳ is rounded
        to a whole multiple of it, so the slider can show the value.

    Returns
    -------
    (float, float)
        ``(intercept, slope) = (ȳ, 0)``.

    Examples
    --------
    >>> default_my_line([2, 3, 4.5, 5, 7])
    (4.3, 0.0)
    >>> default_my_line([2, 3, 4.5, 5, 7], step=0.5)
    (4.5, 0.0)
    """
    y = np.asarray(y, dtype=np.float64).ravel()
    if y.size == 0 or not np.all(np.isfinite(y)):
        raise ValueError("The default line needs at least one target value, and only finite numbers.")
    mean = float(y.astype(LD).mean())
    if step is not None:
        mean = _round_to(mean, _finite_number(step, "slider step"))
    return mean, 0.0


def _nice_step(width: float) -> float:
    """The smallest of 1, 2, 5 × 10ᵏ that splits ``width`` into at most :data:`SLIDER_POSITIONS` steps."""
    target = width / SLIDER_POSITIONS
    exponent = math.floor(math.log10(target))
    for factor in (1, 2, 5, 10):
        step = float(f"{factor}e{exponent}")
        if step >= target * (1 - 1e-12):
            return step
    return float(f"1e{exponent + 1}")  # pragma: no cover - the loop always returns


def _slider(lo: float, hi: float) -> SliderRange:
    """A round slider range holding ``[lo, hi]``: ends on whole multiples of a 1-2-5 step."""
    step = _nice_step(hi - lo)
    return SliderRange(_multiple(math.floor(lo / step), step), _multiple(math.ceil(hi / step), step), step)


def _spread(values: np.ndarray) -> float:
    """The values' range max − min, or 1 when they are all equal (a unit to scale by)."""
    spread = float(np.ptp(values))
    return spread if spread > 0 else 1.0


def line_ranges(design, fit) -> tuple[SliderRange, SliderRange]:
    """Slider ranges for "my line": ``(intercept range, slope range)``, each ``(lo, hi, step)``.

    The slope range holds the least-squares slope b̂ and 0 (the default
    horizontal line), with a margin of g = (y's range)/(x's range), the
    slope of a line that climbs across the whole data in one sweep. The
    intercept range holds every intercept ȳ − b·x̄ that puts a line of such a
    slope b through the data's centre (x̄, ȳ), so the least-squares intercept
    and ȳ, with a margin of y's range. Steps are 1, 2 or 5 × 10ᵏ, about
    :data:`SLIDER_POSITIONS` positions per slider; the ends are whole
    multiples of the step.

    When x lies far from 0 (years, say) a small change of slope moves the
    intercept a long way, so the intercept slider is coarse there: the line
    pivots about x = 0, not about the data.

    Parameters
    ----------
    design : Design
        One feature, degree 1, with an intercept.
    fit : NormalEquationFit
        Its normal-equation fit.

    Returns
    -------
    (SliderRange, SliderRange)
        Intercept first, then slope, as in ``θ = (θ₀, θ₁)``.

    Raises
    ------
    ValueError
        As :func:`least_squares_line`, or when the data's values are so large
        that the ranges leave float64.

    Examples
    --------
    The hours example (x = 1..5) as a plain matrix with its column of ones:

    >>> from core.design import design_from_arrays
    >>> from core.solve import fit_normal_equation
    >>> hours = design_from_arrays([[1, x] for x in range(1, 6)], [2, 3, 4.5, 5, 7])
    >>> line_ranges(hours, fit_normal_equation(hours))
    (SliderRange(lo=-8.2, hi=13.2, step=0.2), SliderRange(lo=-1.26, hi=2.46, step=0.02))
    """
    a, b = least_squares_line(design, fit)
    x = np.asarray(design.raw, dtype=np.float64)[:, 0]
    y = np.asarray(design.y, dtype=np.float64)
    with np.errstate(all="ignore"):  # overflow and underflow are checked below, in words
        sy = np.float64(_spread(y))
        g = sy / np.float64(_spread(x))
        x_mean, y_mean = x.mean(), y.mean()
        slopes = (min(b, 0.0) - g, max(b, 0.0) + g)
        through_centre = [y_mean - s * x_mean for s in slopes]
        intercepts = (min(*through_centre, a) - sy, max(*through_centre, a) + sy)
        widths = (slopes[1] - slopes[0], intercepts[1] - intercepts[0])
    if not (np.all(np.isfinite([*slopes, *intercepts, *widths])) and min(widths) > 0):
        raise ValueError(f"The values of {quote(design.target)} or {quote(design.features[0])} are too large or "
                         "too small in magnitude for slider ranges of the intercept and slope; rescale the column "
                         "(for example, multiply or divide it by a power of ten).")
    slopes, intercepts = tuple(map(float, slopes)), tuple(map(float, intercepts))
    return _slider(*intercepts), _slider(*slopes)

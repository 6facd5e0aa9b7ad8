"""Numbers and names as LaTeX or plain text for the pages (formatting only, no maths).

Numbers are shown the way a person writes them: ``1.1``, ``-0.3``, ``55``,
``2.5 \\times 10^{-7}``; never ``1.0999999999`` or ``-0``.
"""

from __future__ import annotations

import math
import re

import numpy as np


def num(x, digits: int = 6) -> str:
    """A number for LaTeX: float noise removed, at most ``digits`` significant digits.

    Examples
    --------
    >>> num(1.0999999999), num(-0.30000000000000004), num(55.0), num(-0.0), num(1.5e-7)
    ('1.1', '-0.3', '55', '0', '1.5 \\\\times 10^{-7}')
    """
    try:
        x = float(x)
    except (TypeError, ValueError):
        return r"\text{" + str(x) + "}"
    if math.isnan(x):
        return r"\text{NaN}"
    if math.isinf(x):
        return r"\infty" if x > 0 else r"-\infty"
    x = float(f"{x:.12g}")  # drop binary noise below 12 significant digits
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return text


def plain(x, digits: int = 6) -> str:
    """The same number as plain text (for tables, metrics and sentences)."""
    text = num(x, digits)
    m = re.fullmatch(r"(.*) \\times 10\^\{(-?\d+)\}", text)
    if m:
        return f"{m.group(1)}e{m.group(2)}"
    return text.replace(r"\text{", "").replace("}", "").replace(r"\infty", "∞")


def name(label: str) -> str:
    """A column name as LaTeX text (``x^2`` keeps its exponent)."""
    label = str(label)
    base, _, power = label.partition("^")
    safe = re.sub(r"([#$%&_{}])", r"\\\1", base)
    out = r"\text{" + safe + "}"
    return out + (f"^{{{power}}}" if power else "")


def bmatrix(a, max_rows: int | None = None, max_cols: int | None = None, digits: int = 6) -> str:
    """A matrix or vector (vectors as columns) as a LaTeX ``bmatrix``.

    With ``max_rows``/``max_cols`` the middle is elided with ``\\vdots``/``\\cdots``
    (first rows and the last row shown).
    """
    a = np.asarray(a, dtype=float)
    if a.ndim == 1:
        a = a[:, None]
    rows, cols = a.shape
    row_idx: list[int | None] = list(range(rows))
    col_idx: list[int | None] = list(range(cols))
    if max_rows is not None and rows > max_rows:
        row_idx = list(range(max_rows - 1)) + [None, rows - 1]
    if max_cols is not None and cols > max_cols:
        col_idx = list(range(max_cols - 1)) + [None, cols - 1]
    lines = []
    for r in row_idx:
        cells = []
        for c in col_idx:
            if r is None:
                cells.append(r"\vdots" if c is not None else r"\ddots")
            elif c is None:
                cells.append(r"\cdots")
            else:
                cells.append(num(a[r, c], digits))
        lines.append(" & ".join(cells))
    return r"\begin{bmatrix}" + r" \\ ".join(lines) + r"\end{bmatrix}"


def shape(a) -> str:
    """``m \\times p`` for a matrix, ``m \\times 1`` for a vector."""
    a = np.asarray(a)
    if a.ndim == 1:
        return rf"{a.shape[0]} \times 1"
    return rf"{a.shape[0]} \times {a.shape[1]}"


def theta_vector(names) -> str:
    r"""The vector of unknowns, e.g. ``\begin{bmatrix}\theta_0\\\theta_1\end{bmatrix}``."""
    return r"\begin{bmatrix}" + r" \\ ".join(rf"\theta_{{{k}}}" for k in range(len(names))) + r"\end{bmatrix}"

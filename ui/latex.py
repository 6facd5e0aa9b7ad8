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


_LATEX_TEXT = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\textdollar{}", "#": r"\#", "%": r"\%",
               "&": r"\&", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def name(label: str) -> str:
    r"""A column name as LaTeX text, inert (``x^2`` keeps its exponent; every other special escaped).

    ``$`` becomes ``\textdollar{}``, not ``\$``: inside Markdown's ``$…$`` a dollar sign would end the
    formula.

    Examples
    --------
    >>> name("x^2")
    '\\text{x}^{2}'
    >>> name(r"$\frac{")
    '\\text{\\textdollar{}\\textbackslash{}frac\\{}'
    """
    label = _CONTROL.sub(" ", str(label))
    match = re.fullmatch(r"(.+)\^(\d+)", label)
    base, power = (match.group(1), match.group(2)) if match else (label, "")
    safe = "".join(_LATEX_TEXT.get(ch, ch) for ch in base)
    out = r"\text{" + safe + "}"
    return out + (f"^{{{power}}}" if power else "")


_MARKDOWN = re.compile(r"([\\`*_\[\]<>$|~#])")
_AUTOLINK = re.compile(r"(?<=\w):(?=//)|(?<=www)\.|@(?=\w)", re.IGNORECASE)


def md(text) -> str:
    r"""User text (a file or column name, a message quoting one) for ``st.markdown`` and alerts, inert.

    Markdown, links, LaTeX (``$…$``), colour directives (``:red[…]``) and HTML all
    show as the characters typed; line breaks become spaces.

    Examples
    --------
    >>> md("**bold** [link](http://x) $x^2$ :red[no]")
    '\\*\\*bold\\*\\* \\[link\\](http:\u2060//x) \\$x^2\\$ :red\\[no\\]'
    >>> md("see www.x.org or a@b.org")
    'see www.\u2060x.org or a@\u2060b.org'
    """
    text = _MARKDOWN.sub(r"\\\1", _CONTROL.sub(" ", str(text)))
    # GitHub-flavoured Markdown links bare addresses (http://…, www.…, a@b.c) even when escaped:
    # an invisible word joiner (U+2060) breaks them up.
    return _AUTOLINK.sub(lambda m: m.group(0) + "\u2060", text)


def code(text) -> str:
    """User text as an inline code span (shown literally, whatever it holds).

    Examples
    --------
    >>> code("total_bill"), code("a`b")
    ('`total_bill`', '`` a`b ``')
    """
    text = _CONTROL.sub(" ", str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    if not longest:
        return f"`{text}`"
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


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

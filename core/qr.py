"""A QR code of a share link, for a projector: drawn as SVG text by segno (pure Python, nothing fetched).

A phone reads a code from across a classroom only while its modules are few:
links longer than :data:`MAX_QR_CHARS` get no code (the page says why).

>>> svg = qr_svg("http://localhost:8501/gradient_descent?example=hours&alpha=0.05")
>>> svg.startswith("<svg") and "<title>QR code of this link</title>" in svg
True
>>> qr_svg("x" * (MAX_QR_CHARS + 1)) is None
True
"""

from __future__ import annotations

import io

import segno

#: About a version-25 code at error level M: still readable from a projected screen.
MAX_QR_CHARS = 1_000


def qr_svg(text: str, *, scale: int = 4) -> str | None:
    """The QR code of ``text`` as an SVG document (black on white, a 4-module quiet zone), or None if too long.

    Parameters
    ----------
    text : str
    scale : int
        Pixels per module.

    Returns
    -------
    str or None
    """
    if not text or len(text) > MAX_QR_CHARS:
        return None
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, xmldecl=False, title="QR code of this link",
              dark="#000000", light="#ffffff")
    return out.getvalue().decode("ascii")


def qr_version(text: str) -> int | None:
    """The QR version (1–40: its size is 17 + 4·version modules) :func:`qr_svg` would draw, or None."""
    if not text or len(text) > MAX_QR_CHARS:
        return None
    return int(segno.make(text, error="m", micro=False).version)

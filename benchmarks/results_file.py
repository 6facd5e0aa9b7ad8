"""``benchmarks/RESULTS.md`` is written one section at a time.

Each benchmark script owns the ``## <title>`` sections it measures and replaces
only those, so running one benchmark never drops another's numbers.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = "# Benchmark results\n"


def replace_section(title: str, body: str, path: Path = RESULTS) -> None:
    """Put ``## title`` with ``body`` where that section was (or at the end); keep every other section.

    >>> import tempfile; p = Path(tempfile.mkdtemp()) / "R.md"
    >>> replace_section("A", "one", p); replace_section("B", "two", p); replace_section("A", "1", p)
    >>> replace_section("B", "2", p); print(p.read_text(), end="")
    # Benchmark results
    <BLANKLINE>
    ## A
    <BLANKLINE>
    1
    <BLANKLINE>
    ## B
    <BLANKLINE>
    2
    """
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    section = f"## {title}\n\n{body.strip()}\n"
    start = text.find(f"\n## {title}\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        following = text.find("\n## ", start + 1)
        text = text[:start + 1] + section + ("\n" + text[following + 1:] if following >= 0 else "")
    path.write_text(text, encoding="utf-8")


def replace_header(line: str, path: Path = RESULTS) -> None:
    """Replace the text between the ``# Benchmark results`` title and the first section."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    first = text.find("\n## ")
    rest = text[first + 1:] if first >= 0 else ""
    path.write_text(f"{HEADER}\n{line.strip()}\n\n{rest}", encoding="utf-8")

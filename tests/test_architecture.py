"""The layout rules, checked: core never imports streamlit, modules stay small, one module writes the session.

These read the source as text (and, for imports, run a fresh interpreter), so
a rule broken anywhere fails here, not in review.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = sorted((ROOT / "core").rglob("*.py"))
GLUE = sorted((ROOT / "ui").rglob("*.py")) + sorted((ROOT / "views").rglob("*.py"))
MAX_LINES = 500


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def test_core_never_imports_streamlit():
    """Importing every core module in a fresh interpreter loads no streamlit (directly or indirectly)."""
    modules = [_module(p) for p in CORE]
    code = (f"import sys, importlib; sys.path.insert(0, {str(ROOT)!r})\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "    if 'streamlit' in sys.modules: print(name); break\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert len(modules) > 10 and out.stdout.strip() == "", f"{out.stdout.strip()} imports streamlit"


@pytest.mark.parametrize("path", CORE + GLUE, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_is_small_and_says_its_idea(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES, f"{path.name} has more than {MAX_LINES} lines"
    if path.name != "__init__.py" or text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{path.name} has no module docstring"


WRITES = re.compile(r"st\.session_state\s*\[[^\]]+\]\s*=(?!=)|st\.session_state\.(setdefault|pop|update|clear)\("
                    r"|del\s+st\.session_state")


def test_only_the_session_module_writes_session_state():
    writers = sorted(str(p.relative_to(ROOT)) for p in GLUE + [ROOT / "app.py"]
                     if WRITES.search(p.read_text(encoding="utf-8")))
    assert writers == ["ui/session.py"]


def test_pages_live_in_views_and_shared_glue_in_ui():
    """views/ holds page scripts only: nothing imports a module from it."""
    for path in CORE + GLUE + [ROOT / "app.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith("views"), f"{path.name} imports {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("views") for a in node.names), path.name


JS_MARKERS = re.compile(r"\bfunction\s*\(|=>\s*\{|document\.(querySelector|createElement)|\bconst\s+\w+\s*=")


def test_no_javascript_inside_python_strings():
    for path in CORE + GLUE + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 80:
                assert not JS_MARKERS.search(node.value), f"JavaScript in a Python string in {path.name}"


def test_no_javascript_program_inside_the_tests_and_benchmarks_python_strings():
    """Their page scripts live in tests/e2e/js/ and benchmarks/js/; a Playwright one-liner may stay inline."""
    for path in sorted((ROOT / "tests").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Constant, ast.JoinedStr)):
                text = node.value if isinstance(node, ast.Constant) else ast.unparse(node)
                if isinstance(text, str) and text.strip().count("\n") >= 4:
                    assert not JS_MARKERS.search(text), f"JavaScript in a Python string in {path.name}:{node.lineno}"


def test_the_session_key_table_names_every_literal_key_the_pages_use():
    from ui.session import KEYS

    patterns = [re.compile("^" + re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(name)).replace(r"\[", "(?:")
                           .replace(r"\]", ")?") + "$") for name in KEYS]
    used = set()
    for path in GLUE + [ROOT / "app.py"]:
        used |= set(re.findall(r"key=\"([A-Za-z_][\w]*)\"", path.read_text(encoding="utf-8")))
    widget_only = {"examples", "textbook_panel", "theta_table", "textbook_table", "working_steps",
                   "compare_table", "bench_table", "scaling", "data_preview", "ne_fit", "ne_residuals",
                   "surface", "contour", "history", "fit_at_step", "download", "load_slips",
                   "clear_working", "check_working", "run_benchmark", "syn_generate", "empty_canvas",
                   "convergence", "squares", "squares_bars"}
    missing = [k for k in sorted(used - widget_only) if not any(p.match(k) for p in patterns)]
    assert not missing, f"session keys used by the pages but not listed in ui.session.KEYS: {missing}"

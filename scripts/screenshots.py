"""Refresh the README's screenshots: docs/screenshots/<page>.png.

Runs the browser tests (they save a full-page screenshot of each page to
test-artifacts/screenshots/, gitignored) and copies those to docs/screenshots/.
Normal test runs never touch docs/, so CI leaves the tree clean.

    .venv/bin/python scripts/screenshots.py            # run the e2e tests, then copy
    .venv/bin/python scripts/screenshots.py --no-run   # only copy what the last run saved
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "test-artifacts" / "screenshots"
TARGET = REPO / "docs" / "screenshots"
PAGES = ("data", "normal_equation", "gradient_descent", "compare", "click_points", "phone_data",
         "phone_gradient_descent")


def main(argv: list[str]) -> int:
    if "--no-run" not in argv:
        done = subprocess.run([sys.executable, "-m", "pytest", "tests/e2e", "-q"], cwd=REPO)
        if done.returncode != 0:
            print("The browser tests failed; screenshots not copied.", file=sys.stderr)
            return done.returncode
    missing = [p for p in PAGES if not (SOURCE / f"{p}.png").exists()]
    if missing:
        print(f"No screenshot for: {', '.join(missing)} (looked in {SOURCE}).", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        shutil.copyfile(SOURCE / f"{name}.png", TARGET / f"{name}.png")
        print(f"docs/screenshots/{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

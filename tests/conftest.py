"""Shared test set-up: the repository root on sys.path, and Hypothesis profiles.

``make test`` (and so CI) runs the property tests derandomized: the same examples every run, so a
clean checkout passes or fails the same way and a failure can be reproduced. To look for new
counterexamples, run ``HYPOTHESIS_PROFILE=explore make test`` (fresh random draws each run); pin
what it finds with ``@example``.
"""

import os
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

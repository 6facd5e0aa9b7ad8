"""Real-browser end-to-end tests: fixtures.

Every test in this directory gets the ``e2e`` marker.  The suite runs the app
with ``streamlit run app.py`` on a free loopback port (one server for the whole
session) and drives it with Playwright in Debian's headless Chromium
(``chromium`` on PATH; ``playwright install`` cannot download browsers here).

Screenshots of each page go to ``test-artifacts/screenshots/`` (gitignored).
``scripts/screenshots.py`` runs this suite and copies them to
``docs/screenshots/`` for the README.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from e2e_support import CHROMIUM_ARGS, VIEWPORT, chromium_path, start_streamlit, stop_process

HERE = Path(__file__).resolve().parent
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def pytest_collection_modifyitems(config, items):
    """Mark every test collected from this directory as ``e2e``."""
    for item in items:
        path = Path(item.path).resolve()
        if HERE in path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    exe = chromium_path()
    if exe is None:
        pytest.fail(
            "The browser tests need Chromium ('chromium' on PATH), which was not found. "
            "Run `make test`: it installs Debian's chromium package "
            "(scripts/ensure-chromium.sh) before running the tests.",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": exe, "args": list(CHROMIUM_ARGS)}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Every page gets a 1400x900 viewport."""
    return {**browser_context_args, "viewport": dict(VIEWPORT)}


@pytest.fixture(scope="session")
def app_url():
    """Base URL of a streamlit server running app.py, shared by the session."""
    try:
        proc, url, log = start_streamlit()
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield url
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(autouse=True)
def outside_requests(context) -> list[str]:
    """Block every request that would leave the machine; the list of those blocked.

    Autouse, so no test sends traffic off the machine; ``test_no_request_leaves_the_machine``
    asserts the list stays empty.
    """
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("http://", "https://")) and host not in LOOPBACK:
            outside.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    return outside

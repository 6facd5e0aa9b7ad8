"""Helpers for the browser tests (imported by conftest.py and the tests).

Kept apart from conftest.py so tests can import them by a unique module name.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

#: Flags for Debian's Chromium.  Without the background-networking flags
#: Chromium tries to reach Google services and connections get refused here.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 900}

SERVER_START_TIMEOUT_S = 60.0
#: Upper bound for one script run after an interaction (ms).
IDLE_TIMEOUT_MS = 30_000


def chromium_path() -> str | None:
    """Path of the system Chromium, or None."""
    return shutil.which("chromium")


def page_js(name: str) -> str:
    """The text of ``tests/e2e/js/<name>.js``: a script for ``page.evaluate``, ``wait_for_function`` and the like."""
    return (Path(__file__).resolve().parent / "js" / f"{name}.js").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- server



def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_streamlit(script: str = "app.py", cwd: Path = REPO, timeout: float = SERVER_START_TIMEOUT_S):
    """Start ``streamlit run <script>`` on a free loopback port.

    Returns ``(process, base_url, log_file)``; raises RuntimeError with the
    server's output when it does not answer ``/_stcore/health`` in time.
    """
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    log = tempfile.TemporaryFile(mode="w+b")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        if _healthy(url):
            return proc, url, log
        time.sleep(0.2)
    stop_process(proc)
    log.seek(0)
    output = log.read().decode(errors="replace")
    log.close()
    state = f"exited with code {proc.returncode}" if proc.returncode is not None else "timed out"
    raise RuntimeError(
        f"streamlit server {state} before answering {url}/_stcore/health "
        f"(waited up to {timeout:.0f} s). Server output:\n{output}"
    )


def stop_process(proc: subprocess.Popen) -> None:
    """Stop one process we started: terminate, wait, then kill."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# --------------------------------------------------------------------------- page helpers



def wait_idle(page: Page, timeout: int = IDLE_TIMEOUT_MS) -> None:
    """Wait until the app has finished its script run and rendered.

    A widget change reaches the server a moment after the event, so first give
    the run a short chance to start (the state leaves ``notRunning``), then
    wait for ``data-test-script-state="notRunning"`` on ``stApp`` (set by
    Streamlit's frontend), for the connection, and for no skeleton or stale
    element to be left.
    """
    app = page.locator('[data-testid="stApp"]')
    try:
        page.wait_for_selector(
            '[data-testid="stApp"]:not([data-test-script-state="notRunning"])',
            state="attached", timeout=300,
        )
    except Exception:  # the run may already be over, or never needed
        pass
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]', state="attached", timeout=timeout
    )
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', state="attached", timeout=timeout
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)


def open_app(page: Page, url: str, path: str = "") -> None:
    page.goto(url.rstrip("/") + "/" + path.lstrip("/"))
    page.wait_for_selector('[data-testid="stApp"]', state="attached", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def assert_healthy(page: Page) -> None:
    """No exception box and no WebGL failure text anywhere on the page."""
    boxes = page.get_by_test_id("stException")
    if boxes.count():
        raise AssertionError("The app shows an exception:\n" + "\n---\n".join(boxes.all_inner_texts()))
    expect(page.get_by_text("WebGL is not supported", exact=False)).to_have_count(0)


def save_screenshot(page: Page, name: str) -> Path:
    """Full-page screenshot to ``test-artifacts/screenshots/<name>.png``.

    Streamlit scrolls inside its own container, so Playwright's ``full_page``
    sees only the viewport: grow the viewport to the content's height for the
    shot, then put it back.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size or dict(VIEWPORT)
    height = page.evaluate(
        """() => Math.max(...Array.from(document.querySelectorAll(
             '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]'))
           .map(e => e.scrollHeight), document.documentElement.scrollHeight)"""
    )
    height = int(min(max(height, size["height"]), 12_000))
    page.set_viewport_size({"width": size["width"], "height": height})
    try:
        page.evaluate("() => document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
        page.wait_for_timeout(300)  # let plotly resize and redraw at the new size
        wait_idle(page)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
    return path


def sidebar(page: Page):
    """The app's sidebar."""
    return page.get_by_test_id("stSidebar")


def main(page: Page):
    """The page's main area."""
    return page.get_by_test_id("stMain")


def upload(page: Page, path) -> None:
    """Give the Data page's uploader a file and wait for the run to end."""
    box = page.get_by_test_id("stFileUploader").filter(has_text="Upload a CSV file")
    box.locator('input[type="file"]').set_input_files(str(path))
    wait_idle(page)


def grid_rows(grid) -> list[list[str]]:
    """An ``st.dataframe``'s rows as text, header first, read from the grid's accessible table.

    The grid draws on a canvas; its cells are also kept as ``role="row"``/``gridcell`` elements for
    screen readers, which is what a test can read."""
    expect(grid.locator('[role=gridcell]').first).to_be_attached()
    return grid.evaluate("""g => [...g.querySelectorAll('[role=row]')].map(r =>
        [...r.querySelectorAll('[role=gridcell], [role=columnheader]')].map(c => c.textContent.trim()))
        .filter(r => r.length)""")

"""A real JupyterLab server over a copy of the lessons, driven by Debian's Chromium through Playwright."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ..conftest import ROOT

CHROMIUM = Path(os.environ.get("RWANDA_EDU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
VIEWPORT = {"width": 1400, "height": 1000}
MAX_SCREENSHOT_HEIGHT = 16_000  # px: Chromium's limit for one capture is about 16,384
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in item.nodeid.replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: install it with `sudo apt-get install chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (the browser suite must run in CI)")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """JupyterLab on 127.0.0.1 over a temporary copy of lessons/; yields (base url, lessons copy)."""
    home = tmp_path_factory.mktemp("lab")
    lessons = home / "lessons"
    shutil.copytree(ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("XDG_CONFIG_HOME", "xdg-config"),
        ("XDG_CACHE_HOME", "xdg-cache"),
    ]:
        env[var] = str(home / sub)
    env.pop("RWANDA_EDU_ANSWERS", None)  # answers go next to the lessons, as for a student
    env.pop("RWANDA_EDU_HIDE_CORRECTNESS", None)
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", f"--port={port}",
        "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
        f"--ServerApp.root_dir={lessons}", "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    with open(home / "server.log", "w") as log:
        server = subprocess.Popen(command, cwd=lessons, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(f"{base}/api/status", server, home / "server.log")
            yield base, lessons
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def _wait_for(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterLab did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page that blocks, and records, every request leaving 127.0.0.1.

    Any alert, confirm or prompt dialog (a sign that some text ran as script) fails the test.
    Afterwards the whole open notebook is saved as a screenshot in test-artifacts/browser.
    """
    context = browser.new_context(viewport=VIEWPORT)
    outside: list[str] = []
    dialogs: list[str] = []

    def on_dialog(dialog):
        if dialog.type == "beforeunload":  # JupyterLab asking before leaving the page: not a script of ours
            dialog.accept()
            return
        dialogs.append(f"{dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("dialog", on_dialog)
    page.outside_requests = outside
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = request.node.name.replace("/", "_").replace("[", "-").replace("]", "")
    try:
        _screenshot(page, ARTIFACTS / f"{name}.png")
    finally:
        context.close()
    if dialogs:
        pytest.fail(f"the page opened JavaScript dialog(s), so some text ran as script: {dialogs}")


def _screenshot(page, path: Path) -> None:
    """The whole open notebook, top to bottom: JupyterLab scrolls inside its panel, so the window is
    made as tall as the notebook first (else the page as it is, e.g. a hand-in page)."""
    from .lab import NOTEBOOK

    height = page.evaluate(
        """(selector) => {
            const panel = document.querySelector(selector);
            if (!panel) return 0;
            const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook');
            if (!scroller) return 0;
            scroller.scrollTop = 0;
            return scroller.scrollHeight + scroller.getBoundingClientRect().top + 40;
        }""",
        NOTEBOOK,
    )
    if height > VIEWPORT["height"]:
        page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height), MAX_SCREENSHOT_HEIGHT)})
        page.wait_for_timeout(500)  # let JupyterLab lay out and draw the cells now in view
    page.screenshot(path=str(path), full_page=True)

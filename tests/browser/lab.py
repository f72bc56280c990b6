"""Driving JupyterLab as a student would: open a notebook, Run All, wait, read what is on screen."""
from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

from ..conftest import ROOT

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = "text=/Python 3 \\(ipykernel\\) \\| Idle/"
TIMINGS = ROOT / "bench" / "browser_timings.json"


def open_notebook(page, base: str, name: str, timeout: float = 60_000) -> None:
    """Open ``name`` in a fresh workspace and wait until its kernel is idle."""
    page.goto(f"{base}/lab/tree/{name}?reset", wait_until="domcontentloaded")
    page.wait_for_selector(f"{NOTEBOOK} .jp-Notebook", timeout=timeout)
    page.wait_for_selector(IDLE, timeout=timeout)
    dismiss_toasts(page)


def dismiss_toasts(page) -> None:
    """Close JupyterLab's notifications (e.g. the news question) that can cover the notebook."""
    toasts = page.locator(".Toastify__close-button")
    for _ in range(5):
        if not toasts.count():
            return
        with contextlib.suppress(Exception):  # a toast that vanished by itself
            toasts.first.click(timeout=2_000)


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page, timeout: float = 120) -> float:
    """Run > Run All Cells; returns the seconds until every cell has run and the kernel is idle."""
    start = time.monotonic()
    menu(page, "Run", "Run All Cells")
    wait_until_executed(page, timeout)
    return time.monotonic() - start


def restart_and_run_all(page, timeout: float = 120) -> None:
    menu(page, "Kernel", "Restart Kernel and Run All Cells")
    dialog = page.locator(".jp-Dialog-button.jp-mod-accept")
    dialog.wait_for(timeout=10_000)
    dialog.click()
    time.sleep(1)
    wait_until_executed(page, timeout)


def wait_until_executed(page, timeout: float) -> None:
    """Wait until no code cell is queued or running and each shows an execution count."""
    deadline = time.monotonic() + timeout
    prompts = page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt")
    while time.monotonic() < deadline:
        # textContent, not innerText: cells scrolled out of view are not rendered but keep their prompt
        texts = prompts.all_text_contents()
        if texts and all(t.strip() not in ("[ ]:", "[*]:", "") for t in texts) and page.locator(IDLE).count():
            return
        time.sleep(0.25)
    raise TimeoutError(f"cells still running after {timeout} s: {prompts.all_text_contents()}")


def errors_on_screen(page) -> list[str]:
    """Tracebacks, stderr and widget failures shown in the notebook's outputs."""
    found = []
    for selector in (
        f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        f"{NOTEBOOK} .jp-RenderedText[data-mime-type='application/vnd.jupyter.error']",
    ):
        found += page.locator(selector).all_inner_texts()
    text = page.locator(NOTEBOOK).inner_text()
    if "Error displaying widget" in text:
        found.append("Error displaying widget")
    return found


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def record_timing(name: str, value: float | dict, group: str | None = None) -> None:
    """Add a timing (seconds, or a dict of figures) to ``bench/browser_timings.json``, which the benchmark reports."""
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    (timings.setdefault(group, {}) if group else timings)[name] = round(value, 2) if isinstance(value, float) else value
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(timings, indent=2, sort_keys=True))

"""Every notebook runs headless under nbclient (what ``jupyter nbconvert --execute``, papermill and
Jupyter Book use) without a stall: no gap over a few seconds between one cell's end and the next
cell's start, and no message from nbclient back to the kernel while it runs.

nbclient mimics an ``ipywidgets.Output`` that captures output by sending the captured output back
to the kernel over the socket it is reading the cell's reply from; at times that leaves it waiting
out the whole cell timeout. The module's charts never capture output that way; this checks it.
"""
from __future__ import annotations

import shutil
from datetime import datetime

import nbformat
import pytest
from nbclient import NotebookClient, output_widget

from .conftest import ROOT

NOTEBOOKS = sorted(p.relative_to(ROOT / "lessons").as_posix() for p in (ROOT / "lessons").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
RUNS = 3  # executions of each notebook, each with a new kernel
CELL_TIMEOUT = 15  # seconds: short, so that a stall (it lasts the whole timeout) shows as a gap
MAX_GAP = 5.0  # seconds between a cell's idle and the next cell's busy, from the kernel's timestamps


def gaps(notebook) -> list[tuple[int, float]]:
    """(cell index, seconds) from each code cell's end to the next code cell's start, kernel clock."""
    found, previous_idle = [], None
    for index, cell in enumerate(notebook.cells):
        timing = cell.metadata.get("execution", {}) if cell.cell_type == "code" else {}
        if "iopub.status.busy" in timing and previous_idle is not None:
            busy = datetime.fromisoformat(timing["iopub.status.busy"].replace("Z", "+00:00"))
            found.append((index, (busy - previous_idle).total_seconds()))
        if "iopub.status.idle" in timing:
            previous_idle = datetime.fromisoformat(timing["iopub.status.idle"].replace("Z", "+00:00"))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_runs_under_nbclient_without_a_stall(notebook, tmp_path, monkeypatch):
    copy = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", copy, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    sent = []
    real_send = output_widget.OutputWidget.send
    monkeypatch.setattr(output_widget.OutputWidget, "send",
                        lambda self, *args, **kwargs: (sent.append(args), real_send(self, *args, **kwargs)))
    for run in range(RUNS):
        executed = nbformat.read(copy / notebook, as_version=4)
        NotebookClient(executed, timeout=CELL_TIMEOUT, record_timing=True,
                       resources={"metadata": {"path": str((copy / notebook).parent)}}).execute()
        found = gaps(executed)
        assert len(found) == sum(c.cell_type == "code" for c in executed.cells) - 1, "cells without timings"
        stalls = [(index, round(seconds, 1)) for index, seconds in found if seconds > MAX_GAP]
        assert stalls == [], f"run {run + 1}: nbclient waited before these cells (index, seconds)"
        assert sent == [], f"run {run + 1}: nbclient sent captured output back to the kernel"

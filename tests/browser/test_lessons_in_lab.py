"""Every notebook in a real JupyterLab: Run All draws every widget and chart, with no error,
no request leaving 127.0.0.1, and no serious accessibility violation in the module's output."""
from __future__ import annotations

import re
import time

import pytest

from ..conftest import ROOT
from . import lab as jl

NOTEBOOKS = sorted(p.relative_to(ROOT / "lessons").as_posix() for p in (ROOT / "lessons").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


WIDGET_CALL = re.compile(r"\blesson\.(ask|quiz|sign_in_box|hand_in_button|timeline|strength_chart|map)\(")
CHART_CALL = re.compile(r"\blesson\.(timeline|strength_chart|map)\(")


def cells_calling(notebook: str, pattern: re.Pattern) -> list[int]:
    """Indexes (among code cells) of the cells whose code calls ``pattern``."""
    return [i for i, code in enumerate(jl.code_cells(ROOT / "lessons" / notebook)) if pattern.search(code)]


def undrawn(page, cells: list[int], selector: str, timeout: float = 60) -> list[int]:
    """The cells among ``cells`` whose output still lacks ``selector`` after waiting up to ``timeout``."""
    code_cells = page.locator(f"{jl.NOTEBOOK} .jp-CodeCell")
    deadline = time.monotonic() + timeout
    while True:
        missing = [i for i in cells if code_cells.nth(i).locator(f".jp-OutputArea-output {selector}").count() == 0]
        if not missing or time.monotonic() > deadline:
            return missing
        time.sleep(0.25)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_draws_everything_and_is_accessible(lab, page, notebook):
    base, _ = lab
    jl.open_notebook(page, base, notebook)
    start = time.monotonic()
    jl.run_all(page)
    widgets, charts = cells_calling(notebook, WIDGET_CALL), cells_calling(notebook, CHART_CALL)
    assert undrawn(page, widgets, ".jupyter-widgets") == [], "widgets not drawn in these code cells"
    assert undrawn(page, charts, ".js-plotly-plot .main-svg") == [], "charts not drawn in these code cells"
    jl.record_timing(notebook, time.monotonic() - start, group="run_all_seconds")

    assert jl.errors_on_screen(page) == []
    outputs = page.locator(f"{jl.NOTEBOOK} .jp-CodeCell .jp-OutputArea-output").count()
    assert outputs >= len(jl.code_cells(ROOT / "lessons" / notebook)) - 1, "a cell showed nothing"
    for chart in page.locator(f"{jl.NOTEBOOK} .rwanda-edu-chart").all():
        box = chart.locator("xpath=ancestor::*[contains(@class,'rwanda-edu-explorer')][1]")
        assert text_alternative_problems(box.locator(".rwanda-edu-text-alternative")) == []
    assert page.outside_requests == []
    assert serious_accessibility_violations(page) == []


def text_alternative_problems(alternative) -> list[str]:
    """What a chart's text alternative lacks: a "Text version" section with a summary sentence and a table
    with at least one row (read from the DOM: the section is closed until the reader opens it)."""
    if alternative.count() == 0:
        return ["a chart without its text alternative"]
    section = alternative.first.locator("details")
    summary, sentences = section.locator("summary").all_text_contents(), section.locator("p").all_text_contents()
    problems = []
    if [text.strip() for text in summary] != ["Text version"]:
        problems.append(f"no 'Text version' summary (found {summary})")
    if not sentences or not sentences[0].strip():
        problems.append("no summary sentence")
    if section.locator("table tbody tr").count() < 1:
        problems.append("no table rows")
    return problems


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings inside the notebook's outputs (the module's own views)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[f"{jl.NOTEBOOK} .jp-OutputArea-output"]]},
                        options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]

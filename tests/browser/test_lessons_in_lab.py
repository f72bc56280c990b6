"""Every notebook in a real JupyterLab: Run All draws every widget and chart, with no error,
no request leaving 127.0.0.1, and no serious accessibility violation in the module's output."""
from __future__ import annotations

import json
import re
import time

import pytest

from ..conftest import ROOT
from . import lab as jl

NOTEBOOKS = sorted(p.relative_to(ROOT / "lessons").as_posix() for p in (ROOT / "lessons").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
WIDGET_OUTPUT = f"{jl.NOTEBOOK} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']"
TIMINGS = ROOT / "bench" / "browser_timings.json"


@pytest.fixture(scope="module")
def timings():
    found: dict = {}
    yield found
    previous = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    previous.setdefault("run_all_seconds", {}).update(found)
    TIMINGS.parent.mkdir(exist_ok=True)
    TIMINGS.write_text(json.dumps(previous, indent=2, sort_keys=True))


def expected_charts(notebook: str) -> int:
    cells = jl.code_cells(ROOT / "lessons" / notebook)
    return sum(len(re.findall(r"lesson\.(timeline|strength_chart|map)\(", c)) for c in cells)


def wait_for_widgets(page, timeout: float = 60) -> tuple[int, int]:
    """Wait until every widget output holds a drawn widget; returns (drawn, expected)."""
    deadline = time.monotonic() + timeout
    while True:
        outputs = page.locator(WIDGET_OUTPUT)
        expected = outputs.count()
        drawn = page.locator(f"{WIDGET_OUTPUT} .jupyter-widgets").evaluate_all(
            "nodes => new Set(nodes.map(n => n.closest('.jp-OutputArea-output'))).size")
        if drawn >= expected or time.monotonic() > deadline:
            return drawn, expected
        time.sleep(0.25)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_draws_everything_and_is_accessible(lab, page, notebook, timings):
    base, _ = lab
    jl.open_notebook(page, base, notebook)
    start = time.monotonic()
    jl.run_all(page)
    drawn, expected = wait_for_widgets(page)
    charts = expected_charts(notebook)
    if charts:
        page.wait_for_function(
            f"document.querySelectorAll('{jl.NOTEBOOK} .js-plotly-plot .main-svg').length >= {charts}",
            timeout=60_000)
    timings[notebook] = round(time.monotonic() - start, 2)

    assert jl.errors_on_screen(page) == []
    assert expected > 0 and drawn == expected, f"{drawn} of {expected} widgets drawn"
    assert page.locator(f"{jl.NOTEBOOK} .js-plotly-plot").count() >= charts
    for chart in page.locator(f"{jl.NOTEBOOK} .rwanda-edu-chart").all():
        box = chart.locator("xpath=ancestor::*[contains(@class,'rwanda-edu-explorer')][1]")
        assert box.locator(".rwanda-edu-text-alternative").count() >= 1, "a chart without its text alternative"
    assert page.outside_requests == []
    assert serious_accessibility_violations(page) == []


def serious_accessibility_violations(page) -> list[str]:
    """axe-core's serious and critical findings inside the notebook's outputs (the module's own views)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context={"include": [[f"{jl.NOTEBOOK} .jp-OutputArea-output"]]},
                        options={"resultTypes": ["violations"]})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]

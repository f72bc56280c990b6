"""Benchmarks of rwanda_edu, as ratios against floors measured in the same run.

    python bench/run.py                      # everything (a few minutes)
    python bench/run.py --only import,collect --runs 3

Prints a table and writes bench/results.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PARTS = ("import", "lessons", "collect", "browser")
TARGETS = {"import": 1.1, "lesson": 1.5, "collect": 1.5, "collect_1000_s": 2.0, "lesson_kb": 300, "linear": 1.5,
           "click": 1.5, "gap_s": 5.0}
CLASS_SIZES = (10, 100, 1000)
CELL_TIMEOUT = 120  # seconds; a lesson cell that takes longer is reported as failed

# The floor of a lesson: one figure and one widget, with jsonschema loaded without the URI grammar of
# rfc3987_syntax, as the module loads it (plotly's first figure imports nbformat and jsonschema, and that
# grammar takes seconds to build: a floor that built it would do slow work the lessons skip).
LEAN_FLOOR_CELLS = [
    "import sys\nsys.modules['rfc3987_syntax'] = None\nimport jsonschema\ndel sys.modules['rfc3987_syntax']",
    "import pandas as pd\nimport plotly.graph_objects as go\nimport ipywidgets as widgets",
    "go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]))",
    "widgets.IntSlider(description='n')",
]

# The floor of collect: start Python, import pandas, read every hand-in with json.load and write the
# long table (one row per answer) as CSV: reading the files and writing the answers, nothing else.
COLLECT_FLOOR = """
import csv, json, sys, pathlib
import pandas
rows = []
for path in sorted(pathlib.Path(sys.argv[1]).glob('*.json')):
    with open(path, encoding='utf-8') as handle:
        doc = json.load(handle)
    for lesson, entries in doc['lessons'].items():
        for qid, entry in entries.items():
            rows.append((doc['student'], lesson, qid, json.dumps(entry['answer'], ensure_ascii=False),
                         entry['answered_at']))
out = pathlib.Path(sys.argv[2])
out.mkdir(exist_ok=True)
with open(out / 'answers_long.csv', 'w', encoding='utf-8-sig', newline='') as handle:
    csv.writer(handle).writerows(rows)
"""

# Parts that other features add: name -> function(args, work) returning rows (see ``row``): the marking
# view (bench/marking.py) below; the exchange collect (collect --exchange) is to register here too.
EXTRA_PARTS: dict = {}


def row(measure: str, value: float, floor: float | None = None, target: float | None = None, unit: str = "s",
        limit: str = "ratio") -> dict:
    """One figure of the report: ``value`` against ``floor`` measured in the same run (ratio <= ``target``),
    or, with ``limit="value"``, ``value`` itself against ``target``; no target: information."""
    ratio = value / floor if floor else None
    checked = ratio if limit == "ratio" else value
    ok = None if target is None or checked is None else checked <= target
    return {"measure": measure, "value": value, "floor": floor, "ratio": ratio, "unit": unit, "target": target,
            "limit": limit, "ok": ok}


def _time(argv: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def _medians(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, float]:
    """Median wall time of each command, runs interleaved so that machine noise hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(_time(argv, env))
    return {name: statistics.median(values) for name, values in times.items()}


def bench_import(runs: int) -> list[dict]:
    py = sys.executable
    m = _medians({"rwanda_edu": [py, "-c", "import rwanda_edu"], "floor": [py, "-c", "import pandas, ipywidgets"]}, runs)
    return [row("import rwanda_edu vs import pandas, ipywidgets", m["rwanda_edu"], m["floor"], TARGETS["import"])]


def _execute(path: Path, cwd: Path) -> dict:
    """Execute notebook ``path`` headless with nbclient; its kernel work, longest gap between cells and sizes.

    Kernel work is the sum over code cells of ``iopub.status.busy`` to ``iopub.status.idle``, from the kernel's
    own timestamps: kernel start-up and the client's waits are left out. A gap is the time from one cell's idle
    to the next cell's busy (a stall of the client shows there). Sizes: as JupyterLab saves it (no widget
    state, its default) and with the widget state stored.
    """
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # IPC sockets rather than TCP ports: no port clashes with other kernels on a busy machine.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tempfile.mkdtemp(dir=cwd.parent)) / "kernel"))
    NotebookClient(notebook, km=km, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(cwd)}}).execute()
    spans = []
    for cell in notebook.cells:
        timing = cell.metadata.get("execution", {}) if cell.cell_type == "code" else {}
        if "iopub.status.busy" in timing and "iopub.status.idle" in timing:
            spans.append((_stamp(timing["iopub.status.busy"]), _stamp(timing["iopub.status.idle"])))
    gaps = [(busy - idle).total_seconds() for (_, idle), (busy, _) in itertools.pairwise(spans)]
    with_state = len(nbformat.writes(notebook).encode("utf-8"))
    notebook.metadata.pop("widgets", None)
    return {"work_s": sum((idle - busy).total_seconds() for busy, idle in spans), "longest_gap_s": max(gaps, default=0.0),
            "size_kb": len(nbformat.writes(notebook).encode("utf-8")) / 1024, "size_with_widget_state_kb": with_state / 1024}


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def bench_lessons(runs: int, work: Path) -> list[dict]:
    import nbformat

    from rwanda_edu.teacher._lessons import lesson_ids

    lessons = ROOT / "lessons"
    copy = work / "lessons"
    shutil.copytree(lessons, copy, ignore=shutil.ignore_patterns("teacher", "answers", ".ipynb_checkpoints"))
    os.environ["RWANDA_EDU_ANSWERS"] = str(work / "answers")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in LEAN_FLOOR_CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, copy / "_lean_floor.ipynb")

    names = lesson_ids(copy)
    results: dict[str, list[dict]] = {name: [] for name in ["_lean_floor", *names]}
    errors: dict[str, str] = {}
    for _ in range(runs):  # interleaved, so that machine noise hits the floor and the lessons alike
        for name in results:
            try:
                results[name].append(_execute(copy / f"{name}.ipynb", copy))
            except Exception as error:  # a failing lesson is reported, the others still measured
                errors[name] = f"{type(error).__name__}: {str(error).strip().splitlines()[-1][:200]}"
    floor = statistics.median(r["work_s"] for r in results.pop("_lean_floor"))
    rows = [row(f"execute {name}: FAILED ({error[:60]})", float("nan")) for name, error in errors.items()]
    longest_gap = 0.0
    for name, runs_of_lesson in results.items():
        if name in errors or not runs_of_lesson:
            continue
        rows.append(row(f"lesson {name}: kernel work vs the lean floor", statistics.median(r["work_s"] for r in
                                                                                        runs_of_lesson), floor, TARGETS["lesson"]))
        rows.append(row(f"lesson {name}: size as saved", runs_of_lesson[-1]["size_kb"], None, TARGETS["lesson_kb"], "KB",
                        "value"))
        rows.append(row(f"lesson {name}: size with widget state", runs_of_lesson[-1]["size_with_widget_state_kb"],
                        unit="KB"))
        longest_gap = max([longest_gap, *(r["longest_gap_s"] for r in runs_of_lesson)])
    rows.append(row("lessons: longest gap between two cells (a stall)", longest_gap, None, TARGETS["gap_s"], limit="value"))
    return rows


def bench_collect(runs: int, work: Path) -> list[dict]:
    from rwanda_edu.teacher import collect, make_demo_class

    py = sys.executable
    everyone = work / "class"
    make_demo_class(everyone, max(CLASS_SIZES), seed=1)
    files = sorted(everyone.glob("*.json"))
    rows, per_handin = [], {}
    for n in CLASS_SIZES:
        folder = work / f"class_{n}"
        folder.mkdir()
        for path in files[:n]:
            shutil.copy(path, folder)
        m = _medians(
            {
                "collect": [py, "-m", "rwanda_edu.cli", "collect", str(folder), "--out", str(work / f"out_{n}")],
                "floor": [py, "-c", COLLECT_FLOOR, str(folder), str(work / f"floor_{n}")],
            },
            runs,
        )
        rows.append(row(f"collect {n} hand-ins vs reading them (json) and writing the answers", m["collect"], m["floor"],
                        TARGETS["collect"]))
        if n == max(CLASS_SIZES):
            rows.append(row(f"collect {n} hand-ins, whole command", m["collect"], None, TARGETS["collect_1000_s"],
                            limit="value"))
        inproc = []
        for _ in range(runs):
            start = time.perf_counter()
            collect(folder, work / f"out_{n}")
            inproc.append(time.perf_counter() - start)
        per_handin[n] = 1000 * statistics.median(inproc) / n
    # Linear: time per hand-in (in process, no start-up) at 1,000 about the same as at 100.
    rows.append(row("collect in process: ms per hand-in at 1000 vs at 100", per_handin[1000], per_handin[100],
                    TARGETS["linear"], unit="ms"))
    return rows


def bench_browser() -> list[dict]:
    """The timings the browser suite wrote (bench/browser_timings.json): click -> feedback against the
    bare-widget floor measured in the same browser session, and Run All per lesson (information)."""
    path = HERE / "browser_timings.json"
    timings = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    rows = []
    for kind, figure in sorted(timings.get("click_to_feedback", {}).items()):
        rows.append(row(f"browser: click -> feedback, {kind}, vs a bare RadioButtons -> HTML", figure["ms"],
                        figure["floor_ms"], TARGETS["click"], unit="ms"))
    for notebook, seconds in sorted(timings.get("run_all_seconds", {}).items()):
        rows.append(row(f"browser: Run All until drawn, {notebook}", seconds))
    if not rows:
        rows.append(row("browser: no timings (run `make test-browser` first)", float("nan")))
    return rows


def bench_marking(args, work: Path) -> list[dict]:
    """The marking view and feedback (bench/marking.py): each figure beside its floor, with its own limit."""
    from marking import TARGETS as LIMITS
    from marking import bench_marking as measure

    r = measure(args.runs, work)
    return [
        row(f"marks: store a mark ({r['marks_stored']} stored) vs an atomic fsynced write", r["store_ms"],
            r["atomic_write_ms"], LIMITS["store_ms"], "ms", "value"),
        row("marks: the same without fsync (the module's own work)", r["store_without_fsync_ms"],
            r["write_without_fsync_ms"], unit="ms"),
        row("marking view: next answer in the kernel vs setting an HTML widget", r["next_answer_ms"], r["set_html_ms"],
            LIMITS["next_ms"], "ms", "value"),
        row(f"feedback for {r['feedback_students']} students vs writing the files", r["feedback_s"], r["write_files_s"],
            LIMITS["feedback_1000_s"], "s", "value"),
    ]


EXTRA_PARTS["marking"] = bench_marking


def _table(rows: list[dict]) -> str:
    lines = [f"{'measure':76} {'value':>10} {'floor':>10} {'ratio':>6} {'target':>10}  ok"]
    for r in rows:
        value = "n/a" if r["value"] != r["value"] else f"{r['value']:.3g} {r['unit']}"
        floor = "" if r["floor"] is None else f"{r['floor']:.3g} {r['unit']}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        target = "" if r["target"] is None else (f"<= {r['target']}" + ("x" if r["limit"] == "ratio" else f" {r['unit']}"))
        ok = {True: "yes", False: "MISS", None: ""}[r["ok"]]
        lines.append(f"{r['measure'][:76]:76} {value:>10} {floor:>10} {ratio:>6} {target:>10}  {ok}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join([*PARTS, *EXTRA_PARTS]),
                        help=f"comma-separated parts: {', '.join([*PARTS, *EXTRA_PARTS])}")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure for import and collect (median)")
    parser.add_argument("--lesson-runs", type=int, default=2, help="runs per lesson execution (median)")
    parser.add_argument("--out", default=str(HERE / "results.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS and p not in EXTRA_PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}. Valid: {', '.join([*PARTS, *EXTRA_PARTS])}")
    if args.runs < 1 or args.lesson_runs < 1:
        parser.error("--runs and --lesson-runs must be at least 1")

    results: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
        "rows": [],
    }
    measures = {"import": lambda: bench_import(args.runs), "lessons": lambda: bench_lessons(args.lesson_runs, work),
                "collect": lambda: bench_collect(args.runs, work), "browser": bench_browser,
                **{name: (lambda part=part: part(args, work)) for name, part in EXTRA_PARTS.items()}}
    with tempfile.TemporaryDirectory(prefix="rwanda-edu-bench-") as tmp:
        work = Path(tmp)
        for part in parts:
            results["rows"] += measures[part]()
    print(_table(results["rows"]))
    misses = [r["measure"] for r in results["rows"] if r["ok"] is False]
    print(f"{len(misses)} miss(es)" + (": " + "; ".join(misses) if misses else ""))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks of rwanda_edu, as ratios against floors measured in the same run.

    python bench/run.py                      # everything (a few minutes)
    python bench/run.py --only import,collect --runs 3

Prints a table and writes bench/results.json. See bench/README.md.
"""
from __future__ import annotations

import argparse
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
PARTS = ("import", "lessons", "collect", "marking", "browser")
TARGETS = {"import": 1.1, "lesson": 1.5, "collect_1000_s": 2.0, "lesson_kb": 300, "linear": 1.5}
CLASS_SIZES = (10, 100, 1000)
CELL_TIMEOUT = 120  # seconds; a lesson cell that takes longer is reported as failed

FLOOR_CELLS = [
    "import pandas as pd\nimport plotly.graph_objects as go\nimport ipywidgets as widgets",
    "go.Figure(go.Bar(x=['a', 'b'], y=[1, 2]))",
    "widgets.IntSlider(description='n')",
]
# The same floor without the cost the module avoids: plotly's first figure imports nbformat and
# jsonschema, which builds the URI grammar of rfc3987_syntax (seconds). The module loads jsonschema
# without it (rwanda_edu/_jsonschema.py); this floor does the same, so the lessons are also
# compared with a floor that does no work they skip.
LEAN_FLOOR_CELLS = [
    "import sys\nsys.modules['rfc3987_syntax'] = None\nimport jsonschema\ndel sys.modules['rfc3987_syntax']",
    *FLOOR_CELLS,
]

# Reads answers the way notebook-based grading tools do: open each submitted notebook with
# nbformat and pick the answer cells out by their metadata.
NBFORMAT_EXTRACT = """
import sys, json, pathlib, nbformat
rows = []
for path in sorted(pathlib.Path(sys.argv[1]).glob('*.ipynb')):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        tag = cell.metadata.get('rwanda_edu')
        if tag:
            rows.append((path.stem, tag['lesson'], tag['question'], json.loads(cell.source)))
print(len(rows))
"""


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


def bench_import(runs: int) -> dict:
    py = sys.executable
    m = _medians({"rwanda_edu": [py, "-c", "import rwanda_edu"], "floor": [py, "-c", "import pandas, ipywidgets"]}, runs)
    ratio = m["rwanda_edu"] / m["floor"]
    return {"rwanda_edu_s": m["rwanda_edu"], "floor_s": m["floor"], "ratio": ratio, "target": TARGETS["import"],
            "ok": ratio <= TARGETS["import"]}


def _execute(path: Path, cwd: Path) -> tuple[float, int, int]:
    """Seconds to execute notebook ``path`` headless (kernel start included), and its executed size in bytes
    as JupyterLab saves it (outputs, no widget state: JupyterLab's default) and with the widget state stored."""
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    # IPC sockets rather than TCP ports: no port clashes with other kernels on a busy machine.
    km = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(tempfile.mkdtemp(dir=cwd.parent)) / "kernel"))
    start = time.perf_counter()
    NotebookClient(notebook, km=km, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(cwd)}}).execute()
    seconds = time.perf_counter() - start
    with_state = len(nbformat.writes(notebook).encode("utf-8"))
    notebook.metadata.pop("widgets", None)
    return seconds, len(nbformat.writes(notebook).encode("utf-8")), with_state


def bench_lessons(runs: int, work: Path) -> dict:
    import nbformat

    from rwanda_edu.teacher._lessons import lesson_ids

    lessons = ROOT / "lessons"
    copy = work / "lessons"
    shutil.copytree(lessons, copy, ignore=shutil.ignore_patterns("teacher", "answers", ".ipynb_checkpoints"))
    os.environ["RWANDA_EDU_ANSWERS"] = str(work / "answers")
    for name, cells in (("_floor", FLOOR_CELLS), ("_lean_floor", LEAN_FLOOR_CELLS)):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, copy / f"{name}.ipynb")

    names = lesson_ids(copy)
    times: dict[str, list[float]] = {name: [] for name in ["_floor", "_lean_floor", *names]}
    sizes: dict[str, tuple[int, int]] = {}
    errors: dict[str, str] = {}
    for _ in range(runs):
        for name in times:
            try:
                seconds, *size = _execute(copy / f"{name}.ipynb", copy)
            except Exception as error:  # a failing lesson is reported, the others still measured
                errors[name] = f"{type(error).__name__}: {str(error).strip().splitlines()[-1][:200]}"
                continue
            times[name].append(seconds)
            sizes[name] = size
    floor_s = statistics.median(times.pop("_floor"))
    lean_s = statistics.median(times.pop("_lean_floor"))
    rows = [{"lesson": name, "error": error} for name, error in errors.items()]
    for name, values in times.items():
        if name in errors:
            continue
        seconds = statistics.median(values)
        saved, with_state = sizes[name]
        rows.append({"lesson": name, "seconds": seconds, "ratio": seconds / floor_s,
                     "ratio_to_lean_floor": seconds / lean_s, "size_kb": saved / 1024,
                     "size_with_widget_state_kb": with_state / 1024,
                     "ok_time": seconds / floor_s <= TARGETS["lesson"], "ok_size": saved / 1024 <= TARGETS["lesson_kb"]})
    return {"floor_s": floor_s, "lean_floor_s": lean_s, "target_ratio": TARGETS["lesson"],
            "target_kb": TARGETS["lesson_kb"], "lessons": rows}


def _as_notebooks(handins: Path, target: Path, template: dict) -> None:
    """One notebook per hand-in: ``template`` (a lesson) plus one tagged cell per answer, as a student would submit."""
    import nbformat

    target.mkdir()
    for path in handins.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        nb = nbformat.from_dict(json.loads(json.dumps(template)))
        for lesson, entries in doc["lessons"].items():
            for qid, entry in entries.items():
                cell = nbformat.v4.new_code_cell(json.dumps(entry["answer"], ensure_ascii=False))
                cell.metadata["rwanda_edu"] = {"lesson": lesson, "question": qid}
                nb.cells.append(cell)
        nbformat.write(nb, target / f"{path.stem}.ipynb")


def bench_collect(runs: int, work: Path) -> dict:
    from rwanda_edu.teacher import collect, make_demo_class
    from rwanda_edu.teacher._lessons import lesson_ids

    py = sys.executable
    everyone = work / "class"
    make_demo_class(everyone, max(CLASS_SIZES), seed=1)
    files = sorted(everyone.glob("*.json"))
    lessons = lesson_ids(ROOT / "lessons")
    middle = ROOT / "lessons" / f"{lessons[len(lessons) // 2]}.ipynb" if lessons else None
    template = json.loads(middle.read_text(encoding="utf-8")) if middle else {
        "nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}
    rows = []
    for n in CLASS_SIZES:
        folder = work / f"class_{n}"
        folder.mkdir()
        for path in files[:n]:
            shutil.copy(path, folder)
        _as_notebooks(folder, work / f"notebooks_{n}", template)
        m = _medians(
            {
                "collect": [py, "-m", "rwanda_edu.cli", "collect", str(folder), "--out", str(work / f"out_{n}")],
                "nbformat": [py, "-c", NBFORMAT_EXTRACT, str(work / f"notebooks_{n}")],
            },
            runs,
        )
        inproc = []
        for _ in range(runs):
            start = time.perf_counter()
            collect(folder, work / f"out_{n}")
            inproc.append(time.perf_counter() - start)
        rows.append({"handins": n, "collect_s": m["collect"], "nbformat_s": m["nbformat"],
                     "in_process_ms_per_handin": 1000 * statistics.median(inproc) / n})
    by_n = {r["handins"]: r for r in rows}
    # Linear: time per hand-in (in process, no start-up) at 1,000 about the same as at 100.
    linear = by_n[1000]["in_process_ms_per_handin"] / by_n[100]["in_process_ms_per_handin"]
    return {"sizes": rows, "target_1000_s": TARGETS["collect_1000_s"],
            "ok_1000": by_n[1000]["collect_s"] <= TARGETS["collect_1000_s"], "per_handin_1000_vs_100": linear}


def bench_browser() -> dict | None:
    path = HERE / "browser_timings.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _table(results: dict) -> str:
    lines = [f"{'measure':58} {'value':>12} {'floor':>10} {'ratio':>7} {'target':>8} ok"]

    def row(name, value, floor="", ratio="", target="", ok=""):
        lines.append(f"{name:58} {value:>12} {floor:>10} {ratio:>7} {target:>8} {ok}")

    if "import" in results:
        r = results["import"]
        row("import rwanda_edu (s)", f"{r['rwanda_edu_s']:.3f}", f"{r['floor_s']:.3f}", f"{r['ratio']:.2f}",
            f"<={r['target']}", "yes" if r["ok"] else "NO")
    if "lessons" in results:
        r = results["lessons"]
        row("floor notebook (s)", f"{r['floor_s']:.2f}")
        row("lean floor notebook, no URI grammar (s)", f"{r['lean_floor_s']:.2f}")
        for lesson in r["lessons"]:
            if "error" in lesson:
                row(f"execute {lesson['lesson']}", "FAILED", "", "", "", lesson["error"][:60])
                continue
            row(f"execute {lesson['lesson']} (s)", f"{lesson['seconds']:.2f}", f"{r['floor_s']:.2f}",
                f"{lesson['ratio']:.2f}", f"<={r['target_ratio']}", "yes" if lesson["ok_time"] else "NO")
            row("  vs the lean floor", f"{lesson['seconds']:.2f}", f"{r['lean_floor_s']:.2f}",
                f"{lesson['ratio_to_lean_floor']:.2f}")
            row("  size executed, as saved (KB)", f"{lesson['size_kb']:.0f}", "", "", f"<={r['target_kb']}",
                "yes" if lesson["ok_size"] else "NO")
            row("  size with widget state stored (KB)", f"{lesson['size_with_widget_state_kb']:.0f}")
    if "collect" in results:
        r = results["collect"]
        for size in r["sizes"]:
            ok = ("yes" if r["ok_1000"] else "NO") if size["handins"] == 1000 else ""
            row(f"collect {size['handins']} hand-ins (s) vs nbformat", f"{size['collect_s']:.3f}",
                f"{size['nbformat_s']:.3f}", f"{size['collect_s'] / size['nbformat_s']:.2f}",
                f"<={r['target_1000_s']}s" if size["handins"] == 1000 else "", ok)
        for size in r["sizes"]:
            row(f"collect in process, ms per hand-in at {size['handins']}", f"{size['in_process_ms_per_handin']:.2f}")
        row("linear: ms per hand-in at 1000 / at 100", f"{r['per_handin_1000_vs_100']:.2f}", "", "",
            f"<={TARGETS['linear']}", "yes" if r["per_handin_1000_vs_100"] <= TARGETS["linear"] else "NO")
    if "marking" in results:  # bench/marking.py
        from marking import table_rows

        table_rows(results["marking"], row)
    if results.get("browser"):
        for name, value in results["browser"].items():
            for item, figure in (value.items() if isinstance(value, dict) else [("", value)]):
                row(f"browser: {name} {item}".strip(), f"{figure}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--runs", type=int, default=5, help="runs per measure for import and collect (median)")
    parser.add_argument("--lesson-runs", type=int, default=2, help="runs per lesson execution (median)")
    parser.add_argument("--out", default=str(HERE / "results.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s) {', '.join(unknown)}. Valid: {', '.join(PARTS)}")
    if args.runs < 1 or args.lesson_runs < 1:
        parser.error("--runs and --lesson-runs must be at least 1")

    results: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "processor": platform.processor() or platform.machine()},
    }
    with tempfile.TemporaryDirectory(prefix="rwanda-edu-bench-") as tmp:
        work = Path(tmp)
        if "import" in parts:
            results["import"] = bench_import(args.runs)
        if "lessons" in parts:
            results["lessons"] = bench_lessons(args.lesson_runs, work)
        if "collect" in parts:
            results["collect"] = bench_collect(args.runs, work)
        if "marking" in parts:  # bench/marking.py
            from marking import bench_marking

            results["marking"] = bench_marking(args.runs, work)
    if "browser" in parts:
        results["browser"] = bench_browser()
    print(_table(results))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every notebook many times headless and count the runs without a stall (a one-off check, long).

    python bench/headless.py                     # 50 runs of each notebook with nbclient and nbconvert
    python bench/headless.py --runs 5 --only nbclient --notebooks 06_aftermath_accountability

A stall is a gap of more than 5 s between one cell's ``iopub.status.idle`` and the next cell's
``iopub.status.busy`` (the kernel's own timestamps, recorded by nbclient). Each run starts a new
kernel: ``nbclient`` runs ``NotebookClient(nb, timeout=...)`` in this process, ``nbconvert`` runs
``jupyter nbconvert --to notebook --execute`` as a command. Writes bench/headless.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.test_headless import MAX_GAP, gaps  # noqa: E402  (the test's own definition of a gap)

RUNNERS = ("nbclient", "nbconvert")


def run_nbclient(path: Path, timeout: int, out: Path) -> dict:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=timeout, resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


def run_nbconvert(path: Path, timeout: int, out: Path) -> dict:
    import nbformat

    subprocess.run(
        [str(Path(sys.executable).parent / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
         f"--ExecutePreprocessor.timeout={timeout}", "--output-dir", str(out), "--output", "executed", str(path)],
        check=True, capture_output=True, cwd=path.parent,
    )
    return nbformat.read(out / "executed.ipynb", as_version=4)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="runs of each notebook with each runner")
    parser.add_argument("--timeout", type=int, default=20, help="cell timeout in seconds")
    parser.add_argument("--only", default=",".join(RUNNERS), help=f"comma-separated runners: {', '.join(RUNNERS)}")
    parser.add_argument("--notebooks", default="", help="comma-separated notebook names (default: all)")
    parser.add_argument("--out", default=str(HERE / "headless.json"), help="where to write the JSON results")
    args = parser.parse_args(argv)
    runners = [r.strip() for r in args.only.split(",") if r.strip()]
    if unknown := [r for r in runners if r not in RUNNERS]:
        parser.error(f"unknown runner(s) {', '.join(unknown)}. Valid: {', '.join(RUNNERS)}")

    results: dict = {"runs": args.runs, "timeout_s": args.timeout, "max_gap_s": MAX_GAP, "notebooks": {}}
    with tempfile.TemporaryDirectory(prefix="rwanda-edu-headless-") as tmp:
        work = Path(tmp)
        lessons = work / "lessons"
        shutil.copytree(ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
        os.environ["RWANDA_EDU_ANSWERS"] = str(work / "answers")
        names = [n.strip() for n in args.notebooks.split(",") if n.strip()] or sorted(
            p.relative_to(lessons).with_suffix("").as_posix() for p in lessons.rglob("*.ipynb"))
        for name in names:
            path = lessons / f"{name}.ipynb"
            for runner in runners:
                execute = run_nbclient if runner == "nbclient" else run_nbconvert
                record = {"runs": 0, "stalls": 0, "failures": 0, "longest_gap_s": 0.0, "seconds": 0.0}
                for _ in range(args.runs):
                    start = time.perf_counter()
                    try:
                        notebook = execute(path, args.timeout, work)
                    except Exception as error:  # a failed run is counted, the others still run
                        record["failures"] += 1
                        record.setdefault("errors", []).append(f"{type(error).__name__}: {str(error)[-200:]}")
                        continue
                    finally:
                        record["runs"] += 1
                        record["seconds"] += time.perf_counter() - start
                    longest = max((seconds for _, seconds in gaps(notebook)), default=0.0)
                    record["longest_gap_s"] = round(max(record["longest_gap_s"], longest), 2)
                    record["stalls"] += longest > MAX_GAP
                    print(f"  {name} {runner} run {record['runs']}: longest gap {longest:.2f} s", file=sys.stderr, flush=True)
                record["seconds"] = round(record["seconds"], 1)
                results["notebooks"].setdefault(name, {})[runner] = record
                print(f"{name:34} {runner:9} runs {record['runs']:3}  stalls {record['stalls']}  "
                      f"failures {record['failures']}  longest gap {record['longest_gap_s']:.2f} s", flush=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

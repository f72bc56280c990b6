"""Benchmarks of marking: storing a mark, drawing the next answer, writing feedback for 1,000 students.

Called from bench/run.py (part ``marking``); each figure has a floor measured in the same run:

- storing one mark (``MarksStore.set``, lock + read + check + atomic write) in a class of 30 with
  every open answer marked, against the bare atomic write (fsync and rename) of the same bytes;
  target under 20 ms; and the same two without the disk's flush (``os.fsync`` skipped), to show the
  module's own work apart from the disk's;
- the marking view's next answer (the key handled in the kernel, every widget updated), against
  setting the same page HTML on a bare widget; target under 100 ms (the browser suite adds the
  time to draw it: ``bench/browser_timings.json``);
- ``rwanda-edu feedback`` for 1,000 students, against writing the same files' bytes; target a few
  seconds (5 s).
"""
from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

TARGETS = {"store_ms": 20, "next_ms": 100, "feedback_1000_s": 5.0}


def _median_ms(action, runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _class(work: Path, students: int) -> Path:
    from rwanda_edu.teacher import collect, make_demo_class

    make_demo_class(work / f"handins-{students}", students)
    collect(work / f"handins-{students}", work / f"results-{students}")
    return work / f"results-{students}"


def _mark_everything(results: Path) -> None:
    from rwanda_edu._rubric import criterion_ids
    from rwanda_edu.teacher._marks import MarksStore, digest, read_class

    answers = read_class(results)
    marks = [(s, lesson, q, {c: 1 + (i % 4) for c in criterion_ids(rubric)}, "A comment to keep.", digest(text))
             for i, ((s, lesson, q), text) in enumerate(answers.answers.items())
             if (rubric := answers.rubric(lesson, q))]
    MarksStore(results).replace(marks)


def bench_marking(runs: int, work: Path) -> dict:
    import ipywidgets as w

    from rwanda_edu.formats import FEEDBACK, MARKS
    from rwanda_edu.responses import _write_atomic
    from rwanda_edu.teacher._feedback import feedback_documents, page, write_feedback
    from rwanda_edu.teacher._marking import MarkingView
    from rwanda_edu.teacher._marks import MarksStore

    results = _class(work, 30)
    _mark_everything(results)
    store = MarksStore(results)
    marks = sum(1 for _ in store.items())
    student, lesson, question, _mark = next(store.items())
    runs = max(runs, 5) * 4
    store_ms = _median_ms(lambda i: store.set(student, lesson, question, {"evidence": 1 + i % 4}, "ok", "text"), runs)
    doc = store._doc()
    floor_path = results / "floor.json"
    write_ms = _median_ms(lambda i: _write_atomic(floor_path, MARKS.dumps(doc)), runs)
    fsync = os.fsync
    os.fsync = lambda fd: None  # the module's own work, without the disk's flush (information only)
    try:
        store_no_sync_ms = _median_ms(
            lambda i: store.set(student, lesson, question, {"evidence": 1 + i % 4}, "ok", "text"), runs)
        write_no_sync_ms = _median_ms(lambda i: _write_atomic(floor_path, MARKS.dumps(doc)), runs)
    finally:
        os.fsync = fsync

    view = MarkingView(results)
    steps = iter(["n", "p"] * runs)
    next_ms = _median_ms(lambda i: view.press(next(steps)), runs)
    bare = w.HTML()
    html = view._page.value
    html_ms = _median_ms(lambda i: setattr(bare, "value", html + str(i)), runs)

    big = _class(work, 1000)
    _mark_everything(big)
    start = time.perf_counter()
    written = write_feedback(big, work / "feedback")
    feedback_s = time.perf_counter() - start
    docs = feedback_documents(big)
    contents = [(d, page(d)) for d in docs]
    start = time.perf_counter()
    floor_dir = work / "feedback-floor"
    floor_dir.mkdir()
    for i, (d, text) in enumerate(contents):
        (floor_dir / f"{i}.json").write_bytes(FEEDBACK.dumps(d))
        (floor_dir / f"{i}.html").write_text(text, encoding="utf-8", errors="replace")
    files_s = time.perf_counter() - start
    return {
        "marks_stored": marks,
        "store_ms": store_ms, "atomic_write_ms": write_ms, "store_vs_write": store_ms / write_ms,
        "store_without_fsync_ms": store_no_sync_ms, "write_without_fsync_ms": write_no_sync_ms,
        "next_answer_ms": next_ms, "set_html_ms": html_ms,
        "feedback_students": len(written), "feedback_s": feedback_s, "write_files_s": files_s,
        "feedback_vs_files": feedback_s / files_s,
        "ok": store_ms < TARGETS["store_ms"] and next_ms < TARGETS["next_ms"] and feedback_s < TARGETS["feedback_1000_s"],
    }


def table_rows(r: dict, row) -> None:
    """Add the marking figures to bench/run.py's table (``row(name, value, floor, ratio, target, ok)``)."""
    def ok(flag: bool) -> str:
        return "yes" if flag else "NO"

    row(f"store a mark ({r['marks_stored']} stored) (ms) vs atomic write", f"{r['store_ms']:.1f}",
        f"{r['atomic_write_ms']:.1f}", f"{r['store_vs_write']:.2f}", f"<{TARGETS['store_ms']}ms",
        ok(r["store_ms"] < TARGETS["store_ms"]))
    row("  the same without fsync (the module's own work) (ms)", f"{r['store_without_fsync_ms']:.1f}",
        f"{r['write_without_fsync_ms']:.1f}", f"{r['store_without_fsync_ms'] / r['write_without_fsync_ms']:.2f}")
    row("marking view: next answer in the kernel (ms) vs set HTML", f"{r['next_answer_ms']:.1f}", f"{r['set_html_ms']:.2f}",
        f"{r['next_answer_ms'] / max(r['set_html_ms'], 1e-6):.0f}", f"<{TARGETS['next_ms']}ms",
        ok(r["next_answer_ms"] < TARGETS["next_ms"]))
    row(f"feedback for {r['feedback_students']} students (s) vs writing the files", f"{r['feedback_s']:.2f}",
        f"{r['write_files_s']:.2f}", f"{r['feedback_vs_files']:.2f}", f"<{TARGETS['feedback_1000_s']:g}s",
        ok(r["feedback_s"] < TARGETS["feedback_1000_s"]))

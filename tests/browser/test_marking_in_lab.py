"""The teacher marks in JupyterLab with the keyboard alone; a student reads the feedback in a lesson."""
from __future__ import annotations

import json
import os
import shutil
import time

from rwanda_edu.teacher import collect, make_demo_class
from rwanda_edu.teacher._feedback import write_feedback
from rwanda_edu.teacher._marks import MarksStore

from . import lab as jl

VIEW = f"{jl.NOTEBOOK} .rwanda-edu-marking"


def _wait(condition, what: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_marking_with_the_keyboard_only(lab, page):
    base, lessons = lab
    results = lessons / "teacher" / "browser_results"
    shutil.rmtree(results, ignore_errors=True)
    make_demo_class(results.parent / "browser_handins", 8)
    collect(results.parent / "browser_handins", results)
    notebook = json.loads((lessons / "teacher" / "marking.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        cell["source"] = "".join(cell["source"]).replace("RESULTS = None", 'RESULTS = "browser_results"')
    (lessons / "teacher" / "marking_browser.ipynb").write_text(json.dumps(notebook), encoding="utf-8")

    jl.open_notebook(page, base, "teacher/marking_browser.ipynb")
    jl.run_all(page)
    assert jl.errors_on_screen(page) == []
    view = page.locator(VIEW).first
    view.locator(".rwanda-edu-marking-answer").wait_for()
    progress = view.locator(".rwanda-edu-marking-progress")
    assert "0 of" in progress.inner_text()

    view.focus()  # the view takes the keys; from here on, the keyboard alone
    store = MarksStore(results)
    first = view.locator(".rwanda-edu-marking-student").inner_text()
    assert first.startswith("Student ")  # anonymous
    for key in ("3", "2"):
        page.keyboard.press(key)
    _wait(lambda: sum(1 for _ in store.items()) == 1 and next(store.items())[3].levels == {"evidence": 3, "sourcing": 2},
          "the first two levels were not stored")
    _wait(lambda: progress.inner_text().startswith("1 of"), "the progress did not count the mark")
    page.keyboard.press("c")
    page.keyboard.type("Name the author of ¶ 10 <b>and why</b>")
    page.keyboard.press("Escape")  # leaving the comment box stores the comment
    _wait(lambda: next(store.items())[3].comment == "Name the author of ¶ 10 <b>and why</b>", "the comment was not stored")
    page.keyboard.press("n")
    _wait(lambda: "answer 2 of" in progress.inner_text(), "n did not move to the next answer")
    assert view.locator(".rwanda-edu-marking-student").inner_text() != first
    page.keyboard.press("4")
    page.keyboard.press("5")  # the comment bank's first comment
    _wait(lambda: sum(1 for _ in store.items()) == 2 and all(
        m.comment == "Name the author of ¶ 10 <b>and why</b>" for *_, m in store.items()), "the bank was not reused")
    assert view.locator(".rwanda-edu-level-evidence-4.mod-info").count() == 1

    # how long the next answer takes to appear after the key press (drawn by the browser)
    page.evaluate("""(view) => {
        window.__marking = {};
        window.addEventListener("keydown", () => { window.__marking.pressed = performance.now(); }, true);
        const student = () => view.querySelector(".rwanda-edu-marking-student");
        const before = student().innerText;
        new MutationObserver((_m, observer) => {
            if (student() && student().innerText !== before) {
                window.__marking.drawn = performance.now();
                observer.disconnect();
            }
        }).observe(view, {subtree: true, childList: true, characterData: true});
    }""", view.element_handle())
    page.keyboard.press("n")
    page.wait_for_function("() => window.__marking.drawn !== undefined", timeout=10_000)
    drawn = page.evaluate("() => window.__marking.drawn - window.__marking.pressed") / 1000
    jl.record_timing("next answer drawn after the key press (s)", drawn, group="marking view")

    # a student's <script> answer is text, never run
    answer = view.locator(".rwanda-edu-marking-answer")
    for _ in range(12):
        if "<script>" in answer.inner_text():
            break
        page.keyboard.press("n")
        time.sleep(0.4)
    assert "<script>alert('hello')</script>" in answer.inner_text()
    assert answer.locator("script, img").count() == 0
    assert page.outside_requests == []


def test_a_student_reads_the_feedback_in_a_lesson(lab, page, monkeypatch, tmp_path):
    base, lessons = lab
    make_demo_class(tmp_path / "handins", 3)
    collect(tmp_path / "handins", tmp_path / "results")
    store = MarksStore(tmp_path / "results")
    rows = (tmp_path / "results" / "answers_long.csv").read_text(encoding="utf-8-sig")
    student = next(line.split(",")[0] for line in rows.splitlines()[1:] if ",03_withdrawal_cable,why-withdraw," in line)
    comment = "<script>window.__pwned=1</script> Cite ¶ 10 👍 «exact»"
    store.set(student, "03_withdrawal_cable", "why-withdraw", {"evidence": 3, "reasoning": 4}, comment, "")
    write_feedback(tmp_path / "results", tmp_path / "feedback")

    from rwanda_edu import responses
    from rwanda_edu._feedback import file_name

    answers = lessons / "answers"
    monkeypatch.setenv(responses.ENV, str(answers))
    pointer = answers / responses.POINTER
    saved = pointer.read_bytes() if pointer.exists() else None
    try:
        responses.sign_in(student)
        shutil.copy(tmp_path / "feedback" / file_name(student), answers / file_name(student))
        jl.open_notebook(page, base, "03_withdrawal_cable.ipynb")
        jl.run_all(page)
        shown = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-marks-feedback").last
        shown.wait_for()
        text = shown.inner_text()
        assert comment in text and "3 · Secure" in text and "4 · Excellent" in text
        assert shown.locator("script").count() == 0
        assert not page.evaluate("() => window.__pwned === 1")
    finally:
        os.remove(answers / file_name(student))
        responses._pointer.cache_clear()
        if saved is None:
            pointer.unlink(missing_ok=True)
        else:
            pointer.write_bytes(saved)

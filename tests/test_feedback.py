"""Feedback: a page and a file per student; lesson.feedback() shows the teacher's marks beside the questions."""
from __future__ import annotations

import json
import shutil

import rwanda_edu
from rwanda_edu import Lesson, sign_in
from rwanda_edu._feedback import file_name, problems
from rwanda_edu.teacher import collect, make_demo_class
from rwanda_edu.teacher._feedback import write_feedback
from rwanda_edu.teacher._marks import MarksStore, read_class

COMMENT = "<script>alert('fb')</script> Cite ¶ 10 👍 — «très bien» \"exact\""


def test_a_student_reads_their_feedback_in_the_lesson(tmp_path, answers_dir):
    make_demo_class(tmp_path / "handins", 5)
    collect(tmp_path / "handins", tmp_path / "results")
    answers = read_class(tmp_path / "results")
    student, lesson, question = next(k for k in answers.answers if k[1:] == ("03_withdrawal_cable", "why-withdraw"))
    MarksStore(tmp_path / "results").set(student, lesson, question, {"evidence": 3, "language": 2}, COMMENT,
                                         answers.answers[(student, lesson, question)])
    written = write_feedback(tmp_path / "results", tmp_path / "feedback")
    assert len(written) == 5 and all(not problems(json.loads(p.read_text())) for p in written)
    assert (tmp_path / "feedback" / file_name(student)).is_file()

    view = Lesson("03_withdrawal_cable")
    assert "No feedback yet" not in view.feedback().data  # not signed in yet: says how to find it
    sign_in(student)
    assert "No feedback yet" in view.feedback().data and file_name(student) in view.feedback().data
    shutil.copy(tmp_path / "feedback" / file_name(student), answers_dir / file_name(student))
    shown = view.feedback().data
    assert "&lt;script&gt;alert(&#x27;fb&#x27;)&lt;/script&gt;" in shown and "<script>alert" not in shown
    assert "Evidence" in shown and "3 · Secure" in shown and "Precise language" in shown and "2 · Developing" in shown
    assert "Teacher&#x27;s marks: 5 of 8" in shown
    page = (tmp_path / "feedback" / file_name(student)).with_suffix(".html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;fb&#x27;)" in page and "<script>" not in page
    assert "Score: " in shown  # the auto-scored results too


def test_a_damaged_feedback_file_is_reported_not_raised(answers_dir):
    sign_in("Ada N.")
    answers_dir.mkdir(exist_ok=True)
    (answers_dir / file_name("Ada N.")).write_text("{not json", encoding="utf-8")
    assert "could not be read" in Lesson("03_withdrawal_cable").feedback().data


def test_feedback_released_through_a_hub_exchange_reaches_the_lesson(tmp_path, monkeypatch):
    from rwanda_edu import exchange, responses
    from rwanda_edu.cli import main

    shared = tmp_path / "exchange"
    monkeypatch.setenv("JUPYTERHUB_USER", "jo-d")
    monkeypatch.setenv(exchange.ENV, str(shared))
    monkeypatch.chdir(tmp_path)
    responses.current_store().record("03_withdrawal_cable", "why-withdraw", "Because of ¶ 7.")
    assert rwanda_edu.hand_in().delivered is not None
    results = tmp_path / "results"
    assert main(["collect", "--exchange", str(shared), "--out", str(results)]) == 0
    MarksStore(results).set("jo-d", "03_withdrawal_cable", "why-withdraw", {"evidence": 2}, COMMENT, "Because of ¶ 7.")
    assert main(["feedback", str(results), "--out", str(tmp_path / "feedback")]) == 0
    monkeypatch.setattr(exchange.os, "geteuid", lambda: 1000)  # as the teacher, not root: no account to hand files to
    assert main(["release-feedback", str(tmp_path / "feedback"), "--exchange", str(shared)]) == 0
    released = sorted(p.name for p in (shared / exchange.DEFAULT_ASSIGNMENT / exchange.FEEDBACK / "jo-d").iterdir())
    assert released == ["jo-d.feedback.html", "jo-d.feedback.json"]
    shown = Lesson("03_withdrawal_cable").feedback().data  # fetched from the exchange into the answers folder
    assert "&lt;script&gt;alert(&#x27;fb&#x27;)" in shown and "2 · Developing" in shown


def test_a_mark_on_an_unanswered_question_is_in_the_feedback(tmp_path):
    make_demo_class(tmp_path / "handins", 4)
    collect(tmp_path / "handins", tmp_path / "results")
    answers = read_class(tmp_path / "results")
    student = answers.students[0]
    unanswered = next((lesson, q) for lesson in answers.key.lessons() for q in answers.key.questions(lesson)
                      if answers.rubric(lesson, q) and (student, lesson, q) not in answers.answers)
    MarksStore(tmp_path / "results").set(student, *unanswered, {"evidence": 1}, "Please answer this one.", "")
    (page,) = [p for p in write_feedback(tmp_path / "results", tmp_path / "fb") if json.loads(p.read_text())["student"] == student]
    item = json.loads(page.read_text())["lessons"][unanswered[0]][unanswered[1]]
    assert item["comment"] == "Please answer this one." and item["answer"] == "(not answered)"

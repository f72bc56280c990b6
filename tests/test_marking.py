"""The marking view: keys store levels and comments at once, names stay hidden, answers are escaped."""
from __future__ import annotations

import pytest

from rwanda_edu._rubric import rubric_of
from rwanda_edu.cli import main
from rwanda_edu.teacher import collect, make_demo_class
from rwanda_edu.teacher._guide import guide_notes
from rwanda_edu.teacher._key import Key
from rwanda_edu.teacher._marking import RESULTS_ENV, MarkingView, marking_view


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("marking")
    make_demo_class(folder / "handins", 12)
    collect(folder / "handins", folder / "results")
    return folder / "results"


@pytest.fixture
def view(results):
    (results / "marks.json").unlink(missing_ok=True)
    return MarkingView(results)


def test_keys_mark_one_question_across_the_class(view):
    first = view.current
    assert view._progress.value.count("0 of") == 1
    for key in "3214":
        view.press(key)
    mark = view.store.get(*first)
    assert mark.levels == {"evidence": 3, "sourcing": 2, "reasoning": 1, "language": 4}
    view.press("n")
    assert view.current[1:] == first[1:] and view.current[0] != first[0]
    view.press("ArrowDown")
    view.press("2")  # the second criterion
    assert view.store.get(*view.current).levels == {"sourcing": 2}
    for _ in range(3):  # from reasoning (after the level moved on) up to evidence, then round to the last criterion
        view.press("ArrowUp")
    view.press("4")
    assert view.store.get(*view.current).levels == {"sourcing": 2, "language": 4}
    assert "2 of" in view._progress.value and "marked" in view._progress.value
    view.press("p")
    assert view.current == first


def test_the_same_level_again_takes_it_back(view):
    view.press("3")
    view.press("ArrowUp")
    view.press("3")
    assert view.store.get(*view.current) is None


def test_comments_are_stored_and_reused_from_the_bank(view):
    view._comment.value = 'Cite ¶ 10 — «exact» <b>words</b> 👍'
    item = view.current
    assert view.store.get(*item).comment == 'Cite ¶ 10 — «exact» <b>words</b> 👍'
    view.press("n")
    assert view._comment.value == ""
    assert "5 · Cite ¶ 10" in view._bank.children[1].description
    view.press("5")
    assert view.store.get(*view.current).comment == 'Cite ¶ 10 — «exact» <b>words</b> 👍'
    assert view.store.bank(*item[1:]) == ['Cite ¶ 10 — «exact» <b>words</b> 👍']


def test_students_are_anonymous_until_names_are_shown(view):
    student = view.current[0]
    assert student not in view._page.value and f"Student {view.numbers[student]}" in view._page.value
    view.press("s")
    assert student in view._page.value
    view._mode.value = "student"
    assert view._choose.options[0][0].startswith(view.by_number[0])
    assert len({s for s, _l, _q in view.items()}) == 1 and len(view.items()) > 5  # every answer of one student


def test_the_order_does_not_follow_the_names(view):
    assert view.by_number != sorted(view.by_number) or len(view.by_number) < 3


def test_answers_are_shown_escaped(view, results):
    script = next(item for item in view.answers.answers if "<script>" in view.answers.answers[item]
                  and item[1:] in view.questions)
    view.question = script[1:]
    view._refill()
    while view.current != script:
        view.press("n")
    assert "&lt;script&gt;alert(" in view._page.value and "<script>" not in view._page.value


def test_a_changed_answer_is_flagged(view):
    item = view.current
    view.store.set(*item, {"evidence": 2}, "", "what the student wrote before")
    view._draw()
    assert "changed since it was marked" in view._page.value
    assert "1 changed since marked" in view._progress.value


def test_the_guides_notes_are_found_for_every_question_they_name():
    """Every question a guide's open-question section opens a block with, and every claim check, gets its notes."""
    import re

    from rwanda_edu.teacher._lessons import find_lessons

    key = Key()
    for lesson in key.lessons():
        guide = (find_lessons() / "teacher" / "guide" / f"{lesson}.md").read_text(encoding="utf-8")
        section = re.split(r"^## Open questions?", guide, flags=re.M)
        named = set(re.findall(r"^(?:\*\*)?`([a-z0-9-]+)`", section[1].split("\n## ")[0], flags=re.M)) if len(section) > 1 else set()
        for qid, question in key.questions(lesson).items():
            rubric = rubric_of(question)
            if qid in named or question["type"] == "claim_check":
                assert rubric and f"`{qid}`" in guide_notes(lesson, qid, rubric), f"{lesson}/{qid}"
    assert "Exemplar" in guide_notes("03_withdrawal_cable", "why-withdraw")
    assert "verdict" in guide_notes("03_withdrawal_cable", "check-cable-claim")
    assert "The rubric" in guide_notes("08_capstone", "essay", "capstone")
    assert guide_notes("03_withdrawal_cable", "no-such-question") == ""


def test_a_question_without_notes_says_so(view):
    lesson, question = view.questions[0]
    view.question = ("08_capstone", "outline") if ("08_capstone", "outline") in view.questions else (lesson, question)
    view._refill()
    assert ("The teacher guide has no notes" in view._page.value) == (not guide_notes(*view.question))


def test_marking_view_reads_the_folder_rwanda_edu_mark_gives(results, monkeypatch):
    monkeypatch.setenv(RESULTS_ENV, str(results))
    assert marking_view().answers.folder == results
    with pytest.raises(ValueError, match="by must be"):
        marking_view(results, by="lesson")


def test_mark_opens_the_marking_notebook(results, monkeypatch):
    from rwanda_edu import cli

    calls = []
    monkeypatch.setattr(cli.subprocess, "call", lambda argv, env: calls.append((argv, env)) or 0)
    assert main(["mark", str(results)]) == 0
    argv, env = calls[0]
    assert argv[-1].endswith("teacher/marking.ipynb") or argv[-2].endswith("teacher/marking.ipynb")
    assert env[RESULTS_ENV] == str(results.resolve())


def test_mark_refuses_a_folder_collect_did_not_write(tmp_path, capsys):
    assert main(["mark", str(tmp_path)]) == 2
    assert "not a folder written by 'rwanda-edu collect'" in capsys.readouterr().err


def test_a_comment_too_long_to_store_is_refused_and_the_file_kept(view, results):
    view.press("3")
    before = (results / "marks.json").read_bytes()
    view._comment.value = "x" * 10_001
    assert "nothing was stored" in view._progress.value
    assert (results / "marks.json").read_bytes() == before
    assert MarkingView(results).store.notice is None  # the file is still valid: nothing set aside

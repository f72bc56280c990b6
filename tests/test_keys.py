"""Keys that stay with the teacher: the student edition of every bank holds no key, and a session that
cannot read the banks builds every question from it with correctness hidden. (The hub test checks the
locked files with real Unix accounts.)"""
from __future__ import annotations

import pytest

from rwanda_edu import _questions, keys, responses, widgets


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


@pytest.mark.parametrize("lesson", _questions.list_banks())
def test_student_edition_holds_no_key(lesson):
    full = _questions.question_bank(lesson)
    edition = keys.student_edition(full)
    assert edition["keys"] == "withheld"
    assert [q["id"] for q in edition["questions"]] == [q["id"] for q in full["questions"]]
    for question in edition["questions"]:
        assert "explanation" not in question
        if question["type"] == "choice":
            assert all(set(o) == {"id", "text"} for o in question["options"])
        if question["type"] == "ordering":
            ids = [item["id"] for item in question["items"]]
            assert ids == sorted(ids) and all("date" not in item for item in question["items"])
    assert any("correct" in node for node in walk(full["questions"])) == any(
        q["type"] == "choice" for q in full["questions"])


@pytest.fixture
def locked(tmp_path, monkeypatch):
    """A session whose account cannot read the banks: reading one raises PermissionError, as on a hub."""
    editions = tmp_path / "questions"
    editions.mkdir()
    keys.write_student_editions(editions / keys.STUDENT_EDITION)
    monkeypatch.setattr(keys, "_banks_dir", lambda: editions)
    monkeypatch.setattr(keys, "keys_withheld", lambda: True)

    def unreadable(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(_questions, "read_bank", unreadable)
    monkeypatch.setattr(_questions, "_bank_text", unreadable)
    _questions._bank.cache_clear()
    yield editions
    _questions._bank.cache_clear()


def test_every_question_works_from_the_student_edition(locked):
    assert widgets.hide_correctness()
    for lesson in _questions.list_banks():
        for question in _questions.question_bank(lesson)["questions"]:
            widget = widgets.ask(lesson, question["id"])
            assert widget.hidden
        if any(q.get("quiz") for q in _questions.question_bank(lesson)["questions"]):
            widgets.quiz(lesson)
    choice = widgets.ask("00_start_here", "practice-save")
    choice.choice.value = choice.choice.options[0][1]
    assert responses.current_store().answers("00_start_here")["practice-save"] == choice.choice.value
    assert choice.feedback.value == ""


def test_missing_student_edition_says_what_to_run(locked):
    (locked / keys.STUDENT_EDITION / "00_start_here.json").unlink()
    with pytest.raises(PermissionError, match="rwanda-edu lock-keys"):
        _questions.question_bank("00_start_here")


def test_lock_keys_needs_a_real_group(capsys):
    from rwanda_edu.cli import main

    assert main(["lock-keys", "--group", "no-such-group-here"]) == 2
    assert "groupadd" in capsys.readouterr().err

"""Claim checks put cited evidence before the student, and a revealed record stays revealed."""
from __future__ import annotations

import pytest

from rwanda_edu import _datasets, _questions, load_events, load_figures, load_resolutions, responses, widgets
from rwanda_edu._evidence import evidence_html
from rwanda_edu._html import escape
from rwanda_edu.question_types.claim_check import evidence_problems as problems
from rwanda_edu.widgets import ask

LESSON = "98_evidence"
BANK = """
lesson = "98_evidence"
title = "Evidence"
[[questions]]
id = "claim"
type = "claim_check"
prompt = "Does the record support this statement?"
claim = "cable-resolution-909"
evidence = [{resolution = 909}, {event = "%s"}, {figure = "%s"}, {document = "cable-1994-04-15", paragraphs = "5-6"}]
"""


@pytest.fixture(autouse=True)
def evidence_bank(monkeypatch, tmp_path):
    folder = tmp_path / "banks"
    folder.mkdir()
    event, figure = load_events()["id"].iloc[0], load_figures()["figure_id"].iloc[0]
    (folder / f"{LESSON}.toml").write_text(BANK % (event, figure), encoding="utf-8")
    monkeypatch.setattr(_questions, "_DIR", folder)
    monkeypatch.chdir(tmp_path)
    _questions._bank.cache_clear()
    yield
    widgets.save_pending()
    _questions._bank.cache_clear()


def test_each_kind_of_evidence_is_shown_with_its_citation():
    html = evidence_html(_questions.get_question(LESSON, "claim")["evidence"])
    r909 = load_resolutions().set_index("resolution").loc[909]
    event, figure = load_events().iloc[0], load_figures().iloc[0]
    cable = _datasets.load_document("cable-1994-04-15")
    assert "Security Council resolution 909" in html and "5 April 1994" in html
    assert escape(r909["summary"]) in html
    assert escape(event["title"]) in html
    assert f"{int(figure['low']):,}" in html
    assert "¶ 5" in html and "¶ 6" in html and "¶ 7" not in html
    assert escape(cable.paragraphs[4]) in html
    assert html.count("Source:") == 3 and escape(_datasets.cite("unsc-res-909")) in html
    record = _questions.claim("cable-resolution-909")  # the evidence never gives the verdict away
    assert escape(record["what_the_record_says"]) not in html
    assert not any(label in html for label in _questions.VERDICTS.values())


def test_the_widget_shows_the_evidence_under_the_claim():
    widget = ask(LESSON, "claim")
    header = widget.children[1].value
    assert header.index("rwanda-edu-claim") < header.index("Evidence to weigh")


@pytest.mark.parametrize("item, message", [
    ({"resolution": 1}, "unknown resolution 1 Valid: 846, 872"),
    ({"event": "e1994-04-21-res-912"}, "unknown event 'e1994-04-21-res-912'; did you mean 'e1994-04-21-res912'?"),
    ({"figure": "f-none"}, "unknown figure 'f-none'"),
    ({"document": "memo"}, "unknown document 'memo' Valid: cable-1994-04-15"),
    ({"document": "cable-1994-04-15", "paragraphs": "400"}, "has no paragraph 400"),
])
def test_evidence_that_names_nothing_real_is_refused(item, message):
    assert any(message in p for p in problems(item))
    bank = {"lesson": "97_t", "title": "t", "questions": [{"id": "c", "type": "claim_check", "prompt": "p",
                                         "claim": "cable-resolution-909", "evidence": [item]}]}
    assert any(message in p for p in _questions.validate_bank(bank))


def test_an_evidence_item_must_name_exactly_one_thing():
    bank = {"lesson": "97_t", "title": "t", "questions": [{"id": "c", "type": "claim_check", "prompt": "p",
                                         "claim": "cable-resolution-909", "evidence": [{"resolution": 909, "event": "x"}]}]}
    assert _questions.validate_bank(bank) == [
        "question 1 (id 'c'), evidence[1]: an evidence item names exactly one of: "
        'document (with optional paragraphs = "3-5"), event, resolution, figure']


def test_a_revealed_record_stays_revealed_and_the_verdict_locked_after_a_restart():
    widget = ask(LESSON, "claim")
    widget.pick.value = "differs"
    widget.reasons.value = "It was adopted on 5 April."
    widget.save()
    widget.reveal_button.click()
    assert widget.pick.disabled and "The record:" in widget.feedback.value
    saved = responses.current_store().answers(LESSON)["claim"]
    assert saved == {"verdict": "differs", "reasoning": "It was adopted on 5 April.", "revealed": True}
    assert _questions.score(_questions.get_question(LESSON, "claim"), saved) == (0.0, 1.0)

    again = ask(LESSON, "claim")  # a re-run, or a restarted kernel
    assert again.revealed and again.pick.disabled and again.pick.value == "differs"
    assert "The record:" in again.feedback.value


def test_an_unrevealed_answer_keeps_the_verdict_open():
    widget = ask(LESSON, "claim")
    widget.pick.value = "consistent"
    again = ask(LESSON, "claim")
    assert not again.revealed and not again.pick.disabled and again.feedback.value == ""


def test_revealed_must_be_true_or_false():
    question = _questions.get_question(LESSON, "claim")
    with pytest.raises(TypeError, match="revealed"):
        _questions.score(question, {"verdict": "consistent", "reasoning": "r", "revealed": "yes"})
    assert _questions.score(question, {"verdict": "consistent", "reasoning": "r", "revealed": True}) == (1.0, 1.0)

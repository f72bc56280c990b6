"""The auto-scored items measure reading, not test-wiseness.

Every choice question and claim check is built for a class of 30 students through the public
API (``rwanda_edu.sign_in`` then ``rwanda_edu.ask``), and the options are read as each widget
shows them. Strategies that read nothing ("always the first option", "always the longest")
must score close to chance, the key must not sit in the same place for every student, and a
claim check must offer a verdict for a claim that is right only in part.
"""
from __future__ import annotations

import statistics

import ipywidgets as w
import pytest

import rwanda_edu
from rwanda_edu import _questions, responses

STUDENTS = [f"Student {n:02d}" for n in range(1, 31)]


def _items(kind: str) -> list[tuple[str, dict]]:
    return [(lesson, q) for lesson in _questions.list_banks() for q in _questions.question_bank(lesson)["questions"]
            if q["type"] == kind]


CHOICES = _items("choice")
CLAIMS = _items("claim_check")


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def shown_options(widget) -> list[str]:
    """The option texts a widget shows, top to bottom (radio buttons or checkboxes)."""
    for child in _walk(widget):
        if isinstance(child, w.RadioButtons):
            return [o[0] if isinstance(o, tuple) else o for o in child.options]
    return [c.description for c in _walk(widget) if isinstance(c, w.Checkbox)]


@pytest.fixture(scope="module")
def class_of_30(tmp_path_factory):
    """For each student, the options of every choice question and claim check in the order shown."""
    folder = tmp_path_factory.mktemp("answers")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(responses.ENV, str(folder))
        patch.delenv("RWANDA_EDU_HIDE_CORRECTNESS", raising=False)
        seen = {}
        for student in STUDENTS:
            rwanda_edu.sign_in(student)
            seen[student] = {(lesson, q["id"]): shown_options(rwanda_edu.ask(lesson, q["id"]))
                             for lesson, q in CHOICES + CLAIMS}
    return seen


def _credit(question: dict, text: str) -> float:
    """The score share for picking only the option shown as ``text``."""
    option = next(o for o in question["options"] if o["text"] == text)
    answer = [option["id"]] if question["multiple"] else option["id"]
    earned, possible = _questions.score(question, answer)
    return earned / possible


def _strategy(seen, pick) -> float:
    """Average score share of a student who always picks ``pick(shown options)``, over the class and items."""
    return statistics.mean(_credit(q, pick(seen[s][(lesson, q["id"])])) for s in STUDENTS for lesson, q in CHOICES)


def _chance() -> float:
    """Expected share when one option is picked at random (for several answers too: 1 / options)."""
    return statistics.mean(1 / len(q["options"]) for _, q in CHOICES)


def test_every_student_sees_every_option_once(class_of_30):
    for student in STUDENTS:
        for lesson, q in CHOICES:
            assert sorted(class_of_30[student][(lesson, q["id"])]) == sorted(o["text"] for o in q["options"])


def test_always_the_first_option_scores_near_chance(class_of_30):
    first = _strategy(class_of_30, lambda shown: shown[0])
    assert abs(first - _chance()) <= 0.10, (first, _chance())


def test_always_the_longest_option_scores_near_chance(class_of_30):
    longest = _strategy(class_of_30, lambda shown: max(shown, key=len))  # ties: the first shown
    assert abs(longest - _chance()) <= 0.15, (longest, _chance())


def test_the_keys_place_differs_between_students(class_of_30):
    varied = 0
    for lesson, q in CHOICES:
        keys = {o["text"] for o in q["options"] if o["correct"]}
        places = {tuple(i for i, text in enumerate(class_of_30[s][(lesson, q["id"])]) if text in keys) for s in STUDENTS}
        varied += len(places) > 1
    assert varied / len(CHOICES) >= 0.9


def test_a_student_sees_the_same_order_again(class_of_30, tmp_path, monkeypatch):
    monkeypatch.setenv(responses.ENV, str(tmp_path))
    rwanda_edu.sign_in(STUDENTS[3])
    for lesson, q in CHOICES[:10]:
        assert shown_options(rwanda_edu.ask(lesson, q["id"])) == class_of_30[STUDENTS[3]][(lesson, q["id"])]


def test_claim_checks_offer_a_partial_verdict_in_no_fixed_place(class_of_30):
    partly = _questions.VERDICTS["partly"]
    for lesson, q in CLAIMS:
        shown = [class_of_30[s][(lesson, q["id"])] for s in STUDENTS]
        assert all(partly in options and len(options) == len(_questions.VERDICTS) for options in shown)
    first = statistics.mean(
        _questions.verdict_credit(next(v for v, label in _questions.VERDICTS.items() if label == options[0]),
                                  _questions.claim(q["claim"])["verdict"])
        for s in STUDENTS for lesson, q in CLAIMS for options in [class_of_30[s][(lesson, q["id"])]])
    chance = statistics.mean(_questions.verdict_credit(v, _questions.claim(q["claim"])["verdict"])
                             for _, q in CLAIMS for v in _questions.VERDICTS)
    assert abs(first - chance) <= 0.10, (first, chance)


def test_the_banks_give_no_length_cue():
    """In the files themselves: the key is never the only longest option, and "always the
    longest" (ties shared) scores near chance over every single-answer item."""
    single = [q for _, q in CHOICES if not q["multiple"]]
    only_longest = [q["id"] for q in single
                    if sorted((len(o["text"]), o["correct"]) for o in q["options"])[-1][1]
                    and sorted(len(o["text"]) for o in q["options"])[-2] < max(len(o["text"]) for o in q["options"])]
    assert only_longest == []
    share = statistics.mean(
        sum(o["correct"] for o in q["options"] if len(o["text"]) == longest) / count
        for q in single
        for longest in [max(len(o["text"]) for o in q["options"])]
        for count in [sum(len(o["text"]) == longest for o in q["options"])])
    chance = statistics.mean(1 / len(q["options"]) for q in single)
    assert abs(share - chance) <= 0.15, (share, chance)


def test_every_option_explains_itself():
    for _, q in CHOICES:
        assert all(o["feedback"].strip() for o in q["options"]), q["id"]

"""The teacher's key: marks are exact, whatever order hand-ins are collected in."""
from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rwanda_edu import _questions
from rwanda_edu.teacher._key import Key

KEY = Key()


def first(kind: str, **fields) -> tuple[str, dict]:
    """``(lesson, question)``: the first real question of type ``kind`` with ``fields``."""
    for lesson in KEY.lessons():
        for question in KEY.questions(lesson).values():
            if question["type"] == kind and all(question.get(k) == v for k, v in fields.items()):
                return lesson, question
    raise AssertionError(f"no {kind} question in the banks")


ORDERING = first("ordering")
MATCHING = first("matching")
MULTIPLE = first("choice", multiple=True)


def ids(question: dict, field: str) -> list[str]:
    return [item["id"] for item in question[field]]


def spellings(value) -> list[str]:
    """Strings a list or dict answer could be confused with."""
    return [repr(value), str(value), json.dumps(value), json.dumps(value, indent=1)]


def rejected(lesson: str, question: dict, answer, key: Key = KEY) -> bool:
    try:
        key.mark(lesson, question["id"], answer)
    except (TypeError, ValueError):
        return True
    return False


@settings(max_examples=60, deadline=None)
@given(st.permutations(ids(ORDERING[1], "items")))
def test_a_string_never_scores_like_the_ordering_it_spells(order):
    lesson, question = ORDERING
    marked = KEY.mark(lesson, question["id"], order)  # an honest hand-in first: its mark is remembered
    assert marked == (_questions.score(question, order), _questions.format_answer(question, order))
    for text in spellings(order):
        assert rejected(lesson, question, text), text


@settings(max_examples=60, deadline=None)
@given(st.permutations(ids(MATCHING[1], "pairs")))
def test_a_string_never_scores_like_the_matching_it_spells(rights):
    lesson, question = MATCHING
    answer = dict(zip(ids(question, "pairs"), rights, strict=True))
    KEY.mark(lesson, question["id"], answer)
    for text in spellings(answer):
        assert rejected(lesson, question, text), text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ids(MULTIPLE[1], "options")), min_size=1, unique=True))
def test_a_string_never_scores_like_the_choices_it_spells(picked):
    lesson, question = MULTIPLE
    KEY.mark(lesson, question["id"], picked)
    for text in spellings(picked):
        assert rejected(lesson, question, text), text


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
                    max_leaves=8))
def test_a_remembered_mark_is_the_mark_of_that_very_answer(answer):
    """Whatever was marked before, an answer gets exactly the mark it gets on its own."""
    lesson, question = ORDERING
    fresh = Key()
    for earlier in (ids(question, "items"), list(reversed(ids(question, "items"))), repr(answer), str(answer)):
        with contextlib.suppress(TypeError, ValueError):
            fresh.mark(lesson, question["id"], earlier)
    try:
        alone = _questions.score(question, answer), _questions.format_answer(question, answer)
    except (TypeError, ValueError):
        assert rejected(lesson, question, answer, fresh)
        return
    assert fresh.mark(lesson, question["id"], answer) == alone


def test_the_memo_tells_one_from_one_point_zero_and_true():
    lesson, question = first("choice", multiple=False)
    KEY.mark(lesson, question["id"], question["options"][0]["id"])
    for value in (1, 1.0, True):
        with pytest.raises((TypeError, ValueError)):
            KEY.mark(lesson, question["id"], value)


def _outcome(function, *args):
    try:
        return function(*args)
    except (TypeError, ValueError) as error:
        return type(error), str(error)


def _score_and_text(question: dict, answer) -> tuple:
    return _questions.score(question, answer), _questions.format_answer(question, answer)


def test_marking_checks_an_answer_once_and_says_what_score_and_format_answer_say():
    """``_questions.mark`` (what collect uses) against ``score`` and ``format_answer`` for every question of
    every bank: right and wrong demo answers, empty ones, and answers of the wrong form."""
    import random

    from rwanda_edu import question_types

    rng = random.Random(7)
    for lesson in KEY.lessons():
        for question in KEY.questions(lesson).values():
            kind = question_types.get(question["type"])
            answers = [kind.demo_answer(rng, question, True), kind.demo_answer(rng, question, False),
                       None, "", [], {}, 0, 1.0, True, "nonsense", ["nonsense"], {"nonsense": "x"}, {"verdict": 3}]
            for answer in answers:
                alone = _outcome(_score_and_text, question, answer)
                assert _outcome(_questions.mark, question, answer) == alone, (lesson, question["id"], answer)
                assert _outcome(KEY.mark, lesson, question["id"], answer) == alone, (lesson, question["id"], answer)

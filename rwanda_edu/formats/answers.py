"""The answers file (one student's saved answers) and the hand-in (those answers, handed in).

Both are ``{"format", "schema_version", "student", "lessons": {lesson id: {question id:
{"answer": raw answer, "answered_at": time}}}}``; a hand-in adds ``handed_in_at`` and always names
the student. Beyond their schemas: names are stripped, NFC and free of path and control characters,
and an answer is a plain JSON value (finite numbers, text keys) at most ``MAX_DEPTH`` levels deep.
"""
from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from importlib import resources

from .._checks import check_type
from .._i18n import N_, _
from ._format import Format

MAX_NAME_CHARS = 100
MAX_DEPTH = 8  # nesting of one answer: lists and dicts inside lists and dicts


def validate_student_name(name: object) -> str:
    """``name`` stripped (and in Unicode NFC form) if it can be used; otherwise a ValueError saying why.

    Letters of every script are welcome; empty names, names over 100 characters, path characters
    (``/``, ``\\``, ``..``) and invisible control characters are not.
    """
    check_type("name", name, str)
    assert isinstance(name, str)
    name = unicodedata.normalize("NFC", name.strip())
    if not name:
        raise ValueError(_("Please type your name: it is empty."))
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(_("Your name is {n} characters long; please use at most {limit} characters.").format(
            n=len(name), limit=MAX_NAME_CHARS))
    for char in name:
        if char in "/\\":
            raise ValueError(_("Your name cannot contain {char!r}; please use letters, spaces, '.' or '-'.").format(
                char=char))
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            raise ValueError(_(
                "Your name contains an invisible control character (U+{code}); please type it again."
            ).format(code=f"{ord(char):04X}"))
    if ".." in name:
        raise ValueError(_("Your name cannot contain '..'; please use letters, spaces, '.' or '-'."))
    return name


def json_value(value: object, what: str = "answer", depth: int = 0):
    """``value`` as a plain JSON value (tuples become lists); raise TypeError/ValueError otherwise."""
    if depth > MAX_DEPTH:
        raise ValueError(_("{what} is nested more than {n} levels deep").format(what=what, n=MAX_DEPTH))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("{what} contains {value!r}, which cannot be saved; use a finite number").format(
                what=what, value=value))
        return float(value)
    if isinstance(value, (list, tuple)):
        return [json_value(v, what, depth + 1) for v in value]
    if isinstance(value, dict):
        bad = [k for k in value if not isinstance(k, str)]
        if bad:
            raise TypeError(_("{what} has a key {key!r} of type {kind}; keys must be text (str)").format(
                what=what, key=bad[0], kind=type(bad[0]).__name__))
        return {str(k): json_value(v, what, depth + 1) for k, v in value.items()}
    raise TypeError(_(
        "{what} must be text, a number, True/False, None, or a list or dict of these; not {kind}"
    ).format(what=what, kind=type(value).__name__))


@functools.cache
def _id_rules() -> dict[str, tuple[re.Pattern, int | None, str]]:
    """Lesson and question id patterns, read from the question-bank schema (their one definition)."""
    schema = json.loads((resources.files("rwanda_edu") / "questions" / "schema.json").read_text(encoding="utf-8"))
    lesson, question = schema["properties"]["lesson"], schema["$defs"]["id"]
    return {
        N_("lesson id"): (re.compile(lesson["pattern"]), lesson.get("maxLength"), "03_withdrawal_cable"),
        N_("question id"): (re.compile(question["pattern"]), question.get("maxLength"), "why-withdraw"),
    }


def check_id(what: str, value: object) -> str:
    """``value`` if it is a valid ``"lesson id"`` or ``"question id"``; otherwise a ValueError naming the rule."""
    pattern, max_len, example = _id_rules()[what]
    check_type(_(what), value, str)
    assert isinstance(value, str)
    if not pattern.search(value) or (max_len is not None and len(value) > max_len):
        limit = _(", at most {n} characters").format(n=max_len) if max_len else ""
        raise ValueError(_("{what} {value!r} is not valid: it must match {pattern}{limit} (e.g. {example!r})").format(
            what=_(what), value=value, pattern=pattern.pattern, limit=limit, example=example))
    return value


def _name_problems(student: object) -> Iterator[str]:
    if student is None:
        return
    try:
        if validate_student_name(student) != student:
            yield _("student: the name has spaces around it or is not in Unicode NFC form")
    except (TypeError, ValueError) as error:
        yield f"student: {error}"


def _check(doc: dict) -> Iterator[str]:
    """What the schema cannot say: the name's form, and that each answer is a plain JSON value."""
    yield from _name_problems(doc["student"])
    for lesson_id, entries in doc["lessons"].items():
        for question_id, entry in entries.items():
            answer = entry["answer"]
            if type(answer) is str:  # text is always a plain JSON value: the common case, at once
                continue
            try:
                if json_value(answer) != answer:
                    raise ValueError(_("the answer is not a plain JSON value"))
            except (TypeError, ValueError, RecursionError) as error:
                yield f"lessons/{lesson_id}/{question_id}: {error}"


ANSWERS = Format("rwanda_edu.answers", 1, check=_check)
HANDIN = Format("rwanda_edu.handin", 1, check=_check)


def empty_answers() -> dict:
    """A new answers document: nobody signed in, no answers."""
    return ANSWERS.new(student=None, lessons={})

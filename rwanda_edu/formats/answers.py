"""The answers file (one student's saved answers) and the hand-in (those answers, handed in).

Both are ``{"format", "schema_version", "student", "lessons": {lesson id: {question id:
{"answer": raw answer, "answered_at": time}}}}``; a hand-in adds ``handed_in_at`` and always names
the student. Beyond their schemas: names are stripped, NFC and free of path and control characters,
and an answer is a plain JSON value (finite numbers, text keys) at most ``MAX_DEPTH`` levels deep.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator

from .._checks import check_type
from .._i18n import N_, _
from ._format import Format, _schema_file
from ._format import _is_time as is_time

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
    schema = _schema_file("questions.json")
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


def _plain(value: object, depth: int = 0) -> bool:
    """Whether ``value`` is a plain JSON value that :func:`json_value` returns unchanged (checked without a copy).

    Yes-only: ``False`` leaves the verdict, and the reason, to :func:`json_value`.
    """
    if depth > MAX_DEPTH:
        return False
    if type(value) is str or type(value) is int or type(value) is bool or value is None:
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is list:
        return all(_plain(item, depth + 1) for item in value)
    if type(value) is dict:
        return all(type(k) is str and _plain(v, depth + 1) for k, v in value.items())
    return False


def _check(doc: dict) -> Iterator[str]:
    """What the schema cannot say: the name's form, and that each answer is a plain JSON value."""
    yield from _name_problems(doc["student"])
    for lesson_id, entries in doc["lessons"].items():
        for question_id, entry in entries.items():
            answer = entry["answer"]
            if type(answer) is str or _plain(answer):  # text, the common case, at once
                continue
            try:
                if json_value(answer) != answer:
                    raise ValueError(_("the answer is not a plain JSON value"))
            except (TypeError, ValueError, RecursionError) as error:
                yield f"lessons/{lesson_id}/{question_id}: {error}"


@functools.cache
def _fields(fmt: Format) -> tuple[frozenset[str], int, bool]:
    """A format's fields (every one required, no others), the name's length limit and whether it may be null."""
    schema = fmt.schema()
    assert set(schema["required"]) == set(schema["properties"]) and schema["additionalProperties"] is False
    student = schema["properties"]["student"]
    return frozenset(schema["properties"]), student["maxLength"], "null" in student["type"]


def _is_time(value: object) -> bool:
    return type(value) is str and is_time(value)


def _fits(fmt: Format, doc: dict) -> bool:
    """Whether ``doc`` certainly fits the schema of ``fmt`` (the answers file or the hand-in): its quick check.

    One pass over the entries, with the schema's rules: the fields, the name's type and length, the times
    (``date-time``), the lesson and question ids (the bank schema's patterns and lengths, as ``check_id``), each
    entry exactly an answer and a time. Yes-only: any doubt is ``False``, left to the schema validators.
    """
    fields, name_limit, may_be_unnamed = _fields(fmt)
    if doc.keys() != fields or doc["format"] != fmt.name or type(doc["schema_version"]) is not int \
            or doc["schema_version"] != fmt.version:
        return False
    student = doc["student"]
    if not ((type(student) is str and len(student) <= name_limit) or (student is None and may_be_unnamed)):
        return False
    if "handed_in_at" in fields and not _is_time(doc["handed_in_at"]):
        return False
    lessons = doc["lessons"]
    if type(lessons) is not dict:
        return False
    rules = _id_rules()
    lesson_pattern, lesson_limit, _example = rules["lesson id"]
    question_pattern, question_limit, _example = rules["question id"]
    for lesson_id, entries in lessons.items():
        if not (type(lesson_id) is str and lesson_pattern.search(lesson_id) and (lesson_limit is None or len(lesson_id) <= lesson_limit)
                and type(entries) is dict):
            return False
        for question_id, entry in entries.items():
            if not (type(question_id) is str and question_pattern.search(question_id)
                    and (question_limit is None or len(question_id) <= question_limit)
                    and type(entry) is dict and len(entry) == 2 and "answer" in entry
                    and _is_time(entry.get("answered_at"))):
                return False
    return True


ANSWERS: Format = Format("rwanda_edu.answers", 1, check=_check, quick=lambda doc: _fits(ANSWERS, doc))
HANDIN: Format = Format("rwanda_edu.handin", 1, check=_check, quick=lambda doc: _fits(HANDIN, doc))


def empty_answers() -> dict:
    """A new answers document: nobody signed in, no answers."""
    return ANSWERS.new(student=None, lessons={})

"""Question banks: loading, validation, scoring and plain-text answers.

One TOML file per lesson in ``rwanda_edu/questions/``, checked against the bank schema and by
each question type's cross-checks (``rwanda_edu.question_types``; see docs/QUESTIONS.md).
Everything that differs by type is asked of the type, found by the question's ``type``.
The widgets and the teacher side both score raw answers with :func:`score`.

A shipped bank is checked once, by the test suite, not each time it is loaded:
``questions/checked.json`` holds the digest of each bank with the schema as checked
(``make checked-banks`` writes it; a test keeps it current). A bank whose digest differs, because
it or the schema was edited, is checked in full when loaded. The references from banks to the
data are checked by the test suite, which checks every shipped bank in full.
"""
from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import sys
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import cast

from . import question_types
from ._checks import check_choice, check_type
from ._i18n import _
from ._jsonschema import jsonschema
from .question_types import NOT_ANSWERED
from .question_types._base import duplicates
from .question_types.claim_check import VERDICTS, claim, verdict_credit  # noqa: F401 (part of this module's interface)
from .question_types.source_analysis import PROMPT_KINDS  # noqa: F401

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_DIR = resources.files("rwanda_edu") / "questions"
_SCHEMA = _DIR / "schema.json"
CHECKED = "checked.json"  # in the banks folder: lesson id -> digest of the bank as the tests checked it


class QuestionBankError(ValueError):
    """A question bank that breaks the schema or a cross-check; the message lists every problem."""


# Loading and validation


def list_banks() -> list[str]:
    """Lesson ids that have a question bank, sorted."""
    return sorted(p.name[: -len(".toml")] for p in _DIR.iterdir() if p.name.endswith(".toml"))


@functools.cache
def _bank(lesson_id: str) -> dict:
    path = _DIR / f"{lesson_id}.toml"
    checked = _DIR / CHECKED
    try:
        text = _bank_text(path)
        if checked.is_file() and json.loads(checked.read_text(encoding="utf-8")).get(lesson_id) == bank_digest(text):
            return _with_defaults(tomllib.loads(text.decode("utf-8")))  # exactly the text the tests checked
        return read_bank(path)
    except PermissionError:  # keys locked for teachers only: the student edition, without them
        from .keys import student_bank

        return student_bank(lesson_id)


def _bank_text(path) -> bytes:
    return path.read_bytes()


def bank_digest(text: bytes) -> str:
    """The digest of a bank's ``text`` together with the schema it is checked against."""
    return hashlib.sha256(_SCHEMA.read_bytes() + b"\0" + text).hexdigest()


def record_checked() -> dict[str, str]:
    """Check every bank in full and write their digests to ``checked.json``; return them."""
    digests = {}
    for lesson_id in list_banks():
        path = _DIR / f"{lesson_id}.toml"
        read_bank(path)  # raises QuestionBankError listing every problem
        digests[lesson_id] = bank_digest(path.read_bytes())
    Path(str(_DIR / CHECKED)).write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return digests


def question_bank(lesson_id: str) -> dict:
    """The validated question bank of lesson ``lesson_id`` (a fresh copy; loading is cached)."""
    check_type(_("lesson id"), lesson_id, str)
    check_choice("lesson", lesson_id, list_banks())
    return copy.deepcopy(_bank(lesson_id))


def get_question(lesson_id: str, question_id: str) -> dict:
    """Question ``question_id`` of lesson ``lesson_id``."""
    questions = {q["id"]: q for q in _bank(check_choice("lesson", lesson_id, list_banks()))["questions"]}
    check_choice("question", question_id, questions)
    return copy.deepcopy(questions[question_id])


def read_bank(path) -> dict:
    """Read and validate the bank at ``path``; its file name must be ``<lesson>.toml``.

    Defaults are filled in: ``points`` (1) on auto-scored questions, ``quiz``,
    ``multiple`` and each option's ``correct`` (false).
    """
    if not isinstance(path, (str, os.PathLike)) and not hasattr(path, "read_text"):
        raise TypeError(_("path must be str or a path, not {type}").format(type=type(path).__name__))
    source = Path(path) if isinstance(path, str) else path
    name = source.name
    try:
        bank = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise QuestionBankError(_("{name} is not valid TOML: {error}").format(name=name, error=err)) from None
    problems = validate_bank(bank)
    if not problems and bank["lesson"] != name[: -len(".toml")]:
        problems.append(_("'lesson' is {lesson!r} but the file is named {name!r}").format(lesson=bank["lesson"], name=name))
    if problems:
        heading = _("{n} problem(s):").format(n=len(problems))
        raise QuestionBankError(f"{name}: " + "\n- ".join([heading, *problems]))
    return _with_defaults(bank)


def validate_bank(bank: object) -> list[str]:
    """Every problem of ``bank`` (a parsed bank), as messages naming the question; empty when valid."""
    validator = jsonschema().Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(bank),
                    key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path])
    if errors:
        return [message for e in errors if (message := _describe(bank, e))]
    bank = cast(dict, bank)  # the schema checked it
    problems = []
    if len({q["id"] for q in bank["questions"]}) != len(bank["questions"]):
        problems.append(_("question ids are not unique: {ids}").format(ids=duplicates(q["id"] for q in bank["questions"])))
    for number, question in enumerate(bank["questions"], start=1):
        where = _("question {n} (id {id!r})").format(n=number, id=question["id"])
        problems += [f"{where}: {p}" for p in _cross_check(question)]
    return problems


@functools.cache
def _schema() -> dict:
    return question_types.bank_schema()


def _describe(bank, error) -> str:
    path = list(error.absolute_path)
    where = _("the bank")
    if len(path) >= 2 and path[0] == "questions":
        question = bank["questions"][path[1]]
        qid = question.get("id") if isinstance(question, dict) else None
        where = _("question {n}").format(n=path[1] + 1)
        if isinstance(qid, str):
            where = _("question {n} (id {id!r})").format(n=path[1] + 1, id=qid)
        path = path[2:]
    if path:
        where += ", " + "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    message = error.message
    if error.validator == "unevaluatedProperties":
        # Report only fields unknown to the question's type: a failed type check marks all its fields unevaluated.
        if error.instance.get("type") not in question_types.names():
            return ""
        allowed = _fields(error.instance["type"])
        unknown = sorted(set(error.instance) - allowed)
        if not unknown:
            return ""
        message = _("unknown field(s) {unknown}; valid fields: {valid}").format(
            unknown=", ".join(unknown), valid=", ".join(sorted(allowed)))
    if error.validator == "oneOf" and path[-2:-1] == ["evidence"]:
        message = _("an evidence item names exactly one of: document (with optional paragraphs = \"3-5\"), "
                    "event, resolution, figure")
    if error.validator == "pattern" and "description" in error.schema:
        message += f" ({error.schema['description']})"
    return f"{where}: {message}"


def _fields(type_name: str) -> set[str]:
    """The fields a question of type ``type_name`` may have, read from the schema."""
    common = _schema()["$defs"]["question"]["properties"]
    return set(common) | set(question_types.get(type_name).schema["properties"])


def _cross_check(question: dict) -> list[str]:
    """What the schema cannot check: the type's own checks, then the sources exist."""
    from . import _datasets

    problems = question_types.get(question["type"]).cross_check(question)
    sources = _datasets.load("sources")["id"].tolist()
    unknown = [s for s in question.get("sources", []) if s not in sources]
    if unknown:
        problems.append(_("unknown source id(s) {ids}; see data/sources.csv").format(ids=", ".join(unknown)))
    return problems


def _with_defaults(bank: dict) -> dict:
    for question in bank["questions"]:
        question_types.get(question["type"]).defaults(question)
    return bank


# Answers


def _type_of(question: object) -> question_types.QuestionType:
    checked = question if type(question) is dict else check_type("question", question, Mapping)
    return question_types.get(checked.get("type"))


def score(question: Mapping, answer: object) -> tuple[float, float] | None:
    """``(earned, possible)`` for an auto-scored question; ``None`` for the others.

    ``answer`` is the raw answer (``None`` when not answered: earns 0). Rules, per type,
    are in docs/QUESTIONS.md; a claim check scores its verdict against the claims dataset.
    Raises TypeError/ValueError if the answer does not fit the question.
    """
    kind = _type_of(question)
    if not kind.scored:
        return None
    possible = float(question.get("points", 1))
    if answer is None:
        return 0.0, possible
    kind.check_answer(question, answer)
    return possible * kind.fraction(question, answer), possible


def is_answered(question: Mapping, answer: object) -> bool:
    """Whether ``answer`` is a complete answer to ``question`` (rules in docs/QUESTIONS.md)."""
    kind = _type_of(question)
    if answer is None:
        return False
    kind.check_answer(question, answer)
    return kind.is_answered(question, answer)


def mark(question: Mapping, answer: object) -> tuple[tuple[float, float] | None, str]:
    """``(score(question, answer), format_answer(question, answer))``, the answer checked once.

    Raises TypeError/ValueError as they do (the collect's rescoring of every answer).
    """
    kind = _type_of(question)
    empty = answer is None or answer == "" or answer == [] or answer == {}
    if answer is not None and (kind.scored or not empty):
        kind.check_answer(question, answer)
    text = _(NOT_ANSWERED) if empty else kind.format_answer(question, answer)
    if not kind.scored:
        return None, text
    possible = float(question.get("points", 1))
    return (0.0 if answer is None else possible * kind.fraction(question, answer), possible), text


def format_answer(question: Mapping, answer: object) -> str:
    """The answer as plain text, for hand-in pages and reports (never HTML: escape it to display)."""
    kind = _type_of(question)
    if answer is None or answer == "" or answer == [] or answer == {}:
        return _(NOT_ANSWERED)
    kind.check_answer(question, answer)
    return kind.format_answer(question, answer)

"""Question banks: loading, validation, scoring and plain-text answers.

One TOML file per lesson in ``rwanda_edu/questions/``, checked against
``questions/schema.json`` and by the cross-checks below (see docs/QUESTIONS.md).
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

from ._checks import check_choice, check_type
from ._jsonschema import jsonschema

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

QUESTION_TYPES = ("choice", "text", "ordering", "matching", "source_analysis", "claim_check", "decision")
SCORED_TYPES = ("choice", "ordering", "matching", "claim_check")

#: Kinds of source-analysis prompt and how they are labelled.
PROMPT_KINDS = {
    "sourcing": "Sourcing",
    "contextualization": "Context",
    "corroboration": "Corroboration",
    "close-reading": "Close reading",
}

#: Verdicts of the claims dataset, in plain words.
VERDICTS = {
    "consistent": "The record agrees with it",
    "differs": "The record says something different",
    "disputed": "Reliable sources disagree about it",
    "unverified": "The record can neither confirm nor refute it",
}

_DIR = resources.files("rwanda_edu") / "questions"
_SCHEMA = _DIR / "schema.json"
CHECKED = "checked.json"  # in the banks folder: lesson id -> digest of the bank as the tests checked it
_SUB_ITEMS = {"choice": "options", "decision": "options", "ordering": "items", "matching": "pairs",
              "source_analysis": "prompts"}
NOT_ANSWERED = "(not answered)"


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
    (_DIR / CHECKED).write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return digests


def question_bank(lesson_id: str) -> dict:
    """The validated question bank of lesson ``lesson_id`` (a fresh copy; loading is cached)."""
    check_type("lesson id", lesson_id, str)
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
        raise TypeError(f"path must be str or a path, not {type(path).__name__}")
    source = Path(path) if isinstance(path, str) else path
    name = source.name
    try:
        bank = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise QuestionBankError(f"{name} is not valid TOML: {err}") from None
    problems = validate_bank(bank)
    if not problems and bank["lesson"] != name[: -len(".toml")]:
        problems.append(f"'lesson' is {bank['lesson']!r} but the file is named {name!r}")
    if problems:
        raise QuestionBankError(f"{name}: " + "\n- ".join([f"{len(problems)} problem(s):", *problems]))
    return _with_defaults(bank)


def validate_bank(bank: object) -> list[str]:
    """Every problem of ``bank`` (a parsed bank), as messages naming the question; empty when valid."""
    validator = jsonschema().Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(bank),
                    key=lambda e: [(0, p) if isinstance(p, int) else (1, str(p)) for p in e.absolute_path])
    if errors:
        return [message for e in errors if (message := _describe(bank, e))]
    problems = []
    if len({q["id"] for q in bank["questions"]}) != len(bank["questions"]):
        problems.append(f"question ids are not unique: {_duplicates(q['id'] for q in bank['questions'])}")
    for number, question in enumerate(bank["questions"], start=1):
        where = f"question {number} (id {question['id']!r})"
        problems += [f"{where}: {p}" for p in _cross_check(question)]
    return problems


@functools.cache
def _schema() -> dict:
    return json.loads(_SCHEMA.read_text(encoding="utf-8"))


def _describe(bank, error) -> str:
    path = list(error.absolute_path)
    where = "the bank"
    if len(path) >= 2 and path[0] == "questions":
        question = bank["questions"][path[1]]
        qid = question.get("id") if isinstance(question, dict) else None
        where = f"question {path[1] + 1}" + (f" (id {qid!r})" if isinstance(qid, str) else "")
        path = path[2:]
    if path:
        where += ", " + "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    message = error.message
    if error.validator == "unevaluatedProperties":
        # Report only fields unknown to the question's type: a failed type check marks all its fields unevaluated.
        allowed = _fields(error.instance.get("type"))
        unknown = sorted(set(error.instance) - allowed)
        if not unknown or error.instance.get("type") not in QUESTION_TYPES:
            return ""
        message = f"unknown field(s) {', '.join(unknown)}; valid fields: {', '.join(sorted(allowed))}"
    if error.validator == "oneOf" and path[-2:-1] == ["evidence"]:
        message = ("an evidence item names exactly one of: document (with optional paragraphs = \"3-5\"), "
                   "event, resolution, figure")
    if error.validator == "pattern" and "description" in error.schema:
        message += f" ({error.schema['description']})"
    return f"{where}: {message}"


def _fields(question_type: object) -> set[str]:
    """The fields a question of ``question_type`` may have, read from the schema."""
    schema = _schema()["$defs"]
    fields = set(schema["question"]["properties"])
    for rule in schema["question"]["allOf"]:
        if rule["if"]["properties"]["type"]["const"] == question_type:
            fields |= set(schema[rule["then"]["$ref"].split("/")[-1]]["properties"])
    return fields


def _duplicates(ids) -> str:
    seen, repeated = set(), []
    for i in ids:
        if i in seen and i not in repeated:
            repeated.append(i)
        seen.add(i)
    return ", ".join(repeated)


def _cross_check(q: dict) -> list[str]:
    """What the schema cannot check: unique sub-ids, answer keys, order of dates, references to the data."""
    from . import _datasets

    problems = []
    kind = q["type"]
    if kind in _SUB_ITEMS:
        ids = [item["id"] for item in q[_SUB_ITEMS[kind]]]
        if len(set(ids)) != len(ids):
            problems.append(f"{_SUB_ITEMS[kind]} ids are not unique: {_duplicates(ids)}")
    if kind == "choice":
        correct = sum(o.get("correct", False) for o in q["options"])
        if q.get("multiple") and correct == 0:
            problems.append("no option has correct = true")
        if not q.get("multiple") and correct != 1:
            problems.append(f"a single-answer question needs exactly one correct option, not {correct}"
                            " (or set multiple = true)")
    elif kind == "decision" and q["decided"] not in [o["id"] for o in q["options"]]:
        problems.append(f"decided {q['decided']!r} is not one of the options: "
                        + ", ".join(o["id"] for o in q["options"]))
    elif kind == "ordering":
        dates = [item.get("date") for item in q["items"]]
        if all(dates) and dates != sorted(dates):
            problems.append("items must be listed in the correct order, but their dates are not: " + ", ".join(dates))
    elif kind == "matching":
        for side in ("left", "right"):
            texts = [p[side] for p in q["pairs"]]
            if len(set(texts)) != len(texts):
                problems.append(f"{side} texts repeat: {_duplicates(texts)}")
    elif kind == "source_analysis" and q["document"] not in _datasets.list_documents():
        problems.append(f"unknown document {q['document']!r}. Valid: {', '.join(_datasets.list_documents())}")
    elif kind == "claim_check":
        claims = _claims()
        if q["claim"] not in claims:
            problems.append(f"unknown claim {q['claim']!r}. Valid: {', '.join(claims)}")
        from ._evidence import problems as evidence_problems

        for item in q.get("evidence", []):
            problems += evidence_problems(item)
    sources = _datasets.load("sources")["id"].tolist()
    unknown = [s for s in q.get("sources", []) if s not in sources]
    if unknown:
        problems.append(f"unknown source id(s) {', '.join(unknown)}; see data/sources.csv")
    return problems


def _with_defaults(bank: dict) -> dict:
    for q in bank["questions"]:
        if q["type"] in SCORED_TYPES:
            q.setdefault("points", 1)
            q.setdefault("quiz", False)
        if q["type"] == "choice":
            q.setdefault("multiple", False)
            for option in q["options"]:
                option.setdefault("correct", False)
    return bank


# The claims a claim_check question refers to


@functools.cache
def _claims() -> dict[str, dict]:
    from . import _datasets

    claims = _datasets.load("claims")
    records = {}
    for row in claims.to_dict("records"):
        row = {k: None if _missing(v) else (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        row["source_ids"] = _datasets.split_ids(row.get("source_ids"))
        records[row["claim_id"]] = row
    return records


def _missing(value) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, tuple)) and pd.isna(value))


def claim(claim_id: str) -> dict:
    """Claim ``claim_id`` of the claims dataset as a dict (quote, document_id, paragraph, verdict, ...)."""
    check_type("claim id", claim_id, str)
    check_choice("claim", claim_id, _claims())
    return dict(_claims()[claim_id])


# Answers


def _question_type(question: object) -> str:
    check_type("question", question, Mapping)
    return check_choice("question type", question.get("type"), QUESTION_TYPES)


def _ids(question: Mapping) -> list[str]:
    return [item["id"] for item in question[_SUB_ITEMS[question["type"]]]]


def _check_answer(question: Mapping, answer: object) -> None:
    """Raise TypeError/ValueError if ``answer`` does not have the raw form of ``question``'s type."""
    kind = question["type"]
    what = f"answer to {question['id']!r}"
    if kind == "choice":
        if question.get("multiple"):
            check_type(what, answer, list)
            for option in answer:
                check_choice("option", option, _ids(question))
            if len(set(answer)) != len(answer):
                raise ValueError(f"{what} names an option twice: {answer}")
        else:
            check_choice("option", answer, _ids(question))
    elif kind == "text":
        check_type(what, answer, str)
    elif kind == "ordering":
        check_type(what, answer, list)
        if not all(isinstance(a, str) for a in answer) or sorted(answer) != sorted(_ids(question)):
            raise ValueError(f"{what} must list every item once; got {answer}. Items: {', '.join(_ids(question))}")
    elif kind in ("matching", "source_analysis"):
        check_type(what, answer, dict)
        for key, value in answer.items():
            check_choice("pair" if kind == "matching" else "prompt", key, _ids(question))
            if kind == "matching":
                check_choice("pair", value, _ids(question))
            else:
                check_type(f"answer to prompt {key!r}", value, str)
    else:  # claim_check, decision
        check_type(what, answer, dict)
        pick, words = ("verdict", "reasoning") if kind == "claim_check" else ("choice", "justification")
        for key in answer:
            check_choice(f"part of the {kind} answer", key, [pick, words, "revealed"])
        if answer.get(pick) is not None:
            check_choice(pick, answer[pick], list(VERDICTS) if kind == "claim_check" else _ids(question))
        check_type(words, answer.get(words, ""), str)
        check_type("revealed", answer.get("revealed", False), bool)


def score(question: Mapping, answer: object) -> tuple[float, float] | None:
    """``(earned, possible)`` for an auto-scored question; ``None`` for the others.

    ``answer`` is the raw answer (``None`` when not answered: earns 0). Rules, per type,
    are in docs/QUESTIONS.md; a claim check scores its verdict against the claims dataset.
    Raises TypeError/ValueError if the answer does not fit the question.
    """
    kind = _question_type(question)
    if kind not in SCORED_TYPES:
        return None
    possible = float(question.get("points", 1))
    if answer is None:
        return 0.0, possible
    _check_answer(question, answer)
    if kind == "choice":
        correct = {o["id"] for o in question["options"] if o.get("correct")}
        if question.get("multiple"):
            picked = set(answer)
            fraction = max(0, len(picked & correct) - len(picked - correct)) / len(correct)
        else:
            fraction = float(answer in correct)
    elif kind == "ordering":
        fraction = sum(a == b for a, b in zip(answer, _ids(question), strict=True)) / len(answer)
    elif kind == "matching":
        fraction = sum(answer.get(pid) == pid for pid in _ids(question)) / len(_ids(question))
    else:
        fraction = float(answer.get("verdict") == claim(question["claim"])["verdict"])
    return possible * fraction, possible


def is_answered(question: Mapping, answer: object) -> bool:
    """Whether ``answer`` is a complete answer to ``question`` (rules in docs/QUESTIONS.md)."""
    kind = _question_type(question)
    if answer is None:
        return False
    _check_answer(question, answer)
    if kind == "choice":
        return bool(answer) if question.get("multiple") else True
    if kind == "text":
        return bool(answer.strip())
    if kind == "ordering":
        return True
    if kind in ("matching", "source_analysis"):
        return all(_filled(answer.get(i)) for i in _ids(question))
    pick, words = ("verdict", "reasoning") if kind == "claim_check" else ("choice", "justification")
    return answer.get(pick) is not None and _filled(answer.get(words))


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def format_answer(question: Mapping, answer: object) -> str:
    """The answer as plain text, for hand-in pages and reports (never HTML: escape it to display)."""
    kind = _question_type(question)
    if answer is None or answer == "" or answer == [] or answer == {}:
        return NOT_ANSWERED
    _check_answer(question, answer)
    if kind == "text":
        return answer
    if kind in ("choice", "decision"):
        options = {o["id"]: o["text"] for o in question["options"]}
        if kind == "decision":
            chosen = options.get(answer.get("choice"), NOT_ANSWERED)
            return f"Choice: {chosen}\nJustification: {answer.get('justification') or NOT_ANSWERED}"
        if isinstance(answer, list):
            return "\n".join(f"- {options[i]}" for i in answer)
        return options[answer]
    if kind == "ordering":
        texts = {item["id"]: item["text"] for item in question["items"]}
        return "\n".join(f"{n}. {texts[i]}" for n, i in enumerate(answer, start=1))
    if kind == "matching":
        rights = {p["id"]: p["right"] for p in question["pairs"]}
        return "\n".join(f"{p['left']} → {rights.get(answer.get(p['id'])) or NOT_ANSWERED}" for p in question["pairs"])
    if kind == "source_analysis":
        return "\n\n".join(
            f"{PROMPT_KINDS[p['kind']]}: {p['text']}\n{answer.get(p['id']) or NOT_ANSWERED}" for p in question["prompts"]
        )
    verdict = VERDICTS.get(answer.get("verdict"), NOT_ANSWERED)
    return f"Verdict: {verdict}\nReasoning: {answer.get('reasoning') or NOT_ANSWERED}"

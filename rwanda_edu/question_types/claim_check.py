"""``claim_check``: a claim from a document, weighed against cited evidence, then checked against the record.

The verdict is scored against the claims dataset; the reasoning is for the teacher. Evidence items
name one thing each (``{document = id, paragraphs = "3-5"}``, ``{event = id}``, ``{resolution = 912}``
or ``{figure = id}``); :func:`evidence_problems` checks that it exists, ``rwanda_edu._evidence`` shows it.
"""
from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_choice, check_type, paragraph_numbers
from .._i18n import N_, _
from . import register
from ._base import PickAndReasons, or_not_answered
from .text import DEMO_TEXTS

#: Verdicts of the claims dataset, in plain words (translate with ``_`` when shown).
VERDICTS = {
    "consistent": N_("The record agrees with it"),
    "partly": N_("The record supports part of it and contradicts another part"),
    "differs": N_("The record says something different"),
    "disputed": N_("Reliable sources disagree about it"),
    "unverified": N_("The record can neither confirm nor refute it"),
}

#: Share of a claim check's points for a verdict next to the key on the scale
#: consistent – partly – differs (partly for consistent or differs, or the reverse).
PARTIAL_CREDIT = 0.5
_PARTLY_NEIGHBOURS = {frozenset({"partly", "consistent"}), frozenset({"partly", "differs"})}


def verdict_credit(given: str | None, key: str) -> float:
    """Share of the points for verdict ``given`` when the record's verdict is ``key``:
    1 when they are equal, ``PARTIAL_CREDIT`` when one is "partly" and the other
    "consistent" or "differs", else 0 (docs/QUESTIONS.md)."""
    if given == key:
        return 1.0
    return PARTIAL_CREDIT if frozenset({given, key}) in _PARTLY_NEIGHBOURS else 0.0


#: The kinds of evidence item, and the table and column of the row each names (documents have none).
EVIDENCE_KINDS = ("document", "event", "resolution", "figure")
EVIDENCE_TABLES = {"event": ("events", "id"), "resolution": ("resolutions", "resolution"),
                   "figure": ("figures", "figure_id")}


@register
class ClaimCheck(PickAndReasons):
    name = "claim_check"
    scored = True
    PICK, WORDS = "verdict", "reasoning"
    schema: ClassVar[dict[str, Any]] = {
        "description": "The student's verdict is scored against the claim's verdict: all points when equal; half when "
                       "one is 'partly' and the other 'consistent' or 'differs'; else none.",
        "required": ["claim"],
        "properties": {
            "claim": {"description": "A claim_id from the claims dataset.", "type": "string", "minLength": 1},
            "evidence": {
                "description": "What the student weighs the claim against, shown under it: document paragraphs "
                               "and rows of the data package, each cited.",
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "oneOf": [
                        {"required": ["document"], "additionalProperties": False,
                         "properties": {"document": {"type": "string", "minLength": 1},
                                        "paragraphs": {"type": "string", "pattern": "^[0-9]+(-[0-9]+)?$"}}},
                        {"required": ["event"], "additionalProperties": False,
                         "properties": {"event": {"type": "string", "minLength": 1}}},
                        {"required": ["resolution"], "additionalProperties": False,
                         "properties": {"resolution": {"type": "integer"}}},
                        {"required": ["figure"], "additionalProperties": False,
                         "properties": {"figure": {"type": "string", "minLength": 1}}},
                    ],
                },
            },
            "points": {"$ref": "#/$defs/points"},
            "quiz": {"type": "boolean"},
        },
    }

    def picks(self, question: Mapping) -> list[str]:
        return list(VERDICTS)

    def cross_check(self, question: Mapping) -> list[str]:
        problems = super().cross_check(question)
        claims = _claims()
        if question["claim"] not in claims:
            problems.append(_("unknown claim {id!r}. Valid: {valid}").format(id=question["claim"],
                                                                            valid=", ".join(claims)))
        for item in question.get("evidence", []):
            problems += evidence_problems(item)
        return problems

    def fraction(self, question: Mapping, answer: Any) -> float:
        return verdict_credit(answer.get("verdict"), _verdict(question["claim"]))

    def format_answer(self, question: Mapping, answer: Any) -> str:
        verdict = VERDICTS.get(answer.get("verdict"))
        return _("Verdict: {verdict}\nReasoning: {reasoning}").format(
            verdict=_(verdict) if verdict else or_not_answered(None), reasoning=or_not_answered(answer.get("reasoning")))

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        """Wrong: another verdict."""
        truth = claim(question["claim"])["verdict"]
        verdict = truth if right else rng.choice([v for v in VERDICTS if v != truth])
        return {"verdict": verdict, "reasoning": rng.choice(DEMO_TEXTS)}


# The claims dataset


@functools.cache
def _claims() -> dict[str, dict[str, Any]]:
    from .. import _datasets

    records: dict[str, dict[str, Any]] = {}
    for row in _datasets.load("claims").to_dict("records"):
        record = {str(k): None if _missing(v) else (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
        record["source_ids"] = _datasets.split_ids(record.get("source_ids"))
        records[str(record["claim_id"])] = record
    return records


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, (list, tuple)) and bool(pd.isna(value)))


def claim(claim_id: str) -> dict:
    """Claim ``claim_id`` of the claims dataset as a dict (quote, document_id, paragraph, verdict, ...)."""
    check_type(_("claim id"), claim_id, str)
    check_choice("claim", claim_id, _claims())
    return dict(_claims()[claim_id])


@functools.cache  # asked for every claim-check answer collected
def _verdict(claim_id: str) -> str:
    return claim(claim_id)["verdict"]


# Evidence


def evidence_kind(item: Mapping) -> str:
    """Which of ``EVIDENCE_KINDS`` evidence ``item`` names."""
    return next(k for k in EVIDENCE_KINDS if k in item)


def evidence_problems(item: Mapping) -> list[str]:
    """What is wrong with evidence ``item`` (an unknown id, a paragraph the document lacks)."""
    from .. import _datasets

    kind = evidence_kind(item)
    try:
        if kind == "document":
            document = _datasets.load_document(item["document"])
            paragraph_numbers(item.get("paragraphs"), len(document.paragraphs))
        else:
            dataset, column = EVIDENCE_TABLES[kind]
            check_choice(kind, item[kind], _datasets._load_cached(dataset)[column].tolist())
    except (TypeError, ValueError) as error:
        return [_("evidence {item}: {error}").format(item=dict(item), error=error)]
    return []

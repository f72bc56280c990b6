"""``decision``: a decision an institution faced; the student chooses and justifies, then sees what was
decided. Not auto-scored: there is no right answer to a decision, only reasons."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._i18n import _
from . import register
from ._base import PickAndReasons, or_not_answered, part_ids
from .text import DEMO_TEXTS


@register
class Decision(PickAndReasons):
    name = "decision"
    parts = "options"
    PICK, WORDS = "choice", "justification"
    schema: ClassVar[dict[str, Any]] = {
        "required": ["institution", "date", "context", "options", "decided", "outcome", "sources"],
        "properties": {
            "institution": {"description": "A government or institution, never a victim or perpetrator.",
                            "$ref": "#/$defs/text"},
            "date": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
            "context": {"$ref": "#/$defs/text"},
            "options": {
                "type": "array",
                "minItems": 2,
                "maxItems": 6,
                "items": {
                    "type": "object",
                    "required": ["id", "text"],
                    "additionalProperties": False,
                    "properties": {"id": {"$ref": "#/$defs/id"}, "text": {"$ref": "#/$defs/text"}},
                },
            },
            "decided": {"description": "The id of the option the institution chose.", "$ref": "#/$defs/id"},
            "outcome": {"description": "What was decided and what followed.", "$ref": "#/$defs/text"},
        },
    }

    def picks(self, question: Mapping) -> list[str]:
        return part_ids(question, "options")

    def cross_check(self, question: Mapping) -> list[str]:
        problems = super().cross_check(question)
        options = part_ids(question, "options")
        if question["decided"] not in options:
            problems.append(_("decided {id!r} is not one of the options: {valid}").format(
                id=question["decided"], valid=", ".join(options)))
        return problems

    def format_answer(self, question: Mapping, answer: Any) -> str:
        options = {o["id"]: o["text"] for o in question["options"]}
        return _("Choice: {choice}\nJustification: {justification}").format(
            choice=or_not_answered(options.get(answer.get("choice"))),
            justification=or_not_answered(answer.get("justification")))

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        return {"choice": rng.choice(question["options"])["id"], "justification": rng.choice(DEMO_TEXTS)}

"""``ordering``: put events in order; the bank lists the items in the correct order."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_type
from .._i18n import _
from . import register
from ._base import QuestionType, part_ids


def right_places(question: Mapping, answer: list[str]) -> int:
    """How many items of a checked answer are in their right place (the widget's feedback says it too)."""
    return sum(a == b for a, b in zip(answer, part_ids(question, "items"), strict=True))


@register
class Ordering(QuestionType):
    name = "ordering"
    scored = True
    closed = True
    parts = "items"
    schema: ClassVar[dict[str, Any]] = {
        "required": ["items"],
        "properties": {
            "items": {
                "description": "Listed in the correct order; the widget shows them shuffled.",
                "type": "array",
                "minItems": 3,
                "maxItems": 10,
                "items": {
                    "type": "object",
                    "required": ["id", "text"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"$ref": "#/$defs/id"},
                        "text": {"$ref": "#/$defs/text"},
                        "date": {"$ref": "#/$defs/date"},
                    },
                },
            },
            "explanation": {"$ref": "#/$defs/text"},
            "points": {"$ref": "#/$defs/points"},
            "quiz": {"type": "boolean"},
        },
    }

    def cross_check(self, question: Mapping) -> list[str]:
        problems = super().cross_check(question)
        dates = [item.get("date") for item in question["items"]]
        if all(dates) and dates != sorted(dates):
            problems.append(_("items must be listed in the correct order, but their dates are not: {dates}")
                            .format(dates=", ".join(dates)))
        return problems

    def withhold_key(self, question: dict) -> None:
        """Also the right order: the items are listed by id, without the dates that give it away."""
        super().withhold_key(question)
        question["items"] = sorted(question["items"], key=lambda item: item["id"])
        for item in question["items"]:
            item.pop("date", None)

    def check_answer(self, question: Mapping, answer: object) -> None:
        what = _("answer to {id!r}").format(id=question["id"])
        order = check_type(what, answer, list)
        ids = part_ids(question, "items")
        if not all(isinstance(a, str) for a in order) or sorted(order) != sorted(ids):
            raise ValueError(_("{what} must list every item once; got {answer}. Items: {items}")
                             .format(what=what, answer=order, items=", ".join(ids)))

    def fraction(self, question: Mapping, answer: Any) -> float:
        return right_places(question, answer) / len(answer)

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return True

    def format_answer(self, question: Mapping, answer: Any) -> str:
        texts = {item["id"]: item["text"] for item in question["items"]}
        return "\n".join(f"{n}. {texts[i]}" for n, i in enumerate(answer, start=1))

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        """Wrong: two neighbouring items swapped."""
        order = part_ids(question, "items")
        if not right:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order

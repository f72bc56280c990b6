"""``matching``: term to definition, actor to action; each pair is one correct match."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_choice
from .._i18n import _
from . import register
from ._base import QuestionType, duplicates, filled, keyed_parts, or_not_answered, part_ids


def right_matches(question: Mapping, answer: Mapping[str, str]) -> int:
    """How many pairs a checked answer matches rightly (the widget's feedback says it too)."""
    return sum(answer.get(pid) == pid for pid in part_ids(question, "pairs"))


@register
class Matching(QuestionType):
    name = "matching"
    scored = True
    closed = True
    parts = "pairs"
    schema: ClassVar[dict[str, Any]] = {
        "required": ["pairs"],
        "properties": {
            "left_label": {"description": "Heading of the left column, e.g. 'Actor'.", "$ref": "#/$defs/text"},
            "right_label": {"description": "Heading of the right column, e.g. 'What they did'.", "$ref": "#/$defs/text"},
            "pairs": {
                "type": "array",
                "minItems": 2,
                "maxItems": 10,
                "items": {
                    "type": "object",
                    "required": ["id", "left", "right"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"$ref": "#/$defs/id"},
                        "left": {"$ref": "#/$defs/text"},
                        "right": {"$ref": "#/$defs/text"},
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
        for side in ("left", "right"):
            texts = [p[side] for p in question["pairs"]]
            if len(set(texts)) != len(texts):
                problems.append(_("{side} texts repeat: {texts}").format(side=side, texts=duplicates(texts)))
        return problems

    def check_answer(self, question: Mapping, answer: object) -> None:
        ids = part_ids(question, "pairs")
        for value in keyed_parts(question, answer, "pairs", "pair").values():
            check_choice("pair", value, ids)

    def fraction(self, question: Mapping, answer: Any) -> float:
        return right_matches(question, answer) / len(question["pairs"])

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return all(filled(answer.get(i)) for i in part_ids(question, "pairs"))

    def format_answer(self, question: Mapping, answer: Any) -> str:
        rights = {p["id"]: p["right"] for p in question["pairs"]}
        return "\n".join(f"{p['left']} → {or_not_answered(rights.get(answer.get(p['id'])))}" for p in question["pairs"])

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        """Wrong: two matches swapped. The answer maps a pair id to the pair id whose right side was chosen."""
        ids = part_ids(question, "pairs")
        chosen = list(ids)
        if not right:
            i, j = rng.sample(range(len(chosen)), 2)
            chosen[i], chosen[j] = chosen[j], chosen[i]
        return dict(zip(ids, chosen, strict=True))

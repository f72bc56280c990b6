"""``choice``: multiple choice, one correct option or (``multiple = true``) several."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_choice, check_type
from .._i18n import _
from . import register
from ._base import QuestionType, part_ids


@register
class Choice(QuestionType):
    name = "choice"
    scored = True
    closed = True
    parts = "options"
    schema: ClassVar[dict[str, Any]] = {
        "required": ["options", "explanation"],
        "properties": {
            "multiple": {"description": "true: the student may select several options.", "type": "boolean"},
            "options": {
                "type": "array",
                "minItems": 2,
                "maxItems": 8,
                "items": {
                    "type": "object",
                    "required": ["id", "text", "feedback"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"$ref": "#/$defs/id"},
                        "text": {"$ref": "#/$defs/text"},
                        "correct": {"type": "boolean"},
                        "feedback": {"description": "Shown when the student picks this option.", "$ref": "#/$defs/text"},
                    },
                },
            },
            "explanation": {"description": "Shown with the feedback once answered.", "$ref": "#/$defs/text"},
            "points": {"$ref": "#/$defs/points"},
            "quiz": {"type": "boolean"},
        },
    }

    def defaults(self, question: dict) -> None:
        super().defaults(question)
        question.setdefault("multiple", False)
        for option in question["options"]:
            option.setdefault("correct", False)

    def cross_check(self, question: Mapping) -> list[str]:
        problems = super().cross_check(question)
        correct = sum(o.get("correct", False) for o in question["options"])
        if question.get("multiple") and correct == 0:
            problems.append(_("no option has correct = true"))
        if not question.get("multiple") and correct != 1:
            problems.append(_("a single-answer question needs exactly one correct option, not {n}"
                              " (or set multiple = true)").format(n=correct))
        return problems

    def withhold_key(self, question: dict) -> None:
        """Also each option's ``correct`` flag and ``feedback``."""
        super().withhold_key(question)
        for option in question["options"]:
            option.pop("correct", None)
            option.pop("feedback", None)

    def check_answer(self, question: Mapping, answer: object) -> None:
        ids = part_ids(question, "options")
        if not question.get("multiple"):
            check_choice("option", answer, ids)
            return
        picked = check_type(_("answer to {id!r}").format(id=question["id"]), answer, list)
        for option in picked:
            check_choice("option", option, ids)
        if len(set(picked)) != len(picked):
            raise ValueError(_("answer to {id!r} names an option twice: {answer}").format(id=question["id"],
                                                                                       answer=picked))

    def fraction(self, question: Mapping, answer: Any) -> float:
        correct = {o["id"] for o in question["options"] if o.get("correct")}
        if question.get("multiple"):
            picked = set(answer)
            return max(0, len(picked & correct) - len(picked - correct)) / len(correct)
        return float(answer in correct)

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return bool(answer) if question.get("multiple") else True

    def format_answer(self, question: Mapping, answer: Any) -> str:
        options = {o["id"]: o["text"] for o in question["options"]}
        if isinstance(answer, list):
            return "\n".join(f"- {options[i]}" for i in answer)
        return options[answer]

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        """Wrong: another option (single); some correct options plus at most one wrong one (multiple)."""
        correct = [o["id"] for o in question["options"] if o["correct"]]
        wrong = [o["id"] for o in question["options"] if not o["correct"]]
        if not question["multiple"]:
            return rng.choice(correct if right or not wrong else wrong)
        if right:
            return correct
        picked = rng.sample(correct, rng.randrange(0, len(correct))) + rng.sample(wrong, min(len(wrong), rng.randrange(0, 2)))
        return picked or [rng.choice(wrong or correct)]

"""``text``: free text (the guiding questions); not auto-scored."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_type
from .._i18n import _
from . import register
from ._base import QuestionType

#: Free text for the fictional class: emoji, right-to-left script and an HTML/script sample among them,
#: to show that the teacher's views escape what students write.
DEMO_TEXTS = (
    "I think the writers cared more about the risk to their own soldiers than about the people in Rwanda.",
    "Not sure yet. I want to compare this with the timeline before I decide.",
    "The source was written for other officials, so it says what they wanted to hear 🤔",
    "Yes, but only if the mission has no way to protect anyone. Otherwise they should stay.",
    "No. The people who were sheltering with the peacekeepers needed them to stay 😢",
    "<script>alert('hello')</script> I wanted to see if this runs. <b>bold?</b> <img src=x onerror=\"alert('img')\">",
    "أعتقد أن القرار كان خاطئًا — I think the decision was wrong.",
    "The document and the textbook do not agree, so I would look for a third source.",
    "It depends on the mandate. I want to read what Chapter VI allowed before I answer. 🇷🇼",
)


@register
class Text(QuestionType):
    name = "text"
    written = True
    schema_key = "free_text"  # "text" in the schema's $defs is any non-blank string
    schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "starters": {
                "description": "Sentence starters the student can click to insert.",
                "type": "array",
                "maxItems": 6,
                "items": {"$ref": "#/$defs/text"},
            },
            "rubric": {"description": "The rubric the teacher marks the answer with (rwanda_edu/questions/rubrics.json); "
                                      "default \"open\".", "enum": ["open", "capstone"]},
            "min_words": {"description": "A guide shown with the word count.", "type": "integer", "minimum": 1,
                          "maximum": 2000},
            "source": {"description": "Attribution when the prompt is quoted verbatim from a document.",
                       "$ref": "#/$defs/text"},
        }
    }

    def check_answer(self, question: Mapping, answer: object) -> None:
        if not isinstance(answer, str):  # the message is written only for an answer that fails
            check_type(_("answer to {id!r}").format(id=question["id"]), answer, str)

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return bool(answer.strip())

    def format_answer(self, question: Mapping, answer: Any) -> str:
        return answer

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        return rng.choice(DEMO_TEXTS)

"""``source_analysis``: reading one document like a historian, one answer box per prompt; not auto-scored."""
from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any, ClassVar

from .._checks import check_type
from .._i18n import N_, _
from . import register
from ._base import QuestionType, filled, keyed_parts, or_not_answered, part_ids
from .text import DEMO_TEXTS

#: Kinds of prompt and how they are labelled (translate with ``_`` when shown).
PROMPT_KINDS = {
    "sourcing": N_("Sourcing"),
    "contextualization": N_("Context"),
    "corroboration": N_("Corroboration"),
    "close-reading": N_("Close reading"),
}


def label(kind: str) -> str:
    """The label of prompt kind ``kind`` in the active language."""
    return _(PROMPT_KINDS[kind])


@register
class SourceAnalysis(QuestionType):
    name = "source_analysis"
    written = True
    parts = "prompts"
    schema: ClassVar[dict[str, Any]] = {
        "required": ["document", "prompts"],
        "properties": {
            "document": {"description": "A document id (data/documents.csv).", "type": "string", "minLength": 1},
            "prompts": {
                "type": "array",
                "minItems": 1,
                "maxItems": 8,
                "items": {
                    "type": "object",
                    "required": ["id", "kind", "text"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"$ref": "#/$defs/id"},
                        "kind": {"enum": list(PROMPT_KINDS)},
                        "text": {"$ref": "#/$defs/text"},
                    },
                },
            },
        },
    }

    def cross_check(self, question: Mapping) -> list[str]:
        from .. import _datasets

        problems = super().cross_check(question)
        documents = _datasets.list_documents()
        if question["document"] not in documents:
            problems.append(_("unknown document {id!r}. Valid: {valid}").format(id=question["document"],
                                                                                valid=", ".join(documents)))
        return problems

    def check_answer(self, question: Mapping, answer: object) -> None:
        for key, value in keyed_parts(question, answer, "prompts", "prompt").items():
            if not isinstance(value, str):
                check_type(_("answer to prompt {id!r}").format(id=key), value, str)

    def is_answered(self, question: Mapping, answer: Any) -> bool:
        return all(filled(answer.get(i)) for i in part_ids(question, "prompts"))

    def format_answer(self, question: Mapping, answer: Any) -> str:
        return "\n\n".join(f"{label(p['kind'])}: {p['text']}\n{or_not_answered(answer.get(p['id']))}"
                             for p in question["prompts"])

    def demo_answer(self, rng: random.Random, question: Mapping, right: bool) -> object:
        return {p["id"]: rng.choice(DEMO_TEXTS) for p in question["prompts"]}

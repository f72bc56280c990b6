"""The rubrics a teacher marks open answers with (data: ``questions/rubrics.json``).

Which questions are marked by hand follows from the question types: every type whose answer
holds the student's own writing (free text, the prompts of a source analysis, the reasoning of a
claim check, the justification of a decision). A bank names a question's rubric with
``rubric = "capstone"``; every other written answer uses the open-answer rubric.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources

from ._i18n import _

#: Question types whose answer holds the student's own writing, and so can be marked with a rubric.
DEFAULT_RUBRIC = "open"
LEVELS = (1, 2, 3, 4)


@functools.cache
def _data() -> dict:
    return json.loads((resources.files("rwanda_edu") / "questions" / "rubrics.json").read_text(encoding="utf-8"))


def rubric_names() -> list[str]:
    """Ids of the rubrics: ``open`` and ``capstone``."""
    return list(_data()["rubrics"])


def criteria(rubric: str) -> list[dict]:
    """The criteria of ``rubric``: ``{"id", "label", "levels": {"1": descriptor, …}}`` in rubric order."""
    return _data()["rubrics"][rubric]["criteria"]


def criterion_ids(rubric: str) -> list[str]:
    """The criterion ids of ``rubric``, in rubric order."""
    return [c["id"] for c in criteria(rubric)]


def criterion_label(criterion: str) -> str:
    """A criterion's name as a reader sees it ("Sourcing and context")."""
    for name in rubric_names():
        for c in criteria(name):
            if c["id"] == criterion:
                return _(c["label"])
    return criterion


def level_label(level: int) -> str:
    """A level's name ("Secure" for 3)."""
    return _(_data()["levels"][str(level)])


def rubric_of(question: Mapping) -> str | None:
    """The rubric a question's answers are marked with, or ``None`` when it has no written answer."""
    from . import question_types

    if not question_types.get(question["type"]).written:
        return None
    return question.get("rubric", DEFAULT_RUBRIC)


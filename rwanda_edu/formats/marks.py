"""``marks.json``: a class's rubric marks, in the folder ``rwanda-edu collect`` writes.

``{"format", "schema_version", "marks": {student: {lesson: {question: {"levels": {criterion: 1–4},
"comment", "marked_at", "answer_digest"}}}}, "comment_bank": {"lesson/question": [comments]}}``.
Written compactly (no indentation): the marking view rewrites it at each key press.
"""
from __future__ import annotations

from ._format import Format

FILE = "marks.json"

MARKS = Format("rwanda_edu.marks", 1, indent=None)


def no_marks() -> dict:
    """A new marks document: nothing marked yet."""
    return MARKS.new(marks={}, comment_bank={})

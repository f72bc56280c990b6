"""``<student>.feedback.json``: what ``rwanda-edu feedback`` gives back to one student.

``{"format", "schema_version", "student", "written_at", "lessons": {lesson: {question: {"prompt",
"answer", and "earned", "possible", "explanation" for an auto-scored answer, "rubric", "levels",
"comment" for a marked one}}}}``. ``lesson.feedback()`` reads it from the student's answers folder.
"""
from __future__ import annotations

from ._format import Format

SUFFIX = ".feedback.json"

FEEDBACK = Format("rwanda_edu.feedback", 1, indent=None)

"""Question widgets: views over the student's answers (``rwanda_edu.responses``).

``ask(lesson, question)`` shows one question and ``quiz(lesson)`` the end quiz. Every answer is
saved the moment it is given (free text after a pause shorter than a second), and a new widget,
after a re-run or a restarted kernel, shows the saved answer again. Any text is shown escaped;
correctness is hidden when the teacher asks for it.

- ``question``: ``QuestionWidget``, the base every type's widget builds on (the ``answer`` trait);
- one module per question type (``choice``, ``text``, … named as in ``rwanda_edu.question_types``);
- ``quiz``: ``ask`` and ``Quiz``; ``account``: the sign-in box and the hand-in button;
- ``debounce``: the pause after typing.
"""
from __future__ import annotations

from . import choice, claim_check, decision, matching, ordering, source_analysis, text  # noqa: F401 (registers)
from .account import hand_in_widget, save_pending, sign_in_widget
from .question import QuestionWidget, hide_correctness, widget_class
from .quiz import Quiz, ask, quiz

__all__ = [
    "QuestionWidget",
    "Quiz",
    "ask",
    "hand_in_widget",
    "hide_correctness",
    "quiz",
    "save_pending",
    "sign_in_widget",
    "widget_class",
]

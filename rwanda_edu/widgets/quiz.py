"""``ask`` one question, or the lesson's ``quiz`` with a running score."""
from __future__ import annotations

import ipywidgets as w

from .. import _questions
from .._i18n import _
from .question import QuestionWidget, hide_correctness, widget_class


def ask(lesson_id: str, question_id: str) -> QuestionWidget:
    """The widget for question ``question_id`` of lesson ``lesson_id``; answers save as they are given."""
    question = _questions.get_question(lesson_id, question_id)
    return widget_class(question["type"])(lesson_id, question)


class Quiz(w.VBox):
    """The lesson's quiz questions with a running score (or, when correctness is hidden, a count)."""

    def __init__(self, lesson_id: str):
        questions = [q for q in _questions.question_bank(lesson_id)["questions"] if q.get("quiz")]
        if not questions:
            raise ValueError(_("lesson {lesson} has no quiz questions (none has quiz = true)").format(lesson=lesson_id))
        self.hidden = hide_correctness()
        self.questions = [widget_class(q["type"])(lesson_id, q) for q in questions]
        self.total = w.HTML()
        self.total.add_class("rwanda-edu-quiz-score")
        numbered: list[w.Widget] = []
        for n, widget in enumerate(self.questions, start=1):
            widget.observe(self._update, names="answer")
            heading = _("Question {n} of {count}").format(n=n, count=len(self.questions))
            numbered += [w.HTML(f"<h4>{heading}</h4>"), widget]
        super().__init__(children=[*numbered, self.total])
        self.add_class("rwanda-edu-quiz")
        self._update()

    @property
    def score(self) -> tuple[float, float]:
        """``(earned, possible)`` over the quiz questions."""
        scores = [s for q in self.questions if (s := q.score) is not None]
        return sum(s[0] for s in scores), sum(s[1] for s in scores)

    def _update(self, change: object = None) -> None:
        done = sum(q.answered for q in self.questions)
        text = _("{done} of {count} questions answered").format(done=done, count=len(self.questions))
        if not self.hidden:
            earned, possible = self.score
            text = _("Quiz score: {earned:g} of {possible:g} points · {answered}").format(
                earned=earned, possible=possible, answered=text)
        self.total.value = f'<p role="status"><strong>{text}</strong></p>'


def quiz(lesson_id: str) -> Quiz:
    """Every question of lesson ``lesson_id`` marked ``quiz = true``, with a running score."""
    return Quiz(lesson_id)

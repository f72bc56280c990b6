"""The teacher's key: the question banks, loaded once per command, and marks remembered exactly."""
from __future__ import annotations

from .. import _questions

CLOSED = ("choice", "ordering", "matching")  # answers drawn from a few options: worth remembering


class Key:
    """Question banks by lesson, cached; what is auto-scored and for how many points."""

    def __init__(self):
        self._lessons = _questions.list_banks()
        self._banks: dict[str, dict[str, dict]] = {}
        self._possible: dict[tuple[str, str], float | None] = {}
        self._marks: dict[tuple, tuple] = {}

    def lessons(self) -> list[str]:
        """Lesson ids that have a question bank."""
        return list(self._lessons)

    def questions(self, lesson: str) -> dict[str, dict]:
        """Question id -> question of ``lesson``, in bank order (empty for a lesson without a bank)."""
        if lesson not in self._banks:
            bank = _questions.question_bank(lesson)["questions"] if lesson in self._lessons else []
            self._banks[lesson] = {q["id"]: q for q in bank}
        return self._banks[lesson]

    def scored(self, lesson: str) -> list[str]:
        """Ids of the auto-scored questions of ``lesson``, in bank order."""
        return [qid for qid in self.questions(lesson) if self.possible(lesson, qid) is not None]

    def possible(self, lesson: str, qid: str) -> float | None:
        """Points of an auto-scored question; ``None`` for one that is not auto-scored."""
        if (lesson, qid) not in self._possible:
            result = _questions.score(self.questions(lesson)[qid], None)
            self._possible[(lesson, qid)] = None if result is None else result[1]
        return self._possible[(lesson, qid)]

    def mark(self, lesson: str, qid: str, answer) -> tuple[tuple[float, float] | None, str]:
        """``(score, answer as text)`` of a raw answer; raises TypeError/ValueError if it does not fit."""
        question = self.questions(lesson)[qid]
        exact = _exact(answer) if question["type"] in CLOSED else None
        memo = (lesson, qid, exact)
        if exact is not None and memo in self._marks:
            return self._marks[memo]
        text = _questions.format_answer(question, answer)  # checks the answer's form first
        marked = (None if self.possible(lesson, qid) is None else _questions.score(question, answer)), text
        if exact is not None:
            self._marks[memo] = marked
        return marked


def _exact(answer) -> tuple | None:
    """A key that only answers of the same JSON type and value share (text never meets a list);
    ``None`` for an answer not worth remembering (its parts are not all text)."""
    if type(answer) is str:
        return ("text", answer)
    if type(answer) is list and all(type(item) is str for item in answer):
        return ("list", *answer)
    if type(answer) is dict and all(type(value) is str for value in answer.values()):
        return ("object", *answer.items())
    return None

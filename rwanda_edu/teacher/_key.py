"""The teacher's key: the question banks, loaded once per command, and marks remembered exactly."""
from __future__ import annotations

import json

from .. import _questions, question_types


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
        # Remembered by the answer's JSON text, which tells a string from the list it spells out.
        memo = (lesson, qid, json.dumps(answer)) if question_types.get(question["type"]).closed else None
        if memo in self._marks:
            return self._marks[memo]
        text = _questions.format_answer(question, answer)  # checks the answer's form first
        marked = (None if self.possible(lesson, qid) is None else _questions.score(question, answer)), text
        if memo is not None:
            self._marks[memo] = marked
        return marked


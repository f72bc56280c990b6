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
        self._memos: dict[tuple[str, str], dict | None] = {}  # (lesson, question) -> answer -> mark; None: open

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
        """``(score, answer as text)`` of a raw answer; raises TypeError/ValueError if it does not fit.

        Marks of closed questions are remembered per exact answer: by the text itself, or by the JSON
        text of any other answer (which tells a string from the list it spells out, and 1 from 1.0 and true).
        """
        question = self.questions(lesson)[qid]
        if (lesson, qid) not in self._memos:
            self._memos[(lesson, qid)] = {} if question_types.get(question["type"]).closed else None
        memo = self._memos[(lesson, qid)]
        if memo is None:
            return _questions.mark(question, answer)
        seen = answer if type(answer) is str else (json.dumps(answer),)
        marked = memo.get(seen)
        if marked is None:
            marked = memo[seen] = _questions.mark(question, answer)
        return marked

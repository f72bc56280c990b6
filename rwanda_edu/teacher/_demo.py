"""``demo-class``: fictional hand-ins to try ``collect`` and the report before class.

Names are clearly fictional ("Keza (demo 007)"). Completion varies by student; each answer is
the question type's demo answer (``QuestionType.demo_answer``): right or wrong for auto-scored
questions, drawn from the real question banks, and stronger students are right more often;
free text includes emoji, right-to-left script and an HTML/script sample, to show that the
teacher views escape it. ``planted`` gives chosen questions a known property, to check the
item analysis against.
"""
from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .. import question_types
from .._checks import check_choice, check_type
from .._i18n import _
from ..formats import HANDIN
from ._key import Key

MAX_STUDENTS = 10_000
GIVEN_NAMES = (
    "Keza", "Ishimwe", "Mugisha", "Uwase", "Ngabo", "Amani", "Zoë", "Liam", "Chen", "Amélie",
    "Tariq", "Ayaan", "Nia", "Mateo", "Sofía", "Kwame", "Ingrid", "Hana", "Olu", "Yusuf",
)
_START = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)

#: Properties ``make_demo_class(planted=...)`` can give a question (``lesson/question``):
#: everybody right, nobody right, most students fall for one wrong option (the first one in
#: the bank; a claim check: the first wrong verdict), or weaker students do better (negative discrimination).
PLANTED = ("everybody-right", "nobody-right", "popular-distractor", "reversed")


def make_demo_class(folder: str | os.PathLike, students: int, *, seed: int = 0,
                    planted: dict[str, str] | None = None) -> list[Path]:
    """Write ``students`` fictional hand-ins (``demo_001.json`` …) into ``folder``; return their paths.

    ``planted`` maps ``lesson/question`` of auto-scored questions to one of :data:`PLANTED`.
    """
    check_type(_("number of students"), students, int)
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(_("number of students must be between 1 and {limit}, not {n}").format(
            limit=MAX_STUDENTS, n=students))
    check_type("seed", seed, int)
    rng = random.Random(seed)
    key = Key()
    planted = dict(planted or {})
    scored = [f"{lesson}/{qid}" for lesson in key.lessons() for qid in key.scored(lesson)]
    for item, behaviour in planted.items():
        check_choice("auto-scored question", item, scored)
        check_choice("planted property", behaviour, PLANTED)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, students + 1):
        doc = _handin(rng, key, f"{rng.choice(GIVEN_NAMES)} (demo {number:03d})", planted)
        problems = HANDIN.problems(doc)
        if problems:
            raise RuntimeError(_("demo hand-in {number} is not valid: {problems}").format(
                number=number, problems="; ".join(problems)))
        path = folder / f"demo_{number:03d}.json"
        path.write_bytes(HANDIN.dumps(doc))
        paths.append(path)
    return paths


def _handin(rng: random.Random, key: Key, student: str, planted: dict[str, str]) -> dict:
    ability = rng.uniform(0.35, 0.95)  # chance of a right answer
    lessons_ids = key.lessons()
    # Most students finish every lesson; the others stop part-way through one.
    reached = len(lessons_ids) if rng.random() < 0.6 else rng.randrange(1, len(lessons_ids) + 1)
    moment = _START + timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
    lessons = {}
    for number, lesson in enumerate(lessons_ids[:reached], start=1):
        diligence = 0.5 if number == reached < len(lessons_ids) else 0.95  # chance of answering a question
        answers = {}
        for qid, question in key.questions(lesson).items():
            if rng.random() > diligence:
                continue
            moment += timedelta(seconds=rng.randrange(20, 600))
            behaviour = planted.get(f"{lesson}/{qid}")
            right = _right(rng, ability, behaviour)
            if behaviour == "popular-distractor" and not right:
                answer = _trap(rng, question)
            else:
                answer = question_types.get(question["type"]).demo_answer(rng, question, right)
            answers[qid] = {"answer": answer, "answered_at": moment.isoformat()}
        if answers:
            lessons[lesson] = answers
    return HANDIN.new(student=student, handed_in_at=(moment + timedelta(minutes=rng.randrange(1, 60))).isoformat(),
                      lessons=lessons)


def _right(rng: random.Random, ability: float, behaviour: str | None) -> bool:
    """Whether a student of ``ability`` answers right, given a question's planted ``behaviour``."""
    if behaviour in ("everybody-right", "nobody-right"):
        return behaviour == "everybody-right"
    if behaviour == "popular-distractor":
        return rng.random() < 0.15
    if behaviour == "reversed":
        return rng.random() >= ability
    return rng.random() < ability


def _trap(rng: random.Random, question: dict) -> object:
    """The wrong answer most students give to a planted popular distractor: the first wrong option, alone
    (a claim check: the first wrong verdict); other types answer wrong as usual."""
    if question["type"] == "choice":
        wrong = next(o["id"] for o in question["options"] if not o["correct"])
        return [wrong] if question["multiple"] else wrong
    if question["type"] == "claim_check":
        from ..question_types.claim_check import VERDICTS, claim

        truth = claim(question["claim"])["verdict"]
        answer = question_types.get("claim_check").demo_answer(rng, question, False)
        assert isinstance(answer, dict)  # a claim check's answer: {"verdict": …, "reasoning": …}
        return {**answer, "verdict": next(v for v in VERDICTS if v != truth)}
    return question_types.get(question["type"]).demo_answer(rng, question, False)

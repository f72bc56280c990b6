"""``demo-class``: fictional hand-ins to try ``collect`` and the report before class.

Names are clearly fictional ("Keza (demo 007)"). Completion varies by student; answers to
auto-scored questions are right or wrong, drawn from the real question banks; free text
includes emoji, right-to-left script and an HTML/script sample, to show that the teacher
views escape it.
"""
from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .._checks import check_type
from .._i18n import _
from .._questions import VERDICTS, claim
from ..formats import HANDIN
from ._key import Key

MAX_STUDENTS = 10_000
GIVEN_NAMES = (
    "Keza", "Ishimwe", "Mugisha", "Uwase", "Ngabo", "Amani", "Zoë", "Liam", "Chen", "Amélie",
    "Tariq", "Ayaan", "Nia", "Mateo", "Sofía", "Kwame", "Ingrid", "Hana", "Olu", "Yusuf",
)
TEXTS = (
    "I think the writers cared more about the risk to their own soldiers than about the people in Rwanda.",
    "Not sure yet. I want to compare this with the timeline before I decide.",
    "The source was written for other officials, so it says what they wanted to hear 🤔",
    "Yes, but only if the mission has no way to protect anyone. Otherwise they should stay.",
    "No. The people who were sheltering with the peacekeepers needed them to stay 😢",
    "<script>alert('hello')</script> I wanted to see if this runs. <b>bold?</b> <img src=x onerror=\"alert('img')\">",
    "أعتقد أن القرار كان خاطئًا — I think the decision was wrong.",
    "The document and the textbook do not agree, so I would look for a third source.",
    "It depends on the mandate. I want to read what Chapter VI allowed before I answer. 🇷🇼",
)
_START = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def make_demo_class(folder: str | os.PathLike, students: int, *, seed: int = 0) -> list[Path]:
    """Write ``students`` fictional hand-ins (``demo_001.json`` …) into ``folder``; return their paths."""
    check_type("number of students", students, int)
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(_("number of students must be between 1 and {limit}, not {n}").format(
            limit=MAX_STUDENTS, n=students))
    check_type("seed", seed, int)
    rng = random.Random(seed)
    key = Key()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, students + 1):
        doc = _handin(rng, key, f"{rng.choice(GIVEN_NAMES)} (demo {number:03d})")
        problems = HANDIN.problems(doc)
        if problems:
            raise RuntimeError(f"demo hand-in {number} is not valid: {'; '.join(problems)}")
        path = folder / f"demo_{number:03d}.json"
        path.write_bytes(HANDIN.dumps(doc))
        paths.append(path)
    return paths


def _handin(rng: random.Random, key: Key, student: str) -> dict:
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
            answers[qid] = {"answer": _answer(rng, question, rng.random() < ability), "answered_at": moment.isoformat()}
        if answers:
            lessons[lesson] = answers
    return HANDIN.new(student=student, handed_in_at=(moment + timedelta(minutes=rng.randrange(1, 60))).isoformat(),
                      lessons=lessons)


def _answer(rng: random.Random, question: dict, right: bool):
    """A raw answer to ``question``: the key's answer when ``right``, else a plausible mistake.

    The mistakes, so that a test can tell what each one must score: another option (single
    choice), some of the correct options plus at most one wrong one (multiple choice), two items
    or two matches swapped (ordering, matching), another verdict (claim check).
    """
    kind = question["type"]
    if kind == "text":
        return rng.choice(TEXTS)
    if kind == "source_analysis":
        return {p["id"]: rng.choice(TEXTS) for p in question["prompts"]}
    if kind == "decision":
        return {"choice": rng.choice(question["options"])["id"], "justification": rng.choice(TEXTS)}
    if kind == "claim_check":
        truth = claim(question["claim"])["verdict"]
        verdict = truth if right else rng.choice([v for v in VERDICTS if v != truth])
        return {"verdict": verdict, "reasoning": rng.choice(TEXTS)}
    if kind == "choice":
        correct = [o["id"] for o in question["options"] if o["correct"]]
        wrong = [o["id"] for o in question["options"] if not o["correct"]]
        if not question["multiple"]:
            return rng.choice(correct if right or not wrong else wrong)
        if right:
            return correct
        picked = rng.sample(correct, rng.randrange(0, len(correct))) + rng.sample(wrong, min(len(wrong), rng.randrange(0, 2)))
        return picked or [rng.choice(wrong or correct)]
    ids = [item["id"] for item in question["items" if kind == "ordering" else "pairs"]]
    if kind == "ordering":
        order = list(ids)
        if not right:
            i = rng.randrange(len(order) - 1)
            order[i], order[i + 1] = order[i + 1], order[i]
        return order
    chosen = list(ids)  # matching: pair id -> the pair id whose right side was chosen
    if not right:
        i, j = rng.sample(range(len(chosen)), 2)
        chosen[i], chosen[j] = chosen[j], chosen[i]
    return dict(zip(ids, chosen))

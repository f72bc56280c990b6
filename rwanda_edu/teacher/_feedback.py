"""``feedback``: for each student, a readable page and a feedback file for their notebook.

For every collected student: ``<student>.feedback.html`` (their answers, the auto-scored results,
each marked answer with its levels and the teacher's comment; everything escaped) and
``<student>.feedback.json`` (format ``rwanda_edu.feedback``), which ``lesson.feedback()`` reads from
the student's answers folder. One pair of files per student, named after the student, as
``rwanda-edu release-feedback`` expects on a hub.
"""
from __future__ import annotations

import functools
import os
from datetime import datetime, timezone
from pathlib import Path

from .._feedback import STYLE, file_name, lesson_html
from .._html import escape
from .._i18n import _, language
from .._questions import NOT_ANSWERED
from ..formats.feedback import FEEDBACK
from ._marks import MarksStore, normal_name, read_class

PAGE = (
    '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
    "<style>body{{max-width:60rem;margin:2rem auto;padding:0 1rem}}{style}</style></head>"
    '<body class="rwanda-edu-marks-feedback"><h1>{title}</h1>{body}</body></html>\n'
)


def feedback_documents(results: str | os.PathLike) -> list[dict]:
    """One feedback document per collected student (format ``rwanda_edu.feedback``)."""
    answers = read_class(results)
    stored = {normal_name(name): marks for name, marks in MarksStore(answers.folder).by_student().items()}
    written_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    banks = {lesson: answers.key.questions(lesson) for lesson in answers.key.lessons()}
    rank = {(lesson, q): i for lesson, bank in banks.items() for i, q in enumerate(bank)}
    per_student: dict[str, list] = {s: [] for s in answers.students}
    for (student, lesson, question), text in answers.answers.items():
        if student in per_student:
            per_student[student].append((lesson, rank.get((lesson, question), len(rank)), question, text))
    docs = []
    for student, found in per_student.items():
        marks = stored.get(normal_name(student), {})
        found += [(lesson, rank.get((lesson, question), len(rank)), question, NOT_ANSWERED)  # marked, not answered
                  for lesson, question in marks if (student, lesson, question) not in answers.answers]
        lessons: dict[str, dict[str, dict]] = {}
        for lesson, _rank, question, text in sorted(found):
            q = banks.get(lesson, {}).get(question, {})
            item: dict = {"prompt": q.get("prompt", question), "answer": text}
            score = answers.scores.get((student, lesson, question))
            if score is not None:
                item["earned"], item["possible"] = score
                if "explanation" in q:
                    item["explanation"] = q["explanation"]
            mark = marks.get((lesson, question))
            if mark is not None:
                item["rubric"] = answers.rubric(lesson, question) or "open"
                item["levels"], item["comment"] = dict(mark.levels), mark.comment
            lessons.setdefault(lesson, {})[question] = item
        docs.append(FEEDBACK.new(student=student, written_at=written_at, lessons=lessons))
    return docs


@functools.cache
def _titles() -> dict[str, str]:
    from .._questions import list_banks, question_bank

    return {lesson: question_bank(lesson)["title"] for lesson in list_banks()}


def page(doc: dict) -> str:
    """A student's feedback as a self-contained HTML page (every text escaped)."""
    body = "".join(
        lesson_html(_titles().get(lesson, lesson), items) for lesson, items in doc["lessons"].items()
    ) or f"<p>{escape(_('No answers were collected.'))}</p>"
    return PAGE.format(lang=escape(language()), title=escape(_("Feedback for {student}").format(student=doc["student"])),
                       style=STYLE, body=body)


def write_feedback(results: str | os.PathLike, out: str | os.PathLike) -> list[Path]:
    """Write ``<student>.feedback.json`` and ``.html`` for every student into ``out``; return the JSON files."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(_("{out} is a file, not a folder; choose a folder for --out").format(out=out))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in feedback_documents(results):
        path = out / file_name(doc["student"])
        path.write_bytes(FEEDBACK.dumps(doc))
        path.with_suffix(".html").write_text(page(doc), encoding="utf-8", errors="replace")  # lone surrogates: "?"
        written.append(path)
    return written

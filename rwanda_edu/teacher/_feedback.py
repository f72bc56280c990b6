"""``feedback``: for each student, a readable page and a feedback file for their notebook.

For every collected student: ``feedback-<name>.html`` (their answers, the auto-scored results,
each marked answer with its levels and the teacher's comment; everything escaped) and
``feedback-<name>.json`` (format ``rwanda_edu.feedback``), which ``lesson.feedback()`` reads from
the student's answers folder. One pair of files per student, named after the student.
"""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from .._feedback import FORMAT, SCHEMA_VERSION, file_name, lesson_html
from .._html import escape
from .._i18n import _, language
from ._marks import MarksStore, normal_name, read_class

PAGE = (
    '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
    "<style>body{{max-width:60rem;margin:2rem auto;padding:0 1rem}}{style}</style></head>"
    '<body class="rwanda-edu-teacher-feedback"><h1>{title}</h1>{body}</body></html>\n'
)


def feedback_documents(results: str | os.PathLike) -> list[dict]:
    """One feedback document per collected student (format ``rwanda_edu.feedback``)."""
    answers = read_class(results)
    stored = MarksStore(answers.folder).by_student()
    by_name = {normal_name(name): marks for name, marks in stored.items()}
    written_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    per_student: dict[str, dict[str, dict[str, dict]]] = {s: {} for s in answers.students}
    for (student, lesson, question), text in answers.answers.items():
        if student not in per_student:
            continue
        bank = answers.key.questions(lesson) if lesson in answers.key.lessons() else {}
        q = bank.get(question, {})
        item: dict = {"prompt": q.get("prompt", question), "answer": text}
        if (student, lesson, question) in answers.scores:
            item["earned"], item["possible"] = answers.scores[(student, lesson, question)]
            if "explanation" in q:
                item["explanation"] = q["explanation"]
        mark = by_name.get(normal_name(student), {}).get((lesson, question))
        if mark is not None:
            item["rubric"] = answers.rubric(lesson, question) or "open"
            item["levels"], item["comment"] = dict(mark.levels), mark.comment
        per_student[student].setdefault(lesson, {})[question] = item
    order = {lesson: list(answers.key.questions(lesson)) for lesson in answers.key.lessons()}
    docs = []
    for student, lessons in per_student.items():
        ordered = {
            lesson: dict(sorted(items.items(), key=lambda kv: order.get(lesson, []).index(kv[0])
                                if kv[0] in order.get(lesson, []) else len(order.get(lesson, []))))
            for lesson, items in sorted(lessons.items())
        }
        docs.append({"format": FORMAT, "schema_version": SCHEMA_VERSION, "student": student,
                     "written_at": written_at, "lessons": ordered})
    return docs


def page(doc: dict) -> str:
    """A student's feedback as a self-contained HTML page (every text escaped)."""
    from .._questions import list_banks, question_bank

    banks = set(list_banks())
    body = "".join(
        lesson_html(question_bank(lesson)["title"] if lesson in banks else lesson, items)
        for lesson, items in doc["lessons"].items()
    ) or f"<p>{escape(_('No answers were collected.'))}</p>"
    from .._feedback import STYLE

    return PAGE.format(lang=escape(language()), title=escape(_("Feedback for {student}").format(student=doc["student"])),
                       style=STYLE, body=body)


def write_feedback(results: str | os.PathLike, out: str | os.PathLike) -> list[Path]:
    """Write ``feedback-<name>.json`` and ``.html`` for every student into ``out``; return the JSON files."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(_("{out} is a file, not a folder; choose a folder for --out").format(out=out))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in feedback_documents(results):
        path = out / file_name(doc["student"])
        path.write_text(json.dumps(doc, ensure_ascii=True, indent=1), encoding="ascii")
        path.with_suffix(".html").write_text(page(doc), encoding="utf-8", errors="replace")  # lone surrogates: "?"
        written.append(path)
    return written

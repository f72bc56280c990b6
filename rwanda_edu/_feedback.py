"""A student's feedback: the teacher's rubric levels and comments, and the auto-scored results.

``rwanda-edu feedback`` writes one file per student, ``<student>.feedback.json`` (format
``rwanda_edu.feedback``: ``rwanda_edu/formats/feedback.py``), with a readable
``.html`` twin; ``rwanda-edu release-feedback`` hands them out through a hub's exchange. In the
student's answers folder (or fetched from the exchange into ``answers/feedback/<assignment>/``),
``lesson.feedback()`` shows it next to the lesson's questions. Everything the student or the
teacher wrote is shown escaped.
"""
from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Mapping
from pathlib import Path

from ._html import escape
from ._i18n import _, language
from ._rubric import LEVELS, criteria, criterion_label, level_label, rubric_names
from .formats import FormatError, TooNewError
from .formats.feedback import FEEDBACK, SUFFIX

_UNSAFE = re.compile(r'[<>:"|?*]')  # characters some file systems refuse in a file name
STYLE = (
    ".rwanda-edu-marks-feedback{font-family:system-ui,sans-serif;line-height:1.45;max-width:60rem}"
    ".rwanda-edu-marks-feedback .item{border-left:4px solid #0072B2;padding:.2rem .8rem;margin:.8rem 0}"
    ".rwanda-edu-marks-feedback .answer,.rwanda-edu-marks-feedback .comment{white-space:pre-wrap;overflow-wrap:anywhere}"
    ".rwanda-edu-marks-feedback .comment{background:#f3f6fa;padding:.4rem .6rem;border-radius:4px}"
    ".rwanda-edu-marks-feedback table{border-collapse:collapse}"
    ".rwanda-edu-marks-feedback th,.rwanda-edu-marks-feedback td{border:1px solid #999;padding:.2rem .5rem;text-align:left}"
)


def file_name(student: str) -> str:
    """The feedback file of ``student``: ``<student>.feedback.json``, named after the student (as the hub's
    ``release-feedback`` expects); a name with characters some file systems refuse is written as its slug."""
    from .responses import _slug

    return f"{_slug(student) if _UNSAFE.search(student) else student}{SUFFIX}"


def problems(doc: object) -> list[str]:
    """Why ``doc`` is not a feedback document (empty when it is one)."""
    return FEEDBACK.problems(doc)


def lesson_html(lesson_title: str, items: Mapping[str, Mapping]) -> str:
    """One lesson's feedback as HTML (every text escaped): each question, the answer, score, levels and comment."""
    words = _words(language())
    parts = []
    for item in items.values():
        marked = ""
        if item.get("levels"):
            rubric = item.get("rubric", "open")
            rows = "".join(f'<tr><th scope="row">{words[c]}</th><td>{words[v]}</td><td>{words.get((rubric, c, v), "")}</td></tr>'
                           for c, v in item["levels"].items())
            caption = escape(_("Teacher's marks: {total} of {possible}").format(
                total=sum(item["levels"].values()), possible=4 * len(item["levels"])))
            marked = f"<table><caption>{caption}</caption>{rows}</table>"
        score = ""
        if "possible" in item:
            score = "<p>" + escape(_("Score: {earned:g} of {possible:g}").format(
                earned=item.get("earned", 0), possible=item["possible"])) + "</p>"
            if item.get("explanation"):
                score += f"<p>{escape(item['explanation'])}</p>"
        comment = ""
        if item.get("comment"):
            comment = f'<p><strong>{words["comment"]}</strong></p><div class="comment">{escape(item["comment"])}</div>'
        parts.append(
            f'<div class="item"><p><strong>{escape(item["prompt"])}</strong></p>'
            f'<p>{words["answer"]}:</p><div class="answer">{escape(item["answer"])}</div>'
            f"{score}{marked}{comment}</div>"
        )
    return f"<section><h2>{escape(lesson_title)}</h2>{''.join(parts)}</section>"


@functools.cache
def _words(lang: str) -> dict:
    """The page's fixed words in language ``lang``, escaped once: criteria, levels, their descriptors, labels."""
    words: dict = {level: escape(f"{level} · {level_label(level)}") for level in LEVELS}
    for rubric in rubric_names():
        for criterion in criteria(rubric):
            words[criterion["id"]] = escape(criterion_label(criterion["id"]))
            words.update({(rubric, criterion["id"], int(v)): escape(text) for v, text in criterion["levels"].items()})
    words.update(comment=escape(_("Comment")), answer=escape(_("Your answer")))
    return words


def feedback_view(lesson: str):
    """The feedback for ``lesson`` from the signed-in student's answers folder, as HTML."""
    from IPython.display import HTML

    from ._questions import question_bank
    from .responses import answers_dir, current_student

    student = current_student()
    _fetch_from_exchange(student)
    doc, note = _read(answers_dir(), student)

    def box(content: str) -> HTML:
        return HTML(f'<div class="rwanda-edu-marks-feedback" lang="{escape(language())}"><style>{STYLE}</style>{content}</div>')

    if doc is None:
        return box(f"<p>{escape(note)}</p>")
    items = doc["lessons"].get(lesson, {})
    if not items:
        return box("<p>" + escape(_("Your teacher's feedback has no marks or comments for this lesson.")) + "</p>")
    title = _("Your teacher's feedback: {title}").format(title=question_bank(lesson)["title"])
    return box(lesson_html(title, items))


def _fetch_from_exchange(student: str | None) -> None:
    """On a hub with an exchange folder: copy the student's released feedback into the answers folder."""
    from .exchange import ExchangeError, exchange_dir, fetch_feedback

    if student is not None and exchange_dir() is not None:
        # nothing released yet, or no exchange to reach: the answers folder may still hold it
        with contextlib.suppress(ExchangeError, ValueError, OSError):
            fetch_feedback()


def _read(folder: Path, student: str | None) -> tuple[dict | None, str]:
    """The student's feedback document, from the answers folder or its ``feedback/<assignment>/`` copies
    (the most recent), or ``(None, what to tell the student)``."""
    if student is None:
        return None, _("Sign in first (in the start-here lesson): your feedback is found by your name.")
    name = file_name(student)
    candidates = [p for p in (folder / name, *(folder / "feedback").glob(f"*/{name}")) if p.is_file()]
    candidates.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    if not candidates:
        return None, _("No feedback yet. When your teacher returns your work, put the file {name} into your answers "
                       "folder and run this cell again.").format(name=name)
    try:
        doc = FEEDBACK.loads(candidates[0].read_bytes())
    except TooNewError:
        return None, _("Your feedback file {name} was written by a newer version of the module; ask your teacher "
                       "to update the module.").format(name=name)
    except (OSError, FormatError):
        return None, _("Your feedback file {name} could not be read; ask your teacher for it again.").format(name=name)
    if doc["student"] != student:
        return None, _("Your feedback file {name} is not a feedback file this module can read; ask your teacher "
                       "for it again.").format(name=name)
    return doc, ""

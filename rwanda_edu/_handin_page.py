"""The readable page of a hand-in: one self-contained HTML file, every text escaped, no scripts."""
from __future__ import annotations

import json
from datetime import datetime

from ._html import escape, time_label
from ._i18n import _, language, ngettext

_CSS = """
body { font: 1rem/1.5 system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #bbb; }
.meta, .when, .lesson-id { color: #555; font-size: 0.9rem; }
.prompt { font-weight: 600; margin-bottom: 0.3rem; }
.answer { white-space: pre-wrap; overflow-wrap: anywhere; background: #f4f4f4; border-left: 4px solid #0072b2;
          padding: 0.5rem 0.75rem; margin: 0; unicode-bidi: plaintext; }
li { margin-bottom: 1.2rem; }
"""


def render(doc: dict) -> str:
    """The HTML page of hand-in ``doc`` (a document that passed ``validate_handin``)."""
    lessons = [(lid, entries) for lid, entries in sorted(doc["lessons"].items()) if entries]
    count = sum(len(entries) for _, entries in lessons)
    body = "".join(_lesson(lid, entries) for lid, entries in lessons) or f"<p>{escape(_('No answers yet.'))}</p>"
    title = escape(_("Answers of {student}").format(student=doc["student"]))
    answers = ngettext("{n} answer", "{n} answers", count).format(n=count)
    in_lessons = ngettext("in {n} lesson", "in {n} lessons", len(lessons)).format(n=len(lessons))
    meta = _("Handed in {when} · {answers} {in_lessons}. "
             "Your teacher collects the .json file with the same name as this page.").format(
        when=_when(doc["handed_in_at"]), answers=answers, in_lessons=in_lessons)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language())}"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{title}</h1>"
        f'<p class="meta">{escape(meta)}</p>'
        f"</header><main>{body}</main></body></html>\n"
    )


def _lesson(lesson_id: str, entries: dict) -> str:
    bank = _bank(lesson_id)
    questions = {q["id"]: q for q in bank["questions"]} if bank else {}
    order = {qid: n for n, qid in enumerate(questions)}
    qids = sorted(entries, key=lambda q: (order.get(q, len(order)), entries[q]["answered_at"], q))
    heading = escape(lesson_id)
    if bank:
        heading = f'{escape(bank["title"])} <span class="lesson-id">({heading})</span>'
    items = "".join(_question(questions.get(qid), qid, entries[qid]) for qid in qids)
    return f"<section><h2>{heading}</h2><ol>{items}</ol></section>"


def _question(question: dict | None, question_id: str, entry: dict) -> str:
    prompt = question["prompt"] if question else question_id
    return (
        f'<li><p class="prompt">{escape(prompt)}</p>'
        f'<p class="answer">{escape(_answer_text(question, entry["answer"]))}</p>'
        f'<p class="when">{escape(_("Answered {when}").format(when=_when(entry["answered_at"])))}</p></li>'
    )


def _answer_text(question: dict | None, answer: object) -> str:
    if question is not None:
        from ._questions import format_answer

        try:
            return format_answer(question, answer)
        except (TypeError, ValueError):  # saved under an older version of the question
            pass
    return answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False, indent=2)


def _bank(lesson_id: str) -> dict | None:
    """The lesson's question bank (title, questions in order), or None if there is none."""
    from ._questions import question_bank

    try:
        return question_bank(lesson_id)
    except (OSError, KeyError, ValueError):  # unknown lesson, or a bank or its data that cannot be read
        return None


def _when(iso: str) -> str:
    return time_label(datetime.fromisoformat(iso))

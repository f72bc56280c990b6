"""``QuestionWidget``: the view every question type's widget builds on.

The widget's ``answer`` trait is the raw answer the controls show (``None`` before any). The
controls set it; the store writer (``_write``, saving at once or after a pause in typing) and the
quiz's running score observe it. Subclasses, one per question type (``@widget_for(name)``), build
the controls and read, restore and give feedback on the answer.
"""
from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

import ipywidgets as w
import pandas as pd
import traitlets

from .. import _datasets, _questions
from .._checks import check_choice
from .._html import date_label, escape
from .._i18n import _, ngettext
from .._keyboard import keyboard_scope
from ..formats.assignment import hides_correctness
from ..responses import current_store
from .debounce import Debouncer

DEBOUNCE_SECONDS = 0.8  # the pause in typing after which free text is saved
LABEL_STYLE = {"description_width": "initial"}

_WIDGETS: dict[str, type[QuestionWidget]] = {}
W = TypeVar("W", bound="type[QuestionWidget]")


def widget_for(type_name: str) -> Callable[[W], W]:
    """Class decorator: the widget of question type ``type_name``."""

    def register(cls: W) -> W:
        _WIDGETS[type_name] = cls
        return cls

    return register


def widget_class(type_name: str) -> type[QuestionWidget]:
    """The widget class of question type ``type_name``; a ValueError names the types that have one."""
    return _WIDGETS[check_choice(_("question type"), type_name, _WIDGETS)]


def hide_correctness() -> bool:
    """Whether the teacher hides correctness: ``RWANDA_EDU_HIDE_CORRECTNESS=1``, or
    ``{"hide_correctness": true}`` in ``assignment.json`` in the working folder.

    An unreadable ``assignment.json`` hides correctness (it exists only for graded work), and so
    do answer keys this account cannot read (``rwanda-edu lock-keys``).
    """
    from ..keys import keys_withheld

    if keys_withheld():
        return True
    env = os.environ.get("RWANDA_EDU_HIDE_CORRECTNESS", "").strip().lower()
    if env:
        return env not in ("0", "false", "no")
    return hides_correctness()


def wide(**extra: Any) -> w.Layout:
    return w.Layout(width="100%", **extra)


def readable(html: str) -> str:
    """``html`` at reading line spacing (widget text otherwise takes the controls' tall lines)."""
    return f'<div style="line-height:1.5">{html}</div>' if html else ""


def paragraphs(*parts: str) -> str:
    return "".join(f"<p>{part}</p>" for part in parts if part)


def date_text(iso: str) -> str:
    """``1994-04-21`` -> ``21 April 1994`` (also yyyy-mm and yyyy)."""
    return date_label(pd.Timestamp(iso), ("year", "month", "day")[iso.count("-")])


def cited(source_ids: Iterable[str]) -> str:
    """``<li>`` citations of ``source_ids``, escaped."""
    return "".join(f"<li>{escape(_datasets.cite(s))}</li>" for s in source_ids)


def shuffled(question_id: str, ids: list[str]) -> list[str]:
    """``ids`` in an order that depends only on ``question_id`` and is never the original one."""
    order = list(ids)
    random.Random(question_id).shuffle(order)
    return order[1:] + order[:1] if order == list(ids) else order


def student_order(student: str | None, lesson_id: str, question_id: str, ids: list[str]) -> list[str]:
    """``ids`` in the order one student sees a question's options: the same on every run for
    that student, different between students, any order equally likely (so the key's place
    says nothing). Before anyone signs in, the order depends on the question alone."""
    order = list(ids)
    random.Random(f"{student or ''}\x1f{lesson_id}\x1f{question_id}").shuffle(order)
    return order


class QuestionWidget(w.VBox):
    """One question: prompt, controls, an answered/saved status, and feedback.

    ``answer`` is the raw answer shown (``None`` before any); ``score`` is ``(earned, possible)``
    for auto-scored questions. Subclasses build the controls and read/restore the answer.
    """

    answer = traitlets.Any(None, allow_none=True)
    #: Whether the question's sources are shown under it (open questions) rather than with the feedback.
    SOURCES_UNDER: ClassVar[bool] = False

    def __init__(self, lesson_id: str, question: dict):
        self.lesson_id, self.question = lesson_id, question
        self.hidden = hide_correctness()
        self.error: str | None = None
        self._lock = threading.RLock()
        self._pause = Debouncer(DEBOUNCE_SECONDS, self.save)
        self._restoring = True
        self._typing = False
        self._writing = 0  # answers given to the store and not yet on disk
        self.notice = w.HTML()
        self.status = w.HTML()
        self.status.add_class("rwanda-edu-status")
        self.feedback = w.HTML()
        self.feedback.add_class("rwanda-edu-feedback")
        prompt = w.HTML(readable(f'<p class="rwanda-edu-prompt"><strong>{escape(question["prompt"])}</strong></p>'
                                 + self._header()))
        # Sources go with the feedback (their titles could give answers away), or under open questions.
        sources = [w.HTML(self._sources())] if self.SOURCES_UNDER else []
        super().__init__(children=[self.notice, prompt, *self._build(), self.status, self.feedback, *sources])
        self.add_class("rwanda-edu-question")
        keyboard_scope(self)
        self.add_class(f"rwanda-edu-{question['type'].replace('_', '-')}")
        saved = current_store().answers(lesson_id).get(question["id"])
        try:
            _questions.is_answered(question, saved)
        except (TypeError, ValueError):
            self.error = _("Your saved answer no longer fits this question, so it is not shown; "
                           "it is still in your answers file.")
            saved = None
        if saved is not None:
            self._restore(saved)
            self.answer = self._value()
        self.observe(self._write, names="answer")
        self._restoring = False
        self._refresh()

    # What subclasses provide
    def _header(self) -> str:
        return ""

    def _build(self) -> list[w.Widget]:
        raise NotImplementedError

    def _value(self) -> Any:
        """The raw answer the controls show."""
        raise NotImplementedError

    def _restore(self, answer: Any) -> None:
        raise NotImplementedError

    def _feedback(self, answer: Any) -> str:
        """Feedback HTML for an answered question (correctness already checked by the caller)."""
        return ""

    # Shared behaviour
    @property
    def answered(self) -> bool:
        """Whether the answer shown is complete."""
        return _questions.is_answered(self.question, self.answer)

    @property
    def score(self) -> tuple[float, float] | None:
        """``(earned, possible)`` of the answer shown, for an auto-scored question; else ``None``."""
        return _questions.score(self.question, self.answer)

    def _changed(self, change: object = None) -> None:
        """A control changed: the answer takes the value shown and is saved at once."""
        self._take_answer(typing=False)

    def _typed(self, change: object = None) -> None:
        """Text changed: the answer takes the value shown and is saved after a pause in typing."""
        self._take_answer(typing=True)

    def _take_answer(self, typing: bool) -> None:
        """The answer trait takes the value the controls show; the store writer observes it."""
        if self._restoring:
            return
        value = self._value()
        self._typing = typing
        if value == self.answer and not typing:
            self.save()  # no change to observe (e.g. the same order saved again): save all the same
        self.answer = value

    def _write(self, change: object = None) -> None:
        """The store writer: the answer changed."""
        if self._typing:
            self._pause()
        else:
            self.save()

    def save(self) -> None:
        """Record the answer shown now and redraw at once; the status says "saved" once it is on disk, or if
        saving failed, in plain words. The write runs on the store's writer thread."""
        if self._restoring:
            return
        with self._lock:
            self._pause.cancel()
            self._writing += 1
        try:
            current_store().record_soon(self.lesson_id, self.question["id"], self.answer, self._written)
            self.error = None
        except (OSError, ValueError, TypeError) as err:
            self._written(err)
        self._refresh()

    def _written(self, error: Exception | None) -> None:
        """The store wrote the answer (or failed to): update the status line (called on the writer thread)."""
        with self._lock:
            self._writing -= 1
            if error is not None:
                self.error = _("Your answer could not be saved: {error} "
                               "Copy your text somewhere safe and tell your teacher.").format(error=error)
        self._show_status()

    def _refresh(self) -> None:
        notice = current_store().notice
        self.notice.value = f'<p class="rwanda-edu-notice" role="alert">{escape(notice)}</p>' if notice else ""
        answer = self.answer
        answered = self._show_status()
        feedback = self._feedback(answer) if answered and self._feedback_shown() else ""
        self.feedback.value = readable(feedback + self._sources() if feedback else "")

    def _show_status(self) -> bool:
        """Show whether the answer is complete and saved ("saving…" until it is on disk); return if complete."""
        with self._lock:
            answer = self.answer
            answered = _questions.is_answered(self.question, answer)
            if self.error:
                text = f"⚠ {escape(self.error)}"
            elif answered:
                text = _("✓ Answered · saving…") if self._writing else _("✓ Answered · saved")
            elif answer is not None:
                text = _("Not answered yet · saving…") if self._writing else _("Not answered yet · saved so far")
            else:
                text = _("Not answered yet")
            self.status.value = f'<span role="status">{text}</span>'
        return answered

    def _feedback_shown(self) -> bool:
        """Whether to draw feedback: not while correctness is hidden (it may need the keys)."""
        return not self.hidden

    def _free_text(self, description: str, min_words: int | None = None) -> tuple[w.Textarea, w.VBox]:
        """A text box that saves after a pause in typing, with its word count under it."""
        box = w.Textarea(description=description, continuous_update=True, style=LABEL_STYLE,
                         layout=wide(height="8em"))
        count = w.HTML()
        count.add_class("rwanda-edu-word-count")

        def counted(change: object = None) -> None:
            n = len(box.value.split())
            words = ngettext("{n} word", "{n} words", n).format(n=n)
            if min_words:
                words = _("{words} (aim for at least {n})").format(words=words, n=min_words)
            count.value = f"<small>{words}</small>"

        counted()
        box.observe(counted, "value")
        box.observe(self._typed, "value")
        return box, w.VBox([box, count], layout=wide())

    def _result(self, earned_possible: tuple[float, float] | None, lines: list[str]) -> str:
        """Feedback HTML from escaped ``lines`` plus the score; empty when correctness is hidden."""
        if self.hidden or earned_possible is None:
            return ""
        earned, possible = earned_possible
        score = _("Score: {earned:g} of {possible:g}").format(earned=earned, possible=possible)
        return paragraphs(*lines, f"<strong>{score}</strong>")

    def _sources(self) -> str:
        """The question's ``sources``, cited, in a collapsed list."""
        items = cited(self.question.get("sources", []))
        if not items:
            return ""
        summary = _("Sources")
        return f'<details class="rwanda-edu-sources"><summary>{summary}</summary><ul>{items}</ul></details>'

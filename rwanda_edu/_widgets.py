"""Question widgets: views over the student's answers (``rwanda_edu.responses``).

``ask(lesson, question)`` shows one question and ``quiz(lesson)`` the end quiz. Every
answer is saved the moment it is given (free text after a pause shorter than a second),
and a new widget, after a re-run or a restarted kernel, shows the saved answer again.
Any text is shown escaped; correctness is hidden when the teacher asks for it.
"""
from __future__ import annotations

import os
import random
import threading
from pathlib import Path

import ipywidgets as w
import pandas as pd

from . import _datasets, _questions
from ._evidence import evidence_html
from ._html import date_label, escape
from ._i18n import _
from ._keyboard import keyboard_scope
from .formats.assignment import hides_correctness

DEBOUNCE_SECONDS = 0.8
_PENDING: set = set()  # widgets with typing not saved yet
_LABEL_STYLE = {"description_width": "initial"}


def hide_correctness() -> bool:
    """Whether the teacher hides correctness: ``RWANDA_EDU_HIDE_CORRECTNESS=1``, or
    ``{"hide_correctness": true}`` in ``assignment.json`` in the working folder.

    An unreadable ``assignment.json`` hides correctness (it exists only for graded work), and so
    do answer keys this account cannot read (``rwanda-edu lock-keys``).
    """
    from .keys import keys_withheld

    if keys_withheld():
        return True
    env = os.environ.get("RWANDA_EDU_HIDE_CORRECTNESS", "").strip().lower()
    if env:
        return env not in ("0", "false", "no")
    return hides_correctness()


def _store():
    from .responses import current_store

    return current_store()


def _wide(**extra) -> w.Layout:
    return w.Layout(width="100%", **extra)


def _readable(html: str) -> str:
    """``html`` at reading line spacing (widget text otherwise takes the controls' tall lines)."""
    return f'<div style="line-height:1.5">{html}</div>' if html else ""


def _paragraphs(*parts: str) -> str:
    return "".join(f"<p>{part}</p>" for part in parts if part)


def _date_text(iso: str) -> str:
    """``1994-04-21`` -> ``21 April 1994`` (also yyyy-mm and yyyy)."""
    return date_label(pd.Timestamp(iso), ("year", "month", "day")[iso.count("-")])


def _cited(source_ids) -> str:
    """``<li>`` citations of ``source_ids``, escaped."""
    return "".join(f"<li>{escape(_datasets.cite(s))}</li>" for s in source_ids)


def shuffled(question_id: str, ids: list[str]) -> list[str]:
    """``ids`` in an order that depends only on ``question_id`` and is never the original one."""
    order = list(ids)
    random.Random(question_id).shuffle(order)
    return order[1:] + order[:1] if order == list(ids) else order


class QuestionWidget(w.VBox):
    """One question: prompt, controls, an answered/saved status, and feedback.

    ``answer`` is the raw answer shown (``None`` before any); ``score`` is ``(earned, possible)``
    for auto-scored questions. Subclasses build the controls and read/restore the answer.
    """

    def __init__(self, lesson_id: str, question: dict):
        self.lesson_id, self.question = lesson_id, question
        self.hidden = hide_correctness()
        self.error: str | None = None
        self._lock = threading.RLock()
        self._timer: threading.Timer | None = None
        self._restoring = True
        self._given = False  # True once the student answered (or a saved answer was restored)
        self._writing = 0  # answers given to the store and not yet on disk
        self._listeners: list = []
        self.notice = w.HTML()
        self.status = w.HTML()
        self.status.add_class("rwanda-edu-status")
        self.feedback = w.HTML()
        self.feedback.add_class("rwanda-edu-feedback")
        prompt = w.HTML(_readable(f'<p class="rwanda-edu-prompt"><strong>{escape(question["prompt"])}</strong></p>'
                                  + self._header()))
        # Sources go with the feedback (their titles could give answers away), or under open questions.
        sources = [w.HTML(self._sources())] if self.question["type"] in ("text", "source_analysis") else []
        super().__init__(children=[self.notice, prompt, *self._build(), self.status, self.feedback, *sources])
        self.add_class("rwanda-edu-question")
        keyboard_scope(self)
        self.add_class(f"rwanda-edu-{question['type'].replace('_', '-')}")
        saved = _store().answers(lesson_id).get(question["id"])
        try:
            _questions.is_answered(question, saved)
        except (TypeError, ValueError):
            self.error = "Your saved answer no longer fits this question, so it is not shown; it is still in your answers file."
            saved = None
        if saved is not None:
            self._restore(saved)
            self._given = True
        self._restoring = False
        self._refresh()

    # What subclasses provide
    def _header(self) -> str:
        return ""

    def _build(self) -> list[w.Widget]:
        raise NotImplementedError

    def _value(self):
        """The raw answer the controls show."""
        raise NotImplementedError

    def _restore(self, answer) -> None:
        raise NotImplementedError

    def _feedback(self, answer) -> str:
        """Feedback HTML for an answered question (correctness already checked by the caller)."""
        return ""

    # Shared behaviour
    def _read(self):
        return self._value() if self._given else None

    @property
    def answer(self):
        return self._read()

    @property
    def answered(self) -> bool:
        return _questions.is_answered(self.question, self._read())

    @property
    def score(self) -> tuple[float, float] | None:
        return _questions.score(self.question, self._read())

    def on_save(self, callback) -> None:
        """Call ``callback()`` after every save (the quiz updates its running score)."""
        self._listeners.append(callback)

    def save(self) -> None:
        """Record the answer shown now and redraw at once; the status says "saved" once it is on disk,
        or if saving failed, in plain words. The write runs on the store's writer thread."""
        if self._restoring:
            return
        with self._lock:
            self._cancel_timer()
            self._given = True
            answer = self._read()
            self._writing += 1
        try:
            _store().record_soon(self.lesson_id, self.question["id"], answer, self._written)
            self.error = None
        except (OSError, ValueError, TypeError) as err:
            self._written(err)
        self._refresh()
        for callback in self._listeners:
            callback()

    def _written(self, error: Exception | None) -> None:
        """The store wrote the answer (or failed to): update the status line (called on the writer thread)."""
        with self._lock:
            self._writing -= 1
            if error is not None:
                self.error = (f"Your answer could not be saved: {error} "
                              "Copy your text somewhere safe and tell your teacher.")
        self._show_status()

    def _save_later(self, change=None) -> None:
        """Save after a pause in typing (debounced)."""
        if self._restoring:
            return
        with self._lock:
            self._cancel_timer()
            self._given = True
            self._timer = threading.Timer(DEBOUNCE_SECONDS, self.save)
            self._timer.start()
            _PENDING.add(self)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        _PENDING.discard(self)

    def _refresh(self) -> None:
        notice = _store().notice
        self.notice.value = f'<p class="rwanda-edu-notice" role="alert">{escape(notice)}</p>' if notice else ""
        answer = self._read()
        answered = self._show_status(answer)
        feedback = self._feedback(answer) if answered and self._feedback_shown() else ""
        self.feedback.value = _readable(feedback + self._sources() if feedback else "")

    def _show_status(self, answer=None) -> bool:
        """Show whether the answer is complete and saved ("saving…" until it is on disk); return if complete."""
        with self._lock:
            answer = self._read() if answer is None else answer
            answered = _questions.is_answered(self.question, answer)
            if self.error:
                text = f"⚠ {escape(self.error)}"
            elif answered:
                text = "✓ Answered · " + ("saving…" if self._writing else "saved")
            else:
                text = "Not answered yet" + ("" if answer is None else " · saving…" if self._writing else " · saved so far")
            self.status.value = f'<span role="status">{text}</span>'
        return answered

    def _feedback_shown(self) -> bool:
        """Whether to draw feedback: not while correctness is hidden (it may need the keys)."""
        return not self.hidden

    def _free_text(self, description: str, min_words: int | None = None) -> tuple[w.Textarea, w.VBox]:
        """A text box that saves after a pause in typing, with its word count under it."""
        box = w.Textarea(description=description, continuous_update=True, style=_LABEL_STYLE,
                         layout=_wide(height="8em"))
        count = w.HTML()
        count.add_class("rwanda-edu-word-count")
        aim = f" (aim for at least {min_words})" if min_words else ""

        def counted(change=None):
            n = len(box.value.split())
            count.value = f"<small>{n} word{'' if n == 1 else 's'}{aim}</small>"

        counted()
        box.observe(counted, "value")
        box.observe(self._save_later, "value")
        return box, w.VBox([box, count], layout=_wide())

    def _result(self, earned_possible, lines: list[str]) -> str:
        """Feedback HTML from escaped ``lines`` plus the score; empty when correctness is hidden."""
        if self.hidden:
            return ""
        earned, possible = earned_possible
        return _paragraphs(*lines, f"<strong>Score: {earned:g} of {possible:g}</strong>")

    def _sources(self) -> str:
        """The question's ``sources``, cited, in a collapsed list."""
        items = _cited(self.question.get("sources", []))
        return f'<details class="rwanda-edu-sources"><summary>Sources</summary><ul>{items}</ul></details>' if items else ""


class ChoiceWidget(QuestionWidget):
    def _build(self):
        options = [(o["text"], o["id"]) for o in self.question["options"]]
        if self.question["multiple"]:
            self.checkboxes = [w.Checkbox(description=text, value=False, indent=False, layout=w.Layout(width="auto"))
                               for text, _ in options]
            for box in self.checkboxes:
                box.observe(lambda change: self.save(), "value")
            return [w.HTML("<p>Choose all that apply.</p>"), *self.checkboxes]
        self.choice = w.RadioButtons(options=options, value=None, description="Your answer",
                                     style=_LABEL_STYLE, layout=w.Layout(width="auto"))
        self.choice.observe(lambda change: self.save(), "value")
        return [self.choice]

    def _value(self):
        if self.question["multiple"]:
            return [o["id"] for o, box in zip(self.question["options"], self.checkboxes, strict=True) if box.value]
        return self.choice.value

    def _restore(self, answer):
        if self.question["multiple"]:
            for option, box in zip(self.question["options"], self.checkboxes, strict=True):
                box.value = option["id"] in answer
        else:
            self.choice.value = answer

    def _feedback(self, answer):
        options = {o["id"]: o for o in self.question["options"]}
        picked = answer if self.question["multiple"] else [answer]
        lines = [f"{'✓' if options[i]['correct'] else '✗'} {escape(options[i]['text'])}: "
                 f"{escape(options[i]['feedback'])}" for i in picked]
        earned, possible = _questions.score(self.question, answer)
        verdict = "Correct." if earned == possible else ("Partly right." if earned else "Not quite.")
        return self._result((earned, possible), [f"<strong>{verdict}</strong>", *lines,
                                                 escape(self.question["explanation"])])


class TextWidget(QuestionWidget):
    def _header(self):
        source = self.question.get("source")
        return f'<p class="rwanda-edu-source"><small>{escape(source)}</small></p>' if source else ""

    def _build(self):
        self.text, box = self._free_text("Your answer", self.question.get("min_words"))
        starters = self.question.get("starters", [])
        if not starters:
            return [box]
        buttons = []
        for starter in starters:
            button = w.Button(description=starter, tooltip=f"Add “{starter}” to your answer",
                              layout=w.Layout(width="auto"))
            button.on_click(lambda _, s=starter: self.insert(s))
            buttons.append(button)
        label = w.HTML("<small>Sentence starters (click one to add it to your answer):</small>")
        return [box, label, w.HBox(buttons, layout=w.Layout(flex_flow="row wrap"))]

    def insert(self, starter: str) -> None:
        """Add ``starter`` at the end of the answer, on a new line if the answer has text."""
        current = self.text.value.rstrip()
        self.text.value = f"{current}\n{starter} " if current else f"{starter} "

    def _value(self):
        return self.text.value

    def _restore(self, answer):
        self.text.value = answer


class OrderingWidget(QuestionWidget):
    def _build(self):
        items = self.question["items"]
        self.texts = {item["id"]: item["text"] for item in items}
        self.order = shuffled(self.question["id"], [item["id"] for item in items])
        self.rows, self.up, self.down = [], [], []
        for pos in range(len(items)):
            label = w.HTML(layout=w.Layout(flex="1 1 auto"))
            up = w.Button(description="↑ Up", layout=w.Layout(width="6em"), disabled=pos == 0)
            down = w.Button(description="↓ Down", layout=w.Layout(width="6em"), disabled=pos == len(items) - 1)
            up.on_click(lambda _, p=pos: self.move(p, -1))
            down.on_click(lambda _, p=pos: self.move(p, +1))
            self.rows.append(label)
            self.up.append(up)
            self.down.append(down)
        self.announce = w.HTML()
        self.confirm = w.Button(description="Save this order", tooltip="Save the order shown as your answer",
                                layout=w.Layout(width="auto"))
        self.confirm.on_click(lambda _: self.save())
        self._label_rows()
        rows = [w.HBox([label, up, down], layout=_wide()) for label, up, down in zip(self.rows, self.up, self.down, strict=True)]
        hint = w.HTML("<p><small>Use the Up and Down buttons; the first event goes at the top. "
                      "Your order is saved at every move.</small></p>")
        return [hint, w.VBox(rows, layout=_wide()), self.announce, self.confirm]

    def _label_rows(self) -> None:
        for pos, item_id in enumerate(self.order):
            text = self.texts[item_id]
            self.rows[pos].value = f"<span>{pos + 1}. {escape(text)}</span>"
            self.up[pos].tooltip = f"Move “{text}” up"
            self.down[pos].tooltip = f"Move “{text}” down"

    def move(self, position: int, step: int) -> None:
        """Move the item at ``position`` (0 = top) one place up (``step=-1``) or down (``+1``)."""
        target = position + step
        if not (0 <= position < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self._label_rows()
        self.announce.value = (f'<span role="status"><small>Moved “{escape(self.texts[self.order[target]])}” '
                               f"to place {target + 1} of {len(self.order)}.</small></span>")
        self.save()

    def _value(self):
        return list(self.order)

    def _restore(self, answer):
        self.order = list(answer)
        self._label_rows()

    def _feedback(self, answer):
        earned, possible = _questions.score(self.question, answer)
        right = sum(a == b["id"] for a, b in zip(answer, self.question["items"], strict=True))
        if right < len(answer):
            return self._result((earned, possible), [f"{right} of {len(answer)} in the right place. Keep going."])
        dated = "".join(
            f"<li>{escape(item['text'])}" + (f" ({_date_text(item['date'])})" if "date" in item else "") + "</li>"
            for item in self.question["items"]
        )
        return self._result((earned, possible), ["<strong>All in the right order.</strong>", f"<ol>{dated}</ol>",
                                                 escape(self.question.get("explanation", ""))])


class MatchingWidget(QuestionWidget):
    def _build(self):
        pairs = self.question["pairs"]
        rights = {p["id"]: p["right"] for p in pairs}
        # "" rather than None for no choice: a menu shows no label at all for the value None
        choices = [("Choose…", "")] + [(rights[i], i) for i in shuffled(self.question["id"], list(rights))]
        self.dropdowns = {}
        for pair in pairs:
            dropdown = w.Dropdown(options=choices, value="", description=pair["left"], style=_LABEL_STYLE,
                                  layout=w.Layout(width="auto", max_width="100%"))
            dropdown.observe(lambda change: self.save(), "value")
            self.dropdowns[pair["id"]] = dropdown
        left = self.question.get("left_label", "")
        right = self.question.get("right_label", "")
        heading = [w.HTML(f"<p><small>For each {escape(left.lower())} on the left, choose "
                          f"the matching {escape(right.lower())}.</small></p>")] if left and right else []
        return [*heading, *self.dropdowns.values()]

    def _value(self):
        return {pid: d.value for pid, d in self.dropdowns.items() if d.value}

    def _restore(self, answer):
        for pid, right in answer.items():
            self.dropdowns[pid].value = right

    def _feedback(self, answer):
        earned, possible = _questions.score(self.question, answer)
        right = sum(answer.get(pid) == pid for pid in self.dropdowns)
        lines = [f"{right} of {len(self.dropdowns)} matches are right."]
        if right == len(self.dropdowns):
            lines = ["<strong>All matches are right.</strong>", escape(self.question.get("explanation", ""))]
        return self._result((earned, possible), lines)


class SourceAnalysisWidget(QuestionWidget):
    def _header(self):
        document = _datasets.load_document(self.question["document"])
        return f'<p class="rwanda-edu-source"><small>Document: {escape(document.title)}</small></p>'

    def _build(self):
        self.boxes, parts = {}, []
        for prompt in self.question["prompts"]:
            kind = _questions.PROMPT_KINDS[prompt["kind"]]
            box, group = self._free_text(f"{kind}: your answer")
            self.boxes[prompt["id"]] = box
            parts += [w.HTML(f"<p><strong>{escape(kind)}</strong> {escape(prompt['text'])}</p>"), group]
        return parts

    def _value(self):
        return {pid: box.value for pid, box in self.boxes.items()}

    def _restore(self, answer):
        for pid, text in answer.items():
            self.boxes[pid].value = text


class _RevealWidget(QuestionWidget):
    """A pick (verdict or option) and written reasons, then a button that reveals the record."""

    PICK, WORDS = "", ""
    REVEAL = ""
    revealed = False

    def _pick_and_reasons(self, options, pick_label: str, words_label: str) -> list[w.Widget]:
        self.pick = w.RadioButtons(options=options, value=None, description=pick_label, style=_LABEL_STYLE,
                                   layout=w.Layout(width="auto"))
        self.pick.observe(lambda change: self.save(), "value")
        self.reasons, box = self._free_text(words_label)
        self.reveal_button = w.Button(description=self.REVEAL, disabled=True, layout=w.Layout(width="auto"),
                                      tooltip="Choose and write your reasons first")
        self.reveal_button.on_click(lambda _: self.reveal())
        return [self.pick, box, self.reveal_button]

    def reveal(self) -> None:
        """Show the record (once the question is answered); the answer remembers it was seen."""
        if self.answered:
            self.revealed = True
            self.save()

    def _feedback_shown(self) -> bool:
        return True  # the record, once revealed (a hidden claim check says the teacher will go over it)

    def _value(self):
        value = {self.PICK: self.pick.value, self.WORDS: self.reasons.value}
        return {**value, "revealed": True} if self.revealed else value

    def _restore(self, answer):
        self.revealed = answer.get("revealed", False)
        self.pick.value = answer.get(self.PICK)
        self.reasons.value = answer.get(self.WORDS, "")

    def _refresh(self):
        super()._refresh()
        answered = self.answered
        self.reveal_button.disabled = not answered
        self.reveal_button.tooltip = self.REVEAL if answered else "Choose and write your reasons first"


class ClaimCheckWidget(_RevealWidget):
    PICK, WORDS = "verdict", "reasoning"
    REVEAL = "See what the record says"

    def __init__(self, lesson_id: str, question: dict):
        self.claim = _questions.claim(question["claim"])
        super().__init__(lesson_id, question)

    def _header(self):
        document = _datasets.load_document(self.claim["document_id"])
        where = f"{document.title}, paragraph {self.claim['paragraph']}" if self.claim.get("paragraph") else document.title
        return (f'<blockquote class="rwanda-edu-claim"><p>“{escape(self.claim["quote"])}”</p>'
                f"<footer><small>{escape(where)}</small></footer></blockquote>"
                + evidence_html(self.question.get("evidence")))

    def _build(self):
        verdicts = [(label, v) for v, label in _questions.VERDICTS.items()]
        return self._pick_and_reasons(verdicts, "Your verdict", "Your reasoning")

    def _refresh(self):
        super()._refresh()
        self.pick.disabled = self.revealed  # the verdict is scored: it cannot change once the record is seen
        if self.hidden:
            self.reveal_button.layout.display = "none"

    def _feedback(self, answer):
        if self.hidden:
            return "<p>Your teacher will go over what the record says.</p>"
        if not self.revealed:
            return ""
        record = self.claim
        sources = _cited(record["source_ids"])
        earned, possible = _questions.score(self.question, answer)
        match = "Your verdict matches the record." if earned else "Your verdict differs from the record's."
        return self._result((earned, possible), [
            f"<strong>{match}</strong> The record: {escape(_questions.VERDICTS[record['verdict']])}.",
            escape(record["what_the_record_says"]),
            f"Sources:<ul>{sources}</ul>",
        ])


class DecisionWidget(_RevealWidget):
    PICK, WORDS = "choice", "justification"
    REVEAL = "See what was decided"

    def _header(self):
        q = self.question
        return (f'<p class="rwanda-edu-decision-context"><strong>{escape(q["institution"])}, '
                f"{_date_text(q['date'])}.</strong> {escape(q['context'])}</p>")

    def _build(self):
        options = [(o["text"], o["id"]) for o in self.question["options"]]
        return self._pick_and_reasons(options, "Your choice", "Your reasons")

    def _feedback(self, answer):
        if not self.revealed:
            return ""
        q = self.question
        decided = next(o["text"] for o in q["options"] if o["id"] == q["decided"])
        return _paragraphs(f"<strong>What was decided:</strong> {escape(decided)}",
                           f"<strong>What followed:</strong> {escape(q['outcome'])}")


_WIDGETS = {
    "choice": ChoiceWidget,
    "text": TextWidget,
    "ordering": OrderingWidget,
    "matching": MatchingWidget,
    "source_analysis": SourceAnalysisWidget,
    "claim_check": ClaimCheckWidget,
    "decision": DecisionWidget,
}


def ask(lesson_id: str, question_id: str) -> QuestionWidget:
    """The widget for question ``question_id`` of lesson ``lesson_id``; answers save as they are given."""
    question = _questions.get_question(lesson_id, question_id)
    return _WIDGETS[question["type"]](lesson_id, question)


class Quiz(w.VBox):
    """The lesson's quiz questions with a running score (or, when correctness is hidden, a count)."""

    def __init__(self, lesson_id: str):
        questions = [q for q in _questions.question_bank(lesson_id)["questions"] if q.get("quiz")]
        if not questions:
            raise ValueError(f"lesson {lesson_id} has no quiz questions (none has quiz = true)")
        self.hidden = hide_correctness()
        self.questions = [_WIDGETS[q["type"]](lesson_id, q) for q in questions]
        self.total = w.HTML()
        self.total.add_class("rwanda-edu-quiz-score")
        numbered = []
        for n, widget in enumerate(self.questions, start=1):
            widget.on_save(self._update)
            numbered += [w.HTML(f"<h4>Question {n} of {len(self.questions)}</h4>"), widget]
        super().__init__(children=[*numbered, self.total])
        self.add_class("rwanda-edu-quiz")
        self._update()

    @property
    def score(self) -> tuple[float, float]:
        """``(earned, possible)`` over the quiz questions."""
        scores = [q.score for q in self.questions]
        return sum(s[0] for s in scores), sum(s[1] for s in scores)

    def _update(self) -> None:
        done = sum(q.answered for q in self.questions)
        answered = f"{done} of {len(self.questions)} questions answered"
        if self.hidden:
            text = answered
        else:
            earned, possible = self.score
            text = f"Quiz score: {earned:g} of {possible:g} points · {answered}"
        self.total.value = f'<p role="status"><strong>{text}</strong></p>'


def quiz(lesson_id: str) -> Quiz:
    """Every question of lesson ``lesson_id`` marked ``quiz = true``, with a running score."""
    return Quiz(lesson_id)


def _attempt(message: w.HTML, action, failure: str):
    """``action()``, or ``None`` after showing in ``message`` why it failed, in plain words."""
    try:
        return action()
    except (TypeError, ValueError) as err:
        message.value = f'<p role="alert">⚠ {escape(err)}</p>'
    except OSError as err:
        message.value = f'<p role="alert">⚠ {failure}: {escape(err)} Tell your teacher.</p>'
    return None


def sign_in_widget() -> w.VBox:
    """Name entry: saves the name the student's answers and hand-in are filed under."""
    from . import responses
    from ._hub import hub_user

    if (account := hub_user()) is not None:
        return _hub_account_box(account)
    current = responses.current_student()
    name = w.Text(value=current or "", description="Your name", placeholder="e.g. Ada N.", style=_LABEL_STYLE)
    button = w.Button(description="Save my name", button_style="primary", layout=w.Layout(width="auto"))
    message = w.HTML()
    message.add_class("rwanda-edu-status")

    def signed(_=None):
        store = _attempt(message, lambda: responses.sign_in(name.value), "Your name could not be saved")
        if store is None:
            return
        student = store.student
        message.value = (f'<p role="status">✓ Saved. Your answers are saved under the name '
                         f"“{escape(student)}”.</p>")

    button.on_click(signed)
    if current:
        message.value = f'<p role="status">You are signed in as “{escape(current)}”. To change it, type a new name.</p>'
    box = w.VBox([w.HBox([name, button]), message])
    box.add_class("rwanda-edu-sign-in")
    return box


def _hub_account_box(account: str) -> w.VBox:
    """On a JupyterHub: the account the answers are filed under (no name to type)."""
    message = w.HTML('<p role="status">' + escape(_(
        "You are signed in to your school's JupyterHub as “{account}”. Your answers and hand-ins are filed "
        "under this account.").format(account=account)) + "</p>")
    message.add_class("rwanda-edu-status")
    box = w.VBox([message])
    box.add_class("rwanda-edu-sign-in")
    return box


def hand_in_widget() -> w.VBox:
    """A button that writes the hand-in files, delivers them to the teacher where the hub has an
    exchange, and offers both files for download."""
    from . import responses

    button = w.Button(description="Hand in my answers", button_style="primary", layout=w.Layout(width="auto"))
    message = w.HTML()
    message.add_class("rwanda-edu-status")

    def handed(_button=None):
        from ._download import download_link

        save_pending()
        files = _attempt(message, responses.hand_in, "The hand-in could not be written")
        if files is None:
            return
        names = "".join(f"<li><code>{escape(_shown(p))}</code></li>" for p in (files.json_path, files.html_path))
        if files.delivered is not None:
            sent = f"<p><strong>{escape(_('Your teacher has received it'))}</strong> " \
                   f"{escape(_('(through the school’s exchange folder).'))}</p>"
        elif files.undelivered is not None:
            sent = '<p role="alert">⚠ ' + escape(_(
                "It could not reach your teacher through the exchange folder: {reason} Download it below and give "
                "it to your teacher.").format(reason=files.undelivered)) + "</p>"
        else:
            sent = "<p>" + escape(_("Download it below, then send or upload the .json file as your teacher asks.")) + "</p>"
        message.value = (
            f'<div role="status"><p>✓ Handed in. Two files were written:</p><ul>{names}</ul>{sent}'
            f"<p>{download_link(files.json_path, _('Download my hand-in (.json)'))}"
            f"{download_link(files.html_path, _('Download the readable page (.html)'))}</p>"
            "<p>The <code>.json</code> file is for your teacher; the <code>.html</code> page shows your answers. "
            "<strong>On Binder, files vanish when the session ends</strong>: download them now.</p></div>"
        )

    button.on_click(handed)
    from .exchange import feedback_html

    box = w.VBox([button, message, w.HTML(feedback_html())])
    box.add_class("rwanda-edu-hand-in")
    return box


def save_pending() -> None:
    """Save at once any typing still waiting for its pause (before a hand-in)."""
    for widget in list(_PENDING):
        widget.save()


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (as the file browser shows it)."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)

"""The marking view: mark open answers with the rubric in JupyterLab, with the keyboard alone.

One question across the whole class (the way to mark consistently), or one student at a time.
It shows the question, the student's answer (escaped), the guide's notes and exemplar, and the
rubric's criteria with their four levels as buttons. Students are anonymous ("Student 7", numbered
in an order that does not follow their names) until the teacher chooses to see names. Each level
or comment is stored at once (``_marks.MarksStore``); a mark on an answer that changed since is
flagged. ``rwanda-edu mark RESULTS`` opens ``lessons/teacher/marking.ipynb``, which calls
:func:`marking_view`.

Keys (when the view has the focus): 1–4 give the highlighted criterion that level and move to the
next criterion; ↑/↓ choose the criterion; n or → next answer, p or ← previous; c writes a comment
(Esc leaves the comment box); 5–9 reuse a comment from the question's comment bank; s shows or
hides names.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import anywidget
import ipywidgets as w
import traitlets

from .._html import escape
from .._i18n import _
from .._keyboard import keyboard_scope
from .._rubric import LEVELS, criteria, criterion_label, level_label
from ._guide import guide_notes
from ._marks import MarksStore, digest, read_class

RESULTS_ENV = "RWANDA_EDU_RESULTS"  # set by ``rwanda-edu mark RESULTS`` for the marking notebook
BANK_KEYS = "56789"
NAV_KEYS = {"n": 1, "ArrowRight": 1, "p": -1, "ArrowLeft": -1}

_ESM = """
const KEYS = /^([1-9]|n|p|c|s|ArrowRight|ArrowLeft|ArrowUp|ArrowDown)$/;
export default {
  render({ model, el }) {
    const attach = () => {
      if (!el.isConnected) { requestAnimationFrame(attach); return; }
      const box = el.closest(".rwanda-edu-marking");
      if (!box || box.dataset.rwandaEduKeys) return;
      box.dataset.rwandaEduKeys = "on";
      box.tabIndex = 0;
      box.setAttribute("data-lm-suppress-shortcuts", "true");
      box.addEventListener("keydown", (event) => {
        if (event.ctrlKey || event.metaKey || event.altKey) return;
        if (event.target.closest("textarea, input, select")) {
          if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); box.focus(); }
          return;
        }
        if (!KEYS.test(event.key)) return;
        event.preventDefault();
        event.stopPropagation();
        if (event.key === "c") { const area = box.querySelector("textarea"); if (area) area.focus(); return; }
        model.send({ key: event.key });
      }, true);  // capture: the text box's own handler stops the keys it receives from going further
    };
    attach();
  }
};
"""


class _Keys(anywidget.AnyWidget):
    """Sends the keys pressed in the marking view to the kernel (JupyterLab's own shortcuts kept out)."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)


def _markdown(text: str) -> str:
    """The guide's Markdown, escaped, with its bold, italics and code kept."""
    html = escape(text)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"<em>\1</em>", html, flags=re.S)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html)


class MarkingView:
    """Marks the open answers of the results folder ``results`` (see the module's docstring)."""

    def __init__(self, results: str | os.PathLike, *, by: str = "question"):
        self.answers = read_class(results)
        self.store = MarksStore(results)
        self.questions = self.answers.markable()
        if not self.questions:
            raise ValueError(_("{folder} holds no open answers to mark").format(folder=results))
        ordered = sorted(self.answers.students, key=lambda s: hashlib.sha256(s.encode("utf-8", "surrogatepass")).digest())
        self.numbers = {student: n for n, student in enumerate(ordered, start=1)}
        self.by_number = ordered
        self.show_names = False
        self.question = self.questions[0]
        self.student = next(s for s in ordered if any((s, *q) in self.answers.answers for q in self.questions))
        self.position = 0
        self.criterion = 0
        self._build()
        self.by = by
        self._mode.value = by
        self._refill()

    # What is being marked

    def items(self) -> list[tuple[str, str, str]]:
        """``(student, lesson, question)`` of the answers in the current order."""
        if self.by == "question":
            return [(s, *self.question) for s in self.by_number if (s, *self.question) in self.answers.answers]
        return [(self.student, *q) for q in self.questions if (self.student, *q) in self.answers.answers]

    @property
    def current(self) -> tuple[str, str, str]:
        items = self.items()
        return items[min(self.position, len(items) - 1)]

    def name(self, student: str) -> str:
        """"Student 7", or the name once the teacher has chosen to see names."""
        anonymous = _("Student {n}").format(n=self.numbers[student])
        return f"{student} ({anonymous})" if self.show_names else anonymous

    def rubric(self) -> list[dict]:
        return criteria(self.answers.rubric(*self.current[1:]) or "open")

    def status(self, item: tuple[str, str, str]) -> str:
        """``"unmarked"``, ``"marked"`` or ``"changed"`` (the answer changed since it was marked)."""
        mark = self.store.get(*item)
        if mark is None:
            return "unmarked"
        return "marked" if mark.answer_digest == digest(self.answers.answers[item]) else "changed"

    # Actions

    def set_level(self, criterion: str, level: int, *, draw: bool = True) -> None:
        """Give the current answer ``level`` on ``criterion`` (the same level again takes it back)."""
        item = self.current
        mark = self.store.get(*item)
        again = mark is not None and mark.levels.get(criterion) == level
        self.store.amend(*item, self.answers.answers[item], criterion=criterion, level=None if again else level,
                         order=[c["id"] for c in self.rubric()])
        if draw:
            self._draw()

    def set_comment(self, comment: str) -> None:
        item = self.current
        mark = self.store.get(*item)
        if (mark.comment if mark else "") == comment:
            return
        try:
            self.store.amend(*item, self.answers.answers[item], comment=comment)
        except ValueError as error:  # e.g. a comment longer than a marks file holds: say so, keep the text on screen
            self._progress.value += f'<p role="alert">⚠ {escape(str(error))}</p>'
            return
        self._draw()

    def move(self, step: int) -> None:
        """To the next (``step`` 1) or previous (-1) answer."""
        self.position = max(0, min(len(self.items()) - 1, self.position + step))
        self.criterion = 0
        self._draw()

    def press(self, key: str) -> None:
        """What a key does (see the module's docstring)."""
        rubric = self.rubric()
        if key in "1234" and len(key) == 1:
            self.set_level(rubric[self.criterion]["id"], int(key), draw=False)
            self.criterion = min(self.criterion + 1, len(rubric) - 1)
            self._draw()
        elif key in NAV_KEYS:
            self.move(NAV_KEYS[key])
        elif key in ("ArrowUp", "ArrowDown"):
            self.criterion = (self.criterion + (1 if key == "ArrowDown" else -1)) % len(rubric)
            self._draw()
        elif len(key) == 1 and key in BANK_KEYS:
            bank = self.store.bank(*self.current[1:])
            index = BANK_KEYS.index(key)
            if index < len(bank):
                self._comment.value = bank[index]
        elif key == "s":
            self._names.value = not self._names.value

    # Widgets

    def _build(self) -> None:
        self._mode = w.ToggleButtons(
            options=[(_("One question, whole class"), "question"), (_("One student, every question"), "student")],
            description=_("Mark"), style={"description_width": "initial"})
        self._choose = w.Dropdown(description=_("Question"), layout=w.Layout(width="40rem"),
                                  style={"description_width": "initial"})
        self._names = w.Checkbox(value=False, description=_("Show names (s)"), indent=False)
        self._progress = w.HTML()
        self._page = w.HTML()
        self._rows = w.VBox()
        self._rubrics: dict[str, tuple[tuple, dict, dict]] = {}
        self._comment = w.Textarea(placeholder=_("Comment for the student (press c to write, Esc to leave)"),
                                   continuous_update=False, layout=w.Layout(width="100%", height="6rem"))
        self._comment.add_class("rwanda-edu-marking-comment")
        self._bank = w.VBox()
        previous = w.Button(description=_("← Previous (p)"))
        following = w.Button(description=_("Next (n) →"))
        previous.on_click(lambda _b: self.move(-1))
        following.on_click(lambda _b: self.move(1))
        keys = _Keys(layout=w.Layout(display="none"))
        keys.on_msg(lambda _widget, content, _buffers: self.press(str(content.get("key", ""))))
        help_text = _("Keys: 1–4 level for the highlighted criterion (then the next one) · ↑/↓ criterion · "
                      "n or → next answer · p or ← previous · c comment (Esc to leave it) · 5–9 reuse a comment "
                      "from the bank · s show or hide names")
        self.widget = keyboard_scope(w.VBox([
            w.HBox([self._mode, self._names]), self._choose, self._progress, self._page,
            w.HTML(f"<strong>{escape(_('Rubric'))}</strong>"), self._rows,
            w.HTML(f"<strong>{escape(_('Comment'))}</strong>"), self._comment, self._bank,
            w.HBox([previous, following]), w.HTML(f"<p class=\"rwanda-edu-marking-help\">{escape(help_text)}</p>"),
            keys,
        ]))
        self.widget.add_class("rwanda-edu-marking")
        self._mode.observe(self._on_mode, "value")
        self._choose.observe(self._on_choose, "value")
        self._names.observe(self._on_names, "value")
        self._comment.observe(lambda change: self.set_comment(change["new"]), "value")

    def _choices(self) -> list[tuple[str, object]]:
        if self.by == "question":
            banks = {lesson: self.answers.key.questions(lesson) for lesson, _q in self.questions}
            return [(f"{lesson}/{q}: {_short(banks[lesson][q]['prompt'])}", (lesson, q)) for lesson, q in self.questions]
        return [(self.name(s), s) for s in self.by_number
                if any((s, *q) in self.answers.answers for q in self.questions)]

    def _on_mode(self, change) -> None:
        self.by = change["new"]
        self._choose.description = _("Question") if self.by == "question" else _("Student")
        self._refill()

    def _refill(self) -> None:
        self._drawing = True
        self._choose.options = self._choices()
        self._choose.value = self.question if self.by == "question" else self.student
        self._drawing = False
        self.position = 0
        self.criterion = 0
        self._draw()

    def _on_choose(self, change) -> None:
        if getattr(self, "_drawing", False) or change["new"] is None:
            return
        if self.by == "question":
            self.question = change["new"]
        else:
            self.student = change["new"]
        self.position = 0
        self.criterion = 0
        self._draw()

    def _on_names(self, change) -> None:
        self.show_names = change["new"]
        if self.by == "student":
            self._refill()
        else:
            self._draw()

    def _draw(self) -> None:
        items = self.items()
        student, lesson, question = item = self.current
        statuses = [self.status(i) for i in items]
        done, changed = statuses.count("marked"), statuses.count("changed")
        where = _("answer {i} of {n}").format(i=self.position + 1, n=len(items))
        progress = _("{done} of {n} marked").format(done=done, n=len(items))
        if changed:
            progress += " · " + _("{n} changed since marked").format(n=changed)
        self._progress.value = (f'<p class="rwanda-edu-marking-progress"><strong>{escape(progress)}</strong> · '
                                f"{escape(where)}</p>")
        bank = self.answers.key.questions(lesson)
        rubric_name = self.answers.rubric(lesson, question) or "open"
        flag = ""
        if statuses[self.position] == "changed":
            flag = ('<p class="rwanda-edu-marking-changed" role="alert">⚠ '
                    + escape(_("This answer changed since it was marked: check the levels and the comment.")) + "</p>")
        notes = guide_notes(lesson, question, rubric_name)
        guide = (f"<details open><summary>{escape(_('What to look for (teacher guide)'))}</summary>"
                 f'<div class="rwanda-edu-marking-guide" style="white-space:pre-wrap">{_markdown(notes)}</div></details>'
                 if notes else f"<p>{escape(_('The teacher guide has no notes on this question.'))}</p>")
        self._page.value = (
            f'<div class="rwanda-edu-marking-question"><p><strong>{escape(lesson)}/{escape(question)}</strong>: '
            f"{escape(bank[question]['prompt'])}</p>"
            f'<p class="rwanda-edu-marking-student"><strong>{escape(self.name(student))}</strong></p>{flag}'
            f'<div class="rwanda-edu-marking-answer" style="white-space:pre-wrap;overflow-wrap:anywhere;'
            f'border-left:4px solid #0072B2;padding:.4rem .8rem;background:#f6f8fa">'
            f"{escape(self.answers.answers[item])}</div>{guide}{_rubric_table(rubric_name)}</div>"
        )
        mark = self.store.get(*item)
        levels = mark.levels if mark else {}
        rows, buttons, labels = self._rubric_rows(rubric_name)
        if self._rows.children != rows:
            self._rows.children = rows
        for (criterion, level), button in buttons.items():
            style = "info" if levels.get(criterion) == level else ""
            if button.button_style != style:
                button.button_style = style
        for number, (criterion, label) in enumerate(labels.items()):
            text = f"<span>{escape(('▶ ' if number == self.criterion else '') + criterion_label(criterion))}</span>"
            if label.value != text:
                label.value = text
        comment = mark.comment if mark else ""
        if self._comment.value != comment:
            self._drawing = True
            self._comment.unobserve_all("value")
            self._comment.value = comment
            self._comment.observe(lambda change: self.set_comment(change["new"]), "value")
            self._drawing = False
        bank_items = self.store.bank(lesson, question)
        self._bank.children = [
            w.HTML(f"<em>{escape(_('Comment bank: press 5–9 to reuse'))}</em>"),
            *(self._bank_button(key, text) for key, text in zip(BANK_KEYS, bank_items, strict=False)),
        ] if bank_items else []

    def _rubric_rows(self, rubric: str) -> tuple[tuple, dict, dict]:
        """The rubric's rows of level buttons, built once per rubric: (rows, buttons, criterion labels)."""
        if rubric not in self._rubrics:
            rows, buttons, labels = [], {}, {}
            for criterion in criteria(rubric):
                cid = criterion["id"]
                for level in LEVELS:
                    button = w.Button(description=f"{level} · {level_label(level)}",
                                      tooltip=criterion["levels"][str(level)], layout=w.Layout(width="9.5rem"))
                    button.add_class(f"rwanda-edu-level-{cid}-{level}")
                    button.on_click(lambda _b, c=cid, v=level: self.set_level(c, v))
                    buttons[(cid, level)] = button
                labels[cid] = w.HTML(layout=w.Layout(width="14rem"))
                rows.append(w.HBox([labels[cid], *(buttons[(cid, level)] for level in LEVELS)]))
            self._rubrics[rubric] = tuple(rows), buttons, labels
        return self._rubrics[rubric]

    def _bank_button(self, key: str, text: str) -> w.Button:
        button = w.Button(description=f"{key} · {_short(text, 70)}", tooltip=text, layout=w.Layout(width="auto"))
        button.on_click(lambda _b: setattr(self._comment, "value", text))
        return button

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def _rubric_table(rubric: str) -> str:
    """The rubric's level descriptors as a folded table (the buttons' tooltips, written out)."""
    head = "".join(f'<th scope="col">{escape(f"{level} · {level_label(level)}")}</th>' for level in LEVELS)
    rows = "".join(
        f'<tr><th scope="row">{escape(criterion_label(c["id"]))}</th>'
        + "".join(f"<td>{escape(c['levels'][str(level)])}</td>" for level in LEVELS) + "</tr>"
        for c in criteria(rubric))
    return (f"<details><summary>{escape(_('The rubric: what each level means'))}</summary>"
            f'<table class="rwanda-edu-table"><thead><tr><th scope="col">{escape(_("Criterion"))}</th>{head}</tr></thead><tbody>{rows}</tbody></table></details>')


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def marking_view(results: str | os.PathLike | None = None, *, by: str = "question") -> MarkingView:
    """The marking view of ``results`` (default: ``$RWANDA_EDU_RESULTS``, else a fictional demo class)."""
    if results is None:
        results = os.environ.get(RESULTS_ENV) or _demo_results()
    if by not in ("question", "student"):
        raise ValueError(_("by must be 'question' or 'student', not {by!r}").format(by=by))
    return MarkingView(results, by=by)


def _demo_results() -> Path:
    from ._collect import collect
    from ._demo import make_demo_class

    folder = Path(tempfile.mkdtemp(prefix="rwanda-edu-marking-demo-"))
    make_demo_class(folder / "handins", 30)
    collect(folder / "handins", folder / "results")
    return folder / "results"

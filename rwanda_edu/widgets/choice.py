"""The widget of a ``choice`` question: radio buttons, or check boxes with ``multiple``."""
from __future__ import annotations

from typing import Any, cast

import ipywidgets as w

from .. import _questions
from .._html import escape
from .._i18n import _
from ..responses import current_student
from .question import LABEL_STYLE, QuestionWidget, student_order, widget_for


@widget_for("choice")
class ChoiceWidget(QuestionWidget):
    def _build(self) -> list[w.Widget]:
        texts = {o["id"]: o["text"] for o in self.question["options"]}
        # Shown in the student's own order; answers keep the bank's (canonical) order.
        self.shown = student_order(current_student(), self.lesson_id, self.question["id"], list(texts))
        options = [(texts[i], i) for i in self.shown]
        if self.question["multiple"]:
            self.checkboxes = [w.Checkbox(description=text, value=False, indent=False, layout=w.Layout(width="auto"))
                               for text, _id in options]
            for box in self.checkboxes:
                box.observe(self._changed, "value")
            return [w.HTML("<p>{}</p>".format(_("Choose all that apply."))), *self.checkboxes]
        self.choice = w.RadioButtons(options=options, value=None, description=_("Your answer"),
                                     style=LABEL_STYLE, layout=w.Layout(width="auto"))
        self.choice.observe(self._changed, "value")
        return [self.choice]

    def _value(self) -> Any:
        if self.question["multiple"]:
            ticked = {i for i, box in zip(self.shown, self.checkboxes, strict=True) if box.value}
            return [o["id"] for o in self.question["options"] if o["id"] in ticked]
        return self.choice.value

    def _restore(self, answer: Any) -> None:
        if self.question["multiple"]:
            for option_id, box in zip(self.shown, self.checkboxes, strict=True):
                box.value = option_id in answer
        else:
            self.choice.value = answer

    def _feedback(self, answer: Any) -> str:
        options = {o["id"]: o for o in self.question["options"]}
        picked = answer if self.question["multiple"] else [answer]
        lines = [f"{'✓' if options[i]['correct'] else '✗'} {escape(options[i]['text'])}: "
                 f"{escape(options[i]['feedback'])}" for i in picked]
        score = cast(tuple[float, float], _questions.score(self.question, answer))  # a choice is auto-scored
        earned, possible = score
        verdict = _("Correct.") if earned == possible else (_("Partly right.") if earned else _("Not quite."))
        return self._result(score, [f"<strong>{verdict}</strong>", *lines, escape(self.question["explanation"])])

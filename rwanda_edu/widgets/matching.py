"""The widget of a ``matching`` question: a menu of the right texts for each left text."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import _questions
from .._html import escape
from .._i18n import _
from ..question_types.matching import right_matches
from .question import LABEL_STYLE, QuestionWidget, shuffled, widget_for


@widget_for("matching")
class MatchingWidget(QuestionWidget):
    def _build(self) -> list[w.Widget]:
        pairs = self.question["pairs"]
        rights = {p["id"]: p["right"] for p in pairs}
        # "" rather than None for no choice: a menu shows no label at all for the value None
        choices = [(_("Choose…"), "")] + [(rights[i], i) for i in shuffled(self.question["id"], list(rights))]
        self.dropdowns: dict[str, w.Dropdown] = {}
        for pair in pairs:
            dropdown = w.Dropdown(options=choices, value="", description=pair["left"], style=LABEL_STYLE,
                                  layout=w.Layout(width="auto", max_width="100%"))
            dropdown.observe(self._changed, "value")
            self.dropdowns[pair["id"]] = dropdown
        left = self.question.get("left_label", "")
        right = self.question.get("right_label", "")
        heading = []
        if left and right:
            text = _("For each {left} on the left, choose the matching {right}.").format(
                left=escape(left.lower()), right=escape(right.lower()))
            heading = [w.HTML(f"<p><small>{text}</small></p>")]
        return [*heading, *self.dropdowns.values()]

    def _value(self) -> Any:
        return {pid: d.value for pid, d in self.dropdowns.items() if d.value}

    def _restore(self, answer: Any) -> None:
        for pid, right in answer.items():
            self.dropdowns[pid].value = right

    def _feedback(self, answer: Any) -> str:
        score = _questions.score(self.question, answer)
        right = right_matches(self.question, answer)
        lines = [_("{right} of {count} matches are right.").format(right=right, count=len(self.dropdowns))]
        if right == len(self.dropdowns):
            lines = ["<strong>{}</strong>".format(_("All matches are right.")), escape(self.question.get("explanation", ""))]
        return self._result(score, lines)

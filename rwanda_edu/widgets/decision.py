"""The widget of a ``decision`` question: the context, a choice and reasons, then what was decided."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .._html import escape
from .._i18n import _
from .pick_and_reasons import PickAndReasonsWidget
from .question import date_text, paragraphs, widget_for


@widget_for("decision")
class DecisionWidget(PickAndReasonsWidget):
    def _reveal_label(self) -> str:
        return _("See what was decided")

    def _header(self) -> str:
        q = self.question
        return (f'<p class="rwanda-edu-decision-context"><strong>{escape(q["institution"])}, '
                f"{date_text(q['date'])}.</strong> {escape(q['context'])}</p>")

    def _build(self) -> list[w.Widget]:
        options = [(o["text"], o["id"]) for o in self.question["options"]]
        return self._pick_and_reasons(options, _("Your choice"), _("Your reasons"))

    def _feedback(self, answer: Any) -> str:
        if not self.revealed:
            return ""
        q = self.question
        decided = next(o["text"] for o in q["options"] if o["id"] == q["decided"])
        return paragraphs(_("<strong>What was decided:</strong> {decided}").format(decided=escape(decided)),
                          _("<strong>What followed:</strong> {outcome}").format(outcome=escape(q["outcome"])))

"""The widget of a ``claim_check`` question: the claim, the evidence, a verdict and reasons, then the record."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import _datasets, _questions
from .._evidence import evidence_html
from .._html import escape
from .._i18n import _
from ..question_types.claim_check import VERDICTS, claim
from ..responses import current_student
from .pick_and_reasons import PickAndReasonsWidget
from .question import cited, student_order, widget_for


@widget_for("claim_check")
class ClaimCheckWidget(PickAndReasonsWidget):
    def __init__(self, lesson_id: str, question: dict):
        self.claim = claim(question["claim"])
        super().__init__(lesson_id, question)

    def _reveal_label(self) -> str:
        return _("See what the record says")

    def _header(self) -> str:
        document = _datasets.load_document(self.claim["document_id"])
        where = document.title
        if self.claim.get("paragraph"):
            where = _("{title}, paragraph {n}").format(title=document.title, n=self.claim["paragraph"])
        return (f'<blockquote class="rwanda-edu-claim"><p>“{escape(self.claim["quote"])}”</p>'
                f"<footer><small>{escape(where)}</small></footer></blockquote>"
                + evidence_html(self.question.get("evidence")))

    def _build(self) -> list[w.Widget]:
        # The most frequent key would otherwise always come first: each student sees the verdicts in their own order.
        order = student_order(current_student(), self.lesson_id, self.question["id"], list(VERDICTS))
        verdicts = [(_(VERDICTS[v]), v) for v in order]
        return self._pick_and_reasons(verdicts, _("Your verdict"), _("Your reasoning"))

    def _refresh(self) -> None:
        super()._refresh()
        self.pick.disabled = self.revealed  # the verdict is scored: it cannot change once the record is seen
        if self.hidden:
            self.reveal_button.layout.display = "none"

    def _feedback(self, answer: Any) -> str:
        if self.hidden:
            return "<p>{}</p>".format(_("Your teacher will go over what the record says."))
        if not self.revealed:
            return ""
        record = self.claim
        score = _questions.score(self.question, answer)
        match = (_("Your verdict matches the record.") if score and score[0] == score[1]
                 else _("Your verdict is close to the record's: part of the claim holds and part does not.")
                 if score and score[0] else _("Your verdict differs from the record's."))
        verdict = _("The record: {verdict}.").format(verdict=escape(_(VERDICTS[record["verdict"]])))
        sources = _("Sources:")
        return self._result(score, [
            f"<strong>{match}</strong> {verdict}",
            escape(record["what_the_record_says"]),
            f"{sources}<ul>{cited(record['source_ids'])}</ul>",
        ])

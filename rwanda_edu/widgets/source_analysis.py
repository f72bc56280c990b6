"""The widget of a ``source_analysis`` question: one labelled answer box per prompt."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import _datasets
from .._html import escape
from .._i18n import _
from ..question_types.source_analysis import label
from .question import QuestionWidget, widget_for


@widget_for("source_analysis")
class SourceAnalysisWidget(QuestionWidget):
    SOURCES_UNDER = True

    def _header(self) -> str:
        document = _datasets.load_document(self.question["document"])
        label = _("Document: {title}").format(title=escape(document.title))
        return f'<p class="rwanda-edu-source"><small>{label}</small></p>'

    def _build(self) -> list[w.Widget]:
        self.boxes: dict[str, w.Textarea] = {}
        parts: list[w.Widget] = []
        for prompt in self.question["prompts"]:
            kind = label(prompt["kind"])
            box, group = self._free_text(_("{kind}: your answer").format(kind=kind))
            self.boxes[prompt["id"]] = box
            parts += [w.HTML(f"<p><strong>{escape(kind)}</strong> {escape(prompt['text'])}</p>"), group]
        return parts

    def _value(self) -> Any:
        return {pid: box.value for pid, box in self.boxes.items()}

    def _restore(self, answer: Any) -> None:
        for pid, text in answer.items():
            self.boxes[pid].value = text

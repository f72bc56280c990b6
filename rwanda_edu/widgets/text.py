"""The widget of a ``text`` question: a text box with a word count and sentence starters."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .._html import escape
from .._i18n import _
from .question import QuestionWidget, widget_for


@widget_for("text")
class TextWidget(QuestionWidget):
    SOURCES_UNDER = True

    def _header(self) -> str:
        source = self.question.get("source")
        return f'<p class="rwanda-edu-source"><small>{escape(source)}</small></p>' if source else ""

    def _build(self) -> list[w.Widget]:
        self.text, box = self._free_text(_("Your answer"), self.question.get("min_words"))
        starters = self.question.get("starters", [])
        if not starters:
            return [box]
        buttons = []
        for starter in starters:
            button = w.Button(description=starter, tooltip=_("Add “{starter}” to your answer").format(starter=starter),
                              layout=w.Layout(width="auto"))
            button.on_click(lambda _button, s=starter: self.insert(s))
            buttons.append(button)
        label = w.HTML("<small>{}</small>".format(_("Sentence starters (click one to add it to your answer):")))
        return [box, label, w.HBox(buttons, layout=w.Layout(flex_flow="row wrap"))]

    def insert(self, starter: str) -> None:
        """Add ``starter`` at the end of the answer, on a new line if the answer has text."""
        current = self.text.value.rstrip()
        self.text.value = f"{current}\n{starter} " if current else f"{starter} "

    def _value(self) -> Any:
        return self.text.value

    def _restore(self, answer: Any) -> None:
        self.text.value = answer

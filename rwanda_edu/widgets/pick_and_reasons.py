"""The widget shared by ``claim_check`` and ``decision``: a pick, written reasons, then a reveal."""
from __future__ import annotations

from typing import Any, cast

import ipywidgets as w

from .. import question_types
from .._i18n import _
from ..question_types._base import PickAndReasons
from .question import LABEL_STYLE, QuestionWidget


class PickAndReasonsWidget(QuestionWidget):
    """A pick (verdict or option) and written reasons, then a button that reveals the record.

    The answer's two parts are named by the question's type (``PickAndReasons.PICK`` and ``WORDS``).
    """

    revealed = False

    def __init__(self, lesson_id: str, question: dict):
        kind = cast(PickAndReasons, question_types.get(question["type"]))
        self.pick_part, self.words_part = kind.PICK, kind.WORDS
        super().__init__(lesson_id, question)

    def _reveal_label(self) -> str:
        raise NotImplementedError

    def _pick_and_reasons(self, options: list[tuple[str, str]], pick_label: str, words_label: str) -> list[w.Widget]:
        self.pick = w.RadioButtons(options=options, value=None, description=pick_label, style=LABEL_STYLE,
                                   layout=w.Layout(width="auto"))
        self.pick.observe(self._changed, "value")
        self.reasons, box = self._free_text(words_label)
        self.reveal_button = w.Button(description=self._reveal_label(), disabled=True, layout=w.Layout(width="auto"),
                                      tooltip=_("Choose and write your reasons first"))
        self.reveal_button.on_click(lambda _button: self.reveal())
        return [self.pick, box, self.reveal_button]

    def reveal(self) -> None:
        """Show the record (once the question is answered); the answer remembers it was seen."""
        if self.answered:
            self.revealed = True
            self._changed()

    def _feedback_shown(self) -> bool:
        return True  # the record, once revealed (a hidden claim check says the teacher will go over it)

    def _value(self) -> Any:
        value = {self.pick_part: self.pick.value, self.words_part: self.reasons.value}
        return {**value, "revealed": True} if self.revealed else value

    def _restore(self, answer: Any) -> None:
        self.revealed = answer.get("revealed", False)
        self.pick.value = answer.get(self.pick_part)
        self.reasons.value = answer.get(self.words_part, "")

    def _refresh(self) -> None:
        super()._refresh()
        answered = self.answered
        self.reveal_button.disabled = not answered
        self.reveal_button.tooltip = self._reveal_label() if answered else _("Choose and write your reasons first")

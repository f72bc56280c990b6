"""The widget of an ``ordering`` question: the items shuffled, moved with Up and Down buttons."""
from __future__ import annotations

from typing import Any

import ipywidgets as w

from .. import _questions
from .._html import escape
from .._i18n import _
from ..question_types.ordering import right_places
from .question import QuestionWidget, date_text, shuffled, wide, widget_for


@widget_for("ordering")
class OrderingWidget(QuestionWidget):
    def _build(self) -> list[w.Widget]:
        items = self.question["items"]
        self.texts = {item["id"]: item["text"] for item in items}
        self.order = shuffled(self.question["id"], [item["id"] for item in items])
        self.rows: list[w.HTML] = []
        self.up: list[w.Button] = []
        self.down: list[w.Button] = []
        for pos in range(len(items)):
            label = w.HTML(layout=w.Layout(flex="1 1 auto"))
            up = w.Button(description=_("↑ Up"), layout=w.Layout(width="6em"), disabled=pos == 0)
            down = w.Button(description=_("↓ Down"), layout=w.Layout(width="6em"), disabled=pos == len(items) - 1)
            up.on_click(lambda _button, p=pos: self.move(p, -1))
            down.on_click(lambda _button, p=pos: self.move(p, +1))
            self.rows.append(label)
            self.up.append(up)
            self.down.append(down)
        self.announce = w.HTML()
        self.confirm = w.Button(description=_("Save this order"), tooltip=_("Save the order shown as your answer"),
                                layout=w.Layout(width="auto"))
        self.confirm.on_click(lambda _button: self._changed())
        self._label_rows()
        rows = [w.HBox([label, up, down], layout=wide()) for label, up, down in zip(self.rows, self.up, self.down, strict=True)]
        hint = w.HTML("<p><small>{}</small></p>".format(_("Use the Up and Down buttons; the first event goes at the "
                                                          "top. Your order is saved at every move.")))
        return [hint, w.VBox(rows, layout=wide()), self.announce, self.confirm]

    def _label_rows(self) -> None:
        for pos, item_id in enumerate(self.order):
            text = self.texts[item_id]
            self.rows[pos].value = f"<span>{pos + 1}. {escape(text)}</span>"
            self.up[pos].tooltip = _("Move “{item}” up").format(item=text)
            self.down[pos].tooltip = _("Move “{item}” down").format(item=text)

    def move(self, position: int, step: int) -> None:
        """Move the item at ``position`` (0 = top) one place up (``step=-1``) or down (``+1``)."""
        target = position + step
        if not (0 <= position < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self._label_rows()
        moved = _("Moved “{item}” to place {place} of {count}.").format(
            item=escape(self.texts[self.order[target]]), place=target + 1, count=len(self.order))
        self.announce.value = f'<span role="status"><small>{moved}</small></span>'
        self._changed()

    def _value(self) -> Any:
        return list(self.order)

    def _restore(self, answer: Any) -> None:
        self.order = list(answer)
        self._label_rows()

    def _feedback(self, answer: Any) -> str:
        score = _questions.score(self.question, answer)
        right = right_places(self.question, answer)
        if right < len(answer):
            return self._result(score, [_("{right} of {count} in the right place. Keep going.").format(
                right=right, count=len(answer))])
        dated = "".join(
            f"<li>{escape(item['text'])}" + (f" ({date_text(item['date'])})" if "date" in item else "") + "</li>"
            for item in self.question["items"]
        )
        return self._result(score, ["<strong>{}</strong>".format(_("All in the right order.")), f"<ol>{dated}</ol>",
                                    escape(self.question.get("explanation", ""))])

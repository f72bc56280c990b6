"""Keyboard use inside JupyterLab: keep the notebook's shortcuts out of the module's controls.

In a notebook's command mode JupyterLab takes the arrow keys and single letters for
itself (move between cells, insert, delete) even when a radio button, dropdown or
slider inside an output has the focus, so those controls would not work with the
keyboard alone. Lumino, JupyterLab's toolkit, skips its shortcuts for a focused element
marked ``data-lm-suppress-shortcuts``: this tiny front-end piece marks each control of
the module's box as it receives the focus.
"""
from __future__ import annotations

import anywidget
import ipywidgets as w
import traitlets

_ESM = """
export default {
  render({ el }) {
    const mark = () => {
      if (!el.isConnected) { requestAnimationFrame(mark); return; }
      const box = el.closest(".rwanda-edu-keyboard-scope");
      if (box && !box.dataset.rwandaEduKeyboard) {
        box.dataset.rwandaEduKeyboard = "on";
        box.addEventListener("focusin", (event) => {
          event.target.setAttribute("data-lm-suppress-shortcuts", "true");
        });
      }
    };
    mark();
  }
};
"""


class _KeyboardScope(anywidget.AnyWidget):
    _esm = traitlets.Unicode(_ESM).tag(sync=True)


def keyboard_scope(box: w.Box) -> w.Box:
    """Make the controls in ``box`` work with the keyboard in JupyterLab; returns ``box``."""
    box.add_class("rwanda-edu-keyboard-scope")
    box.children = (*box.children, _KeyboardScope(layout=w.Layout(display="none")))
    return box

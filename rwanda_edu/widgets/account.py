"""The sign-in box and the hand-in button: a student's name and the files their teacher collects."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import ipywidgets as w

from .._html import escape
from .._i18n import _
from .debounce import flush_all
from .question import LABEL_STYLE

T = TypeVar("T")


def _attempt(message: w.HTML, action: Callable[[], T], failure: str) -> T | None:
    """``action()``, or ``None`` after showing in ``message`` why it failed, in plain words."""
    try:
        return action()
    except (TypeError, ValueError) as err:
        message.value = f'<p role="alert">⚠ {escape(err)}</p>'
    except OSError as err:
        text = _("{failure}: {error} Tell your teacher.").format(failure=failure, error=escape(err))
        message.value = f'<p role="alert">⚠ {text}</p>'
    return None


def sign_in_widget() -> w.VBox:
    """Name entry: saves the name the student's answers and hand-in are filed under."""
    from .. import responses
    from .._hub import hub_user

    if (account := hub_user()) is not None:
        return _hub_account_box(account)
    current = responses.current_student()
    name = w.Text(value=current or "", description=_("Your name"), placeholder=_("e.g. Ada N."), style=LABEL_STYLE)
    button = w.Button(description=_("Save my name"), button_style="primary", layout=w.Layout(width="auto"))
    message = w.HTML()
    message.add_class("rwanda-edu-status")

    def signed(_button: object = None) -> None:
        store = _attempt(message, lambda: responses.sign_in(name.value), _("Your name could not be saved"))
        if store is None:
            return
        text = _("✓ Saved. Your answers are saved under the name “{name}”.").format(name=escape(store.student))
        message.value = f'<p role="status">{text}</p>'

    button.on_click(signed)
    if current:
        text = _("You are signed in as “{name}”. To change it, type a new name.").format(name=escape(current))
        message.value = f'<p role="status">{text}</p>'
    box = w.VBox([w.HBox([name, button]), message])
    box.add_class("rwanda-edu-sign-in")
    return box


def _hub_account_box(account: str) -> w.VBox:
    """On a JupyterHub: the account the answers are filed under (no name to type)."""
    text = _("You are signed in to your school's JupyterHub as “{account}”. Your answers and hand-ins are filed "
             "under this account.").format(account=account)
    message = w.HTML(f'<p role="status">{escape(text)}</p>')
    message.add_class("rwanda-edu-status")
    box = w.VBox([message])
    box.add_class("rwanda-edu-sign-in")
    return box


def hand_in_widget() -> w.VBox:
    """A button that writes the hand-in files, delivers them to the teacher where the hub has an
    exchange, and offers both files for download."""
    from .._download import download_link
    from .._handin import hand_in
    from ..exchange import feedback_html

    button = w.Button(description=_("Hand in my answers"), button_style="primary", layout=w.Layout(width="auto"))
    message = w.HTML()
    message.add_class("rwanda-edu-status")

    def handed(_button: object = None) -> None:
        save_pending()
        files = _attempt(message, hand_in, _("The hand-in could not be written"))
        if files is None:
            return
        names = "".join(f"<li><code>{escape(_shown(p))}</code></li>" for p in (files.json_path, files.html_path))
        if files.delivered is not None:
            sent = "<p><strong>{}</strong> {}</p>".format(escape(_("Your teacher has received it")),
                                                          escape(_("(through the school’s exchange folder).")))
        elif files.undelivered is not None:
            sent = '<p role="alert">⚠ {}</p>'.format(escape(_(
                "It could not reach your teacher through the exchange folder: {reason} Download it below and give "
                "it to your teacher.").format(reason=files.undelivered)))
        else:
            sent = "<p>{}</p>".format(
                escape(_("Download it below, then send or upload the .json file as your teacher asks.")))
        links = download_link(files.json_path, _("Download my hand-in (.json)")) + download_link(
            files.html_path, _("Download the readable page (.html)"))
        message.value = '<div role="status"><p>{}</p><ul>{}</ul>{}<p>{}</p><p>{} {}</p></div>'.format(
            _("✓ Handed in. Two files were written:"),
            names,
            sent,
            links,
            _("The <code>.json</code> file is for your teacher; the <code>.html</code> page shows your answers."),
            _("<strong>On Binder, files vanish when the session ends</strong>: download them now."),
        )

    button.on_click(handed)
    box = w.VBox([button, message, w.HTML(feedback_html())])
    box.add_class("rwanda-edu-hand-in")
    return box


def save_pending() -> None:
    """Save at once any typing still waiting for its pause (before a hand-in)."""
    flush_all()


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it (as the file browser shows it)."""
    try:
        return str(Path(path).absolute().relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)

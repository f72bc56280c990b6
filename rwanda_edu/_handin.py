"""``hand_in()``: the student's hand-in, the JSON file their teacher collects and its readable page,
delivered to the exchange where the hub has one."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from . import _handin_page
from .responses import ResponseStore, _write_atomic, new_handin, write_handin

_SURROGATE = re.compile("[\ud800-\udfff]")


class HandInFiles(NamedTuple):
    """The files a hand-in wrote: JSON for the teacher, HTML to read; and its copy in the exchange
    (``delivered``), or why it could not be delivered there (``undelivered``)."""

    json_path: Path
    html_path: Path
    delivered: Path | None = None
    undelivered: str | None = None


def hand_in(store: ResponseStore | None = None, out_dir: str | os.PathLike | None = None) -> HandInFiles:
    """Write ``handin-<name>-<time>.json`` and ``.html`` with all the student's answers, and
    deliver the JSON to the exchange (``$RWANDA_EDU_EXCHANGE``) where there is one.

    ``store`` defaults to the signed-in student's; ``out_dir`` to the store's folder. On a
    JupyterHub the hand-in is filed under the hub account, whatever name was typed.
    """
    from . import exchange

    json_path, doc = new_handin(store, out_dir)
    files = HandInFiles(json_path, json_path.with_suffix(".html"))
    page = _SURROGATE.sub("\ufffd", _handin_page.render(doc))  # HTML must be valid UTF-8
    _write_atomic(files.html_path, page.encode("utf-8"))  # the page first: once the JSON is there, both are
    write_handin(json_path, doc)
    if exchange.exchange_dir() is None:
        return files
    try:
        return files._replace(delivered=exchange.deliver(json_path.read_bytes(), doc["student"]))
    except (exchange.ExchangeError, OSError) as error:
        return files._replace(undelivered=str(error))

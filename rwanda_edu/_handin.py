"""``hand_in()``: the student's hand-in, the JSON file their teacher collects and its readable page."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from . import _handin_page
from .responses import ResponseStore, _write_atomic, write_handin

_SURROGATE = re.compile("[\ud800-\udfff]")


class HandInFiles(NamedTuple):
    """The files a hand-in wrote: JSON for the teacher, HTML to read."""

    json_path: Path
    html_path: Path


def hand_in(store: ResponseStore | None = None, out_dir: str | os.PathLike | None = None) -> HandInFiles:
    """Write ``handin-<name>-<time>.json`` and ``.html`` with all the student's answers.

    ``store`` defaults to the signed-in student's; ``out_dir`` to the store's folder.
    """
    json_path, doc = write_handin(store, out_dir)
    html_path = json_path.with_suffix(".html")
    page = _SURROGATE.sub("\ufffd", _handin_page.render(doc))  # HTML must be valid UTF-8
    _write_atomic(html_path, page.encode("utf-8"))
    return HandInFiles(json_path, html_path)

"""Links that save a student's files to their own computer through the browser.

The file travels inside the link (a ``data:`` URL with the ``download`` attribute), so it works
wherever the notebook runs (Binder, a JupyterHub, a laptop) and needs no file browser.
"""
from __future__ import annotations

import base64
from pathlib import Path

from ._html import escape

TYPES = {".json": "application/json", ".html": "text/html"}


def download_link(path: Path, label: str) -> str:
    """An ``<a download>`` link carrying the bytes of ``path``; clicking it saves the file under its name."""
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    kind = TYPES.get(Path(path).suffix, "application/octet-stream")
    return (f'<a class="rwanda-edu-download jupyter-button mod-primary" download="{escape(Path(path).name)}" '
            f'href="data:{kind};base64,{data}" style="display:inline-block;padding:0.3em 0.8em;margin:0.2em 0.4em 0.2em 0;'
            f'text-decoration:none">{escape(label)}</a>')

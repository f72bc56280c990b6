"""Where the lesson notebooks are, and which lessons they hold."""
from __future__ import annotations

import os
from pathlib import Path

from .._i18n import _

START = "00_start_here"


def find_lessons(path: str | os.PathLike | None = None) -> Path:
    """The lessons folder: ``path`` if given, else ``lessons/`` next to the package source, else ``./lessons``.

    Raises FileNotFoundError naming the places looked in.
    """
    if path is not None:
        candidates = [Path(path)]
    else:
        candidates = [Path(__file__).resolve().parents[2] / "lessons", Path.cwd() / "lessons"]
    for folder in candidates:
        if (folder / f"{START}.ipynb").is_file():
            return folder
    looked = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(_(
        "no lessons folder found (a folder holding {start}.ipynb); looked in: {looked}. "
        "Pass the folder with --lessons DIR."
    ).format(start=START, looked=looked))


def lesson_ids(folder: Path) -> list[str]:
    """Ids of the student lessons in ``folder`` (top-level ``NN_name.ipynb``; never ``teacher/``)."""
    return sorted(
        p.stem for p in folder.glob("*.ipynb") if p.is_file() and not p.is_symlink() and p.stem[:2].isdigit()
    )

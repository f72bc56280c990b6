"""``assignment.json``: what a student bundle assigns, read by the lessons and by the teacher's tools.

``rwanda-edu assign`` writes it into the bundle; the lessons read ``hide_correctness`` from it
(:func:`hides_correctness`); ``rwanda-edu collect --assignment`` reads which questions count
(:func:`read_assignment`, then checked against the question banks by the teacher's tools).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .._i18n import _
from ._format import Format, FormatError

FILE = "assignment.json"

ASSIGNMENT = Format("rwanda_edu.assignment", 1, ascii=False, indent=2)


def read_assignment(path: str | os.PathLike) -> dict:
    """The assignment in the file ``path``; a FormatError (a ValueError) says what is wrong or missing."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise FormatError(_("cannot read the assignment file {path}: {error}").format(
            path=path, error=error.strerror or error)) from None
    try:
        return ASSIGNMENT.loads(raw)
    except FormatError as error:
        message = _("{path} is not a valid assignment file: {problems}").format(path=path, problems=error)
        raise type(error)(message, error.problems) from None


def hides_correctness(folder: str | os.PathLike = ".") -> bool:
    """Whether ``assignment.json`` in ``folder`` hides correctness from students.

    A valid assignment says so in ``hide_correctness``. A teacher may also write a file with just
    ``{"hide_correctness": true}``: any JSON object is read the same way (without the field:
    shown). A file that cannot be read hides correctness (it exists only for graded work).
    """
    path = Path(folder) / FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        return ASSIGNMENT.loads(raw)["hide_correctness"]
    except FormatError:
        pass
    try:
        setting = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return True
    return not isinstance(setting, dict) or setting.get("hide_correctness", False) is not False

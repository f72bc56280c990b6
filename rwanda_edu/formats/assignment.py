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


def in_bundle(folder: str | os.PathLike = ".") -> dict | None:
    """``assignment.json`` of the bundle open in ``folder``, as the lessons read it: None without the file.

    A teacher may also write a file by hand with just the settings, e.g. ``{"hide_correctness": true}``:
    a valid assignment or any JSON object is returned as it is; a file that cannot be read, or that
    is not a JSON object, raises FormatError.
    """
    try:
        raw = (Path(folder) / FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FormatError(str(error)) from None
    try:
        return ASSIGNMENT.loads(raw)
    except FormatError:
        pass
    try:
        setting = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise FormatError(_("assignment.json is not JSON")) from None
    if not isinstance(setting, dict):
        raise FormatError(_("assignment.json is not a JSON object"))
    return setting


def hides_correctness(folder: str | os.PathLike = ".") -> bool:
    """Whether ``assignment.json`` in ``folder`` hides correctness from students (see :func:`in_bundle`):
    only when it says so, or when it cannot be read (it exists only for graded work)."""
    try:
        setting = in_bundle(folder)
    except FormatError:
        return True
    return setting is not None and setting.get("hide_correctness", False) is not False

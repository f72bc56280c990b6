"""The sign-in pointer ``student.json``: who signed in, in this answers folder."""
from __future__ import annotations

from collections.abc import Iterator

from ._format import Format
from .answers import _name_problems

FILE = "student.json"


def _check(doc: dict) -> Iterator[str]:
    yield from _name_problems(doc["student"])


STUDENT = Format("rwanda_edu.student", 1, check=_check)


def nobody() -> dict:
    """A new pointer: nobody signed in."""
    return STUDENT.new(student=None)

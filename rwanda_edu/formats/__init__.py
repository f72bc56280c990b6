"""File formats: one owner for each kind of file the module writes and reads back.

Each format has a ``format`` name, a ``schema_version``, a JSON Schema per version in
``formats/schemas/<short>.v<N>.json``, one reader (which refuses too-new and too-old files
and upgrades older ones) and one writer; see :class:`Format` and docs/ARCHITECTURE.md
("Adding a file format").
"""
from __future__ import annotations

from ._format import Format, FormatError, TooNewError, TooOldError, get, registered
from .answers import ANSWERS, HANDIN
from .assignment import ASSIGNMENT
from .feedback import FEEDBACK
from .marks import MARKS
from .student import STUDENT

__all__ = [
    "ANSWERS",
    "ASSIGNMENT",
    "FEEDBACK",
    "HANDIN",
    "MARKS",
    "STUDENT",
    "Format",
    "FormatError",
    "TooNewError",
    "TooOldError",
    "get",
    "registered",
]

"""Answer keys that stay with the teacher on a JupyterHub.

The question banks (``rwanda_edu/questions/*.toml``) hold the keys: which options are correct,
the feedback on each option, the explanations, and the right order of ordering items. On a hub,
``rwanda-edu lock-keys --group teachers`` (run by the admin, as root) writes a *student edition*
of every bank without them (``questions/student/<lesson>.json``, readable by all), then makes
the banks (and the teacher guide, ``lessons/teacher/``, where the lessons sit next to the package)
readable by root and the teachers' group only. A student's session then loads the student
edition: every question shows and saves its answer, with correctness hidden. A teacher's
session and ``rwanda-edu collect`` read the full banks.

Not withheld: the pairs of a matching question (the widget needs them to offer the choices) and
the record's verdict on each claim, which is part of the claims dataset.
"""
from __future__ import annotations

import copy
import functools
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ._i18n import _

STUDENT_EDITION = "student"  # folder beside the banks
BANK_MODE, GUIDE_FILE_MODE, GUIDE_DIR_MODE = 0o640, 0o640, 0o750


def _banks_dir() -> Path:
    from ._questions import _DIR

    return Path(str(_DIR))


@functools.cache
def _first_bank() -> Path | None:
    return next(iter(sorted(_banks_dir().glob("*.toml"))), None)


def keys_withheld() -> bool:
    """Whether this account cannot read the answer keys (locked for the teachers' group)."""
    bank = _first_bank()
    return bank is not None and not os.access(bank, os.R_OK)


def student_edition(bank: dict) -> dict:
    """``bank`` (validated, defaults filled in) without its keys: no correct flags, option
    feedback or explanations; ordering items listed by id instead of in their right order."""
    from . import question_types

    bank = copy.deepcopy(bank)
    for question in bank["questions"]:
        question_types.get(question["type"]).withhold_key(question)
    return {**bank, "keys": "withheld"}


def student_bank(lesson_id: str) -> dict:
    """The student edition of lesson ``lesson_id``'s bank (when the full bank cannot be read)."""
    path = _banks_dir() / STUDENT_EDITION / f"{lesson_id}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PermissionError(
            _("the answer keys of {lesson} are locked and no student edition was written ({path}); "
              "ask the hub's admin to run: rwanda-edu lock-keys --group GROUP").format(lesson=lesson_id, path=path)
        ) from None


@dataclass
class Locked:
    """What :func:`lock_keys` changed."""

    group: str
    banks: list[Path] = field(default_factory=list)
    guide: Path | None = None

    def summary(self) -> str:
        guide = (_(" and the teacher guide {guide}").format(guide=self.guide) if self.guide
                 else _(" (no teacher guide found next to the package)"))
        return _("Locked {n} question bank(s){guide}: readable by root and the group {group!r} only. "
                 "Students load the student editions in {editions}.").format(
            n=len(self.banks), guide=guide, group=self.group, editions=_banks_dir() / STUDENT_EDITION)


def write_student_editions(folder: Path) -> list[Path]:
    """Write the student edition of every bank into ``folder`` (readable by all); return the files."""
    from ._questions import list_banks, question_bank

    folder.mkdir(mode=0o755, exist_ok=True)
    os.chmod(folder, 0o755)
    written = []
    for lesson in list_banks():
        target = folder / f"{lesson}.json"
        target.write_text(json.dumps(student_edition(question_bank(lesson)), ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(target, 0o644)
        written.append(target)
    return written


def lock_keys(group: str, *, lessons: str | os.PathLike | None = None) -> Locked:
    """Write the student editions, then make the banks and the guide readable by ``group`` only (run as root)."""
    import grp

    from ._questions import list_banks

    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise ValueError(_("no Unix group {group!r} on this machine; create it first (groupadd {group})").format(
            group=group)) from None
    if os.geteuid() != 0:
        raise ValueError(_("lock-keys changes the owner of the keys: run it as root (sudo)"))
    write_student_editions(_banks_dir() / STUDENT_EDITION)
    locked = Locked(group)
    for lesson in list_banks():
        bank = _banks_dir() / f"{lesson}.toml"
        os.chown(bank, 0, gid)
        os.chmod(bank, BANK_MODE)
        locked.banks.append(bank)
    guide = _teacher_guide(lessons)
    if guide is not None:
        for folder, _dirs, files in os.walk(guide):
            os.chown(folder, 0, gid)
            os.chmod(folder, GUIDE_DIR_MODE)
            for name in files:
                os.chown(os.path.join(folder, name), 0, gid)
                os.chmod(os.path.join(folder, name), GUIDE_FILE_MODE)
        locked.guide = guide
    return locked


def _teacher_guide(lessons: str | os.PathLike | None) -> Path | None:
    from .teacher._lessons import find_lessons

    try:
        folder = find_lessons(lessons)
    except (FileNotFoundError, NotADirectoryError, ValueError):
        return None
    guide = Path(folder) / "teacher"
    return guide if guide.is_dir() else None

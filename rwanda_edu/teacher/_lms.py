"""``export``: grades as a CSV file a learning platform imports as it is, matched to a class list.

The class list (``--roster``) is a CSV file with the columns ``name`` (the student's name as they
typed it at sign-in), ``login`` (their login or id on the platform) and ``email``; optionally ``id``
(Canvas's numeric user id) and ``section``. Students are matched by name as ``collect`` compares
names; names that match no one are reported, with close matches.

One grade column: the student's percentage of the points that count (auto-scored questions and the
rubric marks given so far), out of 100. An LMS adds it up by its own rules, so one column per unit
avoids counting a lesson twice.

- ``canvas``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section``, then the
  assignment column; a ``Points Possible`` row first, as Canvas's own export has. Canvas finds each
  student by ID or SIS Login ID (the roster's ``login``); a new column creates a new assignment.
- ``moodle``: Moodle's CSV grade import: an identifier column (``Email address``, mapped to the user's
  e-mail; ``Username`` can be mapped instead) and the grade column, mapped to a grade item or to a new one.
- ``csv``: a plain table for any other platform or spreadsheet: name, login, e-mail, points and percent.
"""
from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .._i18n import _
from ._collect import FILES, guard, unguard
from ._marks import normal_name

FORMATS = ("canvas", "moodle", "csv")
ROSTER_COLUMNS = ("name", "login", "email")
OPTIONAL_COLUMNS = ("id", "section")
GRADE_COLUMN = "Rwanda 1994 unit (%)"
CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"
MOODLE_COLUMNS = ["Full name", "Username", "Email address"]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Export:
    """What :func:`export_grades` wrote, and who it could not match."""

    path: Path
    format: str
    written: int
    unmatched: list[tuple[str, list[str]]] = field(default_factory=list)  # (student, close roster names)
    no_handin: list[str] = field(default_factory=list)  # roster names without a collected hand-in

    def summary(self) -> str:
        lines = [_("Wrote {n} student(s) to {path} ({format}).").format(n=self.written, path=self.path,
                                                                        format=self.format)]
        if self.unmatched:
            lines.append(_("{n} student(s) match no one on the class list, so their grades are not in the file:").format(
                n=len(self.unmatched)))
            for name, close in self.unmatched:
                hint = _(" (did you mean {names}?)").format(names=" or ".join(repr(c) for c in close)) if close else ""
                lines.append(f"  {name!r}{hint}")
            lines.append(_("Correct the class list's name column (or the name the student typed), then export again."))
        if self.no_handin:
            lines.append(_("No hand-in collected for: {names}").format(names=", ".join(self.no_handin)))
        return "\n".join(lines)


def read_roster(path: str | os.PathLike) -> list[dict[str, str]]:
    """The class list's rows (``name``, ``login``, ``email``, ``id``, ``section``); a ValueError names every bad row."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FileNotFoundError(_("class list {path} does not exist").format(path=path)) from None
    except UnicodeDecodeError:
        raise ValueError(_("class list {path} is not UTF-8 text; save it as CSV UTF-8").format(path=path)) from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip().lower() for h in (table[0] if table else [])]
    missing = [c for c in ROSTER_COLUMNS if c not in header]
    if missing:
        raise ValueError(_("class list {path}: missing column(s) {missing}; the columns are {columns} (optional: "
                           "{optional})").format(path=path, missing=", ".join(missing),
                                                 columns=", ".join(ROSTER_COLUMNS), optional=", ".join(OPTIONAL_COLUMNS)))
    rows, problems = [], []
    seen: dict[str, int] = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = cells + [""] * (len(header) - len(cells))
        row = {c: unguard(cells[header.index(c)].strip()) if c in header else ""
               for c in ROSTER_COLUMNS + OPTIONAL_COLUMNS}
        if not row["name"]:
            problems.append(_("row {n}: the name is empty").format(n=number))
        elif normal_name(row["name"]) in seen:
            problems.append(_("row {n}: {name!r} is already in row {other}").format(
                n=number, name=row["name"], other=seen[normal_name(row["name"])]))
        if not row["login"] and not row["email"]:
            problems.append(_("row {n}: give the student's login or e-mail").format(n=number))
        if row["email"] and not _EMAIL.match(row["email"]):
            problems.append(_("row {n}: {email!r} is not an e-mail address").format(n=number, email=row["email"]))
        seen.setdefault(normal_name(row["name"]), number)
        rows.append(row)
    if problems:
        raise ValueError(_("class list {path}: nothing was written; {n} problem(s):").format(path=path, n=len(problems))
                         + "".join(f"\n  {p}" for p in problems))
    return rows


def export_grades(results: str | os.PathLike, format: str, roster: str | os.PathLike,
                  out: str | os.PathLike | None = None) -> Export:
    """Write the grades of ``results`` for ``format`` (canvas, moodle or csv), matched to the class list ``roster``."""
    if format not in FORMATS:
        raise ValueError(_("unknown format {format!r}; valid: {valid}").format(format=format, valid=", ".join(FORMATS)))
    results = Path(results)
    if not (results / FILES[0]).is_file():
        raise FileNotFoundError(_("{folder} is not a folder written by 'rwanda-edu collect' (missing {file})").format(
            folder=results, file=FILES[0]))
    people = read_roster(roster)
    if format in ("canvas", "moodle"):
        needed = "login" if format == "canvas" else "email"
        lacking = [p["name"] for p in people if not p[needed]]
        if lacking:
            raise ValueError(_("{platform} finds students by their {column}; the class list has none for: "
                               "{names}").format(platform=format.capitalize(), column=needed, names=", ".join(lacking)))
    with open(results / FILES[0], encoding="utf-8-sig", newline="") as handle:
        gradebook = [{k: unguard(v) for k, v in row.items()} for row in csv.DictReader(handle)]
    by_name = {normal_name(p["name"]): p for p in people}
    matched, unmatched = [], []
    for row in gradebook:
        person = by_name.get(normal_name(row["student"]))
        if person is None:
            close = difflib.get_close_matches(row["student"], [p["name"] for p in people], n=3, cutoff=0.6)
            unmatched.append((row["student"], close))
        else:
            matched.append((person, row))
    collected = {normal_name(row["student"]) for row in gradebook}
    no_handin = [p["name"] for p in people if normal_name(p["name"]) not in collected]
    path = Path(out) if out is not None else results / f"grades-{format}.csv"
    _WRITERS[format](path, matched, [c for c in gradebook[0] if c.endswith(" total")] if gradebook else [])
    return Export(path, format, len(matched), unmatched, no_handin)


def _percent(row: dict) -> str:
    return row["percent"] if row["percent"] != "" else "0"


def _canvas(path: Path, matched: list, _lessons: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CANVAS_COLUMNS, GRADE_COLUMN])
        writer.writerow([CANVAS_POINTS_ROW, "", "", "", "", "100"])
        for person, row in matched:
            writer.writerow([guard(person["name"]), person["id"], "", person["login"], person["section"], _percent(row)])


def _moodle(path: Path, matched: list, _lessons: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*MOODLE_COLUMNS, GRADE_COLUMN])
        for person, row in matched:
            writer.writerow([guard(person["name"]), person["login"], person["email"], _percent(row)])


def _plain(path: Path, matched: list, lessons: list[str]) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:  # with a BOM, for spreadsheets
        writer = csv.writer(handle)
        writer.writerow(["student", "name", "login", "email", "section", *lessons, "total", "possible", "percent"])
        for person, row in matched:
            writer.writerow([guard(row["student"]), guard(person["name"]), person["login"], person["email"],
                             person["section"], *(row[c] for c in lessons), row["total"], row["possible"], row["percent"]])


_WRITERS = {"canvas": _canvas, "moodle": _moodle, "csv": _plain}

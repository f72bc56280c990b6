"""``collect``: read a folder of hand-ins safely, rescore them, write the gradebook.

Nothing in a hand-in is ever executed or trusted: each file is checked (link, kind, size,
encoding, nesting, JSON, hand-in format) before and while it is read, every auto-scored
question is rescored from the raw answer with the teacher's key, and score fields in the
file (``score``, ``earned``, ... in the document or an answer entry) are dropped and ignored.
One bad file is rejected with its reason; the others are still collected.

Output (CSV, UTF-8 with a byte-order mark so that spreadsheet programs read accents and
emoji correctly; LMS gradebook imports accept it):

- ``gradebook.csv``: one row per student: ``student``, one column per counted question
  (``lesson/question``), one per question marked with a rubric (the sum of its levels; see
  ``_marks.py``), one ``lesson total`` column per lesson, ``total``, ``possible``, ``percent``.
- ``answers_long.csv``: one row per answer: student, lesson, question, type, answer (as text),
  earned, possible (empty when not auto-scored), answered_at, problem (why an answer does not fit
  its question, e.g. an option the bank no longer has; such an answer is kept as written and
  scores 0, and the rest of the hand-in is collected), and the rubric marks: levels, mark, comment.
- ``rejected.csv``: file, reason.

Text cells that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``; or an
apostrophe, to keep the mapping reversible) get a leading apostrophe; :func:`unguard` removes it
when the report reads them back.
"""
from __future__ import annotations

import csv
import functools
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .._i18n import _
from ..responses import MAX_DEPTH as ANSWER_DEPTH
from ..responses import validate_handin
from ._key import Key

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 4 + ANSWER_DEPTH + 1  # document, lessons, lesson, entry; then the answer's own levels
FILES = ("gradebook.csv", "answers_long.csv", "rejected.csv")
LONG_COLUMNS = ["student", "lesson", "question", "type", "answer", "earned", "possible", "answered_at", "problem"]

_STRING = re.compile(r'"[^"]*"')  # once escaped quotes and backslashes are gone
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
SCORE_FIELDS = ("score", "scores", "earned", "possible", "points", "correct", "total", "percent", "grade")
_NONE = object()
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "true/false", type(None): "null"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


class Rejected(Exception):
    """A file that is not a valid hand-in; the message is the reason."""


@dataclass
class CollectedHandIn:
    """One accepted hand-in, rescored."""

    file: str
    student: str
    handed_in_at: datetime
    rows: list[tuple]  # answers_long rows without the student (LONG_COLUMNS[1:]), text guarded
    scores: dict[tuple[str, str], tuple[float, float]]  # (lesson, question) -> (earned, possible)
    problems: list[str] = field(default_factory=list)  # answers that do not fit their question, scored 0


@dataclass
class CollectResult:
    """What :func:`collect` read, kept, rejected and wrote."""

    source: Path
    out: Path
    accepted: list[CollectedHandIn]
    rejected: list[tuple[str, str]]
    counted: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """A plain-language summary for the teacher."""
        lessons = sorted({lesson for lesson, _ in self.counted})
        lines = [
            _("Collected {n} hand-in(s) from {source}: {counted} auto-scored question(s) counted in {lessons} "
              "lesson(s).").format(n=len(self.accepted), source=self.source, counted=len(self.counted),
                                   lessons=len(lessons))
        ]
        if self.rejected:
            lines.append(_("Rejected {n} file(s):").format(n=len(self.rejected)))
            lines += [f"  {name}: {reason}" for name, reason in self.rejected]
        if self.notes:
            lines.append(_("Notes:"))
            lines += [f"  {name}: {note}" for name, note in self.notes]
        lines.append(_("Wrote {files}").format(files=", ".join(str(self.out / name) for name in FILES)))
        return "\n".join(lines)


def read_handin(path: Path) -> tuple[dict, list[str]]:
    """The hand-in document in ``path``, checked, and the score fields dropped from it.

    Raise :class:`Rejected` with the reason when it is not a valid hand-in.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Rejected(_("a symbolic link (not followed)"))
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(_("a folder, not a file") if stat.S_ISDIR(info.st_mode)
                       else _("not a regular file (a device or pipe)"))
    if info.st_size > MAX_BYTES:
        raise Rejected(_("too large ({size} bytes); the limit is 5 MB ({limit} bytes)").format(
            size=f"{info.st_size:,}", limit=f"{MAX_BYTES:,}"))
    if info.st_size == 0:
        raise Rejected(_("empty file"))
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise Rejected(_("cannot be opened ({reason})").format(reason=error.strerror)) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Rejected(_("not a regular file"))
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Rejected(_("too large; the limit is 5 MB ({limit} bytes)").format(limit=f"{MAX_BYTES:,}"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Rejected(_("not UTF-8 text (byte {byte} at position {position})").format(
            byte=f"0x{data[error.start]:02x}", position=error.start)) from None
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise Rejected(_("empty file (only spaces)"))
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise Rejected(_("nested deeper than {n} levels").format(n=MAX_DEPTH)) from None
    except json.JSONDecodeError as error:
        _check_depth(text)
        where = _("line {line}, column {column}").format(line=error.lineno, column=error.colno)
        if len(text.rstrip()) - error.pos <= 6 or error.msg.startswith("Unterminated string"):  # ends mid-value
            raise Rejected(_("truncated JSON (ends early at {where})").format(where=where)) from None
        raise Rejected(_("not valid JSON ({error} at {where})").format(error=error.msg, where=where)) from None
    except ValueError as error:
        _check_depth(text)
        raise Rejected(_("not valid JSON ({error})").format(error=error)) from None
    if not isinstance(doc, dict):
        _check_depth(text)
        raise Rejected(_("not a hand-in (a JSON {kind}, not an object)").format(
            kind=_JSON_TYPES.get(type(doc), "value")))
    dropped = _drop_score_fields(doc)
    problems = validate_handin(doc)
    if problems or dropped:  # dropped fields may have been the deep part
        _check_depth(text)
    if problems:
        more = _(" (and {n} more)").format(n=len(problems) - 3) if len(problems) > 3 else ""
        raise Rejected(_("not a valid hand-in: {problems}").format(problems="; ".join(problems[:3]) + more))
    return doc, dropped


def _drop_score_fields(doc: dict) -> list[str]:
    """Remove score fields (never trusted) from ``doc`` and its answer entries; return their names."""
    dropped = [name for name in SCORE_FIELDS if doc.pop(name, _NONE) is not _NONE]
    lessons = doc.get("lessons")
    for entries in lessons.values() if isinstance(lessons, dict) else ():
        for entry in entries.values() if isinstance(entries, dict) else ():
            if isinstance(entry, dict) and len(entry) > 2:  # more than answer and answered_at
                dropped += [name for name in SCORE_FIELDS if entry.pop(name, _NONE) is not _NONE]
    return sorted(set(dropped))


def _check_depth(text: str) -> None:
    """Reject a file nested too deeply, the first reason given for any file that fails a check.

    Checked only once a file fails (or had score fields dropped): a valid hand-in cannot be too deep,
    its format limits an answer's nesting and the levels around it. Parsing itself is safe: the JSON
    parser stops at its recursion limit.
    """
    if _too_deep(text):
        raise Rejected(_("nested deeper than {n} levels").format(n=MAX_DEPTH))


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_DEPTH (read from the text, parsed or not).

    Escapes and strings are removed, then the innermost bracket pairs, one level per pass.
    """
    bare = _NOT_BRACKET.sub("", _STRING.sub("", text.replace("\\\\", "").replace('\\"', "")))
    for _level in range(MAX_DEPTH):
        bare, found = _PAIR.subn("", bare)
        if not found:
            return False
    return _PAIR.search(bare) is not None


def _shorten(reason: str, limit: int = 300) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def _no_constant(name: str):
    raise ValueError(_("{name} is not allowed").format(name=name))


def rescore(key: Key, file: str, doc: dict) -> CollectedHandIn:
    """Every answer of hand-in ``doc`` as answers_long rows, auto-scored questions rescored.

    An answer that does not fit its question (an option id the bank no longer has, a wrong shape)
    is kept as written with the reason in ``problem``, and scores 0 out of the question's points.
    """
    rows, scores, problems = [], {}, []
    for lesson in sorted(doc["lessons"]):
        bank = key.questions(lesson)
        for qid, entry in doc["lessons"][lesson].items():
            raw, kind, problem = entry["answer"], "", ""
            earned: float | str = ""  # empty when not auto-scored
            possible: float | str = ""
            if qid not in bank:  # a question the key does not know: kept as it was written
                text = json.dumps(raw, ensure_ascii=False)
            else:
                kind = bank[qid]["type"]
                try:
                    result, text = key.mark(lesson, qid, raw)
                except (TypeError, ValueError) as error:
                    points = key.possible(lesson, qid)
                    result = None if points is None else (0, points)
                    text = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
                    problem = _shorten(_("not a valid {kind} answer ({error})").format(kind=kind, error=error))
                    problems.append(f"{lesson}/{qid}: {problem}")
                if result is not None:
                    scores[(lesson, qid)] = result
                    earned, possible = _num(result[0]), _num(result[1])
            rows.append((lesson, qid, kind, guard(text), earned, possible, entry["answered_at"],
                         guard(problem) if problem else ""))
    return CollectedHandIn(file, doc["student"], datetime.fromisoformat(doc["handed_in_at"]), rows, scores, problems)


def collect(source: str | os.PathLike, out: str | os.PathLike, *, assignment: str | os.PathLike | None = None) -> CollectResult:
    """Collect every ``*.json`` hand-in in ``source`` and write the CSV files into ``out``."""
    from ._assign import load_assignment

    source, out = Path(source), Path(out)
    if not source.is_dir():
        raise NotADirectoryError(_("hand-in folder {source} does not exist or is not a folder").format(source=source))
    plan = load_assignment(assignment) if assignment is not None else None
    names = sorted(e.name for e in os.scandir(source) if e.name.lower().endswith(".json"))
    if not names:
        raise FileNotFoundError(_("no hand-ins (*.json files) in {source}").format(source=source))

    key = Key()
    rejected: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    kept: dict[str, CollectedHandIn] = {}
    for name in names:
        try:
            doc, dropped = read_handin(source / name)
            handin = rescore(key, name, doc)
        except Rejected as error:
            rejected.append((name, _shorten(str(error))))
            continue
        except OSError as error:
            rejected.append((name, _("cannot be read ({reason})").format(reason=error.strerror or error)))
            continue
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
            rejected.append((name, _shorten(_("not a valid hand-in ({kind}: {error})").format(
                kind=type(error).__name__, error=error))))
            continue
        if dropped:
            notes.append((name, _("score fields ignored ({fields}); rescored from the raw answers").format(
                fields=", ".join(dropped))))
        notes += [(name, _("{problem}; scored 0, the other answers collected").format(problem=problem))
                  for problem in handin.problems]
        who = " ".join(handin.student.split()).casefold()
        other = kept.get(who)
        if other is None:
            kept[who] = handin
            continue
        newer, older = sorted((other, handin), key=lambda h: (h.handed_in_at, h.file), reverse=True)
        kept[who] = newer
        rejected.append(
            (older.file, _("same student as {newer} ({student!r}); kept {newer}, handed in later ({later} vs {earlier})")
             .format(newer=newer.file, student=newer.student, later=newer.handed_in_at.isoformat(),
                     earlier=older.handed_in_at.isoformat()))
        )
    accepted = sorted(kept.values(), key=lambda h: (h.student.casefold(), h.file))
    rejected.sort()

    if plan is not None:
        counted = [tuple(item.split("/", 1)) for item in plan["count"]]
    else:
        lessons = sorted({row[0] for h in accepted for row in h.rows})  # every scored answer has a row
        counted = [(lesson, qid) for lesson in lessons for qid in key.scored(lesson)]

    out.mkdir(parents=True, exist_ok=True)
    from ._marks import ClassMarks

    marks = ClassMarks(out, accepted, key)
    notes += marks.notes()
    _write_gradebook(out / FILES[0], accepted, counted, key, marks)
    _write(out / FILES[1], [*LONG_COLUMNS, *marks.LONG_COLUMNS],
           (row for h in accepted for row in _long_rows(h, marks)))
    _write(out / FILES[2], ["file", "reason"], ([guard(name), guard(reason)] for name, reason in rejected))
    return CollectResult(source, out, accepted, rejected, counted, notes)


def _long_rows(handin: CollectedHandIn, marks) -> Iterator[tuple]:
    """The rows of one student in answers_long.csv: the answers, then the rubric marks' cells (blank if none)."""
    student = guard(handin.student)
    if not marks.marked(handin.student):
        blank = ("",) * len(marks.LONG_COLUMNS)
        return ((student, *r, *blank) for r in handin.rows)
    return ((student, *r, *marks.long_cells(handin.student, r)) for r in handin.rows)


def _write_gradebook(path: Path, accepted: list[CollectedHandIn], counted: list[tuple[str, str]], key: Key, marks) -> None:
    """The gradebook: counted auto-scored questions, then questions marked with a rubric (``marks``)."""
    hand = marks.columns()  # [(lesson, question, column)]
    lessons = list(dict.fromkeys([lesson for lesson, _ in counted] + [lesson for lesson, _, _ in hand]))
    header = ["student", *(f"{lesson}/{q}" for lesson, q in counted), *(column for _, _, column in hand),
              *(f"{lesson} total" for lesson in lessons), "total", "possible", "percent"]
    auto_possible = sum(key.possible(*item) or 0 for item in counted)  # counted questions all have points

    def row(h: CollectedHandIn) -> list:
        earned = [h.scores[item][0] if item in h.scores else 0 for item in counted]
        marked = [marks.score(h.student, lesson, qid) for lesson, qid, _ in hand]
        per_lesson = dict.fromkeys(lessons, 0.0)
        for (lesson, _qid), value in zip(counted, earned, strict=True):
            per_lesson[lesson] += value
        for (lesson, _qid, _column), mark in zip(hand, marked, strict=True):
            if mark:
                per_lesson[lesson] += mark[0]
        total = sum(per_lesson.values())
        total_possible = auto_possible + sum(m[1] for m in marked if m)
        percent = round(100 * total / total_possible, 1) if total_possible else ""
        return [guard(h.student), *map(_num, earned), *(_num(m[0]) if m else "" for m in marked),
                *map(_num, per_lesson.values()), _num(total), _num(total_possible), percent]

    _write(path, header, map(row, accepted))


@functools.lru_cache(maxsize=1024)  # a few point values recur in every row
def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _write(path: Path, header: list[str], rows) -> None:
    """Write a CSV file; text cells in ``rows`` are already guarded."""
    with open(path, "w", encoding="utf-8", errors="replace", newline="") as handle:  # lone surrogates: "?"
        handle.write("\ufeff")  # the byte-order mark ("utf-8-sig" encodes each row in Python, this codec does not)
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def guard(cell):
    """``cell`` made safe for a spreadsheet: text that would run as a formula gets a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def unguard(cell):
    """The text :func:`guard` was given."""
    if isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell

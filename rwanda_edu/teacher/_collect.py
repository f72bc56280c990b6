"""``collect``: read a folder of hand-ins safely, rescore them, write the gradebook.

Nothing in a hand-in is ever executed or trusted: each file is checked (link, kind, size,
encoding, nesting, JSON, hand-in format) before and while it is read, every auto-scored
question is rescored from the raw answer with the teacher's key, and score fields in the
file (``score``, ``earned``, ... in the document or an answer entry) are dropped and ignored.
One bad file is rejected with its reason; the others are still collected.

Output (CSV, UTF-8 with a byte-order mark so that spreadsheet programs read accents and
emoji correctly; LMS gradebook imports accept it):

- ``gradebook.csv``: one row per student: ``student``, one column per counted question
  (``lesson/question``), one ``lesson total`` column per lesson, ``total``, ``possible``, ``percent``.
- ``answers_long.csv``: one row per answer: student, lesson, question, type, answer (as text),
  earned, possible (empty when not auto-scored), answered_at.
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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..responses import MAX_DEPTH as ANSWER_DEPTH
from ..responses import validate_handin
from ._key import Key

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 4 + ANSWER_DEPTH + 1  # document, lessons, lesson, entry; then the answer's own levels
FILES = ("gradebook.csv", "answers_long.csv", "rejected.csv")
LONG_COLUMNS = ["student", "lesson", "question", "type", "answer", "earned", "possible", "answered_at"]

_STRING = re.compile(r'"[^"]*"')  # once escaped quotes and backslashes are gone
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
SCORE_FIELDS = ("score", "scores", "earned", "possible", "points", "correct", "total", "percent", "grade")
_NONE = object()
_JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "true/false", type(None): "null"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"


class Rejected(Exception):
    """A file that is not a valid hand-in; the message is the reason."""


@dataclass
class Handin:
    """One accepted hand-in, rescored."""

    file: str
    student: str
    handed_in_at: datetime
    rows: list[tuple]  # answers_long rows without the student (LONG_COLUMNS[1:]), text guarded
    scores: dict[tuple[str, str], tuple[float, float]]  # (lesson, question) -> (earned, possible)


@dataclass
class CollectResult:
    """What :func:`collect` read, kept, rejected and wrote."""

    source: Path
    out: Path
    accepted: list[Handin]
    rejected: list[tuple[str, str]]
    counted: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        """A plain-language summary for the teacher."""
        lessons = sorted({lesson for lesson, _ in self.counted})
        lines = [
            f"Collected {len(self.accepted)} hand-in(s) from {self.source}: "
            f"{len(self.counted)} auto-scored question(s) counted in {len(lessons)} lesson(s)."
        ]
        if self.rejected:
            lines.append(f"Rejected {len(self.rejected)} file(s):")
            lines += [f"  {name}: {reason}" for name, reason in self.rejected]
        if self.notes:
            lines.append("Notes:")
            lines += [f"  {name}: {note}" for name, note in self.notes]
        lines.append("Wrote " + ", ".join(str(self.out / name) for name in FILES))
        return "\n".join(lines)


def read_handin(path: Path) -> tuple[dict, list[str]]:
    """The hand-in document in ``path``, checked, and the score fields dropped from it.

    Raise :class:`Rejected` with the reason when it is not a valid hand-in.
    """
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise Rejected("a symbolic link (not followed)")
    if not stat.S_ISREG(info.st_mode):
        raise Rejected("a folder, not a file" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device or pipe)")
    if info.st_size > MAX_BYTES:
        raise Rejected(f"too large ({info.st_size:,} bytes); the limit is 5 MB ({MAX_BYTES:,} bytes)")
    if info.st_size == 0:
        raise Rejected("empty file")
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise Rejected(f"cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Rejected("not a regular file")
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Rejected(f"too large; the limit is 5 MB ({MAX_BYTES:,} bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Rejected(f"not UTF-8 text (byte 0x{data[error.start]:02x} at position {error.start})") from None
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise Rejected("empty file (only spaces)")
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise Rejected(_TOO_DEEP) from None
    except json.JSONDecodeError as error:
        _check_depth(text)
        where = f"line {error.lineno}, column {error.colno}"
        if len(text.rstrip()) - error.pos <= 6 or error.msg.startswith("Unterminated string"):  # ends mid-value
            raise Rejected(f"truncated JSON (ends early at {where})") from None
        raise Rejected(f"not valid JSON ({error.msg} at {where})") from None
    except ValueError as error:
        _check_depth(text)
        raise Rejected(f"not valid JSON ({error})") from None
    if not isinstance(doc, dict):
        _check_depth(text)
        raise Rejected(f"not a hand-in (a JSON {_JSON_TYPES.get(type(doc), 'value')}, not an object)")
    dropped = _drop_score_fields(doc)
    problems = validate_handin(doc)
    if problems or dropped:  # dropped fields may have been the deep part
        _check_depth(text)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise Rejected("not a valid hand-in: " + "; ".join(problems[:3]) + more)
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
        raise Rejected(_TOO_DEEP)


def _too_deep(text: str) -> bool:
    """Whether brackets outside strings nest deeper than MAX_DEPTH (read from the text, parsed or not).

    Escapes and strings are removed, then the innermost bracket pairs, one level per pass.
    """
    bare = _NOT_BRACKET.sub("", _STRING.sub("", text.replace("\\\\", "").replace('\\"', "")))
    for _ in range(MAX_DEPTH):
        bare, found = _PAIR.subn("", bare)
        if not found:
            return False
    return _PAIR.search(bare) is not None


def _shorten(reason: str, limit: int = 300) -> str:
    return reason if len(reason) <= limit else reason[: limit - 1] + "…"


def _no_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def rescore(key: Key, file: str, doc: dict) -> Handin:
    """Every answer of hand-in ``doc`` as answers_long rows, auto-scored questions rescored."""
    rows, scores = [], {}
    for lesson in sorted(doc["lessons"]):
        bank = key.questions(lesson)
        for qid, entry in doc["lessons"][lesson].items():
            raw, kind, earned, possible = entry["answer"], "", "", ""
            if qid not in bank:  # a question the key does not know: kept as it was written
                text = json.dumps(raw, ensure_ascii=False)
            else:
                kind = bank[qid]["type"]
                try:
                    result, text = key.mark(lesson, qid, raw)
                except (TypeError, ValueError) as error:
                    raise Rejected(f"{lesson}/{qid}: not a valid {kind} answer ({error})") from None
                if result is not None:
                    scores[(lesson, qid)] = result
                    earned, possible = _num(result[0]), _num(result[1])
            rows.append((lesson, qid, kind, guard(text), earned, possible, entry["answered_at"]))
    return Handin(file, doc["student"], datetime.fromisoformat(doc["handed_in_at"]), rows, scores)


def collect(source: str | os.PathLike, out: str | os.PathLike, *, assignment: str | os.PathLike | None = None) -> CollectResult:
    """Collect every ``*.json`` hand-in in ``source`` and write the CSV files into ``out``."""
    from ._assign import load_assignment

    source, out = Path(source), Path(out)
    if not source.is_dir():
        raise NotADirectoryError(f"hand-in folder {source} does not exist or is not a folder")
    plan = load_assignment(assignment) if assignment is not None else None
    names = sorted(e.name for e in os.scandir(source) if e.name.lower().endswith(".json"))
    if not names:
        raise FileNotFoundError(f"no hand-ins (*.json files) in {source}")

    key = Key()
    rejected: list[tuple[str, str]] = []
    notes: list[tuple[str, str]] = []
    kept: dict[str, Handin] = {}
    for name in names:
        try:
            doc, dropped = read_handin(source / name)
            handin = rescore(key, name, doc)
        except Rejected as error:
            rejected.append((name, _shorten(str(error))))
            continue
        except OSError as error:
            rejected.append((name, f"cannot be read ({error.strerror or error})"))
            continue
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
            rejected.append((name, _shorten(f"not a valid hand-in ({type(error).__name__}: {error})")))
            continue
        if dropped:
            notes.append((name, f"score fields ignored ({', '.join(dropped)}); rescored from the raw answers"))
        who = " ".join(handin.student.split()).casefold()
        other = kept.get(who)
        if other is None:
            kept[who] = handin
            continue
        newer, older = sorted((other, handin), key=lambda h: (h.handed_in_at, h.file), reverse=True)
        kept[who] = newer
        rejected.append(
            (older.file, f"same student as {newer.file} ({newer.student!r}); kept {newer.file}, handed in later "
             f"({newer.handed_in_at.isoformat()} vs {older.handed_in_at.isoformat()})")
        )
    accepted = sorted(kept.values(), key=lambda h: (h.student.casefold(), h.file))
    rejected.sort()

    if plan is not None:
        counted = [tuple(item.split("/", 1)) for item in plan["count"]]
    else:
        lessons = sorted({row[0] for h in accepted for row in h.rows})  # every scored answer has a row
        counted = [(lesson, qid) for lesson in lessons for qid in key.scored(lesson)]

    out.mkdir(parents=True, exist_ok=True)
    _write_gradebook(out / FILES[0], accepted, counted, key)
    _write(out / FILES[1], LONG_COLUMNS, ((student, *r) for h in accepted for student in [guard(h.student)] for r in h.rows))
    _write(out / FILES[2], ["file", "reason"], ([guard(name), guard(reason)] for name, reason in rejected))
    return CollectResult(source, out, accepted, rejected, counted, notes)


def _write_gradebook(path: Path, accepted: list[Handin], counted: list[tuple[str, str]], key: Key) -> None:
    lessons = list(dict.fromkeys(lesson for lesson, _ in counted))
    header = ["student", *(f"{lesson}/{qid}" for lesson, qid in counted), *(f"{lesson} total" for lesson in lessons),
              "total", "possible", "percent"]
    total_possible = sum(key.possible(*item) for item in counted)
    by_lesson = {lesson: [item for item in counted if item[0] == lesson] for lesson in lessons}

    def row(h: Handin) -> list:
        earned = {item: h.scores[item][0] if item in h.scores else 0 for item in counted}
        per_lesson = [sum(earned[item] for item in by_lesson[lesson]) for lesson in lessons]
        total = sum(earned.values())
        percent = round(100 * total / total_possible, 1) if total_possible else ""
        return [guard(h.student), *map(_num, earned.values()), *map(_num, per_lesson), _num(total),
                _num(total_possible), percent]

    _write(path, header, map(row, accepted))


@functools.lru_cache(maxsize=1024)  # a few point values recur in every row
def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def _write(path: Path, header: list[str], rows) -> None:
    """Write a CSV file; text cells in ``rows`` are already guarded."""
    with open(path, "w", encoding="utf-8-sig", errors="replace", newline="") as handle:  # lone surrogates: "?"
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

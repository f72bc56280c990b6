"""Rubric marks of open answers, kept in the results folder beside ``collect``'s output.

``marks.json`` (format ``rwanda_edu.marks``: ``rwanda_edu/formats/marks.py``)
holds, per student, lesson and question, the level (1–4) of each rubric criterion, the
teacher's comment, when it was marked and a digest of the answer it was given for (so that an
answer changed since is flagged). It also keeps each question's comment bank. It is written
like the students' answers: under a lock, to a temporary file that is fsynced and renamed, so a
crash or two teachers marking at once lose nothing; a damaged file is set aside, never
overwritten. ``collect`` into the same folder keeps it and adds the marks to the gradebook.

``marks RESULTS --import FILE.csv`` / ``--export FILE.csv`` move marks in and out as CSV with the
columns ``student, lesson, question, criterion, level, comment``: one row per criterion; a
question's comment on one of its rows (a row with no criterion and no level carries a comment
alone). An import is all or nothing.
"""
from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .._i18n import _
from .._rubric import LEVELS, criterion_ids, rubric_names, rubric_of
from ..formats.marks import FILE as MARKS_FILE
from ..formats.marks import MARKS, no_marks
from ..responses import NEWER, UNREADABLE, _LockedFile
from ._collect import FILES, guard, unguard
from ._key import Key

CSV_COLUMNS = ["student", "lesson", "question", "criterion", "level", "comment"]
MAX_COMMENT_CHARS = MARKS.schema()["$defs"]["mark"]["properties"]["comment"]["maxLength"]
MAX_CSV_BYTES = 5 * 1024 * 1024
BANK_SIZE = 20  # comments kept per question in the comment bank
RUBRIC_SUFFIX = " (rubric)"  # gradebook column of a marked question that is also auto-scored (a claim check)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def digest(answer_text: str) -> str:
    """A short fingerprint of an answer as text: a mark remembers which answer it was given for."""
    return hashlib.sha256(answer_text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def normal_name(name: str) -> str:
    """A student's name as ``collect`` compares it (spaces collapsed, case folded)."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class Mark:
    """One question's mark: criterion -> level, the comment, when, and for which answer."""

    levels: dict[str, int]
    comment: str
    marked_at: str
    answer_digest: str

    @property
    def total(self) -> int:
        return sum(self.levels.values())

    @property
    def possible(self) -> int:
        return max(LEVELS) * len(self.levels)


class MarksStore:
    """The marks of the results folder ``results`` (``marks.json``)."""

    def __init__(self, results: str | os.PathLike):
        self.path = Path(results) / MARKS_FILE
        self._file = _LockedFile(self.path, MARKS, no_marks, {
            UNREADABLE: _("The marks file could not be read; it was kept as {aside}, untouched. New marks go to a "
                          "fresh marks.json."),
            NEWER: _("The marks file was written by a newer version of rwanda_edu; it was kept as {aside}, "
                     "untouched. Update rwanda_edu to read it."),
        })

    @property
    def notice(self) -> str | None:
        """What to tell the teacher when a damaged marks file was set aside."""
        return self._file.notice

    def _doc(self) -> dict:
        return self._file.read() if self.path.exists() else no_marks()

    def get(self, student: str, lesson: str, question: str) -> Mark | None:
        entry = self._doc()["marks"].get(student, {}).get(lesson, {}).get(question)
        return None if entry is None else Mark(**entry)

    def items(self) -> Iterator[tuple[str, str, str, Mark]]:
        """``(student, lesson, question, mark)`` of every stored mark."""
        for student, lessons in self._doc()["marks"].items():
            for lesson, questions in lessons.items():
                for question, entry in questions.items():
                    yield student, lesson, question, Mark(**entry)

    def by_student(self) -> dict[str, dict[tuple[str, str], Mark]]:
        """Student (as stored) -> ``(lesson, question)`` -> mark."""
        found: dict[str, dict[tuple[str, str], Mark]] = {}
        for student, lesson, question, mark in self.items():
            found.setdefault(student, {})[(lesson, question)] = mark
        return found

    def bank(self, lesson: str, question: str) -> list[str]:
        """The comments given to this question, most recent first (the comment bank)."""
        return list(self._doc()["comment_bank"].get(f"{lesson}/{question}", []))

    def set(self, student: str, lesson: str, question: str, levels: dict[str, int], comment: str,
            answer_text: str) -> None:
        """Store one question's mark (no levels and no comment: remove it); :func:`check_row` checks one first."""
        self.replace([(student, lesson, question, levels, comment, digest(answer_text))])

    def replace(self, marks: Iterable[tuple[str, str, str, dict[str, int], str, str]]) -> None:
        """Store several marks at once: ``(student, lesson, question, levels, comment, answer digest)``."""
        marks = list(marks)
        self._store(lambda doc: marks)

    def amend(self, student: str, lesson: str, question: str, answer_text: str, *, criterion: str | None = None,
              level: int | None = None, comment: str | None = None, order: list[str] | None = None) -> None:
        """Change one criterion's level (``level`` None takes it back) and/or the comment of one answer.

        The change is merged under the lock with what is stored, so two teachers marking the same
        answer at once keep each other's levels. ``order``: the rubric's criteria, to keep levels in order.
        """
        def change(doc: dict) -> list[tuple[str, str, str, dict[str, int], str, str]]:
            entry = doc["marks"].get(student, {}).get(lesson, {}).get(question, {"levels": {}, "comment": ""})
            levels, text = dict(entry["levels"]), entry["comment"] if comment is None else comment
            if criterion is not None:
                levels.pop(criterion, None)
                if level is not None:
                    levels[criterion] = level
            if order:
                levels = {c: levels[c] for c in sorted(levels, key=lambda c: order.index(c) if c in order else len(order))}
            return [(student, lesson, question, levels, text, digest(answer_text))]

        self._store(change)

    def _store(self, marks_of) -> None:
        """Store the marks ``marks_of(stored document)`` gives, if they are valid; else a ValueError, nothing written.

        Only the changed marks and comment banks are checked: the rest was checked when the file was read.
        """
        def change(doc: dict) -> dict:
            doc, changed = _put(doc, marks_of(doc))
            problems = MARKS.problems(changed)
            if problems:
                raise ValueError(_("nothing was stored: {problems}").format(problems="; ".join(problems[:3])))
            return doc

        self._file.update(change)


def _put(doc: dict, marks: list[tuple[str, str, str, dict[str, int], str, str]]) -> tuple[dict, dict]:
    """A new ``doc`` with these marks stored (no levels and no comment: the mark removed), the comment bank grown.

    Also a marks document of only what changed (the marks set, their comment banks), to check. ``doc`` is unchanged.
    """
    stamp = _now()
    stored, banks = dict(doc["marks"]), dict(doc["comment_bank"])
    changed = MARKS.new(marks={}, comment_bank={})
    for student, lesson, question, levels, comment, answer_digest in marks:
        lessons = stored[student] = dict(stored.get(student, {}))
        questions = lessons[lesson] = dict(lessons.get(lesson, {}))
        if not levels and not comment:
            questions.pop(question, None)
            if not questions:
                lessons.pop(lesson)
            if not lessons:
                stored.pop(student)
            continue
        questions[question] = {"levels": dict(levels), "comment": comment, "marked_at": stamp,
                               "answer_digest": answer_digest}
        changed["marks"].setdefault(student, {}).setdefault(lesson, {})[question] = questions[question]
        if comment.strip():
            bank = f"{lesson}/{question}"
            banks[bank] = [comment, *(c for c in banks.get(bank, []) if c != comment)][:BANK_SIZE]
            changed["comment_bank"][bank] = banks[bank]
    return {**doc, "marks": stored, "comment_bank": banks}, changed


@dataclass
class ClassAnswers:
    """What ``collect`` wrote into a results folder, as the marking tools need it."""

    folder: Path
    students: list[str]  # as in the gradebook, in its order
    answers: dict[tuple[str, str, str], str]  # (student, lesson, question) -> the answer as text
    kinds: dict[tuple[str, str], str]  # (lesson, question) -> question type
    key: Key
    scores: dict[tuple[str, str, str], tuple[float, float]] = field(default_factory=dict)  # auto-scored answers

    def find_student(self, name: str) -> str | None:
        """The collected student with this name (compared as ``collect`` does), or ``None``."""
        return self._by_name.get(normal_name(name))

    @functools.cached_property
    def _by_name(self) -> dict[str, str]:
        return {normal_name(s): s for s in self.students}

    def rubric(self, lesson: str, question: str) -> str | None:
        """The rubric of a question, or ``None`` when it is not marked by hand (or not in the banks)."""
        bank = self.key.questions(lesson) if lesson in self.key.lessons() else {}
        return rubric_of(bank[question]) if question in bank else None

    def markable(self) -> list[tuple[str, str]]:
        """``(lesson, question)`` of every question marked by hand that someone answered, in lesson order."""
        answered = {(lesson, question) for _, lesson, question in self.answers}
        return [(lesson, q) for lesson in self.key.lessons() for q in self.key.questions(lesson)
                if (lesson, q) in answered and self.rubric(lesson, q)]


def read_class(results: str | os.PathLike) -> ClassAnswers:
    """The students and answers of a results folder written by ``rwanda-edu collect``."""
    folder = Path(results)
    missing = [name for name in FILES[:2] if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(_("{folder} is not a folder written by 'rwanda-edu collect' (missing {files})").format(
            folder=folder, files=", ".join(missing)))
    with open(folder / FILES[0], encoding="utf-8-sig", newline="") as handle:
        students = [unguard(row["student"]) for row in csv.DictReader(handle)]
    answers, kinds, scores = {}, {}, {}
    with open(folder / FILES[1], encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            student, lesson, question = unguard(row["student"]), row["lesson"], row["question"]
            answers[(student, lesson, question)] = unguard(row["answer"])
            kinds[(lesson, question)] = row["type"]
            if row["possible"]:
                scores[(student, lesson, question)] = float(row["earned"] or 0), float(row["possible"])
    return ClassAnswers(folder, students, answers, kinds, Key(), scores)


def check_row(answers: ClassAnswers, student: str, lesson: str, question: str, criterion: str, level: str,
              ) -> tuple[list[str], str | None, int | None]:
    """``(problems, the collected student's name, level)`` of one row of a marks file; every problem is named."""
    problems = []
    found = answers.find_student(student)
    if found is None:
        problems.append(_("unknown student {name!r}{hint}").format(
            name=student, hint=_did_you_mean(student, answers.students)))
    rubric, lessons = None, answers.key.lessons()
    if lesson not in lessons:
        problems.append(_("unknown lesson {lesson!r}{hint}").format(lesson=lesson, hint=_did_you_mean(lesson, lessons)))
    elif question not in (bank := answers.key.questions(lesson)):
        problems.append(_("lesson {lesson} has no question {question!r}{hint}").format(
            lesson=lesson, question=question, hint=_did_you_mean(question, list(bank))))
    elif (rubric := rubric_of(bank[question])) is None:
        markable = [q for q in bank if rubric_of(bank[q])]
        problems.append(_("{lesson}/{question} is auto-scored, not marked with a rubric; questions marked by hand: "
                          "{valid}").format(lesson=lesson, question=question, valid=", ".join(markable)))
    if bool(criterion) != bool(level):
        problems.append(_("give both a criterion and a level (or neither, for a comment alone)"))
    valid = criterion_ids(rubric) if rubric else sorted({c for r in rubric_names() for c in criterion_ids(r)})
    if criterion and criterion not in valid:
        problems.append(_("unknown criterion {criterion!r}{where}; valid: {valid}").format(
            criterion=criterion, valid=", ".join(valid),
            where=_(" for {lesson}/{question} ({rubric} rubric)").format(lesson=lesson, question=question,
                                                                          rubric=rubric) if rubric else ""))
    number = None
    if level:
        text = level[:-2] if level.endswith(".0") else level  # "3.0", as some spreadsheets write 3
        if text.isdigit() and int(text) in LEVELS:
            number = int(text)
        else:
            problems.append(_("level {level!r} is not a level; give a whole number from {low} to {high}").format(
                level=level, low=min(LEVELS), high=max(LEVELS)))
    return problems, found, number


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.6)
    return _(" (did you mean {names}?)").format(names=" or ".join(repr(c) for c in close)) if close else ""


class MarksFileError(ValueError):
    """A marks file with bad rows; nothing from it was stored. ``problems``: ``row N: reason`` each."""

    def __init__(self, path: Path, problems: list[str]):
        self.problems = problems
        shown = problems[:50] + ([_("… and {n} more").format(n=len(problems) - 50)] if len(problems) > 50 else [])
        super().__init__(
            _("{path}: nothing was stored (the marks already stored are unchanged); {n} problem(s):").format(
                path=path, n=len(problems)) + "".join(f"\n  {p}" for p in shown))


def import_marks(results: str | os.PathLike, path: str | os.PathLike) -> int:
    """Check every row of the CSV file ``path`` and, only if all are good, store its marks; return how many.

    Each question in the file gets exactly the levels and comment the file gives it.
    Raise :class:`MarksFileError` naming every bad row.
    """
    answers, path = read_class(results), Path(path)
    rows = _read_rows(path)
    problems: list[str] = []
    marks: dict[tuple[str, str, str], dict] = {}
    for number, row in rows:
        student, lesson, question, criterion, level = (row[c].strip() for c in CSV_COLUMNS[:5])
        comment = row["comment"]
        found_problems, found, level_number = check_row(answers, student, lesson, question, criterion, level)
        if len(comment) > MAX_COMMENT_CHARS:
            found_problems.append(_("the comment has {n:,} characters; at most {limit:,}").format(
                n=len(comment), limit=MAX_COMMENT_CHARS))
        if found is not None and not found_problems:
            mark = marks.setdefault((found, lesson, question), {"levels": {}, "comment": "", "rows": {}})
            if criterion in mark["levels"]:
                found_problems.append(_("{criterion} of {student}, {lesson}/{question} is already given in row "
                                        "{row}").format(criterion=criterion, student=found, lesson=lesson,
                                                        question=question, row=mark["rows"][criterion]))
            elif comment.strip() and mark["comment"] and mark["comment"] != comment:
                found_problems.append(_("a second, different comment for {student}, {lesson}/{question} (the first "
                                        "is in row {row}); give a question's comment once").format(
                    student=found, lesson=lesson, question=question, row=mark["rows"]["comment"]))
            else:
                if criterion:
                    mark["levels"][criterion], mark["rows"][criterion] = level_number, number
                if comment.strip():
                    mark["comment"], mark["rows"]["comment"] = comment, number
        if found_problems:
            problems.append(_("row {number}: {reason}").format(number=number, reason="; ".join(found_problems)))
    if problems:
        raise MarksFileError(path, problems)
    MarksStore(answers.folder).replace(
        (student, lesson, question, m["levels"], m["comment"], digest(answers.answers.get((student, lesson, question), "")))
        for (student, lesson, question), m in marks.items()
    )
    return len(marks)


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a marks CSV file with their spreadsheet row numbers (the header is row 1)."""
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise MarksFileError(path, [_("the file is too large ({size:,} bytes); the limit is {limit:,}").format(
                size=size, limit=MAX_CSV_BYTES)])
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarksFileError(path, [_("not UTF-8 text (byte at position {pos}); save it as CSV UTF-8").format(
            pos=error.start)]) from None
    except IsADirectoryError:
        raise MarksFileError(path, [_("a folder, not a CSV file")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        table = list(reader)
    except csv.Error as error:
        raise MarksFileError(path, [_("not a valid CSV file ({error})").format(error=error)]) from None
    if not table:
        raise MarksFileError(path, [_("the file is empty; the first row must name the columns {columns}").format(
            columns=", ".join(CSV_COLUMNS))])
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise MarksFileError(path, [_("row 1: missing column(s) {missing}; the columns are {columns}").format(
            missing=", ".join(missing), columns=", ".join(CSV_COLUMNS))])
    where = {c: header.index(c) for c in CSV_COLUMNS}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        cells = cells + [""] * (len(header) - len(cells))
        rows.append((number, {c: unguard(cells[i]) for c, i in where.items()}))
    return rows


def export_marks(results: str | os.PathLike, path: str | os.PathLike) -> int:
    """Write every stored mark to the CSV file ``path`` (the import's shape); return how many marks."""
    store = MarksStore(results)
    key = Key()
    rows, count = [], 0
    order = {lesson: list(key.questions(lesson)) for lesson in key.lessons()}
    for student, lesson, question, mark in sorted(
            store.items(), key=lambda i: (normal_name(i[0]), i[1], _position(order, i[1], i[2]))):
        count += 1
        rubric = rubric_of(key.questions(lesson)[question]) if question in order.get(lesson, []) else None
        ids = criterion_ids(rubric or "open")
        ranked: list[tuple[str, int | str]] = sorted(
            mark.levels.items(), key=lambda kv: ids.index(kv[0]) if kv[0] in ids else len(ids))
        first = True
        for criterion, level in ranked or [("", "")]:
            rows.append([guard(student), lesson, question, criterion, level, guard(mark.comment) if first else ""])
            first = False
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    return count


def _position(order: dict[str, list[str]], group: str, item: str) -> int:
    items = order.get(group, [])
    return items.index(item) if item in items else len(items)


def gradebook_column(key: Key, lesson: str, question: str) -> str:
    """The gradebook column of a marked question: ``lesson/question`` (plus " (rubric)" if it is also auto-scored)."""
    auto = question in key.questions(lesson) and key.possible(lesson, question) is not None
    return f"{lesson}/{question}{RUBRIC_SUFFIX if auto else ''}"


def marks_of_class(results: str | os.PathLike, students: list[str]) -> list[tuple[str, Mark]]:
    """``(rubric, mark)`` of every stored mark of these students (names compared as ``collect`` does)."""
    key, wanted = Key(), {normal_name(s) for s in students}
    found = []
    for student, lesson, question, mark in MarksStore(results).items():
        bank = key.questions(lesson) if lesson in key.lessons() else {}
        if normal_name(student) in wanted and question in bank and (rubric := rubric_of(bank[question])):
            found.append((rubric, mark))
    return found


class ClassMarks:
    """The stored marks as ``collect`` writes them: gradebook columns and answers_long cells."""

    LONG_COLUMNS = ("levels", "mark", "comment")

    def __init__(self, results: Path, accepted: list, key: Key):
        self._store = MarksStore(results)
        stored = self._store.by_student()
        names = {normal_name(name): name for name in stored}
        self._marks = {h.student: stored.get(names.get(normal_name(h.student), ""), {}) for h in accepted}
        self._answers = {(h.student, row[0], row[1]): unguard(row[3])  # only where there are marks to compare
                         for h in accepted if self._marks[h.student] for row in h.rows}
        self._left = sorted(set(stored) - {names.get(normal_name(h.student)) for h in accepted})
        self._key = key

    def columns(self) -> list[tuple[str, str, str]]:
        """``(lesson, question, gradebook column)`` of every question marked for a collected student, in lesson order."""
        marked = {item for marks in self._marks.values() for item, mark in marks.items() if mark.levels}
        return [(lesson, q, gradebook_column(self._key, lesson, q)) for lesson in self._key.lessons()
                for q in self._key.questions(lesson) if (lesson, q) in marked]

    def score(self, student: str, lesson: str, question: str) -> tuple[int, int] | None:
        """``(sum of the levels, 4 × criteria marked)`` of a student's marked question, or ``None``."""
        mark = self._marks.get(student, {}).get((lesson, question))
        return (mark.total, mark.possible) if mark and mark.levels else None

    def marked(self, student: str) -> bool:
        """Whether any answer of ``student`` has stored marks."""
        return bool(self._marks.get(student))

    def long_cells(self, student: str, row: tuple) -> list:
        """The ``levels``, ``mark`` and ``comment`` cells beside an answer in answers_long.csv."""
        mark = self._marks.get(student, {}).get((row[0], row[1]))
        if mark is None:
            return ["", "", ""]
        levels = "; ".join(f"{criterion}={level}" for criterion, level in mark.levels.items())
        return [levels, mark.total if mark.levels else "", guard(mark.comment)]

    def notes(self) -> list[tuple[str, str]]:
        """Notes for collect's summary: marks kept for students not collected now, answers changed since marked."""
        notes = []
        columns = self.columns()
        if columns:
            notes.append((MARKS_FILE, _("rubric marks in the gradebook for {n} question(s): {which}").format(
                n=len(columns), which=", ".join(column for _l, _q, column in columns))))
        if self._store.notice:
            notes.append((MARKS_FILE, self._store.notice))
        changed = [f"{student}: {lesson}/{question}" for student, marks in self._marks.items()
                   for (lesson, question), mark in marks.items()
                   if (student, lesson, question) in self._answers
                   and digest(self._answers[(student, lesson, question)]) != mark.answer_digest]
        if changed:
            notes.append((MARKS_FILE, _("{n} marked answer(s) changed since they were marked; look at them again in the "
                                   "marking view: {which}").format(n=len(changed), which="; ".join(changed[:10]))))
        if self._left:
            notes.append((MARKS_FILE, _("marks kept for {n} student(s) not in this collection: {names}").format(
                n=len(self._left), names=", ".join(self._left[:10]))))
        return notes

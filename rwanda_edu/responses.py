"""Student answers that are never lost: one locked, atomically written JSON file per student.

A student's answers live in ``<answers folder>/<name-slug>.json`` (format in docs/ARCHITECTURE.md).
Every write happens under a file lock (``<file>.lock``): the file is re-read if it changed since it was
last read, the change merged, and the result written to a temporary file in the same folder, flushed,
fsynced and renamed over the old one, then the folder is fsynced. A process killed at any moment leaves either the old or the
new file, never a broken one; processes writing at once never lose each other's answers.

Files are written as ASCII JSON (non-ASCII characters as ``\\uXXXX`` escapes), so any text, including
emoji, right-to-left scripts, NUL and even unpaired surrogates, is stored and read back exactly.

A file that cannot be read, or that a newer version of the module wrote (a higher ``schema_version``),
is never overwritten: it is set aside as ``<name>.corrupt-<time>.json``, ``notice`` tells the student
in plain words which of the two happened, and new answers go to a fresh file.
"""
from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import hashlib
import os
import queue
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

from filelock import FileLock, Timeout

from ._checks import check_type
from ._i18n import _
from .formats import ANSWERS, HANDIN, STUDENT, Format, FormatError, TooNewError
from .formats.answers import MAX_DEPTH, MAX_NAME_CHARS, check_id, empty_answers, json_value, validate_student_name
from .formats.student import FILE as POINTER
from .formats.student import nobody

__all__ = ["MAX_DEPTH", "MAX_NAME_CHARS", "ResponseStore", "answers_dir", "current_store", "current_student",
           "new_handin", "sign_in", "validate_handin", "validate_student_name", "write_handin"]

ENV = "RWANDA_EDU_ANSWERS"
FORMAT, HANDIN_FORMAT, STUDENT_FORMAT = ANSWERS.name, HANDIN.name, STUDENT.name
LOCK_TIMEOUT = 30.0  # seconds
UNNAMED = "unnamed.json"  # answers given before anyone signed in
UNREADABLE, NEWER = "unreadable", "newer"  # why a file was set aside


def answers_dir() -> Path:
    """The answers folder: ``$RWANDA_EDU_ANSWERS`` if set, else ``answers/`` in the working folder."""
    folder = os.environ.get(ENV)
    return Path(folder) if folder else Path.cwd() / "answers"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _slug(name: str) -> str:
    """A safe file-name part for ``name``: ASCII letters and digits, plus a short hash of the name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40].rstrip("-") or "student"
    digest = hashlib.sha256(name.casefold().encode("utf-8")).hexdigest()[:6]
    return f"{readable}-{digest}"


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` so that a crash at any moment leaves the old or the new file whole."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


class _LockedFile:
    """One document of format ``fmt`` in a file: cached reads, locked read-modify-write, bad files set aside.

    ``empty``: the document of a missing file; ``notices``: what to tell the student, by the reason a
    file was set aside (``{aside}``: its new name).
    """

    def __init__(self, path: Path, fmt: Format, empty: Callable[[], dict], notices: dict[str, str]):
        self.path = path
        self.notice: str | None = None
        self._format, self._empty, self._notices = fmt, empty, notices
        self._lock = FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT, poll_interval=0.005)
        self._cache: tuple[tuple | None, dict] | None = None  # (stat key, document), replaced as one value
        self._swept = False

    def read(self) -> dict:
        """The document (shared: do not modify); re-read only when the file changed."""
        doc = self._read(fresh=False)
        if doc is None:  # unreadable: look again under the lock, then set it aside
            with self._locked():
                doc = self._fresh()
        return doc

    def update(self, change: Callable[[dict], dict]) -> None:
        """Write ``change(current document)``; return once it is on disk.

        ``change`` returns a new document and leaves the one it is given unchanged: under the lock
        that is the cached document when the file is still the one last read or written.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked():
            doc = change(self._fresh())
            self._sweep()
            _write_atomic(self.path, self._format.dumps(doc))
            self._cache = _stat_key(os.stat(self.path)), doc

    def _fresh(self) -> dict:
        """The document read from disk by a caller holding the lock (a bad file is set aside first)."""
        doc = self._read(fresh=True)
        assert doc is not None  # only a read without the lock leaves a bad file in place
        return doc

    def _read(self, fresh: bool) -> dict | None:
        """The document; ``None`` when unreadable and ``fresh`` is false. ``fresh``: caller holds the lock.

        The file is read and checked again only when it changed (inode, modification time or size).
        """
        key: tuple | None
        raw: bytes | None
        try:
            cache = self._cache
            if cache is not None and _stat_key(os.stat(self.path)) == cache[0]:
                return cache[1]
            with open(self.path, "rb") as handle:
                key, raw = _stat_key(os.fstat(handle.fileno())), handle.read()
        except FileNotFoundError:
            return self._empty()
        except OSError:
            key = raw = None
        doc, reason = _parse(raw, self._format) if raw is not None else (None, UNREADABLE)
        if doc is None:
            if not fresh:
                return None
            self.notice = self._notices[reason].format(aside=self._set_aside().name)
            return self._empty()
        self._cache = key, doc
        return doc

    def _set_aside(self) -> Path:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        stem, n = self.path.name.removesuffix(".json"), 0
        while (aside := self.path.with_name(f"{stem}.corrupt-{stamp}{f'-{n}' if n else ''}.json")).exists():
            n += 1
        try:
            os.replace(self.path, aside)
        except OSError as error:
            raise OSError(_(
                "The file {path} could not be read, and could not be moved aside "
                "({reason}); nothing was overwritten. Ask your teacher."
            ).format(path=self.path, reason=error.strerror)) from error
        return aside

    def _sweep(self) -> None:
        """Remove temporary files that a killed writer left (safe: every writer holds the lock)."""
        if self._swept:
            return
        prefix = f".{self.path.name}."
        with os.scandir(self.path.parent) as entries:
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
        self._swept = True

    def _locked(self):
        try:
            return self._lock.acquire()
        except Timeout:
            raise TimeoutError(_(
                "{name} has been locked by another program for {seconds} s; nothing was changed. "
                "Close other copies of this notebook and try again."
            ).format(name=self.path.name, seconds=f"{LOCK_TIMEOUT:g}")) from None


def _stat_key(st: os.stat_result) -> tuple:
    return st.st_ino, st.st_mtime_ns, st.st_size


def _parse(raw: bytes, fmt: Format) -> tuple[dict | None, str]:
    """``(document, "")`` when valid; else ``(None, NEWER)`` for a newer schema_version, ``(None, UNREADABLE)``."""
    try:
        return fmt.loads(raw), ""
    except TooNewError:
        return None, NEWER
    except FormatError:
        return None, UNREADABLE


# The store


class Entry(NamedTuple):
    """One saved answer and when it was given (ISO 8601, UTC)."""

    answer: object
    answered_at: str


class ResponseStore:
    """The answers of one student, in the JSON file ``path``."""

    def __init__(self, path: str | os.PathLike):
        check_type("path", path, (str, os.PathLike))
        self.path = Path(path)
        self._queue: queue.Queue | None = None  # answers waiting for the writer thread (record_soon)
        self._writer_lock = threading.Lock()
        self._file = _LockedFile(
            self.path,
            ANSWERS,
            empty_answers,
            {
                UNREADABLE: _("Your saved answers file could not be read; it was kept as {aside}. "
                              "Ask your teacher. New answers are being saved."),
                NEWER: _("Your saved answers file was written by a newer version of the module; ask your teacher "
                         "to update it. The file was kept as {aside}, unchanged. New answers are being saved."),
            },
        )

    def __repr__(self) -> str:
        return f"ResponseStore({str(self.path)!r})"

    @property
    def notice(self) -> str | None:
        """A plain-language message for the student when a file had to be set aside; else None."""
        return self._file.notice

    @property
    def student(self) -> str | None:
        """The student's name, or None if nobody signed in."""
        return self._file.read()["student"]

    def set_student(self, name: str) -> None:
        """Save the student's name (checked by :func:`validate_student_name`)."""
        name = validate_student_name(name)
        self._file.update(lambda doc: {**doc, "student": name})

    def record(self, lesson_id: str, question_id: str, answer) -> None:
        """Save ``answer`` to question ``question_id`` of lesson ``lesson_id``; returns once it is on disk.

        ``answer`` is text, a number, True/False, None, or a list or dict (with text keys) of these;
        tuples are saved as lists. Ids are checked for their form only, so a store keeps answers to
        lessons of any version of the module; the widgets check them against the question banks.
        """
        self._file.update(self._change(lesson_id, question_id, answer))

    def record_soon(self, lesson_id: str, question_id: str, answer, done: Callable[[Exception | None], None]) -> None:
        """Save ``answer`` as :meth:`record` does, but on the store's writer thread, so the caller need not wait.

        The answer is checked at once (TypeError/ValueError as for :meth:`record`); ``done(None)`` is called on
        the writer thread once it is on disk, ``done(error)`` if it could not be saved. Answers are written in
        the order given; answers given while a write is under way are written together.
        """
        change = self._change(lesson_id, question_id, answer)
        with self._writer_lock:
            if self._queue is None:
                self._queue = queue.Queue()
                threading.Thread(target=self._write_queued, name=f"answers writer {self.path.name}",
                                 daemon=True).start()
                atexit.register(self.flush)
            self._queue.put((change, done))

    def flush(self) -> None:
        """Return once every answer given to :meth:`record_soon` is on disk (or has failed)."""
        if self._queue is not None:
            self._queue.join()

    def _write_queued(self) -> None:
        assert self._queue is not None
        while True:
            batch = [self._queue.get()]
            while not self._queue.empty():
                batch.append(self._queue.get())

            def change(doc: dict, batch: list = batch) -> dict:
                for one, _done in batch:
                    doc = one(doc)
                return doc

            error: Exception | None = None
            try:
                self._file.update(change)
            except Exception as failed:  # reported to every caller waiting for this write
                error = failed
            for _change, done in batch:
                try:
                    done(error)
                finally:
                    self._queue.task_done()

    @staticmethod
    def _change(lesson_id: str, question_id: str, answer) -> Callable[[dict], dict]:
        """The change that sets one answer (checked now, timed now) in an answers document."""
        lesson_id, question_id = check_id("lesson id", lesson_id), check_id("question id", question_id)
        entry = {"answer": json_value(answer), "answered_at": _now()}

        def change(doc: dict) -> dict:
            lesson = {**doc["lessons"].get(lesson_id, {}), question_id: entry}
            return {**doc, "lessons": {**doc["lessons"], lesson_id: lesson}}

        return change

    def answers(self, lesson_id: str) -> dict:
        """``{question id: answer}`` of lesson ``lesson_id`` (empty if none yet)."""
        self.flush()
        entries = self._file.read()["lessons"].get(check_id("lesson id", lesson_id), {})
        return {qid: copy.deepcopy(e["answer"]) for qid, e in entries.items()}

    def entry(self, lesson_id: str, question_id: str) -> Entry | None:
        """The saved answer to one question, with its time; None if not answered."""
        self.flush()
        lesson = self._file.read()["lessons"].get(check_id("lesson id", lesson_id), {})
        e = lesson.get(check_id("question id", question_id))
        return None if e is None else Entry(copy.deepcopy(e["answer"]), e["answered_at"])

    def lessons(self) -> list[str]:
        """Ids of the lessons with at least one saved answer, sorted."""
        return sorted(k for k, v in self._file.read()["lessons"].items() if v)

    def _adopt(self, lessons: dict) -> None:
        """Merge answers from another store; for a question in both, the later answer wins."""

        def change(doc: dict) -> dict:
            merged = {lid: dict(entries) for lid, entries in doc["lessons"].items()}
            for lid, entries in lessons.items():
                mine = merged.setdefault(lid, {})
                for qid, e in entries.items():
                    if qid not in mine or _when(e) > _when(mine[qid]):
                        mine[qid] = e
            return {**doc, "lessons": merged}

        self._file.update(change)


def _when(entry: dict) -> datetime:
    return datetime.fromisoformat(entry["answered_at"])


# Sign-in: one student per answers folder

_stores: dict[Path, ResponseStore] = {}


def _store(path: Path) -> ResponseStore:
    """One shared ResponseStore object per file, so every widget sees the same notice and cache."""
    if path not in _stores:
        _stores[path] = ResponseStore(path)
    return _stores[path]


@functools.cache
def _pointer(folder: Path) -> _LockedFile:
    """The sign-in record of ``folder`` (cached per folder, like the stores)."""

    return _LockedFile(
        folder / POINTER,
        STUDENT,
        nobody,
        {
            UNREADABLE: _("Your sign-in could not be read; it was kept as {aside}. "
                          "Please type your name again in the start-here lesson. Your answers are safe."),
            NEWER: _("Your sign-in was written by a newer version of the module; ask your teacher to update it. "
                     "It was kept as {aside}. Please type your name again in the start-here lesson. "
                     "Your answers are safe."),
        },
    )


def current_student() -> str | None:
    """The student: the JupyterHub account where there is one, else the name signed in here, or None."""
    from ._hub import hub_user

    return hub_user() or _pointer(answers_dir().absolute()).read()["student"]


def current_store() -> ResponseStore:
    """The signed-in student's store; before anyone signs in, the unnamed store (adopted by :func:`sign_in`)."""
    from ._hub import hub_user

    folder = answers_dir().absolute()
    if (user := hub_user()) is not None:
        return _hub_store(folder, user)
    pointer = _pointer(folder)
    name = pointer.read()["student"]
    store = _store(folder / (f"{_slug(name)}.json" if name else UNNAMED))
    if pointer.notice:
        store._file.notice = pointer.notice
    if name and (folder / UNNAMED).exists():
        _adopt_unnamed(folder, store)
    return store


def sign_in(name: str) -> ResponseStore:
    """Sign in as ``name`` for this answers folder and return the student's store.

    Answers given before signing in are moved into the student's store. On a JupyterHub the
    account is the student (``JUPYTERHUB_USER``): the name is checked, and the account's store returned.
    """
    from ._hub import hub_user

    name = validate_student_name(name)
    folder = answers_dir().absolute()
    _store(folder / UNNAMED).flush()  # answers given before signing in, on disk before they move
    if (user := hub_user()) is not None:
        return _hub_store(folder, user)
    store = _store(folder / f"{_slug(name)}.json")
    store.set_student(name)
    _pointer(folder).update(lambda doc: {**doc, "student": name})
    _adopt_unnamed(folder, store)
    return store


def _hub_store(folder: Path, user: str) -> ResponseStore:
    """The store of hub account ``user``: named after it, whatever name was typed; earlier unnamed answers adopted."""
    store = _store(folder / f"{_slug(user)}.json")
    if store.student != user:
        store.set_student(user)
    if (folder / UNNAMED).exists():
        _adopt_unnamed(folder, store)
    return store


def _adopt_unnamed(folder: Path, store: ResponseStore) -> None:
    unnamed = _store(folder / UNNAMED)
    with unnamed._file._locked():
        lessons = unnamed._file._fresh()["lessons"]
        if unnamed.notice:
            store._file.notice = unnamed.notice
        if lessons:
            store._adopt(lessons)
        with contextlib.suppress(FileNotFoundError):  # safe: its answers are on disk in the student's store
            os.unlink(unnamed.path)


# Hand-in


def validate_handin(doc: object) -> list[str]:
    """Every problem of a hand-in document (format, version, types, ids, times, nesting); empty when valid."""
    return HANDIN.problems(doc)


def new_handin(store: ResponseStore | None = None, out_dir: str | os.PathLike | None = None) -> tuple[Path, dict]:
    """The file and document of a new hand-in of all the student's answers (checked; nothing written yet).

    ``store`` defaults to the signed-in student's; ``out_dir`` to the store's folder. The file is
    ``handin-<name>-<time>.json``, never one that exists. On a JupyterHub the hand-in is filed under
    the hub account, whatever name was typed.
    """
    from ._hub import hub_user

    store = current_store() if store is None else check_type("store", store, ResponseStore)
    check_type("out_dir", out_dir, (str, os.PathLike, type(None)))
    store.flush()  # every answer given so far, on disk
    doc = store._file.read()
    if (user := hub_user()) is not None:
        doc = {**doc, "student": user}
    if doc["student"] is None:
        raise ValueError(_("Please sign in with your name before handing in (the start-here lesson)."))
    now = datetime.now(timezone.utc).replace(microsecond=0)
    handin = HANDIN.new(student=doc["student"], handed_in_at=now.isoformat(), lessons=doc["lessons"])
    problems = validate_handin(handin)
    if problems:
        raise ValueError(_("the saved answers cannot be handed in: {problems}").format(problems="; ".join(problems)))
    folder = store.path.parent if out_dir is None else Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    stem = base = f"handin-{_slug(doc['student'])}-{now.strftime('%Y%m%d-%H%M%S')}"
    n = 2
    while (folder / f"{base}.json").exists():  # a second hand-in within the same second keeps the first
        base, n = f"{stem}_{n}", n + 1  # "_" sorts after ".", so the later file sorts later
    return folder / f"{base}.json", handin


def write_handin(path: Path, doc: dict) -> None:
    """Write hand-in ``doc`` (from :func:`new_handin`) to ``path``, atomically."""
    _write_atomic(path, HANDIN.dumps(doc))

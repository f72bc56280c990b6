"""The exchange: a shared folder on a JupyterHub through which hand-ins reach the teacher and
feedback reaches each student.

The hub's admin names the folder in ``RWANDA_EDU_EXCHANGE`` for every session. Its layout, one
area per assignment (the name in the bundle's ``assignment.json``, as a slug; ``lessons`` for
work outside any bundle)::

    EXCHANGE/                         the admin's, 2775, group: the teachers (they open areas)
      <assignment>/                   0755, the teacher's who opened it
        inbound/                      3753: students may add files, not list, read or remove them
          <student>+<UTC time with microseconds>+<random>.json   0640, created exclusively
        feedback/                     0711: nobody lists whose feedback is there
          <hub user>/                 0700, owned by that student (when released by root)

Every hand-in is a new file (two in the same second never meet), readable by its writer and the
folder's group (the teachers: the set-group-id bit passes the group on). The sticky bit stops
anyone removing another's file. :func:`collect_exchange` keeps each student's latest hand-in,
lists the earlier ones, and checks that every file was written by the account it names.
"""
from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ._i18n import _

if TYPE_CHECKING:
    from .teacher._collect import CollectResult

ENV = "RWANDA_EDU_EXCHANGE"
DEFAULT_ASSIGNMENT = "lessons"  # hand-ins made outside any assignment bundle
INBOUND, FEEDBACK = "inbound", "feedback"
AREA_MODE = 0o755
INBOUND_MODE = 0o3753  # set-group-id, sticky; owner rwx, group r-x, others -wx
FEEDBACK_MODE = 0o711
STUDENT_DIR_MODE, STUDENT_FILE_MODE = 0o700, 0o600
HANDIN_MODE = 0o640
HANDINS_LIST = "handins.csv"  # in collect's output: every hand-in found, and what became of it
HANDINS_COPY = "handins"  # in collect's output: the copies of the hand-ins collected
COLLECTED, EARLIER, REFUSED = "collected", "earlier", "refused: "  # statuses in handins.csv

_NAME = re.compile(r"(?P<who>[^+/]+)\+(?P<stamp>\d{8}T\d{6}\.\d{6}Z)\+(?P<rand>[0-9a-f]{8})\.json")


class ExchangeError(Exception):
    """The exchange cannot be used as asked; the message says why in plain words."""


def exchange_dir() -> Path | None:
    """The exchange folder named by ``$RWANDA_EDU_EXCHANGE``, or None where none is set."""
    folder = os.environ.get(ENV, "").strip()
    return Path(folder) if folder else None


def assignment_id(name: str) -> str:
    """The area name of an assignment: its name in lower-case ASCII letters, digits and dashes."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].rstrip("-")
    if not slug:
        raise ValueError(_("assignment name {name!r} has no letters or digits to name its exchange area").format(name=name))
    return slug


def current_assignment(folder: str | os.PathLike | None = None) -> str:
    """The area of the assignment bundle open in ``folder`` (default: the working folder):
    from its ``assignment.json``, else :data:`DEFAULT_ASSIGNMENT`."""
    from .formats import FormatError
    from .formats.assignment import in_bundle

    try:
        doc = in_bundle(Path.cwd() if folder is None else folder)
    except FormatError:
        return DEFAULT_ASSIGNMENT
    name = doc.get("name") if doc is not None else None
    return assignment_id(name) if isinstance(name, str) and name.strip() else DEFAULT_ASSIGNMENT


def _area(root: Path, assignment: str) -> Path:
    if assignment != assignment_id(assignment):
        raise ValueError(_("assignment area {area!r} is not a slug; use {slug!r}").format(
            area=assignment, slug=assignment_id(assignment)))
    return root / assignment


def open_assignment(root: str | os.PathLike, assignment: str) -> Path:
    """Create (or repair the modes of) the areas of ``assignment``; return the assignment's folder.

    Run by the teacher or admin who owns the exchange. The areas take the exchange folder's group.
    A missing exchange folder is created where this account may (on a hub, the admin creates it).
    """
    root = Path(root)
    with contextlib.suppress(PermissionError, FileExistsError):
        root.mkdir(mode=0o755, parents=True, exist_ok=True)
    if not root.is_dir():
        raise ExchangeError(_("the exchange folder {root} does not exist; the hub's admin creates it").format(root=root))
    area = _area(root, assignment)
    group = root.stat().st_gid
    for path, mode in ((area, AREA_MODE), (area / INBOUND, INBOUND_MODE), (area / FEEDBACK, FEEDBACK_MODE)):
        try:
            path.mkdir(exist_ok=True)
            if path.stat().st_uid == os.geteuid():
                if path.stat().st_gid != group:
                    with contextlib.suppress(PermissionError):  # not in the exchange's group: the folder keeps ours
                        os.chown(path, -1, group)
                os.chmod(path, mode)
        except PermissionError:
            raise ExchangeError(
                _("the exchange has no area for {assignment!r} yet, and this account cannot create it: "
                  "ask your teacher to open it (rwanda-edu assign --exchange)").format(assignment=assignment)
            ) from None
    return area


def _trusted_inbound(root: Path, assignment: str) -> Path:
    """The inbound folder of ``assignment``, created if missing, after checking it is safe to write to."""
    area = _area(root, assignment)
    inbound = area / INBOUND
    if not inbound.is_dir():
        open_assignment(root, assignment)
    # Only those who may write to the exchange folder (root, the teachers) can have made the area.
    info, made_by = os.lstat(inbound), {0, os.lstat(area).st_uid}
    if (os.stat(root).st_mode & stat.S_IWOTH or os.lstat(area).st_mode & stat.S_IWOTH
            or not stat.S_ISDIR(info.st_mode) or info.st_uid not in made_by or not info.st_mode & stat.S_ISVTX
            or info.st_mode & stat.S_IROTH):
        raise ExchangeError(
            _("the exchange area {inbound} is not set up safely (owner, sticky bit, or readable by everyone); "
              "nothing was delivered there: tell your teacher").format(inbound=inbound)
        )
    return inbound


def handin_name(user: str, now: datetime | None = None) -> str:
    """A new, unique file name for a hand-in by ``user``: account, UTC time to the microsecond, random part."""
    from .responses import _slug

    now = now or datetime.now(timezone.utc)
    return f"{_slug(user)}+{now.strftime('%Y%m%dT%H%M%S.%fZ')}+{secrets.token_hex(4)}.json"


def deliver(data: bytes, user: str, *, assignment: str | None = None, root: str | os.PathLike | None = None) -> Path:
    """Write a hand-in (``data``, its JSON) into the inbound area as a new file; return its path.

    The file is created exclusively (an existing file is never opened) with mode 0640.
    """
    root = exchange_dir() if root is None else Path(root)
    if root is None:
        raise ExchangeError(_("no exchange folder: {env} is not set").format(env=ENV))
    inbound = _trusted_inbound(root, assignment or current_assignment())
    for _attempt in range(5):
        path = inbound / handin_name(user)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), HANDIN_MODE)
        except FileExistsError:
            continue
        try:
            os.fchmod(fd, HANDIN_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            os.unlink(path)
            raise
        return path
    raise ExchangeError(_("could not find a new file name in {inbound}").format(inbound=inbound))


# The teacher's side: collect


@dataclass
class ExchangeCollect:
    """What :func:`collect_exchange` found in the inbound area and what ``collect`` made of it."""

    result: CollectResult  # of the copies
    listing: list[dict] = field(default_factory=list)  # one row per file: student, file, handed_in_at, status

    @property
    def refused(self) -> list[dict]:
        return [row for row in self.listing if row["status"].startswith(REFUSED)]

    def summary(self) -> str:
        earlier = sum(row["status"] == EARLIER for row in self.listing)
        lines = [self.result.summary()]
        if earlier:
            lines.append(_("{n} earlier hand-in(s) are listed in {listing} (not counted).").format(
                n=earlier, listing=self.result.out / HANDINS_LIST))
        if self.refused:
            lines.append(_("Refused {n} file(s) of the exchange:").format(n=len(self.refused)))
            lines += [f"  {row['file']}: {row['status']}" for row in self.refused]
        return "\n".join(lines)


def _areas(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if (p / INBOUND).is_dir())


def choose_area(root: str | os.PathLike, assignment: str | None = None) -> str:
    """``assignment``'s area (a name or a slug), or the only area there is; else a clear error."""
    from ._checks import check_choice

    root = Path(root)
    if not root.is_dir():
        raise NotADirectoryError(_("exchange folder {root} does not exist or is not a folder").format(root=root))
    areas = _areas(root)
    if assignment is not None:
        return check_choice(_("assignment area"), assignment_id(assignment), areas)
    if len(areas) == 1:
        return areas[0]
    if not areas:
        raise FileNotFoundError(_("no hand-ins in the exchange {root}: it has no assignment area yet").format(root=root))
    raise ValueError(_("the exchange {root} holds several assignments; choose one with --assignment. Valid: {areas}").format(
        root=root, areas=", ".join(areas)))


def collect_exchange(root: str | os.PathLike, out: str | os.PathLike, *, assignment: str | os.PathLike | None = None,
                     area: str | None = None, account_prefix: str = "") -> ExchangeCollect:
    """Collect the latest hand-in of each student from the exchange into ``out``.

    ``assignment``: the bundle's ``assignment.json`` (which questions count; its name picks the area);
    ``area``: the area by name when there is no assignment file; ``account_prefix``: what the hub
    puts before a hub name to make the Unix account (``jupyter-`` on The Littlest JupyterHub).
    The latest hand-in of each student
    is copied into ``out/handins/`` and collected from there; ``out/handins.csv`` lists every file.
    """
    from .teacher._collect import Rejected, collect, read_handin

    root, out = Path(root), Path(out)
    if assignment is not None and area is None:
        from .teacher._assign import load_assignment

        area = load_assignment(assignment)["name"]
    inbound = Path(root) / choose_area(root, area) / INBOUND
    me = os.geteuid()
    found: dict[str, list[tuple[datetime, str, Path]]] = {}
    unnamed: dict[int, set[str]] = {}  # user id without a local account -> students its files name
    owners: dict[str, set[int]] = {}  # student -> such user ids
    listing: list[dict] = []
    for entry in sorted(os.scandir(inbound), key=lambda e: e.name):
        row = {"student": "", "file": entry.name, "handed_in_at": "", "status": ""}
        listing.append(row)
        if not _NAME.fullmatch(entry.name):
            row["status"] = REFUSED + _("not a hand-in file name of the exchange")
            continue
        try:
            doc, _dropped = read_handin(Path(entry.path))
        except Rejected as error:
            row["status"] = REFUSED + str(error)
            continue
        except OSError as error:
            row["status"] = REFUSED + _("cannot be read ({reason})").format(reason=error.strerror or error)
            continue
        row["student"], row["handed_in_at"] = doc["student"], doc["handed_in_at"]
        owner = entry.stat(follow_symlinks=False).st_uid
        account = _account(owner)
        if owner not in (me, 0) and account is not None and account != account_prefix + doc["student"]:
            row["status"] = REFUSED + _("written by the account {account!r} but names the student {student!r}").format(
                account=account, student=doc["student"])
            continue
        if owner not in (me, 0) and account is None:  # a user id without a name here (e.g. a Kubernetes pod)
            unnamed.setdefault(owner, set()).add(doc["student"])
            owners.setdefault(doc["student"], set()).add(owner)
        row["owner"] = str(owner)
        found.setdefault(doc["student"], []).append((datetime.fromisoformat(doc["handed_in_at"]), entry.name, Path(entry.path)))
    # Where user ids have no names, one user id must speak for one student, and one student come from one user id.
    doubtful = {s for ids in unnamed.values() if len(ids) > 1 for s in ids} | {s for s, ids in owners.items() if len(ids) > 1}
    for row in listing:
        if row["student"] in doubtful and not row["status"]:
            row["status"] = REFUSED + _(
                "hand-ins naming {student!r} and user id {uid} do not match one to one (one account writing for two "
                "students, or two accounts for one); check them by hand").format(student=row["student"], uid=row["owner"])
    for student in doubtful:
        found.pop(student, None)

    copies = out / HANDINS_COPY
    copies.mkdir(parents=True, exist_ok=True)
    for old in copies.glob("*.json"):
        old.unlink()
    status = {}
    for handins in found.values():
        handins.sort()
        *earlier, latest = handins
        shutil.copyfile(latest[2], copies / latest[1])
        os.chmod(copies / latest[1], 0o600)
        status[latest[1]] = COLLECTED
        status.update({name: EARLIER for _when, name, _path in earlier})
    for row in listing:
        row["status"] = row["status"] or status[row["file"]]
    if not found:
        raise FileNotFoundError(_("no hand-ins to collect in {inbound}").format(inbound=inbound)
                                + (_(" ({n} file(s) refused)").format(n=len(listing)) if listing else ""))
    result = collect(copies, out, assignment=assignment)
    _write_listing(out / HANDINS_LIST, listing)
    return ExchangeCollect(result, listing)


def _account(uid: int) -> str | None:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return None


def _write_listing(path: Path, listing: list[dict]) -> None:
    from .teacher._collect import guard

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "file", "handed_in_at", "status"])
        for row in sorted(listing, key=lambda r: (r["student"].casefold(), r["file"])):
            writer.writerow([guard(row["student"]), guard(row["file"]), row["handed_in_at"], guard(row["status"])])


# Feedback: released by the teacher, fetched by each student


@dataclass
class Release:
    """What :func:`release_feedback` delivered: files per student, and what it could not place."""

    area: Path
    released: dict[str, list[str]]
    owned_by_student: bool
    skipped: list[tuple[str, str]]

    def summary(self) -> str:
        files = sum(map(len, self.released.values()))
        lines = [_("Released {files} feedback file(s) to {students} student(s) in {area}.").format(
            files=files, students=len(self.released), area=self.area)]
        if not self.owned_by_student and self.released:
            lines.append("  " + _("Not run as root: the folders belong to this account, so on a hub where every student "
                                  "has their own account they cannot open them. Run it with sudo."))
        if self.skipped:
            lines.append(_("Not released ({n}):").format(n=len(self.skipped)))
            lines += [f"  {name}: {reason}" for name, reason in self.skipped]
        return "\n".join(lines)


def _feedback_files(source: Path, students: set[str]) -> tuple[dict[str, list[Path]], list[tuple[str, str]]]:
    """Files per student in ``source``: a subfolder per student, or files named ``<student>.<ext>``."""
    from .responses import validate_student_name

    files: dict[str, list[Path]] = {}
    skipped = []
    for path in sorted(source.iterdir()):
        if path.is_symlink():
            skipped.append((path.name, _("a symbolic link (not followed)")))
            continue
        if path.is_dir():
            try:
                student = validate_student_name(path.name)
            except ValueError as error:
                skipped.append((path.name, str(error)))
                continue
            inside = sorted(p for p in path.iterdir() if p.is_file() and not p.is_symlink())
            files.setdefault(student, []).extend(inside)
            continue
        owners = [s for s in students if path.name.startswith(s + ".")]
        if not owners:
            skipped.append((path.name, _("names no student who handed in (expected <student>.<ext> or a folder per student)")))
            continue
        files.setdefault(max(owners, key=len), []).append(path)
    return files, skipped


def release_feedback(root: str | os.PathLike, source: str | os.PathLike, *, area: str | None = None,
                     account_prefix: str = "") -> Release:
    """Copy each student's feedback files from ``source`` into their own folder of the exchange.

    ``source`` holds a subfolder per student (their hub account name) or files named
    ``<student>.<ext>`` (for example as ``rwanda-edu feedback`` writes them). Run as root on a hub,
    each student's folder and files belong to that student (modes 0700 and 0600), so no one else
    can read them. ``account_prefix``: as for :func:`collect_exchange`.
    """
    root, source = Path(root), Path(source)
    if not source.is_dir():
        raise NotADirectoryError(_("feedback folder {source} does not exist or is not a folder").format(source=source))
    name = choose_area(root, area)
    feedback = open_assignment(root, name) / FEEDBACK
    students = set()
    for entry in os.scandir(root / name / INBOUND):
        match = _NAME.fullmatch(entry.name)
        if match:
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                students.add(json.loads(Path(entry.path).read_text(encoding="utf-8"))["student"])
    files, skipped = _feedback_files(source, students)
    import pwd

    as_root = os.geteuid() == 0
    released: dict[str, list[str]] = {}
    for student, paths in sorted(files.items()):
        try:
            account = pwd.getpwnam(account_prefix + student) if as_root else None
        except KeyError:
            skipped.append((student, _("no local account {account!r}: not released").format(account=account_prefix + student)))
            continue
        folder = feedback / student
        folder.mkdir(mode=STUDENT_DIR_MODE, exist_ok=True)
        os.chmod(folder, STUDENT_DIR_MODE)
        for path in paths:
            fd, tmp = tempfile.mkstemp(prefix=".", dir=folder)
            with os.fdopen(fd, "wb") as handle, open(path, "rb") as original:
                shutil.copyfileobj(original, handle)
            os.chmod(tmp, STUDENT_FILE_MODE)
            if account is not None:
                os.chown(tmp, account.pw_uid, account.pw_gid)
            os.replace(tmp, folder / path.name)
            released.setdefault(student, []).append(path.name)
        if account is not None:
            os.chown(folder, account.pw_uid, account.pw_gid)
    return Release(feedback, released, as_root, skipped)


def fetch_feedback(*, assignment: str | None = None, root: str | os.PathLike | None = None) -> list[Path]:
    """Copy the signed-in student's released feedback into ``<answers folder>/feedback/<assignment>/``.

    Returns the copies (an empty list when nothing was released yet).
    """
    from .responses import answers_dir, current_student

    root = exchange_dir() if root is None else Path(root)
    if root is None:
        raise ExchangeError(_("no exchange folder: {env} is not set, so feedback comes from your teacher directly").format(env=ENV))
    student = current_student()
    if student is None:
        raise ValueError(_("Please sign in before fetching your feedback (the start-here lesson)."))
    name = assignment_id(assignment) if assignment else current_assignment()
    mine = _area(root, name) / FEEDBACK / student
    if not mine.is_dir():
        return []
    target = answers_dir() / FEEDBACK / name
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for path in sorted(mine.iterdir()):
        if path.is_file() and not path.is_symlink() and not path.name.startswith("."):
            shutil.copyfile(path, target / path.name)
            copies.append(target / path.name)
    return copies


def feedback_html() -> str:
    """The student's released feedback, fetched into their answers folder and shown as HTML
    (each page in a sandboxed frame: no script runs); empty when there is none or no exchange."""
    from ._html import escape

    if exchange_dir() is None:
        return ""
    try:
        copies = fetch_feedback()
    except (ExchangeError, ValueError, OSError):
        return ""
    if not copies:
        return ""
    pages = "".join(
        f'<iframe class="rwanda-edu-feedback-page" sandbox="" title="{escape(p.name)}" '
        f'style="width:100%;height:24em;border:1px solid #ccc" srcdoc="{escape(p.read_text(encoding="utf-8", errors="replace"))}">'
        "</iframe>"
        for p in copies if p.suffix == ".html"
    )
    names = "".join(f"<li><code>{escape(p.name)}</code></li>" for p in copies)
    return (f'<div class="rwanda-edu-teacher-feedback"><h4>{escape(_("Feedback from your teacher"))}</h4>{pages}'
            f"<p>{escape(_('Saved in your answers folder:'))}</p><ul>{names}</ul></div>")

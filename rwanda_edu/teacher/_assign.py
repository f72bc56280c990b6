"""``assign``: a student bundle (folder and zip) of chosen lessons, with ``assignment.json``.

The bundle holds only the chosen student notebooks (outputs stripped), ``assignment.json``
and a README for students. Nothing from ``lessons/teacher/`` (guide, keys, dashboard) is
ever copied: notebooks are taken only from the top level of the lessons folder, by id.

Pushed to a git repository of its own (``content_repo``), the bundle opens from one link:
nbgitpuller, in the module's Binder environment or on a JupyterHub, copies it into the
student's session and opens the start-here lesson.
"""
from __future__ import annotations

import json
import os
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode, urlparse

from .._checks import check_choices, check_text, check_type
from .._i18n import N_, _, ngettext
from ..formats.assignment import ASSIGNMENT as ASSIGNMENT_FORMAT
from ..formats.assignment import FILE, read_assignment
from ._key import Key
from ._lessons import START, find_lessons, lesson_ids

ASSIGNMENT = FILE

README = N_("""\
# {name}

Due: {due}

Lessons: {lessons}

## How to open
{links}Open this folder in JupyterLab (your school's JupyterHub, Binder, or `rwanda-edu lab` on
your own computer) and start with `{start}.ipynb`: it asks your name once. Then open the
lessons above in order. Every answer is saved as soon as you give it.

## How to hand in
At the end of a lesson, press **Hand in my answers**. It writes two files into the
`answers` folder: a `.json` file for your teacher and an `.html` page you can read. Give your teacher
the `.json` file the way they asked (shared folder, upload, or e-mail).
On Binder your files disappear when the session ends: press **Download my hand-in** under
the button before you close the tab. On your school's JupyterHub the button also sends it to your teacher.
""")


@dataclass
class Bundle:
    """A built bundle: its folder, its zip and the assignment it describes."""

    folder: Path
    zip: Path
    assignment: dict
    links: dict[str, str]


def build_bundle(
    lessons: list[str],
    *,
    name: str,
    due: str,
    out: str | os.PathLike,
    hide_correctness: bool = False,
    count: list[str] | None = None,
    lessons_dir: str | os.PathLike | None = None,
    content_repo: str | None = None,
    binder: str | None = None,
    hub: str | None = None,
    branch: str = "main",
) -> Bundle:
    """Write the bundle folder ``out`` and ``out.zip``; return them.

    ``lessons``: lesson ids; ``due``: ``YYYY-MM-DD``; ``count``: the questions that count
    (``lesson/qid``, or ``qid`` when unambiguous); default every auto-scored question.
    ``content_repo``, with ``binder`` and/or ``hub``: see :func:`open_links`.
    """
    links = open_links(content_repo, binder=binder, hub=hub, branch=branch)
    folder = find_lessons(lessons_dir)
    check_type("lessons", lessons, list)
    if not lessons:
        raise ValueError(_("no lessons chosen. Valid: {lessons}").format(lessons=", ".join(lesson_ids(folder))))
    lessons = list(dict.fromkeys(check_choices("lesson", lessons, lesson_ids(folder))))
    name = check_text(_("assignment name"), name, max_chars=200).strip()
    check_type("hide_correctness", hide_correctness, bool)
    assignment = ASSIGNMENT_FORMAT.new(name=name, due=_due(due), lessons=lessons, hide_correctness=hide_correctness,
                                       count=_counted(Key(), lessons, count))
    data = ASSIGNMENT_FORMAT.checked_dumps(assignment)
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(_("{out} already exists and is not an empty folder; choose a new --out folder").format(
            out=out))
    out.mkdir(parents=True, exist_ok=True)

    notebooks = [START, *(lesson for lesson in lessons if lesson != START)]
    for lesson in notebooks:
        _write_stripped(folder / f"{lesson}.ipynb", out / f"{lesson}.ipynb")
    (out / ASSIGNMENT).write_bytes(data)
    opened_by = "".join(f"- {where}: <{url}>\n" for where, url in links.items())
    (out / "README.md").write_text(
        _(README).format(name=name, due=assignment["due"], lessons=", ".join(lessons), start=START,
                         links=_("Open it with your teacher's link:\n{links}\nor: ").format(links=opened_by)
                         if links else ""),
        encoding="utf-8",
    )
    archive = out.with_name(out.name + ".zip")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(out.iterdir()):
            zf.write(path, f"{out.name}/{path.name}")
    return Bundle(out, archive, assignment, links)


_GITHUB_REPO = re.compile(r"(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(@(?P<ref>[A-Za-z0-9_./-]+))?")


def open_links(content_repo: str | None, *, binder: str | None = None, hub: str | None = None,
               branch: str = "main") -> dict[str, str]:
    """Links that open the bundle, pushed to the git repository ``content_repo`` (its files at the
    top level, on ``branch``), at the start-here lesson, through nbgitpuller.

    ``binder``: the GitHub repository of this module, ``OWNER/REPO`` or ``OWNER/REPO@REF``
    (its ``binder/`` folder provides the environment); ``hub``: a JupyterHub's address with
    nbgitpuller and rwanda_edu installed. Returns ``{"Binder": url, "JupyterHub": url}`` for those given.
    """
    if content_repo is None:
        if binder is not None or hub is not None:
            raise ValueError(_(
                "a Binder or JupyterHub link needs content_repo: the git repository you push the bundle to"))
        return {}
    repo = _web_address(_("content repository"), content_repo, with_path=True)
    branch = check_text("branch", branch, max_chars=200).strip()
    folder = Path(urlparse(repo).path.rstrip("/")).name.removesuffix(".git")
    # nbgitpuller clones into targetpath (by default the URL's last part, ".git" included)
    pull = {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/{START}.ipynb"}
    links = {}
    if binder is not None:
        check_type("binder", binder, str)
        match = _GITHUB_REPO.fullmatch(binder.strip())
        if not match:
            raise ValueError(_("binder {binder!r} is not a GitHub repository; write OWNER/REPO or OWNER/REPO@REF")
                             .format(binder=binder))
        links["Binder"] = (f"https://mybinder.org/v2/gh/{match['repo']}/{match['ref'] or 'HEAD'}"
                           f"?urlpath={quote('git-pull?' + urlencode(pull), safe='')}")
    if hub is not None:
        links["JupyterHub"] = f"{_web_address('hub', hub, with_path=False).rstrip('/')}/hub/user-redirect/git-pull?{urlencode(pull)}"
    if not links:
        raise ValueError(_(
            "content_repo gives no link by itself: add binder (OWNER/REPO[@REF]) or hub (its https address)"))
    return links


def _web_address(what: str, url: str, *, with_path: bool) -> str:
    check_type(what, url, str)
    parsed = urlparse(url.strip())
    if parsed.scheme not in ("https", "http") or not parsed.netloc or (with_path and not parsed.path.strip("/")):
        raise ValueError(_("{what} {url!r} is not a web address; write it as https://host/path").format(
            what=what, url=url))
    return url.strip()


def _due(text: str) -> str:
    check_type(_("due date"), text, str)
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise ValueError(_("due date {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-01").format(
            text=text)) from None


def _counted(key: Key, lessons: list[str], count: list[str] | None) -> list[str]:
    """The counted questions as ``lesson/qid``, checked against the auto-scored questions of ``lessons``."""
    scored = [f"{lesson}/{qid}" for lesson in lessons for qid in key.scored(lesson)]
    if count is None:
        return scored
    check_type("count", count, list)
    by_id: dict[str, list[str]] = {}
    for item in scored:
        by_id.setdefault(item.split("/", 1)[1], []).append(item)
    chosen = []
    for item in count:
        if isinstance(item, str) and "/" not in item and len(by_id.get(item, [])) > 1:
            raise ValueError(_("question {item!r} is in several lessons; write one of: {choices}").format(
                item=item, choices=", ".join(by_id[item])))
        full = by_id[item][0] if isinstance(item, str) and len(by_id.get(item, [])) == 1 else item
        chosen += check_choices(_("auto-scored question"), [full], scored)
    return list(dict.fromkeys(chosen))


def _write_stripped(source: Path, target: Path) -> None:
    """Copy notebook ``source`` without outputs, execution counts or stored widget state."""
    notebook = json.loads(source.read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    notebook.get("metadata", {}).pop("widgets", None)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load_assignment(path: str | os.PathLike) -> dict:
    """Read ``assignment.json`` (see :mod:`rwanda_edu.formats.assignment`) and check it against the question
    banks; a ValueError says what is wrong or missing."""
    doc = read_assignment(path)
    key = Key()
    try:
        check_choices("lesson", doc["lessons"], key.lessons())
        check_choices(_("counted question"), doc["count"],
                      [f"{lesson}/{qid}" for lesson in doc["lessons"] for qid in key.scored(lesson)])
    except ValueError as error:
        raise ValueError(_("{path}: {error}").format(path=path, error=error)) from None
    return doc


def sharing_advice(bundle: Bundle) -> str:
    """How to give the bundle to students, in plain words."""
    a = bundle.assignment
    built = _("Built {name!r} (due {due}): {lessons}, {count} count{hidden}.").format(
        name=a["name"], due=a["due"],
        lessons=ngettext("{n} lesson", "{n} lessons", len(a["lessons"])).format(n=len(a["lessons"])),
        count=ngettext("{n} question", "{n} questions", len(a["count"])).format(n=len(a["count"])),
        hidden=_(", correctness hidden") if a["hide_correctness"] else "")
    links = "".join(
        _("  - {where} link (push the folder's files to the content repository first): {url}\n").format(
            where=where, url=url) for where, url in bundle.links.items()
    ) or _("  - Binder or a JupyterHub, from one link: build the bundle with --content-repo URL and "
           "--binder OWNER/REPO (or --hub URL), then push the folder's files to that repository.\n")
    return _(
        "{built}\n  Folder: {folder}\n  Zip:    {zip}\n"
        "To share it:\n"
        "  - JupyterHub: copy the folder {name} into the hub's shared folder; each student copies it "
        "into their own home folder and works there (their answers are saved next to the notebooks).\n"
        "  - Binder or an LMS: upload the zip to your LMS; students unzip it and upload its files into JupyterLab "
        "with the Upload button (JupyterLab does not unpack zip files), then open {start}.ipynb.\n"
        "{links}"
        "  - When they hand in, collect their .json files into one folder and run:\n"
        "    rwanda-edu collect HANDINS --out RESULTS --assignment {assignment}"
    ).format(built=built, folder=bundle.folder, zip=bundle.zip, name=bundle.folder.name, start=START, links=links,
             assignment=bundle.folder / ASSIGNMENT)

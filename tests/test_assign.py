"""assign: a student bundle of the chosen lessons that never carries teacher material."""
from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from rwanda_edu import _questions
from rwanda_edu.cli import main
from rwanda_edu.teacher import build_bundle, load_assignment
from rwanda_edu.teacher._lessons import START, find_lessons, lesson_ids

SENTINEL = "TEACHER-ONLY-7f3a"


@pytest.fixture
def lessons(tmp_path):
    """A copy of the real lessons folder, with teacher material (marked by SENTINEL) planted in it."""
    folder = tmp_path / "lessons"
    shutil.copytree(find_lessons(), folder, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    teacher = folder / "teacher"
    teacher.mkdir(exist_ok=True)
    (teacher / "answer_key.md").write_text(f"# Key {SENTINEL}", encoding="utf-8")
    (teacher / "01_guide.ipynb").write_text(json.dumps({"cells": [], "metadata": {"x": SENTINEL}}), encoding="utf-8")
    return folder


def two_lessons(folder) -> list[str]:
    return [lesson for lesson in lesson_ids(folder) if lesson != START][:2]


def bundle_files(bundle) -> dict[str, bytes]:
    files = {p.relative_to(bundle.folder).as_posix(): p.read_bytes() for p in bundle.folder.rglob("*") if p.is_file()}
    with zipfile.ZipFile(bundle.zip) as zf:
        files.update({f"zip:{name}": zf.read(name) for name in zf.namelist()})
    return files


def test_bundle_contents(lessons, tmp_path):
    chosen = two_lessons(lessons)
    bundle = build_bundle(chosen, name="Week 3", due="2026-12-01", out=tmp_path / "week3", lessons_dir=lessons)
    names = sorted(p.name for p in bundle.folder.iterdir())
    assert names == sorted(["README.md", "assignment.json", f"{START}.ipynb", *(f"{lesson}.ipynb" for lesson in chosen)])
    with zipfile.ZipFile(bundle.zip) as zf:
        assert sorted(zf.namelist()) == sorted(f"week3/{n}" for n in names)
    assignment = json.loads((bundle.folder / "assignment.json").read_text(encoding="utf-8"))
    assert assignment["name"] == "Week 3" and assignment["due"] == "2026-12-01"
    assert assignment["lessons"] == chosen and assignment["hide_correctness"] is False
    scored = [f"{lesson}/{q['id']}" for lesson in chosen for q in _questions.question_bank(lesson)["questions"]
              if _questions.score(q, None) is not None]
    assert assignment["count"] == scored
    assert load_assignment(bundle.folder / "assignment.json") == assignment
    readme = (bundle.folder / "README.md").read_text(encoding="utf-8")
    assert "Week 3" in readme and "Hand in" in readme
    for lesson in chosen:
        notebook = json.loads((bundle.folder / f"{lesson}.ipynb").read_text(encoding="utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        source = json.loads((lessons / f"{lesson}.ipynb").read_text(encoding="utf-8"))
        assert [c["source"] for c in notebook["cells"]] == [c["source"] for c in source["cells"]]


def test_never_leaks_teacher_material(lessons, tmp_path):
    every = lesson_ids(lessons)
    bundle = build_bundle(every, name="All", due="2026-12-01", out=tmp_path / "all", lessons_dir=lessons,
                          hide_correctness=True)
    allowed = {"README.md", "assignment.json", *(f"{lesson}.ipynb" for lesson in every)}
    teacher = {p.read_bytes() for p in (lessons / "teacher").rglob("*") if p.is_file()}
    for name, data in bundle_files(bundle).items():
        assert "teacher" not in name.lower(), name
        assert name.rsplit("/", 1)[-1] in allowed, name
        assert SENTINEL.encode() not in data and data not in teacher, name
    assert json.loads((bundle.folder / "assignment.json").read_text())["hide_correctness"] is True


def test_real_lessons_folder_never_leaks(tmp_path):
    real = find_lessons()
    bundle = build_bundle(lesson_ids(real), name="All", due="2026-12-01", out=tmp_path / "b")
    teacher = {p.read_bytes() for p in (real / "teacher").rglob("*") if p.is_file()}
    for name, data in bundle_files(bundle).items():
        assert "teacher" not in name.lower()
        assert data not in teacher


def test_count_accepts_bare_and_full_ids(lessons, tmp_path):
    chosen = two_lessons(lessons)
    scored = [(lesson, q["id"]) for lesson in chosen for q in _questions.question_bank(lesson)["questions"]
              if _questions.score(q, None) is not None]
    (l1, q1), (_, q2) = scored[0], scored[-1]
    bundle = build_bundle(chosen, name="W", due="2026-12-01", out=tmp_path / "w", lessons_dir=lessons,
                          count=[f"{l1}/{q1}", q2] if sum(q == q2 for _, q in scored) == 1 else [f"{l1}/{q1}"])
    assert bundle.assignment["count"][0] == f"{l1}/{q1}"
    assert all("/" in item for item in bundle.assignment["count"])


@pytest.mark.parametrize(
    "change, error, words",
    [
        ({"lessons": ["01_road_to_199"]}, ValueError, ["did you mean '01_road_to_1994'", "Valid:", START]),
        ({"lessons": []}, ValueError, ["no lessons chosen", "Valid:"]),
        ({"due": "1 December"}, ValueError, ["YYYY-MM-DD", "2026-12-01"]),
        ({"due": "2026-13-01"}, ValueError, ["YYYY-MM-DD"]),
        ({"name": "  "}, ValueError, ["empty"]),
        ({"count": ["no-such-question"]}, ValueError, ["Valid:"]),
        ({"lessons": "01_road_to_1994"}, TypeError, ["lessons must be list"]),
    ],
)
def test_bad_arguments_name_valid_choices(lessons, tmp_path, change, error, words):
    args = {"lessons": two_lessons(lessons), "name": "W", "due": "2026-12-01", "out": tmp_path / "o",
            "lessons_dir": lessons, **change}
    with pytest.raises(error) as raised:
        build_bundle(args.pop("lessons"), **args)
    for word in words:
        assert word in str(raised.value)
    assert not (tmp_path / "o").exists()


def test_refuses_to_overwrite(lessons, tmp_path):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(FileExistsError, match="choose a new --out"):
        build_bundle(two_lessons(lessons), name="W", due="2026-12-01", out=tmp_path / "o", lessons_dir=lessons)


def test_cli(lessons, tmp_path, capsys):
    chosen = ",".join(two_lessons(lessons))
    args = ["assign", "--lessons", chosen, "--name", "Week 3", "--due", "2026-12-01", "--lessons-dir", str(lessons)]
    assert main([*args, "--out", str(tmp_path / "b"), "--hide-correctness"]) == 0
    out = capsys.readouterr().out
    assert "JupyterHub" in out and "rwanda-edu collect" in out and "http" not in out
    assert main([*args[:2], "nope", *args[3:], "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "unknown lesson 'nope'" in err and "Valid:" in err


def test_links_open_the_pushed_bundle_at_the_start_lesson(lessons, tmp_path):
    from urllib.parse import parse_qs, urlparse

    bundle = build_bundle(two_lessons(lessons), name="W", due="2026-12-01", out=tmp_path / "b", lessons_dir=lessons,
                          content_repo="https://github.com/teacher/week-3.git", binder="owner/rwanda-edu@v0.1.0",
                          hub="https://hub.school.example/")
    binder = urlparse(bundle.links["Binder"])
    assert (binder.netloc, binder.path) == ("mybinder.org", "/v2/gh/owner/rwanda-edu/v0.1.0")
    pull = urlparse(parse_qs(binder.query)["urlpath"][0])
    assert pull.path == "git-pull"
    hub = urlparse(bundle.links["JupyterHub"])
    assert (hub.netloc, hub.path) == ("hub.school.example", "/hub/user-redirect/git-pull")
    for query in (parse_qs(pull.query), parse_qs(hub.query)):
        assert query == {"repo": ["https://github.com/teacher/week-3.git"], "branch": ["main"], "targetpath": ["week-3"],
                         "urlpath": [f"lab/tree/week-3/{START}.ipynb"]}  # cloned into the folder the link opens
    readme = (bundle.folder / "README.md").read_text(encoding="utf-8")
    assert bundle.links["Binder"] in readme and bundle.links["JupyterHub"] in readme


@pytest.mark.parametrize("links, words", [
    ({"binder": "owner/repo"}, "needs content_repo"),
    ({"content_repo": "https://github.com/t/w"}, "add binder"),
    ({"content_repo": "github.com/t/w", "binder": "o/r"}, "not a web address"),
    ({"content_repo": "https://github.com/", "binder": "o/r"}, "not a web address"),
    ({"content_repo": "https://github.com/t/w", "binder": "https://github.com/o/r"}, "OWNER/REPO or OWNER/REPO@REF"),
    ({"content_repo": "https://github.com/t/w", "hub": "hub.school"}, "not a web address"),
])
def test_bad_link_arguments_say_what_is_needed(lessons, tmp_path, links, words):
    with pytest.raises(ValueError, match=words):
        build_bundle(two_lessons(lessons), name="W", due="2026-12-01", out=tmp_path / "b", lessons_dir=lessons, **links)
    assert not (tmp_path / "b").exists()  # nothing half-built


def test_cli_prints_the_links(lessons, tmp_path, capsys):
    args = ["assign", "--lessons", ",".join(two_lessons(lessons)), "--name", "W", "--due", "2026-12-01",
            "--lessons-dir", str(lessons), "--out", str(tmp_path / "b"),
            "--content-repo", "https://github.com/t/week", "--binder", "o/r"]
    assert main(args) == 0
    assert "Binder link" in capsys.readouterr().out and "https://mybinder.org/v2/gh/o/r/HEAD?urlpath=git-pull" in (
        tmp_path / "b" / "README.md").read_text(encoding="utf-8")


def test_a_link_pulls_the_branch_asked_for_into_the_folder_it_opens():
    from urllib.parse import parse_qs, urlparse

    from rwanda_edu.teacher._assign import open_links

    link = open_links("https://gitlab.example/t/week-3/", hub="https://hub.example", branch="master")["JupyterHub"]
    query = parse_qs(urlparse(link).query)
    assert query["branch"] == ["master"] and query["targetpath"] == ["week-3"]
    assert query["urlpath"] == [f"lab/tree/week-3/{START}.ipynb"]

"""The exchange: hub identity, hand-ins that are all kept, collect from it, feedback released to each
student; permissions checked with real Unix accounts."""
from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import rwanda_edu
from rwanda_edu import exchange, responses
from rwanda_edu.cli import main

from .accounts import STUDENTS, TEACHERS, ensure_accounts, python_for_accounts, run_as

STUDENT = """
import os, sys
import rwanda_edu
from rwanda_edu import responses
{body}
"""


def rows(path: Path) -> list[dict]:
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def student_process(user: str, body: str, exchange_dir: Path, answers: Path, cwd: Path) -> None:
    env = {**os.environ, "JUPYTERHUB_USER": user, "RWANDA_EDU_EXCHANGE": str(exchange_dir),
           "RWANDA_EDU_ANSWERS": str(answers)}
    done = subprocess.run([sys.executable, "-c", STUDENT.format(body=body)], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow  # three student processes
def test_three_students_in_separate_processes(tmp_path):
    """Twice within a second (both kept), a classmate's name typed (still filed under the account),
    no answers at all; collect --exchange makes a gradebook of exactly those three accounts."""
    shared = tmp_path / "exchange"  # not there yet: the first hand-in creates it
    twice = """
store = responses.current_store()
store.record("00_start_here", "practice-save", "at-once")
first = rwanda_edu.hand_in()
second = rwanda_edu.hand_in()
assert first.delivered != second.delivered and first.json_path != second.json_path, (first, second)
"""
    classmate = """
store = rwanda_edu.sign_in("ana-k")
store.record("00_start_here", "practice-save", "save-button")
paths = rwanda_edu.hand_in()
assert paths.delivered is not None, paths
"""
    nothing = "assert rwanda_edu.hand_in().delivered is not None\n"
    for user, body in (("ana-k", twice), ("ben-m", classmate), ("chloe-r", nothing)):
        work = tmp_path / user
        work.mkdir()
        student_process(user, body, shared, work / "answers", work)

    inbound = shared / exchange.DEFAULT_ASSIGNMENT / exchange.INBOUND
    files = sorted(inbound.iterdir())
    assert len(files) == 4
    assert len([f for f in files if f.name.startswith(responses._slug("ana-k"))]) == 2
    stamps = [json.loads(f.read_text())["handed_in_at"] for f in files if "ana-k" in f.name]
    assert len(stamps) == 2
    assert all(stat.S_IMODE(f.stat().st_mode) == exchange.HANDIN_MODE for f in files)
    # the student's own folder keeps both hand-ins too
    assert len(list((tmp_path / "ana-k" / "answers").glob("handin-*.json"))) == 2

    out = tmp_path / "results"
    assert main(["collect", "--exchange", str(shared), "--out", str(out)]) == 0
    book = rows(out / "gradebook.csv")
    assert sorted(r["student"] for r in book) == ["ana-k", "ben-m", "chloe-r"]
    assert {r["student"]: r["00_start_here/practice-save"] for r in book} == {"ana-k": "1", "ben-m": "0", "chloe-r": "0"}
    listing = rows(out / exchange.HANDINS_LIST)
    assert sorted(r["status"] for r in listing) == ["collected", "collected", "collected", "earlier"]
    earlier = next(r for r in listing if r["status"] == "earlier")
    latest = next(r for r in listing if r["status"] == "collected" and r["student"] == "ana-k")
    assert earlier["student"] == "ana-k" and earlier["file"] < latest["file"]
    assert sorted(p.name for p in (out / exchange.HANDINS_COPY).iterdir()) == sorted(
        r["file"] for r in listing if r["status"] == "collected")


def test_hub_account_is_the_student(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "dan-t")
    assert responses.current_student() == "dan-t"
    store = responses.sign_in("Someone Else")
    assert store.student == "dan-t" and responses.current_student() == "dan-t"
    store.record("00_start_here", "practice-save", "at-once")
    handin = rwanda_edu.hand_in()
    assert json.loads(handin.json_path.read_text())["student"] == "dan-t"
    assert handin.delivered is None and handin.undelivered is None  # no exchange set


def test_unnamed_answers_are_adopted_by_the_hub_account(monkeypatch):
    responses.current_store().record("00_start_here", "practice-save", "at-once")
    monkeypatch.setenv("JUPYTERHUB_USER", "eve-u")
    assert responses.current_store().answers("00_start_here") == {"practice-save": "at-once"}


def test_bad_hub_account_name_is_refused(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "../etc")
    with pytest.raises(ValueError, match="JupyterHub account name"):
        responses.current_student()


def test_unsafe_area_is_not_written_to(tmp_path, monkeypatch):
    shared = tmp_path / "exchange"
    area = exchange.open_assignment(shared.parent / "exchange" if shared.mkdir() is None else shared, "lessons")
    os.chmod(area / exchange.INBOUND, 0o777)  # readable by everyone, no sticky bit
    monkeypatch.setenv("JUPYTERHUB_USER", "fay-w")
    monkeypatch.setenv(exchange.ENV, str(shared))
    handin = rwanda_edu.hand_in()
    assert handin.delivered is None and "not set up safely" in handin.undelivered
    assert handin.json_path.exists()  # the student's own copy is kept
    assert list((area / exchange.INBOUND).iterdir()) == []


def test_areas_and_names(tmp_path, monkeypatch):
    assert exchange.assignment_id("Week 3: Cable") == "week-3-cable"
    (tmp_path / "assignment.json").write_text(json.dumps({"name": "Semaine 3 – Télégramme"}), encoding="utf-8")
    assert exchange.current_assignment(tmp_path) == "semaine-3-telegramme"
    assert exchange.current_assignment(tmp_path / "nowhere") == exchange.DEFAULT_ASSIGNMENT
    area = exchange.open_assignment(tmp_path, "week-3")
    assert stat.S_IMODE((area / exchange.INBOUND).stat().st_mode) == exchange.INBOUND_MODE
    assert stat.S_IMODE((area / exchange.FEEDBACK).stat().st_mode) == exchange.FEEDBACK_MODE
    exchange.open_assignment(tmp_path, "week-4")
    with pytest.raises(ValueError, match=r"several assignments.*week-3, week-4"):
        exchange.choose_area(tmp_path)
    with pytest.raises(ValueError, match="did you mean 'week-3'"):
        exchange.choose_area(tmp_path, "week-33")
    names = {exchange.handin_name("ana-k") for _ in range(50)}
    assert len(names) == 50 and all(exchange._NAME.fullmatch(n) for n in names)


def test_collect_usage_errors(tmp_path, capsys):
    assert main(["collect", "--out", str(tmp_path / "o")]) == 2
    assert "DIR or --exchange" in capsys.readouterr().err
    assert main(["collect", "--exchange", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err


@pytest.fixture(scope="module")
def accounts():
    return ensure_accounts()


@pytest.fixture
def shared_root():
    """An exchange folder every account can reach (pytest's own temporary folders are private)."""
    import grp
    import shutil

    base = Path(tempfile.mkdtemp(prefix="rwedu-exchange-"))
    os.chmod(base, 0o755)
    root = base / "exchange"
    root.mkdir()
    os.chown(root, 0, grp.getgrnam(TEACHERS).gr_gid)
    os.chmod(root, 0o2755)  # students cannot create areas; the teacher opens them
    yield root
    shutil.rmtree(base)


HAND_IN = """
import rwanda_edu
from rwanda_edu import responses
responses.current_store().record("00_start_here", "practice-text", "my own words")
h = rwanda_edu.hand_in()
print(h.delivered or h.undelivered)
"""


@pytest.mark.slow  # creates Unix accounts and runs as each of them
def test_permissions_with_real_accounts(accounts, shared_root, tmp_path):
    ada, bea = STUDENTS[0], STUDENTS[1]
    env = {"RWANDA_EDU_EXCHANGE": str(shared_root), "RWANDA_EDU_ANSWERS": ""}

    # Before the teacher opens the area, a student cannot create it, and is told so.
    done = run_as(ada, HAND_IN, {**env, "JUPYTERHUB_USER": ada})
    assert done.returncode == 0, done.stderr
    assert "ask your teacher to open it" in done.stdout

    exchange.open_assignment(shared_root, exchange.DEFAULT_ASSIGNMENT)
    handed = {}
    for user in (ada, bea):
        done = run_as(user, HAND_IN, {**env, "JUPYTERHUB_USER": user})
        assert done.returncode == 0, done.stderr
        handed[user] = done.stdout.strip()
        assert Path(handed[user]).parent.name == exchange.INBOUND, done.stdout
        info = os.stat(handed[user])
        assert info.st_uid == accounts[user].pw_uid and stat.S_IMODE(info.st_mode) == 0o640

    probe = """
import os, sys
target, inbound = sys.argv[1], os.path.dirname(sys.argv[1])
for attempt in (lambda: os.listdir(inbound), lambda: open(target).read(), lambda: open(target, "a"),
                lambda: os.unlink(target), lambda: os.rename(target, target + ".x")):
    try:
        attempt()
        print("ALLOWED")
    except PermissionError:
        print("denied")
"""
    account = accounts[bea]
    done = subprocess.run(
        ["runuser", "-u", bea, "--", python_for_accounts(), "-c", probe, handed[ada]],
        capture_output=True, text=True, timeout=60, env={"PATH": os.environ["PATH"], "HOME": account.pw_dir})
    assert done.stdout.split() == ["denied"] * 5, done.stdout + done.stderr

    # The teacher (root here) collects both, each under the account that wrote it.
    out = tmp_path / "results"
    assert main(["collect", "--exchange", str(shared_root), "--out", str(out)]) == 0
    assert sorted(r["student"] for r in rows(out / "gradebook.csv")) == [ada, bea]

    # A file that names another student than its writer is refused.
    forged = json.loads(Path(handed[bea]).read_text())
    forged["student"] = ada
    write = """
import os, sys
fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
os.write(fd, sys.argv[2].encode())
"""
    forged_path = Path(handed[bea]).with_name(exchange.handin_name(ada))
    done = subprocess.run(["runuser", "-u", bea, "--", python_for_accounts(), "-c", write, str(forged_path), json.dumps(forged)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = exchange.collect_exchange(shared_root, tmp_path / "again")
    assert [r["file"] for r in found.refused] == [forged_path.name]
    assert f"written by the account {bea!r}" in found.refused[0]["status"]

    # Feedback: one folder per student, readable by that student only.
    feedback = tmp_path / "feedback"
    for user in (ada, bea):
        (feedback / user).mkdir(parents=True)
        (feedback / user / "feedback.html").write_text(f"<p>Feedback for {user}</p>", encoding="utf-8")
    (feedback / "nobody.html").write_text("x", encoding="utf-8")
    assert main(["release-feedback", str(feedback), "--exchange", str(shared_root)]) == 1  # nobody.html not placed
    fetch = """
import rwanda_edu.exchange as x, sys
print(open(x.fetch_feedback()[0]).read())
other = sys.argv[1]
try:
    open(other).read(); print("ALLOWED")
except PermissionError:
    print("denied")
"""
    area = shared_root / exchange.DEFAULT_ASSIGNMENT / exchange.FEEDBACK
    for user, other in ((ada, bea), (bea, ada)):
        done = subprocess.run(
            ["runuser", "-u", user, "--", "env", f"JUPYTERHUB_USER={user}", f"RWANDA_EDU_EXCHANGE={shared_root}",
             f"HOME={accounts[user].pw_dir}", f"RWANDA_EDU_ANSWERS={accounts[user].pw_dir}/answers",
             python_for_accounts(), "-c", fetch, str(area / other / "feedback.html")],
            capture_output=True, text=True, timeout=60, cwd=accounts[user].pw_dir)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split("\n")[:2] == [f"<p>Feedback for {user}</p>", "denied"], done.stdout
        assert os.stat(area / user).st_uid == accounts[user].pw_uid


def test_user_ids_without_names_must_match_students_one_to_one(tmp_path, monkeypatch):
    """On Kubernetes the teacher's pod knows no names for the students' user ids: a user id that writes
    for two students (a forged hand-in) has its files refused, and the teacher is told to check them."""
    from .accounts import need_root

    need_root()
    shared = tmp_path / "exchange"
    shared.mkdir()
    monkeypatch.setenv(exchange.ENV, str(shared))
    delivered = {}
    for student in ("gil-a", "hana-b", "forged"):
        monkeypatch.setenv("JUPYTERHUB_USER", "gil-a" if student == "forged" else student)
        delivered[student] = rwanda_edu.hand_in().delivered
    os.chown(delivered["gil-a"], 400001, 400001)
    os.chown(delivered["hana-b"], 400002, 400002)
    os.chown(delivered["forged"], 400002, 400002)  # hana-b's user id wrote a hand-in naming gil-a
    with pytest.raises(FileNotFoundError, match="3 file"):  # nothing left to collect
        exchange.collect_exchange(shared, tmp_path / "out")
    monkeypatch.setenv("JUPYTERHUB_USER", "ida-c")
    rwanda_edu.hand_in()
    found = exchange.collect_exchange(shared, tmp_path / "out")
    assert [h.student for h in found.result.accepted] == ["ida-c"]
    refused = {row["file"]: row["status"] for row in found.refused}
    assert set(refused) == {delivered[s].name for s in ("gil-a", "hana-b", "forged")}
    assert all("check them by hand" in reason for reason in refused.values())


def test_assign_opens_the_area_and_collect_finds_it_by_the_assignment(tmp_path, monkeypatch, capsys):
    shared = tmp_path / "exchange"
    shared.mkdir()
    exchange.open_assignment(shared, "lessons")  # a second area, so the assignment must pick one
    bundle = tmp_path / "week-3"
    assert main(["assign", "--lessons", "03_withdrawal_cable", "--name", "Week 3", "--due", "2026-12-20",
                 "--out", str(bundle), "--exchange", str(shared)]) == 0
    assert "Opened the exchange area" in capsys.readouterr().out
    assert (shared / "week-3" / exchange.INBOUND).is_dir()
    monkeypatch.chdir(bundle)  # the student works in the bundle: its assignment.json names the area
    monkeypatch.setenv("JUPYTERHUB_USER", "jo-d")
    monkeypatch.setenv(exchange.ENV, str(shared))
    assert rwanda_edu.hand_in().delivered.parent == shared / "week-3" / exchange.INBOUND
    assert main(["collect", "--exchange", str(shared), "--out", str(tmp_path / "o")]) == 2
    assert "several assignments" in capsys.readouterr().err
    assert main(["collect", "--exchange", str(shared), "--assignment", str(bundle / "assignment.json"),
                 "--out", str(tmp_path / "o")]) == 0
    assert [r["student"] for r in rows(tmp_path / "o" / "gradebook.csv")] == ["jo-d"]

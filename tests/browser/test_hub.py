"""A real JupyterHub on 127.0.0.1: PAM log-in with real Unix accounts, LocalProcessSpawner, the
configurable-http-proxy from npm, an assignment link through nbgitpuller, the exchange, locked keys.

Each student logs in in Chromium, opens the assignment from its link, answers, hands in and
downloads the hand-in; the teacher collects from the exchange and releases feedback; each
student sees their own feedback and, as their own Unix account, cannot read a classmate's
hand-in, the answer keys or the teacher guide.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from rwanda_edu import exchange, keys
from rwanda_edu.teacher import build_bundle

from ..accounts import PASSWORD, STUDENTS, TEACHERS, ensure_accounts, python_for_accounts
from ..conftest import ROOT
from . import lab as jl
from .conftest import ARTIFACTS, LOCAL_HOSTS, VIEWPORT, _free_port

pytestmark = pytest.mark.hub

PROXY = ROOT / ".hub-node" / "node_modules" / ".bin" / "configurable-http-proxy"
JOURNEY = STUDENTS[:2]
ASSIGNMENT = "Hub week"
CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.JupyterHub.db_url = "sqlite:///{base}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{base}/cookie_secret"
c.JupyterHub.cleanup_servers = True
c.ConfigurableHTTPProxy.command = ["{proxy}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.auth_token = "{token}"
c.ConfigurableHTTPProxy.pid_file = "{base}/proxy.pid"
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.open_sessions = False
c.Authenticator.allowed_users = {students!r}
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = ["{python}", "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {{"RWANDA_EDU_EXCHANGE": "{exchange}"}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
"""


def _proxy() -> Path:
    if PROXY.exists():
        return PROXY
    message = "configurable-http-proxy is not installed: run `make .hub-node/.installed` (npm)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (the hub test must run in CI)")
    pytest.skip(message)


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=Teacher", "-c", "user.email=teacher@school.invalid",
                    "-c", "init.defaultBranch=main", *args], cwd=cwd, check=True, capture_output=True)


def _content_repo(base: Path, hub_url: str) -> tuple[Path, str, subprocess.Popen]:
    """The assignment bundle pushed to a bare git repository served over HTTP on 127.0.0.1."""
    served, port = base / "git", _free_port()
    served.mkdir()
    bundle = build_bundle(["03_withdrawal_cable"], name=ASSIGNMENT, due="2026-12-20", out=base / "hub-week",
                          hide_correctness=True, content_repo=f"http://127.0.0.1:{port}/hub-week.git", hub=hub_url)
    _git("init", cwd=bundle.folder)
    _git("add", ".", cwd=bundle.folder)
    _git("commit", "-m", "Hub week", cwd=bundle.folder)
    _git("clone", "--bare", str(bundle.folder), str(served / "hub-week.git"), cwd=base)
    server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("git_http.py")), str(served), str(port)])
    return bundle.folder, bundle.links["JupyterHub"], server


def _fresh_homes(accounts) -> None:
    """Empty the test accounts' home folders, so every run starts as a first visit."""
    for account in accounts.values():
        home = Path(account.pw_dir)
        for entry in home.iterdir():
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()


def _modes(paths) -> dict[Path, os.stat_result]:
    return {p: os.stat(p) for p in paths}


@pytest.fixture(scope="module")
def hub(chromium):
    proxy = _proxy()
    accounts = ensure_accounts()
    python = python_for_accounts()
    _fresh_homes(accounts)
    base = Path(tempfile.mkdtemp(prefix="rwedu-hub-"))
    os.chmod(base, 0o755)
    import grp

    root = base / "exchange"
    root.mkdir()
    os.chown(root, 0, grp.getgrnam(TEACHERS).gr_gid)
    os.chmod(root, 0o2755)
    exchange.open_assignment(root, exchange.assignment_id(ASSIGNMENT))

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    bundle, link, git_server = _content_repo(base, url)

    # Keys locked for the teachers' group, restored afterwards.
    banks = sorted(Path(str(keys._banks_dir())).glob("*.toml"))
    guide = ROOT / "lessons" / "teacher"
    originals = _modes([*banks, *[Path(d) / n for d, dirs, files in os.walk(guide) for n in [*dirs, *files]], guide])
    keys.lock_keys(TEACHERS, lessons=ROOT / "lessons")

    config = base / "jupyterhub_config.py"
    config.write_text(CONFIG.format(port=port, hub_port=_free_port(), proxy_api_port=_free_port(), base=base,
                                    proxy=proxy, token=secrets.token_hex(16), students=set(STUDENTS), python=python,
                                    exchange=root))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWANDA_EDU_")}
    log = open(base / "hub.log", "w")  # noqa: SIM115 (open while the hub runs, closed below)
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=base, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for_hub(f"{url}/hub/api", process, base / "hub.log")
        yield {"url": url, "link": link, "exchange": root, "bundle": bundle, "base": base, "accounts": accounts,
               "python": python}
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the hub stops the students' servers and the proxy
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        git_server.terminate()
        git_server.wait(timeout=10)
        for path, info in originals.items():
            os.chown(path, info.st_uid, info.st_gid)
            os.chmod(path, stat.S_IMODE(info.st_mode))
        shutil.rmtree(Path(str(keys._banks_dir())) / keys.STUDENT_EDITION, ignore_errors=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(base / "hub.log", ARTIFACTS / "hub.log")
        shutil.rmtree(base, ignore_errors=True)


def _wait_for_hub(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"JupyterHub did not answer {url} within {timeout} s:\n{log.read_text()[-4000:]}")


def _context(browser):
    """A browser context of its own (own cookies: one student) that lets no request leave 127.0.0.1."""
    from urllib.parse import urlparse

    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    outside: list[str] = []

    def guard(route):
        if (urlparse(route.request.url).hostname or "") in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    dialogs: list[str] = []
    context.on("page", lambda p: p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())
                                       if d.type != "beforeunload" else d.accept()))
    return context, outside, dialogs


def _as(user: str, python: str, code: str, *args: str) -> str:
    """Python ``code`` run as the Unix account ``user``; its output."""
    done = subprocess.run(["runuser", "-u", user, "--", python, "-c", code, *args], capture_output=True,
                          text=True, timeout=60, cwd="/")
    assert done.returncode == 0, done.stderr
    return done.stdout


READ = """
import sys
for path in sys.argv[1:]:
    try:
        open(path, "rb").read()
        print("read")
    except PermissionError:
        print("denied")
"""


def _memory_mb(uid: int) -> float:
    """Resident memory of every process of account ``uid`` (its JupyterLab server and kernel), in MB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if int(fields["Uid"].split()[0]) == uid and "VmRSS" in fields:
            total += int(fields["VmRSS"].split()[0])
    return total / 1024


def _student_journey(page, hub, user: str) -> dict:
    """Log in, open the assignment link, answer, hand in, download the hand-in; return it."""
    page.goto(f"{hub['url']}/hub/login", wait_until="domcontentloaded")
    page.fill("#username_input", user)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    page.wait_for_url("**/user/**", timeout=120_000)  # logged in: the hub starts the server and sends us there
    page.goto(hub["link"], wait_until="domcontentloaded")  # nbgitpuller pulls the bundle and opens start-here
    page.wait_for_selector(f"{jl.NOTEBOOK} .jp-Notebook", timeout=180_000)
    assert "/lab/tree/hub-week/00_start_here.ipynb" in page.url
    page.wait_for_selector(jl.IDLE, timeout=120_000)
    jl.dismiss_toasts(page)
    jl.run_all(page)
    assert jl.errors_on_screen(page) == []

    # The hub account is the student: no name to type.
    sign_in = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-sign-in")
    sign_in.scroll_into_view_if_needed()
    assert f"as “{user}”" in sign_in.text_content()
    assert sign_in.locator("input").count() == 0

    # Answer with the keys locked and correctness hidden: the widgets save, and show no verdict.
    choice = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-question.rwanda-edu-choice").first
    choice.locator(".widget-radio-box label").first.click()
    choice.locator("text=✓ Answered · saved").wait_for(timeout=10_000)
    assert choice.locator(".rwanda-edu-feedback").text_content().strip() == ""
    text = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-question.rwanda-edu-text textarea").first
    text.fill(f"{user} thinks the cable shows a choice, not a necessity.")

    hand_in = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-hand-in")
    hand_in.locator("button", has_text="Hand in my answers").click()
    hand_in.locator("text=Your teacher has received it").wait_for(timeout=20_000)
    with page.expect_download() as caught:
        hand_in.locator("a.rwanda-edu-download", has_text="Download my hand-in (.json)").click()
    doc = json.loads(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert caught.value.suggested_filename.startswith("handin-") and doc["student"] == user
    return doc


def test_students_and_teacher_on_a_real_hub(hub, browser):
    start = time.monotonic()
    pages = {}
    for user in JOURNEY:
        context, outside, dialogs = _context(browser)
        page = context.new_page()
        pages[user] = (context, page, outside, dialogs)
        doc = _student_journey(page, hub, user)
        answers = doc["lessons"]["00_start_here"]
        assert any(isinstance(e["answer"], str) and e["answer"].startswith(user) for e in answers.values())

    jl.record_timing("hub_student_memory_mb", _memory_mb(hub["accounts"][JOURNEY[0]].pw_uid))

    # What each student's session could read, checked as that Unix account.
    ada, bea = JOURNEY
    inbound = hub["exchange"] / exchange.assignment_id(ASSIGNMENT) / exchange.INBOUND
    handins = {user: [p for p in inbound.iterdir() if p.stat().st_uid == hub["accounts"][user].pw_uid] for user in JOURNEY}
    assert all(len(files) == 1 for files in handins.values()), handins
    bank = next(Path(str(keys._banks_dir())).glob("*.toml"))
    guide = ROOT / "lessons" / "teacher" / "README.md"
    assert _as(bea, hub["python"], READ, str(handins[ada][0]), str(bank), str(guide)).split() == ["denied"] * 3
    assert _as(ada, hub["python"], READ, str(handins[bea][0])).split() == ["denied"]
    edition = """
from rwanda_edu import _questions, keys
question = _questions.get_question("00_start_here", "practice-save")
print(keys.keys_withheld(), any("correct" in option for option in question["options"]))
"""
    assert _as(ada, hub["python"], edition).split() == ["True", "False"]  # the student's session has no keys
    pulled = Path(hub["accounts"][ada].pw_dir) / "hub-week"
    assert (pulled / "00_start_here.ipynb").exists() and not (pulled / "teacher").exists()
    assert not list(pulled.rglob("*.toml"))

    # The teacher collects from the exchange: one row per account.
    out = hub["base"] / "results"
    found = exchange.collect_exchange(hub["exchange"], out, assignment=hub["bundle"] / "assignment.json")
    assert sorted(h.student for h in found.result.accepted) == sorted(JOURNEY)
    assert found.refused == []

    # Feedback, one page per student, released into each student's own folder.
    feedback = hub["base"] / "feedback"
    feedback.mkdir()
    for user in JOURNEY:
        (feedback / f"{user}.html").write_text(f"<p>Feedback for {user}: good use of the cable's ¶ 3.</p>", encoding="utf-8")
    release = exchange.release_feedback(hub["exchange"], feedback)
    assert sorted(release.released) == sorted(JOURNEY) and release.skipped == []
    area = hub["exchange"] / exchange.assignment_id(ASSIGNMENT) / exchange.FEEDBACK
    assert _as(bea, hub["python"], READ, str(area / ada / f"{ada}.html")).split() == ["denied"]

    # Each student runs the lesson again and sees their own feedback, not a classmate's.
    for user in JOURNEY:
        context, page, outside, dialogs = pages[user]
        jl.run_all(page)
        frame = page.frame_locator(f"{jl.NOTEBOOK} iframe.rwanda-edu-feedback-page").first
        shown = frame.locator("body").inner_text(timeout=20_000)
        assert f"Feedback for {user}" in shown
        assert all(f"Feedback for {other}" not in shown for other in JOURNEY if other != user)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"hub-{user}.png"))
        assert outside == [] and dialogs == []
        context.close()
    jl.record_timing("hub_journey_s", time.monotonic() - start)

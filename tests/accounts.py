"""Real local Unix accounts for the exchange and hub tests (created as root, reused between runs)."""
from __future__ import annotations

import atexit
import functools
import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import pytest

TEACHERS = "rwedu-teachers"
STUDENTS = ("rwedu-ada", "rwedu-bea", "rwedu-cyr")
PASSWORD = "Kigali-1994-class"  # test accounts only, on 127.0.0.1


def need_root() -> None:
    """Skip (fail in CI) where accounts cannot be created."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return
    message = "creating real Unix accounts needs root"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI runs as root)")
    pytest.skip(message)


def ensure_accounts() -> dict[str, pwd.struct_passwd]:
    """The teachers' group and the student accounts, each with a home folder and the test password."""
    need_root()
    try:
        grp.getgrnam(TEACHERS)
    except KeyError:
        subprocess.run(["groupadd", TEACHERS], check=True)
    for name in STUDENTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
    subprocess.run(["chpasswd"], input="".join(f"{n}:{PASSWORD}\n" for n in STUDENTS), text=True, check=True)
    return {name: pwd.getpwnam(name) for name in STUDENTS}


def reachable_by_all(path: Path) -> bool:
    """Whether every account can run ``path`` (each folder above it searchable by others)."""
    path = path.resolve()
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in [path, *path.parents])


def open_path_for_accounts(path: Path) -> None:
    """Let every account reach ``path``: in CI (a throw-away machine) give others search permission
    (``o+x``, not read) on each folder above it that lacks it; elsewhere fail, saying what to do."""
    if reachable_by_all(path):
        return
    closed = [p for p in [path.resolve(), *path.resolve().parents] if not os.stat(p).st_mode & stat.S_IXOTH]
    if os.environ.get("CI") != "true":
        pytest.fail(f"the student accounts cannot reach {path}: run `chmod o+x {' '.join(map(str, closed))}` "
                    "or clone the project where others may read")
    for folder in closed:
        os.chmod(folder, os.stat(folder).st_mode | stat.S_IXOTH)


@functools.cache
def python_for_accounts() -> str:
    """A Python interpreter the student accounts can run, with this environment's packages.

    This interpreter, if every account can reach it; otherwise (an interpreter under root's home)
    a small environment on the system's Python of the same version that adds this one's packages.
    """
    open_path_for_accounts(Path(__file__).resolve().parents[1])  # the project, its .venv among it
    open_path_for_accounts(Path(sysconfig.get_paths()["purelib"]))
    if reachable_by_all(Path(sys.executable)):
        return sys.executable
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.fail(f"{sys.executable} cannot be run by other accounts, and there is no {system} to use instead")
    bridge = Path(tempfile.mkdtemp(prefix="rwedu-python-"))
    atexit.register(shutil.rmtree, bridge, True)
    os.chmod(bridge, 0o755)
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(bridge)], check=True)
    packages = sysconfig.get_paths()["purelib"]
    target = subprocess.run([str(bridge / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            capture_output=True, text=True, check=True).stdout.strip()
    # the .pth runs addsitedir, so the editable install's own .pth files are read too
    Path(target, "rwanda_edu_test_packages.pth").write_text(f"import site; site.addsitedir({packages!r})\n")
    for shared in ("share", "etc"):  # JupyterLab's assets and the servers' extension settings
        if (Path(sys.prefix) / shared).is_dir():
            (bridge / shared).symlink_to(Path(sys.prefix) / shared)
    return str(bridge / "bin" / "python")


def run_as(user: str, code: str, env: dict | None = None, cwd: str | None = None) -> subprocess.CompletedProcess:
    """Run Python ``code`` as the Unix account ``user`` (its own uid and groups), with this interpreter."""
    account = pwd.getpwnam(user)

    def drop():
        os.setgroups(os.getgrouplist(user, account.pw_gid))
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    full = {"PATH": os.environ.get("PATH", ""), "HOME": account.pw_dir, "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([python_for_accounts(), "-c", code], env=full, cwd=cwd or account.pw_dir, preexec_fn=drop,
                          capture_output=True, text=True, timeout=120)

"""Every lesson passes nbval with the network cut off (a new network namespace with only loopback)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.lessons, pytest.mark.slow]  # executes every lesson notebook

RUNNER = r"""
import socket, sys, pytest
try:
    socket.create_connection(("pypi.org", 443), timeout=3)
    sys.exit("the network is still reachable: this run would prove nothing")
except OSError:
    pass
sys.exit(pytest.main(["--nbval-lax", "-p", "no:cacheprovider", "-v", sys.argv[1]]))
"""


def _offline_prefix() -> list[str]:
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("needs `unshare` (util-linux) and `ip` (iproute2) to cut the network off")
    prefix = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-r", "-n"]
    probe = subprocess.run([*prefix, "ip", "link", "set", "lo", "up"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"this system forbids a private network namespace: {probe.stderr.strip()}")
    return prefix


def test_every_lesson_executes_offline(tmp_path):
    prefix = _offline_prefix()
    lessons = tmp_path / "lessons"
    shutil.copytree(ROOT / "lessons", lessons, ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints"))
    env = {**os.environ, "RWANDA_EDU_ANSWERS": str(tmp_path / "answers")}
    script = f'ip link set lo up && exec "{sys.executable}" -c "$0" "$1"'
    result = subprocess.run([*prefix, "sh", "-c", script, RUNNER, str(lessons)],
                            capture_output=True, text=True, env=env, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for notebook in lessons.rglob("*.ipynb"):
        assert f"{notebook.stem}::ipynb::Cell 0 PASSED" in result.stdout, f"{notebook.name} was not run"
